"""The JSON endpoints, through a real aiohttp client: answers, paging, and bad questions."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from eventmirror.inspect.app import make_app
from eventmirror.inspect.source import Timeline, open_timeline

from .conftest import CONTACT, DESCRIPTION, FAX, ME

Call = Callable[[str], Awaitable[tuple[int, Any]]]


@pytest.fixture(scope="module")
def timeline(recording: Path) -> Timeline:
    return open_timeline(str(recording), every=4, me=ME)


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


def test_filtered_pages_continue_where_the_last_one_stopped(timeline: Timeline) -> None:
    answers = ask(
        timeline,
        "/api/timeline?type=object_*&limit=2",
        "/api/timeline?type=object_*&limit=2&offset=3",
        "/api/timeline?type=object_*&limit=2&before=9",
        "/api/timeline?type=object_*&limit=2&before=4",
        "/api/timeline?type=object_*&limit=2&before=2",
    )
    pages = [(
        [e["index"] for e in page["entries"]], page["previous"], page["next"]
    ) for _, page in answers]  # fmt: skip
    assert pages == [
        ([1, 2], None, 3),
        ([3, 5], 3, 7),
        ([5, 7], 4, 9),
        ([2, 3], 2, 4),
        ([1], None, 2),
    ]


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


def test_step_gives_what_the_event_changed_and_the_way_down_to_it(timeline: Timeline) -> None:
    [(status, step)] = ask(timeline, "/api/step/3")
    assert status == 200
    assert step["entry"]["type"] == "object_modify"
    assert step["changes"] == [
        {"path": DESCRIPTION, "kind": "changed", "old": "Hans", "new": "Hans Mustermann"}
    ]
    tree = step["tree"]
    sections = {child["key"]: child for child in tree["children"]}
    assert sections["objects"] == {"key": "objects", "size": 2}
    assert sections["tags"] == {"key": "tags", "size": 1}
    # Only the way down to the change is listed; the fax is left for /api/node.
    assert tree["open"] == {
        "/objects": {"size": 2, "children": [{"key": CONTACT, "size": 7}]},
        f"/objects/{CONTACT}": {
            "size": 7, "children": [{"key": "description", "value": "Hans Mustermann"}]
        },
    }  # fmt: skip


def test_node_lists_children_a_page_at_a_time(timeline: Timeline) -> None:
    answers = ask(
        timeline,
        "/api/node?index=3&pointer=/objects&limit=1",
        "/api/node?index=3&pointer=/objects&offset=1&limit=1",
        f"/api/node?index=9&pointer=/objects/{FAX}",
    )
    (status, first), (_, second), (_, fax) = answers
    assert status == 200
    assert (first["size"], first["next"], second["next"]) == (2, 1, None)
    keys = [child["key"] for page in (first, second) for child in page["children"]]
    assert keys == sorted([CONTACT, FAX])
    fields = {child["key"]: child for child in fax["children"]}
    assert fields["description"] == {"key": "description", "value": "Offer, final"}
    assert fields["metadata"] == {"key": "metadata", "size": 0}


def test_mirror_gives_the_whole_json_form(timeline: Timeline) -> None:
    [(status, form)] = ask(timeline, "/api/mirror/9")
    assert status == 200
    assert form["objects"][FAX]["description"] == "Offer, final"
    assert form["stream"]["reset_count"] == 1


def test_blame_names_the_event_that_last_set_the_value(timeline: Timeline) -> None:
    answers = ask(
        timeline,
        f"/api/blame?index=9&pointer={DESCRIPTION}",
        f"/api/blame?index=2&pointer={DESCRIPTION}",
    )
    (status, late), (_, early) = answers
    assert status == 200
    assert (late["entry"]["index"], late["entry"]["id"]) == (3, 3)
    assert late["change"]["kind"] == "changed" and late["change"]["new"] == "Hans Mustermann"
    assert early["entry"]["index"] == 1 and early["change"]["kind"] == "added"


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("/api/step/10", 400, "index: expected 0..9, got 10"),
        ("/api/step/-1", 400, "index: expected 0..9, got -1"),
        ("/api/step/three", 400, "index: expected a whole number, got 'three'"),
        ("/api/blame?index=3", 400, "pointer: missing"),
        ("/api/blame?pointer=/objects", 400, "index: missing"),
        ("/api/blame?index=3&pointer=objects", 400, "pointer: 'objects' is not a JSON Pointer"),
        ("/api/blame?index=3&pointer=/objects/a~2b", 400, "pointer: '/objects/a~2b': '~'"),
        ("/api/blame?index=3&pointer=/objects/nothing", 400, "pointer: no key 'nothing'"),
        ("/api/node?index=3&pointer=/objects/x", 400, "pointer: '/objects/x' is not an object"),
        (f"/api/node?index=3&pointer={DESCRIPTION}", 400, "pointer: '/objects/"),
        ("/api/node?index=3&pointer=/objects&limit=501", 400, "limit: expected 1..500"),
        ("/api/node?pointer=/objects", 400, "index: missing"),
        ("/api/mirror/12", 400, "index: expected 0..9, got 12"),
        ("/api/timeline?limit=0", 400, "limit: expected 1..1000, got 0"),
        ("/api/timeline?limit=1001", 400, "limit: expected 1..1000, got 1001"),
        ("/api/timeline?offset=11", 400, "offset: past the end"),
        ("/api/timeline?offset=x", 400, "offset: expected a whole number, got 'x'"),
        ("/api/timeline?before=-2", 400, "before: expected a number >= 0, got -2"),
        ("/api/timeline?path=/objects/nothing", 400, "path: no key 'nothing' at /objects"),
        ("/api/timeline?path=description", 400, "pointer: 'description' is not a JSON Pointer"),
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


def test_docs_inspect_md_describes_every_endpoint(timeline: Timeline) -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "inspect.md").read_text("utf-8")
    app = make_app(timeline, "marks.jsonl")
    routes = {
        route.resource.canonical
        for route in app.router.routes()
        if route.resource is not None and route.resource.canonical.startswith("/api/")
    }
    assert len(routes) == 6
    missing = sorted(route for route in routes if f"`GET {route}" not in text)
    assert not missing, f"docs/inspect.md does not describe {missing}"
