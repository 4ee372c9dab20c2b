"""eventmirror serve over real sockets: log in, long-poll, control calls, the oracle."""

from __future__ import annotations

import concurrent.futures
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import reducers
from eventmirror.serve.app import MAX_BODY, ROUTES
from eventmirror.serve.world import Served

from .conftest import Server, start

POLL = 0.2


def share_a_tag(server: Server) -> str:
    status, answer = server.control(
        "commands/tags.create", {"as": "anna", "with": {"label": "Projects", "policy": {"ben": 1}}}
    )
    assert status == 200, answer
    tag: str = answer["result"]
    return tag


def poll(server: Server, sid: str, next_id: int = 0, timeout: float = 5) -> list[Any]:
    status, answer = server.call("GET", f"/api/event?next={next_id}&timeout={timeout}&sid={sid}")
    assert status == 200, answer
    assert isinstance(answer, list)
    return answer


def test_a_long_poll_returns_what_a_control_call_causes_and_the_client_agrees(
    server: Server,
) -> None:
    sid = server.log_in("ben")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(poll, server, sid)
        time.sleep(0.1)  # the poll is waiting when the tag is shared
        assert not waiting.done()
        tag = share_a_tag(server)
        received = waiting.result(timeout=5)
    assert [(e["id"], e["event"]) for e in received] == [(0, "tag_new")]
    assert received[0]["tag"] == tag

    # A client's state, folded from what it received, agrees with the oracle.
    status, oracle = server.control(f"sessions/{sid}/mirror", method="GET")
    assert status == 200 and tag in oracle["tags"]
    mirror = reducers.fold(received, me=server.served.world.users["ben"])
    state = {"tags": reducers.to_json(mirror)["tags"]}
    status, verdict = server.control(f"sessions/{sid}/client-state", state)
    assert (status, verdict) == (200, {"agrees": True, "disagreements": []})

    state["tags"][tag]["label"] = "Wrong"
    status, verdict = server.control(f"sessions/{sid}/client-state", state)
    assert status == 200 and verdict["agrees"] is False
    (found,) = verdict["disagreements"]
    assert found["path"] == f"/tags/{tag}/label"
    assert (found["kind"], found["expected"], found["reported"]) == ("differs", "Projects", "Wrong")


def test_a_long_poll_with_nothing_to_send_answers_empty_after_its_timeout(server: Server) -> None:
    sid = server.log_in("ben")
    began = time.monotonic()
    assert poll(server, sid, timeout=POLL) == []
    assert POLL <= time.monotonic() - began < POLL + 2


def test_two_readers_of_one_session_each_read_from_their_own_next(server: Server) -> None:
    sid = server.log_in("ben")
    share_a_tag(server)
    share_a_tag(server)
    first, second = poll(server, sid, 0), poll(server, sid, 1)
    assert [e["id"] for e in first] == [0, 1]
    assert [e["id"] for e in second] == [1]
    assert poll(server, sid, 2, timeout=POLL) == []


def test_the_session_id_is_read_from_a_header_a_parameter_or_the_cookie(server: Server) -> None:
    status, answer = server.call(
        "POST", "/api/session", {"email": "cara@example.com", "password": ""}
    )
    assert status == 200 and answer["server"] == server.url
    sid = answer["sid"]
    for headers, query in [
        ({"Authorization": f"Bearer {sid}"}, ""),
        ({}, f"?sid={sid}"),
        ({"Cookie": f"sid={sid}"}, ""),
    ]:
        status, found = server.call("GET", "/api/session" + query, headers=headers)
        assert status == 200 and found["username"] == "cara" and found["sid"] == sid
    status, _ = server.call("DELETE", f"/api/session?sid={sid}")
    assert status == 200
    status, answer = server.call("GET", f"/api/session?sid={sid}")
    assert status == 401 and sid in answer["error"]


def test_a_subscription_sends_the_status_to_the_calling_session(server: Server) -> None:
    sid = server.log_in("anna")
    status, answer = server.control(
        "commands/objects.create", {"as": "anna", "with": {"type": "conference"}}
    )
    assert status == 200
    conference = answer["result"]
    before = len(poll(server, sid))
    status, _ = server.call("GET", f"/api/conference/{conference}/event?sid={sid}")
    assert status == 200
    assert [e["event"] for e in poll(server, sid, before)] == ["conference_status"]
    status, answer = server.call("GET", f"/api/sensor/{conference}/event?sid={sid}")
    assert status == 409 and answer["error"]


def test_advancing_the_clock(server: Server) -> None:
    now = server.served.world.now
    assert server.control("advance", {"seconds": 60}) == (200, {"now": now + 60})


def test_every_route_is_in_the_openapi_document(server: Server) -> None:
    status, document = server.control("openapi.json", method="GET")
    assert status == 200 and document["openapi"].startswith("3.")
    for method, path, _, _ in ROUTES:
        assert method.lower() in document["paths"][path], (method, path)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "says"),
    [
        ("GET", "/api/event", None, 401, "no session"),
        ("GET", "/api/event?sid=s99", None, 401, "unknown session 's99'"),
        ("GET", "/api/event?sid=s1&next=-1", None, 400, "next must be"),
        ("GET", "/api/event?sid=s1&timeout=soon", None, 400, "timeout must be"),
        ("GET", "/api/event?sid=s1&timeout=1e9", None, 400, "at most"),
        ("POST", "/api/session", {"username": "zoe", "password": "x"}, 401, "no user 'zoe'"),
        ("POST", "/api/session", {"username": "ben"}, 400, "password"),
        ("POST", "/api/session", [1], 400, "must be a JSON object"),
        ("POST", "/_eventmirror/commands/tags.creat", {}, 404, "did you mean 'tags.create'"),
        ("POST", "/_eventmirror/commands/tags.create", {"as": "anna"}, 400, "needs 'label'"),
        (
            "POST",
            "/_eventmirror/commands/tags.create",
            {"as": "anna", "with": {"label": "x", "polcy": {}}},
            400,
            "did you mean 'policy'",
        ),
        (
            "POST",
            "/_eventmirror/commands/tags.delete",
            {"as": "anna", "with": {"tag": "x"}},
            409,
            "no tag",
        ),
        ("POST", "/_eventmirror/advance", {"seconds": -1}, 400, "seconds"),
        ("GET", "/_eventmirror/sessions/s9/mirror", None, 404, "no session 's9'"),
        ("GET", "/_eventmirror/advance", None, 405, "GET is not allowed"),
        ("PUT", "/api/event", None, 405, "PUT is not allowed"),
        ("GET", "/nowhere", None, 404, "no such path"),
    ],
)
def test_a_bad_request_gets_a_4xx_saying_what_is_wrong(
    server: Server, method: str, path: str, body: Any, status: int, says: str
) -> None:
    server.log_in("ben")  # s1
    found, answer = server.call(method, path, body)
    assert (found, says in answer.get("error", "")) == (status, True), answer


def test_malformed_and_oversized_bodies_are_refused(server: Server) -> None:
    status, answer = server.call("POST", "/api/session", raw=b'{"username": ')
    assert status == 400 and "not JSON" in answer["error"]
    status, answer = server.call("POST", "/_eventmirror/advance", raw=b" " * (MAX_BODY + 1))
    assert status == 413 and str(MAX_BODY) in answer["error"]


@pytest.fixture
def guarded() -> Iterator[Server]:
    yield from start(Served.new(("anna", "ben"), seed=1), token="secret")


def test_with_a_token_every_control_call_needs_it(guarded: Server) -> None:
    status, answer = guarded.call("GET", "/_eventmirror/users")
    assert status == 401 and "Bearer TOKEN" in answer["error"]
    status, answer = guarded.control("users", method="GET")
    assert status == 200 and set(answer) == {"anna", "ben"}
    guarded.log_in("ben")  # the platform's calls need a session, not the token


def test_the_same_requests_give_byte_identical_streams() -> None:
    streams = []
    for _ in range(2):
        for server in start(Served.new(("anna", "ben", "cara"), seed=3)):
            sid = server.log_in("ben")
            tag = share_a_tag(server)
            server.control(
                "commands/objects.create",
                {"as": "anna", "with": {"type": "contact", "tags": [tag]}},
            )
            server.control("advance", {"seconds": 5})
            _, events = server.control(f"sessions/{sid}/events", method="GET")
            streams.append(json.dumps(events).encode())
    assert streams[0] == streams[1]
    assert b"object_new" in streams[0]


def test_a_sensor_action_answers_the_uuid_its_later_event_carries(server: Server) -> None:
    sid = server.log_in("anna")
    _, answer = server.control(
        "commands/objects.create", {"as": "anna", "with": {"type": "sensor"}}
    )
    sensor = answer["result"]
    assert server.call("GET", f"/api/sensor/{sensor}/event?sid={sid}")[0] == 200
    status, answer = server.call("POST", f"/api/sensor/{sensor}/action?sid={sid}", {"point": [1]})
    assert status == 200
    action = answer["action-uuid"]
    status, journal = server.control("journal", method="GET")
    assert journal == [
        {
            "call": "sensor action",
            "sid": sid,
            "sensor": sensor,
            "body": {"point": [1]},
            "action-uuid": action,
        }
    ]
    arguments = {
        "sensor": sensor,
        "millis": 1000,
        "point": [1, None],
        "status": "ok",
        "action_uuid": action,
    }
    assert server.control("commands/sensor.action", {"with": arguments})[0] == 200
    (event,) = [e for e in poll(server, sid) if e["event"] == "sensor_action"]
    assert event["action-uuid"] == action

    other = server.log_in("ben")
    status, answer = server.call("POST", f"/api/sensor/{sensor}/action?sid={other}", {})
    assert status == 403 and "may not read" in answer["error"]
    status, answer = server.call("POST", f"/api/presentation/{sensor}/control?sid={sid}", {})
    assert status == 404 and "is a 'sensor', not a 'presentation'" in answer["error"]


def test_a_presentation_control_message_is_journaled(server: Server) -> None:
    sid = server.log_in("anna")
    _, answer = server.control(
        "commands/objects.create", {"as": "anna", "with": {"type": "presentation"}}
    )
    talk = answer["result"]
    message = {"type": "keepalive"}
    status, answer = server.call("POST", f"/api/presentation/{talk}/control?sid={sid}", message)
    assert (status, answer) == (200, {})
    _, journal = server.control("journal", method="GET")
    assert journal == [
        {"call": "presentation control", "sid": sid, "presentation": talk, "body": message}
    ]


def test_reset_goes_back_to_the_start_and_the_same_requests_give_the_same_stream(
    server: Server,
) -> None:
    def a_morning() -> tuple[str, bytes]:
        sid = server.log_in("ben")
        tag = share_a_tag(server)
        server.control(
            "commands/objects.create", {"as": "anna", "with": {"type": "contact", "tags": [tag]}}
        )
        server.control("advance", {"seconds": 5})
        _, events = server.control(f"sessions/{sid}/events", method="GET")
        return sid, json.dumps(events).encode()

    start = server.served.world.now
    sid, before = a_morning()
    assert server.control("reset") == (200, {"now": start})
    status, answer = server.call("GET", f"/api/session?sid={sid}")
    assert status == 401 and "log in again" in answer["error"]
    assert server.control(f"sessions/{sid}/events", method="GET")[0] == 404
    again_sid, again = a_morning()
    assert (again_sid, again) == (sid, before) and b"object_new" in before


def test_docs_serve_md_describes_every_route() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "serve.md").read_text(encoding="utf-8")
    missing = [f"{m} {p}" for m, p, _, _ in ROUTES if f"`{m} {p}" not in text]
    assert not missing, f"docs/serve.md does not describe {missing}"
