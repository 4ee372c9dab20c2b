"""Fold's drafts (reducers/_draft.py): the maps inside a volume, a conference and a sensor are
edited in place between two events, and nobody outside the fold ever sees one."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

import reducers
from reducers._draft import Draft
from reducers._state import Map
from tests.support import ME, Stream
from tests.test_properties import persistent_slices

VOLUME = "0c4f8a55-0000-4000-8000-000000000001"
FOLDER = "0c4f8a55-0000-4000-8000-000000000002"
ROOM = "0c4f8a55-0000-4000-8000-000000000003"
SENSOR = "0c4f8a55-0000-4000-8000-000000000004"
COMMIT = "0c4f8a55-0000-4000-8000-000000000005"
MEMBERS = [f"0c4f8a55-0000-4000-8000-00000000010{n}" for n in range(4)]


def busy_stream() -> Stream:
    """Each nested map is changed several times in a row, as fold drafts it on the second."""
    stream = Stream()
    stream.add("file_new", volume=VOLUME, file=FOLDER, type="folder", name="docs", commit=COMMIT)
    for n in range(4):
        file: dict[str, Any] = {
            "volume": VOLUME,
            "file": MEMBERS[n],
            "type": "file",
            "commit": COMMIT,
        }
        stream.add("file_new", **file, name=f"{n}", parent=FOLDER)
        stream.add("file_modify", **file, size=n)
    stream.add("conference_join", conference=ROOM, member={m: {"phone": "1"} for m in MEMBERS})
    for n in range(4):
        stream.add("conference_update", conference=ROOM, member={MEMBERS[n]: {"mute": True}})
        stream.add("sensor_data", sensor=SENSOR, data={str(1_700_000_000_000 + n): [n]})
    stream.add("conference_leave", conference=ROOM, member=MEMBERS[:2])
    stream.add("file_delete", volume=VOLUME, file=MEMBERS[0], commit=COMMIT)
    return stream


def lines(stream: Stream) -> list[bytes]:
    return [msgspec.json.encode(event) for event in stream.events]


def one_by_one(items: list[bytes], mirror: reducers.Mirror | None = None) -> reducers.Mirror:
    mirror = mirror if mirror is not None else reducers.empty(ME)
    for item in items:
        mirror = reducers.apply(mirror, item)
    return mirror


def test_nested_maps_edited_in_place_come_out_persistent_and_right() -> None:
    items = lines(busy_stream())
    folded = reducers.fold(items, me=ME, strict=True)
    assert folded == one_by_one(items) and persistent_slices(folded)
    volume = folded.volumes[VOLUME]
    assert sorted(volume.files) == sorted([FOLDER, *MEMBERS[1:]])
    assert dict(volume.children[FOLDER]) == dict.fromkeys(MEMBERS[1:], True)
    assert sorted(folded.conferences[ROOM].member) == sorted(MEMBERS[2:])
    assert all(m.mute for m in folded.conferences[ROOM].member.values())
    assert len(folded.sensors[SENSOR].data) == 4


@pytest.mark.parametrize("at", range(2, 20, 3))
def test_an_irregular_event_anywhere_settles_the_nested_drafts(at: int) -> None:
    items = lines(busy_stream())
    items.insert(at, items[at - 1])  # a duplicate: fold hands it to apply, after settling
    folded = reducers.fold(items, me=ME)
    assert folded == one_by_one(items) and persistent_slices(folded)
    assert folded.health.duplicates == 1


@pytest.mark.parametrize("cut", range(1, 20, 3))
def test_continuing_a_mirror_never_changes_its_nested_maps(cut: int) -> None:
    items = lines(busy_stream())
    start = reducers.fold(items[:cut], me=ME)
    before: Any = reducers.dumps(start)
    resumed = reducers.fold(items[cut:], start)
    assert reducers.dumps(start) == before
    assert resumed == reducers.fold(items, me=ME) and persistent_slices(resumed)


def objects_stream() -> Stream:
    """Objects come and go under two tags: the tag index (a map of maps) is drafted at both
    levels, and deleting a tag and purging the trash iterate drafts."""
    stream, tags = Stream(), [MEMBERS[0], MEMBERS[1]]
    for n in range(6):
        header: dict[str, Any] = {"object": f"{FOLDER[:-3]}2{n:02d}", "type": "file", "owner": ME}
        stream.add("object_new", **header, tag=tags[: 1 + n % 2])
        if n % 3 == 0:
            stream.add("object_delete", **header)  # to the trash
    stream.add("tag_delete", tag=tags[1])
    stream.add("trash_purge")
    stream.add("object_new", object=VOLUME, type="file", owner=ME, tag=tags)
    return stream


@pytest.mark.parametrize("at", [None, *range(1, 12, 2)])
def test_the_tag_index_and_the_trash_come_out_persistent_and_right(at: int | None) -> None:
    items = lines(objects_stream())
    if at is not None:
        items.insert(at, items[at - 1])
    folded = reducers.fold(items, me=ME)
    assert folded == one_by_one(items) and persistent_slices(folded)
    objects = folded.objects
    assert len(objects.by_uuid) == 5 and objects.tagged(MEMBERS[0]) == sorted(objects.by_uuid)
    assert objects.tagged(MEMBERS[1]) == [VOLUME]
    assert not objects.trash


def test_a_draft_can_be_iterated_and_edited_afterwards() -> None:
    draft = Draft(Map({"a": 1}))
    draft.set("b", 2)
    assert sorted(draft) == ["a", "b"]
    draft.set("c", 3).delete("a")
    assert sorted(draft) == ["b", "c"]
    assert dict(draft.persistent()) == {"b": 2, "c": 3}
