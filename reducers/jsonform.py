"""The mirror's JSON form: deterministic (sorted keys, sorted sets) and loadable.

Top-level keys: ``stream`` (cursor, clock, counters and health), then one key per domain
slice, entities keyed by UUID (SIP accounts by ``user@domain``), fields named as in the event
reference. Derived indexes (trash, tags, children, timers) are left out and rebuilt on load,
so a mirror loaded from its JSON form continues exactly like the one that was saved.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import immutables
import msgspec

from . import chat, sip
from ._state import Map
from .files import Volume, with_children
from .mirror import SLICES, Health, Mirror
from .objects import EMPTY_OBJECTS, Object, put
from .timers import TimerIndex

_STREAM_HEAD = ("me", "last_id", "now", "applied")


class MirrorFormatError(ValueError):
    """A document that is not a mirror's JSON form; the message names the path."""


def _encode_hook(value: Any) -> Any:
    if isinstance(value, immutables.Map):
        return {str(key) if isinstance(key, int) else key: item for key, item in value.items()}
    raise NotImplementedError(f"cannot encode {type(value).__name__}")


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
    stream: dict[str, Any] = {name: getattr(mirror, name) for name in _STREAM_HEAD}
    stream.update(msgspec.structs.asdict(mirror.health))
    document: dict[str, Any] = {"stream": stream}
    for name in SLICES:
        document[name] = getattr(mirror, name)
    document["objects"] = mirror.objects.items
    document["volumes"] = {uuid: {"files": v.files} for uuid, v in mirror.volumes.items()}
    return document


def to_json(mirror: Mirror) -> dict[str, Any]:
    """The mirror's JSON form as Python values (dicts, lists, str, int, ...)."""
    # Through the bytes, so that every sequence comes back as a list, exactly as a JSON
    # parser would give it.
    result: dict[str, Any] = msgspec.json.decode(dumps(mirror))
    return result


def dumps(mirror: Mirror, *, indent: int = 0) -> bytes:
    """The mirror's JSON form as bytes; the same mirror always gives the same bytes."""
    data = msgspec.json.encode(_document(mirror), enc_hook=_encode_hook, order="sorted")
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
    for name in SLICES:
        if name in ("objects", "volumes"):
            continue
        fields[name] = _convert(document.get(name, {}), head_types[name], name)
    objects = EMPTY_OBJECTS
    for uuid, obj in _convert(document.get("objects", {}), dict[str, Object], "objects").items():
        objects = put(objects, uuid, obj)
    fields["objects"] = objects
    volumes = _convert(document.get("volumes", {}), dict[str, Volume], "volumes")
    fields["volumes"] = Map({uuid: with_children(v.files) for uuid, v in volumes.items()})
    return with_timers(Mirror(**fields))


def with_timers(mirror: Mirror) -> Mirror:
    """The mirror with its timer index rebuilt from the chats and SIP slices (the index is
    derived: the JSON form leaves it out, and a simulator view builds the slices alone)."""
    timers = [*chat.pending_timers(mirror.chats), *sip.pending_timers(mirror.sip)]
    return msgspec.structs.replace(mirror, timers=TimerIndex(timers))


__all__ = ["MirrorFormatError", "dumps", "from_json", "loads", "to_json"]
