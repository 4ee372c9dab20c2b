"""Pure reducers: fold one session's event stream into a mirror of what its user can see.

>>> from reducers import fold, dumps
>>> mirror = fold(open("session.jsonl", "rb"), me="1de7257a-4f34-11e0-ab6e-0024e8f90cc1")
>>> mirror.tags, mirror.objects[uuid], mirror.health.gaps

:func:`apply` returns a new mirror and never changes its input; :func:`fold` folds a stream
(events, or a file read as the command line reads a recording: JSON Lines or
``GET /api/event`` response bodies); :func:`advance` moves the clock. The mirror's JSON form
comes from :func:`dumps` and loads back with :func:`loads`. :func:`same_state` and
:func:`diff` compare two mirrors (or JSON forms). Time travel over a recording
(docs/time-travel.md): :func:`steps` gives each record with the mirror after it,
:func:`trace` each record with what it changed at about a fold's cost,
:class:`Timeline` the mirror at any point from checkpoints, :func:`blame` the events that
changed a path (a JSON Pointer, :func:`resolve`), :func:`bisect` the first event after which
a JMESPath condition holds.
Every slice (``mirror.tags``,
``mirror.objects``, ...) is a read-only mapping; each domain module declares its slice
(:mod:`reducers._slice`).
"""

from __future__ import annotations

from eventmirror.codec import UnknownEvent, decode, encode
from eventmirror.errors import EventError

from . import (  # noqa: F401 - importing a domain module registers its reducers
    announcement,
    box,
    call,
    chat,
    comments,
    conference,
    dialplan,
    fax,
    files,
    metadata,
    objects,
    presentation,
    sensor,
    sip,
    tags,
    user,
)
from ._registry import REDUCERS
from ._slice import DECLARED, Slice, check_declarations
from .apply import EventInput, Numbered, Readable, Watch, advance, apply, collector_paused, fold
from .blame import Blame, Setter, blame
from .condition import Bisection, Condition, ConditionError, bisect
from .diff import Change, diff, same_state
from .jsonform import MirrorFormatError, dumps, from_json, loads, to_json
from .mirror import KEEP, SLICES, Anomaly, Gap, Health, Mirror, Reset, TimeJump, empty
from .pointer import MISSING, PointerError, parse_pointer, resolve
from .steps import Mark, Step, steps
from .timeline import Entry, IdNotFound, Timeline
from .traced import TracedRecord, trace

# The typed face (the Mirror's fields) and the declarations must name the same slices.
check_declarations(SLICES)

__all__ = [
    "DECLARED",
    "KEEP",
    "MISSING",
    "REDUCERS",
    "SLICES",
    "Anomaly",
    "Bisection",
    "Blame",
    "Change",
    "Condition",
    "ConditionError",
    "Entry",
    "EventError",
    "EventInput",
    "Gap",
    "Health",
    "IdNotFound",
    "Mark",
    "Mirror",
    "MirrorFormatError",
    "Numbered",
    "PointerError",
    "Readable",
    "Reset",
    "Setter",
    "Slice",
    "Step",
    "TimeJump",
    "Timeline",
    "TracedRecord",
    "UnknownEvent",
    "Watch",
    "advance",
    "apply",
    "bisect",
    "blame",
    "collector_paused",
    "decode",
    "diff",
    "dumps",
    "empty",
    "encode",
    "fold",
    "from_json",
    "loads",
    "parse_pointer",
    "resolve",
    "same_state",
    "steps",
    "to_json",
    "trace",
]
