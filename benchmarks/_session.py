"""What the recording generator knows and draws from: the working set's sizes, the server-side
state it keeps so every event it writes is consistent, and seeded realistic values.

Everything random comes from one ``random.Random``; nothing here iterates a set, whose order
would follow string hashing and so differ between runs.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Generic, TypeVar

#: Tuesday 17 March 2026, 08:00 UTC.
START_TIME: Final = 1_773_734_400
#: The session's own user.
ME: Final = "0b9f6a52-3c1e-4d8a-9f27-5e4c1d2b7a90"

Event = tuple[str, dict[str, Any]]
Builder = Callable[[], Event]
T = TypeVar("T")


@dataclass(frozen=True)
class WorkingSet:
    """How many of each thing the session sees at once (upper bounds the recording keeps)."""

    objects: int = 10_000
    tags: int = 1_000
    comments: int = 10_000
    volumes: int = 40
    files: int = 8_000
    conferences: int = 80
    members: int = 2_000
    sensors: int = 200
    sensor_points: int = 10_000
    chats: int = 200
    calls: int = 500
    faxes: int = 300
    presentations: int = 40
    users: int = 1_000


#: The default working set: thousands of objects, files, members and sensor points.
DEFAULT: Final = WorkingSet()
#: A working set small enough that a few thousand events show everything (tests, --quick).
SMALL: Final = WorkingSet(
    objects=200, tags=20, comments=200, volumes=4, files=150, conferences=6, members=60,
    sensors=10, sensor_points=100, chats=10, calls=20, faxes=10, presentations=4, users=30,
)  # fmt: skip

PLAIN_TYPES: Final = ("contact", "contact", "contact", "document", "note", "recording", "task")
#: The calls' life cycle: each call_update moves a call one step on (the last starts over).
CALL_STEPS: Final = ("ringing", "answered", "control", "released", "bridged", "unbridged", "hangup")
BOXES, ANNOUNCEMENTS, SIP_ACCOUNTS, REPORTS_PER_FAX, ACTIONS_PER_SENSOR = 8, 10, 4, 3, 8


class Pool(Generic[T]):
    """Items with O(1) add, remove and seeded random choice (removal swaps in the last item)."""

    __slots__ = ("_index", "_items")

    def __init__(self) -> None:
        self._items: list[T] = []
        self._index: dict[T, int] = {}

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, item: object) -> bool:
        return item in self._index

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    def add(self, item: T) -> None:
        self._index[item] = len(self._items)
        self._items.append(item)

    def remove(self, item: T) -> None:
        position = self._index.pop(item)
        last = self._items.pop()
        if position < len(self._items):
            self._items[position] = last
            self._index[last] = position

    def choice(self, rng: random.Random) -> T:
        return self._items[int(rng.random() * len(self._items))]


@dataclass
class Chat:
    members: list[str]
    remaining: int
    last_message: str | None = None


@dataclass
class Session:
    """The server as the generator models it: what exists now, and what it must say next."""

    headers: dict[str, dict[str, Any]] = field(default_factory=dict)
    plain: Pool[str] = field(default_factory=Pool)
    trashed: list[str] = field(default_factory=list)
    object_tags: dict[str, list[str]] = field(default_factory=dict)
    comments: Pool[str] = field(default_factory=Pool)
    comment_of: dict[str, tuple[str, str]] = field(default_factory=dict)
    object_comments: dict[str, list[str]] = field(default_factory=dict)
    tags: Pool[str] = field(default_factory=Pool)
    tag_meta: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: Pool[str] = field(default_factory=Pool)
    folders: dict[str, list[str]] = field(default_factory=dict)
    node: dict[str, tuple[str, str | None, str]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    live_conferences: dict[str, list[str]] = field(default_factory=dict)
    members: int = 0
    chats: dict[str, Chat] = field(default_factory=dict)
    chat_pool: Pool[str] = field(default_factory=Pool)
    calls: list[list[Any]] = field(default_factory=list)
    sensor_ring: dict[str, int] = field(default_factory=dict)
    action_ring: dict[str, int] = field(default_factory=dict)
    presenting: dict[str, list[str]] = field(default_factory=dict)
    sip: dict[str, dict[str, int]] = field(default_factory=dict)
    callreverse: list[tuple[str, str]] = field(default_factory=list)
    invitations: list[tuple[str, str]] = field(default_factory=list)
    #: Events an earlier event implies (a conference's status right after its start).
    pending: deque[Builder] = field(default_factory=deque)


FIRST = (
    "Anna", "Ben", "Carla", "Dirk", "Erika", "Felix", "Gustav", "Hanna", "Jonas", "Lena", "Lukas",
    "Marie", "Noah", "Paul", "Sophie",
)  # fmt: skip
LAST = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch",
)  # fmt: skip
COMPANIES = (
    "Müller GmbH", "Schneider Logistik", "Atlas AG", "Nordlicht KG", "Rheinwerk", "Blue Harbor",
)  # fmt: skip
WORDS = (
    "offer", "draft", "review", "budget", "roadmap", "meeting", "invoice", "contract", "release",
    "plan", "customer", "launch", "the", "a", "for", "with", "about", "next", "week", "today",
    "report", "numbers", "slides", "deadline", "team", "board", "price", "update", "call",
    "agenda", "minutes", "feedback", "question", "order", "delivery", "support", "ticket",
    "office",
)  # fmt: skip
TITLES = (
    "Offer", "Contract", "Minutes", "Roadmap", "Budget", "Invoice", "Proposal", "Checklist",
    "Report",
)  # fmt: skip
EXTENSIONS = {"pdf": "application/pdf", "png": "image/png", "docx": "application/msword",
              "xlsx": "application/vnd.ms-excel", "txt": "text/plain"}  # fmt: skip
METADATA = {
    "crm": ("stage", "followup", "score", "pinned", "color"),
    "client": ("theme", "sidebar", "timestamp", "layout", "language", "nice"),
}


class Vocabulary:
    """Seeded realistic values: UUIDs, names, descriptions, texts, metadata."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def uuid(self) -> str:
        digits = f"{self.rng.getrandbits(128):032x}"
        variant = "89ab"[int(digits[16], 16) & 3]
        return (
            f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{variant}{digits[17:20]}-{digits[20:]}"
        )

    def phone(self) -> str:
        return f"+49{self.pick(('221', '89', '30', '40'))}{self.rng.randint(100_000, 99_999_999)}"

    def first_name(self) -> str:
        return self.pick(FIRST)

    def person(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def label(self) -> str:
        return f"{self.pick(WORDS).capitalize()} {self.pick(COMPANIES)}"

    def description(self, kind: str) -> str:
        number = self.rng.randint(1, 99)
        descriptions = {
            "contact": f"{self.person()} ({self.pick(COMPANIES)})",
            "recording": f"Call with {self.person()} 2026-03-{number % 28 + 1:02d}",
            "fax": f"Fax from {self.phone()}",
            "conference": f"Conference room {self.pick(LAST)} {number}",
            "volume": f"Team drive {self.pick(COMPANIES)}",
            "box": f"box in office {number}",
            "presentation": f"{self.pick(WORDS).capitalize()} roadmap Q{number % 4 + 1}",
            "sensor": f"Temperature room {number // 10}.{number % 10 + 10}",
            "announcement": f"Out of office {self.pick(LAST)} ({number})",
        }
        default = f"{self.pick(TITLES)} {self.pick(COMPANIES)} ({number} seats)"
        return descriptions.get(kind, default)

    def sentence(self, low: int, high: int) -> str:
        target = self.rng.randint(low, high)
        words = [self.pick(WORDS).capitalize()]
        length = len(words[0])
        while length < target:
            words.append(self.pick(WORDS))
            length += len(words[-1]) + 1
        return " ".join(words) + self.pick((".", "?", "!", "."))

    def metadata_key(self, namespace: str) -> str:
        return f"com.example.{namespace}.{self.pick(METADATA[namespace])}"

    def metadata(self, namespace: str, count: int | None) -> dict[str, Any]:
        """``count`` keys of ``namespace`` (some may repeat) with values; None: every key."""
        if count is None:
            return {f"com.example.{namespace}.{key}": self._value() for key in METADATA[namespace]}
        return {self.metadata_key(namespace): self._value() for _ in range(count)}

    def _value(self) -> Any:
        draw = self.rng.random()
        if draw < 0.3:
            return draw < 0.15
        return START_TIME + self.rng.randint(0, 10**6) if draw < 0.6 else self.pick(WORDS)

    def device(self) -> str:
        return self.pick(("office phone", "softclient laptop", "DECT headset", "softphone app"))

    def file_name(self) -> str:
        stem = f"{self.pick(TITLES)}-{self.pick(COMPANIES).split()[0]}-{self.rng.randint(1, 999)}"
        return f"{stem}.{self.pick(list(EXTENSIONS))}"

    def folder_name(self) -> str:
        return f"{self.pick(TITLES)}s {self.rng.randint(2019, 2026)}"

    def content(self) -> dict[str, Any]:
        """A new upload's MIME type and checksum (its size is drawn by the caller)."""
        mime_type = self.pick(list(EXTENSIONS.values()))
        return {"mime_type": mime_type, "md5": f"{self.rng.getrandbits(128):032x}"}


class Base:
    """The state every event builder reads: the seeded source, the clock, the server model,
    and the fixed populations (users, domain objects, sensors, calls)."""

    #: Whether what completes a new thing follows it at once: a new object's metadata (as a
    #: client filing what it creates would send), a new file's upload. Without them entities
    #: would fill in only over millions of events, and memory with them.
    follow_up = True

    def __init__(self, seed: int, working_set: WorkingSet) -> None:
        self.rng = random.Random(f"eventmirror-benchmarks/{seed}")
        self.ws = working_set
        self.words = Vocabulary(self.rng)
        self.time = START_TIME
        self.s = Session()
        rand = self.words.uuid
        self.users = [rand() for _ in range(working_set.users)]
        self.faxes = [rand() for _ in range(working_set.faxes)]
        self.conferences = [rand() for _ in range(working_set.conferences)]
        self.volumes = [rand() for _ in range(working_set.volumes)]
        self.presentations = [rand() for _ in range(working_set.presentations)]
        self.sensors = [rand() for _ in range(working_set.sensors)]
        self.boxes = [rand() for _ in range(BOXES)]
        self.announcements = [rand() for _ in range(ANNOUNCEMENTS)]
        self.phones = [self.words.phone() for _ in range(12)]
        #: Each sensor's sample times (a ring), and its actions' UUIDs; see generate's docstring.
        self.ring = max(1, working_set.sensor_points // max(1, working_set.sensors))
        self.base_ms = {s: (START_TIME - 86_400) * 1000 + i for i, s in enumerate(self.sensors)}
        self.action_uuids = {s: [rand() for _ in range(ACTIONS_PER_SENSOR)] for s in self.sensors}
        self.report_uuids = {f: [rand() for _ in range(REPORTS_PER_FAX)] for f in self.faxes}
        self.s.calls = [[rand(), 0] for _ in range(working_set.calls)]

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def someone(self) -> str:
        """Me half of the time, else a colleague."""
        return ME if self.rng.random() < 0.5 else self.pick(self.users)
