"""The conformance verdicts: failed wins, passed needs a scenario that tested the client, the
rest is not covered; the report does not depend on the order scenarios ran in."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from eventmirror.events import EVENT_TYPES
from scenarios.conformance import FAILED, NOT_COVERED, PASSED, Ran, document, text, verdicts
from scenarios.rulings import RULINGS

TYPES = sorted(EVENT_TYPES)[:6]
NAMES = sorted(RULINGS)[:6]


@st.composite
def ran(draw: st.DrawFn) -> Ran:
    passed = draw(st.booleans())
    covered = draw(st.frozensets(st.sampled_from(TYPES)))
    blamed = frozenset() if passed else draw(st.frozensets(st.sampled_from(TYPES)))
    where = f"x.scenario.yaml:{draw(st.integers(1, 99))} s"
    rulings = tuple(draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3)))
    return Ran(where, passed, rulings, covered, draw(st.booleans()), blamed)


@given(st.lists(ran(), max_size=8), st.randoms())
def test_verdicts_follow_the_rule_whatever_the_order(
    runs: list[Ran], shuffler: random.Random
) -> None:
    found = verdicts(runs)
    assert list(found["rulings"]) == sorted(RULINGS)
    assert list(found["event_types"]) == sorted(EVENT_TYPES)
    for ruling, verdict in found["rulings"].items():
        showing = [r for r in runs if ruling in r.rulings]
        tested = [r for r in showing if r.passed and r.tested]
        expected = (
            FAILED if any(not r.passed for r in showing) else PASSED if tested else NOT_COVERED
        )
        assert verdict.status == expected
    for kind, verdict in found["event_types"].items():
        blamed = [r for r in runs if kind in r.blamed]
        clean = [r for r in runs if kind in r.covered and kind not in r.blamed]
        assert verdict.status == (FAILED if blamed else PASSED if clean else NOT_COVERED)
        assert verdict.passed_in == len(clean)
        assert sorted(verdict.failed_in) == sorted(r.where for r in blamed)
    shuffled = list(runs)
    shuffler.shuffle(shuffled)
    assert verdicts(shuffled) == found
    assert text("c", verdicts(shuffled)) == text("c", found)
    assert document("c", verdicts(shuffled)) == document("c", found)


def test_a_type_that_passed_somewhere_and_failed_elsewhere_failed() -> None:
    kind = TYPES[0]
    runs = [
        Ran("a:1 good", True, (NAMES[0],), frozenset({kind}), True, frozenset()),
        Ran("b:2 bad", False, (NAMES[0],), frozenset({kind}), True, frozenset({kind})),
    ]
    found = verdicts(runs)
    assert found["event_types"][kind].status == FAILED
    assert found["rulings"][NAMES[0]].status == FAILED
    assert f"    FAIL {kind}: b:2 bad\n" in text("c", found)


def test_failures_are_listed_in_file_order() -> None:
    kind = TYPES[0]
    runs = [
        Ran(where, False, (), frozenset(), False, frozenset({kind}))
        for where in ("b.yaml:3 x", "a.yaml:253 y", "a.yaml:47 z")
    ]
    assert verdicts(runs)["event_types"][kind].failed_in == (
        "a.yaml:47 z",
        "a.yaml:253 y",
        "b.yaml:3 x",
    )


def test_a_scenario_that_did_not_test_the_client_covers_nothing() -> None:
    runs = [Ran("a:1 chats", True, (NAMES[0],), frozenset(), False, frozenset())]
    found = verdicts(runs)
    assert found["rulings"][NAMES[0]].status == NOT_COVERED
    assert {v.status for v in found["event_types"].values()} == {NOT_COVERED}
