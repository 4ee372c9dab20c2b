"""The mirror property as a hypothesis state machine, built from per-domain rule mixins.

After every step, for every session: folding its events (onto the mirror seeded from the view
when it opened, the client's initial fetch) and advancing to the world's clock gives a JSON
form that is exactly ``world.view(session)``. A step that delivers events but changes no
session's mirror fails too: a command that sends what changes nothing is a weak rule, unless
it is declared a re-send (``simulator.resend``), whose events may repeat what a session knows
on purpose.

Nothing leaks either: every event a command delivers is about an entity the receiving
session's user could read before or after that command (:class:`Reach`).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import reducers
from eventmirror.rules import sip_account_key
from reducers import Mirror
from simulator import Session, SimulatorError, World, snapshot
from tests.support import assert_same_form, fold_form, seed_from_view

NAMES = ("anna", "ben", "carl")
users = st.sampled_from(NAMES)

#: The settings every mirror-property machine runs with. Under ``ci`` (the default) they stay
#: small enough for the whole suite to take well under a minute on two cores, even when
#: pytest-xdist hands all the machines (adjacent test files) to one worker; ``long`` runs ten
#: times as many sequences, twice as long.
MACHINE_SETTINGS = (
    settings(settings.default, stateful_step_count=100, max_examples=1000)
    if os.environ.get("HYPOTHESIS_PROFILE") == "long"
    else settings(settings.default, stateful_step_count=50, max_examples=100)
)

#: The field naming the object an event is about, by event-type prefix.
OBJECT_FIELDS = {
    "object_": "object",
    "comment_": "object",
    "fax_": "fax",
    "announcement_": "announcement",
    "conference_": "conference",
    "file_": "volume",
    "box_": "box",
    "presentation_": "presentation",
    "sensor_": "sensor",
}
#: Events about a user's own resources: each command sends one to all sessions of one user.
STALE_MARKERS = frozenset({"user_modify", "phone_modify", "dialplan_modify"})
OWN_EVENTS = STALE_MARKERS | {
    "user_metadata",
    "trash_purge",
    "sip_new",
    "sip_modify",
    "sip_delete",
    "sip_register",
    "sip_unregister",
    "dialplan_callreverse_start",
    "dialplan_callreverse_stop",
}


@dataclass(frozen=True)
class Reach:
    """Who could read what at one moment: the users each event's entity concerns."""

    objects: dict[str, frozenset[str]]
    tags: dict[str, frozenset[str]]
    chats: dict[str, frozenset[str]]
    sip_owners: dict[str, str]
    callreverse: frozenset[tuple[str, str, str]]
    #: Users with something in the trash.
    trash_owners: frozenset[str]
    #: user -> the calls she has.
    calls: dict[str, frozenset[str]]

    @classmethod
    def of(cls, world: World) -> Reach:
        objects = world.objects
        return cls(
            objects={u: frozenset(objects.readers(u)) for u in objects.objects},
            tags={t: frozenset(world.tags.readers(t)) for t in world.tags.tags},
            chats={c: frozenset(chat.joined) for c, chat in world.chat.chats.items()},
            sip_owners={k: a.owner for k, a in world.sip.accounts.items()},
            callreverse=frozenset(world.dialplan.callreverse),
            trash_owners=frozenset(o.owner for o in objects.objects.values() if o.trashed),
            calls={u: frozenset(calls) for u, calls in world.call.calls.items()},
        )

    def concerns(self, user: str, event: dict[str, Any]) -> bool | None:
        """Whether ``event``'s entity concerned ``user`` now (None: not decidable from reach
        alone; :func:`check_no_leak` decides those from the world)."""
        kind: str = event["event"]
        for prefix, field in OBJECT_FIELDS.items():
            if kind.startswith(prefix):
                about = event[field]
                uuid = about["object"] if isinstance(about, dict) else about
                return user in self.objects.get(uuid, ())
        if kind.startswith("tag_"):
            return user in self.tags.get(event["tag"], ())
        if kind.startswith("chat_"):
            return user in self.chats.get(event["chat"], ())
        if kind.startswith("sip_"):
            return self.sip_owners.get(sip_account_key(event["user"], event["domain"])) == user
        if kind.startswith("dialplan_callreverse_"):
            return (user, event["phone_from"], event["phone_to"]) in self.callreverse
        if kind == "trash_purge":
            return user in self.trash_owners
        if kind.startswith("call_"):
            call = event["call"]
            return set(call if isinstance(call, dict) else [call]) <= self.calls.get(user, set())
        if kind.startswith("invitation_"):
            return user in (event["owner"], event["user"])
        return None


def check_no_leak(
    world: World, delivered: list[tuple[Session, dict[str, Any]]], before: Reach
) -> None:
    """Every event delivered by one command concerns its receiver before or after it."""
    if not delivered:
        return
    after = Reach.of(world)
    own: dict[str, set[str]] = {}
    for session, event in delivered:
        kind = event["event"]
        user = session.user
        if kind in OWN_EVENTS:
            own.setdefault(kind, set()).add(user)
        if kind in STALE_MARKERS:
            continue  # payload-less: whose it is shows only in who receives it (below)
        if kind == "user_metadata":
            mine = world.metadata.users.get(user, {})
            told = all(mine.get(k, ...) == v for k, v in event.get("update", {}).items())
            leaked = not (told and not set(event.get("delete", ())) & mine.keys())
        else:
            concerned = [before.concerns(user, event), after.concerns(user, event)]
            if None in concerned:
                raise AssertionError(f"no leak rule for {kind}: add one to Reach.concerns")
            leaked = not any(concerned)
        if leaked:
            raise AssertionError(
                f"{session.id} ({world.names[user]}) got {event} about an "
                "entity its user could read neither before nor after"
            )
    for kind, receivers in own.items():
        assert len(receivers) == 1, f"one command sent {kind} to several users {receivers}"
        (user,) = receivers
        got = {s.id for s, e in delivered if e["event"] == kind}
        hers = {s.id for s in world.sessions_of([user])}
        assert got == hers, f"{kind} of {world.names[user]} reached {got}, not all of {hers}"


class WorldMachine(RuleBasedStateMachine):
    """The base: a world with three users and sessions; domains add rules as mixins."""

    def __init__(self) -> None:
        super().__init__()
        self.world = World(seed=0)
        for name in NAMES:
            self.world.add_user(name)
        #: session id -> (the folded mirror, how many of its events are folded)
        self.mirrors: dict[str, tuple[Mirror, int]] = {}
        #: session id -> (a folded mirror, a time, its JSON form then): most steps change few
        #: mirrors and leave the clock alone, so most forms are reused
        self.forms: dict[str, tuple[Mirror, int, dict[str, Any]]] = {}
        #: session id -> how many of its events were checked for leaks
        self.vetted: dict[str, int] = {}
        for name in (*NAMES, "anna"):
            self._open(name)

    def _open(self, name: str) -> None:
        session = self.world.open_session(name)
        seed = seed_from_view(self.world.view(session), session.user, self.world.now)
        self.mirrors[session.id] = (seed, 0)

    def attempt(self, command: Callable[[], Any]) -> Any:
        """Run a command; an invalid one must raise SimulatorError and change nothing, a valid
        one must tell each session only about what its user could read (before or after)."""
        before = {s.id: len(s.events) for s in self.world.sessions.values()}
        change = self.world.change
        reach = Reach.of(self.world)
        try:
            result = command()
        except SimulatorError:
            assert {s.id: len(s.events) for s in self.world.sessions.values()} == before
            assert self.world.change == change
            return None
        check_no_leak(self.world, self._unvetted(), reach)
        return result

    def _unvetted(self) -> list[tuple[Session, dict[str, Any]]]:
        """The events not yet checked for leaks, which are now marked checked."""
        found: list[tuple[Session, dict[str, Any]]] = []
        for session in self.world.sessions.values():
            found.extend((session, e) for e in session.events[self.vetted.get(session.id, 0) :])
            self.vetted[session.id] = len(session.events)
        return found

    def uuids(self, kind: str) -> list[str]:
        """The UUIDs of a kind of entity the world holds now (for rules to pick from)."""
        world = self.world
        found: dict[str, list[str]] = {
            "tag": sorted(world.tags.tags),
            "object": sorted(world.objects.objects),
            "comment": sorted(world.comments.comments),
        }
        return found.get(kind, [])

    @rule(name=users)
    def open_session(self, name: str) -> None:
        if len(self.world.sessions) < 6:
            self._open(name)

    @rule(seconds=st.integers(0, 40))
    def wait(self, seconds: int) -> None:
        self.world.advance(seconds)

    @rule(data=st.data())
    def close_session(self, data: st.DataObject) -> None:
        """A session ends; it must receive nothing afterwards (every_session_mirrors_the_world)."""
        open_sessions = [s.id for s in self.world.sessions.values() if not s.closed]
        if len(open_sessions) > 2:
            self.world.close_session(data.draw(st.sampled_from(open_sessions)))

    @rule()
    def go_on_with_a_snapshot_copy(self) -> None:
        """The world is replaced by the copy its snapshot loads: every later step checks that
        the copy goes on as the world would (its sessions' folds still equal its views)."""
        document = snapshot.dumps(self.world)
        self.world = snapshot.loads(document)
        assert snapshot.dumps(self.world) == document

    @invariant()
    def nothing_leaks_outside_attempts(self) -> None:
        # A few rules call commands that cannot fail directly, not through attempt(); their
        # events are checked here, against the state after them (no command here changes who
        # may read what, so before and after agree).
        unvetted = self._unvetted()
        check_no_leak(self.world, unvetted, Reach.of(self.world))

    @invariant()
    def every_session_mirrors_the_world(self) -> None:
        world = self.world
        delivered: list[str] = []
        changed = False
        for session in world.sessions.values():
            mirror, folded = self.mirrors[session.id]
            new = session.events[folded:]
            if session.closed:
                assert not new, f"{session.id} was sent {len(new)} events after it was closed"
                continue
            if new:
                mirror, changed_here = _fold_noting_change(session, new, mirror)
                delivered.extend(e["event"] for e in new if e["id"] not in session.resent)
                changed = changed or changed_here
            self.mirrors[session.id] = (mirror, len(session.events))
            cached = self.forms.get(session.id)
            if cached is not None and cached[0] is mirror and cached[1] == world.now:
                form = cached[2]
            else:
                form = fold_form(mirror, world.now)
                self.forms[session.id] = (mirror, world.now, form)
            label = f"{session.id} ({world.names[session.user]})"
            assert_same_form(form, world.view(session), label)
        assert changed or not delivered, f"the step sent {delivered} but no mirror changed"


def _fold_noting_change(
    session: Session, events: list[dict[str, Any]], mirror: Mirror
) -> tuple[Mirror, bool]:
    """Fold ``events``; and whether those not re-sent on purpose changed the mirror. A declared
    re-send (``simulator.resend``) may repeat what the session knows; nothing else may."""
    changed = False
    for resent, run in itertools.groupby(events, key=lambda e: e["id"] in session.resent):
        updated = reducers.fold(
            (msgspec.json.encode(e) for e in run), mirror, strict=True, me=session.user
        )
        changed = changed or (not resent and not updated.same_state(mirror))
        mirror = updated
    return mirror, changed


def pick(data: st.DataObject, options: list[str]) -> str | None:
    return data.draw(st.sampled_from(options)) if options else None


__all__ = [
    "MACHINE_SETTINGS",
    "NAMES",
    "Reach",
    "WorldMachine",
    "check_no_leak",
    "pick",
    "precondition",
    "rule",
    "users",
]
