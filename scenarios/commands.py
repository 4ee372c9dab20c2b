"""The simulator commands a scenario may perform, and how a step's keys map onto them.

A step names a command as ``domain.command`` (the module names of ``simulator/``), the user who
performs it with ``as:``, and its arguments with ``with:``. Each command here is a method of
the simulator's domain object; the table says which parameter receives the acting user and
renames the few parameters whose Python names would read badly in a file (``uuid`` becomes
the kind of thing it is). Everything else — which arguments exist, which are required — is
read from the method's signature, so the table cannot drift from the simulator.

Subscriptions to detailed streams are their own step (``subscribe:``), not commands.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from simulator import World


@attrs.frozen
class Command:
    """One command: ``name`` is ``domain.method``; ``actor`` the parameter ``as:`` fills."""

    name: str
    actor: str | None = None
    #: file name -> Python parameter name
    renamed: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def domain(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def method(self) -> str:
        return self.name.split(".", 1)[1]

    def bind(self, world: World) -> Callable[..., Any]:
        bound: Callable[..., Any] = getattr(getattr(world, self.domain), self.method)
        return bound

    @functools.cached_property
    def parameters(self) -> Parameters:
        """The argument names a file may give under ``with:``, from the method's signature."""
        function = getattr(_DOMAIN_CLASSES[self.domain], self.method)
        python_to_file = {python: file for file, python in self.renamed.items()}
        required, optional, open_ended = [], [], False
        for parameter in list(inspect.signature(function).parameters.values())[1:]:
            if parameter.kind is inspect.Parameter.VAR_KEYWORD:
                open_ended = True
                continue
            shown = python_to_file.get(parameter.name, parameter.name)
            if parameter.default is inspect.Parameter.empty:
                required.append(shown)
            else:
                optional.append(shown)
        return Parameters(tuple(required), tuple(optional), open_ended)

    def arguments(self, actor: str | None, given: Mapping[str, Any]) -> dict[str, Any]:
        """The keyword arguments for the simulator method."""
        arguments = {self.renamed.get(name, name): value for name, value in given.items()}
        if actor is not None and self.actor is not None:
            arguments[self.actor] = actor
        return arguments


@attrs.frozen
class Parameters:
    required: tuple[str, ...]
    optional: tuple[str, ...]
    #: The method takes any further keyword (``**fields``); the simulator checks them.
    open_ended: bool

    @property
    def names(self) -> tuple[str, ...]:
        return self.required + self.optional


def _commands(*commands: Command) -> dict[str, Command]:
    return {command.name: command for command in commands}


_OBJECT = {"object": "uuid"}
_CHAT = {"chat": "uuid"}

COMMANDS: Mapping[str, Command] = _commands(
    Command("user.modify_settings", "who"),
    Command("user.modify_phone", "who"),
    Command("user.invite", "owner"),
    Command("user.uninvite", "actor"),
    Command("tags.create", "owner"),
    Command("tags.modify", "actor"),
    Command("tags.delete", "actor"),
    Command("objects.create", "owner"),
    Command("objects.modify", "actor", _OBJECT),
    Command("objects.delete", "actor", _OBJECT),
    Command("objects.purge_trash", "owner"),
    Command("objects.retag", "actor", _OBJECT),
    Command("comments.add", "author", {"object": "obj"}),
    Command("comments.edit", "author", {"comment": "uuid"}),
    Command("comments.delete", "author", {"comment": "uuid"}),
    Command("metadata.set_user", "who"),
    Command("metadata.set_object", "actor", {"object": "obj"}),
    Command("fax.upload_and_convert", "actor"),
    Command("fax.report"),
    Command("announcement.convert", "actor"),
    Command("conference.join", "user"),
    Command("conference.update"),
    Command("conference.leave"),
    Command("conference.stop"),
    Command("conference.resend_status"),
    Command("conference.status_every"),
    Command("conference.stop_status_every"),
    Command("files.create", "actor"),
    Command("files.rename", "actor"),
    Command("files.move", "actor"),
    Command("files.upload", "actor"),
    Command("files.delete", "actor"),
    Command("files.empty", "actor"),
    Command("box.online"),
    Command("box.offline"),
    Command("box.online_again"),
    Command("dialplan.modify", "who"),
    Command("dialplan.callreverse_start", "who"),
    Command("dialplan.callreverse_stop", "who"),
    Command("sip.create_account", "owner"),
    Command("sip.modify"),
    Command("sip.delete"),
    Command("sip.register"),
    Command("sip.unregister"),
    Command("presentation.convert"),
    Command("presentation.start", "user"),
    Command("presentation.join", "user"),
    Command("presentation.leave", "user"),
    Command("presentation.update"),
    Command("presentation.keepalive"),
    Command("presentation.stop", "user"),
    Command("presentation.resend_status"),
    Command("presentation.status_every"),
    Command("presentation.stop_status_every"),
    Command("presentation.keepalive_every"),
    Command("presentation.stop_keepalive_every"),
    Command("chat.create", "who"),
    Command("chat.add_member", "actor", _CHAT),
    Command("chat.message", "who", _CHAT),
    Command("chat.leave", "who", _CHAT),
    Command("chat.typing", "who", _CHAT),
    Command("chat.read", "who", _CHAT),
    Command("call.update", "user"),
    Command("call.dtmf", "user"),
    Command("sensor.data"),
    Command("sensor.action"),
)

#: ``subscribe:`` kinds -> (domain, method). ``calls`` takes no target.
SUBSCRIPTIONS: Mapping[str, tuple[str, str]] = {
    "conference": ("conference", "subscribe"),
    "presentation": ("presentation", "subscribe"),
    "sensor": ("sensor", "subscribe"),
    "calls": ("call", "enable"),
}

_DOMAIN_CLASSES: Mapping[str, type] = {
    domain.name: type(domain) for domain in World(seed=0).domains
}
