"""Every event type comes out of the simulator, each from its own domain's commands.

A short scripted story drives every domain through direct command calls; it must emit all
the event types the reference defines, every session's fold must equal its view at the end,
and each ``simulator`` domain's commands must emit exactly the types of the ``reducers``
domain of the same name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest

import reducers
from eventmirror.events import DOMAINS, EVENT_TYPES, ObjectNew
from reducers import Mirror
from simulator import Domain, World
from tests.support import assert_same_state, seed_from_view

from .machine import NAMES, Reach, WorldMachine, check_no_leak

#: Where the simulator's commands differ from the reducers' grouping, and why.
#: The trash is purged by the objects domain, which owns the trashed objects it removes.
HOME = {**DOMAINS, "trash_purge": "objects"}
#: Types a domain's commands emit as a consequence in another domain: a tag change moves
#: read access to the objects carrying it (docs/simulator.md, "Visibility through tags").
CONSEQUENCES = {"tags": {"object_share", "object_unshare"}}

FAX_REPORT = "00000000-0000-4000-8000-0000000000f1"
CALL = "00000000-0000-4000-8000-00000000c001"
MEMBER = "00000000-0000-4000-8000-00000000a001"


class Story:
    """A world whose commands are run through :meth:`do`, recording which event types each
    domain's commands emitted."""

    def __init__(self) -> None:
        self.world = World(seed=3)
        for name in NAMES:
            self.world.add_user(name)
        self.seeds: dict[str, Mirror] = {}
        for name in NAMES:
            self.open(name)
        self.emitted: dict[str, set[str]] = {}

    def open(self, name: str) -> str:
        session = self.world.open_session(name)
        self.seeds[session.id] = seed_from_view(
            self.world.view(session), session.user, self.world.now
        )
        return session.id

    def do(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a domain's command (a bound method of a domain), recording what it emits and
        checking that it leaks nothing."""
        domain = command.__self__  # type: ignore[attr-defined]
        assert isinstance(domain, Domain)
        sessions = self.world.sessions.values()
        before = {s.id: len(s.events) for s in sessions}
        reach = Reach.of(self.world)
        result = command(*args, **kwargs)
        delivered = [(s, e) for s in sessions for e in s.events[before.get(s.id, 0) :]]
        assert delivered, f"{command.__name__} emitted nothing"
        check_no_leak(self.world, delivered, reach)
        self.emitted.setdefault(domain.name, set()).update(e["event"] for _, e in delivered)
        return result


def tell(story: Story) -> Story:
    """The story: anna, ben and carl work with every kind of entity."""
    do, w = story.do, story.world
    anna_session = w.sessions_of([w.users["anna"]])[0].id
    ben_session = w.sessions_of([w.users["ben"]])[0].id
    do(w.user.modify_settings, "anna")
    do(w.user.modify_phone, "ben")
    do(w.user.invite, "anna", "carl")
    do(w.user.uninvite, "carl", "anna", "carl")
    team = do(w.tags.create, "anna", "team", policy={"ben": 2})
    private = do(w.tags.create, "anna", "private")
    contact = do(w.objects.create, "anna", "contact", "Hans", tags=[team])
    do(w.objects.modify, "ben", contact, description="Hans M.")
    do(w.tags.modify, "anna", team, policy={"carl": 1, "ben": 2})  # carl gains the contact
    do(w.objects.retag, "anna", contact, add=[private])
    comment = do(w.comments.add, "carl", contact, "who is this?")
    do(w.comments.edit, "carl", comment, "who is Hans?")
    do(w.comments.delete, "anna", comment)
    do(w.metadata.set_object, "ben", contact, {"stars": 3})
    do(w.metadata.set_user, "carl", {"theme": "dark"})
    do(w.tags.modify, "anna", team, policy={"ben": 2})  # carl loses the contact
    do(w.tags.delete, "anna", private)
    do(w.objects.delete, "anna", contact)
    note = do(w.objects.create, "anna", "note", "todo")
    do(w.objects.retag, "anna", note, add=[team])  # shares it with ben
    do(w.objects.retag, "anna", note, remove=[team])  # and unshares it
    do(w.objects.purge_trash, "anna")

    fax = do(w.objects.create, "anna", "fax", "to Berlin", tags=[team])
    do(w.fax.upload_and_convert, "ben", fax, 2)
    do(w.fax.report, fax, {FAX_REPORT: {"status": "ok"}})
    announcement = do(w.objects.create, "ben", "announcement", "welcome")
    do(w.announcement.convert, "ben", announcement, True)
    box = do(w.objects.create, "anna", "box", "office", tags=[team])
    do(w.box.online, box, "10.0.0.1", "00:11", "1.0", "X86")
    do(w.box.offline, box)
    volume = do(w.objects.create, "anna", "volume", "shared", tags=[team])
    folder = do(w.files.create, "ben", volume, "docs", "folder")
    file = do(w.files.create, "anna", volume, "a.txt", "file", folder)
    do(w.files.upload, "anna", file, 12, "text/plain", "md5-a")
    do(w.files.delete, "ben", volume, folder)

    conference = do(w.objects.create, "anna", "conference", "weekly", tags=[team])
    do(w.conference.subscribe, ben_session, conference)
    do(w.conference.join, "ben", conference, MEMBER, phone="+4930")
    do(w.conference.update, conference, MEMBER, mute=True)
    do(w.conference.leave, conference, MEMBER)
    presentation = do(w.objects.create, "anna", "presentation", "plan", tags=[team])
    do(w.presentation.convert, presentation, 3)
    do(w.presentation.subscribe, ben_session, presentation)
    do(w.presentation.start, "anna", presentation)
    do(w.presentation.join, "ben", presentation)
    do(w.presentation.update, presentation, page=2)
    do(w.presentation.keepalive, presentation)
    do(w.presentation.leave, "ben", presentation)
    do(w.presentation.stop, "anna", presentation)
    sensor = do(w.objects.create, "ben", "sensor", "heat")
    w.sensor.subscribe(ben_session, sensor)  # a sensor sends no status on subscribing
    do(w.sensor.data, sensor, {1000: [21]})
    do(w.sensor.action, sensor, 2000, [1], "ok", CALL)

    story.open("carl")  # a late session knows only what comes after it
    do(w.dialplan.modify, "carl")
    do(w.dialplan.callreverse_start, "carl", "+491", "+492")
    do(w.dialplan.callreverse_stop, "carl", "+491", "+492")
    account = do(w.sip.create_account, "carl", "joe", "example.org")
    do(w.sip.modify, account, "desk")
    do(w.sip.register, account, "sip:desk", 60)
    do(w.sip.unregister, account, "sip:desk")
    do(w.sip.delete, account)
    chat = do(w.chat.create, "ben", "lunch")
    do(w.chat.add_member, "ben", chat, "carl")
    do(w.chat.typing, "carl", chat, 10)
    w.call.enable(anna_session)  # only asks for call events: emits nothing itself
    do(w.call.update, "anna", CALL, status="ringing")
    do(w.call.dtmf, "anna", CALL, "1", 120)
    w.advance(5)
    return story


@pytest.fixture(scope="module")
def story() -> Story:
    return tell(Story())


def test_the_story_emits_every_event_type(story: Story) -> None:
    emitted = set().union(*story.emitted.values())
    assert emitted == set(EVENT_TYPES), f"never emitted: {sorted(set(EVENT_TYPES) - emitted)}"


def test_every_session_mirrors_the_world_after_the_story(story: Story) -> None:
    world = story.world
    for session in world.sessions.values():
        folded = reducers.fold(
            (msgspec.json.encode(e) for e in session.events),
            story.seeds[session.id],
            strict=True,
            me=session.user,
        )
        assert_same_state(folded, world.view(session), world.now, session.id)


def test_each_domain_emits_exactly_its_reducer_domains_types(story: Story) -> None:
    world = story.world
    assert {d.name for d in world.domains} == set(DOMAINS.values())
    for domain in world.domains:
        own = {t for t, home in HOME.items() if home == domain.name}
        expected = own | CONSEQUENCES.get(domain.name, set())
        assert story.emitted.get(domain.name, set()) == expected, domain.name


def test_the_leak_check_catches_an_event_about_an_unreadable_object() -> None:
    machine = WorldMachine()
    world = machine.world
    ben = next(s for s in world.sessions.values() if s.user == world.users["ben"])

    def tell_ben_of_a_private_object() -> None:
        uuid = world.objects.create("anna", "note", "diary")
        header = world.objects.header(world.objects.get(uuid))
        world.send(ObjectNew, [ben], **header, tag=[])

    with pytest.raises(AssertionError, match="could read neither before nor after"):
        machine.attempt(tell_ben_of_a_private_object)
