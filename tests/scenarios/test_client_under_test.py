"""A client under test beside every session: same bodies, the clock, a check after every step,
expect_client, and reports that show what the client received and where it disagrees."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

import scenarios
from scenarios import Outcome
from scenarios.cli import library
from scenarios.client import ClientSession, Factory
from scenarios.yamlload import ScenarioFileError

from .toy_clients import (
    Crashes,
    ForgetsTrashPurge,
    MirrorClient,
    NoClock,
    StreamAndTags,
    TagsOnly,
    not_a_client,
)

HEAD = "name: s\nusers: [anna, ben]\nsteps:\n"
TAG = "  - do: tags.create\n    as: anna\n    with: {label: P, policy: {ben: 1}}\n    save: p\n"
RELABEL = "  - do: tags.modify\n    as: anna\n    with: {tag: $p, label: Q}\n"


def outcome(steps: str, client: Factory | None, head: str = HEAD) -> Outcome:
    (scenario,) = scenarios.loads(head + steps, "x.scenario.yaml")
    return scenarios.run(scenario, client)


def report(steps: str, client: Factory | None, head: str = HEAD) -> str:
    result = outcome(steps, client, head)
    assert not result.passed
    return scenarios.render_outcome(result)


def library_outcomes(client: Factory) -> list[Outcome]:
    return [
        scenarios.run(scenario, client)
        for path in sorted(library().glob("*.scenario.yaml"))
        for scenario in scenarios.load(path)
    ]


@pytest.mark.parametrize("client", [MirrorClient, StreamAndTags])
def test_a_correct_client_agrees_after_every_step_of_the_library(client: Factory) -> None:
    # Gaps, duplicates, resets, raw lines, timers, sessions opened late: all of it.
    for result in library_outcomes(client):
        assert result.passed, scenarios.render_outcome(result)


def test_the_library_delivers_every_event_type_to_clients() -> None:
    from eventmirror.events import EVENT_TYPES

    delivered = set().union(*(result.delivered for result in library_outcomes(MirrorClient)))
    assert set(EVENT_TYPES) <= delivered


def test_a_disagreement_fails_the_step_it_happens_in_and_shows_what_arrived() -> None:
    failed = next(r for r in library_outcomes(ForgetsTrashPurge) if not r.passed)
    text = scenarios.render_outcome(failed)
    # The purge itself fails, not a later expect step.
    assert "step 10 (do: objects.purge_trash) failed" in text
    assert "the client of session anna disagrees with the mirror at 5 paths" in text
    assert "received in this step (1 body, 1 event):" in text
    assert "       1    0  {id: 4, event: trash_purge, time: 1773734400}" in text
    assert (
        "    objects.$old  (the mirror has none)\n"
        "      mirror:   (not there)\n"
        "      client:   {comments: {}, description: Old contact" in text
    )


def test_the_client_is_told_the_clock() -> None:
    steps = TAG + "  - advance: 30\n"
    assert outcome(steps, MirrorClient).passed
    text = report(steps, NoClock)
    assert "step 2 (advance: 30) failed" in text
    assert "the client of session anna received no events in this step" in text
    assert "    stream.now\n      mirror:   1773734430\n      client:   1773734400" in text


class WrongOnce(MirrorClient):
    """Reports a tag that does not exist, once: at its third state()."""

    calls = 0

    def state(self) -> Mapping[str, Any]:
        self.calls += 1
        form = dict(super().state())
        if self.calls == 3:
            form["tags"] = {**form["tags"], "no-such-tag": {"label": "X"}}
        return form


def test_every_step_is_checked_not_only_the_last() -> None:
    # anna's client is asked at steps 1, 2, 3: the third, an advance, is where it is wrong.
    text = report(TAG + RELABEL + "  - advance: 5\n  - advance: 5\n", WrongOnce)
    assert "step 3 (advance: 5) failed" in text
    assert "    tags.no-such-tag  (the mirror has none)" in text


def test_a_client_told_nothing_is_not_asked_again() -> None:
    asked: list[str] = []

    class Counting(MirrorClient):
        def state(self) -> Mapping[str, Any]:
            asked.append(self.session.name)
            return super().state()

    steps = TAG + "  - expect_events: ben\n    events: [{}]\n  - advance: 5\n"
    assert outcome(steps, Counting).passed
    # Step 1 tells both sessions of the tag; step 2 tells nobody anything; step 3 the clock.
    assert asked == ["anna", "ben", "anna", "ben"]


def test_a_client_that_crashes_or_is_no_client_fails_with_what_it_did() -> None:
    text = report(TAG, Crashes)
    assert "the client of session anna failed: the client's receive() raised KeyError" in text
    text = report(TAG, not_a_client)
    assert "step 1 (do: tags.create) failed" in text
    assert "the factory returned int, which has no receive() and state()" in text


def test_a_client_reporting_no_mapping_fails() -> None:
    class Listing(MirrorClient):
        def state(self) -> Any:
            return [1]

    assert "state() returned list; it returns a mapping" in report(TAG, Listing)


def test_each_session_gets_its_own_client_with_its_session() -> None:
    seen: list[ClientSession] = []

    def factory(session: ClientSession) -> MirrorClient:
        seen.append(session)
        return MirrorClient(session)

    head = "name: s\nusers: [anna, ben]\nsessions: {anna-phone: anna, ben: ben}\nsteps:\n"
    result = outcome(TAG + "  - open: anna-laptop\n    user: anna\n", factory, head)
    assert result.passed, scenarios.render_outcome(result)
    assert [(s.id, s.name) for s in seen] == [("s1", "anna"), ("s2", "ben"), ("s3", "anna")]
    assert seen[0].user == result.names["anna"] == seen[2].user


EXPECT_CLIENT = "  - expect_client: ben\n    state:\n      tags: {$p: {label: Q, owner: $anna}}\n"


def test_expect_client_checks_the_clients_state_with_the_matchers_of_expect() -> None:
    assert outcome(TAG + RELABEL + EXPECT_CLIENT, MirrorClient).passed
    strict = "  - expect_client: ben\n    strict: true\n    state: {tags: {$p: {label: Q}}}\n"
    text = report(TAG + RELABEL + strict, MirrorClient)
    assert "the state of session ben's client differs at 3 paths" in text
    assert "tags.$p.owner  (not expected: the match is strict)" in text
    text = report(TAG + EXPECT_CLIENT, MirrorClient)
    assert "    tags.$p.label\n      expected: Q\n      actual:   P" in text


def test_expect_client_without_a_client_under_test_fails_saying_so() -> None:
    text = report(TAG + RELABEL + EXPECT_CLIENT, None)
    assert "expect_client checks a client under test, and this run has none" in text


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("  - expect_client: ben\n", "needs the key 'state'"),
        (
            "  - expect_client: ben\n    state: {tag: {}}\n",
            "no section 'tag'; did you mean 'tags'?",
        ),
        ("  - expect_client: ben\n    state: [1]\n", "state is a mapping of mirror sections"),
        ("  - expect_client: cara\n    state: {}\n", "cara"),
        ("  - expect_client: ben\n    state: {tags: {$q: {}}}\n", "q"),
    ],
)
def test_expect_client_is_checked_when_the_file_loads(step: str, said: str) -> None:
    with pytest.raises(ScenarioFileError, match=said):
        scenarios.loads(HEAD + TAG + step, "x.scenario.yaml")


def test_an_event_type_counts_as_tested_only_where_it_changed_what_the_client_reports() -> None:
    # One step gives ben tag_modify and object_share in one body: a client of tags is tested
    # on tag_modify (it changed the tags it reports), not on object_share (only objects).
    steps = (
        "  - do: tags.create\n    as: anna\n    with: {label: P}\n    save: p\n"
        "  - do: objects.create\n    as: anna\n"
        "    with: {type: contact, description: Hans, tags: [$p]}\n"
        "  - do: tags.modify\n    as: anna\n    with: {tag: $p, policy: {ben: 1}}\n"
        "  - expect_events: ben\n    events: [{event: tag_modify}, {event: object_share}]\n"
    )
    tags_only = outcome(steps, TagsOnly)
    assert tags_only.passed
    assert "tag_modify" in tags_only.covered
    assert "object_share" in tags_only.delivered and "object_share" not in tags_only.covered
    assert "object_share" in outcome(steps, MirrorClient).covered
