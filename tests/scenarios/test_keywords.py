"""``-k`` expressions for ``eventmirror run``: pytest's grammar and meaning, without pytest."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from _pytest.mark.expression import Expression
from hypothesis import given
from hypothesis import strategies as st

from scenarios.keywords import KeywordError, compile_keywords, select

NAMES = ("a tag shared with Ben shares its objects", "tags.scenario.yaml")


def pytest_verdict(expression: str, names: Sequence[str]) -> bool:
    """What pytest's own -k would say (pytest is a test dependency, so its parser is the
    reference here)."""

    def matcher(word: str, /, **kwargs: str | int | bool | None) -> bool:
        return any(word.lower() in name.lower() for name in names)

    return Expression.compile(expression).evaluate(matcher)


@pytest.mark.parametrize(
    ("expression", "selected"),
    [
        ("", True),
        ("   ", True),
        ("tag", True),
        ("TAG", True),  # case does not matter
        ("Shared", True),
        ("tags.scenario", True),  # the file's name is one of the names
        ("purge", False),
        ("tag and ben", True),
        ("tag and purge", False),
        ("purge or ben", True),
        ("not purge", True),
        ("not tag", False),
        ("not not tag", True),
        ("purge or tag and not ben", False),  # and binds tighter than or
        ("(purge or tag) and not objects", False),
        ("(purge or tag) and not (objects and purge)", True),
        ("scenario.yaml and not trash", True),
        ("\ttag\t", True),
    ],
)
def test_an_expression_selects_as_pytest_k_would(expression: str, selected: bool) -> None:
    assert select(expression, NAMES) is selected
    if expression.strip():
        assert pytest_verdict(expression, NAMES) is selected


@pytest.mark.parametrize(
    ("expression", "column", "says"),
    [
        ("tag and", 8, "the end of the expression"),
        ("(tag", 5, "expected ')'"),
        ("tag ben", 5, "'ben'"),
        ("tag or $", 8, "unexpected character '$'"),
        ("and tag", 1, "expected a word"),
        ("tag)", 4, "')'"),
        ("()", 2, "')'"),
        ("not", 4, "the end of the expression"),
        ("tag\nben", 4, "unexpected character '\\n'"),
    ],
)
def test_a_malformed_expression_says_where(expression: str, column: int, says: str) -> None:
    with pytest.raises(KeywordError) as raised:
        compile_keywords(expression)
    assert raised.value.column == column
    assert says in str(raised.value)
    with pytest.raises(SyntaxError):  # pytest refuses it too
        Expression.compile(expression)


WORDS = st.sampled_from(["tag", "Ben", "b", "share", "x.y", "a-b", "[1]", "ob/j", "é"])
OPERATORS = st.sampled_from(["and", "or", "not", "(", ")", " ", "  ", "\t"])
SOME_NAMES = st.lists(st.text(alphabet="tagbenBEshrxy.[1]-/ é", max_size=12), max_size=3)


@given(st.lists(st.one_of(WORDS, OPERATORS), max_size=12), SOME_NAMES)
def test_agrees_with_pytest_on_every_expression(parts: list[str], names: list[str]) -> None:
    """Same verdict as pytest's own -k parser, including which expressions it refuses."""
    expression = " ".join(parts)
    try:
        ours = select(expression, names)
    except KeywordError:
        ours = None
    try:
        # pytest's -k treats an empty expression as no selection at all.
        theirs = pytest_verdict(expression, names) if expression.strip(" \t") else True
    except SyntaxError:
        theirs = None
    assert ours == theirs


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(WORDS)
    kind = draw(st.sampled_from(["and", "or", "not", "()"]))
    if kind == "not":
        return f"not {draw(expressions(depth - 1))}"
    if kind == "()":
        return f"({draw(expressions(depth - 1))})"
    return f"{draw(expressions(depth - 1))} {kind} {draw(expressions(depth - 1))}"


@given(expressions(), SOME_NAMES)
def test_not_inverts_and_parentheses_change_nothing(expression: str, names: list[str]) -> None:
    assert select(f"not ({expression})", names) is not select(expression, names)
    assert select(f"(({expression}))", names) is select(expression, names)


@given(expressions(), expressions(), SOME_NAMES)
def test_or_selects_more_and_selects_less(left: str, right: str, names: list[str]) -> None:
    alone = select(left, names)
    assert select(f"({left}) or ({right})", names) >= alone
    assert select(f"({left}) and ({right})", names) <= alone
    # De Morgan: not (a or b) == not a and not b
    assert select(f"not (({left}) or ({right}))", names) is select(
        f"not ({left}) and not ({right})", names
    )


@given(WORDS, st.lists(st.text(max_size=8), max_size=3), st.text(max_size=4))
def test_a_word_matches_any_name_that_contains_it(word: str, names: list[str], around: str) -> None:
    assert select(word, [*names, around + word.upper() + around]) is True
    assert select(word, names) is any(word.lower() in name.lower() for name in names)
