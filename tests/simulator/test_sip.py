"""SIP accounts and the dialplan on the simulated server: owner-only delivery, refusals,
registration expiry on the clock, and folding the events gives the view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import reducers
from simulator import SimulatorError, World
from simulator._core import Session
from tests.support import assert_same_state, fold_all, seed_from_view


def world_with_sessions() -> tuple[World, Session, Session]:
    world = World(seed=2)
    world.add_user("anna")
    world.add_user("ben")
    return world, world.open_session("anna"), world.open_session("ben")


def assert_mirrors(world: World, *sessions: Session) -> None:
    for session in sessions:
        mirror = fold_all(session.events, me=session.user)
        assert_same_state(mirror, world.view(session), world.now, session.id)


def refused(world: World, command: Callable[[], Any]) -> None:
    before = ({s.id: len(s.events) for s in world.sessions.values()}, world.change)
    with pytest.raises(SimulatorError):
        command()
    assert ({s.id: len(s.events) for s in world.sessions.values()}, world.change) == before


def test_account_lifecycle_reaches_only_the_owner() -> None:
    world, anna, ben = world_with_sessions()
    key = world.sip.create_account("anna", "joe", "example.org")
    assert key == "joe@example.org"
    assert anna.events[-1] == {
        "event": "sip_new",
        "id": 0,
        "time": world.now,
        "user": "joe",
        "domain": "example.org",
    }
    world.sip.modify(key, "desk")
    assert anna.events[-1]["event"] == "sip_modify" and anna.events[-1]["description"] == "desk"
    assert world.view(anna)["sip"][key]["description"] == "desk"
    assert_mirrors(world, anna, ben)
    world.sip.delete(key)
    assert [e["event"] for e in anna.events][-1] == "sip_delete"
    assert ben.events == []
    assert key not in world.view(anna)["sip"]
    assert_mirrors(world, anna, ben)


def test_description_is_sent_only_when_set() -> None:
    world, anna, _ = world_with_sessions()
    world.sip.create_account("anna", "joe", "example.org", "office phone")
    assert anna.events[-1]["description"] == "office phone"


def test_registration_expires_on_the_clock() -> None:
    world, anna, ben = world_with_sessions()
    key = world.sip.create_account("anna", "joe", "example.org")
    world.sip.register(key, "sip:desk", 60)
    expire = world.now + 60
    assert anna.events[-1]["expire"] == expire
    world.advance(59)
    assert world.view(anna)["sip"][key]["registrations"] == {"sip:desk": {"expire": expire}}
    assert_mirrors(world, anna, ben)
    world.advance(1)
    assert world.view(anna)["sip"][key] == {
        "user": "joe",
        "domain": "example.org",
        "registrations": {},
    }
    assert_mirrors(world, anna, ben)
    refused(world, lambda: world.sip.unregister(key, "sip:desk"))


def test_unregister_and_reregister() -> None:
    world, anna, ben = world_with_sessions()
    key = world.sip.create_account("anna", "joe", "example.org")
    world.sip.register(key, "sip:desk", 60)
    refused(world, lambda: world.sip.register(key, "sip:desk", 60))
    world.advance(10)
    world.sip.register(key, "sip:desk", 60)
    assert world.view(anna)["sip"][key]["registrations"]["sip:desk"]["expire"] == world.now + 60
    world.sip.unregister(key, "sip:desk")
    assert anna.events[-1]["event"] == "sip_unregister"
    assert world.view(anna)["sip"][key]["registrations"] == {}
    assert_mirrors(world, anna, ben)


def test_invalid_sip_commands_are_refused() -> None:
    world, anna, ben = world_with_sessions()
    key = world.sip.create_account("anna", "joe", "example.org", "desk")
    refused(world, lambda: world.sip.create_account("ben", "joe", "example.org"))
    refused(world, lambda: world.sip.create_account("nobody", "x", "example.org"))
    refused(world, lambda: world.sip.create_account("anna", "", "example.org"))
    refused(world, lambda: world.sip.modify(key, "desk"))
    refused(world, lambda: world.sip.modify("no@such", "x"))
    refused(world, lambda: world.sip.delete("no@such"))
    refused(world, lambda: world.sip.register(key, "sip:desk", 0))
    refused(world, lambda: world.sip.unregister(key, "sip:never"))
    assert_mirrors(world, anna, ben)


def test_dialplan_modify_marks_the_dialplan_stale_in_each_session() -> None:
    world, anna, ben = world_with_sessions()
    world.dialplan.modify("anna")
    assert anna.events[-1]["event"] == "dialplan_modify" and ben.events == []
    assert world.view(anna)["stale"]["dialplan"] == {"id": anna.events[-1]["id"], "time": world.now}
    assert_mirrors(world, anna, ben)


def test_callreverse_start_and_stop() -> None:
    world, anna, ben = world_with_sessions()
    world.dialplan.callreverse_start("anna", "+491", "+492")
    start = world.now
    assert anna.events[-1] == {
        "event": "dialplan_callreverse_start",
        "id": 0,
        "time": start,
        "phone_from": "+491",
        "phone_to": "+492",
    }
    world.advance(30)
    assert world.view(anna)["callreverse"] == {
        "+491 -> +492": {"phone_from": "+491", "phone_to": "+492", "start_time": start}
    }
    assert world.view(ben)["callreverse"] == {}
    refused(world, lambda: world.dialplan.callreverse_start("anna", "+491", "+492"))
    assert_mirrors(world, anna, ben)
    world.dialplan.callreverse_stop("anna", "+491", "+492")
    assert world.view(anna)["callreverse"] == {}
    refused(world, lambda: world.dialplan.callreverse_stop("anna", "+491", "+492"))
    refused(world, lambda: world.dialplan.callreverse_stop("ben", "+491", "+492"))
    assert_mirrors(world, anna, ben)


def test_a_view_seeding_a_new_session_lets_registrations_run_out() -> None:
    world, _, _ = world_with_sessions()
    key = world.sip.create_account("anna", "joe", "example.org")
    world.sip.register(key, "sip:desk", 5)
    late = world.open_session("anna")
    seed = seed_from_view(world.view(late), late.user, world.now)
    assert len(seed.sip[key].registrations) == 1
    world.advance(5)
    assert len(reducers.advance(seed, world.now).sip[key].registrations) == 0
