"""Generic object reducers (docs/design.md, "objects": trash and purge, unshare, the authoritative
tag list, and removal cascading to comments, metadata and per-object domain state)."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers import EventError, Mirror
from reducers.objects import Object
from tests.support import ME, OTHER, THIRD, Stream

OBJ = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"
NEIGHBOUR = "94f1bb1a-5931-11e0-8db5-0024e8f90cc0"
T1 = "be00e8aa-5c3d-11e0-b0cf-0024e8f90cc0"
T2 = "ae30e5b0-5c3d-11e0-817e-0024e8f90cc0"
T3 = "97d3a606-a961-11e0-9a43-0024e8f90cc0"
COMMENT = "0f3441b4-1141-11e1-8829-0024e8f90cc0"


def assert_round_trips(mirror: Mirror) -> None:
    assert reducers.loads(reducers.dumps(mirror)) == mirror


def header(uuid: str = OBJ, /, **fields: Any) -> dict[str, Any]:
    """An object event's payload; fields given as None are left out, as the platform does."""
    present = {key: value for key, value in fields.items() if value is not None}
    return {"object": uuid, "type": "contact", "owner": ME, **present}


def get(mirror: Mirror, uuid: str = OBJ) -> Object:
    obj = mirror.objects.get(uuid)
    assert obj is not None, f"{uuid} is not in the mirror"
    return obj


def with_comment_and_metadata(stream: Stream, uuid: str = OBJ) -> None:
    stream.add("object_new", **header(uuid, tag=[T1]))
    stream.add("comment_new", comment=COMMENT, owner=OTHER, text="hi", object=header(uuid))
    stream.add("object_metadata", object=uuid, update={"k": "v"})


@pytest.mark.parametrize("description", ["Hans Mustermann", None])
def test_object_new_records_header_and_tags(description: str | None) -> None:
    stream = Stream()
    stream.add("object_new", **header(tag=[T1, T2], description=description))
    mirror = stream.fold()
    assert get(mirror) == Object(type="contact", owner=ME, description=description, tag=(T1, T2))
    assert mirror.objects.tagged(T1) == [OBJ]
    expected: dict[str, Any] = {
        "type": "contact",
        "owner": ME,
        "description": description,
        "tag": [T1, T2],
        "trashed": False,
        "comments": {},
        "metadata": {},
    }
    if description is None:  # an absent optional is left out, never written as null
        del expected["description"]
    assert reducers.to_json(mirror)["objects"][OBJ].keys() == expected.keys()
    assert msgspec.json.decode(reducers.dumps(mirror))["objects"][OBJ] == expected
    assert_round_trips(mirror)


@pytest.mark.parametrize("user", [OTHER, None])
@pytest.mark.parametrize("description", ["new name", None])
def test_object_modify_replaces_the_header_and_keeps_the_rest(
    user: str | None, description: str | None
) -> None:
    stream = Stream()
    with_comment_and_metadata(stream)
    stream.add(
        "object_modify", **header(type="fax", owner=OTHER, user=user, description=description)
    )
    obj = get(stream.fold())
    assert (obj.type, obj.owner, obj.description) == ("fax", OTHER, description)
    assert obj.tag == (T1,)
    assert set(obj.comments) == {COMMENT}
    assert dict(obj.metadata) == {"k": "v"}


def test_object_modify_of_an_unseen_object_creates_it_without_known_tags() -> None:
    stream = Stream()
    stream.add("object_modify", **header(description="d"))
    mirror = stream.fold()
    assert get(mirror) == Object(type="contact", owner=ME, description="d", tag=None)
    assert_round_trips(mirror)


@pytest.mark.parametrize("purge", [None, False])
@pytest.mark.parametrize("user", [OTHER, None])
def test_object_delete_without_purge_moves_the_object_to_the_trash(
    purge: bool | None, user: str | None
) -> None:
    stream = Stream()
    with_comment_and_metadata(stream)
    stream.add("fax_convert", fax=OBJ, page_count=2)
    stream.add("object_delete", **header(description="Hans", user=user, purge=purge))
    mirror = stream.fold()
    obj = get(mirror)
    assert obj.trashed
    assert (obj.tag, obj.description, set(obj.comments)) == ((T1,), "Hans", {COMMENT})
    assert list(mirror.objects.trash) == [OBJ]
    assert mirror.objects.tagged(T1) == [OBJ]
    assert OBJ in mirror.faxes
    assert reducers.to_json(mirror)["objects"][OBJ]["trashed"] is True
    assert_round_trips(mirror)


@pytest.mark.parametrize("already_trashed", [False, True])
@pytest.mark.parametrize("user", [OTHER, None])
def test_object_delete_with_purge_removes_the_object(
    already_trashed: bool, user: str | None
) -> None:
    stream = Stream()
    with_comment_and_metadata(stream)
    with_comment_and_metadata(stream, NEIGHBOUR)
    if already_trashed:
        stream.add("object_delete", **header())
    stream.add("object_delete", **header(purge=True, user=user))
    mirror = stream.fold()
    assert OBJ not in mirror.objects
    assert OBJ not in mirror.objects.trash
    assert mirror.objects.tagged(T1) == [NEIGHBOUR]
    assert_round_trips(mirror)


def test_object_delete_of_an_unseen_object_creates_it_in_the_trash() -> None:
    stream = Stream()
    stream.add("object_delete", **header())
    mirror = stream.fold()
    assert get(mirror) == Object(type="contact", owner=ME, tag=None, trashed=True)
    assert list(mirror.objects.trash) == [OBJ]


@pytest.mark.parametrize("user", [OTHER, None])
@pytest.mark.parametrize("description", ["d", None])
def test_object_share_creates_the_object_with_its_tags(
    user: str | None, description: str | None
) -> None:
    stream = Stream()
    stream.add(
        "object_share", **header(owner=OTHER, tag=[T2, T3], user=user, description=description)
    )
    mirror = stream.fold()
    assert get(mirror) == Object(type="contact", owner=OTHER, description=description, tag=(T2, T3))
    assert mirror.objects.tagged(T3) == [OBJ]
    assert_round_trips(mirror)


def test_object_share_of_a_known_object_replaces_its_tags_and_keeps_its_comments() -> None:
    stream = Stream()
    with_comment_and_metadata(stream)
    stream.add("object_share", **header(tag=[T2]))
    mirror = stream.fold()
    assert get(mirror).tag == (T2,)
    assert set(get(mirror).comments) == {COMMENT}
    assert (mirror.objects.tagged(T1), mirror.objects.tagged(T2)) == ([], [OBJ])


@pytest.mark.parametrize("user", [OTHER, None])
@pytest.mark.parametrize("description", ["d", None])
@pytest.mark.parametrize(
    ("tag_add", "tag_delete"), [([T2], [T1]), ([T2], None), (None, [T1]), (None, None)]
)
def test_object_tag_takes_the_full_list_and_agreeing_deltas_raise_nothing(
    user: str | None,
    description: str | None,
    tag_add: list[str] | None,
    tag_delete: list[str] | None,
) -> None:
    stream = Stream()
    stream.add("object_new", **header(tag=[T1, T3]))
    optional = {"tag_add": tag_add, "tag_delete": tag_delete}
    stream.add("object_tag", **header(tag=[T3, T2], user=user, description=description, **optional))
    mirror = stream.fold()  # strict: would raise on an anomaly
    assert get(mirror).tag == (T3, T2)
    assert get(mirror).description == description
    assert [mirror.objects.tagged(t) for t in (T1, T2, T3)] == [[], [OBJ], [OBJ]]
    assert mirror.health.anomalies == ()


def test_object_tag_list_wins_over_deltas_that_disagree_with_the_mirror() -> None:
    # The deltas describe the change; only the list must agree with them, not the old state.
    stream = Stream()
    stream.add("object_new", **header(tag=[T1]))
    stream.add("object_tag", **header(tag=[T3], tag_add=[T3], tag_delete=[T2]))
    assert get(stream.fold()).tag == (T3,)


def test_retagging_a_trashed_object_leaves_it_in_the_trash() -> None:
    stream = Stream()
    stream.add("object_new", **header(tag=[T1]))
    stream.add("object_delete", **header())
    stream.add("object_tag", **header(tag=[T2], tag_add=[T2], tag_delete=[T1]))
    mirror = stream.fold()
    assert (get(mirror).trashed, list(mirror.objects.trash)) == (True, [OBJ])


def test_object_tag_of_an_unseen_object_creates_it() -> None:
    stream = Stream()
    stream.add("object_tag", **header(tag=[T1], tag_add=[T1]))
    assert get(stream.fold()) == Object(type="contact", owner=ME, tag=(T1,))


DISAGREEING = [
    pytest.param({"tag_add": [T2]}, "tag_add", id="added-tag-missing-from-list"),
    pytest.param({"tag_delete": [T1]}, "tag_delete", id="deleted-tag-still-in-list"),
]


@pytest.mark.parametrize(("deltas", "named"), DISAGREEING)
def test_strict_mode_raises_on_deltas_that_disagree_with_the_list(
    deltas: dict[str, list[str]], named: str
) -> None:
    stream = Stream()
    stream.add("object_new", **header(tag=[T1]))
    stream.add("object_tag", **header(tag=[T1, T3], **deltas))
    with pytest.raises(EventError) as raised:
        stream.fold()
    assert raised.value.event_id == 1
    assert raised.value.event_type == "object_tag"
    assert named in str(raised.value)


@pytest.mark.parametrize(("deltas", "named"), DISAGREEING)
def test_lenient_mode_applies_the_list_and_records_an_inconsistency(
    deltas: dict[str, list[str]], named: str
) -> None:
    stream = Stream()
    stream.add("object_new", **header(tag=[T1]))
    stream.add("object_tag", **header(tag=[T1, T3], **deltas))
    mirror = stream.fold(strict=False)
    assert get(mirror).tag == (T1, T3)
    assert mirror.objects.tagged(T3) == [OBJ]
    assert mirror.health.inconsistent == 1
    (anomaly,) = mirror.health.anomalies
    assert (anomaly.kind, anomaly.id, anomaly.event) == ("inconsistent", 1, "object_tag")
    assert named in anomaly.message
    assert (mirror.last_id, mirror.applied) == (1, 2)
    assert_round_trips(mirror)


@pytest.mark.parametrize("user", [OTHER, None])
@pytest.mark.parametrize("description", ["d", None])
def test_object_unshare_removes_the_object_with_comments_and_metadata(
    user: str | None, description: str | None
) -> None:
    stream = Stream()
    with_comment_and_metadata(stream)
    with_comment_and_metadata(stream, NEIGHBOUR)
    stream.add("object_unshare", **header(user=user, description=description))
    mirror = stream.fold()
    assert set(mirror.objects.by_uuid) == {NEIGHBOUR}
    assert set(get(mirror, NEIGHBOUR).comments) == {COMMENT}
    assert mirror.objects.tagged(T1) == [NEIGHBOUR]
    # Seen again later, it starts from what that event carries, not its old comments.
    stream.add("object_share", **header(tag=[T2]))
    again = get(stream.fold())
    assert (len(again.comments), len(again.metadata)) == (0, 0)


def domain_state(name: str, uuid: str) -> tuple[str, dict[str, Any]]:
    """An event giving object ``uuid`` state in slice ``name``."""
    events: dict[str, tuple[str, dict[str, Any]]] = {
        "faxes": ("fax_convert", {"fax": uuid, "page_count": 1}),
        "announcements": ("announcement_convert", {"announcement": uuid, "success": True}),
        "conferences": ("conference_start", {"conference": uuid, "owner": ME}),
        "volumes": (
            "file_new",
            {"commit": THIRD, "file": COMMENT, "volume": uuid, "type": "file", "name": "a.pdf"},
        ),
        "boxes": (
            "box_online",
            {
                "box": uuid,
                "owner": ME,
                "ip_addr": "10.0.0.2",
                "mac_addr": "00:24:d6:83:c1:54",
                "sw_version": "1.0",
                "hw_version": "X86",
            },
        ),
        "presentations": ("presentation_convert", {"presentation": uuid, "page_count": 3}),
        "sensors": ("sensor_data", {"sensor": uuid, "data": {"1363623247000": [20.5, [0, 255]]}}),
    }
    return events[name]


def add(stream: Stream, event_name: str, payload: dict[str, Any]) -> None:
    """``stream.add`` for payloads with a ``name`` field (file_new), which that method's own
    ``name`` parameter would capture."""
    stream.time += 1
    stream.events.append(
        {"id": len(stream.events), "event": event_name, "time": stream.time, **payload}
    )


SLICES = ["faxes", "announcements", "conferences", "volumes", "boxes", "presentations", "sensors"]
REMOVALS = {
    "purge": [("object_delete", header(purge=True))],
    "unshare": [("object_unshare", header())],
    "trash_purge": [("object_delete", header()), ("trash_purge", {})],
}


@pytest.mark.parametrize("removal", sorted(REMOVALS))
@pytest.mark.parametrize("slice_name", SLICES)
@pytest.mark.parametrize("header_seen", [True, False], ids=["object-seen", "only-state-seen"])
def test_removing_an_object_removes_its_domain_state_and_no_one_elses(
    slice_name: str, removal: str, header_seen: bool
) -> None:
    stream = Stream()
    for uuid in (OBJ, NEIGHBOUR):
        if header_seen:
            stream.add("object_new", **header(uuid, tag=[]))
        add(stream, *domain_state(slice_name, uuid))
    assert set(getattr(stream.fold(), slice_name)) == {OBJ, NEIGHBOUR}
    for event_name, payload in REMOVALS[removal]:
        add(stream, event_name, payload)
    mirror = stream.fold()
    assert set(getattr(mirror, slice_name)) == {NEIGHBOUR}
    assert OBJ not in mirror.objects
    assert_round_trips(mirror)


# --- properties over arbitrary sequences of object events --------------------------------

POOL = [OBJ, NEIGHBOUR, THIRD]
tag_lists = st.lists(st.sampled_from([T1, T2, T3]), max_size=3)
steps = st.one_of(
    st.tuples(
        st.sampled_from(["object_new", "object_share", "object_tag"]),
        st.sampled_from(POOL),
        tag_lists,
    ),
    st.tuples(
        st.sampled_from(["object_modify", "object_unshare", "object_metadata", "trash"]),
        st.sampled_from(POOL),
    ),
    st.tuples(st.just("purge"), st.sampled_from(POOL)),
    st.tuples(st.just("tag_delete"), st.sampled_from([T1, T2, T3])),
    st.tuples(st.just("trash_purge")),
)
Model = dict[str, tuple[tuple[str, ...] | None, bool]]


def _play(stream: Stream, model: Model, step: tuple[Any, ...]) -> None:
    """Add ``step`` to the stream and apply docs/design.md's rule for it to ``model``
    (object -> (tags, trashed))."""
    kind, *args = step
    if kind in ("object_new", "object_share", "object_tag"):
        uuid, tags = args
        stream.add(kind, **header(uuid, tag=tags))
        trashed = kind != "object_new" and model.get(uuid, (None, False))[1]
        model[uuid] = (tuple(tags), trashed)
    elif kind in ("object_modify", "object_metadata", "trash"):
        (uuid,) = args
        if kind == "object_metadata":
            stream.add(kind, object=uuid, update={"n": len(stream.events)})
        else:
            stream.add("object_delete" if kind == "trash" else kind, **header(uuid))
        tags, trashed = model.get(uuid, (None, False))
        model[uuid] = (tags, trashed or kind == "trash")
    elif kind in ("object_unshare", "purge"):
        (uuid,) = args
        purge = True if kind == "purge" else None
        stream.add("object_delete" if purge else kind, **header(uuid, purge=purge))
        model.pop(uuid, None)
    elif kind == "tag_delete":
        (tag,) = args
        stream.add(kind, tag=tag)
        for uuid, (tags, trashed) in model.items():
            if tags is not None:
                model[uuid] = (tuple(t for t in tags if t != tag), trashed)
    else:
        stream.add("trash_purge")
        for uuid in [u for u, (_, trashed) in model.items() if trashed]:
            del model[uuid]


@given(st.lists(steps, max_size=30))
def test_objects_and_their_indexes_follow_the_rules_for_any_sequence(
    sequence: list[tuple[Any, ...]],
) -> None:
    stream, model = Stream(), Model()
    for step in sequence:
        _play(stream, model, step)
    mirror = stream.fold()
    items = mirror.objects.by_uuid
    assert {uuid: (obj.tag, obj.trashed) for uuid, obj in items.items()} == model
    by_tag: dict[str, set[str]] = {}
    for uuid, obj in items.items():
        for tag in obj.tag or ():
            by_tag.setdefault(tag, set()).add(uuid)
    assert {tag: set(members) for tag, members in mirror.objects.by_tag.items()} == by_tag
    assert set(mirror.objects.trash) == {uuid for uuid, obj in items.items() if obj.trashed}
    assert_round_trips(mirror)


@given(tag_lists, st.none() | tag_lists, st.none() | tag_lists)
def test_lenient_object_tag_always_applies_the_list_and_flags_only_disagreement(
    tags: list[str], tag_add: list[str] | None, tag_delete: list[str] | None
) -> None:
    stream = Stream()
    stream.add("object_new", **header(tag=[T1]))
    stream.add("object_tag", **header(tag=tags, tag_add=tag_add, tag_delete=tag_delete))
    mirror = stream.fold(strict=False)
    assert get(mirror).tag == tuple(tags)
    agrees = set(tag_add or ()) <= set(tags) and not set(tag_delete or ()) & set(tags)
    assert mirror.health.inconsistent == (0 if agrees else 1)
    assert [a.kind for a in mirror.health.anomalies] == ([] if agrees else ["inconsistent"])
