"""A progress bar on the terminal for long work; silent when output is piped or redirected."""

from __future__ import annotations

import time
from typing import TextIO

#: Nothing shows for work that ends sooner than this (seconds).
SHOW_AFTER = 1.0
_REFRESH = 0.25
#: The bar's width in characters: it fits an 80-column line with the counts beside it.
BAR_WIDTH = 24


class Progress:
    """Draws ``[##########--------------]  45%  12,345 events  210,000 events/s`` on one
    refreshed line of ``stream``; without a known size (standard input), only the counts.

    Only when ``stream`` is a terminal, and only once the work has taken a second: logs and
    pipes stay clean, outputs deterministic. Call :meth:`update` as often as convenient; it
    redraws at most four times a second.
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

    def update(self, count: int, bytes_done: int | None = None, *, prefix: str = "") -> None:
        """Redraw with ``count`` units done (``bytes_done`` of the size given); ``prefix``
        goes before the counts (``12/200 files``)."""
        if not self._enabled:
            return
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + _REFRESH
        rate = count / max(now - self._start, 1e-9)
        text = f"{prefix}{count:,} {self._unit}  {rate:,.0f} {self._unit}/s"
        if self._total and bytes_done is not None:
            done = min(1.0, max(0.0, bytes_done / self._total))
            filled = int(done * BAR_WIDTH)
            text = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:4.0%}  {text}"
        self._stream.write(f"\r  {text}\x1b[K")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        """Clear the progress line, if one was shown."""
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False
