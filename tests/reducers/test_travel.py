"""Time travel over recordings: pointers, steps, the timeline, blame, changes and bisect.

Each rule is checked against the plain definition it must agree with: resolving a pointer
against ``to_json``, the timeline's mirrors against folding the first records, blame against
diffing consecutive mirrors, the guided changes against ``reducers.diff``, bisect against
evaluating the condition on the whole JSON form after every event.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jmespath
import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reducers
import reducers._watch
from benchmarks.generate import SMALL, lines
from reducers.blame import blame
from reducers.changes import named_strings, step_changes
from reducers.condition import Condition, ConditionError, bisect
from reducers.pointer import MISSING, PointerError, parse_pointer, resolve
from reducers.steps import Mark, steps
from reducers.timeline import IdNotFound, Timeline
from tests.reducers.travel_support import at, folded, pointers_of, recordings

Recording = tuple[list[bytes], str | None]


def _related(path: str, pointer: str) -> bool:
    """Whether a change at ``path`` changes the value at ``pointer`` (at, above or below)."""
    return path == pointer or pointer.startswith(path + "/") or path.startswith(pointer + "/")


def _value_history(lines_: list[bytes], pointer: str, me: str | None) -> list[int]:
    """The records after which the value at ``pointer`` differs, comparing whole JSON forms;
    each such record's diff has a change at the path, above it or below it."""
    keys = parse_pointer(pointer)
    found = []
    for step in steps(lines_, me=me):
        old, new = _at_or_missing(step.before, keys), _at_or_missing(step.mirror, keys)
        if msgspec.json.encode(old) != msgspec.json.encode(new):
            changes = reducers.diff(step.before, step.mirror, stream=True)
            assert any(_related(change.path, pointer) for change in changes)
            found.append(step.index)
    return found


def _at_or_missing(mirror: reducers.Mirror, keys: tuple[str, ...]) -> Any:
    try:
        return at(reducers.to_json(mirror), keys)
    except (KeyError, IndexError, ValueError, TypeError):
        return "(missing)"


@given(recordings())
def test_a_pointer_resolves_in_the_mirror_as_in_its_json_form(recording: Recording) -> None:
    lines_, me = recording
    mirror = reducers.fold(lines_, me=me)
    document = reducers.to_json(mirror)
    for text in pointers_of(document):
        keys = parse_pointer(text)
        assert reducers.resolve(mirror, text) == at(document, keys), text


@given(recordings(), st.lists(st.text(max_size=3), min_size=1, max_size=4))
def test_a_pointer_to_nothing_resolves_to_missing(recording: Recording, keys: list[str]) -> None:
    lines_, me = recording
    mirror = reducers.fold(lines_, me=me)
    document = reducers.to_json(mirror)
    try:
        expected = at(document, tuple(keys))
    except (KeyError, IndexError, ValueError, TypeError):
        expected = MISSING
    if (
        isinstance(expected, list | dict)
        or expected is MISSING
        or not isinstance(document.get(keys[0]), dict)
    ):
        assert resolve(mirror, tuple(keys)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("objects", "must start with '/' (did you mean '/objects'?)"),
        ("/objects/a~2b", "'~' must be written '~0'"),
    ],
)
def test_a_malformed_pointer_is_an_error(text: str, message: str) -> None:
    with pytest.raises(PointerError, match=re.escape(message)):
        parse_pointer(text)


def test_a_null_value_is_a_value() -> None:
    mirror = reducers.fold(
        [b'{"id": 0, "event": "user_metadata", "time": 1, "update": {"k": null}}']
    )
    assert resolve(mirror, "/user_metadata/k") is None
    assert resolve(mirror, "/user_metadata/other") is MISSING


def test_escapes_follow_rfc_6901() -> None:
    assert parse_pointer("/a~1b/m~0n/") == ("a/b", "m~n", "")
    assert parse_pointer("") == ()


@given(recordings(), st.integers(1, 7), st.data())
def test_mirror_at_is_the_fold_of_the_first_records(
    recording: Recording, every: int, data: st.DataObject
) -> None:
    lines_, me = recording
    timeline = Timeline.open(lines_, every=every, me=me)
    assert len(timeline) == len(lines_)
    count = data.draw(st.integers(0, len(lines_)), label="count")
    assert reducers.dumps(timeline.mirror_at(count)) == reducers.dumps(folded(lines_, count, me))


@given(recordings())
def test_a_step_holds_the_mirror_after_its_record_and_its_marks(recording: Recording) -> None:
    lines_, me = recording
    taken = list(steps(lines_, me=me))
    for step in taken:
        assert reducers.dumps(step.mirror) == reducers.dumps(folded(lines_, step.index + 1, me))
        health, before = step.mirror.health, step.before.health
        assert bool(step.marks & Mark.DUPLICATE) == (health.duplicates > before.duplicates)
        assert bool(step.marks & Mark.GAP) == (health.missing > before.missing)
        assert bool(step.marks & Mark.RESET) == (health.reset_count > before.reset_count)
        assert bool(step.marks & Mark.REJECTED) == (health.rejected > before.rejected)
        if step.marks & Mark.REJECTED:
            assert step.reason


@contextmanager
def chunks_of(size: int) -> Iterator[None]:
    """Blame and bisect fold the recording ``size`` records at a time (small: so that tests
    see chunks left out)."""
    kept = reducers._watch.CHUNK
    reducers._watch.CHUNK = size
    try:
        yield
    finally:
        reducers._watch.CHUNK = kept


@given(recordings(), st.integers(1, 6), st.data())
def test_blame_agrees_with_diffing_consecutive_mirrors(
    recording: Recording, every: int, data: st.DataObject
) -> None:
    lines_, me = recording
    final = reducers.fold(lines_, me=me)
    candidates = [p for p in pointers_of(reducers.to_json(final)) if p.count("/") >= 2]
    if not candidates:
        return
    pointer = data.draw(st.sampled_from(candidates), label="pointer")
    expected = _value_history(lines_, pointer, me)
    with chunks_of(data.draw(st.integers(1, 8), label="chunk")):
        found = blame(lines_, pointer, history=True, me=me)
    assert [setter.index for setter in found.history] == expected
    assert (found.last.index if found.last else None) == (expected[-1] if expected else None)
    assert found.value == resolve(final, pointer)
    timeline = Timeline.open(lines_, every=every, me=me)
    assert timeline.blame(pointer, history=True) == found
    if not lines_:
        return
    upto = data.draw(st.integers(0, len(lines_) - 1), label="upto")
    assert [s.index for s in timeline.blame(pointer, upto=upto, history=True).history] == [
        index for index in expected if index <= upto
    ]


@given(recordings())
def test_the_changes_of_a_step_are_the_diff_of_its_mirrors(recording: Recording) -> None:
    lines_, me = recording
    for step in steps(lines_, me=me):
        guided = step_changes(step.before, step.mirror, step.type, named_strings(step.data))
        assert guided == reducers.diff(step.before, step.mirror)


def test_the_changes_of_every_event_type_are_the_diff_of_its_mirrors() -> None:
    # The benchmark recording shows every event type, on slices large enough to be guided.
    recording = list(lines(6000, 1, SMALL))
    timeline = Timeline.open(recording, every=500)
    assert set(timeline.types()) >= {"tag_delete", "trash_purge", "file_delete"}
    for step in steps(recording):
        guided = step_changes(step.before, step.mirror, step.type, named_strings(step.data))
        assert guided == reducers.diff(step.before, step.mirror), step.type
        if step.index % 997 == 0:
            assert timeline.changes_at(step.index) == guided


CONDITIONS = [
    "length(keys(objects)) > `3`",
    "tags.*.policy | length(@) > `1`",
    "stream.resync",
    "objects.*.trashed | contains(@, `true`)",
    "keys(@) | length(@) > `3`",
    "conferences.* | [?live] | length(@) > `0`",
]


@given(recordings(), st.sampled_from(CONDITIONS), st.integers(1, 8))
def test_bisect_agrees_with_a_linear_scan(
    recording: Recording, expression: str, chunk: int
) -> None:
    lines_, me = recording
    compiled = jmespath.compile(expression)

    def holds(mirror: reducers.Mirror) -> bool:
        return Condition(expression).holds(mirror) and compiled.search(
            reducers.to_json(mirror)
        ) not in (None, False, [], {}, "")

    expected = None
    held = holds(reducers.empty(me))
    for step in steps(lines_, me=me):
        now = holds(step.mirror)
        if now and not held:
            expected = step.index
            break
        held = now
    with chunks_of(chunk):
        found = bisect(lines_, expression, me=me)
    assert (found.first.index if found.first else None) == expected
    if found.first is not None and expected is not None:
        assert (found.before.index if found.before else None) == (
            None if expected == 0 else expected - 1
        )


def test_a_condition_reads_only_the_paths_it_names() -> None:
    condition = Condition('objects."a-b".trashed && length(conferences.*.member) > `0`')
    assert condition.paths == (("conferences",), ("objects", "a-b", "trashed"))
    assert Condition("keys(@)").paths is None
    assert Condition('sensors.s.data."12"').paths == (("sensors", "s", "data"),)


@pytest.mark.parametrize("expression", ["objects.[", "length(", "`unterminated"])
def test_a_bad_condition_is_a_clear_error(expression: str) -> None:
    with pytest.raises(ConditionError, match="not a JMESPath expression"):
        Condition(expression)


def test_a_condition_failing_on_a_mirror_is_a_clear_error() -> None:
    with pytest.raises(ConditionError, match="failed"):
        Condition("length(stream.applied)").holds(reducers.empty())


SESSION = [
    b'{"id": 0, "event": "tag_new", "time": 10, "tag": "t1", "owner": "u1", "label": "a",'
    b' "foreign_use": false, "policy": {"u1": 4}}',
    b'{"id": 1, "event": "object_new", "time": 11, "object": "o1", "type": "note",'
    b' "owner": "u1", "description": "first", "tag": ["t1"]}',
    b"not json",
    b'{"id": 1, "event": "object_new", "time": 11, "object": "o1", "type": "note",'
    b' "owner": "u1", "description": "first", "tag": ["t1"]}',
    b'{"id": 4, "event": "object_modify", "time": 12, "object": "o1", "type": "note",'
    b' "owner": "u1", "description": "second"}',
]


def test_the_timeline_keeps_entries_and_answers_by_id() -> None:
    timeline = Timeline.open(io.BytesIO(b"\n".join(SESSION) + b"\n"), every=2)
    entries = list(timeline.entries())
    assert [entry.line for entry in entries] == [1, 2, 3, 4, 5]
    assert [entry.id for entry in entries] == [0, 1, None, 1, 4]
    assert entries[2].marks == Mark.REJECTED and "not JSON" in (entries[2].reason or "")
    assert entries[3].marks == Mark.DUPLICATE
    assert entries[4].marks == Mark.GAP and entries[4].gap == (2, 3)
    assert entries[1].entities == ("o1", "t1", "u1")
    assert timeline.index_of_id(4) == 4
    with pytest.raises(IdNotFound, match="id 9 is not in the recording"):
        timeline.index_of_id(9)
    assert timeline.select(type="object_*") == [1, 3, 4]
    assert timeline.select(entity="o1") == [1, 3, 4]
    assert timeline.select(pointer="/objects/o1/description") == [1, 4]
    assert timeline.select(marked=True) == [2, 3, 4]
    assert [c.path for c in timeline.changes_at(4)] == ["/objects/o1/description"]
    blamed = timeline.blame("/objects/o1/description")
    assert blamed.last is not None
    assert (blamed.value, blamed.last.id, blamed.last.old) == ("second", 4, "first")
    assert timeline.blame("/objects/o1/description", upto=3).value == "first"
    memory = timeline.memory()
    assert memory.checkpoints == 3 and memory.records_bytes > 0


def test_blame_names_the_nearest_key_for_a_path_never_there() -> None:
    with pytest.raises(PointerError, match="no key 'descripton' at /objects/o1; did you mean"):
        blame(SESSION, "/objects/o1/descripton")
    with pytest.raises(PointerError, match="did you mean 'objects'"):
        Timeline.open(SESSION).blame("/object/o1")


@settings(max_examples=10)
@given(recordings())
def test_a_text_mode_file_reads_as_a_binary_one(recording: Recording) -> None:
    lines_, me = recording
    text = b"\n".join(lines_).decode("utf-8", "surrogateescape") + "\n"
    from_text = [(s.line, s.data) for s in steps(io.StringIO(text), me=me)]
    from_binary = [(s.line, s.data) for s in steps(io.BytesIO(text.encode()), me=me)]
    assert from_text == from_binary


def test_blame_through_checkpoints_sees_a_value_that_changed_back() -> None:
    description = [b"a", b"b", b"a"]
    lines_ = (
        [SESSION[0], SESSION[1]]
        + [
            b'{"id": %d, "event": "object_modify", "time": %d, "object": "o1", "type": "note",'
            b' "owner": "u1", "description": "%s"}' % (2 + n, 20 + n, text)
            for n, text in enumerate(description)
        ]
        + [SESSION[0].replace(b'"id": 0', b'"id": %d' % n) for n in range(5, 12)]
    )
    timeline = Timeline.open(lines_, every=3)  # "a" at both ends of records 3..5
    history = timeline.blame("/objects/o1/description", history=True).history
    assert [setter.id for setter in history] == [1, 2, 3, 4]
    with chunks_of(10):
        assert blame(lines_, "/objects/o1/description", history=True).history == history


def test_the_changes_of_expiring_timers_in_a_large_slice_are_the_diff() -> None:
    chat = b'{"id": %d, "event": "chat_new", "time": 10, "chat": "c%d", "create_time": 10}'
    lines_ = [chat % (n, n) for n in range(80)]
    lines_.append(
        b'{"id": 80, "event": "chat_user", "time": 11, "chat": "c7", "user": {"u2": {"typing": 5}}}'
    )
    lines_.append(b'{"id": 81, "event": "chat_new", "time": 30, "chat": "c99",'
                  b' "create_time": 30}')  # fmt: skip
    last = list(steps(lines_, me="u1"))[-1]
    changes = step_changes(last.before, last.mirror, last.type, named_strings(last.data))
    assert changes == reducers.diff(last.before, last.mirror)
    assert any(change.path.startswith("/chats/c7/") for change in changes)


def test_the_changes_inside_a_large_map_are_the_diff() -> None:
    # A volume of 70 files: a change to one file is found among the keys the event names; a
    # folder's deletion removes files it does not name, and the sizes say so.
    def file(n: int, **more: object) -> bytes:
        fields = {"commit": "k", "file": f"f{n}", "volume": "v", "type": "file",
                  "name": f"n{n}", **more}  # fmt: skip
        return msgspec.json.encode({"id": n, "event": "file_new", "time": 10, **fields})

    lines_ = [file(0, type="folder")] + [file(n, parent="f0") for n in range(1, 70)]
    lines_.append(
        b'{"id": 70, "event": "file_modify", "time": 11, "commit": "k", "file": "f5",'
        b' "volume": "v", "type": "file", "name": "renamed"}'
    )
    lines_.append(
        b'{"id": 71, "event": "file_delete", "time": 12, "commit": "k", "file": "f0",'
        b' "volume": "v"}'
    )
    taken = list(steps(lines_))
    for step in taken[-2:]:
        changes = step_changes(step.before, step.mirror, step.type, named_strings(step.data))
        assert changes == reducers.diff(step.before, step.mirror)
    assert len(reducers.diff(taken[-1].before, taken[-1].mirror)) == 70
