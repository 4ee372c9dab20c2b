"""The mirror's JSON form: deterministic and loadable.

Top-level keys: ``stream`` (cursor, clock, counters and health), then one key per slice,
entities keyed as in the slice (UUIDs; SIP accounts ``user@domain``), fields named as in the
event reference. What each slice writes and how it is read back is declared with the slice
(:mod:`reducers._slice`): derived indexes are left out and rebuilt on load, so a mirror loaded
from its JSON form continues exactly like the one that was saved.

Two rules hold at every depth: an absent optional field is left out, never written as
``null`` (a ``null`` inside a JSON value the platform sent, such as a sensor point or a
metadata value, is that value and stays); and keys are sorted, except where a slice declares
an order of its own (sensor data and actions by timestamp, chat messages by time).
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any

import immutables
import msgspec

from ._slice import DECLARED, ENCODER, pending_timers, present_fields
from ._state import Map
from .mirror import SLICES, Health, Mirror
from .timers import TimerIndex

_STREAM_HEAD = ("me", "last_id", "now", "applied")
#: The JSON form's top-level keys: the stream, then every slice in the Mirror's order.
SECTIONS: tuple[str, ...] = ("stream", *SLICES)


class MirrorFormatError(ValueError):
    """A document that is not a mirror's JSON form; the message names the path."""


def _decode_hook(tp: Any, value: Any) -> Any:
    if typing.get_origin(tp) is immutables.Map:
        key_type, value_type = typing.get_args(tp)
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        if key_type is int:
            value = {int(key): item for key, item in value.items()}
        target = types.GenericAlias(dict, (key_type, value_type))
        return Map(msgspec.convert(value, target, dec_hook=_decode_hook))
    raise NotImplementedError(f"cannot decode {tp}")


def _document(mirror: Mirror) -> dict[str, Any]:
    return {name: section(mirror, name) for name in SECTIONS}


def section(mirror: Mirror, name: str) -> Any:
    """One top-level section of the mirror's JSON form (``"stream"`` or a slice), ready to
    encode (maps and structs as they are)."""
    if name == "stream":
        stream: dict[str, Any] = {
            key: value for key in _STREAM_HEAD if (value := getattr(mirror, key)) is not None
        }
        stream.update(msgspec.structs.asdict(mirror.health))
        return stream
    written = DECLARED[name].written(getattr(mirror, name))
    return {
        key: present_fields(entity) if isinstance(entity, msgspec.Struct) else entity
        for key, entity in written.items()
    }


def to_json(mirror: Mirror) -> dict[str, Any]:
    """The mirror's JSON form as Python values (dicts, lists, str, int, ...)."""
    # Through the bytes, so that every sequence comes back as a list, exactly as a JSON
    # parser would give it.
    result: dict[str, Any] = msgspec.json.decode(dumps(mirror))
    return result


def dumps(mirror: Mirror, *, indent: int = 0) -> bytes:
    """The mirror's JSON form as bytes; the same mirror always gives the same bytes."""
    data = ENCODER.encode(_document(mirror))
    return msgspec.json.format(data, indent=indent) if indent else data


def loads(data: bytes | str) -> Mirror:
    """A mirror from its JSON form (as written by :func:`dumps`)."""
    try:
        document = msgspec.json.decode(data)
    except msgspec.DecodeError as error:
        raise MirrorFormatError(f"not JSON: {error}") from None
    return from_json(document)


def _convert(value: Any, tp: Any, path: str) -> Any:
    try:
        return msgspec.convert(value, tp, dec_hook=_decode_hook)
    except (msgspec.ValidationError, TypeError, ValueError) as error:
        raise MirrorFormatError(f"{path}: {error}") from None


def from_json(document: Any) -> Mirror:
    """A mirror from its JSON form as Python values (see :func:`to_json`)."""
    if not isinstance(document, dict) or not isinstance(document.get("stream"), dict):
        raise MirrorFormatError("expected an object with a 'stream' object (a mirror's JSON form)")
    stream = document["stream"]
    fields: dict[str, Any] = {}
    head_types = typing.get_type_hints(Mirror)
    for name in _STREAM_HEAD:
        if name in stream:
            fields[name] = _convert(stream[name], head_types[name], f"stream.{name}")
    fields["health"] = _convert(stream, Health, "stream")
    for name, declared in DECLARED.items():
        section = _with_absent(document.get(name, {}), declared.entity)
        entities = _convert(section, declared.document_type, name)
        fields[name] = declared.rebuilt(entities)
    return with_timers(Mirror(**fields))


def _with_absent(section: Any, entity: Any) -> Any:
    """``section`` with the optional fields its entities must name (an absent optional is
    left out of the JSON form) put back as None, so msgspec reads them."""
    names = _nullable_required(entity)
    if not names or not isinstance(section, dict):
        return section
    return {
        key: {**dict.fromkeys(names), **value} if isinstance(value, dict) else value
        for key, value in section.items()
    }


@functools.cache
def _nullable_required(entity: Any) -> tuple[str, ...]:
    """The JSON names of ``entity``'s fields that have no default but may be None."""
    if not (isinstance(entity, type) and issubclass(entity, msgspec.Struct)):
        return ()
    hints = typing.get_type_hints(entity)
    return tuple(
        field.encode_name
        for field in msgspec.structs.fields(entity)
        if field.required and type(None) in typing.get_args(hints[field.name])
    )


def with_timers(mirror: Mirror) -> Mirror:
    """The mirror with its timer index rebuilt from the timers its slices hold (the index is
    derived: the JSON form leaves it out)."""
    return msgspec.structs.replace(mirror, timers=TimerIndex(pending_timers(mirror)))


__all__ = ["MirrorFormatError", "dumps", "from_json", "loads", "to_json"]
