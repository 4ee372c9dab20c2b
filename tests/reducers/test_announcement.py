"""Announcement reducer (docs/design.md: ``announcement_convert`` without ``success`` = failed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers import Mirror
from reducers.announcement import Announcement
from tests.support import ME, Stream

ANNOUNCEMENT = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"
OTHER_ANNOUNCEMENT = "94f1bb1a-5931-11e0-8db5-0024e8f90cc0"


def assert_round_trips(mirror: Mirror) -> None:
    assert reducers.loads(reducers.dumps(mirror)) == mirror


def convert(stream: Stream, success: bool | None, uuid: str = ANNOUNCEMENT) -> None:
    extra = {} if success is None else {"success": success}
    stream.add("announcement_convert", announcement=uuid, **extra)


@pytest.mark.parametrize(
    ("success", "converted"),
    [(True, True), (None, False), (False, False)],
    ids=["success", "success-absent", "success-false"],
)
def test_announcement_convert_records_whether_the_conversion_succeeded(
    success: bool | None, converted: bool
) -> None:
    stream = Stream()
    convert(stream, success)
    mirror = stream.fold()
    assert dict(mirror.announcements) == {ANNOUNCEMENT: Announcement(converted=converted)}
    assert reducers.to_json(mirror)["announcements"][ANNOUNCEMENT] == {"converted": converted}
    assert_round_trips(mirror)


def test_each_announcement_keeps_its_own_result() -> None:
    stream = Stream()
    convert(stream, True)
    convert(stream, None, OTHER_ANNOUNCEMENT)
    mirror = stream.fold()
    assert mirror.announcements[ANNOUNCEMENT].converted
    assert not mirror.announcements[OTHER_ANNOUNCEMENT].converted


@pytest.mark.parametrize("removal", ["object_unshare", "object_delete"])
def test_removing_the_announcement_object_removes_its_state(removal: str) -> None:
    stream = Stream()
    stream.add("object_new", object=ANNOUNCEMENT, type="announcement", owner=ME, tag=[])
    convert(stream, True)
    convert(stream, True, OTHER_ANNOUNCEMENT)
    purge = {"purge": True} if removal == "object_delete" else {}
    stream.add(removal, object=ANNOUNCEMENT, type="announcement", owner=ME, **purge)
    assert set(stream.fold().announcements) == {OTHER_ANNOUNCEMENT}


@given(st.lists(st.none() | st.booleans(), min_size=1, max_size=10))
def test_the_last_conversion_decides(results: list[bool | None]) -> None:
    stream = Stream()
    for success in results:
        convert(stream, success)
    mirror = stream.fold()
    assert mirror.announcements[ANNOUNCEMENT].converted is (results[-1] is True)
    assert_round_trips(mirror)
