"""Closing a session: it receives nothing more, its subscriptions end, its id is not reused."""

from __future__ import annotations

import pytest

from simulator import SimulatorError, World


def _world() -> tuple[World, str]:
    world = World(seed=4)
    world.add_user("anna")
    world.add_user("ben")
    tag = world.tags.create("anna", "Shared", policy={"ben": 1})
    return world, tag


def test_a_closed_session_receives_nothing_more_and_the_others_still_do() -> None:
    world, tag = _world()
    closing, staying = world.open_session("ben"), world.open_session("ben")
    world.objects.create("anna", "contact", "Hans", tags=[tag])
    sent = len(closing.events)
    world.close_session(closing.id)
    world.objects.create("anna", "contact", "Grete", tags=[tag])
    assert closing.closed and len(closing.events) == sent
    assert len(staying.events) == sent + 1
    assert world.open_session("ben").id == "s3"


def test_a_closed_sessions_subscriptions_end() -> None:
    world, tag = _world()
    session = world.open_session("ben")
    conference = world.objects.create("anna", "conference", "Daily", tags=[tag])
    world.conference.subscribe(session, conference)
    world.call.enable(session)
    world.close_session(session)
    assert session.subscriptions == set()
    assert world.conference.subscribers(conference) == []
    assert session.id not in world.call.enabled
    assert world.subscribed("conference", conference) == []


@pytest.mark.parametrize("use", ["view", "close_session", "subscribe"])
def test_a_closed_session_cannot_be_used(use: str) -> None:
    world, _ = _world()
    session = world.open_session("ben")
    world.close_session(session)
    with pytest.raises(SimulatorError, match="session 's1' was closed"):
        if use == "subscribe":
            world.call.enable(session.id)
        else:
            getattr(world, use)(session.id)
