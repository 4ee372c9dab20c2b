"""How :func:`reducers.fold` reads a file: as a recording, the way the command line does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final, Protocol, runtime_checkable

from eventmirror.recording import DEFAULT_MAX_DOCUMENT, RecordingError, iter_records


@runtime_checkable
class Readable(Protocol):
    """A file :func:`fold` reads as a recording (opened in binary mode, or in text mode)."""

    def readline(self, size: int = -1, /) -> bytes | str: ...

    def read(self, size: int = -1, /) -> bytes | str: ...


class Numbered:
    """A recording's records as the byte texts fold reads, remembering the line of the one
    read last (so the loop stays the same as for a list of lines)."""

    __slots__ = (
        "_after",
        "_blanks",
        "_counted",
        "_max_document",
        "_records",
        "_run",
        "_stream",
        "line",
    )

    def __init__(self, stream: Readable, *, max_document: int = DEFAULT_MAX_DOCUMENT) -> None:
        if max_document < 1:
            raise ValueError(f"max_document must be at least 1, got {max_document}")
        self._stream: Any = _Encoded(stream) if isinstance(stream.read(0), str) else stream
        self._max_document = max_document
        self.line: int | None = None
        # The records are counted from the lines, so that the usual line costs nothing more:
        # the blank lines so far, the run of them after record line ``_after``, and, once the
        # command line's reader has taken over, the count itself.
        self._blanks = self._run = 0
        self._after: int | None = None
        self._counted: int | None = None
        # One reading, however often it is iterated: whoever stops reading (a fold stopped by
        # an error) can read the records that follow.
        self._records = self._read()

    def __iter__(self) -> Iterator[bytes]:
        return self._records

    @property
    def records(self) -> int:
        """How many records have been read so far."""
        if self._counted is not None:
            return self._counted
        if self.line is None:
            return 0
        trailing = self._run if self._after == self.line else 0  # blank lines after the last
        return self.line - (self._blanks - trailing)

    def _read(self) -> Iterator[bytes]:
        # JSON Lines, the usual recording, read line by line as they are: a line that is one
        # object is the record :func:`iter_records` would make of it, without a Record per
        # line and a second generator (a fifth of reading a recording). At the first line
        # that is anything else, the command line's reader takes over from that line.
        readline = self._stream.readline
        # What iter_records reads of a line at once: a document of the largest size and a
        # line break (\r\n).
        limit = self._max_document + 2
        line = 0
        while True:
            try:
                raw = readline(limit)
            except OSError as error:  # as the command line's reader says it
                raise RecordingError(f"reading failed at line {line + 1}: {error}") from error
            if not raw:
                return
            if raw[0] == _LBRACE and raw[-2:] == _CLOSED and len(raw) < limit:
                # The usual line, one object and its line break: the decoder reads past the
                # break, and not stripping it saves a copy of every line.
                line += 1
                self.line = line
                yield raw
                continue
            whole = raw[-1] == _NEWLINE or len(raw) < limit
            text = raw.strip(_SPACE)
            if whole and not text:
                line += 1
                self._blanks += 1
                if self._after != self.line:
                    self._after, self._run = self.line, 0
                self._run += 1
            elif whole and text[0] == _LBRACE and text[-1] == _RBRACE and len(text) < limit - 1:
                line += 1
                self.line = line
                yield text
            else:
                break
        resumed: Any = _Resumed(raw, self._stream)  # what iter_records reads: readline
        reading = iter_records(resumed, max_document=self._max_document, first_line=line + 1)
        counted = self.records
        for record in reading:
            counted += 1
            self.line, self._counted = record.line, counted
            yield record.data


_SPACE: Final = b" \t\r\n"  # JSON's whitespace
_NEWLINE, _LBRACE, _RBRACE = b"\n{}"
_CLOSED: Final = b"}\n"


class _Resumed:
    """A stream whose first line is one already read: the reader resumes at that line."""

    __slots__ = ("_first", "_stream")

    def __init__(self, first: bytes, stream: Any) -> None:
        self._first: bytes | None = first
        self._stream = stream

    def readline(self, size: int = -1, /) -> bytes:
        first, self._first = self._first, None
        if first is not None:
            return first
        line: bytes = self._stream.readline(size)
        return line


class _Encoded:
    """A text-mode file read as bytes (UTF-8), for a recording opened without ``"rb"``."""

    __slots__ = ("_text",)

    def __init__(self, text: Readable) -> None:
        self._text = text

    def readline(self, size: int = -1, /) -> bytes:
        return str(self._text.readline(size)).encode("utf-8", "surrogateescape")
