"""Which recordings ``eventmirror replay PATH...`` replays, in which order, under which names.

- A file is taken as named, whatever its extension (JSON Lines or response bodies).
- A directory is searched recursively for ``*.jsonl`` files, hidden files and directories
  skipped. Only ``.jsonl``: a directory written by ``eventmirror simulate`` also holds its
  ``sessions.json`` index, which is not a recording; name response bodies saved as ``.json``
  one by one or with a glob (``'bodies/**/*.json'``).
- A glob (``*``, ``?``, ``[...]``, and ``**`` for any depth) is expanded here too, for shells
  that leave it alone (and for Windows, whose shells do): a directory it matches is searched
  as above. A pattern that matches nothing is one unusable row, not the end of the corpus.

The corpus is sorted by path, component by component, each recording named once however
often it was given: the same files give the same order, indexes and output whatever order
the arguments came in.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import Final

import attrs

#: The files a directory contributes.
RECORDING_SUFFIX: Final = ".jsonl"
NO_MATCH: Final = "no file matches this pattern"
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._-]+")
_NAME_ROOM: Final = 120  # characters of the path kept in a rejects file's name


class CorpusError(ValueError):
    """The arguments do not name a corpus (a usage error, exit status 2)."""


@attrs.frozen(order=True)
class Entry:
    """One recording of the corpus: its index (from 1) and its path; ``problem`` is why
    it cannot be replayed when that is known before opening it (a glob matching nothing)."""

    index: int
    path: str
    problem: str | None = None


def is_corpus(paths: Sequence[str]) -> bool:
    """Whether these arguments are a corpus (several paths, a directory or a glob) rather
    than the one recording ``replay`` has always taken, whose output stays as it was."""
    if len(paths) != 1:
        return len(paths) > 1
    path = paths[0]
    if path == "-":
        return False
    return os.path.isdir(path) or (glob.has_magic(path) and not os.path.lexists(path))


def expand(paths: Sequence[str]) -> list[Entry]:
    """The corpus the arguments name, sorted and numbered from 1."""
    if "-" in paths:
        raise CorpusError("standard input (-) cannot be one of several recordings")
    found: dict[str, str | None] = {}
    for argument in paths:
        for path, problem in _paths_of(argument):
            found.setdefault(os.path.normpath(path), problem)
    if not found:
        named = ", ".join(paths)
        raise CorpusError(f"no recordings (*{RECORDING_SUFFIX} files) in {named}")
    ordered = sorted(found, key=lambda path: PurePath(path).parts)
    return [Entry(index, path, found[path]) for index, path in enumerate(ordered, 1)]


def _paths_of(argument: str) -> Iterator[tuple[str, str | None]]:
    if os.path.isdir(argument):
        yield from ((path, None) for path in _recordings_under(argument))
    elif glob.has_magic(argument) and not os.path.lexists(argument):
        matches = glob.glob(argument, recursive=True)
        if not matches:
            yield argument, NO_MATCH
        for match in matches:
            if os.path.isdir(match):
                yield from ((path, None) for path in _recordings_under(match))
            else:
                yield match, None
    else:
        yield argument, None  # a file, or a missing one: its row will say so


def _recordings_under(directory: str) -> Iterator[str]:
    for root, directories, files in os.walk(directory):
        directories[:] = sorted(name for name in directories if not name.startswith("."))
        for name in sorted(files):
            if name.endswith(RECORDING_SUFFIX) and not name.startswith("."):
                yield os.path.join(root, name)


def rejects_name(entry: Entry, corpus_size: int) -> str:
    """The name of ``entry``'s rejects file under ``--rejects DIR``: its zero-padded index
    (which alone keeps names apart, even on a file system that ignores case) and its path
    with every run of characters other than letters, digits, ``.``, ``_`` and ``-``
    (separators included) written ``_``, cut to its last 120 characters."""
    width = len(str(corpus_size))
    flat = _UNSAFE.sub("_", entry.path).strip("_")[-_NAME_ROOM:]
    return f"{entry.index:0{width}d}-{flat}.rejects.jsonl"
