"""Matching rules that hold for every value."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scenarios.matching import ABSENT, ANY, MISSING, Regex, Unordered, compare, matches

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_every_value_matches_itself_strictly(value: Any) -> None:
    assert compare(value, value, strict=True) == []


@given(st.dictionaries(st.text(max_size=4), json_values, max_size=5), st.data())
def test_a_subset_of_keys_matches_partially_but_not_strictly(
    actual: dict[str, Any], data: st.DataObject
) -> None:
    keys = data.draw(st.sets(st.sampled_from(sorted(actual))) if actual else st.just(set()))
    expected = {key: actual[key] for key in keys}
    assert matches(expected, actual)
    assert matches(expected, actual, strict=True) == (keys == set(actual))


@given(json_values, json_values)
def test_strict_matching_implies_partial_matching(expected: Any, actual: Any) -> None:
    if matches(expected, actual, strict=True):
        assert matches(expected, actual)


@given(st.lists(json_values, max_size=5), st.randoms())
def test_unordered_matches_every_permutation(items: list[Any], random: Any) -> None:
    shuffled = list(items)
    random.shuffle(shuffled)
    assert matches(Unordered(items), shuffled, strict=True)


@given(st.lists(st.integers(), min_size=1, max_size=5))
def test_unordered_needs_the_same_number_of_items(items: list[int]) -> None:
    assert not matches(Unordered(items), items[:-1])
    assert not matches(Unordered(items), [*items, items[0]])


def test_unordered_finds_a_matching_a_greedy_pairing_would_miss() -> None:
    assert matches(Unordered([ANY, 1]), [1, 2])
    assert not matches(Unordered([1, 1]), [1, 2])


@given(json_values)
def test_any_matches_whatever_is_present_and_absent_only_what_is_not(value: Any) -> None:
    assert matches({"k": ANY}, {"k": value})
    assert not matches({"k": ANY}, {})
    assert matches({"k": ABSENT}, {})
    # The mirror's form writes some absent optional fields as null (docs/mirror.md).
    assert matches({"k": ABSENT}, {"k": value}) == (value is None)


def test_booleans_are_not_numbers() -> None:
    assert not matches(True, 1)
    assert not matches(0, False)
    assert matches(1, 1.0)


def test_regex_searches_texts_only() -> None:
    assert matches(Regex("^Pro"), "Projects")
    assert not matches(Regex("^Pro"), "A Pro")
    assert not matches(Regex("1"), 1)


def test_a_hostile_pattern_runs_in_linear_time() -> None:
    # A backtracking engine takes 2**40 steps here; RE2 answers at once.
    assert not matches(Regex("^(a+)+$"), "a" * 40 + "b")


def test_differences_name_their_paths() -> None:
    differences = compare(
        {"objects": {"o": {"tag": ["a", "b"], "gone": ABSENT}}},
        {"objects": {"o": {"tag": ["a"], "gone": 1}}},
    )
    assert [(d.path, d.expected, d.actual) for d in differences] == [
        (("objects", "o", "tag", 1), "b", MISSING),
        (("objects", "o", "gone"), ABSENT, 1),
    ]


def test_strict_reports_unexpected_keys() -> None:
    (difference,) = compare({"a": 1}, {"a": 1, "b": 2}, strict=True)
    assert difference.path == ("b",) and difference.expected is MISSING
    assert "not expected" in difference.note


field_names = st.text(alphabet="abcdeiklnoprstu_", min_size=1, max_size=10)


@given(
    st.dictionaries(field_names, scalars, max_size=5),
    st.dictionaries(field_names, scalars, max_size=5),
)
def test_a_did_you_mean_only_ever_names_a_key_that_is_there(
    expected: dict[str, Any], actual: dict[str, Any]
) -> None:
    """A missing key's note may suggest a close key of the actual mapping; it never hides a
    difference: every expected key that is not there is one difference, noted or not (an
    expected null matches a key left out: absent and null are the same)."""
    differences = compare(expected, actual)
    missing = [(key,) for key, value in expected.items() if key not in actual and value is not None]
    assert [d.path for d in differences if d.actual is MISSING] == missing
    for difference in differences:
        if "did you mean" in difference.note:
            (suggested,) = difference.note.split("'")[1:2]
            assert suggested in actual and difference.actual is MISSING


def test_an_expected_null_matches_a_key_left_out_and_a_null() -> None:
    assert compare({"moderator": None}, {}) == []
    assert compare({"moderator": None}, {"moderator": None}) == []
    (difference,) = compare({"moderator": None}, {"moderator": "anna"})
    assert difference.path == ("moderator",) and difference.actual == "anna"
