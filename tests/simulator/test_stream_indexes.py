"""The simulator's per-object indexes of comments and of detailed-stream subscribers: what
they answer equals a scan, and nothing is left behind when an object goes."""

from __future__ import annotations

from simulator import World


def _world() -> World:
    world = World(3)
    for name in ("anna", "ben"):
        world.add_user(name)
    return world


def test_an_objects_comments_are_its_own_and_go_with_it() -> None:
    world = _world()
    kept = world.objects.create("anna", "contact", "kept")
    gone = world.objects.create("anna", "contact", "gone")
    first = world.comments.add("anna", gone, "one")
    world.comments.add("anna", kept, "two")
    world.comments.add("anna", gone, "three")
    world.comments.delete("anna", first)
    told = world.comments.told(gone, since=0)
    scanned = {u for u, c in world.comments.comments.items() if c.object == gone}
    assert set(told) == scanned and len(scanned) == 1
    world.objects.delete("anna", gone, purge=True)
    assert all(c.object == kept for c in world.comments.comments.values())
    assert list(world.comments._on_object.as_dict()) == [kept]


def test_subscribers_come_in_the_order_their_sessions_opened_and_go_with_the_object() -> None:
    world = _world()
    early, late = world.open_session("anna"), world.open_session("anna")
    conference = world.objects.create("anna", "conference", "weekly")
    world.conference.subscribe(late.id, conference)
    world.conference.subscribe(early.id, conference)
    assert world.conference.subscribers(conference) == [early, late]
    world.objects.delete("anna", conference, purge=True)
    assert world.conference.subscribers(conference) == []
    assert world.conference._subscribed_to.as_dict() == {}
    assert not early.subscriptions and not late.subscriptions
