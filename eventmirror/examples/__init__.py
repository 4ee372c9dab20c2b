"""The bundled example recording: one user's session over an office day, every event type.

``EXAMPLE`` is the recording's path (one JSON event a line), ``EXAMPLE_ME`` the session's
user: ``reducers.fold(EXAMPLE.read_bytes().splitlines(), strict=True, me=EXAMPLE_ME)``.
``python -m eventmirror.examples.generate`` rewrites it from its deterministic story.
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from importlib import resources
from pathlib import Path
from typing import Final

#: The recording's file name inside this package.
FILENAME: Final = "office-day.jsonl"

#: The user whose session the recording is.
EXAMPLE_ME: Final = "0f6bd8a3-6c2e-4d3b-9a51-7e2c94b1d5f0"

# ``as_file`` hands back the file itself when the package is installed as files, and a
# temporary copy (removed at exit) when it is imported from a zip, so EXAMPLE is always a
# real path that tools outside Python can open.
_copies = ExitStack()
atexit.register(_copies.close)
#: The recording.
EXAMPLE: Final[Path] = _copies.enter_context(
    resources.as_file(resources.files(__name__).joinpath(FILENAME))
)

__all__ = ["EXAMPLE", "EXAMPLE_ME", "FILENAME"]
