"""Makers of the random day's commands: users, tags, objects, comments and metadata."""

from __future__ import annotations

import random
from typing import Any

from eventmirror.rules import can_propagate

from ..world import World
from . import (
    LABELS,
    META_KEYS,
    OBJECT_TYPES,
    STREAM_TYPES,
    TEXTS,
    Command,
    any_user,
    command,
    of_type,
    pick,
    readable_tags,
    readers,
    writers,
)

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
    actor = pick(rng, [u for u, level in server.policy.items() if can_propagate(level)])
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
