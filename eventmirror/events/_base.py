"""Field types and the base class every event class shares.

The platform's UUIDs are opaque strings here: checking their form costs 1.3 us a field with
msgspec's regex (four times the whole decode), and nothing in a mirror depends on their form.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias

import attrs
import msgspec

#: A UUID as the platform sends it (not checked for form, see the module docstring).
Uuid: TypeAlias = str
#: Seconds since the epoch.
_MAX = 2**63 - 1
Timestamp: TypeAlias = Annotated[
    int, msgspec.Meta(ge=0, le=_MAX, description="seconds since the epoch")
]
#: A session's event id: 0 for the first event of a session, +1 for every event after it.
EventId: TypeAlias = Annotated[int, msgspec.Meta(ge=0, le=_MAX, description="an event id >= 0")]
#: A tag policy entry: 0 = no access (tag_modify only), 1 read, 2 write, 3 propagate, 4 owner.
AccessLevel: TypeAlias = Annotated[
    int, msgspec.Meta(ge=0, le=4, description="an access level 0..4")
]
#: A conference member's volume, -4..4, 0 being the default.
Volume: TypeAlias = Annotated[int, msgspec.Meta(ge=-4, le=4, description="a volume level -4..4")]
#: A relative timer in seconds (chat user states): 0 means inactive now.
Seconds: TypeAlias = Annotated[
    int, msgspec.Meta(ge=0, le=_MAX, description="a number of seconds >= 0")
]
#: A count that cannot be negative (pages, octets, durations).
Count: TypeAlias = Annotated[int, msgspec.Meta(ge=0, le=_MAX, description="a whole number >= 0")]
#: Any integer that fits in 64 bits (status and error codes).
Int: TypeAlias = Annotated[int, msgspec.Meta(ge=-_MAX - 1, le=_MAX, description="an integer")]
#: A pointer coordinate, 0.0 (left/top) .. 1.0 (right/bottom).
Fraction: TypeAlias = Annotated[
    float, msgspec.Meta(ge=0.0, le=1.0, description="a number between 0.0 and 1.0")
]
#: A millisecond timestamp used as an object key (sensor data and actions).
MillisKey: TypeAlias = Annotated[
    str, msgspec.Meta(pattern=r"^[0-9]{1,19}$", description="a millisecond timestamp in digits")
]
#: Any JSON value (metadata values, sensor points): kept as decoded, treated as read-only.
Json: TypeAlias = Any


class Nested(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    omit_defaults=True,
    gc=False,
    forbid_unknown_fields=True,
):
    """Base of the structures nested inside events (a conference member, a fax report, ...).

    These are msgspec Structs rather than attrs classes: msgspec builds a nested attrs instance
    through its ``__init__`` (3.8 us for a conference update) but a Struct in C (1.2 us), and
    the mirror keeps them as they are. Absent optional fields stay out of their JSON.

    A key a structure does not define makes decoding it fail, so that such a rare event
    leaves the fast paths for :func:`eventmirror.codec.decode_in_full`, which drops the key
    and names it (counted in lenient mode, an error in strict mode).
    """


def wire(name: str) -> dict[str, str]:
    """Field metadata for a field whose wire name is not a Python identifier (``action-uuid``)."""
    return {"wire": name}


@attrs.frozen(kw_only=True)
class Event:
    """The event skeleton every event carries: ``id`` within the session, and ``time``.

    Subclasses add the reference's payload fields and an ``event`` field holding their name.
    Instances are immutable; dict and list payloads are shared with the mirror and must be
    treated as read-only.
    """

    id: EventId
    time: Timestamp
    #: The event type as on the wire; each subclass fixes it (``Literal["object_new"]``).
    event: str
