"""The test helpers that compare a fold with the simulator's view."""

from __future__ import annotations

import pytest

import reducers
from tests.support import assert_same_state, empty_form


def test_assert_same_state_passes_on_the_same_form() -> None:
    assert_same_state(reducers.empty("me"), empty_form(), 0)


def test_assert_same_state_names_each_differing_path() -> None:
    mirror = reducers.empty("me")
    view = {**empty_form(), "tags": {"t": {}}, "user_metadata": {"k": None}}
    with pytest.raises(AssertionError) as raised:
        assert_same_state(mirror, view, 0, "s1")
    assert str(raised.value) == (
        "s1 differs from the view:\n"
        "  /tags/t: only in the view: {}\n"
        "  /user_metadata/k: only in the view: None"
    )
