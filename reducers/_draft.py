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
drafts those inner maps as well. Each slice declares how it is drafted (``drafting=`` in its
:class:`~reducers._slice.Slice`): a :class:`MapDrafting` (a map, and which maps inside its
entities are drafted too) or a :class:`PartsDrafting` (a struct of maps, such as the objects
slice with its indexes).

A fold that reports each record (:func:`reducers.trace`) uses drafts that also remember the
value every key had before the record (:mod:`reducers._journal`), so what a record changed is
read off the keys it touched.

``fold`` turns every draft back into a persistent map (O(1) each) before anything outside the
loop can see the mirror: before it falls back to ``apply``, and before it returns. A draft
never reaches a mirror anyone else holds, so ``apply`` stays pure and snapshots stay shared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

import msgspec

from ._state import Map

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
        # A mutation cannot be iterated: iterate a snapshot of it.
        return iter(self.snapshot())

    def snapshot(self) -> Map[Any, Any]:
        """The map as it stands, persistent: the edit is finished (O(1)) and a new one goes
        on from it (which copies what it changes from then on)."""
        snapshot = self._edit.finish()
        self._edit = snapshot.mutate()
        self.get = self._edit.get
        return snapshot

    def items(self) -> Any:
        return self.snapshot().items()

    def values(self) -> Any:
        return self.snapshot().values()

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
MakeDraft = Callable[[Map[Any, Any]], Draft]


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

    def __init__(self, mapping: Map[Any, Any], fields: Mapping[str, MakeDraft]) -> None:
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


class Drafting(Protocol):
    """How fold drafts one slice's value, and makes it persistent again."""

    def draft(self, value: Any) -> Any:
        """``value`` editable in place (a value that is a draft already stays itself)."""

    def settle(self, value: Any) -> Any:
        """``value`` with every draft in it made persistent."""


class MapDrafting:
    """A slice that is a map: drafted as a :class:`Draft`, or a :class:`NestingDraft` when
    ``nested`` names maps inside its entities (each field, and how it is drafted)."""

    __slots__ = ("nested",)

    def __init__(self, nested: Mapping[str, MakeDraft] | None = None) -> None:
        self.nested = dict(nested) if nested else None

    def draft(self, value: Any) -> Any:
        if type(value) is not Map:
            return value
        nested = self.nested
        return Draft(value) if nested is None else NestingDraft(value, nested)

    def settle(self, value: Any) -> Any:
        return value.persistent() if isinstance(value, Draft) else value


class PartsDrafting:
    """A slice that is a struct of maps (the objects and their indexes): each map named in
    ``parts`` is drafted as given, in a copy of the struct; the rest stays as it is."""

    __slots__ = ("parts",)

    def __init__(self, parts: Mapping[str, MakeDraft]) -> None:
        self.parts = tuple(parts.items())

    def draft(self, value: Any) -> Any:
        if not isinstance(value, msgspec.Struct):
            return value
        fresh = value.__copy__()  # type: ignore[attr-defined]
        for name, drafting in self.parts:
            part = getattr(value, name)
            if type(part) is Map:
                _set(fresh, name, drafting(part))
        return fresh

    def settle(self, value: Any) -> Any:
        if not isinstance(value, msgspec.Struct):
            return value
        fresh = value.__copy__()  # type: ignore[attr-defined]
        for name, _ in self.parts:
            part = getattr(value, name)
            if isinstance(part, Draft):
                _set(fresh, name, part.persistent())
        return fresh


#: How fold drafts each declared slice, by name (filled in by the slice declarations).
DRAFTINGS: dict[str, Drafting] = {}


def drafted(value: Any, name: str = "") -> Any:
    """A mirror field's value as ``fold`` keeps it between events: a declared slice as its
    declaration drafts it; anything else (the timer index, the health) as it is."""
    drafting = DRAFTINGS.get(name)
    return value if drafting is None else drafting.draft(value)


def settle(mirror: Any, names: set[str]) -> None:
    """Turn the drafts in the fields ``names`` of fold's private ``mirror`` back into
    persistent maps, in place (nobody else holds that mirror)."""
    for name in names:
        drafting = DRAFTINGS.get(name)
        if drafting is not None:
            _set(mirror, name, drafting.settle(getattr(mirror, name)))
    names.clear()
