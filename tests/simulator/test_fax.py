"""Fax, announcement and box on the server: who is told, refusals, and fold == view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from simulator import SimulatorError, World
from tests.support import assert_sessions_mirror


def world_with_reader() -> tuple[World, str, str]:
    """anna owns a tag ben reads; carl sees nothing of anna's objects."""
    world = World(seed=1)
    for name in ("anna", "ben", "carl"):
        world.add_user(name)
        world.open_session(name)
    return world, world.tags.create("anna", "shared", policy={"ben": 1}), "anna"


def assert_mirrors(world: World) -> None:
    assert_sessions_mirror(world)


def received(world: World, name: str) -> list[str]:
    user = world.user_id(name)
    return [e["event"] for s in world.sessions.values() if s.user == user for e in s.events]


def unchanged(world: World, command: Callable[[], Any]) -> None:
    before = ([len(s.events) for s in world.sessions.values()], world.change)
    with pytest.raises(SimulatorError):
        command()
    assert ([len(s.events) for s in world.sessions.values()], world.change) == before


def test_fax_convert_and_reports_reach_readers_only() -> None:
    world, tag, _ = world_with_reader()
    fax = world.objects.create("anna", "fax", "invoice", tags=[tag])
    world.fax.upload_and_convert("anna", fax, 4)
    report = world.new_uuid()
    world.fax.report(fax, {report: {"status": "busy"}})
    world.fax.report(fax, {report: {"status": "ok", "incoming": True}})
    assert received(world, "ben")[-3:] == ["fax_convert", "fax_report", "fax_report"]
    assert "fax_convert" not in received(world, "carl")
    ben = world.sessions["s2"]
    view = world.view(ben.id)["faxes"][fax]
    assert view == {
        "converted": True,
        "page_count": 4,
        "report": {report: {"status": "ok", "incoming": True}},
    }
    assert_mirrors(world)


def test_failed_conversion_sends_no_page_count() -> None:
    world, _, _ = world_with_reader()
    fax = world.objects.create("anna", "fax")
    world.fax.upload_and_convert("anna", fax, None)
    event = world.sessions["s1"].events[-1]
    assert event["event"] == "fax_convert" and "page_count" not in event
    assert world.view("s1")["faxes"][fax] == {"converted": False, "report": {}}
    assert_mirrors(world)


def test_a_user_shared_later_knows_only_what_came_after() -> None:
    world, tag, _ = world_with_reader()
    fax = world.objects.create("anna", "fax")
    world.fax.upload_and_convert("anna", fax, 2)
    world.objects.retag("anna", fax, add=[tag])
    assert fax not in world.view("s2")["faxes"]
    report = world.new_uuid()
    world.fax.report(fax, {report: {}})
    # Neither converted nor page_count: ben never heard of the conversion.
    assert world.view("s2")["faxes"][fax] == {"report": {report: {}}}
    assert_mirrors(world)


def test_invalid_fax_commands_change_nothing() -> None:
    world, _, _ = world_with_reader()
    fax = world.objects.create("anna", "fax")
    note = world.objects.create("anna", "note")
    world.fax.upload_and_convert("anna", fax, 1)
    report = world.new_uuid()
    world.fax.report(fax, {report: {"status": "ok"}})
    unchanged(world, lambda: world.fax.upload_and_convert("anna", note, 1))
    unchanged(world, lambda: world.fax.upload_and_convert("ben", fax, 3))
    unchanged(world, lambda: world.fax.upload_and_convert("anna", fax, 1))
    unchanged(world, lambda: world.fax.upload_and_convert("anna", fax, -1))
    unchanged(world, lambda: world.fax.report(fax, {report: {"status": "ok"}}))
    unchanged(world, lambda: world.fax.report(fax, {}))
    unchanged(world, lambda: world.fax.report(fax, {report: {"status": 3}}))
    unchanged(world, lambda: world.fax.report(world.new_uuid(), {report: {}}))


def test_announcement_convert() -> None:
    world, tag, _ = world_with_reader()
    announcement = world.objects.create("anna", "announcement", tags=[tag])
    world.announcement.convert("anna", announcement, False)
    assert "success" not in world.sessions["s2"].events[-1]
    world.announcement.convert("anna", announcement, True)
    assert world.sessions["s2"].events[-1]["success"] is True
    assert world.view("s2")["announcements"][announcement] == {"converted": True}
    assert "announcement_convert" not in received(world, "carl")
    unchanged(world, lambda: world.announcement.convert("anna", announcement, True))
    unchanged(world, lambda: world.announcement.convert("ben", announcement, False))
    unchanged(world, lambda: world.announcement.convert("anna", tag, False))
    assert_mirrors(world)


def test_box_online_offline_keeps_the_last_device_info() -> None:
    world, tag, _ = world_with_reader()
    box = world.objects.create("anna", "box", "basement")
    world.box.online(box, "10.0.0.1", "00:11", "1.0", "X86")
    world.objects.retag("anna", box, add=[tag])
    world.advance(5)
    world.box.offline(box)
    anna, ben = world.view("s1")["boxes"][box], world.view("s2")["boxes"][box]
    assert (anna["online"], anna["ip_addr"], anna["changed"]) == (False, "10.0.0.1", world.now)
    # ben was shared the box after it came online: he never heard its address.
    assert (ben["online"], ben["description"]) == (False, "basement") and "ip_addr" not in ben
    assert "box_offline" not in received(world, "carl")
    unchanged(world, lambda: world.box.offline(box))
    world.box.online(box, "10.0.0.2", "00:11", "1.0", "X86")
    unchanged(world, lambda: world.box.online(box, "10.0.0.2", "00:11", "1.0", "X86"))
    unchanged(world, lambda: world.box.online(tag, "10.0.0.2", "00:11", "1.0", "X86"))
    assert_mirrors(world)


def test_purging_an_object_forgets_its_state() -> None:
    world, tag, _ = world_with_reader()
    fax = world.objects.create("anna", "fax", tags=[tag])
    box = world.objects.create("anna", "box", tags=[tag])
    world.fax.upload_and_convert("anna", fax, 1)
    world.box.online(box, "1", "2", "3", "4")
    world.objects.delete("anna", fax, purge=True)
    world.objects.delete("anna", box, purge=True)
    assert fax not in world.fax.conversions and box not in world.box.boxes
    assert world.view("s2")["faxes"] == world.view("s2")["boxes"] == {}
    assert_mirrors(world)
