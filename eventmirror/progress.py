"""A progress line on the terminal for long work; silent when output is piped or redirected."""

from __future__ import annotations

import time
from typing import TextIO

#: Nothing shows for work that ends sooner than this (seconds).
SHOW_AFTER = 1.0
_REFRESH = 0.25


class Progress:
    """Prints ``12,345 events  210,000 events/s  45%`` on one refreshed line of ``stream``.

    Only when ``stream`` is a terminal: logs and pipes stay clean and outputs deterministic.
    Call :meth:`update` as often as convenient; it redraws at most four times a second.
    """

    def __init__(
        self, stream: TextIO, *, total_bytes: int | None = None, unit: str = "events"
    ) -> None:
        self._stream = stream
        self._enabled = stream.isatty()
        self._total = total_bytes
        self._unit = unit
        self._start = time.monotonic()
        self._next = self._start + SHOW_AFTER
        self._shown = False

    def update(self, count: int, bytes_done: int | None = None) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + _REFRESH
        rate = count / max(now - self._start, 1e-9)
        text = f"\r  {count:,} {self._unit}  {rate:,.0f} {self._unit}/s"
        if self._total and bytes_done is not None:
            text += f"  {min(100.0, 100.0 * bytes_done / self._total):.0f}%"
        self._stream.write(text + "\x1b[K")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        """Clear the progress line, if one was shown."""
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False
