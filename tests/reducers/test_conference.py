"""Conference events: live state and the member set (status, update, join, leave)."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers.conference import Conference, Member
from tests.support import ME, OTHER, Stream

CONFERENCE = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"
ALICE = "9fe1cc2a-8ab6-11e0-b368-0024e8f90cc0"
BOB = "b1439c46-8ab6-11e0-acdc-0024e8f90cc0"
CAROL = "b20116b8-8acf-11e0-b38e-0024e8f90cc0"

#: A member with every field, and one with only the fields the reference always sends.
FULL: dict[str, Any] = {
    "phone": "+492216698000",
    "user": OTHER,
    "mute": False,
    "deaf": False,
    "talk": True,
    "floor": True,
    "volume_in": 0,
    "volume_out": 0,
}
BARE: dict[str, Any] = {k: v for k, v in FULL.items() if k not in ("phone", "user")}


def member(fields: dict[str, Any]) -> Member:
    return msgspec.convert(fields, Member)


def conference(mirror: reducers.Mirror) -> Conference:
    return mirror.conferences[CONFERENCE]


def started(description: str | None = "Room") -> Stream:
    stream = Stream()
    optional: dict[str, Any] = {} if description is None else {"description": description}
    stream.add("conference_start", conference=CONFERENCE, owner=ME, **optional)
    return stream


@pytest.mark.parametrize("description", ["My Conference Room", None])
def test_start_makes_the_conference_live(description: str | None) -> None:
    assert conference(started(description).fold()) == Conference(ME, description, live=True)


@pytest.mark.parametrize("description", ["My Conference Room", None])
def test_stop_makes_it_not_live_and_empties_the_members(description: str | None) -> None:
    stream = started()
    stream.add("conference_status", conference=CONFERENCE, member={ALICE: FULL, BOB: BARE})
    optional: dict[str, Any] = {} if description is None else {"description": description}
    stream.add("conference_stop", conference=CONFERENCE, owner=ME, **optional)
    assert conference(stream.fold()) == Conference(ME, description, live=False)


def test_status_replaces_the_member_set() -> None:
    stream = started()
    stream.add("conference_status", conference=CONFERENCE, member={ALICE: FULL, BOB: BARE})
    stream.add("conference_status", conference=CONFERENCE, member={CAROL: BARE})
    result = conference(stream.fold())
    assert dict(result.member) == {CAROL: member(BARE)}
    assert result.live


def test_status_keeps_member_fields_as_present_or_absent() -> None:
    stream = started()
    stream.add("conference_status", conference=CONFERENCE, member={ALICE: FULL, BOB: BARE})
    mirror = stream.fold()
    members = conference(mirror).member
    assert (members[ALICE].phone, members[ALICE].user) == (FULL["phone"], OTHER)
    assert (members[BOB].phone, members[BOB].user) == (None, None)
    stored = reducers.to_json(mirror)["conferences"][CONFERENCE]["member"]
    assert stored == {ALICE: FULL, BOB: BARE}


CHANGES: dict[str, Any] = {
    "phone": "+4930123",
    "user": ME,
    "mute": True,
    "deaf": True,
    "talk": False,
    "floor": False,
    "volume_in": -4,
    "volume_out": 4,
}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_update_merges_only_the_fields_present(field: str) -> None:
    stream = started()
    stream.add("conference_status", conference=CONFERENCE, member={ALICE: FULL, BOB: BARE})
    stream.add(
        "conference_update",
        conference=CONFERENCE,
        member={ALICE: {field: CHANGES[field]}, BOB: {field: CHANGES[field]}},
    )
    members = conference(stream.fold()).member
    assert members[ALICE] == member({**FULL, field: CHANGES[field]})
    assert members[BOB] == member({**BARE, field: CHANGES[field]})


def test_update_with_every_field_and_with_none() -> None:
    stream = started()
    stream.add("conference_status", conference=CONFERENCE, member={ALICE: BARE, BOB: BARE})
    stream.add("conference_update", conference=CONFERENCE, member={ALICE: CHANGES, BOB: {}})
    members = conference(stream.fold()).member
    assert dict(members) == {ALICE: member(CHANGES), BOB: member(BARE)}


def test_update_of_an_unseen_conference_and_member_creates_them() -> None:
    stream = Stream()
    stream.add("conference_update", conference=CONFERENCE, member={ALICE: {"mute": True}})
    result = conference(stream.fold())
    assert (result.owner, result.description, result.live) == (None, None, False)
    assert dict(result.member) == {ALICE: member({"mute": True})}


def test_join_adds_members_and_keeps_the_others() -> None:
    stream = started()
    stream.add("conference_status", conference=CONFERENCE, member={ALICE: FULL})
    stream.add("conference_join", conference=CONFERENCE, member={BOB: BARE, CAROL: FULL})
    members = conference(stream.fold()).member
    assert dict(members) == {ALICE: member(FULL), BOB: member(BARE), CAROL: member(FULL)}


def test_leave_removes_the_members_listed() -> None:
    stream = started()
    stream.add("conference_status", conference=CONFERENCE, member={ALICE: FULL, BOB: BARE})
    stream.add("conference_join", conference=CONFERENCE, member={CAROL: BARE})
    # A member the mirror never saw (its join came before the recording) is simply not there.
    stream.add("conference_leave", conference=CONFERENCE, member=[BOB, CAROL, ME])
    members = conference(stream.fold()).member
    assert dict(members) == {ALICE: member(FULL)}


def test_leave_naming_a_member_twice_removes_it_once() -> None:
    stream = started()
    stream.add("conference_status", conference=CONFERENCE, member={ALICE: FULL, BOB: BARE})
    stream.add("conference_leave", conference=CONFERENCE, member=[ALICE, ALICE])
    assert dict(conference(stream.fold()).member) == {BOB: member(BARE)}


@pytest.mark.parametrize(
    ("event", "members", "expected"),
    [
        ("conference_status", {ALICE: FULL}, {ALICE}),
        ("conference_join", {ALICE: FULL}, {ALICE}),
        ("conference_leave", [ALICE], set()),
    ],
)
def test_detailed_events_create_an_unseen_conference(
    event: str, members: object, expected: set[str]
) -> None:
    stream = Stream()
    stream.add(event, conference=CONFERENCE, member=members)
    result = conference(stream.fold())
    assert (result.owner, result.live) == (None, False)
    assert set(result.member) == expected


def test_conferences_survive_a_json_round_trip() -> None:
    stream = started()
    stream.add("conference_status", conference=CONFERENCE, member={ALICE: FULL, BOB: BARE})
    stream.add("conference_update", conference=CONFERENCE, member={BOB: {"talk": False}})
    mirror = stream.fold()
    assert reducers.loads(reducers.dumps(mirror)) == mirror
    assert reducers.to_json(mirror)["conferences"][CONFERENCE] == {
        "owner": ME,
        "description": "Room",
        "live": True,
        "member": {ALICE: FULL, BOB: {**BARE, "talk": False}},
    }


# --- property: the member map follows a plain dict model ------------------------------------

MEMBERS = st.sampled_from((ALICE, BOB, CAROL))
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "phone": st.sampled_from(("+49221", "+49241")),
        "mute": st.booleans(),
        "talk": st.booleans(),
        "volume_in": st.integers(-4, 4),
    },
)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("conference_status"), st.dictionaries(MEMBERS, FIELDS, max_size=3)),
        st.tuples(st.just("conference_update"), st.dictionaries(MEMBERS, FIELDS, max_size=3)),
        st.tuples(st.just("conference_join"), st.dictionaries(MEMBERS, FIELDS, max_size=3)),
        st.tuples(st.just("conference_leave"), st.lists(MEMBERS, max_size=3)),
        st.tuples(st.just("conference_stop"), st.none()),
    ),
    max_size=20,
)


@given(STEPS)
def test_members_follow_a_plain_dict_model(steps: list[tuple[str, Any]]) -> None:
    stream = Stream()
    model: dict[str, dict[str, Any]] = {}
    for event, members in steps:
        if event == "conference_stop":
            stream.add(event, conference=CONFERENCE, owner=ME)
            model = {}
            continue
        stream.add(event, conference=CONFERENCE, member=members)
        if event == "conference_status":
            model = {uuid: dict(fields) for uuid, fields in members.items()}
        elif event == "conference_join":
            model.update({uuid: dict(fields) for uuid, fields in members.items()})
        elif event == "conference_update":
            for uuid, fields in members.items():
                model.setdefault(uuid, {}).update(fields)
        else:
            for uuid in members:
                model.pop(uuid, None)
    mirror = stream.fold()
    found = mirror.conferences.get(CONFERENCE)
    members_found = dict(found.member) if found is not None else {}
    assert {uuid: msgspec.to_builtins(m) for uuid, m in members_found.items()} == model
    assert reducers.loads(reducers.dumps(mirror)) == mirror
