"""Re-sends on purpose: status again and periodically, keepalives nobody answers, a box online
again. Who receives them, when they are stamped, how they are marked, and the refusals."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import reducers
from simulator import Session, SimulatorError, World
from simulator.resend import is_resend, resends

DOCS = Path(__file__).resolve().parents[2] / "docs" / "simulator.md"
MEMBER = "00000000-0000-4000-8000-00000000a001"


def staged(kind: str) -> tuple[World, str, Session, Session]:
    """anna's ``kind`` object shared with ben; ben's desk subscribes (if it has a stream), his
    phone does not."""
    world = World(seed=3)
    world.add_user("anna")
    world.add_user("ben")
    tag = world.tags.create("anna", "Team", policy={"ben": 1})
    uuid = world.objects.create("anna", kind, f"Weekly {kind}", tags=[tag])
    desk, phone = world.open_session("ben"), world.open_session("ben")
    if kind in ("conference", "presentation"):
        getattr(world, kind).subscribe(desk.id, uuid)
    return world, uuid, desk, phone


def kinds(session: Session, start: int = 0) -> list[tuple[str, int]]:
    return [(e["event"], e["time"]) for e in session.events[start:]]


def refused(world: World, command: Callable[[], Any], match: str) -> None:
    before = ({s.id: len(s.events) for s in world.sessions.values()}, world.change)
    with pytest.raises(SimulatorError, match=match):
        command()
    assert ({s.id: len(s.events) for s in world.sessions.values()}, world.change) == before


def folded(session: Session) -> reducers.Mirror:
    return reducers.fold(session.events, strict=True, me=session.user)


@pytest.mark.parametrize("kind", ["conference", "presentation"])
def test_status_again_reaches_subscribers_only_and_is_marked(kind: str) -> None:
    world, uuid, desk, phone = staged(kind)
    domain = getattr(world, kind)
    before, phone_before = len(desk.events), list(phone.events)
    world.advance(7)
    domain.resend_status(uuid)
    assert kinds(desk, before) == [(f"{kind}_status", world.now)]
    assert desk.events[-2][kind] == desk.events[-1][kind] == uuid
    # The same status as on subscribing: only id and time differ.
    drop = ("id", "time")
    assert {k: v for k, v in desk.events[-1].items() if k not in drop} == {
        k: v for k, v in desk.events[before - 1].items() if k not in drop
    }
    assert desk.resent == {before}
    assert phone.events == phone_before and not phone.resent


@pytest.mark.parametrize("kind", ["conference", "presentation"])
def test_status_again_needs_a_subscriber_and_names_the_object(kind: str) -> None:
    world, uuid, _, _ = staged(kind)
    other = world.objects.create("anna", kind, "Quiet room")
    refused(world, lambda: getattr(world, kind).resend_status(other), "'Quiet room' .* has no")
    contact = world.objects.create("anna", "contact", "Hans")
    refused(world, lambda: getattr(world, kind).resend_status(contact), f"not a {kind}")
    refused(world, lambda: getattr(world, kind).status_every(uuid, 0), "1 second or more")
    refused(world, lambda: getattr(world, kind).stop_status_every(uuid), "sends no periodic")


@pytest.mark.parametrize("kind", ["conference", "presentation"])
def test_periodic_status_falls_due_on_the_clock_until_stopped(kind: str) -> None:
    world, uuid, desk, phone = staged(kind)
    domain = getattr(world, kind)
    start, before = world.now, len(desk.events)
    domain.status_every(uuid, 30)
    world.advance(95)
    assert kinds(desk, before) == [(f"{kind}_status", start + t) for t in (30, 60, 90)]
    assert desk.resent == set(range(before, before + 3))
    # Restarting replaces the period: it counts from now.
    domain.status_every(uuid, 10)
    world.advance(25)
    assert [t - start for _, t in kinds(desk, before + 3)] == [105, 115]
    domain.stop_status_every(uuid)
    world.advance(100)
    assert len(desk.events) == before + 5
    assert world.clock.pending() == []
    assert not [e for e in phone.events if e["event"] == f"{kind}_status"]


def test_a_period_outlasts_a_quiet_spell_and_ends_with_its_object() -> None:
    world, uuid, desk, _ = staged("conference")
    world.conference.status_every(uuid, 10)
    world.conference.join(None, uuid, MEMBER, phone="+4930")
    world.objects.retag("anna", uuid, remove=list(world.objects.get(uuid).tags))
    before = len(desk.events)
    world.advance(30)  # ben lost access: nobody is subscribed, nothing is sent
    assert len(desk.events) == before
    assert len(world.clock.pending()) == 1
    world.objects.delete("anna", uuid, purge=True)
    assert world.clock.pending() == []


def test_keepalives_nobody_answers_go_on_while_a_member_is_subscribed() -> None:
    world, uuid, desk, phone = staged("presentation")
    start = world.now
    world.presentation.keepalive_every(uuid, 20)
    world.advance(20)  # not live yet: nobody to ask
    world.presentation.start("anna", uuid)
    world.presentation.join("ben", uuid)
    before = len(desk.events)
    world.advance(45)
    assert kinds(desk, before) == [
        ("presentation_keepalive", start + 40),
        ("presentation_keepalive", start + 60),
    ]
    assert folded(desk).presentations[uuid].keepalive == start + 60
    assert not [e for e in phone.events if e["event"] == "presentation_keepalive"]
    world.presentation.stop("anna", uuid)
    world.advance(60)
    assert kinds(desk)[-1] == ("presentation_stop", start + 65)
    world.presentation.stop_keepalive_every(uuid)
    refused(world, lambda: world.presentation.stop_keepalive_every(uuid), "'Weekly presentation'")


def test_a_box_comes_online_again_with_what_it_reported_last() -> None:
    world, box, desk, phone = staged("box")
    refused(world, lambda: world.box.online_again(box), "'Weekly box' .* is not online")
    world.box.online(box, "10.0.0.7", "00:11", "1.0", "X86")
    refused(
        world,
        lambda: world.box.online(box, "10.0.0.7", "00:11", "1.0", "X86"),
        r"online with that address and versions already \(box.online_again",
    )
    first = desk.events[-1]
    world.advance(300)
    world.box.online_again(box)
    again = desk.events[-1]
    assert again == {**first, "id": first["id"] + 1, "time": first["time"] + 300}
    assert desk.resent == phone.resent == {again["id"]}
    assert folded(desk).boxes[box].changed == world.now
    world.box.offline(box)
    refused(world, lambda: world.box.online_again(box), "is not online")


def test_the_same_commands_give_the_same_streams() -> None:
    def run() -> list[list[dict[str, Any]]]:
        world, uuid, _, _ = staged("presentation")
        world.presentation.start("anna", uuid)
        world.presentation.join("ben", uuid)
        world.presentation.status_every(uuid, 7)
        world.presentation.keepalive_every(uuid, 7)
        world.advance(50)
        return [session.events for session in world.sessions.values()]

    assert run() == run()


def test_the_declared_resends_are_the_ones_the_docs_list() -> None:
    world = World()
    declared = resends(world)
    assert declared == [
        "conference.resend_status",
        "box.online_again",
        "presentation.keepalive",
        "presentation.resend_status",
    ]
    for name in declared:
        domain, method = name.split(".")
        assert is_resend(getattr(getattr(world, domain), method))
    assert not is_resend(world.box.online) and not is_resend(world.conference.status_every)
    section = DOCS.read_text().split("## Re-sends, periodic status and the clock queue", 1)[1]
    section = section.split("\n## ", 1)[0]
    listed = re.search(r"Declared re-sends: ((?:`[\w.]+`,?\s*)+)", section)
    assert listed is not None, "the docs section lists the declared re-sends"
    assert re.findall(r"`(\w+\.\w+)`", listed.group(1)) == declared
