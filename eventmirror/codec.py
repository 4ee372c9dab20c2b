"""Decoding events from JSON into the event model, and encoding them back.

The fast path finds the ``"event"`` name in the raw bytes and lets msgspec decode and validate
the whole line straight into that attrs class (1.4 us for a typical event, faster than
``orjson.loads`` builds a dict). If anything about that guess is off (no name, an unknown
name, a nested ``"event"`` key seen first, a bad field) the slow path decodes the line
generically, reads the real name, and either converts it or explains exactly what is wrong.

Fields the reference does not define (a newer server's additions, or a typo) never make an
event unreadable: :func:`decode` leaves them out of the event, and :func:`decode_in_full`
also names each one (:class:`UnknownField`), so that the reducers can count them (lenient
mode) or refuse the event (strict mode).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Final

import attrs
import cattrs
import msgspec
from cattrs.gen import make_dict_unstructure_fn, override

from .errors import EventError, Problem, did_you_mean, preview
from .events import EVENT_TYPES, Event
from .explain import find_object_problem, find_unreadable, hints, salvage, wire_name
from .recording import oversized_marker
from .unknown_fields import UnknownField, without_unknown_fields

__all__ = [
    "UnknownEvent",
    "UnknownField",
    "decode",
    "decode_in_full",
    "decode_object",
    "encode",
    "event_id_of",
    "to_wire",
    "unknown_type_problem",
]


@attrs.frozen
class UnknownEvent:
    """An event whose type this library does not know: counted and kept, never applied."""

    id: int
    name: str
    raw: Mapping[str, Any]
    time: int | None = None


def _has_wire_names(tp: Any) -> bool:
    """Whether decoding ``tp`` needs keys renamed first: msgspec renames Struct fields itself
    but cannot rename attrs fields (``action-uuid``)."""
    if attrs.has(tp):
        return any(
            wire_name(f) != f.name or _has_wire_names(hints(tp)[f.name]) for f in attrs.fields(tp)
        )
    return any(_has_wire_names(arg) for arg in typing.get_args(tp))


_RENAMED: Final = frozenset(cls for cls in EVENT_TYPES.values() if _has_wire_names(cls))


def _renaming_decoder(cls: Any) -> Callable[[bytes], Event]:
    """A fast decoder for an event class with wire names that are not identifiers: msgspec
    decodes into a Struct twin that knows the wire names, then the attrs class is built."""
    fields = attrs.fields(cls)
    types = hints(cls)
    twin = msgspec.defstruct(
        f"{cls.__name__}OnTheWire",
        [
            (f.name, types[f.name])
            if f.default is attrs.NOTHING
            else (f.name, types[f.name], f.default)
            for f in fields
        ],
        kw_only=True,
        rename={f.name: wire_name(f) for f in fields},
    )
    decode_twin = msgspec.json.Decoder(twin).decode
    names = [f.name for f in fields]

    def decode(data: bytes) -> Event:
        wire = decode_twin(data)
        event: Event = cls(**{name: getattr(wire, name) for name in names})
        return event

    return decode


_FAST: Final[dict[bytes, Callable[[bytes], Event]]] = {
    name.encode(): _renaming_decoder(cls) if cls in _RENAMED else msgspec.json.Decoder(cls).decode
    for name, cls in EVENT_TYPES.items()
}
_GENERIC: Final = msgspec.json.Decoder()
_MAX_ID: Final = 2**63 - 1
_ID_EXPECTED: Final = "an event id >= 0"


def decode(data: bytes | str) -> Event | UnknownEvent:
    """Decode one event from its JSON text.

    Returns the event's class instance, or an :class:`UnknownEvent` for a type the reference
    does not list. Raises :class:`EventError` for anything else: text that is not JSON, JSON
    that is not an event, or an event with a missing or mistyped field.
    """
    if type(data) is not bytes:
        data = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    start = data.find(b'"event"')
    if start >= 0:
        open_quote = data.find(b'"', start + 7)
        decoder = _FAST.get(data[open_quote + 1 : data.find(b'"', open_quote + 1)])
        if decoder is not None:
            try:
                event: Event = decoder(data)
            except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
                pass
            else:
                return event
    try:
        raw = _GENERIC.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as error:
        raise _unparsable(data, error) from None
    return decode_object(raw)


def _unparsable(data: bytes, error: Exception) -> EventError:
    """Why msgspec could not parse ``data``: at the value it refused, when a forgiving parser
    can find it (``NaN``, ``1e400``, a string that is not UTF-8), else for the whole text."""
    raw = salvage(data)
    if isinstance(raw, dict):
        try:
            decode_object(raw)
        except EventError as named:
            if named.problem.path:
                return named
        # The refused value sits where any value goes (metadata) or in an ignored field;
        # the id and the name were read, or decode_object would have named them.
        problem = find_unreadable(raw)
        assert problem is not None
        return EventError(problem, event_id=raw["id"], event_type=raw["event"])
    oversized = oversized_marker(data)
    if oversized is not None:
        what, limit = oversized
        article = "an" if what == "array element" else "a"
        advice = "replay --max-document raises the limit"
        expected = f"too large: {article} {what} over {limit} bytes, skipped unread ({advice})"
        return EventError(Problem(path="", expected=expected))
    if isinstance(error, UnicodeDecodeError):
        reason = "a string is not valid UTF-8"
    elif isinstance(error, RecursionError):
        reason = "nested too deeply"
    else:
        reason = str(error)
    return EventError(Problem(path="", expected=f"not JSON ({reason}): {_text_preview(data)}"))


def _text_preview(data: bytes, limit: int = 60) -> str:
    text = data[: limit * 4].decode("utf-8", "backslashreplace")
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def decode_object(raw: Any) -> Event | UnknownEvent:
    """Decode one event from an already parsed JSON value (a dict from ``json.loads``)."""
    return _decode_object(raw)[0]


def event_id_of(event: Event | UnknownEvent | bytes | str | Mapping[str, Any]) -> int | None:
    """The id of ``event`` (decoded, its JSON text or its parsed JSON), when it can be read:
    a malformed event's too, when the decoder could read that much; None otherwise."""
    if isinstance(event, Event | UnknownEvent):
        return event.id
    try:
        return (decode_object(event) if isinstance(event, Mapping) else decode(event)).id
    except EventError as error:
        return error.event_id


def decode_in_full(
    data: bytes | str | Mapping[str, Any],
) -> tuple[Event | UnknownEvent, tuple[UnknownField, ...]]:
    """Decode one event (JSON text or a parsed object) as :func:`decode` does, and also name
    every field in it that the reference does not define, which the event leaves out.

    The event is exactly what :func:`decode` gives (or raises); the text is then parsed again
    generically to find the keys: slower, for the few lines the fast paths refuse.
    """
    if isinstance(data, Mapping):
        return _decode_object(data if isinstance(data, dict) else dict(data))
    event = decode(data)
    if isinstance(event, UnknownEvent):
        return event, ()
    if type(data) is not bytes:
        data = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    try:
        raw = _GENERIC.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        # A value msgspec refuses (text that is not UTF-8, NaN) in a key the event left out.
        raw = salvage(data)
    if not isinstance(raw, dict):
        return event, ()
    return event, without_unknown_fields(raw, type(event), event.event)[1]


def unknown_type_problem(name: str) -> Problem:
    """What is wrong with an event of a type the reference does not list (strict mode)."""
    # Names share their endings (_new, _delete): only a close match is a likely typo.
    hint = did_you_mean(name, EVENT_TYPES, cutoff=0.75)
    expected = f"not one of the reference's event types{hint}"
    return Problem(path="", expected=expected)


def _decode_object(raw: Any) -> tuple[Event | UnknownEvent, tuple[UnknownField, ...]]:
    if not isinstance(raw, dict):
        raise EventError(Problem(path="", expected="a JSON object", got=preview(raw)))
    event_id = raw.get("id")
    name = raw.get("event")
    if not isinstance(event_id, int) or isinstance(event_id, bool) or not 0 <= event_id <= _MAX_ID:
        # An id past the 64-bit range is unreadable too: taking it would move the cursor so
        # far that every later event of the stream would count as a duplicate.
        if "id" not in raw:
            problem = Problem(path="id", expected=f"missing, expected {_ID_EXPECTED}")
        elif isinstance(event_id, int) and event_id > _MAX_ID:
            expected = f"{_ID_EXPECTED} that fits in 64 bits"
            problem = Problem(path="id", expected=expected, got=preview(event_id))
        else:
            problem = Problem(path="id", expected=_ID_EXPECTED, got=preview(event_id))
        raise EventError(problem, event_type=name if isinstance(name, str) else None)
    if not isinstance(name, str):
        got = preview(name) if "event" in raw else None
        expected = "an event type name" if got else "missing, expected an event type name"
        raise EventError(Problem(path="event", expected=expected, got=got), event_id=event_id)
    cls = EVENT_TYPES.get(name)
    if cls is None:
        time = raw.get("time")
        return UnknownEvent(event_id, name, raw, time if type(time) is int else None), ()
    # Unknown keys at the top are seen at once; nested structures refuse theirs, so a
    # conversion that fails may only have met one of those: then they are found and dropped.
    walked = not raw.keys() <= _WIRE_NAMES[cls]
    cleaned, unknown = without_unknown_fields(raw, cls, name) if walked else (raw, ())
    try:
        return _convert(cleaned, cls), unknown
    except msgspec.ValidationError as error:
        failure = error
    if not walked:
        cleaned, unknown = without_unknown_fields(raw, cls, name)
        if unknown:
            try:
                return _convert(cleaned, cls), unknown
            except msgspec.ValidationError as error:
                failure = error
    problem = find_object_problem(cleaned, cls) or Problem(path="", expected=str(failure))
    raise EventError(problem, event_id=event_id, event_type=name) from None


def _convert(value: dict[str, Any], cls: type[Event]) -> Event:
    event: Event = msgspec.convert(_python_names(value, cls) if cls in _RENAMED else value, cls)
    return event


#: Event class -> the keys it defines, as on the wire.
_WIRE_NAMES: Final = {
    cls: frozenset(wire_name(field) for field in attrs.fields(cls)) for cls in EVENT_TYPES.values()
}


def _python_names(value: Any, tp: Any) -> Any:
    """Rename wire keys to attribute names, following the type (``from`` -> ``from_``)."""
    if attrs.has(tp) and isinstance(value, dict):
        field_types = hints(tp)
        renamed = dict(value)
        for field in attrs.fields(tp):
            name = wire_name(field)
            if name != field.name:
                # Only the wire name counts: ``action_uuid`` on the wire is an unknown key.
                renamed.pop(field.name, None)
            if name in renamed:
                renamed[field.name] = _python_names(renamed.pop(name), field_types[field.name])
        return renamed
    origin = typing.get_origin(tp)
    if origin is dict and isinstance(value, dict):
        value_type = typing.get_args(tp)[1]
        return {k: _python_names(v, value_type) for k, v in value.items()}
    if origin is list and isinstance(value, list):
        (item_type,) = typing.get_args(tp)
        return [_python_names(v, item_type) for v in value]
    for arm in typing.get_args(tp):
        if _has_wire_names(arm):
            return _python_names(value, arm)
    return value


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter()

    def unstructure_hook(cls: type) -> Any:
        field_types = hints(cls)
        overrides: dict[str, Any] = {
            f.name: override(
                rename=wire_name(f),
                omit_if_default=f.name != "event",
                # JSON already: copied in C. cattrs would walk it in Python, two frames a
                # level, and fail on a metadata value nested 400 deep that decoded fine.
                unstruct_hook=msgspec.to_builtins if _plain_json(field_types[f.name]) else None,
            )
            for f in attrs.fields(cls)
        }
        return make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **overrides)

    converter.register_unstructure_hook_factory(attrs.has, unstructure_hook)
    # Nested structures are Structs that know their wire names and leave absent fields out.
    converter.register_unstructure_hook(msgspec.Struct, msgspec.to_builtins)
    return converter


def _plain_json(tp: Any) -> bool:
    """Whether values of type ``tp`` are plain JSON (no attrs class or Struct inside)."""
    if tp is Any or tp in (str, int, float, bool, type(None)):
        return True
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return True
    if origin is typing.Annotated:
        return _plain_json(typing.get_args(tp)[0])
    if origin in (list, dict, tuple, typing.Union, types.UnionType):
        return all(arg is Ellipsis or _plain_json(arg) for arg in typing.get_args(tp))
    return False


_CONVERTER: Final = _make_converter()


def to_wire(event: Event) -> dict[str, Any]:
    """An event as the platform sends it: wire names, absent optional fields left out."""
    wire = _CONVERTER.unstructure(event)
    assert isinstance(wire, dict)
    return {"id": wire.pop("id"), "event": wire.pop("event"), "time": wire.pop("time"), **wire}


@cache
def _encoder() -> msgspec.json.Encoder:
    return msgspec.json.Encoder()


def encode(event: Event) -> bytes:
    """An event's JSON text, one line, as the platform would send it."""
    return _encoder().encode(to_wire(event))
