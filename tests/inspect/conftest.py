"""A small recording with every mark the timeline shows, and the timeline read from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import pytest

ME: Final = "0f6bd8a3-6c2e-4d3b-9a51-7e2c94b1d5f0"
TAG: Final = "e8078365-5d05-4886-8565-25d631ac88df"
CONTACT: Final = "d3b4a270-e6d5-4f23-95c0-86fe729bb8ff"
FAX: Final = "b63ace71-7612-4803-8d58-5217ee265768"
DESCRIPTION: Final = f"/objects/{CONTACT}/description"


def _object(kind: str, uuid: str, description: str) -> dict[str, Any]:
    return {"object": uuid, "type": kind, "owner": ME, "description": description}


def _event(name: str, id: int, time: int, **payload: Any) -> str:
    return json.dumps({"id": id, "event": name, "time": 1_773_731_000 + time, **payload})


#: The recording's lines: their index in the timeline is their position here.
LINES: Final = [
    _event("tag_new", 0, 0, tag=TAG, owner=ME, label="Atlas", foreign_use=False, policy={ME: 4}),
    _event("object_new", 1, 10, **_object("contact", CONTACT, "Hans"), tag=[]),
    _event("object_new", 2, 20, **_object("fax", FAX, "Offer"), tag=[]),
    _event("object_modify", 3, 30, **_object("contact", CONTACT, "Hans Mustermann")),
    "this line is not JSON",  # 4: rejected
    _event("object_modify", 6, 40, **_object("fax", FAX, "Offer, sent")),  # 5: gap (id 5)
    _event("hologram_beam", 7, 50, hologram="a"),  # 6: unknown
    _event("object_modify", 7, 60, **_object("fax", FAX, "Offer, again")),  # 7: duplicate
    _event("tag_modify", 0, 70, tag=TAG, owner=ME, label="Atlas 2", foreign_use=False,
           policy={ME: 4}),  # 8: reset
    _event("object_modify", 1, 80, **_object("fax", FAX, "Offer, final")),
]  # fmt: skip


@pytest.fixture(scope="session")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inspect") / "marks.jsonl"
    path.write_text("".join(line + "\n" for line in LINES))
    return path
