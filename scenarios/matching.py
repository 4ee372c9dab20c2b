"""Comparing what a scenario expects with what a mirror or an event holds.

An expectation is plain data plus four matchers, written in YAML as tags:

=============== =======================================================================
``!any``        the value must be present; anything matches
``!absent``     the key must not be there (or be null: absent and null are the same)
``!regex P``    a text in which the regular expression ``P`` is found (``^…$`` to anchor)
``!unordered``  a list with these items in any order
=============== =======================================================================

By default a match is partial: a mapping matches if every key it names matches, whatever else
the actual mapping holds. ``strict`` demands the same keys at every level below. Lists match
item by item (and must be as long), unless written ``!unordered``.

Regular expressions run on RE2 (``google-re2``), which matches in time linear in the text, so
a pattern from a hostile file cannot hang a run the way a backtracking engine can.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import re2

from eventmirror.errors import did_you_mean, plural


class _Marker:
    """A named singleton; its repr is how it is written in a scenario file."""

    def __init__(self, written: str) -> None:
        self._written = written

    def __repr__(self) -> str:
        return self._written


#: Matches any value that is present.
ANY: Final = _Marker("!any")
#: Matches only a key that is not there.
ABSENT: Final = _Marker("!absent")
#: Stands for "no value here" in a Difference: a missing key or list item.
MISSING: Final = _Marker("(nothing)")

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # the error comes back as an exception with the reason


@attrs.frozen
class Regex:
    """``!regex PATTERN``: a text in which the pattern is found."""

    pattern: str
    _compiled: Any = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        try:
            compiled = re2.compile(self.pattern, _RE2_OPTIONS)
        except re2.error as error:
            reason = error.args[0] if error.args else error
            if isinstance(reason, bytes):
                reason = reason.decode(errors="replace")
            raise ValueError(
                f"!regex {self.pattern!r} is not a regular expression RE2 accepts: {reason} "
                "(RE2 has no backreferences or lookaround)"
            ) from None
        object.__setattr__(self, "_compiled", compiled)

    def matches(self, value: Any) -> bool:
        return isinstance(value, str) and self._compiled.search(value) is not None

    def __repr__(self) -> str:
        return f"!regex {self.pattern!r}"


@attrs.frozen
class Unordered:
    """``!unordered [...]``: a list with these items, in any order."""

    items: list[Any]

    def __repr__(self) -> str:
        return f"!unordered {self.items!r}"


@attrs.frozen
class Difference:
    """One place where the actual value does not match the expectation."""

    path: tuple[str | int, ...]
    expected: Any
    actual: Any
    #: Why, when "expected X, got Y" alone would not say it.
    note: str = ""


def matches(expected: Any, actual: Any, *, strict: bool = False) -> bool:
    return not compare(expected, actual, strict=strict)


def compare(
    expected: Any, actual: Any, *, strict: bool = False, path: tuple[str | int, ...] = ()
) -> list[Difference]:
    """Every difference between an expectation and an actual value (empty: they match)."""
    if expected is ANY:
        return [] if actual is not MISSING else [Difference(path, expected, actual)]
    if expected is ABSENT or expected is None:
        # Absent and null are the same for optional fields (docs/mirror.md): the JSON form
        # leaves an absent optional out, and a client under test may report it as null.
        return [] if actual is MISSING or actual is None else [Difference(path, expected, actual)]
    if actual is MISSING:
        return [Difference(path, expected, actual)]
    if isinstance(expected, Regex):
        return [] if expected.matches(actual) else [Difference(path, expected, actual)]
    if isinstance(expected, Unordered):
        return _compare_unordered(expected, actual, strict, path)
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [Difference(path, expected, actual, "expected a mapping")]
        return _compare_mapping(expected, actual, strict, path)
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [Difference(path, expected, actual, "expected a list")]
        return _compare_list(expected, actual, strict, path)
    return [] if _same_scalar(expected, actual) else [Difference(path, expected, actual)]


def _same_scalar(expected: Any, actual: Any) -> bool:
    # True == 1 in Python, but a test that expects true must not pass on the number 1.
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(actual, Mapping | list):
        return False
    return bool(expected == actual)


def _compare_mapping(
    expected: Mapping[Any, Any], actual: Mapping[Any, Any], strict: bool, path: tuple[Any, ...]
) -> list[Difference]:
    differences: list[Difference] = []
    for key, want in expected.items():
        got = actual.get(key, MISSING)
        if got is MISSING and want is not ABSENT and want is not ANY and want is not None:
            note = _misspelt(key, actual)
            if note:
                differences.append(Difference((*path, key), want, got, note))
                continue
        differences += compare(want, got, strict=strict, path=(*path, key))
    if strict:
        differences += [
            Difference((*path, key), MISSING, value, "not expected: the match is strict")
            for key, value in actual.items()
            if key not in expected
        ]
    return differences


# A field name, as the mirror's form and events spell them; not a UUID, nor a key such as
# "user@domain" or "owner -> user".
_FIELD_NAME = re2.compile(r"^[a-z_][a-z0-9_]*(?:-[a-z0-9_]+)*$")
_UUID_LIKE = re2.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-")


def _is_field_name(key: Any) -> bool:
    return (
        isinstance(key, str)
        and len(key) <= 64
        and _FIELD_NAME.match(key) is not None
        and _UUID_LIKE.match(key) is None
    )


def _misspelt(key: Any, actual: Mapping[Any, Any]) -> str:
    """``not there; did you mean 'description'?`` when ``key`` looks like a misspelt field
    of ``actual``; empty for keys by UUID or name, and when nothing is close."""
    if not _is_field_name(key):
        return ""
    hint = did_you_mean(key, [name for name in actual if _is_field_name(name)])
    return f"not there{hint}" if hint else ""


def _compare_list(
    expected: Sequence[Any], actual: Sequence[Any], strict: bool, path: tuple[Any, ...]
) -> list[Difference]:
    differences: list[Difference] = []
    for index in range(max(len(expected), len(actual))):
        want = expected[index] if index < len(expected) else MISSING
        got = actual[index] if index < len(actual) else MISSING
        if want is MISSING:
            differences.append(Difference((*path, index), MISSING, got, "one item too many"))
        else:
            differences += compare(want, got, strict=strict, path=(*path, index))
    return differences


def _compare_unordered(
    expected: Unordered, actual: Any, strict: bool, path: tuple[Any, ...]
) -> list[Difference]:
    if not isinstance(actual, list):
        return [Difference(path, expected, actual, "expected a list")]
    if len(actual) != len(expected.items):
        note = f"expected {plural(len(expected.items), 'item')} in any order, got {len(actual)}"
        return [Difference(path, expected, actual, note)]
    unmatched = _unmatched(expected.items, actual, strict)
    if not unmatched:
        return []
    shown = ", ".join(repr(expected.items[i]) for i in unmatched)
    return [Difference(path, expected, actual, f"nothing left to match {shown}")]


def _unmatched(wanted: Sequence[Any], actual: Sequence[Any], strict: bool) -> list[int]:
    """The expected items left over by a maximum matching of expected to actual items.

    A greedy pairing can fail where a matching exists (``[!any, 1]`` against ``[1, 2]``), so
    this finds augmenting paths (Kuhn's algorithm); lists in a mirror are short.
    """
    fits = [
        [j for j, got in enumerate(actual) if matches(want, got, strict=strict)] for want in wanted
    ]
    owner: dict[int, int] = {}

    def assign(i: int, seen: set[int]) -> bool:
        for j in fits[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    return [i for i in range(len(wanted)) if not assign(i, set())]


__all__ = [
    "ABSENT",
    "ANY",
    "MISSING",
    "Difference",
    "Regex",
    "Unordered",
    "compare",
    "matches",
]
