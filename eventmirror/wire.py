"""Wire twins: what :func:`reducers.fold` and :func:`reducers.apply` decode lines into.

The event model (one frozen attrs class per event type) is what :func:`eventmirror.decode`
returns and what users and the simulator see. Building it costs a dispatch on the event name
in Python (three ``bytes.find`` calls, a slice and a lookup, about 1 us) and msgspec's slower
path for attrs instances. ``fold`` and ``apply`` never hand an event decoded from a line to
anyone but its reducer, so they decode each line in one C pass into a *twin*: a frozen
msgspec Struct per event class, generated here from that class's own fields, type hints and
wire names, in a tagged union on ``"event"``. A reducer reads the same attribute names from
either.

The rule that keeps this exact: **whatever a twin accepts, the event class accepts with the
same values.** A twin may refuse more; the line then goes through
:func:`eventmirror.codec.decode_in_full`, which decodes it in full and explains any problem.
A twin refuses every key its event does not define, so that such a line reaches the full
path, which names the key for the health report (or, strict, the error).

The one deliberate difference is the millisecond keys of sensor data and actions, which the
reducers turn into integers anyway: the event classes check them with a regular expression
(0.7 us a key, most of a ``sensor_data`` event's cost), the twins decode them as integers in
C, and refuse ``0`` so that ``"-0"`` (an integer to msgspec, not digits to the event class)
can never slip through; a real key ``"0"`` just takes the full path.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Annotated, Any, Final

import attrs
import msgspec

from .events import EVENT_TYPES, Event
from .events._base import MillisKey
from .explain import hints, wire_name

__all__ = ["INTEGER_KEYED", "TWINS", "decode_line"]

#: A millisecond key as a twin decodes it: digits only (msgspec's integer keys refuse signs,
#: spaces, leading zeros and exponents), at most 2**63 - 1, never 0 (see the module docstring).
_TwinMillis = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]


def _twin_type(tp: Any) -> Any:
    """The type a twin field gets for an event field of type ``tp``."""
    if typing.get_origin(tp) is dict:
        key, value = typing.get_args(tp)
        if key == MillisKey:
            return dict[_TwinMillis, value]  # type: ignore[valid-type]
    return tp


def _twin(name: str, cls: Any) -> type[Any]:
    fields = [field for field in attrs.fields(cls) if field.name != "event"]
    types = hints(cls)
    specs: list[Any] = [
        (field.name, _twin_type(types[field.name]))
        if field.default is attrs.NOTHING
        else (field.name, _twin_type(types[field.name]), field.default)
        for field in fields
    ]
    renamed = {field.name: wire_name(field) for field in fields if wire_name(field) != field.name}
    return msgspec.defstruct(
        f"{cls.__name__}Twin",
        specs,
        kw_only=True,
        frozen=True,
        gc=False,
        tag_field="event",
        tag=name,
        rename=renamed or None,
        # A line with a field the reference does not define goes to the full path, which
        # names the field (docs/events.md): common events pay nothing for that.
        forbid_unknown_fields=True,
        # The event's name as an attribute, as on the event class (messages read it).
        namespace={"event": name, "__doc__": f"The wire twin of :class:`{cls.__qualname__}`."},
    )


def _retyped_fields(cls: Any) -> list[str]:
    types = hints(cls)
    return [name for name, tp in types.items() if _twin_type(tp) is not tp]


#: (event name, field) of the twin fields whose millisecond keys are integers, not digits.
INTEGER_KEYED: Final = frozenset(
    (name, field) for name, cls in EVENT_TYPES.items() for field in _retyped_fields(cls)
)

#: Event class -> its twin, for all 56 event types.
TWINS: Final[dict[type[Event], type[Any]]] = {
    cls: _twin(name, cls) for name, cls in EVENT_TYPES.items()
}

#: Decode one line into its twin; raises ``msgspec.DecodeError`` (``ValidationError`` for an
#: unknown name or a bad field) for anything a twin does not take.
decode_line: Final[Callable[[bytes], Any]] = msgspec.json.Decoder(
    typing.Union[tuple(TWINS.values())]  # noqa: UP007 - a union built at runtime
).decode
