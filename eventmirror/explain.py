"""Find the first thing wrong with a decoded JSON value against an event class's type hints.

msgspec validates in C but says only ``Expected `int` <= 4 - at `$.policy[...]```. When it
rejects an event we walk the raw value ourselves, following the same type hints, to name the
exact key and the bad value. This runs only for rejected events, so it favours clarity.
"""

from __future__ import annotations

import json
import math
import re
import types
import typing
from functools import cache
from typing import Any, Literal, Union

import attrs
import msgspec

from .errors import Problem, preview

_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1

_PLAIN = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


@cache
def hints(cls: type) -> dict[str, Any]:
    """A class's resolved type hints, with ``Annotated`` metadata kept."""
    return typing.get_type_hints(cls, include_extras=True)


def wire_name(field: attrs.Attribute[Any]) -> str:
    """An attrs field's name on the wire (``action-uuid`` for ``action_uuid``)."""
    name: str = field.metadata.get("wire", field.name)
    return name


class FieldSpec(typing.NamedTuple):
    """One field of an event class or nested structure, as the wire sees it."""

    name: str
    wire: str
    type: Any
    required: bool


def is_record(tp: Any) -> bool:
    """Whether ``tp`` is a structure with named fields (an attrs class or a Struct)."""
    return isinstance(tp, type) and (attrs.has(tp) or issubclass(tp, msgspec.Struct))


@cache
def fields_of(tp: type) -> tuple[FieldSpec, ...]:
    """The fields of an attrs class or a msgspec Struct, with wire names and resolved types."""
    types = hints(tp)
    if attrs.has(tp):
        return tuple(
            FieldSpec(f.name, wire_name(f), types[f.name], f.default is attrs.NOTHING)
            for f in attrs.fields(tp)
        )
    return tuple(
        FieldSpec(f.name, f.encode_name, types[f.name], f.required)
        for f in msgspec.structs.fields(tp)
    )


def describe(tp: Any) -> str:
    """How a type reads in an error message: ``an integer``, ``an access level 0..4``."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *extras = typing.get_args(tp)
        for extra in extras:
            if isinstance(extra, msgspec.Meta) and extra.description:
                return extra.description
        return describe(base)
    if origin is Literal:
        return "one of " + ", ".join(preview(a) for a in typing.get_args(tp))
    if origin in (Union, types.UnionType):
        return " or ".join(describe(a) for a in typing.get_args(tp))
    if origin is not None:
        return _PLAIN.get(origin, str(tp))
    if is_record(tp):
        return "an object"
    if tp is Any:
        return "any JSON value"
    return _PLAIN.get(tp, getattr(tp, "__name__", str(tp)))


def key_path(path: str, key: object) -> str:
    return f"{path}[{preview(key)}]"


def field_path(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def find_problem(value: Any, tp: Any, path: str = "") -> Problem | None:
    """The first mismatch between a decoded JSON ``value`` and type ``tp``, or None."""
    origin = typing.get_origin(tp)
    if tp is Any:
        return None
    if isinstance(value, Unreadable) and value.why == _NOT_UTF8:
        return Problem(path=path, expected=value.why, got=value.text)
    if origin is typing.Annotated:
        base, *extras = typing.get_args(tp)
        problem = find_problem(value, base, path)
        if problem is not None:
            return Problem(path=problem.path, expected=describe(tp), got=problem.got)
        for extra in extras:
            if isinstance(extra, msgspec.Meta) and not _meets(value, extra):
                return Problem(path=path, expected=describe(tp), got=preview(value))
        return None
    if origin is Literal:
        if value in typing.get_args(tp) and isinstance(value, str):
            return None
        return Problem(path=path, expected=describe(tp), got=preview(value))
    if origin in (Union, types.UnionType):
        arms = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None and len(arms) < len(typing.get_args(tp)):
            return None
        problems = [find_problem(value, arm, path) for arm in arms]
        if any(p is None for p in problems):
            return None
        if len(arms) == 1:
            return problems[0]
        return Problem(path=path, expected=describe(tp), got=preview(value))
    if origin is list:
        if not isinstance(value, list):
            return Problem(path=path, expected=describe(tp), got=preview(value))
        (item_type,) = typing.get_args(tp)
        for index, item in enumerate(value):
            problem = find_problem(item, item_type, f"{path}[{index}]")
            if problem is not None:
                return problem
        return None
    if origin is dict:
        if not isinstance(value, dict):
            return Problem(path=path, expected=describe(tp), got=preview(value))
        key_type, value_type = typing.get_args(tp)
        for key, item in value.items():
            problem = find_problem(key, key_type, f"{path}[key {preview(key)}]")
            if problem is None:
                problem = find_problem(item, value_type, key_path(path, key))
            if problem is not None:
                return problem
        return None
    if is_record(tp):
        return find_object_problem(value, tp, path)
    return _scalar_problem(value, tp, path)


def find_object_problem(value: Any, cls: type, path: str = "") -> Problem | None:
    """The first mismatch between a JSON object and a record type, field by field."""
    if not isinstance(value, dict):
        return Problem(path=path, expected="an object", got=preview(value))
    for field in fields_of(cls):
        if field.wire not in value:
            if field.required:
                return Problem(
                    path=field_path(path, field.wire),
                    expected=f"missing, expected {describe(field.type)}",
                )
            continue
        problem = find_problem(value[field.wire], field.type, field_path(path, field.wire))
        if problem is not None:
            return problem
    return None


def _scalar_problem(value: Any, tp: Any, path: str) -> Problem | None:
    if tp is bool:
        ok = isinstance(value, bool)
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        if ok and not _INT_MIN <= value <= _INT_MAX:
            return Problem(
                path=path, expected="an integer that fits in 64 bits", got=preview(value)
            )
    elif tp is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif tp is str:
        ok = isinstance(value, str)
    else:
        ok = isinstance(value, tp)
    return None if ok else Problem(path=path, expected=describe(tp), got=preview(value))


def _meets(value: Any, meta: msgspec.Meta) -> bool:
    if meta.ge is not None and value < meta.ge:
        return False
    if meta.le is not None and value > meta.le:
        return False
    if meta.gt is not None and value <= meta.gt:
        return False
    if meta.lt is not None and value >= meta.lt:
        return False
    if meta.pattern is not None and not re.search(meta.pattern, value):
        return False
    return meta.min_length is None or len(value) >= meta.min_length


class Unreadable:
    """A value msgspec cannot build (``NaN``, ``1e400``, text that is not UTF-8), put in its
    place by :func:`salvage` so that the fault can be named by its JSON path."""

    __slots__ = ("text", "why")

    def __init__(self, text: str, why: str) -> None:
        self.text, self.why = text, why

    def __repr__(self) -> str:  # what preview() shows: JSON cannot encode this value
        return self.text


_TOO_MANY_DIGITS = 4000  # below Python's own limit on int() (4300 digits)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown_text(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        # Bytes that were not UTF-8 come back from "surrogateescape" as U+DC80..U+DCFF.
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return '"' + _SURROGATE.sub(escape, text[:_PREVIEW_CHARS]) + '"'


_PREVIEW_CHARS = 100
_NOT_UTF8 = "text in UTF-8"


def _marked(value: Any) -> Any:
    if isinstance(value, str):
        return Unreadable(_shown_text(value), _NOT_UTF8) if _SURROGATE.search(value) else value
    if isinstance(value, list):
        return [_marked(item) for item in value]
    if isinstance(value, dict):
        return {_marked(key): _marked(item) for key, item in value.items()}
    return value


def _number(text: str) -> Any:
    number = float(text)
    if number in (math.inf, -math.inf):
        return Unreadable(text, "a number within the range of a 64-bit float")
    return number


def _integer(text: str) -> Any:
    if len(text) > _TOO_MANY_DIGITS:
        return Unreadable(text[:20] + "…", "a number of fewer digits")
    return int(text)


def _constant(text: str) -> Unreadable:
    return Unreadable(text, "a number (JSON has no NaN or Infinity)")


def salvage(data: bytes) -> Any:
    """``data`` parsed by a forgiving parser, with :class:`Unreadable` in place of each value
    msgspec refused; None if it cannot be parsed even so, or nothing in it was refused."""
    try:
        text = data.decode("utf-8", "surrogateescape")
        value = _marked(
            json.loads(text, parse_float=_number, parse_int=_integer, parse_constant=_constant)
        )
    except (ValueError, RecursionError):
        return None
    return value if find_unreadable(value) is not None else None


def find_unreadable(value: Any, path: str = "") -> Problem | None:
    """Where the first :class:`Unreadable` sits in a salvaged value, as a problem."""
    if isinstance(value, Unreadable):
        return Problem(path=path, expected=value.why, got=value.text)
    if isinstance(value, list):
        items: Any = enumerate(value)
    elif isinstance(value, dict):
        items = value.items()
    else:
        return None
    for key, item in items:
        if isinstance(key, Unreadable):
            return Problem(path=f"{path}[key {key.text}]", expected=key.why, got=key.text)
        if isinstance(value, list):
            where = f"{path}[{key}]"
        else:  # a top-level key reads as a field name, unless it is empty
            where = key if not path and key else key_path(path, key)

        problem = find_unreadable(item, where)
        if problem is not None:
            return problem
    return None
