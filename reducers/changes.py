"""What one event changed: :func:`reducers.diff` between the mirror before and after it,
found without comparing whole states.

:func:`step_changes` gives exactly ``reducers.diff(before, after)`` (a test checks it on every
event of recordings with every event type), at the cost of what the event touched. Three
facts make that possible. A slice the event did not touch is the same object in both
mirrors (mirrors are persistent), so it is skipped without a look. Inside a touched slice,
an entity is either the same object (unchanged) or not; and the entities an event can touch
are the ones its text names (every string in the event, keys and values), plus the ones
whose timers fell due at its time; in a small slice, every entity. Inside an entity, maps
(a volume's files, a conference's members) are compared key by key, encoding only the
entries that are not the same object. A slice whose size does not add up from the
candidates, and the events whose reducers reach entities they do not name
(:data:`REACHING`), are compared entity by entity, every one (by identity first: only the
entities that are not the same object are encoded).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any, Final

import immutables
import msgspec
from msgspec.structs import astuple

from ._draft import Draft
from ._journal import ABSENT, Before, RecordingDraft, as_before, before_record
from ._slice import ENCODER
from .diff import Change, _walk, pointer
from .mirror import SLICES, Mirror
from .pointer import _written_entity

__all__ = ["REACHING", "NamedStrings", "named_strings", "recorded_changes", "step_changes"]

_DECODE: Final = msgspec.json.decode

#: Event types whose reducers change entities the event does not name: a tag's deletion or
#: a lowered level strips or unshares every object carrying it; a trash purge removes every
#: trashed object.
REACHING: Final = frozenset({"tag_delete", "tag_modify", "trash_purge"})
#: Slices this small are compared entity by entity whatever the event names.
_SMALL_SLICE: Final = 64
_ABSENT: Final = ABSENT  # not None: a metadata value may be JSON null
#: The containers compared key by key (the JSON form writes them all as objects).
_MAPS: Final = (dict, immutables.Map, Draft, Before)
#: Values whose JSON form is themselves, compared as :func:`reducers.diff` compares JSON
#: (not floats: NaN and infinities are written ``null``).
_SCALARS: Final = frozenset({str, int, bool, type(None)})


def named_strings(data: Any) -> frozenset[str]:
    """Every string in an event's JSON text, keys and values, at any depth (empty when the
    text is not JSON)."""
    try:
        value = _DECODE(data) if isinstance(data, bytes | str) else data
    except (msgspec.DecodeError, RecursionError):
        return frozenset()
    found: set[str] = set()
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            found.update(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return frozenset(found)


def step_changes(
    before: Mirror, after: Mirror, event_type: str | None, named: Iterable[str] | None
) -> list[Change]:
    """``reducers.diff(before, after)`` when ``after`` is ``before`` with one event applied,
    of type ``event_type``, whose text names ``named`` (None: compare every touched slice in
    full)."""
    candidates = set(named or ())
    if after.now != before.now and after.timers is not before.timers:
        due, _ = before.timers.split_due(after.now or 0)
        for entry in due:
            candidates.update(key for key in entry[2:] if key)
    reaching = named is None or event_type in REACHING
    found: list[Change] = []
    for name in sorted(SLICES):
        old, new = getattr(before, name), getattr(after, name)
        if old is new:
            continue
        guided = None
        if not reaching and len(old) > _SMALL_SLICE and len(new) > _SMALL_SLICE:
            guided = _guided(name, old, new, candidates, candidates)
        if guided is None:  # every entity: few of them, or the candidates do not account
            guided = _every_key(name, old, new, candidates, reaching)
        found.extend(guided)
    return found


def _guided(
    name: str, old: Any, new: Any, keys: Iterable[str], candidates: set[str], every: bool = False
) -> list[Change] | None:
    """The changes of one slice among ``keys``, or None if those cannot account for its size
    (``candidates``: the keys the event names, for the maps inside its entities; ``every``:
    compare every key of those maps too)."""
    touched = []
    added = removed = 0
    for key in keys:
        a, b = old.get(key, _ABSENT), new.get(key, _ABSENT)
        if a is b:
            continue
        touched.append((key, a, b))
        added += a is _ABSENT
        removed += b is _ABSENT
    if len(old) + added - removed != len(new):
        return None
    changes: list[Change] = []
    for key, a, b in sorted(touched, key=lambda item: item[0]):
        if a is _ABSENT:
            changes.append(Change(pointer(name, key), "added", new=_entity(name, key, b)))
        elif b is _ABSENT:
            changes.append(Change(pointer(name, key), "removed", old=_entity(name, key, a)))
        else:
            written_a, written_b = _written(name, key, a), _written(name, key, b)
            changes.extend(_parts(written_a, written_b, (name, key), candidates, every))
    return changes


def _every_key(name: str, old: Any, new: Any, candidates: set[str], every: bool) -> list[Change]:
    """The changes of one slice, every entity compared (by identity first)."""
    keys = list(old)
    keys.extend(key for key in new if key not in old)
    found = _guided(name, old, new, keys, candidates, every)
    assert found is not None  # every key accounts for the size
    return found


def _entity(name: str, key: str, entity: Any) -> Any:
    return _json(_written(name, key, entity))


#: The written forms found last, by slice and key, with the entity each was found for (held
#: here, so the same object is that entity): what one step writes after is what the next
#: writes before, and writing a chat or a sensor orders all its messages or points.
_LAST_WRITTEN: dict[tuple[str, str], tuple[Any, Any]] = {}
_KEEP_WRITTEN: Final = 1024


def _written(name: str, key: str, entity: Any) -> Any:
    """``_written_entity``, remembered for the entity while it is the last one seen there
    (written forms are not changed by the comparison)."""
    found = _LAST_WRITTEN.get((name, key))
    if found is not None and found[0] is entity:
        return found[1]
    written = _written_entity(name, key, entity)
    if len(_LAST_WRITTEN) >= _KEEP_WRITTEN:
        _LAST_WRITTEN.clear()
    _LAST_WRITTEN[name, key] = (entity, written)
    return written


def _compared(old: Any, new: Any, keys: tuple[str, ...]) -> Iterator[Change]:
    """:func:`reducers.diff`'s walk of two JSON values, skipping, in an object, the entries
    with the same JSON text (a chat's messages, a sensor's points, rewritten whole on each
    event: one of them changed); the others are walked as ``diff`` walks them."""
    if not (type(old) is dict and type(new) is dict):
        yield from _walk(old, new, keys)
        return
    encode = ENCODER.encode
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            yield Change(pointer(*keys, key), "removed", old=old[key])
        elif key not in old:
            yield Change(pointer(*keys, key), "added", new=new[key])
        else:
            a, b = old[key], new[key]
            if encode(a) != encode(b):  # the same text is the same value; else look closer
                yield from _compared(a, b, (*keys, key))


def _json(part: Any) -> Any:
    return _DECODE(_text(part))


def _text(part: Any) -> Any:
    """A part's JSON text (a :class:`msgspec.Raw` is its own)."""
    return part if isinstance(part, msgspec.Raw) else ENCODER.encode(part)


def _parts(
    a: Any, b: Any, keys: tuple[str, ...], candidates: Collection[str], every: bool = False
) -> Iterator[Change]:
    """The changes between two parts of an entity as written, skipping what they share: a
    map inside an entity (a volume's files, a conference's members) is compared key by key
    (a large one among the candidate keys, when they account for its size), and only the
    entries that are not the same object are encoded."""
    if a is b:
        return
    if type(a) in _SCALARS and type(b) in _SCALARS:  # JSON as they are: nothing to encode
        if type(a) is not type(b) or a != b:
            yield Change(pointer(*keys), "changed", old=a, new=b)
        return
    if not (isinstance(a, _MAPS) and isinstance(b, _MAPS)):
        # Rebuilt for the written form, equal parts are often not the same object: the
        # same JSON text (keys sorted) is the same value, found in C before walking it.
        text_a, text_b = _text(a), _text(b)
        if text_a != text_b:
            yield from _compared(_DECODE(text_a), _DECODE(text_b), keys)
        return
    found: list[Change] = []
    added = removed = 0
    large = not every and len(a) > _SMALL_SLICE and len(b) > _SMALL_SLICE
    for key in sorted(candidates if large else set(a) | set(b), key=str):
        old, new = a.get(key, _ABSENT), b.get(key, _ABSENT)
        if old is new:
            continue
        if old is _ABSENT:
            added += 1
            found.append(Change(pointer(*keys, str(key)), "added", new=_json(new)))
        elif new is _ABSENT:
            removed += 1
            found.append(Change(pointer(*keys, str(key)), "removed", old=_json(old)))
        else:
            found.extend(_parts(old, new, (*keys, str(key)), candidates, every))
    if large and len(a) + added - removed != len(b):  # not accounted for: every key
        found = list(_parts(a, b, keys, candidates, every=True))
    yield from found


# --- what a record changed, from the drafts it touched ------------------------------------


class NamedStrings(Collection[str]):
    """:func:`named_strings` of a record, found only if asked (few records need them)."""

    __slots__ = ("_data", "_found")

    def __init__(self, data: Any) -> None:
        self._data = data
        self._found: frozenset[str] | None = None

    def _strings(self) -> frozenset[str]:
        if self._found is None:
            self._found = named_strings(self._data)
        return self._found

    def __iter__(self) -> Iterator[str]:
        return iter(self._strings())

    def __contains__(self, item: object) -> bool:
        return item in self._strings()

    def __len__(self) -> int:
        return len(self._strings())


_SAME: Final = object()  # an entity whose own maps were touched, not the entity itself


def recorded_changes(
    touched: Iterable[RecordingDraft], after: Mirror, named: Collection[str]
) -> list[Change]:
    """``reducers.diff(before, after)`` for one record folded with a journal
    (:mod:`reducers._journal`): ``touched`` are the recording drafts it touched, which hold
    what it changed and the values before; ``named`` the strings the record names, for a map
    a reducer built anew (rare: a journal drafts every written map)."""
    entities: dict[str, dict[Any, Any]] = {}
    for draft in touched:
        if draft.owner is None:
            entities.setdefault(draft.slice, {}).update(draft.before)
        else:
            name, key = draft.owner
            entities.setdefault(name, {}).setdefault(key, _SAME)
    found: list[Change] = []
    for name in sorted(entities):
        now = getattr(after, name)
        for key, old in sorted(entities[name].items(), key=lambda item: item[0]):
            new = now.get(key, ABSENT)
            found.extend(_entity_changes(name, key, new if old is _SAME else old, new, named))
    return found


def _entity_changes(name: str, key: str, a: Any, b: Any, named: Collection[str]) -> list[Change]:
    if a is ABSENT:
        if b is ABSENT:  # added and removed by the same record
            return []
        return [Change(pointer(name, key), "added", new=_json(_written_entity(name, key, b)))]
    if b is ABSENT:
        old = _written_entity(name, key, as_before(a))
        return [Change(pointer(name, key), "removed", old=_json(old))]
    fields = _written_fields(name, key, b) if type(a) is type(b) else None
    if fields is None:  # not an entity with fields: compared as written
        if a is b:
            return []
        written_a = _written_entity(name, key, as_before(a))
        return list(_parts(written_a, _written_entity(name, key, b), (name, key), named))
    found: list[Change] = []
    olds, news = astuple(a), astuple(b)
    for index, field in fields:
        x, y = olds[index], news[index]
        if x is y:
            if type(x) is RecordingDraft and x.before:
                found.extend(_draft_changes(x, (name, key, field), named))
            continue
        if type(x) in _SCALARS and type(y) in _SCALARS:  # JSON as they are
            if x is None:
                found.append(Change(pointer(name, key, field), "added", new=y))
            elif y is None:
                found.append(Change(pointer(name, key, field), "removed", old=x))
            elif type(x) is not type(y) or x != y:
                found.append(Change(pointer(name, key, field), "changed", old=x, new=y))
            continue
        x = before_record(x)
        if x is None:
            found.append(Change(pointer(name, key, field), "added", new=_json(y)))
        elif y is None:
            found.append(Change(pointer(name, key, field), "removed", old=_json(x)))
        else:
            found.extend(_parts(x, y, (name, key, field), named))
    return found


def _draft_changes(
    draft: RecordingDraft, keys: tuple[str, ...], named: Collection[str]
) -> Iterator[Change]:
    """The changes of a map inside an entity, from the keys the record touched in it."""
    for key in sorted(draft.before, key=str):
        old, new = draft.before[key], draft.get(key, ABSENT)
        if old is new:
            continue
        path = (*keys, str(key))
        if old is ABSENT:
            yield Change(pointer(*path), "added", new=_json(new))
        elif new is ABSENT:
            yield Change(pointer(*path), "removed", old=_json(old))
        else:
            yield from _parts(old, new, path, named)


#: The fields each slice writes of its entities, by slice and entity type: (index, JSON
#: name), sorted by JSON name; None for values that are not entities with fields.
_WRITTEN_FIELDS: dict[tuple[str, type[Any]], tuple[tuple[int, str], ...] | None] = {}


def _written_fields(name: str, key: str, entity: Any) -> tuple[tuple[int, str], ...] | None:
    """What a slice's JSON form writes of its entities of this type, read from the slice's
    own ``written`` on the first one met: the fields it writes (those it leaves out as None
    included), not the derived ones it leaves out."""
    kind = type(entity)
    if (name, kind) in _WRITTEN_FIELDS:
        return _WRITTEN_FIELDS[name, kind]
    written = _written_entity(name, key, entity)
    fields: tuple[tuple[int, str], ...] | None = None
    if isinstance(entity, msgspec.Struct) and type(written) is dict:
        fields = tuple(
            sorted(
                (
                    (index, field.encode_name)
                    for index, field in enumerate(msgspec.structs.fields(entity))
                    if field.encode_name in written or getattr(entity, field.name) is None
                ),
                key=lambda pair: pair[1],
            )
        )
    _WRITTEN_FIELDS[name, kind] = fields
    return fields
