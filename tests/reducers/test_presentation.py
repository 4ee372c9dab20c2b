"""Presentation events: conversion, live state, moderator, members, page and pointer."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers.presentation import Presentation
from tests.support import ME, OTHER, THIRD, Stream

DECK = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"
OWNER = "1de7257a-4f34-11e0-ab6e-0024e8f90cc1"
STARTER = "cc8a411a-13ab-11e2-bf75-0024e8f90cc0"

STATUS: dict[str, Any] = {
    "page": 2,
    "x": 0.45,
    "y": 0.8,
    "visible": True,
    "moderator": OTHER,
    "member": [ME, OTHER, THIRD],
}


def deck(mirror: reducers.Mirror) -> Presentation:
    return mirror.presentations[DECK]


def started(description: str | None = "Night sky") -> Stream:
    stream = Stream()
    optional: dict[str, Any] = {} if description is None else {"description": description}
    stream.add("presentation_start", presentation=DECK, owner=OWNER, user=STARTER, **optional)
    return stream


# --- presentation_convert ---------------------------------------------------------------------


def test_convert_with_page_count_is_a_successful_conversion() -> None:
    stream = Stream()
    stream.add("presentation_convert", presentation=DECK, page_count=12)
    assert deck(stream.fold()) == Presentation(converted=True, page_count=12)


def test_convert_without_page_count_is_a_failed_conversion() -> None:
    stream = Stream()
    stream.add("presentation_convert", presentation=DECK, page_count=12)
    stream.add("presentation_convert", presentation=DECK)
    assert deck(stream.fold()) == Presentation(converted=False, page_count=None)


# --- start / stop -----------------------------------------------------------------------------


@pytest.mark.parametrize("description", ["Why The Sky Is Black At Nighttime", None])
def test_start_makes_it_live_with_the_starter_as_moderator_and_only_member(
    description: str | None,
) -> None:
    assert deck(started(description).fold()) == Presentation(
        owner=OWNER,
        description=description,
        live=True,
        moderator=STARTER,
        member=frozenset({STARTER}),
    )


def test_start_keeps_what_the_conversion_told() -> None:
    stream = Stream()
    stream.add("presentation_convert", presentation=DECK, page_count=3)
    stream.add("presentation_start", presentation=DECK, owner=OWNER, user=STARTER)
    result = deck(stream.fold())
    assert (result.converted, result.page_count, result.live) == (True, 3, True)


@pytest.mark.parametrize("user", [STARTER, None])
@pytest.mark.parametrize("description", ["Night sky", None])
def test_stop_makes_it_not_live_with_no_members(user: str | None, description: str | None) -> None:
    stream = started()
    stream.add("presentation_status", presentation=DECK, **STATUS)
    optional: dict[str, Any] = {}
    if user is not None:
        optional["user"] = user
    if description is not None:
        optional["description"] = description
    stream.add("presentation_stop", presentation=DECK, owner=OWNER, **optional)
    result = deck(stream.fold())
    assert (result.live, result.member, result.moderator) == (False, frozenset(), None)
    assert (result.owner, result.description) == (OWNER, description)


# --- join / leave -----------------------------------------------------------------------------


def test_join_and_leave_change_the_members() -> None:
    stream = started()
    stream.add("presentation_join", presentation=DECK, user=ME)
    stream.add("presentation_join", presentation=DECK, user=OTHER)
    joined = deck(stream.fold()).member
    stream.add("presentation_leave", presentation=DECK, user=STARTER)
    stream.add("presentation_leave", presentation=DECK, user=THIRD)
    result = deck(stream.fold())
    assert joined == {STARTER, ME, OTHER}
    assert result.member == {ME, OTHER}
    # Leaving does not hand over moderation: only status or update name a new moderator.
    assert result.moderator == STARTER and result.live


@pytest.mark.parametrize(
    ("event", "expected"),
    [("presentation_join", {ME}), ("presentation_leave", set())],
)
def test_join_or_leave_of_an_unseen_presentation_creates_it(event: str, expected: set[str]) -> None:
    stream = Stream()
    stream.add(event, presentation=DECK, user=ME)
    result = deck(stream.fold())
    assert result.member == expected and (result.owner, result.live) == (None, False)


# --- status / update / keepalive --------------------------------------------------------------


@pytest.mark.parametrize("moderator", [OTHER, None])
def test_status_replaces_page_pointer_visibility_moderator_and_members(
    moderator: str | None,
) -> None:
    stream = started()
    stream.add("presentation_update", presentation=DECK, page=9, x=0.1, y=0.2, visible=False)
    status = {k: v for k, v in STATUS.items() if k != "moderator"}
    if moderator is not None:
        status["moderator"] = moderator
    stream.add("presentation_status", presentation=DECK, **status)
    result = deck(stream.fold())
    assert (result.page, result.x, result.y, result.visible) == (2, 0.45, 0.8, True)
    assert result.moderator == moderator
    assert result.member == {ME, OTHER, THIRD}
    assert (result.owner, result.live) == (OWNER, True)


def test_status_of_an_unseen_presentation_creates_it() -> None:
    stream = Stream()
    stream.add("presentation_status", presentation=DECK, **STATUS)
    result = deck(stream.fold())
    assert result.member == {ME, OTHER, THIRD} and result.page == 2 and not result.live


UPDATES: dict[str, Any] = {"page": 3, "x": 0.53, "y": 0.25, "visible": False, "moderator": THIRD}


@pytest.mark.parametrize("field", sorted(UPDATES))
def test_update_merges_only_the_fields_present(field: str) -> None:
    stream = started()
    stream.add("presentation_status", presentation=DECK, **STATUS)
    before = deck(stream.fold())
    stream.add("presentation_update", presentation=DECK, **{field: UPDATES[field]})
    assert deck(stream.fold()) == msgspec.structs.replace(before, **{field: UPDATES[field]})


def test_update_with_every_field_and_with_none() -> None:
    stream = started()
    stream.add("presentation_status", presentation=DECK, **STATUS)
    before = deck(stream.fold())
    stream.add("presentation_update", presentation=DECK, **UPDATES)
    every = deck(stream.fold())
    stream.add("presentation_update", presentation=DECK)
    assert every == msgspec.structs.replace(before, **UPDATES)
    assert deck(stream.fold()) == every


def test_keepalive_records_its_time() -> None:
    stream = started()
    stream.add("presentation_keepalive", presentation=DECK, time=2_000_000)
    first = deck(stream.fold())
    stream.add("presentation_keepalive", presentation=DECK, time=2_000_030)
    assert first.keepalive == 2_000_000
    assert deck(stream.fold()) == msgspec.structs.replace(first, keepalive=2_000_030)


def test_keepalive_of_an_unseen_presentation_creates_it() -> None:
    stream = Stream()
    stream.add("presentation_keepalive", presentation=DECK, time=2_000_000)
    assert deck(stream.fold()) == Presentation(keepalive=2_000_000)


def test_presentations_survive_a_json_round_trip() -> None:
    stream = Stream()
    stream.add("presentation_convert", presentation=DECK, page_count=12)
    stream.add("presentation_start", presentation=DECK, owner=OWNER, user=STARTER)
    stream.add("presentation_status", presentation=DECK, **STATUS)
    stream.add("presentation_keepalive", presentation=DECK, time=2_000_000)
    mirror = stream.fold()
    assert reducers.loads(reducers.dumps(mirror)) == mirror
    assert reducers.to_json(mirror)["presentations"][DECK] == {
        "owner": OWNER,
        "converted": True,
        "page_count": 12,
        "live": True,
        "moderator": OTHER,
        "member": sorted([ME, OTHER, THIRD]),
        "page": 2,
        "x": 0.45,
        "y": 0.8,
        "visible": True,
        "keepalive": 2_000_000,
    }


# --- property: members follow a set model -----------------------------------------------------

USERS = st.sampled_from((ME, OTHER, THIRD, STARTER))
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("presentation_start"), USERS),
        st.tuples(st.just("presentation_stop"), st.none()),
        st.tuples(st.just("presentation_join"), USERS),
        st.tuples(st.just("presentation_leave"), USERS),
        st.tuples(st.just("presentation_status"), st.frozensets(USERS)),
    ),
    max_size=20,
)


@given(STEPS)
def test_members_and_moderator_follow_a_simple_model(steps: list[tuple[str, Any]]) -> None:
    stream = Stream()
    members: frozenset[str] = frozenset()
    moderator: str | None = None
    for event, argument in steps:
        if event == "presentation_start":
            stream.add(event, presentation=DECK, owner=OWNER, user=argument)
            members, moderator = frozenset({argument}), argument
        elif event == "presentation_stop":
            stream.add(event, presentation=DECK, owner=OWNER)
            members, moderator = frozenset(), None
        elif event == "presentation_join":
            stream.add(event, presentation=DECK, user=argument)
            members |= {argument}
        elif event == "presentation_leave":
            stream.add(event, presentation=DECK, user=argument)
            members -= {argument}
        else:
            moderator = min(argument) if argument else None
            status: dict[str, Any] = {
                "page": 1,
                "x": 0.5,
                "y": 0.5,
                "visible": True,
                "member": sorted(argument),
            }
            if moderator is not None:
                status["moderator"] = moderator
            stream.add(event, presentation=DECK, **status)
            members = argument
    mirror = stream.fold()
    found = mirror.presentations.get(DECK) or Presentation()
    assert (found.member, found.moderator) == (members, moderator)
    assert reducers.loads(reducers.dumps(mirror)) == mirror
