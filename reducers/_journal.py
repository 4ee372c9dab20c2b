"""Recording drafts: what each record changed, kept while :func:`reducers.fold` edits in place.

``eventmirror log --changes`` shows, for every record, what it changed in the mirror: exactly
``reducers.diff`` of the mirror before and after it. Folding with :func:`reducers.apply` keeps
both mirrors but costs three times what ``fold`` costs, and comparing them afterwards must
find what changed. ``fold`` knows what changed as it happens: every change goes through a
draft's ``set`` or ``delete`` (:mod:`reducers._draft`). A :class:`Journal` gives ``fold``
drafts that also remember, at the first touch of each key in a record, the value the key had
before it (:class:`RecordingDraft`), so the changes of a record are found by looking only at
what it touched, and the mirror before it is never needed.

In a journal, every slice is drafted from the start (so no reducer ever builds a new slice
from a persistent one, which would hide what it touched), and so is every map inside an
entity that its slice writes: a chat's messages as much as a volume's files. The drafts a
slice declares for its derived indexes stay as declared; the JSON form leaves those out.
:class:`Before` shows a recording draft as it stood before the record.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping
from typing import Any, Final

import msgspec

from ._draft import DRAFTINGS, Draft, MakeDraft, MapDrafting, PartsDrafting
from ._slice import DECLARED
from ._state import Map
from .mirror import SLICES, Mirror

__all__ = [
    "ABSENT",
    "Before",
    "Journal",
    "RecordingDraft",
    "RecordingSlice",
    "as_before",
    "before_record",
]

_set = msgspec.structs.force_setattr


class _Absent:
    """No value under the key (not None: a metadata value may be JSON null)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()


class RecordingDraft(Draft):
    """A draft remembering, for each key a record sets or deletes, its value before that record
    (:data:`ABSENT` if it had none) in :attr:`before`; the first touch in a record adds the
    draft to its journal's list. ``owner`` is ``(slice, key)`` of the entity holding the map,
    or None for a slice itself (``slice`` names it)."""

    __slots__ = ("before", "owner", "slice", "touched")

    def __init__(
        self, mapping: Map[Any, Any], touched: list[RecordingDraft], slice: str, owner: Any = None
    ) -> None:
        super().__init__(mapping)
        self.touched = touched
        self.slice = slice
        self.owner = owner
        self.before: dict[Any, Any] = {}

    def _remember(self, key: Any) -> None:
        """Keep the value of ``key`` before the record, at its first touch in the record."""
        before = self.before
        if key not in before:
            if not before:
                self.touched.append(self)
            before[key] = self._edit.get(key, ABSENT)

    def set(self, key: Any, value: Any) -> Draft:
        self._remember(key)
        self._edit[key] = value
        return self

    def delete(self, key: Any) -> Draft:
        self._remember(key)
        del self._edit[key]
        return self

    def __delitem__(self, key: Any) -> None:
        self.delete(key)

    def pop(self, key: Any, *default: Any) -> Any:
        if key in self._edit:
            value = self._edit[key]
            self.delete(key)
            return value
        return self._edit.pop(key, *default)

    def update(self, items: Any) -> Draft:
        for key, value in dict(items).items():
            self.set(key, value)
        return self


class RecordingSlice(RecordingDraft):
    """A slice's entities, recorded; each map inside an entity it stores is drafted too: the
    ones its slice writes as recording drafts owned by that entity, a derived index as the
    slice declares it (``nested``: field name to how it is drafted)."""

    __slots__ = ("_nested", "_settle")

    def __init__(
        self,
        mapping: Map[Any, Any],
        touched: list[RecordingDraft],
        slice: str,
        nested: Mapping[str, MakeDraft],
    ) -> None:
        super().__init__(mapping, touched, slice)
        self._nested = dict(nested)
        self._settle: set[Any] = set()

    def set(self, key: Any, value: Any) -> Draft:
        fresh = None
        for name in _map_fields(type(value)):
            inner = getattr(value, name)
            if type(inner) is Map:
                if fresh is None:
                    fresh = value.__copy__()  # the reducer's entity may be shared: copy it
                make = self._nested.get(name)
                draft = make(inner) if make is not None and make is not Draft else None
                if draft is None:
                    draft = RecordingDraft(inner, self.touched, self.slice, (self.slice, key))
                _set(fresh, name, draft)
        if fresh is not None:
            value = fresh
            self._settle.add(key)
        return super().set(key, value)

    def persistent(self) -> Map[Any, Any]:
        edit = self._edit
        for key in self._settle:
            value = edit.get(key)
            if value is not None:
                fresh = value.__copy__()
                for name in _map_fields(type(value)):
                    inner = getattr(value, name)
                    if isinstance(inner, Draft):
                        _set(fresh, name, inner.persistent())
                edit[key] = fresh
        self._settle.clear()
        return edit.finish()


_MAP_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def _map_fields(entity: type[Any]) -> tuple[str, ...]:
    """The fields of an entity type that hold a persistent map."""
    found = _MAP_FIELDS.get(entity)
    if found is None:
        found = ()
        if issubclass(entity, msgspec.Struct):
            hints = typing.get_type_hints(entity)
            fields = entity.__struct_fields__
            found = tuple(name for name in fields if typing.get_origin(hints[name]) is Map)
        _MAP_FIELDS[entity] = found
    return found


class Before(Mapping[Any, Any]):
    """A recording draft as it stood before the record (read-only); a slice's entities each
    as it stood too (:func:`as_before`)."""

    __slots__ = ("_draft",)

    def __init__(self, draft: RecordingDraft) -> None:
        self._draft = draft

    def get(self, key: Any, default: Any = None) -> Any:
        before = self._draft.before
        value = before[key] if key in before else self._draft.get(key, ABSENT)
        if value is ABSENT:
            return default
        return as_before(value) if type(self._draft) is RecordingSlice else value

    def __getitem__(self, key: Any) -> Any:
        value = self.get(key, ABSENT)
        if value is ABSENT:
            raise KeyError(key)
        return value

    def __len__(self) -> int:
        draft, before = self._draft, self._draft.before
        now = sum(1 for key in before if key in draft)
        then = sum(1 for value in before.values() if value is not ABSENT)
        return len(draft) - now + then

    def __iter__(self) -> Iterator[Any]:
        before = self._draft.before
        yield from (key for key in self._draft if key not in before)
        yield from (key for key, value in before.items() if value is not ABSENT)


def _touched_maps(entity: Any) -> bool:
    """Whether the record touched a map inside ``entity``."""
    if not isinstance(entity, msgspec.Struct):
        return False
    values = msgspec.structs.astuple(entity)
    return any(type(value) is RecordingDraft and value.before for value in values)


def as_before(entity: Any) -> Any:
    """``entity`` as it stood before the record: a copy with its touched maps as they were."""
    if not _touched_maps(entity):
        return entity
    copy = entity.__copy__()
    for name in entity.__struct_fields__:
        value = getattr(entity, name)
        if type(value) is RecordingDraft and value.before:
            _set(copy, name, Before(value))
    return copy


def before_record(value: Any) -> Any:
    """``value`` as it stood before the record: a touched recording draft as :class:`Before`."""
    return Before(value) if type(value) is RecordingDraft and value.before else value


class Journal:
    """The drafts a record touched (in :attr:`touched`), for a fold that reports each record.

    :meth:`draft_all` drafts every slice of fold's private mirror (after fold made them
    persistent again); :meth:`clear` forgets a record's touches once they are reported.
    """

    __slots__ = ("touched",)

    def __init__(self) -> None:
        self.touched: list[RecordingDraft] = []

    def draft_all(self, mirror: Mirror, drafts: set[str]) -> None:
        """Draft, in place, every slice of fold's private ``mirror`` not drafted yet, and add
        its name to fold's ``drafts``."""
        for name in SLICES:
            if name not in drafts:
                _set(mirror, name, self._drafted(name, getattr(mirror, name)))
                drafts.add(name)

    def _drafted(self, name: str, value: Any) -> Any:
        drafting = DRAFTINGS[name]
        if isinstance(drafting, MapDrafting):
            return RecordingSlice(value, self.touched, name, drafting.nested or {})
        if isinstance(drafting, PartsDrafting):  # the part the JSON form writes is recorded
            written = DECLARED[name].written(value)
            fresh = value.__copy__()
            for part, make in drafting.parts:
                inner = getattr(value, part)
                if inner is written:
                    _set(fresh, part, RecordingSlice(inner, self.touched, name, {}))
                elif type(inner) is Map:
                    _set(fresh, part, make(inner))
            return fresh
        raise TypeError(f"slice {name!r}: a journal cannot record {type(drafting).__name__}")

    def clear(self) -> None:
        for draft in self.touched:
            draft.before.clear()
        self.touched.clear()
