"""The event reference's own examples, read from a copy of the reference kept with the tests.

tests/data/event-reference.txt is a verbatim copy of the platform's event reference
(shared/spec/event-reference.txt); test_reference_copy checks it still matches when the
original is beside the checkout.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).parent / "data" / "event-reference.txt"
_HEADING = re.compile(r"^Event ([a-z_]+)\s*$")
_CHAPTER = re.compile(r"^[A-Z][\w ]* events$")


@cache
def reference_examples() -> dict[str, dict[str, Any]]:
    """Each event type of the reference -> its example payload (without id/event/time)."""
    examples: dict[str, dict[str, Any]] = {}
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        heading = _HEADING.match(lines[index])
        index += 1
        if heading is None:
            continue
        while not lines[index].startswith("{"):
            index += 1
        block = [lines[index]]
        while not block[-1].rstrip().endswith("}") or block[-1].startswith(" "):
            index += 1
            block.append(lines[index])
        examples[heading.group(1)] = json.loads("\n".join(block))
    return examples


@cache
def reference_chapters() -> dict[str, str]:
    """Each event type -> the chapter (domain) of the reference it is listed under."""
    chapters: dict[str, str] = {}
    chapter = ""
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if _CHAPTER.match(line):
            chapter = line.removesuffix(" events").strip()
        elif heading := _HEADING.match(line):
            chapters[heading.group(1)] = chapter
    return chapters


def reference_event(name: str, id: int = 42, time: int = 1_700_000_000) -> dict[str, Any]:
    """The reference's example of ``name`` as a whole event: a fresh copy, which tests may
    change (the examples themselves are parsed once and shared)."""
    return {"id": id, "event": name, "time": time, **copy.deepcopy(reference_examples()[name])}
