"""A deterministic "random day" on the platform: every domain, every event type, one seed.

>>> from simulator.driver import run_day
>>> world = run_day(7, steps=500)
>>> session = next(iter(world.sessions.values()))
>>> session.events[:3]          # what that session's GET /api/event would have returned

:func:`run_day` opens every session before the first change (a session opened later would
need the view of that moment as its starting mirror, docs/simulator.md), so each session's
stream folded from an empty mirror gives ``world.view(session)``. :func:`commands` draws the
commands; they are picked to be mostly valid for the world as it is when each is drawn, and
one that turns out invalid raises :class:`SimulatorError` and changes nothing. Only the
``random.Random`` given is used: the same seed gives byte-identical streams.
"""

from __future__ import annotations

import contextlib
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from ._core import SimulatorError
from .tags import PROPAGATE, READ, WRITE
from .world import World

#: Symbolic user names, in the order users are created.
NAMES = ("anna", "ben", "carl", "dora", "emil", "fiona", "gus", "hanna", "ivo", "jana")

Command = Callable[[], object]
Maker = Callable[[random.Random, World], Command | None]
T = TypeVar("T")

#: (name, weight, maker): the mix :func:`commands` draws from. Rare events get extra weight
#: so that a day of a few hundred steps shows every event type.
MIX: list[tuple[str, int, Maker]] = []

LABELS = ("Projects", "Customers", "Team", "Private", "Berlin office", "Suppliers")
TEXTS = ("call back", "see attachment", "done", "looks good", "tomorrow?", "urgent")
OBJECT_TYPES = ("contact", "note", "fax", "announcement", "box", "volume")
STREAM_TYPES = ("conference", "presentation", "sensor")
META_KEYS = ("color", "priority", "rating", "pinned")
PHONES = ("+4930123", "+4940555", "+4989777")
FILE_NAMES = ("report.pdf", "notes.txt", "photos", "budget.xlsx", "archive")


def user_name(index: int) -> str:
    return NAMES[index] if index < len(NAMES) else f"user{index + 1}"


def run_day(seed: int, *, steps: int = 500, users: int = 4) -> World:
    """A world after ``steps`` random commands by ``users`` users, from ``seed`` alone."""
    if users < 1 or steps < 0:
        raise SimulatorError(f"a day needs at least one user and steps >= 0, got {users}, {steps}")
    rng = random.Random(seed)
    world = World(seed)
    for index in range(users):
        world.add_user(user_name(index))
    for name in world.users:
        for _ in range(rng.choice((1, 1, 2))):
            world.open_session(name)
    for session in list(world.sessions.values()):
        if rng.random() < 0.5:
            world.call.enable(session.id)
    draw = commands(rng, world)
    for _ in range(steps):
        world.advance(pause(rng))
        _, command = next(draw)
        # Drawn for a state that did not allow it after all: it changed nothing.
        with contextlib.suppress(SimulatorError):
            command()
    return world


def pause(rng: random.Random) -> int:
    """Seconds until the next command: mostly bursts, sometimes minutes, rarely an hour."""
    roll = rng.random()
    if roll < 0.55:
        return rng.randint(0, 5)
    if roll < 0.9:
        return rng.randint(5, 90)
    if roll < 0.99:
        return rng.randint(90, 900)
    return rng.randint(900, 3600)


def commands(rng: random.Random, world: World) -> Iterator[tuple[str, Command]]:
    """Endless random commands, each drawn for the world as it is when it is drawn: run one
    before drawing the next. Yields (the mix entry's name, the command)."""
    weights = [weight for _, weight, _ in MIX]
    # Some entries (user_stale, callreverse) always give a command, so this never spins.
    while True:
        name, _, maker = rng.choices(MIX, weights=weights)[0]
        command = maker(rng, world)
        if command is not None:
            yield name, command


def command(name: str, weight: int) -> Callable[[Maker], Maker]:
    def register(maker: Maker) -> Maker:
        MIX.append((name, weight, maker))
        return maker

    return register


# -- picking ---------------------------------------------------------------------------------


def pick(rng: random.Random, options: Sequence[T]) -> T | None:
    return rng.choice(options) if options else None


def some_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def of_type(world: World, *kinds: str) -> list[str]:
    return [u for u, o in world.objects.objects.items() if o.type in kinds]


def readers(world: World, obj: str) -> list[str]:
    return sorted(world.objects.readers(obj))


def writers(world: World, obj: str) -> list[str]:
    server = world.objects.get(obj)
    levels = world.tags.level
    return [
        u
        for u in readers(world, obj)
        if u == server.owner or any(levels(t, u) >= WRITE for t in server.tags)
    ]


def readable_tags(world: World, user: str) -> list[str]:
    return [t for t in world.tags.tags if world.tags.level(t, user) >= READ]


def share(rng: random.Random, world: World, obj: str) -> Command | None:
    """The owner attaches a tag that others can read (a presentation alone is no meeting)."""
    owner = world.objects.get(obj).owner
    shared = [t for t in readable_tags(world, owner) if len(world.tags.readers(t)) > 1]
    tag = pick(rng, shared)
    return None if tag is None else lambda: world.objects.retag(owner, obj, add=[tag])


def any_user(rng: random.Random, world: World) -> str:
    return rng.choice(list(world.users.values()))


# -- users, tags, objects, comments, metadata -------------------------------------------------


@command("user_stale", 4)
def _stale(rng: random.Random, world: World) -> Command:
    who = any_user(rng, world)
    action = rng.choice(
        (world.user.modify_settings, world.user.modify_phone, world.dialplan.modify)
    )
    return lambda: action(who)


@command("invitation", 3)
def _invitation(rng: random.Random, world: World) -> Command:
    invitations = list(world.user.invitations)
    if invitations and rng.random() < 0.4:
        owner, user = rng.choice(invitations)
        actor = rng.choice((owner, user))
        return lambda: world.user.uninvite(actor, owner, user)
    owner, user = any_user(rng, world), any_user(rng, world)
    return lambda: world.user.invite(owner, user)


@command("tag_new", 3)
def _tag_new(rng: random.Random, world: World) -> Command | None:
    if len(world.tags.tags) >= 8:
        return None
    owner = any_user(rng, world)
    policy = {u: rng.randint(1, 4) for u in world.users.values() if rng.random() < 0.5}
    label, foreign = rng.choice(LABELS), rng.random() < 0.3
    return lambda: world.tags.create(owner, label, policy=policy, foreign_use=foreign)


@command("tag_modify", 3)
def _tag_modify(rng: random.Random, world: World) -> Command | None:
    tag = pick(rng, list(world.tags.tags))
    if tag is None:
        return None
    server = world.tags.tags[tag]
    actor = pick(rng, [u for u, level in server.policy.items() if level >= PROPAGATE])
    if actor is None:
        return None
    change: dict[str, Any] = rng.choice(
        [
            {"label": rng.choice(LABELS)},
            {"foreign_use": not server.foreign_use},
            {"policy": {**server.policy, any_user(rng, world): rng.randint(0, 4)}},
        ]
    )
    return lambda: world.tags.modify(actor, tag, **change)


@command("tag_delete", 2)
def _tag_delete(rng: random.Random, world: World) -> Command | None:
    tag = pick(rng, list(world.tags.tags))
    # Half as often as its weight says: a deleted tag takes its sharing with it.
    if tag is None or rng.random() < 0.5:
        return None
    owner = world.tags.tags[tag].owner
    return lambda: world.tags.delete(owner, tag)


@command("object_new", 8)
def _object_new(rng: random.Random, world: World) -> Command | None:
    if len(world.objects.objects) >= 40:
        return None
    owner = any_user(rng, world)
    kinds = OBJECT_TYPES + STREAM_TYPES
    # Half the time a kind nobody has yet: every domain should get to play early on.
    absent = [k for k in kinds if not of_type(world, k)]
    kind = rng.choice(absent if absent and rng.random() < 0.5 else kinds)
    tags = readable_tags(world, owner)
    chosen = rng.sample(tags, min(len(tags), rng.choice((0, 1, 1, 2))))
    # Meetings and shared drives are made for others: shared through a tag when one is at hand.
    shared = [t for t in tags if len(world.tags.readers(t)) > 1]
    if kind in ("conference", "presentation", "volume") and shared and rng.random() < 0.8:
        chosen = list(dict.fromkeys([rng.choice(shared), *chosen]))
    description = f"{kind} {rng.randint(1, 99)}"
    return lambda: world.objects.create(owner, kind, description, tags=chosen)


@command("object_modify", 3)
def _object_modify(rng: random.Random, world: World) -> Command | None:
    obj = pick(rng, list(world.objects.objects))
    actor = pick(rng, writers(world, obj)) if obj is not None else None
    if obj is None or actor is None:
        return None
    description = f"{world.objects.objects[obj].type} {rng.randint(1, 99)}"
    return lambda: world.objects.modify(actor, obj, description=description)


@command("object_delete", 2)
def _object_delete(rng: random.Random, world: World) -> Command | None:
    obj = pick(rng, list(world.objects.objects))
    if obj is None:
        return None
    server = world.objects.objects[obj]
    purge = server.trashed or rng.random() < 0.15
    return lambda: world.objects.delete(server.owner, obj, purge=purge)


@command("trash_purge", 3)
def _trash_purge(rng: random.Random, world: World) -> Command | None:
    owners = sorted({o.owner for o in world.objects.objects.values() if o.trashed})
    owner = pick(rng, owners)
    return None if owner is None else lambda: world.objects.purge_trash(owner)


@command("object_tag", 5)
def _object_tag(rng: random.Random, world: World) -> Command | None:
    obj = pick(rng, [u for u, o in world.objects.objects.items() if not o.trashed])
    actor = pick(rng, readers(world, obj)) if obj is not None else None
    if obj is None or actor is None:
        return None
    usable, attached = readable_tags(world, actor), world.objects.objects[obj].tags
    add = [t for t in usable if t not in attached and rng.random() < 0.4]
    remove = [t for t in usable if t in attached and rng.random() < 0.4]
    return lambda: world.objects.retag(actor, obj, add=add, remove=remove)


@command("comment", 5)
def _comment(rng: random.Random, world: World) -> Command | None:
    comments = world.comments
    existing = pick(rng, list(comments.comments))
    if existing is not None and rng.random() < 0.4:
        found = comments.comments[existing]
        if rng.random() < 0.6:
            text = rng.choice(TEXTS)
            return lambda: comments.edit(found.owner, existing, text)
        owner = world.objects.get(found.object).owner
        actor = rng.choice((found.owner, owner))
        return lambda: comments.delete(actor, existing)
    obj = pick(rng, list(world.objects.objects))
    author = pick(rng, readers(world, obj)) if obj is not None else None
    if obj is None or author is None:
        return None
    text = rng.choice(TEXTS)
    return lambda: comments.add(author, obj, text)


def _meta_change(rng: random.Random) -> tuple[dict[str, Any], list[str]]:
    update = {k: rng.randint(0, 5) for k in META_KEYS if rng.random() < 0.3}
    delete = [k for k in META_KEYS if k not in update and rng.random() < 0.2]
    return update, delete


@command("metadata", 5)
def _metadata(rng: random.Random, world: World) -> Command | None:
    update, delete = _meta_change(rng)
    if rng.random() < 0.3:
        who = any_user(rng, world)
        return lambda: world.metadata.set_user(who, update, delete)
    obj = pick(rng, list(world.objects.objects))
    actor = pick(rng, readers(world, obj)) if obj is not None else None
    if obj is None or actor is None:
        return None
    return lambda: world.metadata.set_object(actor, obj, update, delete)


# -- per-object state: faxes, announcements, boxes, files -------------------------------------


@command("fax", 4)
def _fax(rng: random.Random, world: World) -> Command | None:
    fax = pick(rng, of_type(world, "fax"))
    if fax is None:
        return None
    if rng.random() < 0.5:
        actor = rng.choice(writers(world, fax))
        pages = rng.choice((None, 1, 2, 3, 5))
        return lambda: world.fax.upload_and_convert(actor, fax, pages)
    known = list(world.fax.reports.get(fax, {}))
    report_id = pick(rng, known) if rng.random() < 0.5 else None
    report = {"status": rng.choice(("sending", "ok", "busy", "failed")), "to": rng.choice(PHONES)}
    reports = {report_id or some_uuid(rng): report}
    return lambda: world.fax.report(fax, reports)


@command("announcement", 3)
def _announcement(rng: random.Random, world: World) -> Command | None:
    announcement = pick(rng, of_type(world, "announcement"))
    if announcement is None:
        return None
    actor, success = rng.choice(writers(world, announcement)), rng.random() < 0.7
    return lambda: world.announcement.convert(actor, announcement, success)


@command("box", 4)
def _box(rng: random.Random, world: World) -> Command | None:
    box = pick(rng, of_type(world, "box"))
    if box is None:
        return None
    known = world.box.boxes.get(box)
    if known is not None and known.online and rng.random() < 0.6:
        return lambda: world.box.offline(box)
    ip = f"10.0.0.{rng.randint(2, 9)}"
    version = rng.choice(("1.0", "1.1"))
    return lambda: world.box.online(box, ip, "00:11:22:33:44:55", version, "X86")


@command("file", 8)
def _file(rng: random.Random, world: World) -> Command | None:
    files = world.files
    volume = pick(rng, of_type(world, "volume"))
    if volume is None:
        return None
    actor = rng.choice(writers(world, volume))
    nodes = [n for n, v in files.volume_of.items() if v == volume]
    folders = [n for n in nodes if files.volumes[volume].nodes[n]["type"][0] == "folder"]
    node, folder = pick(rng, nodes), pick(rng, folders)
    action = rng.choice(("create", "create", "rename", "move", "upload", "upload", "delete"))
    if node is None or action == "create":
        kind, name = rng.choice(("file", "file", "folder")), rng.choice(FILE_NAMES)
        return lambda: files.create(actor, volume, name, kind, folder)
    if action == "rename":
        name = rng.choice(FILE_NAMES)
        return lambda: files.rename(actor, node, name)
    if action == "move":
        target = folder if rng.random() < 0.6 else None
        return lambda: files.move(actor, node, target)
    if action == "upload":
        size = rng.randint(0, 3) * 1024
        return lambda: files.upload(actor, node, size, "application/pdf", f"md5-{size}")
    if rng.random() < 0.2:
        return lambda: files.empty(actor, volume)
    return lambda: files.delete(actor, volume, node)


# -- people: chats, SIP, the dialplan ----------------------------------------------------------


@command("chat", 12)
def _chat(rng: random.Random, world: World) -> Command | None:
    chats = world.chat
    uuid_ = pick(rng, list(chats.chats))
    if uuid_ is None or (len(chats.chats) < 4 and rng.random() < 0.15):
        who, description = any_user(rng, world), rng.choice((None, "Lunch", "Release"))
        return lambda: chats.create(who, description)
    chat = chats.chats[uuid_]
    member = rng.choice(list(chat.joined))
    action = rng.choice(("add", "message", "message", "message", "typing", "read", "leave"))
    if action == "add":
        who = any_user(rng, world)
        return lambda: chats.add_member(member, uuid_, who)
    if action == "message":
        text = rng.choice(TEXTS)
        return lambda: chats.message(member, uuid_, text)
    if action == "typing":
        seconds = rng.choice((0, 5, 10, 30))
        return lambda: chats.typing(member, uuid_, seconds)
    if action == "read":
        message = pick(rng, list(chat.messages))
        return None if message is None else lambda: chats.read(member, uuid_, message)
    # Leaving is drawn less often than the other actions: chats should last a while.
    return (lambda: chats.leave(member, uuid_)) if rng.random() < 0.3 else None


@command("sip", 7)
def _sip(rng: random.Random, world: World) -> Command | None:
    sip = world.sip
    account = pick(rng, list(sip.accounts))
    if account is None or (len(sip.accounts) < 4 and rng.random() < 0.15):
        owner = any_user(rng, world)
        user_part = f"{rng.choice(('desk', 'mobile', 'fax', 'door'))}{rng.randint(1, 9)}"
        return lambda: sip.create_account(owner, user_part, "example.org")
    registrations = sip.accounts[account].registrations
    active = [c for c, expire in registrations.items() if expire > world.now]
    if active and rng.random() < 0.4:
        contact = rng.choice(active)
        return lambda: sip.unregister(account, contact)
    action = rng.choice(("register", "register", "register", "modify", "delete"))
    if action == "register":
        contact = rng.choice(("sip:desk@10.0.0.5", "sip:mobile@10.0.0.6"))
        seconds = rng.choice((300, 3600, 7200))
        return lambda: sip.register(account, contact, seconds)
    if action == "modify":
        description = rng.choice(("Desk phone", "Mobile", "Door bell"))
        return lambda: sip.modify(account, description)
    return lambda: sip.delete(account)


@command("callreverse", 2)
def _callreverse(rng: random.Random, world: World) -> Command:
    active = list(world.dialplan.callreverse)
    if active and rng.random() < 0.5:
        who, phone_from, phone_to = rng.choice(active)
        return lambda: world.dialplan.callreverse_stop(who, phone_from, phone_to)
    who, phone_from, phone_to = any_user(rng, world), rng.choice(PHONES), rng.choice(PHONES)
    return lambda: world.dialplan.callreverse_start(who, phone_from, phone_to)


# -- detailed streams: conferences, presentations, sensors, calls ------------------------------


@command("subscribe", 8)
def _subscribe(rng: random.Random, world: World) -> Command | None:
    # Only pairs not subscribed yet: most detailed events reach subscribers alone.
    objects = world.objects
    pairs = [
        (session, obj)
        for obj in of_type(world, *STREAM_TYPES)
        for session in world.sessions.values()
        if (objects.objects[obj].type, obj) not in session.subscriptions
        and objects.can_read(session.user, obj)
    ]
    # Live meetings first: their members' sessions follow them.
    live = [(s, o) for s, o in pairs if _is_live(world, o)]
    chosen = pick(rng, live if live and rng.random() < 0.6 else pairs)
    if chosen is None:
        return None
    session, obj = chosen
    domain = getattr(world, objects.objects[obj].type)
    return lambda: domain.subscribe(session.id, obj)


def _is_live(world: World, obj: str) -> bool:
    state = world.presentation.presentations.get(obj) or world.conference.conferences.get(obj)
    return state is not None and state.live


@command("conference", 8)
def _conference(rng: random.Random, world: World) -> Command | None:
    conference = world.conference
    uuid_ = pick(rng, of_type(world, "conference"))
    if uuid_ is None:
        return None
    member = pick(rng, list(conference.members(uuid_)))
    if len(readers(world, uuid_)) == 1:
        return share(rng, world, uuid_)
    action = rng.choice(("join", "update", "update", "leave", "leave", "stop"))
    if member is None or action == "join":
        new = some_uuid(rng)
        user = pick(rng, readers(world, uuid_)) if rng.random() < 0.7 else None
        phone = rng.choice(PHONES)
        return lambda: conference.join(uuid_, new, phone=phone, user=user)
    if action == "update":
        field = rng.choice(("mute", "deaf", "talk", "floor", "volume_in", "volume_out"))
        value = rng.randint(-4, 4) if field.startswith("volume") else rng.random() < 0.5
        return lambda: conference.update(uuid_, member, **{field: value})
    if action == "leave":
        return lambda: conference.leave(uuid_, member)
    return lambda: conference.stop(uuid_)


@command("presentation", 14)
def _presentation(rng: random.Random, world: World) -> Command | None:
    domain = world.presentation
    uuid_ = pick(rng, of_type(world, "presentation"))
    if uuid_ is None:
        return None
    state = domain.presentations.get(uuid_)
    audience = readers(world, uuid_)
    if len(audience) == 1:
        return share(rng, world, uuid_)
    # Mostly users who follow the presentation's stream in a session take part.
    following = sorted({s.user for s in domain.subscribers(uuid_)})
    if rng.random() < 0.1:
        pages = rng.choice((None, 4, 12, 20))
        return lambda: domain.convert(uuid_, pages)
    if state is None or not state.live:
        starter = rng.choice(following if following and rng.random() < 0.7 else audience)
        return lambda: domain.start(uuid_, starter)
    members = sorted(state.members)
    newcomers = [u for u in audience if u not in state.members]
    joiner = pick(rng, [u for u in newcomers if u in following] or newcomers)
    # The moderator cannot leave (she stops the presentation instead).
    leaver = pick(rng, [m for m in members if m != state.moderator])
    action = rng.choice(("join", "leave", "update", "update", "keepalive", "stop"))
    if action == "leave" and leaver is not None:
        return lambda: domain.leave(uuid_, leaver)
    if action in ("join", "leave") and joiner is not None:
        return lambda: domain.join(uuid_, joiner)
    user = rng.choice(audience)
    if action == "update":
        fields: dict[str, Any] = rng.choice(
            [
                {"page": rng.randint(1, 12)},
                {"x": rng.random(), "y": rng.random()},
                {"visible": rng.random() < 0.5},
                {"moderator": rng.choice(members or [user])},
            ]
        )
        return lambda: domain.update(uuid_, **fields)
    if action == "keepalive":
        return lambda: domain.keepalive(uuid_)
    stopper = rng.choice((user, None))  # None: the presentation timed out
    return lambda: domain.stop(uuid_, stopper)


@command("sensor", 6)
def _sensor(rng: random.Random, world: World) -> Command | None:
    sensor = pick(rng, of_type(world, "sensor"))
    if sensor is None:
        return None
    millis = world.now * 1000 + rng.randint(0, 999)
    if rng.random() < 0.7:
        points = {millis: [round(rng.uniform(18.0, 24.0), 1)]}
        return lambda: world.sensor.data(sensor, points)
    status, action_uuid, point = rng.choice(("ok", "replaced")), some_uuid(rng), [rng.randint(0, 1)]
    return lambda: world.sensor.action(sensor, millis, point, status, action_uuid)


@command("call", 8)
def _call(rng: random.Random, world: World) -> Command | None:
    call = world.call
    if rng.random() < 0.1:
        session = pick(rng, [s for s in world.sessions if s not in call.enabled])
        return None if session is None else lambda: call.enable(session)
    user = any_user(rng, world)
    known = list(call.calls.get(user, {}))
    uuid_ = rng.choice(known) if known and rng.random() < 0.8 else some_uuid(rng)
    if known and rng.random() < 0.3:
        digit, duration = rng.choice("0123456789*#"), rng.randint(80, 300)
        return lambda: call.dtmf(user, uuid_, digit, duration)
    fields: dict[str, Any] = rng.choice(
        [
            {"status": "ringing"},
            {"status": "answered", "answer_time": world.now},
            {"status": "hangup", "bridge": ""},
            {"bridge": f"bridge-{rng.randint(1, 3)}"},
            {"current_control": rng.choice(("", "hold", "transfer"))},
        ]
    )
    return lambda: call.update(user, uuid_, **fields)
