"""Makers of the random day's commands for the detailed streams: conferences, presentations,
sensors and calls."""

from __future__ import annotations

import random
from typing import Any

from ..world import World
from . import (
    PHONES,
    STREAM_TYPES,
    Command,
    any_user,
    command,
    of_type,
    pick,
    readers,
    share,
    some_uuid,
)

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
        return lambda: conference.join(user, uuid_, new, phone=phone)
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
        return lambda: domain.start(starter, uuid_)
    members = sorted(state.members)
    newcomers = [u for u in audience if u not in state.members]
    joiner = pick(rng, [u for u in newcomers if u in following] or newcomers)
    # The moderator cannot leave (she stops the presentation instead).
    leaver = pick(rng, [m for m in members if m != state.moderator])
    action = rng.choice(("join", "leave", "update", "update", "keepalive", "stop"))
    if action == "leave" and leaver is not None:
        return lambda: domain.leave(leaver, uuid_)
    if action in ("join", "leave") and joiner is not None:
        return lambda: domain.join(joiner, uuid_)
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
    return lambda: domain.stop(stopper, uuid_)


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
