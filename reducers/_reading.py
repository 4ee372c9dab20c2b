"""How :func:`reducers.fold` reads a file: as a recording, the way the command line does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

from eventmirror.recording import iter_records


@runtime_checkable
class Readable(Protocol):
    """A file :func:`fold` reads as a recording (opened in binary mode, or in text mode)."""

    def readline(self, size: int = -1, /) -> bytes | str: ...

    def read(self, size: int = -1, /) -> bytes | str: ...


class Numbered:
    """A recording's records as the byte texts fold reads, remembering the line of the one
    read last (so the loop stays the same as for a list of lines)."""

    __slots__ = ("_stream", "line")

    def __init__(self, stream: Readable) -> None:
        self._stream: Any = _Encoded(stream) if isinstance(stream.read(0), str) else stream
        self.line: int | None = None

    def __iter__(self) -> Iterator[bytes]:
        for record in iter_records(self._stream):
            self.line = record.line
            yield record.data


class _Encoded:
    """A text-mode file read as bytes (UTF-8), for a recording opened without ``"rb"``."""

    __slots__ = ("_text",)

    def __init__(self, text: Readable) -> None:
        self._text = text

    def readline(self, size: int = -1, /) -> bytes:
        return str(self._text.readline(size)).encode("utf-8", "surrogateescape")
