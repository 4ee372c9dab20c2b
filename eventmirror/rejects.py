"""``replay --rejects FILE``: every rejected input line, verbatim, with its reason.

Nothing is lost: a line the mirror could not use is written as one JSON object a line,
``{"line": 12, "reason": "...", "text": "<the line as read>"}``; a line that is not valid
UTF-8 carries ``"base64"`` instead of ``"text"``, so the bytes come back exactly.
"""

from __future__ import annotations

import base64
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import msgspec


class RejectsFile:
    """Writes rejected records to a JSON Lines file (a context manager)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0
        self._file: BinaryIO | None = None
        self._encoder = msgspec.json.Encoder()

    def __enter__(self) -> RejectsFile:
        try:
            self._file = Path(self.path).open("wb")
        except OSError as error:
            from .recording import RecordingError

            raise RecordingError(f"cannot write {self.path}: {error.strerror or error}") from None
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._file is not None:
            self._file.close()

    def write(self, line: int, data: bytes, reason: str) -> None:
        assert self._file is not None, "use RejectsFile as a context manager"
        entry: dict[str, object] = {"line": line, "reason": reason}
        try:
            entry["text"] = data.decode("utf-8")
        except UnicodeDecodeError:
            entry["base64"] = base64.b64encode(data).decode("ascii")
        self._file.write(self._encoder.encode(entry) + b"\n")
        self.count += 1
