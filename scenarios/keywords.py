"""``-k`` expressions for ``eventmirror run``: select scenarios by name, as pytest's ``-k`` does.

The grammar is pytest's, so one expression selects the same scenarios under both::

    expression := [ or_expr ]            (empty: everything)
    or_expr    := and_expr ( "or" and_expr )*
    and_expr   := not_expr ( "and" not_expr )*
    not_expr   := "not" not_expr | "(" or_expr ")" | word

A word (letters, digits, ``_ : + - . [ ] \\ /``) matches a scenario when it occurs in one of
the scenario's names, ignoring case (both lower-cased, as pytest does). pytest is a test
dependency only, so this is a parser of its own rather than ``_pytest.mark.expression``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import attrs

# Blanks are spaces and tabs only, as for pytest.
_TOKEN = re.compile(r"[ \t]*(?:(?P<paren>[()])|(?P<word>(?:\w|[:+\-.\[\]\\/])+)|(?P<bad>[^ \t]))")
_OPERATORS = frozenset({"and", "or", "not"})


class KeywordError(ValueError):
    """An expression that does not parse; ``column`` counts from 1, as pytest reports it."""

    def __init__(self, expression: str, column: int, message: str) -> None:
        self.expression, self.column, self.message = expression, column, message
        super().__init__(f"-k {expression!r}: at column {column}: {message}")


#: A compiled expression: the scenario's names in, selected or not out.
Matcher = Callable[[tuple[str, ...]], bool]


@attrs.frozen
class _Token:
    kind: str  # "(", ")", "and", "or", "not", "word" or "end"
    text: str
    column: int


def _tokens(expression: str) -> Iterator[_Token]:
    position = 0
    while True:
        match = _TOKEN.match(expression, position)
        if match is None:  # only blanks are left
            yield _Token("end", "", len(expression) + 1)
            return
        column = match.start(match.lastgroup or 0) + 1
        if match.group("bad") is not None:
            raise KeywordError(expression, column, f"unexpected character {match.group('bad')!r}")
        text = match.group("paren") or match.group("word")
        kind = text if text in _OPERATORS or match.group("paren") else "word"
        yield _Token(kind, text, column)
        position = match.end()


class _Parser:
    def __init__(self, expression: str) -> None:
        self.expression = expression
        self.tokens = list(_tokens(expression))
        self.position = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.position]

    def accept(self, kind: str) -> bool:
        if self.current.kind == kind:
            self.position += 1
            return True
        return False

    def fail(self, wanted: str) -> KeywordError:
        token = self.current
        found = "the end of the expression" if token.kind == "end" else repr(token.text)
        return KeywordError(self.expression, token.column, f"expected {wanted}; got {found}")

    def expression_(self) -> Matcher:
        if self.current.kind == "end":
            return lambda names: True
        matcher = self.or_expr()
        if self.current.kind != "end":
            raise self.fail("'and', 'or' or the end of the expression")
        return matcher

    def or_expr(self) -> Matcher:
        parts = [self.and_expr()]
        while self.accept("or"):
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else _any_of(parts)

    def and_expr(self) -> Matcher:
        parts = [self.not_expr()]
        while self.accept("and"):
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else _all_of(parts)

    def not_expr(self) -> Matcher:
        if self.accept("not"):
            inner = self.not_expr()
            return lambda names: not inner(names)
        if self.accept("("):
            inner = self.or_expr()
            if not self.accept(")"):
                raise self.fail("')'")
            return inner
        token = self.current
        if token.kind != "word":
            raise self.fail("a word, 'not' or '('")
        self.position += 1
        # lower(), not casefold(), because pytest's -k compares that way.
        word = token.text.lower()
        return lambda names: any(word in name.lower() for name in names)


def _any_of(parts: list[Matcher]) -> Matcher:
    return lambda names: any(part(names) for part in parts)


def _all_of(parts: list[Matcher]) -> Matcher:
    return lambda names: all(part(names) for part in parts)


def compile_keywords(expression: str) -> Matcher:
    """A matcher for ``expression``; raises :class:`KeywordError` if it does not parse."""
    return _Parser(expression).expression_()


def select(expression: str, names: Iterable[str]) -> bool:
    """Whether ``expression`` selects something known by ``names``."""
    return compile_keywords(expression)(tuple(names))


__all__ = ["KeywordError", "Matcher", "compile_keywords", "select"]
