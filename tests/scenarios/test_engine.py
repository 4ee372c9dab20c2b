"""Running scenarios: delivery, clocks, sessions, checks and the reports of failures."""

from __future__ import annotations

from pathlib import Path

import scenarios
from scenarios import Outcome

HEAD = "name: s\nusers: [anna, ben]\nsteps:\n"
TAG = "  - do: tags.create\n    as: anna\n    with: {label: P, policy: {ben: 1}}\n    save: p\n"


def modify(label: str, *, at: int | None = None) -> str:
    """A raw tag_modify event, with an id if ``at`` is given."""
    event_id = "" if at is None else f"id: {at}, "
    return (
        f"  - deliver: {{{event_id}event: tag_modify, tag: $p, owner: $anna, label: {label}, "
        "foreign_use: false, policy: {$anna: 4, $ben: 1}}\n    to: ben\n"
    )


def outcome(steps: str, head: str = HEAD) -> Outcome:
    (scenario,) = scenarios.loads(head + steps, "x.scenario.yaml")
    return scenarios.run(scenario)


def passes(steps: str, head: str = HEAD) -> None:
    result = outcome(steps, head)
    assert result.passed, scenarios.render_outcome(result)


def report(steps: str, head: str = HEAD) -> str:
    result = outcome(steps, head)
    assert not result.passed
    return scenarios.render_outcome(result)


def test_a_command_reaches_the_sessions_the_reference_names() -> None:
    passes(
        TAG
        + "  - expect_events: ben\n    events: [{event: tag_new, tag: $p, label: P, id: 0}]\n"
        + "  - expect_events: anna\n    events: [{event: tag_new, tag: $p}]\n"
        + "  - expect: ben\n    mirror: {tags: {$p: {label: P, owner: $anna}}}\n"
    )


def test_events_are_checked_since_the_last_check_and_an_empty_list_means_none() -> None:
    passes(
        TAG + "  - expect_events: ben\n    events: [{}]\n  - expect_events: ben\n    events: []\n"
    )
    text = report(TAG + "  - expect_events: ben\n    events: []\n")
    assert "received 1 event since the last check; the step expects 0" in text
    assert "X   0  (nothing)" in text and "tag_new" in text


def test_a_delivered_event_without_an_id_continues_the_sessions_numbering() -> None:
    passes(
        TAG
        + modify("Q")
        + "  - do: tags.modify\n    as: anna\n    with: {tag: $p, label: R}\n"
        + "  - expect_events: ben\n    events: [{id: 0}, {id: 1, label: Q}, {id: 2, label: R}]\n"
        + "  - expect: ben\n    mirror: {stream: {gaps: [], duplicates: 0, applied: 3}}\n"
    )


def test_explicit_ids_make_gaps_duplicates_and_resets() -> None:
    passes(
        TAG
        + modify("Q", at=5)
        + modify("X", at=5)
        + modify("Z", at=0)
        + "  - expect: ben\n    mirror:\n"
        + "      tags: {$p: {label: Z}}\n"
        + "      stream: {gaps: [[1, 4]], missing: 4, duplicates: 1, reset_count: 1}\n"
        + "  - expect: ben\n    mirror: {stream: {resync: true}}\n"
    )


def test_a_raw_line_that_is_not_an_event_is_an_anomaly_and_shown_as_text() -> None:
    passes(
        '  - deliver: \'{"id": 0, "event": \'\n    to: ben\n'
        + "  - expect: ben\n    mirror: {stream: {rejected: 1, anomalies: [!any ]}}\n"
        + "  - expect_events: ben\n    events: [!regex '^.\"id\": 0, ']\n"
    )
    text = report("  - deliver: 'garbage'\n    to: ben\n  - expect_events: ben\n    events: [{}]\n")
    assert "(not an event) garbage" in text


def test_advance_moves_every_mirrors_clock() -> None:
    passes(
        "  - advance: 90\n" + "  - expect: ben\n    mirror: {stream: {now: 1773734490}}\n",
        head="name: s\nusers: [anna, ben]\nstart: 1773734400\nsteps:\n",
    )


def test_a_session_opened_later_starts_from_the_initial_fetch() -> None:
    passes(
        TAG
        + "  - open: ben-tablet\n    user: ben\n"
        + "  - expect: ben-tablet\n    mirror: {tags: {$p: {label: P}}}\n"
        + "  - expect_events: ben-tablet\n    events: []\n"
        + "  - do: tags.modify\n    as: anna\n    with: {tag: $p, label: Q}\n"
        + "  - expect_events: ben-tablet\n    events: [{event: tag_modify, label: Q, id: 0}]\n"
    )


def test_refused_passes_only_on_that_refusal() -> None:
    delete = "  - do: tags.delete\n    as: ben\n    with: {tag: $p}\n"
    passes(TAG + delete + "    refused: owner\n")
    assert "expected a refusal saying 'nonsense'" in report(
        TAG + delete + "    refused: nonsense\n"
    )
    own = "  - do: tags.delete\n    as: anna\n    with: {tag: $p}\n    refused: owner\n"
    assert "was carried out, but the step expects a refusal" in report(TAG + own)


def test_an_unexpected_refusal_fails_the_step_with_the_simulators_reason() -> None:
    text = report(TAG + "  - do: tags.delete\n    as: ben\n    with: {tag: $p}\n")
    assert "x.scenario.yaml:8: scenario 's', step 2 (do: tags.delete) failed" in text
    assert "the simulator refused tags.delete" in text


def test_arguments_of_the_wrong_type_fail_the_step_not_the_run() -> None:
    text = report("  - do: tags.create\n    as: anna\n    with: {label: P, policy: 3}\n")
    assert "step 1 (do: tags.create) failed" in text


def test_saving_what_a_command_does_not_return_fails_clearly() -> None:
    text = report(TAG + "  - do: tags.delete\n    as: anna\n    with: {tag: $p}\n    save: q\n")
    assert "creates nothing to save as 'q'" in text


def test_a_failed_expectation_shows_paths_and_values_by_name() -> None:
    text = report(TAG + "  - expect: ben\n    mirror: {tags: {$p: {label: Q, owner: $ben}}}\n")
    assert "as written:  {expect: ben, mirror: {tags: {$p: {label: Q, owner: $ben}}}}" in text
    assert "as resolved: {expect: ben, mirror: {tags: {" in text
    assert "tags.$p.label\n      expected: Q\n      actual:   P" in text
    assert "tags.$p.owner\n      expected: $ben\n      actual:   $anna" in text


def test_strict_expectations_list_what_was_not_expected() -> None:
    text = report(TAG + "  - expect: ben\n    mirror: {tags: {$p: {label: P}}}\n    strict: true\n")
    assert "tags.$p.owner  (not expected: the match is strict)" in text


def test_a_misspelt_field_in_an_expectation_gets_a_did_you_mean() -> None:
    text = report(TAG + "  - expect: ben\n    mirror: {tags: {$p: {lable: P}}}\n")
    assert "tags.$p.lable  (not there; did you mean 'label'?)" in text
    assert "      expected: P\n      actual:   (not there)" in text


def test_a_missing_entity_or_far_off_key_gets_no_did_you_mean() -> None:
    text = report(TAG + "  - expect: ben\n    mirror: {tags: {$p: {zzz: 1}, $ben: {}}}\n")
    assert "did you mean" not in text
    assert "tags.$p.zzz\n" in text and "tags.$ben\n" in text


def test_replay_feeds_a_recording_into_a_session(tmp_path: Path) -> None:
    (tmp_path / "r.jsonl").write_text(
        '{"id": 7, "event": "user_modify", "time": 100}\n'
        '{"id": 8, "event": "phone_modify", "time": 101}\n'
    )
    path = tmp_path / "r.scenario.yaml"
    path.write_text(
        HEAD
        + "  - replay: r.jsonl\n    to: ben\n"
        + "  - expect_events: ben\n    events: [{id: 7, event: user_modify}, {id: 8}]\n"
        + "  - expect: ben\n    mirror: {stream: {last_id: 8, applied: 2}, stale: !any }\n"
    )
    (scenario,) = scenarios.load(path)
    result = scenarios.run(scenario)
    assert result.passed, scenarios.render_outcome(result)


def test_produced_counts_simulator_events_not_deliveries() -> None:
    result = outcome(TAG + "  - deliver: {event: user_modify}\n    to: ben\n")
    assert result.passed and result.produced == {"tag_new"}


def test_the_same_scenario_gives_the_same_uuids_and_report_every_time() -> None:
    steps = TAG + "  - expect: ben\n    mirror: {tags: {$p: {label: Q}}}\n"
    first, second = outcome(steps), outcome(steps)
    assert first.names == second.names
    assert scenarios.render_outcome(first) == scenarios.render_outcome(second)
    assert outcome(steps, head=HEAD.replace("steps:", "seed: 1\nsteps:")).names != first.names


def test_names_inside_a_text_resolve_and_show_by_name() -> None:
    invite = "  - do: user.invite\n    as: anna\n    with: {user: ben}\n"
    passes(invite + "  - expect: anna\n    mirror: {invitations: {$anna -> $ben: !any }}\n")
    text = report(invite + "  - expect: anna\n    mirror: {invitations: {$ben -> $anna: !any }}\n")
    assert "invitations.$ben -> $anna" in text


def test_a_dollar_sign_is_written_twice() -> None:
    passes(
        "  - do: tags.create\n    as: anna\n    with: {label: costs $$5}\n    save: t\n"
        + "  - expect: anna\n    mirror: {tags: {$t: {label: costs $$5}}}\n"
    )
