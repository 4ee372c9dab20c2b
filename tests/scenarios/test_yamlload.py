"""The scenario loader is safe: plain data only, bounded, and every refusal names file and line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.matching import ABSENT, ANY, Regex, Unordered
from scenarios.yamlload import (
    LocatedDict,
    LocatedList,
    ScenarioFileError,
    load_documents,
    load_file,
)


def refusal(text: str | bytes, **limits: int) -> ScenarioFileError:
    with pytest.raises(ScenarioFileError) as raised:
        load_documents(text, "x.scenario.yaml", **limits)
    return raised.value


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['echo hacked']",
        "!!python/name:os.system",
        "!!python/object:collections.OrderedDict {}",
        "!custom 3",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
    ],
)
def test_tags_other_than_the_matchers_are_refused_with_their_line(tag: str) -> None:
    error = refusal(f"name: x\nsteps:\n  - advance: {tag}\n")
    assert error.line == 3
    assert "is not allowed in a scenario file" in error.message
    assert "!any, !absent, !regex and !unordered" in error.message


def test_a_billion_laughs_file_fails_fast_with_a_clear_message() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    started = time.process_time()
    error = refusal("\n".join(lines) + "\n")
    # 9**10 values if expanded; measured without expanding, so it is refused at once.
    assert time.process_time() - started < 5
    assert "stands for more than 1,000,000 values" in error.message
    assert error.line == 1


def test_aliases_within_the_bound_are_fine() -> None:
    (doc,) = load_documents("base: &b {x: 1}\ncopy: *b\n", "f")
    assert doc["copy"] == {"x": 1}


def test_an_alias_that_contains_itself_is_refused() -> None:
    error = refusal("a: &loop [1, *loop]\n")
    assert "refers to a value that contains it" in error.message


def test_oversized_text_is_refused_before_parsing() -> None:
    error = refusal("a: " + "x" * 2000 + "\n", max_bytes=1000)
    assert "at most 1,000" in error.message and error.line is None


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.scenario.yaml"
    path.write_bytes(b"# " + b"x" * 5000 + b"\n")
    with pytest.raises(ScenarioFileError, match="scenario files may be at most 4,096"):
        load_file(path, max_bytes=4096)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioFileError, match="cannot read it"):
        load_file(tmp_path / "nope.scenario.yaml")


def test_duplicate_keys_are_an_error_not_an_overwrite() -> None:
    error = refusal("name: a\nusers: [x]\nname: b\n")
    assert error.line == 3
    assert "written twice" in error.message and "first on line 1" in error.message


def test_syntax_errors_carry_the_line() -> None:
    error = refusal("name: a\nsteps:\n  - advance: [1,\n")
    assert error.line is not None and "not valid YAML" in error.message


def test_not_utf8_is_a_clear_error() -> None:
    assert "not UTF-8" in refusal(b"name: \xff\xfe\n").message


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    error = refusal("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nests values too deeply" in error.message


def test_only_true_and_false_are_booleans_and_dates_stay_text() -> None:
    (doc,) = load_documents(
        "a: no\nb: yes\nc: off\nd: true\ne: False\nf: 2026-03-17\ng: 2026-03-17T08:00:00Z\n", "f"
    )
    assert doc == {
        "a": "no",
        "b": "yes",
        "c": "off",
        "d": True,
        "e": False,
        "f": "2026-03-17",
        "g": "2026-03-17T08:00:00Z",
    }


def test_containers_know_their_lines() -> None:
    (doc,) = load_documents("name: a\nsteps:\n  - advance: 1\n  - do: x\n    as: y\n", "f")
    assert isinstance(doc, LocatedDict) and doc.line_of("steps") == 2
    steps = doc["steps"]
    assert isinstance(steps, LocatedList)
    assert [steps.line_of(0), steps.line_of(1)] == [3, 4]
    assert steps[1].line_of("as") == 5


def test_matcher_tags_build_matchers() -> None:
    (doc,) = load_documents(
        "a: !any\nb: !absent\nc: !regex '^P'\nd: !unordered [1, 2]\ne: {x: !absent }\n", "f"
    )
    assert doc["a"] is ANY and doc["b"] is ABSENT and doc["e"]["x"] is ABSENT
    assert doc["c"] == Regex("^P") and doc["d"] == Unordered([1, 2])


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("a: !any 3\n", "!any stands alone"),
        ("a: !regex\n", "!regex takes a pattern"),
        ("a: !regex '(a)\\1'\n", "not a regular expression RE2 accepts"),
        ("a: !unordered 3\n", "!unordered takes a list"),
    ],
)
def test_misused_matchers_are_explained(text: str, says: str) -> None:
    error = refusal(text)
    assert says in error.message and error.line == 1


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("a: {x:!absent}\n", 1, "'x:!absent' reads as one text: put a space after the colon, "
         "as in x: !absent"),
        ("a:\n  x:!any\n", 2, "as in x: !any"),
        ("a: [1, b:!regex '^P']\n", 1, "as in b: !regex '^P'"),
        ("a: {x: !absent}\n", 1, "put a space after !absent: a tag ends only at a space, so "
         "!absent} reads as a tag named '!absent}'; write !absent }"),
        ("a: {x: !absent, y: 1}\n", 1, "write !absent ,"),
        ("a:\n  - {x: 1}\n  - [!any]\n", 3, "write !any ]"),
        ("a: [!any, 1]\n", 1, "write !any ,"),
    ],
)  # fmt: skip
def test_a_matcher_without_its_space_gets_a_hint_not_a_parser_message(
    text: str, line: int, says: str
) -> None:
    error = refusal(text)
    assert says in error.message and error.line == line
    assert "not valid YAML" not in error.message and "not allowed" not in error.message


def test_a_colon_without_a_space_is_fine_in_quotes_and_other_texts() -> None:
    (doc,) = load_documents("a: 'x:!absent'\nb: 'http://x'\nc: {t: '12:30'}\n", "f")
    assert doc == {"a": "x:!absent", "b": "http://x", "c": {"t": "12:30"}}


def test_several_documents_load_in_order() -> None:
    docs = load_documents("name: a\n---\nname: b\n", "f")
    assert [doc["name"] for doc in docs] == ["a", "b"]


@given(st.binary(max_size=300))
def test_any_bytes_load_or_give_a_scenario_file_error(data: bytes) -> None:
    try:
        load_documents(data, "f")
    except ScenarioFileError as error:
        assert str(error).startswith("f")


@given(st.text(alphabet="ab:-[]{}&*!|>'\"\n #%@`,?", max_size=200))
def test_yaml_punctuation_soup_loads_or_gives_a_scenario_file_error(text: str) -> None:
    try:
        load_documents(text, "f")
    except ScenarioFileError as error:
        assert str(error).startswith("f")
