"""A small recording for the time-travel commands, with a gap, a duplicate, a rejected line,
an unknown event type and a reset where a log must show them."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from eventmirror.cli import main

ME = "u-me"
OBJECT = "o-1"
TAG = "t-1"


def event(event_id: int, name: str, time: int, **payload: object) -> bytes:
    return msgspec.json.encode({"id": event_id, "event": name, "time": time, **payload})


def obj(event_id: int, name: str, description: str, time: int, **more: object) -> bytes:
    return event(event_id, name, time, object=OBJECT, type="note", owner=ME,
                 description=description, **more)  # fmt: skip


LINES = [
    event(
        0, "tag_new", 100, tag=TAG, owner=ME, label="Projects", foreign_use=False, policy={ME: 4}
    ),
    obj(1, "object_new", "draft", 101, tag=[TAG]),
    obj(2, "object_modify", "second", 102),
    b"this is not an event",
    obj(2, "object_modify", "second", 102),  # a duplicate
    obj(5, "object_modify", "final", 105),  # ids 3..4 missing
    event(6, "object_fly", 106, object=OBJECT),  # not a type of the reference
    obj(7, "object_delete", "final", 107),  # to the trash
    obj(0, "object_modify", "after reset", 108),  # the server started again
]


@pytest.fixture
def recording(tmp_path: Path) -> str:
    path = tmp_path / "session.jsonl"
    path.write_bytes(b"\n".join(LINES) + b"\n")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err
