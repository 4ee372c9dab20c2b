"""Whatever a client sends, the answer is JSON and never a 5xx: a 4xx says what is wrong."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from eventmirror.serve.world import Served
from scenarios import faults
from simulator.commands import catalogue

from .conftest import Server, start

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
NAMES = st.sampled_from(["anna", "ben", "zoe", "s1", "", "nobody@x"])
ARGUMENTS = st.dictionaries(
    st.sampled_from(sorted({a.name for c in catalogue().values() for a in c.arguments})),
    JSON | NAMES,
    max_size=4,
)
COMMAND_BODY = st.fixed_dictionaries({}, optional={"as": NAMES | JSON, "with": ARGUMENTS | JSON})
REQUESTS = st.one_of(
    st.tuples(
        st.just("POST"),
        st.sampled_from(sorted(catalogue())).map("/_eventmirror/commands/".__add__),
        COMMAND_BODY,
    ),
    st.tuples(
        st.just("POST"), st.just("/_eventmirror/advance"), st.fixed_dictionaries({"seconds": JSON})
    ),
    st.tuples(st.just("POST"), st.just("/_eventmirror/sessions/s1/client-state"), JSON),
    st.tuples(st.just("POST"), st.just("/api/session"), JSON),
    # Faults go to s2, which nothing polls: a staged delay never holds up the run.
    st.tuples(
        st.just("POST"),
        st.just("/_eventmirror/sessions/s2/faults"),
        st.fixed_dictionaries(
            {
                "faults": st.lists(
                    st.dictionaries(
                        st.sampled_from(["kind", "at", "probability", "size", "seconds"]),
                        JSON | st.sampled_from(faults.KINDS),
                    ),
                    max_size=2,
                )
                | JSON
            }
        ),
    ),
    st.tuples(
        st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
        st.sampled_from(
            ["/api/event", "/api/session", "/api/call/event", "/_eventmirror/users"]
        ).flatmap(
            lambda path: st.text(max_size=6).map(
                lambda q: f"{path}?sid=s1&timeout=0&next={quote(q)}"
            )
        ),
        st.none(),
    ),
)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    served = Served.new(("anna", "ben"), seed=5)
    served.log_in("ben")
    served.log_in("ben")
    yield from start(served)


@given(request=REQUESTS)
# A value a command cannot take (an unhashable list for a UUID): found by the long profile.
@example(
    (
        "POST",
        "/_eventmirror/commands/presentation.leave",
        {"as": "anna", "with": {"presentation": []}},
    )
)
def test_no_request_gets_a_server_error(server: Server, request: tuple[str, str, Any]) -> None:
    method, path, body = request
    status, answer = server.call(
        method,
        path,
        raw=json.dumps(body).encode() if body is not None else None,
    )
    assert status < 500, (status, answer)
    if status >= 400:
        assert isinstance(answer["error"], str) and answer["error"]
