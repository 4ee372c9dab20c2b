"""Transient slices: how :func:`reducers.fold` edits its private mirror in place.

A persistent map pays for each ``set`` by copying the path to the changed entry, and copying
a node takes a reference to each of its up to 32 entries: on a large mirror that touches
dozens of cold objects per event, which is most of what a fold costs beyond the reducers' own
work. Inside ``fold`` nobody but the loop sees the mirror between two events, so it edits the
slices it keeps changing in place, the way Clojure's transients do: a :class:`Draft` wraps an
``immutables.MapMutation`` behind the persistent map's interface, so the reducers are the same
pure functions ``apply`` runs; their ``set`` and ``delete`` just change the draft and return it.

Three slices hold maps inside their entities that change with almost every event of their
domain: a volume's files and children index, a conference's members, a sensor's points. Their
slices are :class:`NestingDraft` s, which draft those inner maps too (:data:`NESTED`).

``fold`` turns every draft back into a persistent map (O(1) each) before anything outside the
loop can see the mirror: before it falls back to ``apply``, and before it returns. A draft
never reaches a mirror anyone else holds, so ``apply`` stays pure and snapshots stay shared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from ._state import Map
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
        self._edit[key] = value

    def __delitem__(self, key: Any) -> None:
        del self._edit[key]

    def __len__(self) -> int:
        return len(self._edit)

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


class NestingDraft(Draft):
    """A draft of a slice whose entities hold maps of their own (a volume's files, a
    conference's members): those are drafted too, in a copy of the entity made when it is
    stored, so an event that changes one entry of a nested map edits it in place instead of
    copying its path (and taking a reference to every neighbour, cold in memory).

    A reducer builds its new entity from the old one's fields, so the nested drafts move
    from entity to entity; :meth:`persistent` turns them back into maps in a copy of each
    entity that holds any.
    """

    __slots__ = ("_fields", "_nested")

    def __init__(self, mapping: Map[Any, Any], fields: tuple[str, ...]) -> None:
        super().__init__(mapping)
        self._fields = fields
        self._nested: set[Any] = set()

    def set(self, key: Any, value: Any) -> Draft:
        fresh = None
        for name in self._fields:
            inner = getattr(value, name)
            if type(inner) is Map:
                if fresh is None:
                    fresh = value.__copy__()
                _set(fresh, name, Draft(inner))
        if fresh is not None:
            value = fresh
            self._nested.add(key)
        self._edit[key] = value
        return self

    __setitem__ = set  # type: ignore[assignment]

    def update(self, items: Any) -> Draft:
        for key, value in dict(items).items():
            self.set(key, value)
        return self

    def persistent(self) -> Map[Any, Any]:
        edit = self._edit
        for key in self._nested:
            value = edit.get(key)
            if value is None:
                continue
            fresh = value.__copy__()
            for name in self._fields:
                inner = getattr(value, name)
                if type(inner) is Draft:
                    _set(fresh, name, inner.persistent())
            edit[key] = fresh
        self._nested.clear()
        return edit.finish()


#: The slices whose entities' maps fold drafts too, with those maps' field names.
NESTED: dict[str, tuple[str, ...]] = {
    "volumes": ("files", "children"),
    "conferences": ("member",),
    "sensors": ("data", "action", "action_status"),
}


def drafted(value: Any, name: str = "") -> Any:
    """A slice value as ``fold`` keeps it between events: maps become drafts (nesting ones for
    the slices in :data:`NESTED`), and so do the objects slice's objects and tag index; a
    draft stays itself, and anything else is kept as it is."""
    kind = type(value)
    if kind is Map:
        nested = NESTED.get(name)
        return Draft(value) if nested is None else NestingDraft(value, nested)
    if kind is Objects:
        # The objects themselves and the tag index change often; the trash seldom, and
        # ``trash_purge`` iterates it, which a draft does not offer.
        items: Any = Draft(value.items) if type(value.items) is Map else value.items
        by_tag: Any = Draft(value.by_tag) if type(value.by_tag) is Map else value.by_tag
        return Objects(items, value.trash, by_tag)
    return value


def settle(mirror: Any, names: set[str]) -> None:
    """Turn the drafts in the slices ``names`` of fold's private ``mirror`` back into
    persistent maps, in place (nobody else holds that mirror)."""
    for name in names:
        value = getattr(mirror, name)
        if type(value) is Draft or type(value) is NestingDraft:
            _set(mirror, name, value.persistent())
        elif type(value) is Objects:
            items: Any = value.items
            by_tag: Any = value.by_tag
            if type(items) is Draft or type(by_tag) is Draft:
                items = items.persistent() if type(items) is Draft else items
                by_tag = by_tag.persistent() if type(by_tag) is Draft else by_tag
                _set(mirror, name, Objects(items, value.trash, by_tag))
    names.clear()
