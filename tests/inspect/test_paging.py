"""Paging the timeline, for any page size, position and filter: forward pages and backward
pages each give every matching entry exactly once, in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventmirror.inspect import queries
from eventmirror.inspect.source import Timeline, open_timeline

from .conftest import CONTACT, DESCRIPTION, FAX, ME

FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["object_*", "tag_*", "*modify", "nothing"]),
        "entity": st.sampled_from([CONTACT, FAX, ME]),
        "path": st.sampled_from([DESCRIPTION, "/tags", f"/objects/{FAX}"]),
    },
)


@pytest.fixture(scope="module")
def timeline(recording: Path) -> Timeline:
    return open_timeline(str(recording), every=3, me=ME)


def _page(timeline: Timeline, filters: dict[str, str], **position: int) -> dict[str, Any]:
    query = {**filters, **{name: str(value) for name, value in position.items()}}
    return queries.page(timeline, queries.parse_page(query, timeline))


@given(filters=FILTERS, limit=st.integers(1, 4), start=st.integers(0, 10))
def test_forward_and_backward_pages_cover_the_matches_once(
    timeline: Timeline, filters: dict[str, str], limit: int, start: int
) -> None:
    total = len(timeline)
    # The library's own selection of the whole recording is the oracle.
    expected = timeline.select(
        type=filters.get("type"),
        entity=filters.get("entity"),
        pointer=filters.get("path"),
        start=start,
    )
    forward: list[int] = []
    offset: int | None = start
    while offset is not None:
        answer = _page(timeline, filters, offset=offset, limit=limit)
        assert len(answer["entries"]) <= limit
        forward += [entry["index"] for entry in answer["entries"]]
        offset = answer["next"]
    assert forward == expected
    backward: list[int] = []
    before: int | None = total
    while before is not None and before > start:
        answer = _page(timeline, filters, before=before, limit=limit)
        backward[:0] = [entry["index"] for entry in answer["entries"]]
        before = answer["previous"]
    assert [index for index in backward if index >= start] == expected
