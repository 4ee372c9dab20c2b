"""What the time-travel commands share: their arguments, how they write entries, changes,
times and entity descriptions, and how they fail.

Output is deterministic: the same recording and arguments give the same bytes (no
wall-clock, JSON with sorted keys). Text is for people; ``--json`` for programs: ``log``
writes JSON Lines (one object per entry, so it streams), ``diff``, ``blame`` and ``bisect``
one JSON document.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

import msgspec

from reducers.describe import describe as describe  # where the rule lives

if TYPE_CHECKING:
    from reducers import Change, Mirror

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE = 0, 1, 2
#: How much of a value a text line shows; ``--json`` shows all of it.
VALUE_PREVIEW: Final = 100
_ENCODE: Final = msgspec.json.Encoder(order="sorted").encode


class UsageError(Exception):
    """A mistake in the arguments or a path, id or condition the recording cannot answer:
    reported on standard error with exit status 2."""


def add_recording(parser: argparse.ArgumentParser) -> None:
    """The arguments every time-travel command over a recording takes."""
    parser.add_argument(
        "path", metavar="REC", help="the recording (JSON Lines or GET /api/event bodies; - reads "
        "standard input)"
    )  # fmt: skip
    parser.add_argument("--me", metavar="UUID", help="the session's own user")


def not_in_recording(
    wanted: int, option: str, span: tuple[int | None, int | None], after: int | None = None
) -> str:
    """Why an ``--from-id``/``--to-id`` cannot be used; ``span`` is the lowest and highest id
    of the recording."""
    first, last = span
    ids = f"its ids are {first} to {last}" if first is not None else "it has no event ids"
    where = f" at or after id {after}" if after is not None else ""
    return f"{option} {wanted}: id {wanted} is not in the recording{where} ({ids})"


def complain(command: str, message: str) -> int:
    print(f"eventmirror {command}: {message}", file=sys.stderr)
    return EXIT_USAGE


def dumps(value: Any) -> str:
    """Compact JSON with sorted keys (the same value, the same text)."""
    return _ENCODE(value).decode()


#: A description as JSON text; descriptions repeat from line to line, so each is kept.
quoted: Final = functools.lru_cache(maxsize=4096)(dumps)


def preview(value: Any) -> str:
    text = dumps(value)
    return text if len(text) <= VALUE_PREVIEW else text[: VALUE_PREVIEW - 1] + "…"


def when(seconds: int | None) -> str:
    """An event time as people read it (UTC), or ``-``."""
    if seconds is None:
        return "-"
    try:
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return str(seconds)


#: What names an entity's description: its UUID, and whether to look among files too.
Describe = Callable[[str, bool], "str | None"]


def path_entities(path: str) -> tuple[tuple[str, bool], ...]:
    """The entities a change's path names, each with whether it is a file: its entity, and
    a file inside a volume."""
    # The first four keys are all it reads (a change's path is a well-formed pointer).
    keys = path.split("/", 5)[1:5]
    if "~" in path:
        keys = [_unescaped(key) for key in keys]
    entities = [(keys[1], False)] if len(keys) > 1 else []
    if len(keys) > 3 and keys[0] == "volumes" and keys[2] == "files":
        entities.append((keys[3], True))
    return tuple(entities)


def _unescaped(key: str) -> str:
    return key.replace("~1", "/").replace("~0", "~") if "~" in key else key


def described_keys(path: str, *mirrors: Mirror, names: Describe | None = None) -> dict[str, str]:
    """The entities a change's path names (its entity, and a file inside a volume) that have
    a description, with theirs (``names``: how to find one, :func:`describe` over
    ``mirrors`` unless given)."""
    found = {}
    for key, is_file in path_entities(path):
        # A file is named inside its volume's files: look there, not through every volume.
        text = names(key, is_file) if names else describe(key, *mirrors, files=is_file)
        if text is not None:
            found[key] = text
    return found


def change_text(change: Change, *mirrors: Mirror, names: Describe | None = None) -> str:
    """One change as a line: ``~ path: old -> new``, ``+ path: new``, ``- path: old``, with
    the descriptions of the entities its path names."""
    kind, path = change.kind, change.path
    if kind == "changed":
        text = f"~ {path}: {preview(change.old)} -> {preview(change.new)}"
    elif kind == "added":
        text = f"+ {path}: {preview(change.new)}"
    else:
        text = f"- {path}: {preview(change.old)}"
    found = [
        name
        for key, is_file in path_entities(path)
        if (name := names(key, is_file) if names else describe(key, *mirrors, files=is_file))
        is not None
    ]
    if found:
        text += "   (" + ", ".join([quoted(name) for name in found]) + ")"
    return text


def change_json(change: Change, *mirrors: Mirror, names: Describe | None = None) -> dict[str, Any]:
    """One change as a JSON object: ``path``, ``kind``, ``old``/``new`` when present, and
    ``entities``: the descriptions of the entities its path names, by UUID."""
    document: dict[str, Any] = msgspec.to_builtins(change)
    found = described_keys(change.path, *mirrors, names=names)
    if found:
        document["entities"] = found
    return document
