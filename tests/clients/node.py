"""The JavaScript example client, driven through the product's own process adapter
(:mod:`scenarios.process_client`, what ``--client-cmd`` uses), so a broken client fails a test
within :data:`TIMEOUT` seconds and never hangs it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Final

from scenarios.client import ClientSession
from scenarios.process_client import ProcessClient

ROOT: Final = Path(__file__).resolve().parents[2]
JS_CLIENT: Final = ROOT / "examples" / "clients" / "js" / "client.mjs"
NODE: Final = shutil.which("node")
TIMEOUT: Final = 20.0


def js_client(session: ClientSession) -> ProcessClient:
    """The JavaScript example client for ``session`` (the caller closes it)."""
    assert NODE is not None
    return ProcessClient([NODE, str(JS_CLIENT)], session, TIMEOUT)
