"""schemathesis against the OpenAPI document of a live server on 127.0.0.1: every call, with
requests generated from the document (valid and invalid ones), answers a status the document
declares, with the body and the content type it declares, and never a 5xx.

The profile is short and the same on every run (derandomized, a bounded number of examples
per call). The requests reach past the first check of each call: each case runs in a session
of its own, logged in over HTTP (so a staged fault or an ended session never leaks into
another case), and its path parameters are drawn from real session ids, object UUIDs and
command names as well as from whatever the document allows.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from eventmirror.serve import app
from eventmirror.serve.answers import MAX_TIMEOUT
from eventmirror.serve.app import ROUTES
from eventmirror.serve.openapi import document
from eventmirror.serve.world import Oracle, Served
from simulator import World
from simulator.commands import catalogue

from .conftest import Server, start

#: The objects of the world served, one of each type a platform call names in its path.
OBJECT_TYPES = ("conference", "presentation", "sensor")
COMMANDS = sorted(catalogue())

#: schemathesis makes one test per operation when pytest collects, before any server is up
#: (and its fixture-based loader fails on pytest 9.2), so the document is built here from the
#: route table the server builds it from; the fixture checks the live server serves this very
#: document.
schema = schemathesis.openapi.from_dict(document(ROUTES))


def starting_world() -> tuple[World, dict[str, Oracle]]:
    world = World(seed=11)
    for user in ("anna", "ben"):
        world.add_user(user)
    for kind in OBJECT_TYPES:
        catalogue()["objects.create"].call(world, "anna", {"type": kind})
    return world, {}


#: The objects' UUIDs: the world is seeded, so every build (a reset too) has the same.
OBJECTS = list(starting_world()[0].objects.objects)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    # A poll that leaves out `timeout` would wait the default 30 s for nothing.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app, "DEFAULT_TIMEOUT", 0.0)
        for live in start(Served(starting_world)):
            with urllib.request.urlopen(live.url + "/_eventmirror/openapi.json") as answer:
                assert json.loads(answer.read()) == schema.raw_schema
            yield live


def fresh_session(server: Server) -> str:
    """A new session of anna's, with one event in its stream (a conference's status)."""
    status, answer = server.call("POST", "/api/session", {"username": "anna", "password": "x"})
    assert status == 200, answer
    sid: str = answer["sid"]
    status, answer = server.call("GET", f"/api/conference/{OBJECTS[0]}/event?sid={sid}")
    assert status == 200, answer
    return sid


@schema.given(
    real=st.booleans(),
    object_index=st.integers(0, len(OBJECT_TYPES)),
    command=st.none() | st.sampled_from(COMMANDS),
)
@schema.parametrize()
@settings(max_examples=20, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_every_call_answers_as_its_openapi_document_says(
    server: Server, case: Any, real: bool, object_index: int, command: str | None
) -> None:
    sid = fresh_session(server)
    parameters = case.path_parameters or {}
    if real and "sid" in parameters:
        parameters["sid"] = sid
    # Only a name the document allows (a string, not empty) is swapped for a real one, so a
    # case generated invalid stays invalid.
    name = case.body.get("username") if isinstance(case.body, dict) else None
    if real and isinstance(name, str) and name:
        case.body["username"] = "ben"
    if "uuid" in parameters and object_index < len(OBJECT_TYPES):
        parameters["uuid"] = OBJECTS[object_index]
    if command is not None and "name" in parameters:
        parameters["name"] = command
    check(server, case, sid)


#: Routes whose bodies the server checks beyond what their schema can say (docs/serve.md).
_CHECKED_BY_CONTENT = ("/_eventmirror/state", "/_eventmirror/steps")


def check(server: Server, case: Any, sid: str) -> None:
    """Sends the case in session ``sid`` and holds the answer to the document."""
    if case.path == "/api/event":
        # Long-polls answer at once: a timeout the server takes becomes 0 (one it refuses,
        # over the maximum, is kept).
        query = dict(case.query or {})
        given = query.get("timeout")
        if isinstance(given, (int, float)) and 0 <= given <= MAX_TIMEOUT:
            query["timeout"] = 0
        case.query = query
    # Which arguments a command takes is each command's own (`eventmirror commands`), which
    # one generic route cannot declare: a command's missing argument is a 400 the document
    # does not predict, so that route is held to every check but "valid data is accepted".
    # So are a state (a world's whole snapshot must hold together) and scenario steps (each
    # step's keys are its kind's): their validity is no JSON Schema's to say.
    beyond_a_schema = "name" in (case.path_parameters or {}) or case.path in _CHECKED_BY_CONTENT
    skipped = [positive_data_acceptance] if beyond_a_schema else []
    case.call_and_validate(
        base_url=server.url,
        headers={"Authorization": f"Bearer {sid}"},
        excluded_checks=skipped,
    )


@schema.parametrize()
@settings(max_examples=3, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_every_call_answers_boundary_values_and_wrong_methods_as_declared(
    server: Server, case: Any
) -> None:
    """schemathesis's coverage phase, which a test with extra drawn arguments leaves out:
    each parameter's boundary and invalid values, missing required parts, and methods the
    path does not take (a 405 that names the allowed ones)."""
    check(server, case, fresh_session(server))


# -- what schemathesis found, each pinned by a plain test ------------------------------------


def test_a_wrong_method_is_answered_405_naming_the_allowed_ones_in_an_allow_header(
    server: Server,
) -> None:
    request = urllib.request.Request(server.url + "/_eventmirror/users", method="DELETE")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 405
    assert refused.value.headers["Allow"] == "GET"  # RFC 9110 requires it on a 405
    assert "allowed: GET" in json.loads(refused.value.read())["error"]


def test_a_whole_number_written_with_a_point_zero_is_taken_as_json_schema_takes_it(
    server: Server,
) -> None:
    status, answer = server.control("advance", {"seconds": 0})
    assert status == 200
    status, moved = server.control("advance", {"seconds": 60.0})
    assert (status, moved) == (200, {"now": answer["now"] + 60})
    assert server.control("advance", {"seconds": 60.5})[0] == 400
    sid = fresh_session(server)
    status, staged = server.control(
        f"sessions/{sid}/faults", {"faults": [{"kind": "error", "at": 3.0}]}
    )
    assert (status, staged) == (200, [{"kind": "error", "at": 3, "fired": 0, "spent": False}])
    status, _ = server.control(f"sessions/{sid}/faults", {"faults": [{"kind": "error", "at": 3.5}]})
    assert status == 400
