"""The inspector answers while the recording is still being read: a timeline fed a few records
at a time publishes a consistent prefix (exactly what :meth:`Timeline.open` over those records
gives), the server answers for that prefix, and a question past it is a 409 with a reason."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror.inspect.app import make_app
from eventmirror.inspect.source import Builder, start_reading
from reducers.timeline import Timeline
from tests.reducers.travel_support import recordings

from .conftest import LINES, ME

Recording = tuple[list[bytes], str | None]


def _same_prefix(growing: Timeline, lines: list[bytes], me: str | None, at: int) -> None:
    count = len(growing)
    whole = Timeline.open(lines[:count], every=growing.every, me=me)
    assert len(whole) == count
    assert [e.to_json() for e in growing.entries()] == [e.to_json() for e in whole.entries()]
    assert growing.types() == whole.types()
    assert growing.select(marked=True) == whole.select(marked=True)
    wanted = min(at, count)
    assert reducers.dumps(growing.mirror_at(wanted)) == reducers.dumps(whole.mirror_at(wanted))
    assert reducers.dumps(growing.final) == reducers.dumps(whole.final)


@given(recordings(), st.integers(1, 7), st.lists(st.integers(1, 9), max_size=12), st.data())
def test_a_growing_timeline_publishes_what_open_gives_over_its_prefix(
    recording: Recording, every: int, feeds: list[int], data: st.DataObject
) -> None:
    lines, me = recording
    growing = Timeline.reading(lines, every=every, me=me)
    for records in feeds:
        more = growing.feed(records)
        read = growing.reading_progress()
        assert len(growing) <= read.records and read.done is not more
        # Published at checkpoints only (so every block of records is whole), or at the end.
        assert len(growing) % every == 0 or read.done
        _same_prefix(growing, lines, me, data.draw(st.integers(0, len(lines)), label="at"))
    while growing.feed(5):
        pass
    assert len(growing) == len(lines) and growing.reading_progress().done
    _same_prefix(growing, lines, me, data.draw(st.integers(0, len(lines)), label="at"))


def _ask(app_timeline: Any, *paths: str) -> list[tuple[int, Any]]:
    async def run() -> list[tuple[int, Any]]:
        async with TestClient(TestServer(make_app(app_timeline, "marks.jsonl"))) as client:
            answers = []
            for path in paths:
                response = await client.get(path)
                answers.append((response.status, await response.json()))
            return answers

    return asyncio.run(run())


def test_the_server_answers_for_the_part_read_and_says_how_far_it_is(recording: Path) -> None:
    growing = Timeline.reading(recording, every=3, me=ME)
    growing.feed(4)  # four records read, three published (one checkpoint block)
    (_, summary), (_, page), (ready, step), (early, late), (early_page, beyond) = _ask(
        growing,
        "/api/summary",
        "/api/timeline?limit=50",
        "/api/step/2",
        "/api/step/5",
        "/api/timeline?offset=7",
    )
    size = recording.stat().st_size
    assert summary["total"] == 3
    assert summary["reading"] == {
        "records": 4, "published": 3, "bytes_read": sum(len(line) + 1 for line in LINES[:4]),
        "bytes_total": size, "done": False, "error": None,
    }  # fmt: skip
    assert [entry["index"] for entry in page["entries"]] == [0, 1, 2]
    assert page["next"] == 3  # more to come: the page asks again later
    assert ready == 200 and step["entry"]["index"] == 2
    assert early == 409 and early_page == 409
    assert late["error"].startswith(f"still reading: {summary['reading']['bytes_read']:,} of ")
    assert "entry 5 is not read yet" in late["error"] and late["reading"]["done"] is False
    assert "entry 7 is not read yet" in beyond["error"]
    while growing.feed(3):
        pass
    (_, summary), (status, step), (past, reason) = _ask(
        growing, "/api/summary", "/api/step/5", "/api/step/10"
    )
    assert summary["total"] == len(LINES) and summary["reading"]["done"] is True
    assert summary["reading"]["bytes_read"] == size
    assert summary["marks"]["gap"] == 1 and summary["marks"]["reset"] == 1
    assert status == 200 and step["entry"]["index"] == 5
    assert past == 400 and reason["error"] == f"index: expected 0..{len(LINES) - 1}, got 10"


def test_the_builder_reads_to_the_end_in_its_thread(recording: Path) -> None:
    growing = start_reading(str(recording), every=2, me=ME)
    assert growing.reading_progress().records == 1
    seen: list[int] = []
    builder = Builder(growing, seen.append)
    builder.start()
    assert builder.finished.wait(timeout=60)
    assert builder.error is None and len(growing) == len(LINES)
    assert growing.reading_progress().done


def _failing() -> Iterator[bytes]:
    yield msgspec.json.encode({"id": 0, "event": "hologram_beam", "time": 1})
    raise OSError("the disk went away")


def test_a_reading_that_fails_says_why_on_the_page() -> None:
    growing = Timeline.reading(_failing(), every=1)
    builder = Builder(growing)
    builder.start()
    assert builder.finished.wait(timeout=60)
    assert builder.error == "reading stopped: the disk went away"

    async def run() -> Any:
        app = make_app(growing, "broken.jsonl", builder=builder)
        async with TestClient(TestServer(app)) as client:
            return await (await client.get("/api/summary")).json()

    summary = asyncio.run(run())
    assert summary["reading"]["error"] == "reading stopped: the disk went away"
    assert summary["reading"]["done"] is False and summary["total"] == 1
