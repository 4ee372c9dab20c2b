"""Why a recording is of no use: empty, only whitespace, binary, or without a single event.

``eventmirror replay`` and ``eventmirror scenario-from`` exit with status 2 for such input,
with a message built here (``no events in day.jsonl: it looks binary, not JSON text:
gzip-compressed (decompress it first: gunzip)``).
"""

from __future__ import annotations

from typing import BinaryIO, Final

from .errors import plural

__all__ = ["HEAD_SIZE", "head_of", "looks_binary", "why_no_events"]

_SPACE: Final = b" \t\r\n"  # JSON's whitespace

#: How much of a recording's start :func:`head_of` looks at.
HEAD_SIZE: Final = 4096
# Compressed and archive formats people hand over by mistake: (leading bytes, what it is).
_PACKED: Final = (
    (b"\x1f\x8b", "gzip-compressed (decompress it first: gunzip)"),
    (b"PK\x03\x04", "a zip archive (unpack it first)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed (decompress it first: zstd -d)"),
    (b"\xfd7zXZ\x00", "xz-compressed (decompress it first: xz -d)"),
    (b"BZh", "bzip2-compressed (decompress it first: bunzip2)"),
    (b"\xff\xfe", "UTF-16 text (convert it to UTF-8 first)"),
    (b"\xfe\xff", "UTF-16 text (convert it to UTF-8 first)"),
)


def head_of(stream: BinaryIO, size: int = HEAD_SIZE) -> bytes:
    """Up to ``size`` bytes from the start of ``stream`` without consuming them: what a
    buffered stream (as :func:`open_recording` gives) has read ahead; ``b""`` if it cannot
    look ahead."""
    peek = getattr(stream, "peek", None)
    if peek is None:
        return b""
    try:
        return bytes(peek(size)[:size])
    except (OSError, ValueError):
        return b""


def looks_binary(head: bytes) -> str | None:
    """Why a recording starting with ``head`` is no JSON text (``"gzip-compressed ..."``,
    ``"a NUL byte at offset 3"``), or None when it may well be text."""
    for magic, what in _PACKED:
        if head.startswith(magic):
            return what
    nul = head.find(b"\0")
    if nul >= 0:
        return f"a NUL byte at offset {nul}"
    try:
        # A character cut off by the end of the head is no sign of anything.
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.end < len(head) or error.reason != "unexpected end of data":
            return f"bytes that are not UTF-8 at offset {error.start}"
    return None


def why_no_events(head: bytes, records: int) -> str:
    """Why a recording from which not one event could be read is of no use, for a message
    such as ``no events in day.jsonl: it is empty``. ``head`` is its start (from
    :func:`head_of`), ``records`` how many records :func:`iter_records` found in it."""
    binary = looks_binary(head)
    if binary is not None:
        return f"it looks binary, not JSON text: {binary}"
    if records == 0:
        if not head:
            return "it is empty"
        if not head.strip(_SPACE):
            return "it holds only whitespace"
        return "it holds only empty JSON arrays"
    if records == 1:
        return "its one record is not an event"
    return f"none of its {plural(records, 'record')} is an event"
