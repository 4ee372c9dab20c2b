"""Transient slices: how :func:`reducers.fold` edits its private mirror in place.

A persistent map pays for each ``set`` by copying the path to the changed entry, and copying
a node takes a reference to each of its up to 32 entries: on a large mirror that touches
dozens of cold objects per event, which is most of what a fold costs beyond the reducers' own
work. Inside ``fold`` nobody but the loop sees the mirror between two events, so it edits the
slices it keeps changing in place, the way Clojure's transients do: a :class:`Draft` wraps an
``immutables.MapMutation`` behind the persistent map's interface, so the reducers are the same
pure functions ``apply`` runs; their ``set`` and ``delete`` just change the draft and return it.

Maps inside a slice's entries change with almost every event of their domain too: a volume's
files and children index, a conference's members, a sensor's points, the objects carrying a
tag. A :class:`NestingDraft` (entities holding maps) or a :class:`MapsDraft` (a map of maps)
drafts those inner maps as well (:data:`NESTED`).

``fold`` turns every draft back into a persistent map (O(1) each) before anything outside the
loop can see the mirror: before it falls back to ``apply``, and before it returns. A draft
never reaches a mirror anyone else holds, so ``apply`` stays pure and snapshots stay shared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import msgspec

from ._state import Map, astuple
from .objects import Objects

_set = msgspec.structs.force_setattr


class Draft:
    """A map being edited in place; ``set``/``delete`` change it and return it, so reducer
    code written for persistent maps (``slice = slice.set(k, v)``) works unchanged.

    Only what reducers use is offered; anything else fails loudly rather than silently
    reading a half-edited state.
    """

    __slots__ = ("_edit", "get")

    def __init__(self, mapping: Map[Any, Any]) -> None:
        self._edit = mapping.mutate()
        #: Bound to the mutation's own method: a lookup is as cheap as on the map.
        self.get: Callable[..., Any] = self._edit.get

    def set(self, key: Any, value: Any) -> Draft:
        self._edit[key] = value
        return self

    def delete(self, key: Any) -> Draft:
        del self._edit[key]
        return self

    def update(self, items: Any) -> Draft:
        self._edit.update(items)
        return self

    def __contains__(self, key: object) -> bool:
        return key in self._edit

    def __getitem__(self, key: Any) -> Any:
        return self._edit[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self.set(key, value)

    def __delitem__(self, key: Any) -> None:
        del self._edit[key]

    def __len__(self) -> int:
        return len(self._edit)

    def __iter__(self) -> Iterator[Any]:
        # A mutation cannot be iterated: finish it (O(1)), iterate that map, and go on
        # editing a new mutation of it (which copies what it changes from then on).
        snapshot = self._edit.finish()
        self._edit = snapshot.mutate()
        self.get = self._edit.get
        return iter(snapshot)

    def pop(self, key: Any, *default: Any) -> Any:
        return self._edit.pop(key, *default)

    # ``with mapping.mutate() as draft: ...; result = draft.finish()`` edits this draft.
    def mutate(self) -> Draft:
        return self

    def __enter__(self) -> Draft:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def finish(self) -> Draft:
        return self

    def persistent(self) -> Map[Any, Any]:
        """The edited map, persistent; the draft cannot be used afterwards."""
        return self._edit.finish()


#: How a nested map is drafted: :class:`Draft`, or :class:`MapsDraft` for a map of maps.
Drafting = Callable[[Map[Any, Any]], Draft]


class _Nesting(Draft):
    """What the two nesting drafts share: the keys whose values hold drafts of their own,
    which :meth:`persistent` makes persistent before the draft itself. Each keeps its own
    ``set``, the hot path (one shared ``set`` calling a hook cost 4% of a fold's
    instructions)."""

    __slots__ = ("_nested",)

    def __init__(self, mapping: Map[Any, Any]) -> None:
        super().__init__(mapping)
        self._nested: set[Any] = set()

    def update(self, items: Any) -> Draft:
        for key, value in dict(items).items():
            self.set(key, value)
        return self

    def persistent(self) -> Map[Any, Any]:
        edit = self._edit
        for key in self._nested:
            value = edit.get(key)
            if value is not None:
                edit[key] = self._settled(value)
        self._nested.clear()
        return edit.finish()

    def _settled(self, value: Any) -> Any:
        """``value`` with the drafts it holds made persistent."""
        raise NotImplementedError


class MapsDraft(_Nesting):
    """A draft whose values are maps themselves (the objects by tag, a volume's children by
    folder): each value map is drafted too when it is stored, so adding one entry to it edits
    it in place instead of copying its path (and taking a reference to every neighbour, cold
    in memory)."""

    __slots__ = ()

    def set(self, key: Any, value: Any) -> Draft:
        if type(value) is Map:
            value = Draft(value)
            self._nested.add(key)
        self._edit[key] = value
        return self

    def _settled(self, value: Any) -> Any:
        return value.persistent() if isinstance(value, Draft) else value


class NestingDraft(_Nesting):
    """A draft of a slice whose entities hold maps of their own (a volume's files, a
    conference's members): those are drafted too, in a copy of the entity made when it is
    stored.

    A reducer builds its new entity from the old one's fields, so the nested drafts move
    from entity to entity; :meth:`persistent` turns them back into maps in a copy of each
    entity that holds any.
    """

    __slots__ = ("_fields",)

    def __init__(self, mapping: Map[Any, Any], fields: Mapping[str, Drafting]) -> None:
        super().__init__(mapping)
        self._fields = tuple(fields.items())

    def set(self, key: Any, value: Any) -> Draft:
        fresh = None
        for name, drafting in self._fields:
            inner = getattr(value, name)
            if type(inner) is Map:
                if fresh is None:
                    fresh = value.__copy__()  # the reducer's entity may be shared: copy it
                _set(fresh, name, drafting(inner))
        if fresh is not None:
            value = fresh
            self._nested.add(key)
        self._edit[key] = value
        return self

    def _settled(self, value: Any) -> Any:
        fresh = value.__copy__()
        for name, _ in self._fields:
            inner = getattr(value, name)
            if isinstance(inner, Draft):
                _set(fresh, name, inner.persistent())
        return fresh


#: The slices whose entities' maps fold drafts too: each map's field, and how it is drafted.
NESTED: dict[str, dict[str, Drafting]] = {
    "volumes": {"files": Draft, "children": MapsDraft},
    "conferences": {"member": Draft},
    "sensors": {"data": Draft, "action": Draft, "action_status": Draft},
}


def drafted(value: Any, name: str = "") -> Any:
    """A slice value as ``fold`` keeps it between events: maps become drafts (nesting ones for
    the slices in :data:`NESTED`), and so do the objects slice's three maps (its tag index a
    map of maps); a draft stays itself, and anything else is kept as it is.

    An object's comments and metadata stay persistent: most objects change a few times in a
    whole stream, and drafting their small maps cost more than it saved (valgrind counts
    over the benchmark recording: +1.7% instructions, +4% cache misses)."""
    kind = type(value)
    if kind is Map:
        nested = NESTED.get(name)
        return Draft(value) if nested is None else NestingDraft(value, nested)
    if kind is Objects:
        items, trash, by_tag = value.items, value.trash, value.by_tag
        return Objects(
            Draft(items) if type(items) is Map else items,  # type: ignore[arg-type]
            Draft(trash) if type(trash) is Map else trash,  # type: ignore[arg-type]
            MapsDraft(by_tag) if type(by_tag) is Map else by_tag,  # type: ignore[arg-type]
        )
    return value


def settle(mirror: Any, names: set[str]) -> None:
    """Turn the drafts in the slices ``names`` of fold's private ``mirror`` back into
    persistent maps, in place (nobody else holds that mirror)."""
    for name in names:
        value = getattr(mirror, name)
        if isinstance(value, Draft):
            _set(mirror, name, value.persistent())
        elif type(value) is Objects:
            _set(mirror, name, Objects(*(_persistent(part) for part in astuple(value))))
    names.clear()


def _persistent(value: Any) -> Any:
    return value.persistent() if isinstance(value, Draft) else value
