"""The world: users, sessions, the virtual clock, deterministic UUIDs, and event delivery.

Every domain module adds its server state and commands through a :class:`Domain` attached to
the world (``world.tags``, ``world.objects``, ...), and contributes to ``world.view(session)``.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from typing import Any

from eventmirror.codec import to_wire
from eventmirror.events import Event

from ._core import Domain, Session, SimulatorError
from .announcement import Announcement
from .box import Box
from .call import Call
from .chat import Chat
from .clock import Clock
from .comments import Comments
from .conference import Conference
from .dialplan import Dialplan
from .fax import Fax
from .files import Files
from .metadata import Metadata
from .objects import Objects
from .presentation import Presentation
from .sensor import Sensor
from .sip import Sip
from .tags import Tags
from .user import User

#: The clock's start unless another is given: 2026-03-17 08:00:00 UTC.
DEFAULT_START = 1_773_734_400


class World:
    """A deterministic model of the platform. Same seed and commands, same events."""

    def __init__(self, seed: int = 0, *, start: int = DEFAULT_START) -> None:
        self._random = random.Random(seed)
        #: The seed the world was made with (faults staged for its sessions draw from it).
        self.seed = seed
        #: The time and the one queue of everything that falls due (expiries, periodic status,
        #: keepalives): docs/simulator.md.
        self.clock = Clock(start)
        #: Counts every change; facts and sessions remember it to know who was told what.
        self.change = 0
        self.users: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.sessions: dict[str, Session] = {}
        self._sessions_by_user: dict[str, list[Session]] = {}
        # The domains, in the reference's order; each adds its commands and its view.
        self.user = User(self)
        self.tags = Tags(self)
        self.objects = Objects(self)
        self.comments = Comments(self)
        self.metadata = Metadata(self)
        self.fax = Fax(self)
        self.announcement = Announcement(self)
        self.conference = Conference(self)
        self.files = Files(self)
        self.box = Box(self)
        self.dialplan = Dialplan(self)
        self.sip = Sip(self)
        self.presentation = Presentation(self)
        self.chat = Chat(self)
        self.call = Call(self)
        self.sensor = Sensor(self)
        self.domains: list[Domain] = [
            self.user,
            self.tags,
            self.objects,
            self.comments,
            self.metadata,
            self.fax,
            self.announcement,
            self.conference,
            self.files,
            self.box,
            self.dialplan,
            self.sip,
            self.presentation,
            self.chat,
            self.call,
            self.sensor,
        ]

    # -- identities and time -------------------------------------------------------------

    def new_uuid(self) -> str:
        """A fresh UUID (version 4 form), the same for the same seed and history."""
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def add_user(self, name: str, uuid: str | None = None) -> str:
        """Create a user with a symbolic ``name``; returns the user's UUID.

        ``uuid`` gives her a fixed one (a recorded session's own user) instead of a minted one;
        it draws nothing from the seed, so the other UUIDs stay as they were."""
        if name in self.users:
            raise SimulatorError(f"a user named {name!r} exists already")
        if uuid is not None and uuid in self.names:
            raise SimulatorError(f"{uuid} is the UUID of {self.names[uuid]!r} already")
        user = self.new_uuid() if uuid is None else uuid
        self.users[name] = user
        self.names[user] = name
        return user

    def user_id(self, who: str) -> str:
        """A user's UUID from her name or UUID."""
        if who in self.names:
            return who
        if who in self.users:
            return self.users[who]
        raise SimulatorError(f"no user {who!r} (known: {', '.join(sorted(self.users)) or 'none'})")

    @property
    def now(self) -> int:
        """The virtual clock's time, in seconds since the epoch."""
        return self.clock.now

    def advance(self, seconds: int) -> None:
        """Move the virtual clock forward, running everything that falls due on the way (an
        expiry, a periodic status) in order, each at its due time."""
        self.clock.advance(seconds)

    def tick(self) -> int:
        """Count one change and return its number."""
        self.change += 1
        return self.change

    # -- sessions and delivery -----------------------------------------------------------

    def open_session(self, who: str) -> Session:
        """Open a new session for a user; it receives that user's events from now on."""
        user = self.user_id(who)
        session = Session(f"s{len(self.sessions) + 1}", user, self.tick())
        self.sessions[session.id] = session
        self._sessions_by_user.setdefault(user, []).append(session)
        return session

    def session(self, session: Session | str) -> Session:
        """An open session of this world, given as a :class:`Session` or its id."""
        session_id = session.id if isinstance(session, Session) else session
        found = self.sessions.get(session_id)
        if found is None or (isinstance(session, Session) and found is not session):
            raise SimulatorError(f"no session {session_id!r} in this world")
        if found.closed:
            raise SimulatorError(f"session {session_id!r} was closed")
        return found

    def close_session(self, session: Session | str) -> None:
        """End a session (``DELETE /api/session``): it receives nothing from now on, its
        subscriptions end, and it cannot be viewed or subscribed any more. It stays in
        :attr:`sessions`, marked ``closed``, with the events it was sent; its id is never
        given again."""
        found = self.session(session)
        self.tick()
        self._sessions_by_user[found.user].remove(found)
        for domain in self.domains:
            domain.session_closed(found)
        found.subscriptions.clear()
        found.closed = True

    def sessions_of(self, users: Iterable[str]) -> list[Session]:
        """Every session of these users, in the order they were opened. The cost follows the
        recipients, not the number of users in the world."""
        found = [s for user in set(users) for s in self._sessions_by_user.get(user, ())]
        return sorted(found, key=lambda session: session.opened)

    def subscribed(self, kind: str, key: str) -> list[Session]:
        """The sessions subscribed to a detailed stream."""
        return [s for s in self.sessions.values() if (kind, key) in s.subscriptions]

    def deliver(self, event: Event, sessions: Iterable[Session]) -> None:
        """Append ``event`` to each session's stream with that session's next id."""
        wire = to_wire(event)
        for session in sessions:
            session.events.append({**wire, "id": len(session.events)})

    def send(self, event_type: type[Event], to: Iterable[Session], **payload: Any) -> None:
        """Build an event of ``event_type`` stamped now, and deliver it to ``to``."""
        recipients = list(to)
        if recipients:
            self.deliver(event_type(id=0, time=self.now, **payload), recipients)

    def send_to_users(self, event_type: type[Event], users: Iterable[str], **payload: Any) -> None:
        self.send(event_type, self.sessions_of(users), **payload)

    # -- views ---------------------------------------------------------------------------

    def view(self, session: Session | str) -> dict[str, Any]:
        """What this session can see, built from the server's own state as told to it: the
        mirror's JSON form (docs/mirror.md) as plain data, every section but ``stream``.

        A fold of the session's events, advanced to ``world.now``, gives the same form:
        ``reducers.to_json(reducers.advance(mirror, world.now))`` without its ``stream``.
        Seed a client's mirror with ``reducers.from_json({"stream": {"me": user, "now":
        world.now}, **view})`` (docs/simulator.md)."""
        found = self.session(session if isinstance(session, str) else session.id)
        if not isinstance(session, str) and found is not session:
            raise SimulatorError(f"session {session.id!r} belongs to another world")
        sections: dict[str, Any] = {name: {} for domain in self.domains for name in domain.sections}
        for domain in self.domains:
            domain.view(found, sections)
        return sections
