"""Faults staged per session, over real sockets: the transport kinds spoil one answer, the
stream kinds renumber what the client sees for good, and a client that polls with its last
id + 1 keeps working and agrees with the oracle."""

from __future__ import annotations

import concurrent.futures
import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

import reducers
from eventmirror.serve.world import Served

from .conftest import Server, start
from .test_serve import poll, share_a_tag


def raw_poll(server: Server, sid: str, next_id: int) -> tuple[int, bytes]:
    return raw_get(f"{server.url}/api/event?next={next_id}&timeout=0&sid={sid}")


def ids(events: list[dict[str, Any]]) -> list[int]:
    return [event["id"] for event in events]


def stage(server: Server, sid: str, *faults: dict[str, Any]) -> list[dict[str, Any]]:
    status, shown = server.control(f"sessions/{sid}/faults", {"faults": list(faults)})
    assert status == 200, shown
    assert isinstance(shown, list)
    return shown


def test_each_transport_fault_fires_once_on_the_poll_that_carries_its_event(
    server: Server,
) -> None:
    sid = server.log_in("ben")
    shown = stage(
        server,
        sid,
        {"kind": "error", "at": 0},
        {"kind": "truncate", "at": 1},
        {"kind": "malform", "at": 3},
        {"kind": "delay", "at": 4, "seconds": 0.2},
    )
    assert [f["spent"] for f in shown] == [False] * 4
    for _ in range(5):
        share_a_tag(server)

    status, body = raw_poll(server, sid, 0)
    assert status == 503 and b"injected fault: error at event 0" in body
    status, body = raw_poll(server, sid, 0)  # carries 1: truncated
    assert status == 200 and len(body) > 0
    with pytest.raises(ValueError):
        json.loads(body)
    with pytest.raises(ValueError):
        json.loads(raw_poll(server, sid, 0)[1])  # carries 3: malformed
    began = time.monotonic()
    assert ids(json.loads(raw_poll(server, sid, 4)[1])) == [4]
    assert time.monotonic() - began >= 0.2
    # All spent: the stream as it is.
    assert ids(poll(server, sid, 0)) == [0, 1, 2, 3, 4]
    _, shown = server.control(f"sessions/{sid}/faults", method="GET")
    assert [(f["spent"], f["fired"]) for f in shown] == [(True, 1)] * 4


def test_a_poll_waiting_while_faults_are_staged_meets_them(server: Server) -> None:
    sid = server.log_in("ben")
    url = f"{server.url}/api/event?next=0&timeout=5&sid={sid}"
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(raw_get, url)
        time.sleep(0.2)  # the poll is waiting, with no faults yet
        stage(server, sid, {"kind": "error", "at": 0})
        share_a_tag(server)
        assert waiting.result(timeout=10)[0] == 503


def raw_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as failed:
        return failed.code, failed.read()


def test_stream_faults_renumber_every_answer_and_next_counts_in_the_clients_ids(
    server: Server,
) -> None:
    sid = server.log_in("ben")
    stage(
        server,
        sid,
        {"kind": "duplicate", "at": 1},
        {"kind": "gap", "at": 2, "size": 5},
        {"kind": "reset", "at": 4},
    )
    for _ in range(6):
        share_a_tag(server)
    whole = poll(server, sid, 0)
    assert ids(whole) == [0, 1, 1, 7, 8, 0, 1]
    # The restart has been sent: next is read after it, in the ids the client sees now, as
    # a restarted server would read it.
    assert ids(poll(server, sid, 0)) == [0, 1]
    assert ids(poll(server, sid, 1)) == [1]
    assert poll(server, sid, 2, timeout=0) == []
    share_a_tag(server)
    assert ids(poll(server, sid, 2)) == [2]
    status, session = server.call("GET", f"/api/session?sid={sid}")
    assert (status, session["next"]) == (200, 3)
    status, oracle = server.control(f"sessions/{sid}/mirror", method="GET")
    assert status == 200
    health = oracle["stream"]
    assert (health["duplicates"], health["gaps"], health["reset_count"]) == (1, [[2, 6]], 1)


def test_before_the_reset_is_sent_next_is_read_in_the_old_ids(server: Server) -> None:
    sid = server.log_in("ben")
    stage(server, sid, {"kind": "reset", "at": 3})
    for _ in range(3):
        share_a_tag(server)
    assert ids(poll(server, sid, 0)) == [0, 1, 2]
    for _ in range(4):
        share_a_tag(server)
    # next=3 is the old numbering's 3: the restart is sent from its first event.
    assert ids(poll(server, sid, 3)) == [0, 1, 2, 3]
    # From now on next is read after the restart.
    assert ids(poll(server, sid, 3)) == [3]
    assert poll(server, sid, 4, timeout=0) == []


def test_the_next_a_session_reports_is_in_the_clients_ids_and_past_a_restart(
    server: Server,
) -> None:
    sid = server.log_in("ben")
    stage(server, sid, {"kind": "gap", "at": 1, "size": 10}, {"kind": "reset", "at": 3})
    for _ in range(5):
        share_a_tag(server)
    status, session = server.call("GET", f"/api/session?sid={sid}")
    assert (status, session["next"]) == (200, 2)  # ids 0, 11, 12, 0, 1
    share_a_tag(server)
    assert ids(poll(server, sid, session["next"])) == [2]


def test_a_resend_sends_the_status_again_with_the_next_id(server: Server) -> None:
    sid = server.log_in("anna")
    status, answer = server.control(
        "commands/objects.create", {"as": "anna", "with": {"type": "conference"}}
    )
    assert status == 200
    conference = answer["result"]
    before = len(poll(server, sid))
    stage(server, sid, {"kind": "resend", "at": before})
    share_a_tag(server)
    status, _ = server.call("GET", f"/api/conference/{conference}/event?sid={sid}")
    assert status == 200
    received = poll(server, sid, before)
    assert [(e["id"], e["event"]) for e in received] == [
        (before, "tag_new"),
        (before + 1, "conference_status"),
        (before + 2, "conference_status"),
    ]
    assert {**received[1], "id": 0} == {**received[2], "id": 0}
    _, shown = server.control(f"sessions/{sid}/faults", method="GET")
    assert shown == [{"kind": "resend", "at": before, "fired": 1, "spent": True}]


def test_a_stream_fault_for_an_event_sent_already_is_refused(server: Server) -> None:
    sid = server.log_in("ben")
    share_a_tag(server)
    status, answer = server.control(
        f"sessions/{sid}/faults", {"faults": [{"kind": "reset", "at": 5}, {"kind": "gap", "at": 0}]}
    )
    assert status == 409 and "event 0 was sent already" in answer["error"]
    _, shown = server.control(f"sessions/{sid}/faults", method="GET")
    assert shown == []


@pytest.mark.parametrize(
    ("staged", "says"),
    [
        ([{"kind": "duplicat", "at": 0}], "did you mean 'duplicate'"),
        ([{"kind": "error", "at": -1}], "faults[0].at"),
        ([{"kind": "delay", "at": 0, "seconds": 31}], "0..30"),
        ([{"kind": "error", "at": 0, "seconds": 1}], "only a delay"),
        ([{"kind": "gap", "probability": 2}], "0..1"),
        ({"kind": "error"}, "expected a list"),
    ],
)
def test_a_wrong_fault_is_refused_with_what_is_wrong(
    server: Server, staged: Any, says: str
) -> None:
    sid = server.log_in("ben")
    status, answer = server.control(f"sessions/{sid}/faults", {"faults": staged})
    assert status == 400 and says in answer["error"], answer


class PollingClient:
    """A client as the reference asks: it polls with its last id + 1, skips an id it has,
    notes a gap or a restart, and retries an answer it cannot read."""

    def __init__(self, server: Server, sid: str) -> None:
        self.server, self.sid = server, sid
        self.next = 0
        self.last: int | None = None
        self.events: list[dict[str, Any]] = []
        self.retries = 0

    def poll(self) -> None:
        while True:
            status, body = raw_poll(self.server, self.sid, self.next)
            try:
                received = json.loads(body)
            except ValueError:
                received = None
            if status == 200 and isinstance(received, list):
                break
            self.retries += 1
        for event in received:
            restart = event["id"] == 0 and (self.last or 0) > 0
            if self.last is not None and event["id"] <= self.last and not restart:
                continue  # a duplicate
            self.events.append(event)
            self.last, self.next = event["id"], event["id"] + 1

    def state(self) -> dict[str, Any]:
        mirror = reducers.fold(self.events, me=self.server.served.world.users["ben"])
        return {"tags": reducers.to_json(mirror)["tags"]}


def run_a_day(server: Server, faults: list[dict[str, Any]]) -> tuple[PollingClient, list[Any]]:
    """Ben's client polls while anna shares, changes and deletes tags; the answers' bytes."""
    sid = server.log_in("ben")
    stage(server, sid, *faults)
    client = PollingClient(server, sid)
    bodies = []
    for round_ in range(12):
        tag = share_a_tag(server)
        if round_ % 3 == 1:
            server.control(
                "commands/tags.modify", {"as": "anna", "with": {"tag": tag, "label": f"L{round_}"}}
            )
        if round_ % 4 == 3:
            server.control("commands/tags.delete", {"as": "anna", "with": {"tag": tag}})
        client.poll()
        bodies.append(raw_poll(server, sid, 0))
    return client, bodies


PROBABLE = [
    {"kind": "duplicate", "probability": 0.3},
    {"kind": "gap", "probability": 0.2, "size": 2},
    {"kind": "reset", "probability": 0.1},
    {"kind": "error", "probability": 0.2},
    {"kind": "truncate", "probability": 0.1},
    {"kind": "malform", "probability": 0.1},
]


@pytest.mark.parametrize(
    "faults",
    [
        [{"kind": "gap", "at": 3}, {"kind": "reset", "at": 9}, {"kind": "duplicate", "at": 12}],
        PROBABLE,
    ],
    ids=["at ids", "with probabilities"],
)
def test_a_python_client_survives_the_faults_and_agrees_with_the_oracle(
    server: Server, faults: list[dict[str, Any]]
) -> None:
    client, _ = run_a_day(server, faults)
    status, verdict = server.control(f"sessions/{client.sid}/client-state", client.state())
    assert (status, verdict) == (200, {"agrees": True, "disagreements": []})
    _, shown = server.control(f"sessions/{client.sid}/faults", method="GET")
    assert all(fault["fired"] for fault in shown), shown  # each kind was exercised


def test_the_same_seed_and_requests_give_the_same_bytes_and_another_seed_does_not() -> None:
    def day(seed: int) -> list[Any]:
        running = start(Served.new(("anna", "ben", "cara"), seed=seed))
        server = next(running)
        try:
            client, bodies = run_a_day(server, PROBABLE)
        finally:
            next(running, None)  # stops the server
        return [*bodies, client.retries]

    first = day(7)
    assert first == day(7)
    assert first != day(8)
