"""World's users: minted from the seed, or given a fixed UUID."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

import reducers
from simulator import SimulatorError, World
from simulator.driver import run_day
from tests.support import assert_same_state, fold_all, fold_form, seed_from_view

FIXED = "0f6bd8a3-1d2e-4c5b-9a8f-7e6d5c4b3a21"


def test_a_fixed_uuid_draws_nothing_from_the_seed() -> None:
    plain, fixed = World(seed=3), World(seed=3)
    assert fixed.add_user("me", FIXED) == FIXED
    assert fixed.user_id("me") == FIXED and fixed.names[FIXED] == "me"
    assert plain.add_user("anna") == fixed.add_user("anna")


def test_a_uuid_is_one_users_only() -> None:
    world = World()
    world.add_user("me", FIXED)
    with pytest.raises(SimulatorError, match="is the UUID of 'me' already"):
        world.add_user("you", FIXED)


# -- the view: the JSON form from the server's own state ------------------------------------


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return value is None or isinstance(value, str | int | float | bool)


def test_a_view_has_every_section_of_the_json_form_but_the_stream() -> None:
    world = World(seed=1)
    world.add_user("anna")
    session = world.open_session("anna")
    view = world.view(session)
    assert list(view) == list(reducers.SLICES)
    assert view == fold_form(reducers.empty(session.user))
    assert world.view(session.id) == view


@pytest.mark.parametrize("seed", [2, 6])
def test_a_view_is_plain_json_data_the_same_for_the_same_world(seed: int) -> None:
    views = []
    for _ in range(2):
        world = run_day(seed, steps=300)
        views.append([world.view(s) for s in world.sessions.values()])
    assert views[0] == views[1]
    for view in views[0]:
        assert _plain(view)
        assert msgspec.json.decode(msgspec.json.encode(view)) == view
    assert any(view["objects"] and view["chats"] for view in views[0])


def test_a_view_is_the_caller_s_to_change() -> None:
    world = World(seed=1)
    world.add_user("anna")
    session = world.open_session("anna")
    world.metadata.set_user("anna", {"colours": ["red"]})
    view = world.view(session)
    view["user_metadata"]["colours"].append("blue")
    view["tags"]["x"] = {}
    assert world.view(session)["user_metadata"] == {"colours": ["red"]}
    assert world.view(session)["tags"] == {}


def test_an_unknown_session_has_no_view() -> None:
    with pytest.raises(SimulatorError, match="no session 's9'"):
        World().view("s9")
    worlds = World(seed=1), World(seed=2)
    for world in worlds:
        world.add_user("anna")
    elsewhere = worlds[1].open_session("anna")
    worlds[0].open_session("anna")
    with pytest.raises(SimulatorError, match="'s1' belongs to another world"):
        worlds[0].view(elsewhere)


def test_a_late_session_seeded_from_the_view_loads_to_the_same_form() -> None:
    world = run_day(3, steps=300)
    for name in world.users:
        late = world.open_session(name)
        view = world.view(late)
        seed = seed_from_view(view, late.user, world.now)
        assert (seed.me, seed.now, seed.last_id) == (late.user, world.now, None)
        assert_same_state(seed, view, world.now, late.id)


def test_values_the_platform_sends_as_null_stay_in_the_view() -> None:
    world = World(seed=4)
    world.add_user("anna")
    session = world.open_session("anna")
    note = world.objects.create("anna", "note")
    sensor = world.objects.create("anna", "sensor", "Door")
    world.sensor.subscribe(session, sensor)
    world.metadata.set_user("anna", {"colour": None})
    world.metadata.set_object("anna", note, {"pinned": None})
    world.sensor.action(sensor, 1000, [1, None], "ok", world.new_uuid())
    view = world.view(session)
    assert view["user_metadata"] == {"colour": None}
    assert view["objects"][note]["metadata"] == {"pinned": None}
    assert "description" not in view["objects"][note]
    assert view["sensors"][sensor]["action"] == {"1000": [1, None]}
    folded = fold_all(session.events, me=session.user)
    assert_same_state(folded, view, world.now, session.id)
