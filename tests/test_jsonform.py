"""The mirror's JSON form: its top-level shape, determinism, and loading back."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import msgspec
import pytest

import reducers
from reducers import MirrorFormatError
from tests.reference import reference_event, reference_examples

TOP_LEVEL = [
    "stream", "stale", "invitations", "tags", "objects", "user_metadata", "faxes",
    "announcements", "conferences", "volumes", "boxes", "callreverse", "sip",
    "presentations", "chats", "calls", "sensors",
]  # fmt: skip


def reference_mirror() -> reducers.Mirror:
    lines = [
        msgspec.json.encode(reference_event(name, id=i, time=1_700_000_000 + i))
        for i, name in enumerate(sorted(reference_examples()))
    ]
    return reducers.fold(lines, me="1de7257a-4f34-11e0-ab6e-0024e8f90cc1")


def test_top_level_keys() -> None:
    assert sorted(reducers.to_json(reducers.empty())) == sorted(TOP_LEVEL)


def test_entities_are_keyed_by_uuid_with_reference_field_names() -> None:
    document = reducers.to_json(reference_mirror())
    tag = document["tags"]["7b3785b8-974f-11e0-a900-0024e8f90cc0"]
    assert set(tag) == {"owner", "label", "foreign_use", "policy"}
    fax = document["faxes"]["94f1bb1a-5931-11e0-8db5-0024e8f90cc0"]
    assert fax["report"]["7b149600-5921-11e0-b85f-0024e8f90cc0"]["from"] == "+492216689711"
    assert "joe_01@cospace.de" in document["sip"]
    sensor = document["sensors"]["ce19884c-8fed-11e2-93fe-0024e8f90cc0"]
    assert sensor["action_status"] == {"97a1f558-9167-11e2-892a-0024e8f90cc0": "ok"}


def test_dumps_is_deterministic_and_sorted() -> None:
    data = reducers.dumps(reference_mirror())
    assert data == reducers.dumps(reference_mirror())
    document = msgspec.json.decode(data)
    assert list(document) == sorted(document)
    assert reducers.dumps(reducers.from_json(document)) == data


def test_dumps_is_the_same_under_any_hash_seed() -> None:
    script = (
        "import sys; sys.path.insert(0, '.');"
        "from tests.test_jsonform import reference_mirror; import reducers;"
        "sys.stdout.buffer.write(reducers.dumps(reference_mirror()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1


def test_loads_gives_back_an_equal_mirror() -> None:
    mirror = reference_mirror()
    assert reducers.loads(reducers.dumps(mirror)) == mirror
    assert reducers.loads(reducers.dumps(mirror, indent=2)) == mirror


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"nope", "not JSON"),
        (b"[]", "expected an object with a 'stream' object"),
        (b'{"stream": {"last_id": "x"}}', "stream.last_id"),
        (b'{"stream": {}, "tags": {"t": {"owner": 5}}}', "tags"),
    ],
)
def test_loading_something_else_is_a_clear_error(document: bytes, message: str) -> None:
    with pytest.raises(MirrorFormatError, match=message.replace(".", r"\.")):
        reducers.loads(document)


def _document() -> dict[str, Any]:
    return reducers.to_json(reference_mirror())


def test_derived_indexes_are_rebuilt_on_load() -> None:
    mirror = reference_mirror()
    loaded = reducers.from_json(_document())
    assert loaded.objects.by_tag == mirror.objects.by_tag
    assert loaded.timers == mirror.timers
    assert loaded.volumes == mirror.volumes
