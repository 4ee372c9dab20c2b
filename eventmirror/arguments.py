"""Argument types the commands share, so each says the same words about the same mistake."""

from __future__ import annotations

import argparse


def event_id(text: str) -> int:
    """An event id on the command line (``--until-id``, ``--from-id``, ``--to-id``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an event id (a whole number), got {text!r}"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an event id >= 0, got {value}")
    return value
