"""Conferences, sensors and calls on the server: who receives what, refusals, and views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from simulator import Session, SimulatorError, World
from tests.support import assert_sessions_mirror

M1 = "00000000-0000-4000-8000-00000000a001"
M2 = "00000000-0000-4000-8000-00000000a002"
CALL = "00000000-0000-4000-8000-00000000c001"


def kinds(session: Session) -> list[str]:
    return [e["event"] for e in session.events]


def refused(world: World, command: Callable[[], Any]) -> None:
    before = (world.change, {s.id: len(s.events) for s in world.sessions.values()})
    with pytest.raises(SimulatorError):
        command()
    assert (world.change, {s.id: len(s.events) for s in world.sessions.values()}) == before


@pytest.fixture
def world() -> World:
    world = World(seed=3)
    for name in ("anna", "ben", "carl"):
        world.add_user(name)
    return world


def test_detailed_stream_reaches_only_subscribers(world: World) -> None:
    anna, ben = world.open_session("anna"), world.open_session("ben")
    other = world.open_session("anna")
    tag = world.tags.create("anna", "team", policy={"ben": 1})
    room = world.objects.create("anna", "conference", "Room", tags=[tag])
    world.conference.subscribe(anna.id, room)
    assert ("conference", room) in anna.subscriptions
    assert kinds(anna)[-1] == "conference_status"
    world.conference.join("ben", room, M1, phone="+49")
    world.conference.update(room, M1, mute=True, volume_in=2)
    assert kinds(anna)[-3:] == ["conference_start", "conference_join", "conference_update"]
    assert anna.events[-1]["member"] == {M1: {"mute": True, "volume_in": 2}}
    assert kinds(ben)[-1] == kinds(other)[-1] == "conference_start"
    world.conference.leave(room, M1)
    assert kinds(anna)[-2:] == ["conference_leave", "conference_stop"]
    assert kinds(ben)[-1] == "conference_stop"
    assert_sessions_mirror(world)
    assert world.view(anna.id)["conferences"][room]["live"] is False


def test_status_tells_a_late_subscriber_every_member(world: World) -> None:
    anna = world.open_session("anna")
    room = world.objects.create("anna", "conference", "Room")
    world.conference.join("anna", room, M1)
    world.conference.join(None, room, M2, phone="+1")
    world.conference.subscribe(anna.id, room)
    assert set(anna.events[-1]["member"]) == {M1, M2}
    assert_sessions_mirror(world)
    world.conference.stop(room)
    assert world.view(anna.id)["conferences"][room]["member"] == {}
    assert_sessions_mirror(world)


def test_losing_read_access_ends_the_subscription(world: World) -> None:
    ben = world.open_session("ben")
    tag = world.tags.create("anna", "team", policy={"ben": 1})
    room = world.objects.create("anna", "conference", "Room", tags=[tag])
    world.conference.subscribe(ben.id, room)
    world.objects.retag("anna", room, remove=[tag])
    world.conference.join(None, room, M1)
    assert "conference_join" not in kinds(ben)
    assert ("conference", room) not in ben.subscriptions
    world.objects.retag("anna", room, add=[tag])
    world.conference.join(None, room, M2)
    assert kinds(ben)[-1] == "object_share"
    assert room not in world.view(ben.id)["conferences"]
    assert_sessions_mirror(world)


def test_invalid_conference_commands_change_nothing(world: World) -> None:
    ben = world.open_session("ben")
    room = world.objects.create("anna", "conference", "Room")
    note = world.objects.create("anna", "note", "text")
    refused(world, lambda: world.conference.subscribe(ben.id, room))
    refused(world, lambda: world.conference.join(None, note, M1))
    refused(world, lambda: world.conference.leave(room, M1))
    refused(world, lambda: world.conference.stop(room))
    world.conference.join(None, room, M1)
    refused(world, lambda: world.conference.join(None, room, M1))
    refused(world, lambda: world.conference.update(room, M1, mute=False))
    refused(world, lambda: world.conference.update(room, M1, volume_out=5))
    refused(world, lambda: world.conference.update(room, M1, phone="+1"))
    refused(world, lambda: world.conference.update(room, M2, mute=True))


def test_purging_forgets_the_conference(world: World) -> None:
    anna = world.open_session("anna")
    room = world.objects.create("anna", "conference", "Room")
    world.conference.subscribe(anna.id, room)
    world.conference.join(None, room, M1)
    world.objects.delete("anna", room, purge=True)
    assert room not in world.conference.conferences
    assert anna.subscriptions == set()
    assert_sessions_mirror(world)


def test_sensor_data_reaches_subscribers_from_subscribing_on(world: World) -> None:
    anna, ben = world.open_session("anna"), world.open_session("anna")
    sensor = world.objects.create("anna", "sensor", "Thermo")
    world.sensor.subscribe(anna.id, sensor)
    world.sensor.data(sensor, {1000: [20.5]})
    world.sensor.subscribe(ben.id, sensor)
    world.sensor.data(sensor, {2000: [21]})
    world.sensor.action(sensor, 3000, [1], "ok", CALL)
    assert kinds(anna)[-3:] == ["sensor_data", "sensor_data", "sensor_action"]
    assert kinds(ben)[-2:] == ["sensor_data", "sensor_action"]
    assert world.view(ben.id)["sensors"][sensor]["data"] == {"2000": [21]}
    assert world.view(anna.id)["sensors"][sensor]["action_status"][CALL] == "ok"
    refused(world, lambda: world.sensor.data(sensor, {2000: [21]}))
    refused(world, lambda: world.sensor.action(sensor, 3000, [1], "ok", CALL))
    refused(world, lambda: world.sensor.data(sensor, {-1: [0]}))
    assert_sessions_mirror(world)


def test_calls_reach_the_users_enabled_sessions(world: World) -> None:
    anna, quiet, ben = (world.open_session(n) for n in ("anna", "anna", "ben"))
    world.call.enable(anna.id)
    world.call.enable(ben.id)
    assert ("call", "") in anna.subscriptions
    world.call.update("anna", CALL, status="ringing", bridge="b1")
    world.call.update("anna", CALL, bridge="")
    world.call.dtmf("anna", CALL, "5", 80)
    assert kinds(anna)[-3:] == ["call_update", "call_update", "call_dtmf"]
    assert quiet.events == [] and ben.events == []
    call = world.view(anna.id)["calls"][CALL]
    assert call == {"status": "ringing", "dtmf": [["5", 80, world.now]]}
    world.call.update("anna", "00000000-0000-4000-8000-00000000c002", status="ringing")
    assert world.view(anna)["calls"]["00000000-0000-4000-8000-00000000c002"] == {
        "status": "ringing",
        "dtmf": [],
    }
    refused(world, lambda: world.call.enable(anna.id))
    refused(world, lambda: world.call.update("anna", CALL, status="ringing"))
    refused(world, lambda: world.call.update("anna", CALL, bridge=""))
    refused(world, lambda: world.call.update("anna", CALL, colour="red"))
    refused(world, lambda: world.call.dtmf("ben", CALL, "5", 80))
    refused(world, lambda: world.call.dtmf("anna", CALL, "x", 80))
    assert_sessions_mirror(world)


def test_subscribing_to_an_idle_conference_shows_it_empty(world: World) -> None:
    anna = world.open_session("anna")
    room = world.objects.create("anna", "conference", "Room")
    world.conference.subscribe(anna.id, room)
    assert world.view(anna.id)["conferences"][room] == {"live": False, "member": {}}
    assert_sessions_mirror(world)
