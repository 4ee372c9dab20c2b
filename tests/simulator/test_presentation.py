"""Presentations on the server: who receives what, refusals, and views."""

from __future__ import annotations

import pytest

from simulator import World
from tests.support import assert_sessions_mirror

from .test_conference import kinds, refused


@pytest.fixture
def world() -> World:
    world = World(seed=5)
    for name in ("anna", "ben", "carl"):
        world.add_user(name)
    return world


def test_convert_start_stop_reach_every_reader(world: World) -> None:
    anna, ben, carl = (world.open_session(n) for n in ("anna", "ben", "carl"))
    tag = world.tags.create("anna", "team", policy={"ben": 1})
    slides = world.objects.create("anna", "presentation", "Slides", tags=[tag])
    world.presentation.convert(slides, 12)
    world.presentation.start("ben", slides)
    world.presentation.stop("ben", slides)
    for session in (anna, ben):
        assert kinds(session)[-3:] == [
            "presentation_convert",
            "presentation_start",
            "presentation_stop",
        ]
    assert "presentation_convert" not in kinds(carl)
    seen = world.view(anna.id)["presentations"][slides]
    assert (seen["page_count"], seen["live"], seen["member"]) == (12, False, [])
    assert "moderator" not in seen and "page" not in seen
    assert_sessions_mirror(world)


def test_detailed_events_reach_subscribers_and_keepalive_members(world: World) -> None:
    anna, ben, idle = (world.open_session(n) for n in ("anna", "ben", "ben"))
    slides = world.objects.create("anna", "presentation", "Slides", tags=[])
    world.objects.retag("anna", slides, add=[world.tags.create("anna", "t", policy={"ben": 1})])
    world.presentation.subscribe(anna.id, slides)
    world.presentation.subscribe(ben.id, slides)
    world.presentation.start("anna", slides)
    world.presentation.join("ben", slides)
    world.presentation.update(slides, page=3, x=0.5)
    assert ben.events[-1] == {**ben.events[-1], "page": 3, "x": 0.5}
    assert "y" not in ben.events[-1]
    world.advance(5)
    world.presentation.keepalive(slides)
    assert kinds(anna)[-1] == kinds(ben)[-1] == "presentation_keepalive"
    assert kinds(idle)[-1] == "presentation_start"
    world.presentation.leave("ben", slides)
    world.presentation.keepalive(slides)
    assert kinds(ben)[-1] == "presentation_leave"
    seen = world.view(ben.id)["presentations"][slides]
    assert (seen["member"], seen["page"], seen["keepalive"]) == (
        [world.user_id("anna")],
        3,
        world.now,
    )
    assert "page" not in world.view(idle.id)["presentations"][slides]
    assert_sessions_mirror(world)


def test_status_after_subscribing_carries_the_whole_state(world: World) -> None:
    anna = world.open_session("anna")
    slides = world.objects.create("anna", "presentation", "Slides")
    world.presentation.start("anna", slides)
    world.presentation.update(slides, page=2, visible=True)
    world.presentation.subscribe(anna.id, slides)
    status = anna.events[-1]
    assert status["event"] == "presentation_status"
    assert (status["page"], status["visible"], status["member"]) == (2, True, [anna.user])
    assert_sessions_mirror(world)


def test_invalid_presentation_commands_change_nothing(world: World) -> None:
    anna = world.open_session("anna")
    slides = world.objects.create("anna", "presentation", "Slides")
    room = world.objects.create("anna", "conference", "Room")
    refused(world, lambda: world.presentation.start("ben", slides))
    refused(world, lambda: world.presentation.start("anna", room))
    refused(world, lambda: world.presentation.join("anna", slides))
    refused(world, lambda: world.presentation.update(slides, page=1))
    refused(world, lambda: world.presentation.stop(None, slides))
    world.presentation.convert(slides, None)
    refused(world, lambda: world.presentation.convert(slides, None))
    world.presentation.start("anna", slides)
    refused(world, lambda: world.presentation.start("anna", slides))
    refused(world, lambda: world.presentation.join("anna", slides))
    refused(world, lambda: world.presentation.join("ben", slides))
    refused(world, lambda: world.presentation.leave("anna", slides))
    refused(world, lambda: world.presentation.update(slides, page=1))
    refused(world, lambda: world.presentation.update(slides, x=1.5))
    refused(world, lambda: world.presentation.update(slides, moderator="ben"))
    refused(world, lambda: world.presentation.keepalive(slides))
    refused(world, lambda: world.presentation.subscribe("s9", slides))
    world.presentation.subscribe(anna.id, slides)
    refused(world, lambda: world.presentation.subscribe(anna.id, slides))
    assert world.view(anna.id)["presentations"][slides]["converted"] is False
    assert_sessions_mirror(world)
