"""The mirror: one session's client-side picture of what its user can see.

A :class:`Mirror` is immutable. Its stream fields (``last_id``, ``now``, ``applied``,
``health``) say where the session's stream stands; one field per domain holds that domain's
slice, a persistent map keyed by UUID (objects and volumes carry derived indexes too).
"""

from __future__ import annotations

from typing import Any, Final, Literal

import msgspec

from ._state import EMPTY, Map
from .announcement import Announcement
from .box import Box
from .call import Call
from .chat import Chat
from .conference import Conference
from .dialplan import CallReverse
from .fax import Fax
from .files import Volume
from .objects import EMPTY_OBJECTS, Objects
from .presentation import Presentation
from .sensor import Sensor
from .sip import SipAccount
from .tags import Tag
from .timers import EMPTY_TIMERS, TimerIndex
from .user import Invitation, Stale

#: How many gaps, resets, anomalies, time jumps and unknown events a mirror keeps in full;
#: past that only the counts grow, so a hostile stream cannot grow the mirror without bound.
KEEP: Final = 1000
#: Where :attr:`Health.unknown_fields` counts fields past its first :data:`KEEP` names.
OTHER_UNKNOWN_FIELDS: Final = "(other fields)"


class Gap(msgspec.Struct, frozen=True, gc=False, array_like=True):
    """Ids ``first..last`` (inclusive) never arrived; JSON ``[first, last]``."""

    first: int
    last: int


class Reset(msgspec.Struct, frozen=True, gc=False):
    """The server started a new session: id 0 arrived after ``after``."""

    after: int
    time: int


class TimeJump(msgspec.Struct, frozen=True, gc=False):
    """Event ``id`` was stamped ``time``, earlier than the mirror's ``now``."""

    id: int
    time: int
    now: int


AnomalyKind = Literal["rejected", "inconsistent"]


class Anomaly(msgspec.Struct, frozen=True, gc=False, omit_defaults=True):
    """An event that was rejected (left the mirror unchanged) or applied but inconsistent."""

    kind: AnomalyKind
    message: str
    id: int | None = None
    line: int | None = None
    event: str | None = None
    path: str | None = None


class Health(msgspec.Struct, frozen=True, gc=False):
    """Everything unusual about the stream so far. Lists keep the first :data:`KEEP` entries;
    the counts are always exact."""

    duplicates: int = 0
    rejected: int = 0
    inconsistent: int = 0
    unknown: int = 0
    resync: bool = False
    gaps: tuple[Gap, ...] = ()
    missing: int = 0
    resets: tuple[Reset, ...] = ()
    reset_count: int = 0
    time_backwards: tuple[TimeJump, ...] = ()
    time_backwards_count: int = 0
    anomalies: tuple[Anomaly, ...] = ()
    unknown_types: dict[str, int] = msgspec.field(default_factory=dict)
    unknown_events: tuple[dict[str, Any], ...] = ()
    #: Fields the reference does not define, counted by ``event_type.field`` (a nested one
    #: by its path of field names: ``conference_update.member.hand``); the event itself was
    #: applied without them. Past :data:`KEEP` names, new ones count under
    #: :data:`OTHER_UNKNOWN_FIELDS`.
    unknown_fields: dict[str, int] = msgspec.field(default_factory=dict)

    @property
    def anomaly_count(self) -> int:
        return self.rejected + self.inconsistent


EMPTY_HEALTH: Final = Health()


class Mirror(msgspec.Struct, frozen=True):
    """One session's mirror. Build one with :func:`reducers.empty` or :func:`reducers.fold`.

    ``me`` is the session's own user when known (tag access loss and chat membership need it).
    ``last_id`` is the last id seen (None before the first event); ``now`` the latest event
    time or a later time given to :func:`reducers.advance`.
    """

    me: str | None = None
    last_id: int | None = None
    now: int | None = None
    applied: int = 0
    health: Health = EMPTY_HEALTH
    timers: TimerIndex = EMPTY_TIMERS
    stale: Map[str, Stale] = EMPTY
    invitations: Map[str, Invitation] = EMPTY
    tags: Map[str, Tag] = EMPTY
    objects: Objects = EMPTY_OBJECTS
    user_metadata: Map[str, Any] = EMPTY
    faxes: Map[str, Fax] = EMPTY
    announcements: Map[str, Announcement] = EMPTY
    conferences: Map[str, Conference] = EMPTY
    volumes: Map[str, Volume] = EMPTY
    boxes: Map[str, Box] = EMPTY
    callreverse: Map[str, CallReverse] = EMPTY
    sip: Map[str, SipAccount] = EMPTY
    presentations: Map[str, Presentation] = EMPTY
    chats: Map[str, Chat] = EMPTY
    calls: Map[str, Call] = EMPTY
    sensors: Map[str, Sensor] = EMPTY

    @property
    def next_id(self) -> int | None:
        """The id the stream should deliver next."""
        return None if self.last_id is None else self.last_id + 1

    @property
    def resync_needed(self) -> bool:
        """True after a gap or a reset: the client should re-fetch its state."""
        return self.health.resync

    def same_state(self, other: Mirror) -> bool:
        """Whether two mirrors show the same state, whatever their streams: the same as
        :func:`reducers.same_state`."""
        from .diff import same_state  # the comparison builds on the JSON form, built on this

        return same_state(self, other)


#: The domain slices, in the order of the mirror's JSON form.
SLICES: Final = tuple(
    name
    for name in Mirror.__struct_fields__
    if name not in ("me", "last_id", "now", "applied", "health", "timers")
)


def empty(me: str | None = None) -> Mirror:
    """A mirror that has seen nothing yet, for the session of user ``me`` if given."""
    return Mirror(me=me)
