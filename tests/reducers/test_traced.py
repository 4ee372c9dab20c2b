"""``reducers.trace``: each record of a recording with what it changed, folded in place.

Every record a trace reports must say what :func:`reducers.steps` says of it, its changes
must be ``reducers.diff`` of the mirrors :func:`reducers.steps` keeps before and after it, and
its descriptions what :func:`reducers.describe.describe` finds in those two mirrors.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from benchmarks.generate import SMALL, lines
from reducers._journal import ABSENT, Before, RecordingDraft
from reducers.describe import describe
from reducers.traced import TracedRecord, trace
from tests.reducers.travel_support import folded, recordings

Recording = tuple[list[bytes], str | None]


def _facts(record: Any) -> tuple[Any, ...]:
    return (record.index, record.line, record.id, record.type, record.time, record.entities,
            int(record.marks), record.reason, record.gap)  # fmt: skip


def _named(record: Any, changes: list[reducers.Change]) -> set[tuple[str, bool]]:
    from eventmirror.travel.common import path_entities

    named = {(uuid, False) for uuid in record.entities}
    for change in changes:
        named.update(path_entities(change.path))
    return named


def _traced(source: Any, me: str | None, start: reducers.Mirror | None = None) -> list[Any]:
    seen: list[Any] = []

    def each(record: TracedRecord) -> None:
        changes = record.changes()
        names = {key: record.describe(*key) for key in sorted(_named(record, changes))}
        seen.append((_facts(record), changes, names))

    trace(source, each, start, me=me)
    return seen


def _stepped(source: Any, me: str | None, start: reducers.Mirror | None = None) -> list[Any]:
    seen = []
    for step in reducers.steps(source, start, me=me):
        changes = reducers.diff(step.before, step.mirror)
        names = {
            key: describe(key[0], step.mirror, step.before, files=key[1])
            for key in sorted(_named(step, changes))
        }
        seen.append((_facts(step), changes, names))
    return seen


@given(recordings())
def test_a_trace_reports_what_steps_and_diff_find(recording: Recording) -> None:
    lines_, me = recording
    assert _traced(lines_, me) == _stepped(lines_, me)


@given(recordings(max_size=20), st.integers(0, 20))
def test_a_trace_from_a_mirror_leaves_that_mirror_as_it_was(
    recording: Recording, split: int
) -> None:
    # The journal drafts every slice of the mirror it starts from: in a copy, never in place.
    lines_, me = recording
    start = reducers.fold(lines_[:split], me=me)
    saved = reducers.dumps(start)
    assert _traced(lines_[split:], me, start) == _stepped(lines_[split:], me, start)
    assert reducers.dumps(start) == saved


@given(recordings())
def test_a_trace_ends_in_the_mirror_its_records_fold_into(recording: Recording) -> None:
    lines_, me = recording
    final = trace(lines_, lambda record: None, me=me)
    assert final is not None
    expected = folded(lines_, len(lines_), me)  # numbered as steps numbers them
    assert reducers.dumps(final) == reducers.dumps(expected)
    assert final.health == expected.health


def test_every_event_type_of_the_benchmark_recording_is_traced_as_diff_finds_it() -> None:
    # A generated day has every event type, chats and sensors with long histories, objects
    # going through the trash, files moving between folders.
    data = b"\n".join(lines(3000, 1, SMALL))
    traced = _traced(io.BytesIO(data), None)
    assert traced == _stepped(io.BytesIO(data), None)
    assert len({facts[3] for facts, _, _ in traced}) >= 40  # event types


def test_each_may_stop_the_trace(tmp_path: Any) -> None:
    path = tmp_path / "session.jsonl"
    path.write_bytes(b"\n".join(lines(50, 1, SMALL)))
    seen: list[int | None] = []

    def each(record: TracedRecord) -> bool:
        seen.append(record.id)
        return record.index == 9

    assert trace(str(path), each) is None
    assert len(seen) == 10


def test_changes_are_read_during_the_call(tmp_path: Any) -> None:
    # Afterwards the fold has edited the mirror further: asking then is an error, not a
    # wrong answer; changes read during the call stay readable.
    kept: list[TracedRecord] = []
    read: list[TracedRecord] = []

    def each(record: TracedRecord) -> None:
        kept.append(record)
        if record.index == 3:
            record.changes()
            read.append(record)

    trace(list(lines(10, 1, SMALL)), each)
    with pytest.raises(RuntimeError, match="during its call to each"):
        kept[5].changes()
    assert read[0].changes() == read[0].changes() != []


def test_bytes_are_not_a_source() -> None:
    with pytest.raises(TypeError, match="not bytes"):
        trace(b"{}", lambda record: None)  # type: ignore[arg-type]


# --- the recording drafts underneath ------------------------------------------------------

KEYS = st.sampled_from(["a", "b", "c", 1, 2])
OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["set", "delete", "pop", "update", "item"]), KEYS, st.integers()),
    max_size=12,
)


@given(st.dictionaries(KEYS, st.integers(), max_size=4), OPERATIONS)
def test_a_recording_draft_remembers_the_map_before_the_record(
    start: dict[Any, int], operations: list[tuple[str, Any, int]]
) -> None:
    touched: list[RecordingDraft] = []
    draft = RecordingDraft(reducers.Mirror().tags.update(start), touched, "tags")
    model = dict(start)
    for operation, key, value in operations:
        if operation == "set":
            draft.set(key, value)
            model[key] = value
        elif operation == "update":
            draft.update({key: value})
            model[key] = value
        elif operation == "item":
            draft[key] = value
            model[key] = value
        elif key in model:
            if operation == "delete":
                draft.delete(key)
            else:
                assert draft.pop(key) == model[key]
            del model[key]
    before = Before(draft)
    assert dict(before.items()) == start and len(before) == len(start)
    assert dict(draft.items()) == model
    assert touched == ([draft] if draft.before else [])
    assert all(draft.before[key] is ABSENT for key in draft.before if key not in start)


def test_descriptions_are_read_from_the_slices_a_trace_watches() -> None:
    # A trace keeps descriptions until a record touches an entity of these slices: the
    # description must read no other (a slice added there must be added to READS).
    import ast
    import inspect

    from reducers import describe as module

    tree = ast.parse(inspect.getsource(module.description))
    read = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert read & set(reducers.SLICES) == module.READS | {module.FILES_IN}
