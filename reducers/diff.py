"""Comparing mirrors: :func:`same_state`, and :func:`diff`, the changes between two mirrors'
JSON forms as JSON Pointer paths (RFC 6901).

Either side may be a :class:`~reducers.Mirror` or a JSON form as plain data (what
:func:`reducers.to_json` returns, or any picture of a session built the same way, such as a
simulator's view): a dict with a section per slice; a missing slice section counts as empty.
The ``"stream"`` section (cursor, clock, counters, health) is compared only when asked:
two mirrors show the same state when their slices agree, whatever their streams.

Values are compared as JSON: ``1``, ``1.0`` and ``true`` all differ. Objects are compared key
by key, down to the leaves; a list (tags, members, DTMF digits, a sensor point) is one value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, Literal

import msgspec

from ._slice import ENCODER
from .jsonform import SECTIONS, MirrorFormatError, section
from .mirror import SLICES, Mirror

#: A mirror, or a mirror's JSON form as plain data.
Comparable = Mirror | Mapping[str, Any]
ChangeKind = Literal["added", "removed", "changed"]

_DECODE: Final = msgspec.json.decode


class Change(msgspec.Struct, frozen=True, omit_defaults=True):
    """One difference: the value at ``path`` (a JSON Pointer into the JSON form) was
    ``added`` (only ``new``), ``removed`` (only ``old``) or ``changed`` (both).

    An absent side is :data:`msgspec.UNSET` (left out when the change is encoded as JSON), so
    a JSON ``null`` on either side stays a value.
    """

    path: str
    kind: ChangeKind
    old: Any = msgspec.UNSET
    new: Any = msgspec.UNSET


def pointer(*keys: str) -> str:
    """The JSON Pointer of ``keys`` (``~`` written ``~0``, ``/`` written ``~1``)."""
    for key in keys:
        if "~" in key or "/" in key:  # rare: escape every key (a log writes millions)
            return "".join("/" + key.replace("~", "~0").replace("/", "~1") for key in keys)
    return "/" + "/".join(keys) if keys else ""


def diff(a: Comparable, b: Comparable, *, stream: bool = False) -> list[Change]:
    """Every change from ``a`` to ``b``, sorted by path (key by key, as strings).

    Applying them to ``a``'s JSON form gives ``b``'s: ``added`` and ``changed`` set the value
    at the path, ``removed`` deletes it. With ``stream`` the stream sections are compared too.
    """
    return list(_changes(a, b, stream))


def same_state(a: Comparable, b: Comparable, *, stream: bool = False) -> bool:
    """Whether ``a`` and ``b`` show the same state: :func:`diff` finds no change."""
    return next(_changes(a, b, stream), None) is None


def _changes(a: Comparable, b: Comparable, stream: bool) -> Iterator[Change]:
    names = SECTIONS if stream else SLICES
    left, right = _sections(a, "a"), _sections(b, "b")
    mirrors = isinstance(a, Mirror) and isinstance(b, Mirror)
    for name in sorted(names):
        if mirrors and name != "stream" and getattr(a, name) is getattr(b, name):
            continue  # the same slice, shared: nothing to encode
        old, new = left(name), right(name)
        if type(old) is bytes and old == new:
            continue  # the same JSON text (the form is deterministic): nothing to walk
        yield from _walk(_value(old), _value(new), (name,))


def _sections(value: Comparable, side: str) -> Callable[[str], Any]:
    """A function giving each section of ``value``'s JSON form: JSON text for a mirror, JSON
    values for a JSON form."""
    if isinstance(value, Mirror):
        mirror = value
        return lambda name: ENCODER.encode(section(mirror, name))
    if not isinstance(value, Mapping):
        raise TypeError(f"{side}: expected a Mirror or a mirror's JSON form (a dict)")
    unknown = sorted(set(value) - set(SECTIONS))
    if unknown:
        raise MirrorFormatError(f"{side}: not sections of a mirror's JSON form: {unknown}")
    # Through JSON once, so tuples, sets and maps compare as the JSON form writes them.
    document = _DECODE(ENCODER.encode(dict(value)))
    return lambda name: document.get(name, {})


def _value(section: Any) -> Any:
    return _DECODE(section) if type(section) is bytes else section


def _walk(old: Any, new: Any, keys: tuple[str, ...]) -> Iterator[Change]:
    if type(old) is dict and type(new) is dict:
        for key in sorted(old.keys() | new.keys()):
            if key not in new:
                yield Change(pointer(*keys, key), "removed", old=old[key])
            elif key not in old:
                yield Change(pointer(*keys, key), "added", new=new[key])
            else:
                yield from _walk(old[key], new[key], (*keys, key))
    elif not _same(old, new):
        yield Change(pointer(*keys), "changed", old=old, new=new)


def _same(a: Any, b: Any) -> bool:
    """JSON equality: unlike ``==``, ``1``, ``1.0`` and ``true`` differ."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if type(a) is list:
        return len(a) == len(b) and all(map(_same, a, b))
    return bool(a == b)


__all__ = ["Change", "ChangeKind", "Comparable", "diff", "pointer", "same_state"]
