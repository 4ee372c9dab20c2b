"""The simulator commands a scenario may perform, and the kinds of subscription.

A step names a command as ``domain.command`` (the module names of ``simulator/``), the user who
performs it with ``as:``, and its arguments with ``with:``, by the names of the simulator
method's parameters. The table is derived from the commands' own declarations
(``simulator/commands.py``): who acts, which arguments exist and which are required, so it
cannot drift from the simulator.

Subscriptions to detailed streams are their own step (``subscribe:``), not commands.
"""

from __future__ import annotations

from collections.abc import Mapping

from simulator.commands import Command, catalogue

__all__ = ["COMMANDS", "SUBSCRIPTIONS", "Command"]

COMMANDS: Mapping[str, Command] = catalogue()

#: ``subscribe:`` kinds -> (domain, method). ``calls`` takes no target.
SUBSCRIPTIONS: Mapping[str, tuple[str, str]] = {
    "conference": ("conference", "subscribe"),
    "presentation": ("presentation", "subscribe"),
    "sensor": ("sensor", "subscribe"),
    "calls": ("call", "enable"),
}
