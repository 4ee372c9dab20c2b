"""Commands declare themselves where they live: who acts, which arguments, what they do.

A command is a method of a domain (``world.tags.create``) marked with :func:`command`::

    class Tags(Domain):
        @command
        def create(self, actor: str, label: str, *, policy: Mapping[str, int] | None = None) -> str:
            \"\"\"A user creates a tag (the first paragraph is the command's one-line doc).

            The rest of the docstring: its rules.\"\"\"

        @command(actor=None)
        def report(self, fax: str, reports: Mapping[str, Any]) -> None:
            \"\"\"The platform updates send/receive reports.\"\"\"

The declaration is checked when the module is imported:

- ``@command``: a user acts. She is the first parameter, named ``actor``; annotate it
  ``str | None`` when the platform may do the same by itself (a caller without an account
  joining a conference): then a scenario's ``as:`` is optional for it.
- ``@command(actor=None)``: the platform or a device acts (a box coming online, sensor data, a
  fax report); no parameter is named ``actor``.
- After the actor come the entity the command works on, then its arguments; their names are
  the names a scenario file gives under ``with:`` and their annotations are their types.
- The method has a docstring: its first paragraph, joined into one line, is the command's
  doc (``eventmirror commands``, the docs' table); the rest is its details.

Everything else is derived from these declarations: the scenario engine's command table
(``scenarios/commands.py``), ``eventmirror commands [DOMAIN]``, and the command list in
docs/simulator.md, which a test regenerates with :func:`markdown_table`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import attrs

if TYPE_CHECKING:
    from ._core import Domain
    from .world import World

F = TypeVar("F", bound=Callable[..., Any])

#: The attribute :func:`command` sets on a method: its declaration.
_DECLARED = "__simulator_command__"
ACTOR = "actor"

#: Who performs a command: a user ("user"), a user or the platform itself ("user or platform"),
#: or the platform or a device only ("platform").
By = Literal["user", "user or platform", "platform"]


@attrs.frozen
class Argument:
    """One argument a command takes (the acting user aside)."""

    name: str
    #: The annotation as written in the simulator, e.g. ``Mapping[str, int] | None``.
    type: str
    required: bool


@attrs.frozen
class Command:
    """A declared command, as the scenario engine and ``eventmirror commands`` see it."""

    domain: str
    method: str
    by: By
    arguments: tuple[Argument, ...]
    #: The name of a ``**fields`` parameter: the command checks those keywords itself.
    open_ended: str | None
    summary: str
    details: str

    @property
    def name(self) -> str:
        return f"{self.domain}.{self.method}"

    @property
    def actor(self) -> str | None:
        """The parameter a scenario's ``as:`` fills (None: the platform acts)."""
        return None if self.by == "platform" else ACTOR

    @property
    def actor_required(self) -> bool:
        return self.by == "user"

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(argument.name for argument in self.arguments if argument.required)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(argument.name for argument in self.arguments)

    def bind(self, world: World) -> Callable[..., Any]:
        method: Callable[..., Any] = getattr(getattr(world, self.domain), self.method)
        return method

    def call(self, world: World, actor: str | None, arguments: Mapping[str, Any]) -> Any:
        """Carry the command out: ``actor`` (None: nobody, or the platform) with ``arguments``."""
        if self.actor is None:
            return self.bind(world)(**arguments)
        return self.bind(world)(actor, **arguments)

    def signature(self) -> str:
        """The command as one would call it: ``create(actor, label, policy=, foreign_use=)``."""
        parts = [ACTOR] if self.actor is not None else []
        parts += [a.name if a.required else f"{a.name}=" for a in self.arguments]
        if self.open_ended is not None:
            parts.append(f"**{self.open_ended}")
        return f"{self.method}({', '.join(parts)})"


@overload
def command(function: F, /) -> F: ...
@overload
def command(*, actor: str | None = ACTOR) -> Callable[[F], F]: ...
def command(function: F | None = None, /, *, actor: str | None = ACTOR) -> Any:
    """Declare a domain method a command (see the module's docstring for the rules)."""
    if actor not in (ACTOR, None):
        raise TypeError(f"the acting user's parameter is named {ACTOR!r}, not {actor!r}")

    def declare(method: F) -> F:
        setattr(method, _DECLARED, _by(method, actor is not None))
        return method

    return declare if function is None else declare(function)


def _by(method: Callable[..., Any], has_actor: bool) -> By:
    where = method.__qualname__
    if not (method.__doc__ or "").strip():
        raise TypeError(f"command {where} has no docstring: its first paragraph is its doc")
    parameters = list(inspect.signature(method).parameters.values())[1:]
    names = [parameter.name for parameter in parameters]
    if not has_actor:
        if ACTOR in names:
            raise TypeError(f"command {where} is done by the platform but has {ACTOR!r}")
        return "platform"
    if not names or names[0] != ACTOR:
        raise TypeError(f"command {where}: the acting user comes first, named {ACTOR!r}")
    first = parameters[0]
    if first.default is not inspect.Parameter.empty:
        raise TypeError(f"command {where}: {ACTOR!r} has no default (annotate it 'str | None')")
    may_be_none = "None" in _type(first).replace(" ", "").split("|")
    return "user or platform" if may_be_none else "user"


def _type(parameter: inspect.Parameter) -> str:
    annotation = parameter.annotation
    if annotation is inspect.Parameter.empty:
        return "Any"
    return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)


def declared(domain: str, method: Callable[..., Any]) -> Command:
    """The :class:`Command` a method of ``domain`` marked with :func:`command` is."""
    by: By = getattr(method, _DECLARED)
    arguments: list[Argument] = []
    open_ended = None
    for parameter in list(inspect.signature(method).parameters.values())[1:]:
        if parameter.name == ACTOR:
            continue
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            open_ended = parameter.name
            continue
        required = parameter.default is inspect.Parameter.empty
        arguments.append(Argument(parameter.name, _type(parameter), required))
    summary, _, details = inspect.cleandoc(method.__doc__ or "").partition("\n\n")
    summary = _plain(summary)
    return Command(
        domain, method.__name__, by, tuple(arguments), open_ended, summary, details.strip()
    )


def _plain(line: str) -> str:
    """The docstring's reStructuredText literals as Markdown ones, on one line."""
    return " ".join(line.split()).replace("``", "`")


def commands_of(domain: type[Domain]) -> Iterator[Command]:
    """A domain class's commands, in the order they are defined (base classes first)."""
    seen: set[str] = set()
    for cls in reversed(domain.__mro__):
        for name in vars(cls):
            if name not in seen and hasattr(getattr(domain, name, None), _DECLARED):
                seen.add(name)
                yield declared(domain.name, getattr(domain, name))


@functools.cache
def catalogue() -> Mapping[str, Command]:
    """Every command by ``domain.method``, domains in the world's order (the reference's)."""
    from .world import World  # the domains import this module

    return {
        found.name: found for domain in World(seed=0).domains for found in commands_of(type(domain))
    }


#: The lines around the generated command list in docs/simulator.md.
DOCS_BEGIN = "<!-- commands: generated from the @command declarations (simulator/commands.py) -->"
DOCS_END = "<!-- end of the generated command list -->"


def markdown_table() -> str:
    """The command list of docs/simulator.md, between :data:`DOCS_BEGIN` and :data:`DOCS_END`."""
    rows = [
        f"| `{found.domain}.{found.signature()}` | {_cell(found.summary)} |"
        for found in catalogue().values()
    ]
    return "\n".join(["| command | what it does |", "|---|---|", *rows])


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
