"""Reading a recording for a few paths only: the steps that may have changed them.

:class:`Watched` folds the recording a chunk of records at a time with :func:`reducers.fold`
(its fast path: in-place drafts, no mirror kept per event) and compares the walks to the
watched paths at the chunk's two ends (:func:`reducers.pointer.shared`). A pure reducer
builds a new part for any change below it, and ``fold`` leaves every part it did not change
the same object, so when the walks share a persistent part, no record of the chunk changed
the path, and the chunk is done. Otherwise the chunk is applied again record by record with
:func:`reducers.apply` (lines included), and each of its steps is given, as
:func:`reducers.steps.applied` gives them.

So blame and bisect cost about a plain replay, plus the chunks that touch their paths.
Paths under ``/stream`` change with every record: those are read record by record.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from itertools import islice
from typing import Any

from .apply import apply, collector_paused, fold
from .mirror import Mirror, empty
from .pointer import nodes, shared
from .steps import Source, records_of

#: Records folded at once before the watched paths are compared.
CHUNK = 256

Step = tuple[int, int, Any, Mirror, Mirror]


class Watched:
    """The steps of ``source`` that may have changed one of ``paths`` (key tuples), in
    order; :attr:`mirror` is the mirror after the last record read."""

    def __init__(
        self,
        source: Source,
        paths: list[tuple[str, ...]] | None,
        mirror: Mirror | None = None,
        *,
        me: str | None = None,
        chunk: int | None = None,
    ) -> None:
        self.source = source
        #: None: every step is wanted.
        self.paths = None if paths is None or any(p[:1] == ("stream",) for p in paths) else paths
        self.mirror = mirror if mirror is not None else empty(me)
        self.chunk = (chunk or CHUNK) if self.paths is not None else 1
        #: The record read just before the current chunk, ``(index, line, record)``.
        self.preceding: tuple[int, int, Any] | None = None

    def __iter__(self) -> Iterator[Step]:
        with ExitStack() as resources, collector_paused():
            records = enumerate(records_of(self.source, resources))
            while block := list(islice(records, self.chunk)):
                start = self.mirror
                if self.paths is not None:
                    end = fold((data for _, (_, data) in block), start)
                    if all(shared(nodes(start, p), nodes(end, p)) for p in self.paths):
                        self.mirror = end
                        index, (line, data) = block[-1]
                        self.preceding = (index, line, data)
                        continue
                current = start
                for index, (line, data) in block:
                    after = apply(current, data, line=line)
                    self.mirror = after
                    yield index, line, data, current, after
                    self.preceding = (index, line, data)
                    current = after
