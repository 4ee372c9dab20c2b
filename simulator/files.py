"""Files on the server (to be built: see docs/simulator.md and reducers/files.py)."""

from __future__ import annotations

from ._core import Domain


class Files(Domain):
    name = "files"
