"""Faults staged per session fire once, on the poll that would carry their event."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventmirror.serve import faults
from eventmirror.serve.answers import encode

from .conftest import Server
from .test_serve import poll, share_a_tag


def raw_poll(server: Server, sid: str, next_id: int) -> tuple[int, bytes]:
    url = f"{server.url}/api/event?next={next_id}&timeout=0&sid={sid}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as failed:
        return failed.code, failed.read()


def test_each_fault_fires_once_on_the_poll_that_carries_its_event(server: Server) -> None:
    sid = server.log_in("ben")
    staged = [
        {"kind": "error", "at": 0},
        {"kind": "duplicate", "at": 1},
        {"kind": "truncate", "at": 2},
        {"kind": "malform", "at": 3},
        {"kind": "delay", "at": 4, "seconds": 0.2},
    ]
    status, shown = server.control(f"sessions/{sid}/faults", {"faults": staged})
    assert status == 200 and [f["spent"] for f in shown] == [False] * 5
    for _ in range(5):
        share_a_tag(server)

    status, body = raw_poll(server, sid, 0)
    assert status == 503 and b"injected fault: error at event 0" in body
    events = json.loads(raw_poll(server, sid, 0)[1])  # the duplicate at 1 fires here
    assert [e["id"] for e in events] == [0, 1, 1, 2, 3, 4]
    status, body = raw_poll(server, sid, 2)
    assert status == 200 and len(body) > 0
    with pytest.raises(ValueError):
        json.loads(body)  # truncated
    with pytest.raises(ValueError):
        json.loads(raw_poll(server, sid, 3)[1])  # malformed
    began = time.monotonic()
    assert [e["id"] for e in json.loads(raw_poll(server, sid, 4)[1])] == [4]
    assert time.monotonic() - began >= 0.2
    # All spent: the stream as it is.
    assert [e["id"] for e in poll(server, sid, 0)] == [0, 1, 2, 3, 4]
    _, shown = server.control(f"sessions/{sid}/faults", method="GET")
    assert all(f["spent"] for f in shown)


@pytest.mark.parametrize(
    ("staged", "says"),
    [
        ([{"kind": "duplicat", "at": 0}], "did you mean 'duplicate'"),
        ([{"kind": "error", "at": -1}], "faults[0].at"),
        ([{"kind": "delay", "at": 0, "seconds": 31}], "0..30"),
        ([{"kind": "error", "at": 0, "seconds": 1}], "only a delay"),
        ({"kind": "error"}, "expected a list"),
    ],
)
def test_a_wrong_fault_is_refused_with_what_is_wrong(
    server: Server, staged: Any, says: str
) -> None:
    sid = server.log_in("ben")
    status, answer = server.control(f"sessions/{sid}/faults", {"faults": staged})
    assert status == 400 and says in answer["error"], answer


EVENTS = st.integers(1, 6).map(lambda n: [{"id": i, "event": "tag_new"} for i in range(n)])


@given(
    events=EVENTS, kind=st.sampled_from(["duplicate", "truncate", "malform"]), at=st.integers(0, 6)
)
def test_a_spoiled_answer_differs_from_the_true_one_exactly_when_its_event_is_in_it(
    events: list[dict[str, Any]], kind: str, at: int
) -> None:
    staged = faults.parse([{"kind": kind, "at": at}])
    fault = faults.due(staged, events)
    assert (fault is not None) == (at < len(events))
    if fault is None:
        return
    assert faults.due(staged, events) is None  # spent
    status, body = faults.render(fault, events)
    assert status == 200 and body != encode(events)
    if kind == "duplicate":
        ids = [e["id"] for e in json.loads(body)]
        assert sorted(set(ids)) == ids[: at + 1] + ids[at + 2 :] and ids.count(at) == 2
