"""The one error type for bad input, and the record lenient mode keeps instead of raising."""

from __future__ import annotations

from typing import Any

import attrs
import msgspec

_VALUE_PREVIEW = 80


def preview(value: Any) -> str:
    """A short JSON rendering of a bad value for messages (``"x"``, ``1.5``, ``{...}``)."""
    try:
        text = msgspec.json.encode(value).decode()
    except (TypeError, ValueError, OverflowError):
        text = repr(value)
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
