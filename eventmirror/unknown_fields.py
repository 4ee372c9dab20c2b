"""Keys an event holds where the reference defines no such field.

A newer server's addition, or a typo: never a reason to refuse an event in lenient mode, yet
never dropped without a word. :func:`without_unknown_fields` walks a parsed event along its
class's type hints, down into the structures nested in it, and names each such key
(:class:`UnknownField`) with what the health report counts it by and what a strict-mode
error says about it. :func:`eventmirror.codec.decode_in_full` is its user.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any, Final, Union

import attrs

from .errors import Problem, did_you_mean
from .events import Event
from .explain import field_path, fields_of, is_record, key_path

__all__ = ["UnknownField", "without_unknown_fields"]

_SHOWN_KEY = 80  # a key longer than this is cut in counts: a hostile key cannot grow them


@attrs.frozen
class UnknownField:
    """A key in an event where the reference defines no such field."""

    #: Where, as a JSON path in the event: ``foo``, ``member["1de7…"].hand``.
    path: str
    #: The name the health report counts it by, after the event type: ``member.hand``.
    counted_as: str
    #: What it is no field of: the event type, or the JSON path of a nested object.
    owner: str
    #: The fields ``owner`` has (wire names), for the message.
    fields: tuple[str, ...]
    #: The key itself.
    key: str

    @property
    def problem(self) -> Problem:
        """``foo: not a field of tag_new; did you mean 'tag'? (its fields: ...)``."""
        hint = did_you_mean(self.key, self.fields)
        expected = f"not a field of {self.owner}{hint} (its fields: {', '.join(self.fields)})"
        return Problem(path=self.path, expected=expected)


def without_unknown_fields(
    raw: dict[str, Any], cls: type[Event], name: str
) -> tuple[dict[str, Any], tuple[UnknownField, ...]]:
    """``raw`` (an event of class ``cls``, named ``name``, as parsed) without the keys the
    reference does not define at their place, and those keys; ``raw`` itself if none."""
    found: list[UnknownField] = []
    cleaned = _strip(raw, cls, "", "", name, found)
    return cleaned, tuple(found)


def _strip(
    value: Any, tp: Any, path: str, counted: str, owner: str, found: list[UnknownField]
) -> Any:
    """``value`` without the keys type ``tp`` does not define (``value`` itself when it has
    none), each noted in ``found``."""
    if not _holds_records(tp):
        return value
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _strip(value, typing.get_args(tp)[0], path, counted, owner, found)
    if origin in (Union, types.UnionType):
        for arm in typing.get_args(tp):
            if _same_kind(value, arm):
                return _strip(value, arm, path, counted, owner, found)
        return value
    if origin is list and isinstance(value, list):
        (item_type,) = typing.get_args(tp)
        items = [
            _strip(item, item_type, f"{path}[{index}]", counted, owner, found)
            for index, item in enumerate(value)
        ]
        return value if all(new is old for new, old in zip(items, value, strict=True)) else items
    if origin is dict and isinstance(value, dict):
        value_type = typing.get_args(tp)[1]
        entries = {
            key: _strip(item, value_type, key_path(path, key), counted, owner, found)
            for key, item in value.items()
        }
        changed = any(entries[key] is not item for key, item in value.items())
        return entries if changed else value
    if not (is_record(tp) and isinstance(value, dict)):
        return value
    nested, defined, names = _record_fields(tp)
    cleaned: dict[str, Any] | None = None
    for key, item in value.items():
        field_type = nested.get(key, _KNOWN) if key in defined else None
        if field_type is _KNOWN:
            continue  # a field that holds no structure: nothing in it to check
        # A key that is not text is a value salvaged from bad input (explain.Unreadable).
        text = key if isinstance(key, str) else repr(key)
        where = field_path(path, key) if text is key and key.isidentifier() else key_path(path, key)
        shown = (text if len(text) <= _SHOWN_KEY else text[: _SHOWN_KEY - 1] + "…") or '""'
        count_as = f"{counted}.{shown}" if counted else shown
        if field_type is None:
            found.append(UnknownField(where, count_as, path or owner, names, text))
            cleaned = dict(value) if cleaned is None else cleaned
            del cleaned[key]
            continue
        new = _strip(item, field_type, where, count_as, owner, found)
        if new is not item:
            cleaned = dict(value) if cleaned is None else cleaned
            cleaned[key] = new
    return value if cleaned is None else cleaned


_KNOWN: Final = object()


@cache
def _record_fields(tp: type) -> tuple[dict[str, Any], frozenset[str], tuple[str, ...]]:
    """A record type's fields that may hold structures (wire name -> type), the wire names
    of all its fields, and those to show in a message (all but ``event``, in order)."""
    specs = fields_of(tp)
    nested = {spec.wire: spec.type for spec in specs if _holds_records(spec.type)}
    defined = frozenset(spec.wire for spec in specs)
    return nested, defined, tuple(spec.wire for spec in specs if spec.wire != "event")


@cache
def _holds_records(tp: Any) -> bool:
    """Whether values of type ``tp`` may hold structures with named fields."""
    if is_record(tp):
        return True
    return any(_holds_records(arg) for arg in typing.get_args(tp) if arg is not Ellipsis)


def _same_kind(value: Any, tp: Any) -> bool:
    """Whether ``value`` is the JSON kind (object or list) of union arm ``tp``."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _same_kind(value, typing.get_args(tp)[0])
    if isinstance(value, dict):
        return origin is dict or is_record(tp)
    return isinstance(value, list) and origin is list
