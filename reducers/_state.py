"""Building blocks shared by every slice: the persistent map, change sets, small helpers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, TypeAlias, TypeVar

import immutables
import msgspec

K = TypeVar("K")
V = TypeVar("V")

#: The persistent map behind every slice (HAMT: O(log n) updates with structural sharing).
Map = immutables.Map
#: What a reducer returns: the mirror's fields it replaces (``{"tags": new_tags}``).
Changes: TypeAlias = dict[str, Any]

EMPTY: Final[immutables.Map[Any, Any]] = immutables.Map()
replace = msgspec.structs.replace
astuple = msgspec.structs.astuple


class Entity(msgspec.Struct, frozen=True, gc=False):
    """Base of the mirror's entities: immutable, compact, not tracked by the cyclic collector
    (they only ever hold immutable, acyclic values)."""


class Sparse(Entity, frozen=True, gc=False, omit_defaults=True):
    """An entity whose fields mirror optional wire fields: absent ones stay out of its JSON."""


def without(mapping: immutables.Map[K, V], key: K) -> immutables.Map[K, V]:
    """``mapping`` without ``key``; the same map when the key is not there."""
    return mapping.delete(key) if key in mapping else mapping


def without_all(mapping: immutables.Map[K, V], keys: Iterable[K]) -> immutables.Map[K, V]:
    """``mapping`` without any of ``keys``."""
    present = {key for key in keys if key in mapping}
    if not present:
        return mapping
    with mapping.mutate() as draft:
        for key in present:
            del draft[key]
        result = draft.finish()
    return result


def present_fields(value: msgspec.Struct) -> dict[str, Any]:
    """The fields of a nested event structure that are set (not None): what an update carries."""
    return {
        name: item
        for name, item in zip(value.__struct_fields__, astuple(value), strict=True)
        if item is not None
    }


def set_all(mapping: immutables.Map[K, V], items: Iterable[tuple[K, V]]) -> immutables.Map[K, V]:
    """``mapping`` with every (key, value) of ``items`` set, in order.

    Events usually carry one or two entries, for which plain ``set`` calls cost half of a
    ``mutate()`` transaction.
    """
    for key, value in items:
        mapping = mapping.set(key, value)
    return mapping
