"""Plain JSON data from the simulator's typed state and back, driven by the type annotations.

The snapshot of a world (simulator/snapshot.py) is built from each domain's annotated
attributes with :func:`dump` and read back with :func:`load`, which checks every value against
its annotation and names the path of the first bad one. The rules, one per kind of type:

- a record (an attrs class) is an object with its fields, keys sorted;
- a map (``dict``) keeps its order, because the order decides the order of later events: an
  object when its keys are strings, otherwise an array of ``[key, value]`` pairs;
- a set is an array in sorted order; a tuple an array of its items;
- a :class:`SetIndex` an object (or pair array) of key to its members in filing order;
- an event-model value (a ``msgspec.Struct``) and any leaf are what msgspec makes of them,
  and msgspec checks them (constraints such as ``ge=0`` included);
- ``Any`` is plain JSON data, as a command took it.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import msgspec

from ._core import REARMED
from ._object_index import SetIndex


class SnapshotError(ValueError):
    """A document that is not the snapshot of a world: names the path of the bad value."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def key_path(path: str, key: str) -> str:
    """``path.key``, or ``path["key"]`` when the key is no plain name."""
    return (
        f"{path}.{key}"
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key)
        else f"{path}[{json.dumps(key)}]"
    )


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


@functools.cache
def fields_of(cls: type) -> tuple[tuple[str, Any], ...]:
    """A record's fields a snapshot holds, with their resolved types, sorted by name."""
    module = sys.modules[cls.__module__]
    attrs.resolve_types(cls, vars(module))
    return tuple(sorted((f.name, f.type) for f in attrs.fields(cls) if not f.metadata.get(REARMED)))


def _sorted_items(values: Iterable[Any]) -> list[Any]:
    return sorted(values, key=lambda item: json.dumps(item, sort_keys=True))


def dump(value: Any, annotation: Any) -> Any:
    """``value``, of type ``annotation``, as plain JSON data (see the module's docstring)."""
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation) or annotation
    arguments = typing.get_args(annotation)
    if annotation is Any:
        return msgspec.to_builtins(value)
    if _is_union(annotation):
        if value is None:
            return None
        others = [a for a in arguments if a is not type(None)]
        return dump(value, others[0]) if len(others) == 1 else msgspec.to_builtins(value)
    if origin in (list, typing.Sequence, Iterable):
        return [dump(item, arguments[0]) for item in value]
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return [dump(item, arguments[0]) for item in value]
        return [dump(item, kind) for item, kind in zip(value, arguments, strict=True)]
    if origin in (set, frozenset):
        return _sorted_items(dump(item, arguments[0]) for item in value)
    if origin in (dict, Mapping):
        return _dump_map(value.items(), *arguments)
    if origin is SetIndex:
        key, member = arguments
        members = value._members.items()
        return _dump_map(((k, list(m)) for k, m in members), key, list[member])  # type: ignore[valid-type]
    if isinstance(origin, type) and issubclass(origin, msgspec.Struct):
        return _sorted_keys(msgspec.to_builtins(value))
    if isinstance(origin, type) and attrs.has(origin):
        return {name: dump(getattr(value, name), kind) for name, kind in fields_of(origin)}
    if (
        origin in (int, str, bool, float, type(None))
        or typing.get_origin(annotation) is typing.Literal
    ):
        return value
    raise TypeError(f"a snapshot cannot hold a {annotation!r}")  # pragma: no cover


def _dump_map(items: Iterable[tuple[Any, Any]], key: Any, value: Any) -> Any:
    if _strip(key) is str:
        return {k: dump(v, value) for k, v in items}
    return [[dump(k, key), dump(v, value)] for k, v in items]


def _sorted_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_keys(value[k]) for k in sorted(value)}
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "an object", list: "an array", str: "a string", type(None): "null"}.get(
        type(value), "a number"
    )


def _expect(value: Any, kind: type, path: str, what: str) -> None:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise SnapshotError(path, f"expected {what}, got {_kind(value)}")


#: Leaf types checked here, without msgspec: most values of a snapshot are these.
_PLAIN: dict[Any, str] = {int: "a whole number", str: "a string", bool: "a boolean"}


def load(data: Any, annotation: Any, path: str) -> Any:
    """The value of type ``annotation`` that ``data`` (plain JSON data) holds; SnapshotError
    naming the path of the first value that does not fit."""
    if annotation in _PLAIN:
        _expect(data, annotation, path, _PLAIN[annotation])
        return data
    stripped = _strip(annotation)
    origin = typing.get_origin(stripped) or stripped
    arguments = typing.get_args(stripped)
    if stripped is Any:
        return data
    if _is_union(stripped):
        if data is None and type(None) in arguments:
            return None
        others = [a for a in arguments if a is not type(None)]
        if len(others) == 1:
            return load(data, others[0], path)
        return _convert(data, annotation, path)
    if origin in (list, typing.Sequence, Iterable):
        _expect(data, list, path, "an array")
        return [load(item, arguments[0], f"{path}[{i}]") for i, item in enumerate(data)]
    if origin is tuple:
        _expect(data, list, path, "an array")
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return tuple(load(item, arguments[0], f"{path}[{i}]") for i, item in enumerate(data))
        if len(data) != len(arguments):
            raise SnapshotError(path, f"expected an array of {len(arguments)}, got {len(data)}")
        return tuple(
            load(item, kind, f"{path}[{i}]")
            for i, (item, kind) in enumerate(zip(data, arguments, strict=True))
        )
    if origin in (set, frozenset):
        _expect(data, list, path, "an array")
        return origin(load(item, arguments[0], f"{path}[{i}]") for i, item in enumerate(data))
    if origin in (dict, Mapping):
        key, value = arguments
        return dict(_load_map(data, key, value, path))
    if origin is SetIndex:
        index: SetIndex[Any, Any] = SetIndex()
        for key, members in _load_map(data, arguments[0], list[arguments[1]], path):  # type: ignore[valid-type]
            for member in members:
                index.add(key, member)
        return index
    if isinstance(origin, type) and attrs.has(origin):
        return _load_record(data, origin, path)
    return _convert(data, annotation, path)


def _load_map(data: Any, key: Any, value: Any, path: str) -> Iterable[tuple[Any, Any]]:
    seen: set[Any] = set()
    if _strip(key) is str:
        _expect(data, dict, path, "an object")
        pairs = [(k, v, key_path(path, k)) for k, v in data.items()]
    else:
        _expect(data, list, path, "an array of [key, value] pairs")
        pairs = []
        for i, pair in enumerate(data):
            if not isinstance(pair, list) or len(pair) != 2:
                raise SnapshotError(
                    f"{path}[{i}]", f"expected a [key, value] pair, got {_kind(pair)}"
                )
            pairs.append((load(pair[0], key, f"{path}[{i}][0]"), pair[1], f"{path}[{i}][1]"))
    for k, v, where in pairs:
        if k in seen:
            raise SnapshotError(where, f"the key {k!r} is given twice")
        seen.add(k)
        yield k, load(v, value, where)


def _load_record(data: Any, cls: type, path: str) -> Any:
    _expect(data, dict, path, "an object")
    known = dict(fields_of(cls))
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise SnapshotError(key_path(path, unknown[0]), f"not a field of {cls.__name__}")
    missing = sorted(set(known) - set(data))
    if missing:
        raise SnapshotError(path, f"{cls.__name__} needs {', '.join(map(repr, missing))}")
    values = {name: load(data[name], kind, key_path(path, name)) for name, kind in known.items()}
    try:
        return cls(**values)
    except (TypeError, ValueError) as bad:  # pragma: no cover - the types were checked
        raise SnapshotError(path, str(bad)) from None


def _convert(data: Any, annotation: Any, path: str) -> Any:
    try:
        return msgspec.convert(data, annotation, strict=True)
    except msgspec.ValidationError as bad:
        message, _, where = str(bad).partition(" - at `$")
        raise SnapshotError(path + where.rstrip("`"), message) from None


__all__ = ["SnapshotError", "dump", "fields_of", "key_path", "load"]
