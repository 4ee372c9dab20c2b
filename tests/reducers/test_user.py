"""User, invitation, phone and trash reducers (docs/design.md: payload-less events, objects)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror.rules import invitation_key
from reducers import Mirror
from reducers.user import Invitation, Stale
from tests.support import ME, OTHER, THIRD, Stream

KEPT = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"
TRASHED = "94f1bb1a-5931-11e0-8db5-0024e8f90cc0"
ALSO_TRASHED = "964ae742-77fe-11e1-89b7-0024e8f90cc0"
TAG = "7b3785b8-974f-11e0-a900-0024e8f90cc0"


def assert_round_trips(mirror: Mirror) -> None:
    assert reducers.loads(reducers.dumps(mirror)) == mirror


@pytest.mark.parametrize(("name", "resource"), [("user_modify", "user"), ("phone_modify", "phone")])
def test_payloadless_event_marks_its_resource_stale_with_id_and_time(
    name: str, resource: str
) -> None:
    stream = Stream()
    stream.add("invitation_new", owner=ME, user=OTHER)
    stream.add(name, time=1_000_500)
    mirror = stream.fold()
    assert dict(mirror.stale) == {resource: Stale(id=1, time=1_000_500)}
    assert reducers.to_json(mirror)["stale"][resource] == {"id": 1, "time": 1_000_500}
    assert_round_trips(mirror)


def test_a_later_modification_moves_the_stale_marker_and_leaves_others_alone() -> None:
    stream = Stream()
    stream.add("user_modify", time=1_000_010)
    stream.add("phone_modify", time=1_000_020)
    stream.add("user_modify", time=1_000_030)
    mirror = stream.fold()
    assert mirror.stale["user"] == Stale(id=2, time=1_000_030)
    assert mirror.stale["phone"] == Stale(id=1, time=1_000_020)


@pytest.mark.parametrize(("owner", "user"), [(ME, OTHER), (OTHER, ME)])
def test_invitation_new_is_kept_whichever_party_i_am(owner: str, user: str) -> None:
    stream = Stream()
    stream.add("invitation_new", owner=owner, user=user, time=1_000_100)
    mirror = stream.fold()
    key = invitation_key(owner, user)
    assert dict(mirror.invitations) == {key: Invitation(owner=owner, user=user, time=1_000_100)}
    assert reducers.to_json(mirror)["invitations"][key] == {
        "owner": owner,
        "user": user,
        "time": 1_000_100,
    }
    assert_round_trips(mirror)


def test_invitations_are_directed_so_both_directions_coexist() -> None:
    stream = Stream()
    stream.add("invitation_new", owner=ME, user=OTHER)
    stream.add("invitation_new", owner=OTHER, user=ME)
    mirror = stream.fold()
    assert set(mirror.invitations) == {invitation_key(ME, OTHER), invitation_key(OTHER, ME)}


def test_invitation_delete_removes_only_that_invitation() -> None:
    stream = Stream()
    stream.add("invitation_new", owner=ME, user=OTHER)
    stream.add("invitation_new", owner=ME, user=THIRD)
    stream.add("invitation_delete", owner=ME, user=OTHER)
    mirror = stream.fold()
    assert set(mirror.invitations) == {invitation_key(ME, THIRD)}


def test_invitation_delete_of_an_unseen_invitation_changes_nothing_but_the_cursor() -> None:
    stream = Stream()
    stream.add("invitation_new", owner=ME, user=OTHER)
    before = stream.fold()
    stream.add("invitation_delete", owner=THIRD, user=ME)
    after = stream.fold()
    assert after.same_state(before)
    assert after.last_id == 1
    assert after.health.anomaly_count == 0


@given(
    st.lists(
        st.tuples(st.booleans(), st.sampled_from([ME, OTHER, THIRD]), st.sampled_from([ME, OTHER])),
        max_size=25,
    )
)
def test_invitations_follow_set_semantics(steps: list[tuple[bool, str, str]]) -> None:
    stream = Stream()
    expected: dict[str, int] = {}
    for create, owner, user in steps:
        item = stream.add(
            "invitation_new" if create else "invitation_delete", owner=owner, user=user
        )
        if create:
            expected[invitation_key(owner, user)] = item["time"]
        else:
            expected.pop(invitation_key(owner, user), None)
    mirror = stream.fold()
    assert {key: inv.time for key, inv in mirror.invitations.items()} == expected
    assert_round_trips(mirror)


def _object(stream: Stream, uuid: str, *, trash: bool) -> None:
    stream.add("object_new", object=uuid, type="fax", owner=ME, tag=[TAG])
    stream.add(
        "comment_new",
        comment=OTHER,
        owner=ME,
        text="hi",
        object={"object": uuid, "type": "fax", "owner": ME},
    )
    stream.add("object_metadata", object=uuid, update={"k": 1})
    stream.add("fax_convert", fax=uuid, page_count=3)
    if trash:
        stream.add("object_delete", object=uuid, type="fax", owner=ME)


def test_trash_purge_removes_every_trashed_object_and_only_those() -> None:
    stream = Stream()
    _object(stream, KEPT, trash=False)
    _object(stream, TRASHED, trash=True)
    _object(stream, ALSO_TRASHED, trash=True)
    before = stream.fold()
    assert sorted(before.objects.trash) == sorted([TRASHED, ALSO_TRASHED])
    stream.add("trash_purge")
    mirror = stream.fold()
    assert set(mirror.objects.by_uuid) == {KEPT}
    assert len(mirror.objects.trash) == 0
    assert mirror.objects.tagged(TAG) == [KEPT]
    # Their faxes went with them; the kept object's fax, comments and metadata stay.
    assert set(mirror.faxes) == {KEPT}
    kept = mirror.objects.get(KEPT)
    assert kept is not None
    assert set(kept.comments) == {OTHER}
    assert dict(kept.metadata) == {"k": 1}
    assert_round_trips(mirror)


def test_trash_purge_spares_another_owner_s_trashed_object() -> None:
    stream = Stream()
    _object(stream, KEPT, trash=True)
    stream.add("object_new", object=TRASHED, type="fax", owner=OTHER, tag=[TAG])
    stream.add("object_delete", object=TRASHED, type="fax", owner=OTHER)
    stream.add("trash_purge")
    mirror = stream.fold()
    assert set(mirror.objects.by_uuid) == {TRASHED}
    assert mirror.objects[TRASHED].trashed
    # Without knowing whose session it is, the mirror can only empty every trashed object.
    stream.me = None
    assert set(stream.fold().objects.by_uuid) == set()


def test_trash_purge_with_an_empty_trash_changes_no_state() -> None:
    stream = Stream()
    _object(stream, KEPT, trash=False)
    before = stream.fold()
    stream.add("trash_purge")
    after = stream.fold()
    assert after.same_state(before)
    assert after.applied == before.applied + 1
