"""Comparing mirrors (reducers/diff.py): same_state, and diff as JSON Pointer paths."""

from __future__ import annotations

import copy
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror import strategies
from reducers import Change
from reducers.diff import pointer
from tests.support import ME, OTHER, Stream

streams = strategies.wire_streams(max_size=30)
OBJ = "94f1bb1a-5931-11e0-8db5-0024e8f90cc0"


def folded(stream: list[dict[str, Any]]) -> reducers.Mirror:
    return reducers.fold([msgspec.json.encode(e) for e in stream], me=ME)


def keys_of(path: str) -> list[str]:
    """The keys of a JSON Pointer (RFC 6901), read independently of reducers.diff."""
    assert path.startswith("/")
    return [k.replace("~1", "/").replace("~0", "~") for k in path[1:].split("/")]


def patched(document: dict[str, Any], changes: list[Change]) -> dict[str, Any]:
    """``document`` with ``changes`` applied."""
    document = copy.deepcopy(document)
    for change in changes:
        keys = keys_of(change.path)
        target = document
        for key in keys[:-1]:
            target = target[key]
        if change.kind == "removed":
            assert change.new is msgspec.UNSET and target[keys[-1]] == change.old
            del target[keys[-1]]
        elif change.kind == "added":
            assert change.old is msgspec.UNSET and keys[-1] not in target
            target[keys[-1]] = change.new
        else:
            assert target[keys[-1]] == change.old
            target[keys[-1]] = change.new
    return document


def without_stream(document: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in document.items() if name != "stream"}


def test_changes_are_json_pointers_with_their_kind_and_values() -> None:
    stream = Stream()
    stream.add("object_new", object=OBJ, type="fax", owner=ME, description="a", tag=[])
    stream.add("user_metadata", update={"a/b": 1, "c~d": None, "gone": True})
    before = stream.fold()
    stream.add("object_modify", object=OBJ, type="fax", owner=ME, description="b")
    stream.add("user_metadata", update={"a/b": 2, "new": [1]}, delete=["gone"])
    after = stream.fold()
    assert reducers.diff(before, after) == [
        Change("/objects/" + OBJ + "/description", "changed", old="a", new="b"),
        Change("/user_metadata/a~1b", "changed", old=1, new=2),
        Change("/user_metadata/gone", "removed", old=True),
        Change("/user_metadata/new", "added", new=[1]),
    ]
    assert reducers.diff(after, before)[2] == Change("/user_metadata/gone", "added", new=True)
    # A JSON null is a value: the change encodes without the absent side only.
    assert msgspec.json.encode(Change("/user_metadata/c~0d", "removed", old=None)) == (
        b'{"path":"/user_metadata/c~0d","kind":"removed","old":null}'
    )


def test_values_are_compared_as_json() -> None:
    one, true = Stream(), Stream()
    one.add("user_metadata", update={"k": 1})
    true.add("user_metadata", update={"k": True})
    assert one.fold().same_state(one.fold())
    assert not reducers.same_state(one.fold(), true.fold())  # 1 == True in Python, not in JSON
    assert reducers.diff(one.fold(), true.fold()) == [
        Change("/user_metadata/k", "changed", old=1, new=True)
    ]


def test_the_stream_is_compared_only_when_asked() -> None:
    stream = Stream()
    stream.add("tag_new", tag=OBJ, owner=ME, label="l", foreign_use=False, policy={ME: 4})
    early = stream.fold()
    stream.add("tag_new", tag=OBJ, owner=ME, label="l", foreign_use=False, policy={ME: 4})
    late = stream.fold()
    assert reducers.same_state(early, late) and reducers.diff(early, late) == []
    assert reducers.diff(early, late, stream=True) == [
        Change("/stream/applied", "changed", old=1, new=2),
        Change("/stream/last_id", "changed", old=0, new=1),
        Change("/stream/now", "changed", old=1_000_001, new=1_000_002),
    ]


def test_a_json_form_compares_like_its_mirror_and_may_leave_out_empty_slices() -> None:
    stream = Stream()
    stream.add("presentation_join", presentation=OBJ, user=OTHER)
    mirror = stream.fold()
    view = {"presentations": {OBJ: {"live": False, "member": (OTHER,)}}}  # a tuple: a list
    assert reducers.same_state(mirror, view) and reducers.same_state(view, mirror)
    assert reducers.diff({}, view) == [
        Change(f"/presentations/{OBJ}", "added", new={"live": False, "member": [OTHER]})
    ]


def test_something_else_is_a_clear_error() -> None:
    with pytest.raises(reducers.MirrorFormatError, match=r"b: not sections .*\['tagz'\]"):
        reducers.diff(reducers.empty(), {"tagz": {}})
    with pytest.raises(TypeError, match="a: expected a Mirror or a mirror's JSON form"):
        reducers.diff([], reducers.empty())  # type: ignore[arg-type]


def test_pointer_escapes_as_rfc_6901_says() -> None:
    assert pointer("a/b", "m~n", "") == "/a~1b/m~0n/"


@given(streams, st.booleans())
def test_a_mirror_has_no_changes_from_itself_or_its_json_form(
    stream: list[dict[str, Any]], with_stream: bool
) -> None:
    mirror = folded(stream)
    document = reducers.to_json(mirror)
    assert reducers.diff(mirror, mirror, stream=with_stream) == []
    assert reducers.diff(mirror, document, stream=with_stream) == []
    assert reducers.diff(reducers.loads(reducers.dumps(mirror)), mirror, stream=with_stream) == []


@given(streams, streams, st.data())
def test_applying_the_changes_to_a_json_form_gives_the_other(
    first: list[dict[str, Any]], second: list[dict[str, Any]], data: st.DataObject
) -> None:
    # Half the time two prefixes of one stream (small differences), else two streams.
    if data.draw(st.booleans()):
        second = first[: data.draw(st.integers(0, len(first)))]
    a, b = folded(first), folded(second)
    with_stream = data.draw(st.booleans())
    changes = reducers.diff(a, b, stream=with_stream)
    paths = [c.path for c in changes]
    assert paths == sorted(paths, key=keys_of) and len(set(paths)) == len(paths)
    assert (changes == []) == reducers.same_state(a, b, stream=with_stream)
    a_form, b_form = reducers.to_json(a), reducers.to_json(b)
    if with_stream:
        assert patched(a_form, changes) == b_form
    else:
        assert without_stream(patched(a_form, changes)) == without_stream(b_form)
    # Either side may be a JSON form: the same changes.
    assert reducers.diff(a_form, b, stream=with_stream) == changes
    assert reducers.diff(a, b_form, stream=with_stream) == changes
