"""The test helpers that compare a fold with the simulator's view."""

from __future__ import annotations

import pytest

import reducers
from tests.support import assert_same_state, empty_form, form_diff, tolerate_old_absent_rule


def test_form_diff_names_each_differing_path() -> None:
    folded = {"tags": {"t": {"label": "a", "policy": {"u": 1}}}, "calls": {"c": {"dtmf": [1, 2]}}}
    view = {"tags": {"t": {"label": "b", "policy": {}}}, "calls": {"c": {"dtmf": [1, 3]}}}
    assert form_diff(folded, view) == [
        "calls.c.dtmf[1]: fold 2 != view 3",
        "tags.t.label: fold 'a' != view 'b'",
        "tags.t.policy.u: only in the fold: 1",
    ]
    assert form_diff({"x": [1]}, {"x": [1, 2]}) == ["x: fold [1] != view [1, 2]"]
    assert form_diff(view, view) == []


def test_tolerance_reads_the_fold_by_the_absent_rule_but_keeps_metadata_values() -> None:
    folded = {
        "chats": {"c": {"description": None, "member": [], "user": {"u": {"typing": None}}}},
        "user_metadata": {"k": None},
        "objects": {"o": {"description": None, "metadata": {"k": None}}},
        "sensors": {"s": {"action": {"1": [1, None]}}},
        "calls": {"c": {"status": "ringing", "bridge": None}},
    }
    assert tolerate_old_absent_rule(folded) == {
        "chats": {"c": {"member": [], "user": {"u": {}}}},
        "user_metadata": {"k": None},
        "objects": {"o": {"metadata": {"k": None}}},
        "sensors": {"s": {"action": {"1": [1, None]}}},
        "calls": {"c": {"status": "ringing", "dtmf": []}},
    }


def test_assert_same_state_lists_the_differences() -> None:
    mirror = reducers.empty("me")
    assert_same_state(mirror, empty_form(), 0)
    with pytest.raises(AssertionError, match=r"s1 differs from the view:\n  tags.t: only in"):
        assert_same_state(mirror, {**empty_form(), "tags": {"t": {}}}, 0, "s1")
