"""The one error type for bad input, and the wording every message shares.

:func:`plural` and :func:`did_you_mean` are the one home of those two rules of wording: the
decoder, the command line's summary and messages, and the scenario checker all use them.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

import attrs
import msgspec

_VALUE_PREVIEW = 80
# Deeper than this, or past this many items, nothing of a value can show in a preview.
_PREVIEW_DEPTH = _PREVIEW_ITEMS = _VALUE_PREVIEW


def noun(count: int, singular: str, plural_form: str | None = None) -> str:
    """The noun for ``count`` things: ``comment`` for 1, ``comments`` for 0 or 2;
    irregular plurals are given (``noun(n, "entry", "entries")``)."""
    if count == 1:
        return singular
    return plural_form if plural_form is not None else singular + "s"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 comment``, ``2 comments``, ``0 comments`` (see :func:`noun`)."""
    return f"{count} {noun(count, singular, plural_form)}"


def did_you_mean(word: str, options: Iterable[str], n: int = 1, *, cutoff: float = 0.6) -> str:
    """``; did you mean 'x'?`` for the closest of ``options`` (up to ``n`` of them), or the
    empty string when none is close (``cutoff``: how similar, 0..1, as in difflib)."""
    import difflib  # only for mistakes: importing the model stays cheap

    close = difflib.get_close_matches(word, list(options), n=n, cutoff=cutoff)
    return f"; did you mean {' or '.join(map(repr, close))}?" if close else ""


def _outline(value: Any, depth: int = _PREVIEW_DEPTH) -> Any:
    """As much of ``value`` as a preview can show: encoding a million entries or a value
    nested near the parser's limit only to cut it at 80 characters costs time, and the
    latter can exceed the recursion limit from deeper in the stack."""
    if isinstance(value, str):
        return value[: _VALUE_PREVIEW + 1]
    if not isinstance(value, (list, dict)):
        return value
    if depth == 0:
        return ...
    if isinstance(value, list):
        return [_outline(item, depth - 1) for item in value[:_PREVIEW_ITEMS]]
    items = islice(value.items(), _PREVIEW_ITEMS)
    return {_outline(key, depth - 1): _outline(item, depth - 1) for key, item in items}


def _ellipsis(value: Any) -> Any:
    if value is ...:
        return "…"
    raise NotImplementedError


def preview(value: Any) -> str:
    """A short JSON rendering of a bad value for messages (``"x"``, ``1.5``, ``{...}``)."""
    outline = _outline(value)
    try:
        text = msgspec.json.encode(outline, enc_hook=_ellipsis).decode()
    except (TypeError, ValueError, OverflowError, NotImplementedError):
        text = repr(value) if outline is value else repr(outline)
    if len(text) > _VALUE_PREVIEW:
        text = text[: _VALUE_PREVIEW - 1] + "…"
    return text


@attrs.frozen(kw_only=True)
class Problem:
    """What is wrong with one event: where (JSON path), what was expected, what came."""

    path: str
    expected: str
    got: str | None = None

    def describe(self) -> str:
        where = f"{self.path}: " if self.path else ""
        if self.got is None:
            return f"{where}{self.expected}"
        return f"{where}expected {self.expected}, got {self.got}"


class EventError(ValueError):
    """A malformed event (strict mode), naming the event id, type, JSON path and bad value.

    ``str(error)`` reads like
    ``event 17 (tag_modify): policy["1de7…"]: expected an access level 0..4, got "x"``.
    Events whose id could not be read are named by their input line instead.
    """

    def __init__(
        self,
        problem: Problem,
        *,
        event_id: int | None = None,
        event_type: str | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = problem
        self.event_id = event_id
        self.event_type = event_type
        self.line = line
        super().__init__(self.message)

    @property
    def subject(self) -> str:
        """``event 17 (tag_modify)``, or ``line 5`` when the event has no readable id."""
        if self.event_id is not None:
            who = f"event {self.event_id}"
        elif self.line is not None:
            who = f"line {self.line}"
        else:
            who = "event"
        return f"{who} ({self.event_type})" if self.event_type else who

    @property
    def message(self) -> str:
        return f"{self.subject}: {self.problem.describe()}"

    def at_line(self, line: int) -> EventError:
        """The same error, also naming the input line it came from."""
        return EventError(
            self.problem, event_id=self.event_id, event_type=self.event_type, line=line
        )
