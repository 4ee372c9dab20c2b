"""A deterministic "random day" on the platform: every domain, every event type, one seed.

>>> from simulator.driver import run_day
>>> world = run_day(7, steps=500)
>>> session = next(iter(world.sessions.values()))
>>> session.events[:3]          # what that session's GET /api/event would have returned

:func:`run_day` opens every session before the first change (a session opened later would
need the view of that moment as its starting mirror, docs/simulator.md), so each session's
stream folded from an empty mirror gives ``world.view(session)`` as its JSON form.
:func:`commands` draws the commands; they are picked to be mostly valid for the world as it is
when each is drawn, and one that turns out invalid raises :class:`SimulatorError` and changes
nothing. Only the ``random.Random`` given is used: the same seed gives byte-identical streams.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator

from ._core import SimulatorError
from .mix import MIX, Command
from .world import World

#: Symbolic user names, in the order users are created.
NAMES = ("anna", "ben", "carl", "dora", "emil", "fiona", "gus", "hanna", "ivo", "jana")


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
