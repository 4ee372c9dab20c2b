"""The command mix of the random day (:mod:`simulator.driver`): one maker per kind of command.

This module holds the registry and the helpers makers use; the makers live in one module
per group of domains and register themselves when imported, in a fixed order (the order of
``MIX`` is part of what a seed means).

A maker looks at the world as it is and returns a command that is mostly valid now (or None
when nothing fits); its weight sets how often it is drawn. Rare events get extra weight so that
a day of a few hundred steps shows every event type.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from typing import TypeVar

from eventmirror.rules import can_read, can_write

from ..world import World

Command = Callable[[], object]
Maker = Callable[[random.Random, World], Command | None]
T = TypeVar("T")

#: (name, weight, maker): the mix :func:`simulator.driver.commands` draws from.
MIX: list[tuple[str, int, Maker]] = []

LABELS = ("Projects", "Customers", "Team", "Private", "Berlin office", "Suppliers")
TEXTS = ("call back", "see attachment", "done", "looks good", "tomorrow?", "urgent")
OBJECT_TYPES = ("contact", "note", "fax", "announcement", "box", "volume")
STREAM_TYPES = ("conference", "presentation", "sensor")
META_KEYS = ("color", "priority", "rating", "pinned")
PHONES = ("+4930123", "+4940555", "+4989777")
FILE_NAMES = ("report.pdf", "notes.txt", "photos", "budget.xlsx", "archive")


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
        if u == server.owner or any(can_write(levels(t, u)) for t in server.tags)
    ]


def readable_tags(world: World, user: str) -> list[str]:
    return [t for t in world.tags.tags if can_read(world.tags.level(t, user))]


def share(rng: random.Random, world: World, obj: str) -> Command | None:
    """The owner attaches a tag that others can read (a presentation alone is no meeting)."""
    owner = world.objects.get(obj).owner
    shared = [t for t in readable_tags(world, owner) if len(world.tags.readers(t)) > 1]
    tag = pick(rng, shared)
    return None if tag is None else lambda: world.objects.retag(owner, obj, add=[tag])


def any_user(rng: random.Random, world: World) -> str:
    return rng.choice(list(world.users.values()))


# The makers register on import, in this order.
from . import accounts, object_state, people, streams  # noqa: E402, F401
