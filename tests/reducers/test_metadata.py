"""Metadata reducers (docs/design.md, "metadata": ``update`` merges keys, ``delete`` removes keys,
for the user's metadata and per object)."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers import Mirror
from reducers.objects import Object
from tests.support import ME, OTHER, Stream

OBJ = "94f1bb1a-5931-11e0-8db5-0024e8f90cc0"
NEIGHBOUR = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"
TAG = "be00e8aa-5c3d-11e0-b0cf-0024e8f90cc0"
START = {"com.x.keep": "kept", "com.x.change": 1, "com.x.drop": [1, {"deep": True}]}

UPDATE_DELETE = [
    pytest.param({"com.x.change": 2, "com.x.new": {"a": [None]}}, None, id="update-only"),
    pytest.param(None, ["com.x.drop", "com.x.never-set"], id="delete-only"),
    pytest.param({"com.x.change": 2}, ["com.x.drop"], id="update-and-delete"),
    pytest.param(None, None, id="neither"),
]


def assert_round_trips(mirror: Mirror) -> None:
    assert reducers.loads(reducers.dumps(mirror)) == mirror


def changes(update: dict[str, Any] | None, delete: list[str] | None) -> dict[str, Any]:
    fields = {"update": update, "delete": delete}
    return {key: value for key, value in fields.items() if value is not None}


def expected_after(update: dict[str, Any] | None, delete: list[str] | None) -> dict[str, Any]:
    result = {**START, **(update or {})}
    for key in delete or ():
        result.pop(key, None)
    return result


def get(mirror: Mirror, uuid: str = OBJ) -> Object:
    obj = mirror.objects.get(uuid)
    assert obj is not None
    return obj


@pytest.mark.parametrize(("update", "delete"), UPDATE_DELETE)
def test_user_metadata_merges_updates_and_removes_deleted_keys(
    update: dict[str, Any] | None, delete: list[str] | None
) -> None:
    stream = Stream()
    stream.add("user_metadata", update=START)
    stream.add("user_metadata", **changes(update, delete))
    mirror = stream.fold()
    assert dict(mirror.user_metadata) == expected_after(update, delete)
    assert reducers.to_json(mirror)["user_metadata"] == expected_after(update, delete)
    assert mirror.objects.by_uuid == reducers.empty().objects.by_uuid
    assert_round_trips(mirror)


@pytest.mark.parametrize(("update", "delete"), UPDATE_DELETE)
@pytest.mark.parametrize("user", [OTHER, None])
def test_object_metadata_merges_updates_and_removes_deleted_keys_of_that_object_only(
    update: dict[str, Any] | None, delete: list[str] | None, user: str | None
) -> None:
    stream = Stream()
    stream.add("object_new", object=OBJ, type="fax", owner=ME, tag=[TAG])
    stream.add("object_metadata", object=OBJ, update=START)
    stream.add("object_metadata", object=NEIGHBOUR, update=START)
    by: dict[str, Any] = {"user": user} if user is not None else {}
    stream.add("object_metadata", object=OBJ, **by, **changes(update, delete))
    mirror = stream.fold()
    assert dict(get(mirror).metadata) == expected_after(update, delete)
    assert dict(get(mirror, NEIGHBOUR).metadata) == START
    assert get(mirror).tag == (TAG,)
    assert len(mirror.user_metadata) == 0
    form = msgspec.json.decode(reducers.dumps(mirror))
    assert form["objects"][OBJ]["metadata"] == expected_after(update, delete)
    assert_round_trips(mirror)


def test_a_key_both_updated_and_deleted_in_one_event_ends_deleted() -> None:
    # The reference does not order the two sections; deleting last means a client that
    # sees both never keeps a key the server reports as deleted.
    stream = Stream()
    stream.add("user_metadata", update={"k": 1, "j": 1}, delete=["k"])
    assert dict(stream.fold().user_metadata) == {"j": 1}


def test_object_metadata_on_an_unseen_object_creates_a_headerless_object() -> None:
    stream = Stream()
    stream.add("object_metadata", object=OBJ, user=ME, update={"k": 1})
    mirror = stream.fold()
    obj = get(mirror)
    assert (obj.type, obj.owner, obj.tag, obj.trashed) == (None, None, None, False)
    assert dict(obj.metadata) == {"k": 1}
    assert "type" not in reducers.to_json(mirror)["objects"][OBJ]  # absent: left out, not null
    assert_round_trips(mirror)


def test_a_later_object_event_fills_the_header_and_keeps_the_metadata() -> None:
    stream = Stream()
    stream.add("object_metadata", object=OBJ, update={"k": 1})
    stream.add("object_new", object=OBJ, type="fax", owner=ME, description="d", tag=[TAG])
    obj = get(stream.fold())
    assert (obj.type, obj.owner, obj.description, obj.tag) == ("fax", ME, "d", (TAG,))
    assert dict(obj.metadata) == {"k": 1}


@pytest.mark.parametrize("purge", [True, False])
def test_removing_the_object_removes_its_metadata(purge: bool) -> None:
    stream = Stream()
    stream.add("object_new", object=OBJ, type="fax", owner=ME, tag=[])
    stream.add("object_metadata", object=OBJ, update={"k": 1})
    if purge:
        stream.add("object_delete", object=OBJ, type="fax", owner=ME, purge=True)
    else:
        stream.add("object_unshare", object=OBJ, type="fax", owner=ME)
    stream.add("object_metadata", object=OBJ, update={"j": 2})
    assert dict(get(stream.fold()).metadata) == {"j": 2}


# --- merge semantics for arbitrary sequences -------------------------------------------------

keys = st.sampled_from(["a", "b", "com.x.c"]) | st.text(max_size=3)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
metadata_changes = st.tuples(
    st.none() | st.dictionaries(keys, json_values, max_size=4),
    st.none() | st.lists(keys, max_size=3),
)


def dict_semantics(steps: list[tuple[dict[str, Any] | None, list[str] | None]]) -> dict[str, Any]:
    model: dict[str, Any] = {}
    for update, delete in steps:
        model.update(update or {})
        for key in delete or ():
            model.pop(key, None)
    return model


@given(st.lists(metadata_changes, max_size=15))
def test_user_metadata_equals_dict_update_then_delete(
    steps: list[tuple[dict[str, Any] | None, list[str] | None]],
) -> None:
    stream = Stream()
    for update, delete in steps:
        stream.add("user_metadata", **changes(update, delete))
    mirror = stream.fold()
    assert dict(mirror.user_metadata) == dict_semantics(steps)
    assert_round_trips(mirror)


@given(st.lists(st.tuples(st.sampled_from([OBJ, NEIGHBOUR]), metadata_changes), max_size=15))
def test_object_metadata_equals_dict_update_then_delete_per_object(
    steps: list[tuple[str, tuple[dict[str, Any] | None, list[str] | None]]],
) -> None:
    stream = Stream()
    for uuid, (update, delete) in steps:
        stream.add("object_metadata", object=uuid, **changes(update, delete))
    mirror = stream.fold()
    for uuid in {uuid for uuid, _ in steps}:
        expected = dict_semantics([change for target, change in steps if target == uuid])
        assert dict(get(mirror, uuid).metadata) == expected
    assert_round_trips(mirror)
