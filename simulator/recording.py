"""Writing a simulated day as recordings: one JSON Lines file per session, and an index.

Each session's stream goes to ``<session-id>-<user-name>.jsonl`` (compact JSON, one event a
line, exactly what ``eventmirror replay FILE --me UUID`` reads); ``sessions.json`` lists the
sessions with their user and file. Existing recordings are never overwritten unless asked.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import msgspec

from eventmirror.errors import noun, plural

from .world import World

INDEX = "sessions.json"


class SessionFile(msgspec.Struct, frozen=True):
    """One entry of ``sessions.json``."""

    session: str
    user: str
    uuid: str
    file: str
    events: int


class Index(msgspec.Struct, frozen=True):
    """``sessions.json``: how the day was made, its clock at the end, and its sessions."""

    seed: int
    steps: int
    users: int
    start: int
    now: int
    sessions: list[SessionFile]


def session_files(world: World) -> list[SessionFile]:
    return [
        SessionFile(
            session.id,
            world.names[session.user],
            session.user,
            f"{session.id}-{world.names[session.user]}.jsonl",
            len(session.events),
        )
        for session in world.sessions.values()
    ]


def write_recordings(
    world: World, out: Path, *, seed: int, steps: int, start: int, force: bool = False
) -> Index:
    """Write every session's stream and ``sessions.json`` into ``out`` (created if needed).

    Raises FileExistsError, before writing anything, if a file it would write exists, unless
    ``force``; with ``force``, the files the old index names are removed first, so that a
    directory never mixes two days.
    """
    files = session_files(world)
    targets = [out / INDEX, *(out / f.file for f in files)]
    existing = [path for path in targets if path.exists()]
    if existing and not force:
        raise FileExistsError(
            f"{existing[0]} exists (and {len(existing) - 1} more recording files): "
            "use --force to overwrite"
        )
    out.mkdir(parents=True, exist_ok=True)
    if force:
        _remove_old(out)
    encoder = msgspec.json.Encoder()
    for entry in files:
        events = world.sessions[entry.session].events
        lines = b"".join(encoder.encode(event) + b"\n" for event in events)
        (out / entry.file).write_bytes(lines)
    index = Index(seed, steps, len(world.users), start, world.now, files)
    (out / INDEX).write_bytes(msgspec.json.format(encoder.encode(index)) + b"\n")
    return index


def _remove_old(out: Path) -> None:
    path = out / INDEX
    if not path.exists():
        return
    try:
        old = msgspec.json.decode(path.read_bytes(), type=Index)
    except msgspec.DecodeError:
        return  # not ours: overwritten below, and its files are unknown
    for entry in old.sessions:
        # Only plain names inside ``out``: an index is not trusted to point elsewhere.
        if Path(entry.file).name == entry.file:
            (out / entry.file).unlink(missing_ok=True)


def summary(world: World, index: Index) -> str:
    """A short text: the day, each session's events, and the event types used."""
    from eventmirror.events import EVENT_TYPES

    types: Counter[str] = Counter(
        event["event"] for session in world.sessions.values() for event in session.events
    )
    total = sum(types.values())
    hours, rest = divmod(index.now - index.start, 3600)
    lines = [
        f"simulated seed {index.seed}: {plural(index.users, 'user')}, "
        f"{plural(index.steps, 'step')}, {plural(len(index.sessions), 'session')}, "
        f"{plural(total, 'event')}, {hours} h {rest // 60} min",
    ]
    width = max((len(f.file) for f in index.sessions), default=0)
    lines += [
        f"  {f.file:<{width}}  {f.events:>6} {noun(f.events, 'event'):<6}  me = {f.uuid}"
        for f in index.sessions
    ]
    missing = sorted(set(EVENT_TYPES) - set(types))
    used = f"event types used: {len(types)} of {len(EVENT_TYPES)}"
    lines.append(used + (f" (none of: {', '.join(missing)})" if missing else ""))
    return "\n".join(lines) + "\n"
