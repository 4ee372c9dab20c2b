"""A run of the client state machine written down as a scenario file (docs/scenarios.md).

:class:`Recorder` watches a simulator world while :mod:`eventmirror.client_machine` drives it:
every command carried out (the outermost one: a command may call others), every subscription,
clock move, staged delivery and session opened becomes a step. :meth:`Recorder.failure` writes
the steps as a scenario that replays the run exactly (the same seed, users and sessions in the
same order, so the simulator mints the same UUIDs), with every UUID a command returned saved
as a ``$name``, and an ``expect`` step pinning the oracle where the client disagreed. With the
mirror the scenario passes; with the client (``eventmirror run --client``) it fails there.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import yaml

from reducers.agreement import Disagreement
from scenarios.commands import COMMANDS, SUBSCRIPTIONS
from scenarios.names import Symbolic
from simulator import World

#: How a saved UUID is named after the domain of the command that returned it.
_SAVED_AS: Mapping[str, str] = {"tags": "tag", "objects": "object", "comments": "comment"}
#: The marker between the failure's explanation and the scenario, so tools can cut it out.
SCENARIO_BEGIN = "# --- scenario: save as a *.scenario.yaml file ---"
SCENARIO_END = "# --- end of scenario ---"


class _Matcher:
    """``!any`` or ``!absent`` in the written scenario."""

    def __init__(self, tag: str) -> None:
        self.tag = tag


ANY, ABSENT = _Matcher("!any"), _Matcher("!absent")


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a value written twice is written out twice: a person reads the file


_Dumper.add_representer(_Matcher, lambda dumper, value: dumper.represent_scalar(value.tag, ""))


class Recorder:
    """Records what happens to ``world`` as scenario steps (see the module's docstring)."""

    def __init__(self, world: World, seed: int, users: Sequence[str]) -> None:
        self.world, self.seed, self.users = world, seed, tuple(users)
        self.sessions: dict[str, str] = {}
        self.steps: list[dict[str, Any]] = []
        #: ``$name`` -> value: the users, then what commands returned.
        self.names: dict[str, str] = dict(world.users)
        self._counts: dict[str, int] = {}
        self._depth = 0
        self._active = False
        self._session_names: dict[str, str] = {}
        for command in COMMANDS.values():
            self._wrap(command.domain, command.method, functools.partial(self._do, command.name))
        for kind, (domain, method) in SUBSCRIPTIONS.items():
            self._wrap(domain, method, functools.partial(self._subscribe, kind))

    # -- what the machine reports -----------------------------------------------------------

    def opened_at_start(self, sessions: Mapping[str, Any]) -> None:
        for name, seat in sessions.items():
            self.sessions[name] = self.world.names[seat.session.user]
            self._session_names[seat.session.id] = name

    @contextlib.contextmanager
    def recording(self, seats: Mapping[str, Any]) -> Iterator[None]:
        """Record the commands run inside as steps."""
        self._session_names = {seat.session.id: name for name, seat in seats.items()}
        self._active = True
        try:
            yield
        finally:
            self._active = False

    def advanced(self, seconds: int) -> None:
        self.steps.append({"advance": seconds})

    def delivered(self, session: str, event: Mapping[str, Any]) -> None:
        self.steps.append({"deliver": dict(event), "to": session})

    def opened(self, session: str, user: str) -> None:
        self.steps.append({"open": session, "user": user})

    # -- the scenario -----------------------------------------------------------------------

    def failure(
        self, session: str, oracle: Mapping[str, Any], found: Sequence[Disagreement]
    ) -> str:
        """Why the client of ``session`` disagrees, then the scenario that shows it."""
        shown = Symbolic(self.names)
        headline = (
            f"the client of session {session} disagrees with its oracle (the mirror folded "
            f"from the same events) at {len(found)} {'place' if len(found) == 1 else 'places'} "
            f"after step {len(self.steps)}:"
        )
        details = [f"  {_shown(item, shown).describe()}" for item in found[:20]]
        return self._with_scenario([headline, *details], self.scenario(session, oracle, found))

    def crash(self, session: str, call: str, error: BaseException) -> str:
        """Why the client of ``session`` broke in ``call``, then the scenario leading there."""
        said = Symbolic(self.names).text(f"{type(error).__name__}: {error}")
        headline = f"the client of session {session} raised in {call}() at step {len(self.steps)}:"
        return self._with_scenario([headline, f"  {said}"], self.scenario(session, {}, []))

    @staticmethod
    def _with_scenario(why: list[str], scenario: str) -> str:
        return "\n".join(
            [
                *why,
                "",
                "The run as a scenario (it passes for the mirror; with the client under test "
                "it fails at its last step):",
                SCENARIO_BEGIN,
                scenario,
                SCENARIO_END,
            ]
        )

    def scenario(
        self, session: str, oracle: Mapping[str, Any], found: Sequence[Disagreement]
    ) -> str:
        """The recorded run as a scenario file's text, ending in an ``expect`` of the oracle."""
        shown = Symbolic(self.names)
        expected = _expectation(oracle, found)
        steps = [*self.steps]
        if expected:
            steps.append({"expect": session, "mirror": expected})
        if not steps:  # a scenario has a step; this one holds at the start of any run
            steps.append({"expect_events": session, "events": []})
        head: dict[str, Any] = {
            "name": f"the client of session {session} agrees with the mirror",
            "description": "found by eventmirror.client_machine (property test), shrunk",
            "seed": self.seed,
            "users": list(self.users),
        }
        if self.sessions != {user: user for user in self.users}:
            head["sessions"] = self.sessions
        text = [f"{key}: {_flow(value)}" for key, value in head.items()]
        text.append("steps:")
        text += [f"  - {_flow(shown(step))}" for step in steps]
        return "\n".join(text)

    # -- watching the world -----------------------------------------------------------------

    def _wrap(self, domain: str, method: str, record: Callable[..., None]) -> None:
        owner = getattr(self.world, domain)
        original = getattr(owner, method)

        @functools.wraps(original)
        def watched(*args: Any, **kwargs: Any) -> Any:
            outermost = self._active and self._depth == 0
            self._depth += 1
            try:
                result = original(*args, **kwargs)
            finally:
                self._depth -= 1
            if outermost:
                record(inspect.signature(original).bind(*args, **kwargs), result)
            return result

        setattr(owner, method, watched)

    def _do(self, name: str, bound: inspect.BoundArguments, result: Any) -> None:
        command = COMMANDS[name]
        step: dict[str, Any] = {"do": name}
        arguments: dict[str, Any] = {}
        for parameter, value in bound.arguments.items():
            if parameter == command.actor:
                if value is not None:
                    step["as"] = self.world.names.get(value, value)
            elif parameter == command.open_ended:
                arguments.update({key: _plain(item) for key, item in value.items()})
            else:
                arguments[parameter] = _plain(value)
        if arguments:
            step["with"] = arguments
        if isinstance(result, str) and result not in self.names.values():
            prefix = _SAVED_AS.get(command.domain, command.domain)
            self._counts[prefix] = self._counts.get(prefix, 0) + 1
            saved = f"{prefix}{self._counts[prefix]}"
            self.names[saved] = result
            step["save"] = saved
        self.steps.append(step)

    def _subscribe(self, kind: str, bound: inspect.BoundArguments, result: Any) -> None:
        values = list(bound.arguments.values())
        session = values[0] if isinstance(values[0], str) else values[0].id
        step: dict[str, Any] = {"subscribe": kind}
        if len(values) > 1:
            step["to"] = values[1]
        step["session"] = self._session_names[session]
        self.steps.append(step)


def _shown(item: Disagreement, shown: Symbolic) -> Disagreement:
    """The disagreement with every UUID the run named shown as its ``$name``."""
    return Disagreement(
        shown.text(item.path), item.kind, shown(item.expected), shown(item.reported), item.hint
    )


def _expectation(oracle: Mapping[str, Any], found: Sequence[Disagreement]) -> dict[str, Any]:
    """A partial ``mirror:`` expectation holding the oracle's value at each disagreement."""
    expected: dict[str, Any] = {}
    for item in found:
        path = [_unescape(part) for part in item.path.split("/")[1:]]
        if item.kind in ("unknown section", "not an object") or not path:
            continue
        value: Any
        if item.kind == "missing":
            value = ANY
        elif item.kind == "extra" or item.expected is None:
            value = ABSENT
        else:
            value = item.expected
        place = expected
        for part in path[:-1]:
            place = place.setdefault(part, {})
        place[path[-1]] = value
    return expected


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def _plain(value: Any) -> Any:
    """A command's argument as YAML writes it: mappings, lists, and scalars."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _flow(value: Any) -> str:
    text: str = yaml.dump(
        value,
        Dumper=_Dumper,
        default_flow_style=True,
        sort_keys=False,
        width=1_000_000,
        allow_unicode=True,
    )
    text = text.removesuffix("\n...\n").strip()
    return text.replace("!absent ''", "!absent ").replace("!any ''", "!any ")


def scenario_between_markers(text: str) -> str:
    """The scenario inside a failure message (between the markers), for tools and tests."""
    start = text.index(SCENARIO_BEGIN) + len(SCENARIO_BEGIN)
    return text[start : text.index(SCENARIO_END, start)].strip() + "\n"


__all__ = ["SCENARIO_BEGIN", "SCENARIO_END", "Recorder", "scenario_between_markers"]
