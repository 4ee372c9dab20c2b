"""The random-day driver and the ``simulated_streams`` strategy built on it."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from typing import Any
from unittest import mock

import msgspec
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

import reducers
from eventmirror.events import EVENT_TYPES
from eventmirror.strategies import simulated_streams
from reducers import Mirror
from simulator import DEFAULT_START, SimulatorError, World, driver
from simulator.driver import commands, run_day
from simulator.mix import MIX
from tests.support import assert_same_state, fold_form


def folded(events: list[dict[str, Any]], me: str, now: int) -> Mirror:
    mirror = reducers.fold((msgspec.json.encode(e) for e in events), strict=True, me=me)
    assert mirror.health.anomaly_count == 0 and not mirror.health.resync
    return reducers.advance(mirror, now)


def assert_mirrors(world: World) -> None:
    for session in world.sessions.values():
        mirror = folded(session.events, session.user, world.now)
        assert_same_state(mirror, world.view(session), world.now, session.id)


@pytest.mark.parametrize("seed", [0, 1, 4])
def test_a_day_of_500_steps_emits_every_event_type(seed: int) -> None:
    world = run_day(seed, steps=500)
    emitted = Counter(e["event"] for s in world.sessions.values() for e in s.events)
    assert sorted(set(EVENT_TYPES) - set(emitted)) == []
    assert set(emitted) <= set(EVENT_TYPES)


def test_the_same_seed_gives_the_same_streams_and_another_seed_others() -> None:
    def streams(seed: int) -> list[bytes]:
        world = run_day(seed, steps=200, users=3)
        return [msgspec.json.encode(s.events) for s in world.sessions.values()]

    assert streams(11) == streams(11)
    assert streams(11) != streams(12)


def test_sessions_open_before_the_first_change_and_know_nothing_yet() -> None:
    world = run_day(5, steps=0, users=6)
    assert [world.names[s.user] for s in world.sessions.values()][:1] == ["anna"]
    assert {world.names[s.user] for s in world.sessions.values()} == set(driver.NAMES[:6])
    per_user = Counter(s.user for s in world.sessions.values())
    assert set(per_user.values()) <= {1, 2}
    for session in world.sessions.values():
        assert session.events == []
        assert world.view(session) == fold_form(reducers.empty(session.user), world.now)


def test_more_users_than_names_get_numbered_names() -> None:
    world = run_day(1, steps=20, users=len(driver.NAMES) + 2)
    assert f"user{len(driver.NAMES) + 2}" in world.users


@pytest.mark.parametrize(("steps", "users"), [(-1, 2), (10, 0)])
def test_a_day_needs_users_and_a_step_count(steps: int, users: int) -> None:
    with pytest.raises(SimulatorError):
        run_day(0, steps=steps, users=users)


def test_the_clock_runs_like_a_working_day() -> None:
    world = run_day(3, steps=500)
    hours = (world.now - DEFAULT_START) / 3600
    assert 4 <= hours <= 20
    for session in world.sessions.values():
        times = [e["time"] for e in session.events]
        assert times == sorted(times)
        # Bursts: several events share a second, and some gaps last minutes.
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert 0 in gaps and max(gaps) >= 300


@given(seed=st.integers(0, 2**32 - 1), steps=st.integers(0, 150), users=st.integers(1, 5))
@settings(max_examples=25)
def test_every_session_of_any_day_folds_strictly_to_its_view(
    seed: int, steps: int, users: int
) -> None:
    assert_mirrors(run_day(seed, steps=steps, users=users))


def test_commands_either_succeed_or_change_nothing_and_most_succeed() -> None:
    world = World(9)
    for name in driver.NAMES[:4]:
        world.add_user(name)
        world.open_session(name)
    rng = random.Random(9)
    succeeded, drawn = Counter[str](), Counter[str]()
    for _, (name, command) in zip(range(400), commands(rng, world), strict=False):
        world.advance(driver.pause(rng))
        before = (world.change, [len(s.events) for s in world.sessions.values()])
        drawn[name] += 1
        try:
            command()
        except SimulatorError:
            assert (world.change, [len(s.events) for s in world.sessions.values()]) == before
        else:
            succeeded[name] += 1
    assert set(drawn) == {name for name, _, _ in MIX}
    assert sum(succeeded.values()) >= 0.7 * sum(drawn.values())
    assert_mirrors(world)


def test_simulated_streams_folds_strictly_to_the_simulator_s_view() -> None:
    original = driver.run_day

    @given(data=st.data())
    @settings(max_examples=20)
    def check(data: st.DataObject) -> None:
        worlds: list[World] = []

        def recording_run_day(*args: Any, **kwargs: Any) -> World:
            worlds.append(original(*args, **kwargs))
            return worlds[-1]

        with mock.patch.object(driver, "run_day", recording_run_day):
            events, me = data.draw(simulated_streams(max_steps=80))
        (world,) = worlds
        session = next(s for s in world.sessions.values() if s.user == me and s.events == events)
        assert [e["id"] for e in events] == list(range(len(events)))
        assert_same_state(folded(events, me, world.now), world.view(session), world.now)

    check()


def test_simulated_streams_are_rich_whole_streams() -> None:
    events, me = find(
        simulated_streams(max_steps=120),
        lambda drawn: len({e["event"] for e in drawn[0]}) >= 15,
        settings=settings(database=None, max_examples=200),
    )
    assert events[0]["id"] == 0
    assert folded(events, me, events[-1]["time"]).applied == len(events)
