"""The decoder against hostile input: it returns an event or raises EventError, nothing else,
and every rejection names the event id, the type and the exact JSON path of the fault."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventmirror.codec import UnknownEvent
from eventmirror.errors import EventError
from eventmirror.events import EVENT_TYPES, Event
from eventmirror.explain import fields_of, find_problem
from tests.fuzz.hostile import (
    EVENT_NAMES,
    HOSTILE_TEXTS,
    Broken,
    Raw,
    broken_events,
    locations,
    non_events,
    removed,
    render,
    replaced,
)
from tests.fuzz.properties import check_decode, parse
from tests.reference import reference_event


def names_the_place(error: EventError, path: str) -> bool:
    """Whether the error blames ``path`` or a place inside it (``tag`` is not ``tag_add``)."""
    blamed = error.problem.path
    return blamed == path or (blamed.startswith(path) and blamed[len(path)] in ".[")


def check_broken(broken: Broken) -> None:
    outcome = check_decode(broken.data)
    where = broken.where
    if broken.mutation == "extra":
        # Unknown fields are a newer server's additions: ignored, unless they hold what no
        # JSON parser reads (NaN, nesting past its depth limit); then that field is named.
        if isinstance(outcome, EventError):
            assert where is not None
            assert names_the_place(outcome, where.path) or "not JSON" in str(outcome), outcome
        else:
            assert outcome == check_decode(render(broken.original))
    elif broken.mutation == "rename":
        name = parse(broken.data)["event"]
        if name not in EVENT_TYPES:
            assert isinstance(outcome, UnknownEvent) and outcome.name == name
    elif isinstance(outcome, EventError):
        assert where is not None
        # Past the parser's depth limit nothing inside can be read, so no place is named.
        too_deep = str(outcome).startswith("event: not JSON (nested too deeply)")
        assert too_deep or names_the_place(outcome, where.path), (str(outcome), where.path)
    elif where is not None and broken.mutation == "retype":
        # Accepted: then the value really is one the field takes (msgspec and the explainer,
        # which words the messages, agree on what is valid).
        assert isinstance(outcome, Event)
        value: Any = parse(broken.data)
        for key in where.keys:
            value = value[key]
        assert find_problem(value, where.type) is None, (where, value)


@given(broken_events())
def test_any_event_broken_in_one_place_is_decoded_or_rejected_naming_that_place(
    broken: Broken,
) -> None:
    check_broken(broken)


@given(non_events())
def test_anything_that_is_not_an_event_is_rejected_with_a_reason(data: bytes) -> None:
    outcome = check_decode(data)
    assert isinstance(outcome, EventError)


@given(st.sampled_from(EVENT_NAMES), st.data())
def test_text_cut_anywhere_is_rejected_or_still_a_whole_event(
    name: str, data: st.DataObject
) -> None:
    text = render(reference_event(name))
    cut = data.draw(st.integers(0, len(text) - 1))
    outcome = check_decode(text[:cut])
    assert isinstance(outcome, EventError)


def every_place(name: str) -> list[tuple[str, Any, tuple[str | int, ...], str]]:
    wire = reference_event(name)
    return [(name, wire, place.keys, place.path) for place in locations(wire, EVENT_TYPES[name])]


@pytest.mark.parametrize("name", EVENT_NAMES)
def test_every_field_of_every_event_type_with_every_hostile_value(name: str) -> None:
    """Exhaustive where hypothesis samples: each place of each reference example holds each
    hostile value in turn, and each field of each type goes missing."""
    wire = reference_event(name)
    places = list(locations(wire, EVENT_TYPES[name]))
    assert places, name
    for place in places:
        for text in HOSTILE_TEXTS:
            check_broken(
                Broken(render(replaced(wire, place.keys, Raw(text))), "retype", place, wire)
            )
        if isinstance(place.keys[-1], str):
            check_broken(Broken(render(removed(wire, place.keys)), "remove", place, wire))


@pytest.mark.parametrize("name", EVENT_NAMES)
def test_missing_required_fields_are_named_and_optional_ones_are_not_needed(name: str) -> None:
    wire = reference_event(name)
    event_class: type = EVENT_TYPES[name]
    for field in fields_of(event_class):
        if field.wire not in wire or field.wire == "event":
            continue
        outcome = check_decode(render(removed(wire, (field.wire,))))
        if field.required:
            assert isinstance(outcome, EventError)
            assert outcome.problem.path == field.wire
            assert "missing" in str(outcome)
        else:
            assert isinstance(outcome, Event)


@given(st.sampled_from(EVENT_NAMES), st.sampled_from([b"", b"\xef\xbb\xbf", b"  \t", b"\r\n"]))
def test_surrounding_whitespace_and_byte_order_marks(name: str, around: bytes) -> None:
    text = render(reference_event(name))
    outcome = check_decode(around + text + around)
    # JSON allows whitespace around a value, but not a byte-order mark (the reader drops it
    # at the start of a file; one left inside a line is a fault to report).
    assert isinstance(outcome, EventError) == around.startswith(b"\xef")


def test_an_event_type_name_as_a_value_elsewhere_does_not_fool_the_decoder() -> None:
    wire = reference_event("user_metadata")
    wire["update"] = {"event": "tag_new", "id": -1}
    event = check_decode(b'{"x":{"event":"tag_new"},' + render(wire)[1:])
    assert isinstance(event, Event) and event.event == "user_metadata"


@pytest.mark.parametrize("text", [b"[{}]", b"[]", b'""', b"null", b"0", b"\xff"])
def test_non_objects_name_no_field(text: bytes) -> None:
    error = check_decode(text)
    assert isinstance(error, EventError) and error.problem.path == ""


@given(st.dictionaries(st.text(max_size=5), st.sampled_from(HOSTILE_TEXTS).map(Raw), max_size=4))
def test_objects_that_are_hardly_events(raw: dict[str, Raw]) -> None:
    check_decode(render(raw))
    check_decode(msgspec.json.encode({"id": 1, "event": "tag_new"} | dict.fromkeys(raw, 1)))
