"""Paths into a mirror: JSON Pointers (RFC 6901) resolved in a :class:`~reducers.Mirror`.

A path names a value of the mirror's JSON form (:func:`reducers.to_json`):
``/objects/52a9…/description``, ``/tags/7b37…/policy/1de7…``, ``/sensors/…/data/1363623247000``,
``/stream/last_id``; ``~`` is written ``~0`` and ``/`` is written ``~1`` inside a key, and a
list element is named by its index (``/objects/…/tag/0``). The empty pointer is the whole form.

This module is the one home of the rule "what does a pointer name in a mirror": blame, ``log
--path``, ``diff`` and the inspector all call :func:`resolve` (or :func:`nodes`). It walks the
mirror itself, not its JSON form, so resolving costs the depth of the path; and the nodes it
passes on the way are the mirror's own persistent parts, so two mirrors can be compared along
a path by identity (:func:`unchanged`): a part that is the *same object* in both is unchanged,
since a pure reducer never changes a part in place, only builds a new one. Where the JSON form
is built rather than kept (an entity's present fields, the sensors' and chats' ordered maps),
the walk builds that part the way :mod:`reducers.jsonform` does, from the slice declaration.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import immutables
import msgspec

from eventmirror.errors import did_you_mean

from ._slice import DECLARED, ENCODER, present_fields
from .diff import _same, pointer
from .jsonform import SECTIONS, section
from .mirror import Mirror

__all__ = [
    "MISSING",
    "PointerError",
    "json_value",
    "missing_key",
    "nodes",
    "parse_pointer",
    "pointer",
    "resolve",
    "same_json",
    "shared",
    "unchanged",
]

_DECODE: Final = msgspec.json.decode


class _Missing:
    """Nothing at the path (the value is absent): not ``None``, which is JSON ``null``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


#: What :func:`resolve` returns when the path names nothing in this mirror.
MISSING: Final = _Missing()

#: The parts of a mirror that are shared between mirrors, whose identity says "unchanged".
_PERSISTENT: Final = (Mirror, immutables.Map, msgspec.Struct)


class PointerError(ValueError):
    """A JSON Pointer that is not well formed, or names nothing; the message says where, and
    suggests the nearest key when one is close."""


def parse_pointer(text: str) -> tuple[str, ...]:
    """The keys of a JSON Pointer; raises :class:`PointerError` if it is not one."""
    if text == "":
        return ()
    if not text.startswith("/"):
        hint = f" (did you mean '/{text}'?)" if text else ""
        raise PointerError(f"{text!r} is not a JSON Pointer: it must start with '/'{hint}")
    keys = []
    for raw in text[1:].split("/"):
        rest = raw.replace("~0", "").replace("~1", "")
        if "~" in rest:
            raise PointerError(
                f"{text!r}: '~' must be written '~0' (and '/' inside a key '~1'), in {raw!r}"
            )
        keys.append(raw.replace("~1", "/").replace("~0", "~"))
    return tuple(keys)


def nodes(mirror: Mirror, keys: tuple[str, ...]) -> list[Any]:
    """The mirror's parts along the path: ``[mirror, part after the first key, ...]``, as
    many as were found; one shorter than ``keys`` + 1 when the path names nothing."""
    found: list[Any] = [mirror]
    node: Any = mirror
    for depth, key in enumerate(keys):
        node = _child(node, key, depth, keys)
        if node is MISSING:
            break
        found.append(node)
    return found


def resolve(mirror: Mirror, keys: tuple[str, ...] | str) -> Any:
    """The value at the path in the mirror's JSON form (JSON values: dicts, lists, str, ...),
    or :data:`MISSING`. Always equal to resolving the pointer in ``reducers.to_json(mirror)``."""
    if isinstance(keys, str):
        keys = parse_pointer(keys)
    found = nodes(mirror, keys)
    if len(found) <= len(keys):
        return MISSING
    return json_value(mirror, keys, found[-1])


def json_value(mirror: Mirror, keys: tuple[str, ...], node: Any) -> Any:
    """The JSON value of ``node``, the part of ``mirror`` at ``keys`` (from :func:`nodes`)."""
    if not keys:
        return _DECODE(ENCODER.encode({name: section(mirror, name) for name in SECTIONS}))
    if len(keys) == 1:
        return _DECODE(ENCODER.encode(section(mirror, keys[0])))
    if len(keys) == 2 and keys[0] != "stream":
        node = _written_entity(keys[0], keys[1], node)
    return _DECODE(ENCODER.encode(node))


def unchanged(before: list[Any], after: list[Any], mirror_before: Mirror, keys: tuple[str, ...],
              mirror_after: Mirror) -> bool:  # fmt: skip
    """Whether the value at ``keys`` is the same in both mirrors, given their :func:`nodes`.

    A persistent part (a map, a struct) that is the same object in both, at any depth along
    the path, means nothing below it changed; otherwise the JSON values are compared.
    """
    if shared(before, after):
        return True
    found_before, found_after = len(before) > len(keys), len(after) > len(keys)
    if found_before != found_after:
        return False
    if not found_before:
        return True
    old = json_value(mirror_before, keys, before[-1])
    new = json_value(mirror_after, keys, after[-1])
    return same_json(old, new)


def shared(before: list[Any], after: list[Any]) -> bool:
    """Whether the two walks (from :func:`nodes`) pass through the same persistent part:
    then nothing at the path changed between the two mirrors, however far apart they are
    (a pure reducer builds a new part for any change below it)."""
    return any(
        a is b and isinstance(a, _PERSISTENT)
        for a, b in zip(before, after)  # noqa: B905 - either may stop early
    )


def same_json(a: Any, b: Any) -> bool:
    """JSON equality: unlike ``==``, ``1``, ``1.0`` and ``true`` differ."""
    return _same(a, b)  # the rule's home: diff compares values the same way


def missing_key(mirror: Mirror, keys: tuple[str, ...]) -> PointerError:
    """Why the path names nothing in ``mirror``: the first key not found, the path up to it,
    and the nearest key there when one is close."""
    found = nodes(mirror, keys)
    depth = len(found) - 1
    if depth >= len(keys):
        return PointerError(f"{pointer(*keys)} is in the mirror")
    node, key = found[-1], keys[depth]
    where = pointer(*keys[:depth]) or "the top of the mirror"
    view = _view(node, depth, keys)
    if isinstance(view, Mapping):
        options = [str(option) for option in view]
        hint = did_you_mean(key, options)
        if not options:
            return PointerError(f"no key {key!r} at {where}: it is empty")
        return PointerError(f"no key {key!r} at {where}{hint}")
    if isinstance(view, list):
        return PointerError(f"no element {key!r} at {where}: a list of {len(view)} elements")
    return PointerError(f"nothing at {pointer(*keys)}: {where} is a value, not an object")


# --- the walk ---------------------------------------------------------------------------------


def _child(node: Any, key: str, depth: int, keys: tuple[str, ...]) -> Any:
    if depth == 0:  # the mirror: a section
        if key == "stream":
            return section(node, "stream")
        return getattr(node, key) if key in DECLARED else MISSING
    if depth == 1 and keys[0] != "stream":  # a slice: one of its entities, as kept
        return node.get(key, MISSING)  # not None: a metadata value may be JSON null
    return _generic_child(_view(node, depth, keys), key)


def _view(node: Any, depth: int, keys: tuple[str, ...]) -> Any:
    """What ``node`` is in the JSON form, as far as a walk needs it: a mapping to look keys
    up in (persistent maps as they are), a list, or a value."""
    if depth == 0:
        return dict.fromkeys(SECTIONS)
    if depth == 1 and keys[0] != "stream":
        return node  # a slice: a read-only mapping by its JSON keys
    if depth == 2 and keys[0] != "stream":
        node = _written_entity(keys[0], keys[1], node)
    if type(node) is dict or isinstance(node, immutables.Map):
        return node
    if isinstance(node, msgspec.Raw):
        return _DECODE(node)
    if isinstance(node, (msgspec.Struct, tuple, list, frozenset, set)):
        return _DECODE(ENCODER.encode(node))
    return node


def _generic_child(view: Any, key: str) -> Any:
    if type(view) is dict:
        return view.get(key, MISSING)
    if isinstance(view, immutables.Map):
        found = view.get(key, MISSING)
        if found is MISSING and key.isdigit() and key == str(int(key)):
            found = view.get(int(key), MISSING)  # integer keys are written as digits
        return found
    if type(view) is list:
        # RFC 6901: an index is digits without leading zeros ("-" is past the end).
        if key.isdigit() and (key == "0" or not key.startswith("0")) and int(key) < len(view):
            return view[int(key)]
        return MISSING
    return MISSING


def _written_entity(name: str, key: str, entity: Any) -> Any:
    """One entity as its slice's JSON form writes it (the slice's own ``written``, applied
    to a slice of that one entity, so that no other entity is touched)."""
    declared = DECLARED[name]
    if isinstance(entity, dict):
        return entity
    one: Any = immutables.Map({key: entity})
    try:
        written = declared.written(one)
    except AttributeError:  # a slice that is not a plain map (objects): written as kept
        written = {key: entity}
    value = written[key]
    return present_fields(value) if isinstance(value, msgspec.Struct) else value
