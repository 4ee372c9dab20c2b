"""Slice declarations: each domain module says once what its slice of the mirror is.

In the spirit of Redux Toolkit's ``createSlice``, ``reducers/<domain>.py`` declares its slice
with :class:`Slice` and registers its reducers on that declaration::

    SLICE = Slice("tags", Tag)

    @SLICE.reducer(TagNew)
    def tag_new(mirror: Mirror, event: TagNew) -> Changes: ...

A declaration holds everything the generic machinery needs to know about a slice, so that
:mod:`reducers.apply`, :mod:`reducers._draft` and :mod:`reducers.jsonform` name no domain:

- ``name``: the :class:`~reducers.Mirror` field holding it (a test checks they agree);
- ``entity``: the type of its values, as read back from the JSON form;
- ``of_object``: its entities are keyed by object UUID and go when their object goes;
- ``drafting``: how :func:`reducers.fold` edits it in place (:mod:`reducers._draft`);
- its timers: the handler that expires one (:meth:`Slice.expires`) and the timers a loaded
  slice holds (:meth:`Slice.pending`), so a loaded mirror rebuilds its timer index;
- its JSON form: ``written`` (what is written for the slice's value: derived indexes left out,
  maps that read in an order of their own made :func:`ordered`) and ``rebuilt`` (the slice's
  value from its entities read back, derived indexes rebuilt).

A reducer registered on a slice may change other slices too (``tag_delete`` strips the tag
from the objects); the slice it is registered on is the one whose events it handles.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar

import immutables
import msgspec

from eventmirror.events import Event

from ._draft import DRAFTINGS, Draft, Drafting, MapDrafting
from ._registry import TIMER_HANDLERS, Reducer, TimerHandler, reducer
from ._state import Changes, Map

if TYPE_CHECKING:
    from .mirror import Mirror
    from .timers import TimerEntry

E = TypeVar("E", bound=Event)
PendingTimers = Callable[[Any], Iterable["TimerEntry"]]

#: Every declared slice by name, in declaration order.
DECLARED: dict[str, Slice] = {}
#: The names of the slices whose entities belong to an object (removed with it).
OF_OBJECT: list[str] = []


def _as_map(entities: dict[Any, Any]) -> Map[Any, Any]:
    return Map(entities)


def _as_is(value: Any) -> Any:
    return value


class Slice:
    """One slice of the mirror, declared by its domain module (see the module docstring)."""

    def __init__(
        self,
        name: str,
        entity: Any,
        *,
        of_object: bool = False,
        drafting: Drafting | None = None,
        written: Callable[[Any], Any] = _as_is,
        rebuilt: Callable[[dict[Any, Any]], Any] = _as_map,
    ) -> None:
        if name in DECLARED:
            raise RuntimeError(f"slice {name!r} declared twice")
        self.name = name
        self.entity = entity
        self.of_object = of_object
        self.drafting = drafting if drafting is not None else MapDrafting()
        #: The type its JSON section is read as, before :attr:`rebuilt` builds the slice.
        self.document_type: Any = dict[str, entity]
        self.written = written
        self.rebuilt = rebuilt
        self.reducers: dict[type[Event], Reducer] = {}
        self.pending_timers: PendingTimers | None = None
        DECLARED[name] = self
        DRAFTINGS[name] = self.drafting
        if of_object:
            OF_OBJECT.append(name)

    def __repr__(self) -> str:
        return f"Slice({self.name!r})"

    def reducer(
        self, event_type: type[E]
    ) -> Callable[[Callable[[Mirror, E], Changes]], Callable[[Mirror, E], Changes]]:
        """Register the decorated function as the reducer of ``event_type`` (one per type)."""
        register = reducer(event_type)

        def on_slice(function: Callable[[Mirror, E], Changes]) -> Callable[[Mirror, E], Changes]:
            self.reducers[event_type] = function
            return register(function)

        return on_slice

    def expires(self, function: TimerHandler) -> TimerHandler:
        """Register the decorated function to expire this slice's timers: entries
        ``(expiry, slice name, key...)`` in the mirror's timer index."""
        TIMER_HANDLERS[self.name] = function
        return function

    def pending(self, function: PendingTimers) -> PendingTimers:
        """Register the decorated function listing the timers a slice value holds (a loaded
        mirror rebuilds its timer index from them)."""
        self.pending_timers = function
        return function

    def timer(self, expiry: int, *keys: str) -> TimerEntry:
        """A timer entry of this slice."""
        first, second, third = (*keys, "", "", "")[:3]
        return (expiry, self.name, first, second, third)


def pending_timers(mirror: Mirror) -> Iterator[TimerEntry]:
    """Every timer the mirror's slices hold, to rebuild its timer index."""
    for name, declared in DECLARED.items():
        if declared.pending_timers is not None:
            yield from declared.pending_timers(getattr(mirror, name))


def check_declarations(fields: Iterable[str]) -> None:
    """Raise if the mirror's slice fields and the declared slices are not the same names."""
    fields = tuple(fields)
    missing = sorted(set(fields) - set(DECLARED))
    extra = sorted(set(DECLARED) - set(fields))
    if missing or extra:
        raise RuntimeError(
            f"the Mirror's slice fields and the declared slices differ: "
            f"not declared {missing}, not a Mirror field {extra}"
        )


# --- the JSON form's building blocks -------------------------------------------------------


def encode_hook(value: Any) -> Any:
    """How the JSON form writes what msgspec does not know: a persistent map is an object
    (integer keys, sensor timestamps, as digits)."""
    if isinstance(value, immutables.Map | Draft | Mapping):
        # A draft, or a view of one as it stood before a record (only in what a journal,
        # reducers._journal, compares): written as the map it stands for.
        return {str(key) if isinstance(key, int) else key: item for key, item in value.items()}
    raise NotImplementedError(f"cannot encode {type(value).__name__}")


#: Keys sorted, at every depth: the same mirror gives the same bytes.
ENCODER: Final = msgspec.json.Encoder(enc_hook=encode_hook, order="sorted")


def ordered(pairs: Iterable[tuple[Any, Any]]) -> msgspec.Raw:
    """A JSON object whose keys come in the order of ``pairs`` (not sorted: sensor data in
    timestamp order, chat messages in time order); each value is written as usual."""
    encode = ENCODER.encode
    parts = [encode(str(key)) + b":" + encode(value) for key, value in pairs]
    return msgspec.Raw(b"{" + b",".join(parts) + b"}")


def by_key(value: Mapping[Any, Any]) -> msgspec.Raw:
    """``value`` as a JSON object in the order of its keys (numeric keys numerically)."""
    return ordered(sorted(value.items()))


def present_fields(entity: msgspec.Struct) -> dict[str, Any]:
    """An entity's fields as the JSON form writes them: by their JSON names, the absent
    (None) ones left out."""
    names = _json_names(type(entity))
    values = msgspec.structs.astuple(entity)
    return {name: value for name, value in zip(names, values, strict=True) if value is not None}


@functools.cache
def _json_names(struct: type[msgspec.Struct]) -> tuple[str, ...]:
    return tuple(field.encode_name for field in msgspec.structs.fields(struct))
