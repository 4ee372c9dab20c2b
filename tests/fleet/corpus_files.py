"""A small corpus with a bit of everything, shared by the fleet tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import msgspec

from eventmirror.examples import EXAMPLE
from tests.support import ME, wire


def lines(*events: object) -> bytes:
    return b"".join(msgspec.json.encode(event) + b"\n" for event in events)


def tag(id: int, **extra: object) -> dict[str, object]:
    payload = {"tag": f"t{id}", "owner": ME, "label": "x", "foreign_use": False}
    return wire("tag_new", id, 1_000 + id, policy={ME: 4}, **payload, **extra)


def make_corpus(root: Path) -> Path:
    """``root/corpus``: the example day, a stream with every kind of trouble, a binary file,
    and one that fails in strict mode only; ``root/corpus/deep/`` holds two of them."""
    corpus = root / "corpus"
    (corpus / "deep").mkdir(parents=True)
    shutil.copy(EXAMPLE, corpus / "office-day.jsonl")
    (corpus / "deep" / "troubled.jsonl").write_bytes(
        lines(tag(0), wire("weird_thing", 1), tag(2, colour="red"), tag(2), tag(5))
        + b"not json\n"
        + lines(wire("tag_delete", 6, tag=7), wire("tag_delete", 7, tag=[1]), tag(0))
    )
    (corpus / "deep" / "binary.jsonl").write_bytes(b"\x00\x01\x02 not text")
    (corpus / "gap.jsonl").write_bytes(lines(tag(0), tag(1), tag(3)))
    return corpus
