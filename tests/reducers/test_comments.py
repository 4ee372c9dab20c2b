"""Comment reducers (docs/design.md, "comments": kept under their object; a comment event carries
enough to create the object)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers import Mirror
from reducers.objects import Comment, Object
from tests.support import ME, OTHER, THIRD, Stream

OBJ = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"
TAG = "be00e8aa-5c3d-11e0-b0cf-0024e8f90cc0"
C1 = "0f3441b4-1141-11e1-8829-0024e8f90cc0"
C2 = "7b149600-5921-11e0-b85f-0024e8f90cc0"


def assert_round_trips(mirror: Mirror) -> None:
    assert reducers.loads(reducers.dumps(mirror)) == mirror


def ref(description: str | None = "Hans Mustermann", **fields: Any) -> dict[str, Any]:
    """The ``object`` section of a comment event."""
    section = {"object": OBJ, "type": "contact", "owner": ME, **fields}
    if description is not None:
        section["description"] = description
    return section


def get(mirror: Mirror) -> Object:
    obj = mirror.objects.get(OBJ)
    assert obj is not None
    return obj


@pytest.mark.parametrize("description", ["Hans Mustermann", None])
def test_comment_new_on_an_unseen_object_creates_the_object(description: str | None) -> None:
    stream = Stream()
    stream.add("comment_new", comment=C1, owner=OTHER, text="first", object=ref(description))
    mirror = stream.fold()
    obj = get(mirror)
    assert (obj.type, obj.owner, obj.description, obj.tag) == ("contact", ME, description, None)
    assert dict(obj.comments) == {C1: Comment(owner=OTHER, text="first")}
    assert reducers.to_json(mirror)["objects"][OBJ]["comments"] == {
        C1: {"owner": OTHER, "text": "first"}
    }
    assert_round_trips(mirror)


def test_comments_on_a_known_object_keep_its_tags_trash_state_and_metadata() -> None:
    stream = Stream()
    stream.add("object_new", object=OBJ, type="contact", owner=ME, tag=[TAG])
    stream.add("object_metadata", object=OBJ, update={"k": 1})
    stream.add("object_delete", object=OBJ, type="contact", owner=ME)
    stream.add("comment_new", comment=C1, owner=OTHER, text="first", object=ref())
    stream.add("comment_new", comment=C2, owner=ME, text="second", object=ref())
    mirror = stream.fold()
    obj = get(mirror)
    assert (obj.tag, obj.trashed, dict(obj.metadata)) == ((TAG,), True, {"k": 1})
    assert dict(obj.comments) == {C1: Comment(OTHER, "first"), C2: Comment(ME, "second")}
    assert mirror.objects.tagged(TAG) == [OBJ]
    assert list(mirror.objects.trash) == [OBJ]
    assert_round_trips(mirror)


def test_a_comment_event_updates_the_objects_header_it_carries() -> None:
    stream = Stream()
    stream.add("object_new", object=OBJ, type="contact", owner=ME, description="old", tag=[])
    stream.add("comment_new", comment=C1, owner=OTHER, text="t", object=ref("new"))
    assert get(stream.fold()).description == "new"


@pytest.mark.parametrize("description", ["Hans Mustermann", None])
def test_comment_modify_replaces_the_text_and_leaves_other_comments(
    description: str | None,
) -> None:
    stream = Stream()
    stream.add("comment_new", comment=C1, owner=OTHER, text="first", object=ref())
    stream.add("comment_new", comment=C2, owner=ME, text="second", object=ref())
    stream.add("comment_modify", comment=C1, owner=OTHER, text="edited", object=ref(description))
    obj = get(stream.fold())
    assert dict(obj.comments) == {C1: Comment(OTHER, "edited"), C2: Comment(ME, "second")}
    assert obj.description == description


def test_comment_modify_of_an_unseen_comment_and_object_creates_both() -> None:
    stream = Stream()
    stream.add("comment_modify", comment=C1, owner=THIRD, text="late", object=ref())
    mirror = stream.fold()
    assert dict(get(mirror).comments) == {C1: Comment(THIRD, "late")}
    assert get(mirror).type == "contact"


@pytest.mark.parametrize("description", ["Hans Mustermann", None])
def test_comment_delete_removes_only_that_comment(description: str | None) -> None:
    stream = Stream()
    stream.add("comment_new", comment=C1, owner=OTHER, text="first", object=ref())
    stream.add("comment_new", comment=C2, owner=ME, text="second", object=ref())
    stream.add("comment_delete", comment=C1, owner=OTHER, object=ref(description))
    mirror = stream.fold()
    assert dict(get(mirror).comments) == {C2: Comment(ME, "second")}
    assert_round_trips(mirror)


def test_comment_delete_on_an_unseen_object_creates_it_without_comments() -> None:
    stream = Stream()
    stream.add("comment_delete", comment=C1, owner=OTHER, object=ref())
    mirror = stream.fold()
    assert get(mirror) == Object(type="contact", owner=ME, description="Hans Mustermann")
    assert mirror.health.anomaly_count == 0


@pytest.mark.parametrize(
    "removal",
    [
        {"event": "object_delete", "purge": True},
        {"event": "object_unshare"},
    ],
    ids=["purge", "unshare"],
)
def test_removing_the_object_removes_its_comments(removal: dict[str, Any]) -> None:
    stream = Stream()
    stream.add("comment_new", comment=C1, owner=OTHER, text="first", object=ref())
    name = removal.pop("event")
    stream.add(name, object=OBJ, type="contact", owner=ME, **removal)
    mirror = stream.fold()
    assert OBJ not in mirror.objects
    # Seen again, the object starts without the comments it had.
    stream.add("comment_new", comment=C2, owner=ME, text="again", object=ref())
    assert set(get(stream.fold()).comments) == {C2}


comment_ids = st.sampled_from([C1, C2, THIRD])
comment_steps = st.lists(
    st.tuples(
        st.sampled_from(["comment_new", "comment_modify", "comment_delete"]),
        comment_ids,
        st.text(max_size=5),
    ),
    max_size=25,
)


@given(comment_steps)
def test_comments_follow_map_semantics_for_any_sequence(
    steps: list[tuple[str, str, str]],
) -> None:
    stream = Stream()
    expected: dict[str, str] = {}
    for name, comment, text in steps:
        if name == "comment_delete":
            stream.add(name, comment=comment, owner=ME, object=ref())
            expected.pop(comment, None)
        else:
            stream.add(name, comment=comment, owner=ME, text=text, object=ref())
            expected[comment] = text
    mirror = stream.fold()
    if steps:
        assert {uuid: c.text for uuid, c in get(mirror).comments.items()} == expected
    assert_round_trips(mirror)
