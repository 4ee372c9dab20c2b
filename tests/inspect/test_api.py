"""The JSON endpoints, through a real aiohttp client: answers, paging, and bad questions."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from eventmirror.inspect.app import make_app
from eventmirror.inspect.source import Timeline

from .conftest import CONTACT, DESCRIPTION, ME
from .fake import FakeTimeline

Call = Callable[[str], Awaitable[tuple[int, Any]]]


@pytest.fixture(scope="module")
def timeline(recording: Path) -> Timeline:
    return FakeTimeline(recording, me=ME)


def ask(
    timeline: Timeline, *paths: str, headers: dict[str, str] | None = None
) -> list[tuple[int, Any]]:
    """The status and JSON answer of each GET, in order, from one server."""

    async def run() -> list[tuple[int, Any]]:
        async with TestClient(TestServer(make_app(timeline, "marks.jsonl"))) as client:
            answers = []
            for path in paths:
                response = await client.get(path, headers=headers)
                answers.append((response.status, await response.json()))
            return answers

    return asyncio.run(run())


def test_summary_counts_every_mark_and_lists_the_types(timeline: Timeline) -> None:
    [(status, summary)] = ask(timeline, "/api/summary")
    assert status == 200
    assert summary["total"] == 10
    assert {mark: count for mark, count in summary["marks"].items() if count} == {
        "gap": 1, "reset": 1, "duplicate": 1, "rejected": 1, "unknown type": 1
    }  # fmt: skip
    assert {"anomaly", "unknown field", "time backwards"} <= set(summary["marks"])
    assert {"tag_new", "object_new", "object_modify", "tag_modify"} <= set(summary["types"])


def test_timeline_pages_forward_and_backward_without_overlap(timeline: Timeline) -> None:
    answers = ask(
        timeline,
        "/api/timeline?limit=4",
        "/api/timeline?offset=4&limit=4",
        "/api/timeline?offset=8&limit=4",
        "/api/timeline?before=8&limit=3",
    )
    first, second, third, back = (answer for _, answer in answers)
    indexes = [e["index"] for page in (first, second, third) for e in page["entries"]]
    assert indexes == list(range(10))
    assert (first["next"], second["next"], third["next"]) == (4, 8, None)
    assert first["previous"] is None and second["previous"] == 4
    assert [e["index"] for e in back["entries"]] == [5, 6, 7]
    assert back["previous"] == 5 and back["next"] == 8


def test_timeline_entries_carry_their_marks(timeline: Timeline) -> None:
    [(_, page)] = ask(timeline, "/api/timeline")
    marks = {e["index"]: e["marks"] for e in page["entries"] if e["marks"]}
    assert marks == {
        4: ["rejected"], 5: ["gap"], 6: ["unknown type"], 7: ["duplicate"], 8: ["reset"]
    }  # fmt: skip
    assert "type" not in page["entries"][4] and page["entries"][4]["line"] == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=object_*", [1, 2, 3, 5, 7, 9]),
        ("type=tag_modify", [8]),
        (f"entity={CONTACT.upper()}", [1, 3]),
        (f"path={DESCRIPTION}", [1, 3]),
        (f"type=object_new&path={DESCRIPTION}", [1]),
        ("type=nothing_like_it", []),
    ],
)
def test_timeline_filters(timeline: Timeline, query: str, expected: list[int]) -> None:
    [(status, page)] = ask(timeline, f"/api/timeline?{query}")
    assert status == 200, page
    assert [e["index"] for e in page["entries"]] == expected
    assert page["next"] is None


def test_step_gives_the_mirror_after_the_event_and_what_it_changed(timeline: Timeline) -> None:
    [(status, step)] = ask(timeline, "/api/step/3")
    assert status == 200
    assert step["entry"]["type"] == "object_modify"
    assert step["mirror"]["objects"][CONTACT]["description"] == "Hans Mustermann"
    assert step["changes"] == [
        {"path": DESCRIPTION, "kind": "changed", "old": "Hans", "new": "Hans Mustermann"}
    ]


def test_blame_names_the_event_that_last_set_the_value(timeline: Timeline) -> None:
    answers = ask(
        timeline,
        f"/api/blame?index=9&pointer={DESCRIPTION}",
        f"/api/blame?index=2&pointer={DESCRIPTION}",
    )
    (status, late), (_, early) = answers
    assert status == 200
    assert (late["entry"]["index"], late["entry"]["id"]) == (3, 3)
    assert early["entry"]["index"] == 1


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("/api/step/10", 400, "index: expected 0..9, got 10"),
        ("/api/step/-1", 400, "index: expected 0..9, got -1"),
        ("/api/step/three", 400, "index: expected a whole number, got 'three'"),
        ("/api/blame?index=3", 400, "pointer: missing"),
        ("/api/blame?pointer=/objects", 400, "index: missing"),
        ("/api/blame?index=3&pointer=objects", 400, "pointer: expected a JSON Pointer"),
        ("/api/blame?index=3&pointer=/a~2b", 400, "pointer: expected a JSON Pointer"),
        ("/api/timeline?limit=0", 400, "limit: expected 1..1000, got 0"),
        ("/api/timeline?limit=1001", 400, "limit: expected 1..1000, got 1001"),
        ("/api/timeline?offset=11", 400, "offset: past the end"),
        ("/api/timeline?offset=x", 400, "offset: expected a whole number, got 'x'"),
        ("/api/timeline?before=-2", 400, "before: expected a number >= 0, got -2"),
        ("/api/timeline?path=description", 400, "pointer: expected a JSON Pointer"),
        ("/api/nothing", 404, "no such address: /api/nothing"),
    ],
)
def test_bad_questions_get_a_reason(
    timeline: Timeline, path: str, status: int, reason: str
) -> None:
    [(got, answer)] = ask(timeline, path)
    assert got == status
    assert answer["error"].startswith(reason), answer


def test_a_foreign_host_name_is_refused(timeline: Timeline) -> None:
    [(status, answer)] = ask(timeline, "/api/summary", headers={"Host": "evil.example:8000"})
    assert status == 403
    assert "not this machine" in answer["error"]


def test_the_page_and_its_files_are_served(timeline: Timeline) -> None:
    async def run() -> list[tuple[int, str, str]]:
        async with TestClient(TestServer(make_app(timeline, "marks.jsonl"))) as client:
            found = []
            for path in ("/", "/static/inspect.js", "/static/inspect.css"):
                response = await client.get(path)
                found.append((response.status, response.content_type, await response.text()))
            return found

    page, script, style = asyncio.run(run())
    assert page[:2] == (200, "text/html") and 'data-testid="timeline"' in page[2]
    assert script[:2] == (200, "text/javascript") and "/api/step/" in script[2]
    assert style[:2] == (200, "text/css")
