"""Reading recorded sessions as a stream of raw event texts, each with the line it starts on.

A recording is JSON Lines, ``GET /api/event`` response bodies (JSON arrays, compact or
pretty-printed), or any mix of them, even several on one line (``[..][..]``). It is read with
a bounded ``readline``; memory stays bounded by ``max_document`` however large a line is.
Fastest first: a ``{...}`` line is yielded as it is; a ``[...]`` line, or a pretty-printed
document (``[`` or ``{`` alone on a line up to its closing line), is checked and split by
msgspec in C; everything else (several documents on a line, huge lines, broken input) goes
through :class:`_Scanner`, which gives the same records for what the fast paths accept.

Nothing is dropped but whitespace, the array punctuation ``[ ] ,`` and byte-order marks: text
that is not JSON is a :class:`Record` of its own, which the decoder reports with its line. A
unit larger than ``max_document`` (a line, an array element, an object over several lines)
becomes a short marker that is deliberately not JSON.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from itertools import chain
from typing import BinaryIO, Final

import msgspec

__all__ = [
    "DEFAULT_MAX_DOCUMENT",
    "Record",
    "RecordingError",
    "iter_records",
    "open_recording",
    "oversized_marker",
]

#: The largest line, array element or object kept in memory (16 MiB).
DEFAULT_MAX_DOCUMENT: Final = 16 * 2**20
#: What stands in for a unit larger than ``max_document``: deliberately not JSON.
_OVERSIZED = re.compile(rb"<(document|array element) larger than (\d+) bytes at line (\d+)>")
# Whole pieces of a file are read at once: larger than the default 8 KiB buffer, since a
# recording is read front to back exactly once.
_READ_BUFFER: Final = 2**20


class Record(msgspec.Struct, frozen=True, gc=False):
    """The raw text of one event (or of one piece that is not an event) and where it starts.

    ``index`` is the element's position inside a JSON array body, ``None`` for a line or an
    object outside any array.
    """

    line: int
    data: bytes
    index: int | None = None


class RecordingError(ValueError):
    """The input cannot be read at all (a missing file, a directory, a failing device).

    Bad content is never this error: it comes out as records the decoder rejects.
    """


_SPACE: Final = b" \t\r\n"  # JSON's whitespace; str.strip's default also eats \v and \f
_BOM: Final = b"\xef\xbb\xbf"
_LBRACE, _RBRACE, _LBRACKET, _RBRACKET = b"{}[]"
_QUOTE, _BACKSLASH, _COMMA, _NEWLINE, _BOM_START = b'"\\,\n\xef'
# After these, a value may start (after a comma only inside an array); a line opening with
# "[" or "{" after anything else cannot continue the document: it was cut short there.
_VALUE_MAY_FOLLOW: Final = frozenset(b"[,:")
# How deep the kinds of open brackets are remembered (past it, a comma is taken to be in an
# array): enough for any event, and memory stays bounded whatever the input.
_TRACKED_DEPTH: Final = 256

# _SPACES, _TO_BRACKET and _STRING_REST match the empty string: match() never gives None.
_SPACES = re.compile(rb"[ \t\r\n]*+")
# Skips to the next bracket outside strings, stepping over complete strings inside the regex
# engine: one Python step per bracket instead of one per quote (3x faster on events, whose
# text is mostly short strings). Stops at the opening quote of a string the piece cuts off.
_TO_BRACKET = re.compile(rb'[^][{}"]*+(?:"[^"\\]*+(?:\\.[^"\\]*+)*+"[^][{}"]*+)*+', re.DOTALL)
# The rest of a string: stops at its closing quote, or at a backslash that ends the piece.
_STRING_REST = re.compile(rb'[^"\\]*+(?:\\.[^"\\]*+)*+', re.DOTALL)
# A number, literal or stray text between array elements; a stray "}" is kept as text too.
_SCALAR = re.compile(rb'[^][{,"\x20\t\r\n]++')
# Lines and pretty-printed documents up to this size are split by msgspec in one go. Its list
# of raw elements costs ~50 bytes an element whatever their size, so larger ones go to the
# scanner, which keeps one element at a time; it gets at most _SCAN_STEP bytes at a time, so
# that the records found in one step stay few, however small the elements.
_SPLIT_AT_ONCE: Final = 2**20
_SCAN_STEP: Final = 2**14
_ARRAY: Final = msgspec.json.Decoder(list[msgspec.Raw])
_VALUE: Final = msgspec.json.Decoder(msgspec.Raw)

# What the scanner is in the middle of.
_IDLE, _NESTED, _SCALAR_TEXT, _REST_OF_LINE = range(4)


class _Scanner:
    """Splits pieces of input into records, keeping its state between pieces and lines.

    A piece is a whole line, or part of one when the line is longer than the read limit.
    Records found are appended to :attr:`out` for the caller to hand on.
    """

    def __init__(self, max_document: int) -> None:
        self.max_document = max_document
        self.out: list[Record] = []
        self.in_array, self.next_index, self.last_significant = False, 0, 0
        # The unit in progress: what it is, where it began, how deep, and its text so far.
        self.kind, self.line, self.start = _IDLE, 0, 0
        self.index: int | None = None
        self.depth, self.in_string, self.escaped = 0, False, False
        self.open_brackets = bytearray()  # the kinds of the first _TRACKED_DEPTH levels
        self.text, self.size, self.oversized = bytearray(), 0, False

    @property
    def idle(self) -> bool:
        return self.kind == _IDLE and not self.in_array

    def feed(self, piece: bytes, line: int, ends_line: bool) -> None:
        end = len(piece)
        position = 0
        self.start = 0
        while position < end:
            kind = self.kind
            if kind == _NESTED:
                position = self._nested(piece, position, end)
            elif kind == _SCALAR_TEXT:
                position = self._scalar(piece, position, end)
            elif kind == _REST_OF_LINE:
                rest = piece[self.start :]
                if ends_line:  # the line break is no part of the text, nor of its size
                    self._emit(rest.rstrip(_SPACE), strip=True)
                else:
                    self._keep(rest)
                position = end
            else:
                position = _SPACES.match(piece, position).end()  # type: ignore[union-attr]
                if position < end:
                    position = self._begin(piece, position, line)
        if self.idle:
            return
        if ends_line and self.in_string:
            # A raw line break cannot be inside a JSON string: the text was cut off there.
            self._emit(b"", strip=True)
            self.in_array = False
            return
        significant = piece.rstrip(_SPACE)
        if significant and not self.in_string:
            self.last_significant = significant[-1]

    def resync(self, piece: bytes) -> None:
        """At a line start inside a document: end the document if this line cannot continue it
        (a truncated body followed by more bodies or JSON Lines)."""
        first = _SPACES.match(piece).end()  # type: ignore[union-attr]
        if first == len(piece) or piece[first] not in b"[{":
            return
        last = self.last_significant
        in_object = 0 < self.depth <= _TRACKED_DEPTH and self.open_brackets[-1] == _LBRACE
        if last not in _VALUE_MAY_FOLLOW or (last == _COMMA and in_object):
            if self.kind != _IDLE:
                self._emit(b"", strip=True)
            self.in_array = False

    def finish(self) -> None:
        """At the end of input: whatever was begun comes out as it is."""
        if self.kind != _IDLE:
            self._emit(b"", strip=True)
        self.in_array = False

    def _begin(self, piece: bytes, position: int, line: int) -> int:
        byte = piece[position]
        if self.in_array:
            if byte == _RBRACKET:
                self.in_array = False
                return position + 1
            if byte == _COMMA:
                return position + 1
            index: int | None = self.next_index
        elif byte == _LBRACKET:
            self.in_array = True
            self.next_index = 0
            return position + 1
        else:
            index = None
        self.line, self.index, self.start = line, index, position
        # Scanning goes straight on, so that even an opening byte that ends the piece is kept.
        if byte in b"{[":
            self.kind, self.depth = _NESTED, 1
            self.open_brackets.append(byte)
            return self._nested(piece, position + 1, len(piece))
        if byte == _QUOTE and self.in_array:
            self.kind, self.depth, self.in_string = _NESTED, 0, True
            return self._nested(piece, position + 1, len(piece))
        self.kind = _SCALAR_TEXT if self.in_array else _REST_OF_LINE
        return position

    def _nested(self, piece: bytes, position: int, end: int) -> int:
        depth = self.depth
        while True:
            if self.in_string:
                if self.escaped:
                    position += 1
                    self.escaped = False
                position = _STRING_REST.match(piece, position).end()  # type: ignore[union-attr]
                if position >= end:
                    break
                if piece[position] == _BACKSLASH:  # the escaped byte is in the next piece
                    self.escaped = True
                    break
                self.in_string = False
                position += 1
                if depth == 0:
                    self._emit(piece[self.start : position])
                    return position
            position = _TO_BRACKET.match(piece, position).end()  # type: ignore[union-attr]
            if position == end:
                break
            byte = piece[position]
            position += 1
            if byte == _QUOTE:
                self.in_string = True
            elif byte in b"{[":
                depth += 1
                if depth <= _TRACKED_DEPTH:
                    self.open_brackets.append(byte)
            else:
                if depth <= _TRACKED_DEPTH:
                    self.open_brackets.pop()
                depth -= 1
                if depth == 0:
                    self._emit(piece[self.start : position])
                    return position
        self.depth = depth
        self._keep(piece[self.start :])
        return end

    def _scalar(self, piece: bytes, position: int, end: int) -> int:
        match = _SCALAR.match(piece, position)
        stop = position if match is None else match.end()
        if stop == end:
            self._keep(piece[self.start :])
            return end
        self._emit(piece[self.start : stop])
        return stop

    def _keep(self, text: bytes) -> None:
        self.size += len(text)
        if self.oversized:
            return
        if self.size > self.max_document:
            self.oversized = True
            self.text = bytearray()
        else:
            self.text += text

    def _emit(self, tail: bytes, *, strip: bool = False) -> None:
        if self.oversized or self.size + len(tail) > self.max_document:
            what = "document" if self.index is None else "array element"
            data = _marker(what, self.max_document, self.line)
        else:
            data = bytes(self.text + tail) if self.text else tail
            if strip:
                data = data.rstrip(_SPACE)
        self.out.append(Record(self.line, data, self.index))
        if self.index is not None:
            self.next_index += 1
        self.kind, self.depth, self.in_string, self.escaped = _IDLE, 0, False, False
        self.open_brackets.clear()
        self.text, self.size, self.oversized = bytearray(), 0, False


def _marker(what: str, max_document: int, line: int) -> bytes:
    return f"<{what} larger than {max_document} bytes at line {line}>".encode()


def oversized_marker(data: bytes) -> tuple[str, int] | None:
    """``(what, limit)`` when ``data`` is the stand-in for a unit larger than the limit
    (``"document"`` or ``"array element"``); None for any other text."""
    found = _OVERSIZED.fullmatch(data) if data[:1] == b"<" else None
    return None if found is None else (found[1].decode(), int(found[2]))


def iter_records(
    stream: BinaryIO, *, max_document: int = DEFAULT_MAX_DOCUMENT, first_line: int = 1
) -> Iterator[Record]:
    """The records of a recording, in input order, reading ``stream`` lazily line by line.

    ``first_line`` is the number of the stream's first line (a reader that read the lines
    before it itself hands the rest over).

    Never raises on bad content (it comes out as records the decoder rejects); raises
    :class:`RecordingError` only if reading itself fails.
    """
    if max_document < 1:
        raise ValueError(f"max_document must be at least 1, got {max_document}")
    # Room for the line break (\r\n) after a line of exactly max_document bytes.
    limit = max_document + 2
    at_once = min(max_document, _SPLIT_AT_ONCE)
    pieces = iter(partial(stream.readline, limit), b"")
    scanner = _Scanner(max_document)
    found = scanner.out
    line = first_line
    at_line_start = True
    scanning = False  # the scanner is inside something begun on an earlier piece
    # A pretty-printed document ("[" or "{" alone on a line) is held until its closing line
    # (the same bracket, alone, at the same column), for msgspec to check and split.
    held = bytearray()
    held_line = replayed_until = 0
    closing = b""
    try:
        first = next(pieces, b"")
        if first.startswith(_BOM):
            first = first[3:]
        # iter() of the tuple, not the tuple: chain would keep the first piece to the end.
        source: Iterator[bytes] = chain(iter((first,)), pieces) if first else pieces
        while True:
            for piece in source:
                ends_line = piece[-1] == _NEWLINE
                if held:
                    held += piece
                    if ends_line and len(held) <= at_once and piece[0] not in b"[{":
                        if piece.rstrip(_SPACE) != closing:
                            line += 1
                            continue
                        records = _split_document(bytes(held), held_line)
                        if records is not None:
                            held = bytearray()
                            line += 1
                            yield from records
                            continue
                    break
                if at_line_start:
                    if scanning:
                        scanner.resync(piece)
                        scanning = not scanner.idle
                        if found:
                            yield from found
                            found.clear()
                    if not scanning and (ends_line or len(piece) < limit):
                        text = piece.strip(_SPACE)
                        if not text:
                            line += 1
                            continue
                        head = text[0]
                        if head == _LBRACE and text[-1] == _RBRACE and len(text) <= max_document:
                            yield Record(line, text)
                            line += 1
                            continue
                        if head == _LBRACKET and text[-1] == _RBRACKET and len(text) <= at_once:
                            try:
                                elements = _ARRAY.decode(text)
                            except (msgspec.DecodeError, RecursionError):
                                pass  # not one valid array: the scanner tells what it is
                            else:
                                for index, element in enumerate(elements):
                                    yield Record(line, bytes(element), index)
                                line += 1
                                continue
                        elif head == _BOM_START and text.startswith(_BOM):
                            piece = text[3:]  # recordings concatenated from files with a BOM
                        if len(text) == 1 == len(piece.rstrip(_SPACE)) and line > replayed_until:
                            held += piece
                            held_line = line
                            closing = b"]" if head == _LBRACKET else b"}"
                            line += 1
                            continue
                for step in range(0, len(piece), _SCAN_STEP):
                    last_step = step + _SCAN_STEP >= len(piece)
                    scanner.feed(piece[step : step + _SCAN_STEP], line, ends_line and last_step)
                    if found:
                        yield from found
                        found.clear()
                scanning = not scanner.idle
                at_line_start = ends_line
                if ends_line:
                    line += 1
            else:
                if not held:
                    break
            # Not the simple document hoped for (or cut off by the end of input): the scanner
            # reads the held lines as if they had never been held.
            source = chain(_pieces(bytes(held)), pieces)
            line = held_line
            replayed_until = held_line + held.count(b"\n") - (held[-1] == _NEWLINE)
            held = bytearray()
    except OSError as error:
        raise RecordingError(f"reading failed at line {line}: {error}") from error
    scanner.finish()
    yield from found


def _pieces(text: bytes) -> Iterator[bytes]:
    """``text`` cut into pieces as ``readline`` would have given them."""
    start = 0
    while start < len(text):
        end = text.find(b"\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


def _split_document(document: bytes, line: int) -> Iterator[Record] | None:
    """The records of a complete pretty-printed document starting on ``line``, or None if it
    is not valid JSON (then the scanner reads it)."""
    try:
        if document[0] == _LBRACE:
            _VALUE.decode(document)
            return iter((Record(line, document.rstrip(_SPACE)),))
        return _located(document, _ARRAY.decode(document), line)
    except (msgspec.DecodeError, RecursionError):  # nested past the parser's depth, too
        return None


def _located(document: bytes, elements: list[msgspec.Raw], line: int) -> Iterator[Record]:
    # Each element is found right after the previous one: only whitespace and one comma lie
    # between, so the first match is the element itself.
    position = document.index(b"[") + 1
    for index, element in enumerate(elements):
        text = bytes(element)
        start = document.find(text, position)
        line += document.count(b"\n", position, start)
        yield Record(line, text, index)
        line += text.count(b"\n")
        position = start + len(text)


@contextmanager
def open_recording(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """The recording at ``path`` opened for :func:`iter_records`; ``"-"`` is standard input
    (left open afterwards). Raises :class:`RecordingError` if it cannot be opened."""
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise RecordingError("standard input is not available as bytes")
        yield stdin
        return
    try:
        stream = open(path, "rb", buffering=_READ_BUFFER)  # noqa: SIM115 - closed below
    except OSError as error:
        raise RecordingError(f"cannot read {os.fsdecode(path)}: {error.strerror}") from None
    with stream:
        yield stream
