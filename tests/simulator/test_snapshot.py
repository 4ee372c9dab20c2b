"""A world's snapshot: byte-identical round trips, the same future for a copy, and a clear
error naming the path for every bad document."""

from __future__ import annotations

import contextlib
import copy as deepcopy
import random
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import SimulatorError, World, snapshot
from simulator.driver import commands, pause, run_day
from simulator.snapshot import FORMAT, SnapshotError, state_of


def _with_timers(world: World, rng: random.Random) -> None:
    """Periodic re-sends and typing expiries on the clock, which the random day rarely leaves."""
    for uuid in list(world.objects.objects):
        for start in (
            world.conference.status_every,
            world.presentation.status_every,
            world.presentation.keepalive_every,
        ):
            with contextlib.suppress(SimulatorError):
                start(uuid, rng.randint(1, 120))
    for uuid, chat in list(world.chat.chats.items()):
        for member in list(chat.joined)[:2]:
            with contextlib.suppress(SimulatorError):
                world.chat.typing(member, uuid, rng.randint(1, 900))


def _go_on(world: World, seed: int, steps: int) -> None:
    """The same further random commands for the same world state and seed."""
    rng = random.Random(seed)
    draw = commands(rng, world)
    for _ in range(steps):
        world.advance(pause(rng))
        _, command = next(draw)
        with contextlib.suppress(SimulatorError):
            command()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**16),
    steps=st.integers(0, 150),
    further=st.integers(1, 80),
    timers=st.booleans(),
)
def test_a_copy_round_trips_byte_for_byte_and_has_the_same_future(
    seed: int, steps: int, further: int, timers: bool
) -> None:
    world = run_day(seed, steps=steps)
    if timers:
        _with_timers(world, random.Random(seed))
    document = snapshot.dumps(world)
    copy = snapshot.loads(document)
    assert snapshot.dumps(copy) == document
    _go_on(world, seed + 1, further)
    _go_on(copy, seed + 1, further)
    assert snapshot.dumps(copy) == snapshot.dumps(world)
    for session in world.sessions.values():
        assert copy.sessions[session.id].events == session.events


def test_timers_fall_due_in_the_copy_as_in_the_world() -> None:
    world = World(seed=2)
    anna = world.add_user("anna")
    world.add_user("ben")
    session = world.open_session("ben")
    tag = world.tags.create("anna", "Team", policy={"ben": 1})
    conference = world.objects.create("anna", "conference", "Daily", tags=[tag])
    world.conference.subscribe(session, conference)
    world.conference.status_every(conference, 30)
    chat = world.chat.create("anna", "Lunch")
    world.chat.typing(anna, chat, 45)
    world.sip.create_account("ben", "desk", "example.org")
    world.sip.register("desk@example.org", "sip:desk@10.0.0.5", 50)
    copy = snapshot.copy(world)
    assert [t.label for _, t in copy.clock.pending()] == [t.label for _, t in world.clock.pending()]
    for each in (world, copy):
        each.advance(100)
    assert copy.sessions["s1"].events == session.events
    assert sum(e["event"] == "conference_status" for e in session.events) == 4
    assert snapshot.dumps(copy) == snapshot.dumps(world)


def test_closed_sessions_and_the_uuid_generator_carry_over() -> None:
    world = run_day(5, steps=40)
    world.close_session("s1")
    copy = snapshot.copy(world)
    assert copy.sessions["s1"].closed
    with pytest.raises(SimulatorError, match="was closed"):
        copy.view("s1")
    assert copy.new_uuid() == world.new_uuid()
    assert copy.open_session("anna").id == world.open_session("anna").id


def test_the_document_is_sorted_records_and_names_its_format() -> None:
    document = snapshot.export(run_day(1, steps=30))
    assert document["format"] == FORMAT
    assert list(document) == sorted(document)
    assert list(document["domains"]) == sorted(document["domains"])
    assert all(list(s) == sorted(s) for s in document["sessions"])


def test_every_attribute_of_every_domain_is_in_the_snapshot() -> None:
    world = run_day(2, steps=20)
    for domain in world.domains:
        held = set(state_of(domain)) | set(domain.rearmed) | {"world"}
        assert set(vars(domain)) == held, domain.name


# -- bad documents ---------------------------------------------------------------------------


def _document() -> dict[str, Any]:
    world = World(seed=3)
    world.add_user("anna")
    world.add_user("ben")
    session = world.open_session("ben")
    tag = world.tags.create("anna", "Team", policy={"ben": 1})
    conference = world.objects.create("anna", "conference", "Daily", tags=[tag])
    world.conference.subscribe(session, conference)
    world.conference.status_every(conference, 30)
    chat = world.chat.create("anna", "Lunch")
    world.chat.typing("anna", chat, 45)
    world.sip.create_account("ben", "desk", "example.org")
    world.sip.register("desk@example.org", "sip:desk@10.0.0.5", 50)
    document: dict[str, Any] = msgspec.json.decode(snapshot.dumps(world))
    return document


def _bad(change: Any) -> dict[str, Any]:
    document = _document()
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "path", "says"),
    [
        (lambda d: d.update(format="eventmirror-world/0"), "$.format", "expected"),
        (lambda d: d.pop("clock"), "$", "'clock' is missing"),
        (lambda d: d.update(extra=1), "$.extra", "unknown key"),
        (lambda d: d["clock"].update(now="noon"), "$.clock.now", "whole number"),
        (lambda d: d["sessions"][0].update(user="nobody"), "$.sessions[0].user", "no user"),
        (lambda d: d["sessions"][0].update(id="s7"), "$.sessions[0].id", "'s1'"),
        (lambda d: d["sessions"][0]["events"][0].update(id=5), "$.sessions[0].events[0].id", "0"),
        (lambda d: d["sessions"][0].update(closed="no"), "$.sessions[0].closed", "bool"),
        (
            lambda d: d["domains"]["tags"]["tags"][next(iter(d["domains"]["tags"]["tags"]))].update(
                label=7
            ),
            '$.domains.tags.tags["',
            "expected a string, got a number",
        ),
        (
            lambda d: d["domains"]["objects"]["visible_since"].append("x"),
            "$.domains.objects.visible_since[",
            "[key, value] pair",
        ),
        (
            lambda d: d["domains"]["objects"]["visible_since"].append(
                d["domains"]["objects"]["visible_since"][0]
            ),
            "$.domains.objects.visible_since[",
            "given twice",
        ),
        (lambda d: d["domains"]["tags"].update(more={}), "$.domains.tags.more", "unknown key"),
        (lambda d: d["clock"]["pending"][0].update(label=["fax"]), "$.clock.pending[0].label", ""),
        (
            lambda d: d["clock"]["pending"][0].update(label=["conference", "status", "nothing"]),
            "$.clock.pending[0].label",
            "names nothing",
        ),
        (lambda d: d["clock"]["pending"][0].update(due=0), "$.clock.pending[0].due", "after"),
        (lambda d: d["clock"]["pending"][0].update(period=0), "$.clock.pending[0].period", ">= 1"),
        (lambda d: d["random"].update(words=[1, 2]), "$.random.words", "625"),
        (lambda d: d["random"].update(version=9), "$.random", "random generator"),
        (lambda d: d["users"].update(cara=d["users"]["anna"]), "$.users.cara", "UUID of 'anna'"),
    ],
)
def test_a_bad_document_is_refused_naming_the_path(change: Any, path: str, says: str) -> None:
    with pytest.raises(SnapshotError) as refused:
        snapshot.load_world(_bad(change))
    assert refused.value.path.startswith(path), str(refused.value)
    assert says in str(refused.value)


@pytest.mark.parametrize(
    "data", [b"", b"{", b"[]", b"null", b'"x"', "\ud800".encode("utf-8", "surrogatepass")]
)
def test_what_is_no_json_object_is_refused_at_the_top(data: bytes) -> None:
    with pytest.raises(SnapshotError) as refused:
        snapshot.loads(data)
    assert refused.value.path == "$"


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            found += _paths(item, (*at, index))
    return found


_DOCUMENT = _document()
_PATHS = [path for path in _paths(_DOCUMENT) if path and path[:2] != ("random", "words")]
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(where=st.sampled_from(_PATHS), value=junk, drop=st.booleans())
def test_a_hostile_document_gives_a_world_or_a_snapshot_error_never_a_crash(
    where: tuple[Any, ...], value: Any, drop: bool
) -> None:
    document = deepcopy.deepcopy(_DOCUMENT)
    parent = document
    for step in where[:-1]:
        parent = parent[step]
    if drop and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = value
    try:
        world = snapshot.load_world(document)
    except SnapshotError as refused:
        assert refused.path.startswith("$")
        return
    snapshot.dumps(world)
