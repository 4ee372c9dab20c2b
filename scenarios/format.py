"""The scenario format: what a file may say, checked in full before anything runs.

docs/scenarios.md describes the format for people; this module is its schema. A document
becomes a :class:`Scenario` holding typed steps, or a :class:`ScenarioFileError` that names the
file, the line and the key, and says what would be right. Nothing here touches a simulator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import reducers
from eventmirror.errors import did_you_mean
from eventmirror.events import EVENT_TYPES

from .commands import COMMANDS, SUBSCRIPTIONS
from .faults import Fault, FaultError
from .faults import parse as parse_faults
from .matching import ABSENT, ANY, Regex, Unordered
from .model import (
    Advance,
    Deliver,
    Do,
    Expect,
    ExpectClient,
    ExpectEvents,
    Open,
    Replay,
    Scenario,
    StageFaults,
    Step,
    Subscribe,
)
from .names import NamePass, references
from .yamlload import LocatedDict, LocatedList, ScenarioFileError, line_of

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


#: Step kind -> (keys it must have, keys it may have). The kind key comes first.
STEP_KEYS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "do": (("do",), ("as", "with", "save", "refused")),
    "deliver": (("deliver", "to"), ()),
    "advance": (("advance",), ()),
    "subscribe": (("subscribe", "session"), ("to", "refused")),
    "replay": (("replay", "to"), ()),
    "open": (("open", "user"), ()),
    "expect": (("expect", "mirror"), ("strict",)),
    "expect_events": (("expect_events", "events"), ()),
    "expect_client": (("expect_client", "state"), ("strict",)),
    "faults": (("faults", "session"), ()),
}
#: The top-level keys of the mirror's JSON form, which ``expect: mirror:`` checks.
MIRROR_SECTIONS: tuple[str, ...] = tuple(reducers.to_json(reducers.empty(None)))
SCENARIO_KEYS = ("name", "users", "steps")
OPTIONAL_SCENARIO_KEYS = ("description", "rulings", "seed", "start", "sessions", "uuids")


class _Checker:
    """Checks one document, turning it into a Scenario; raises at the first mistake."""

    def __init__(self, path: str, document: Any) -> None:
        self.path = path
        self.document = document

    def fail(self, line: int, message: str) -> ScenarioFileError:
        return ScenarioFileError(self.path, line, message)

    def scenario(self) -> Scenario:
        doc = self.document
        if not isinstance(doc, LocatedDict):
            raise self.fail(
                line_of(doc, 1),
                "a scenario is a mapping with name, users and steps (docs/scenarios.md)",
            )
        self.keys(doc, "a scenario", SCENARIO_KEYS, OPTIONAL_SCENARIO_KEYS)
        name = self.text(doc, "name")
        users, user_uuids = self.users(doc)
        sessions = self.sessions(doc, users)
        uuids = self.names(doc, "uuids") if "uuids" in doc else ()
        for duplicate in sorted(set(users) & set(uuids)):
            raise self.fail(doc.line_of("uuids"), f"{duplicate!r} is a user already")
        rulings = self.names(doc, "rulings") if "rulings" in doc else ()
        seed = self.integer(doc, "seed", minimum=0) if "seed" in doc else 0
        start = self.start(doc) if "start" in doc else None
        steps_value = doc["steps"]
        if not isinstance(steps_value, LocatedList) or not steps_value:
            raise self.fail(doc.line_of("steps"), "steps is a list with at least one step")
        names = NamePass(self, users, uuids, sessions)
        steps = tuple(
            self.step(index, item, steps_value.line_of(index), names)
            for index, item in enumerate(steps_value)
        )
        return Scenario(
            name=name,
            path=self.path,
            line=doc.line,
            description=self.text(doc, "description") if "description" in doc else "",
            rulings=rulings,
            seed=seed,
            start=start,
            users=users,
            sessions=sessions,
            uuids=uuids,
            steps=steps,
            user_uuids=user_uuids,
        )

    # -- the parts of a scenario -----------------------------------------------------------

    def keys(
        self, mapping: LocatedDict, what: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> None:
        allowed = required + optional
        for key in mapping:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed)
                raise self.fail(
                    mapping.line_of(key),
                    f"{what} has no key {key!r}{hint} (it may have: {', '.join(allowed)})",
                )
        for key in required:
            if key not in mapping:
                raise self.fail(mapping.line, f"{what} needs the key {key!r}")

    def text(self, mapping: LocatedDict, key: str) -> str:
        value = mapping[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(mapping.line_of(key), f"{key} is a non-empty text, got {value!r}")
        return value

    def integer(self, mapping: LocatedDict, key: str, *, minimum: int) -> int:
        value = mapping[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(
                mapping.line_of(key), f"{key} is a whole number >= {minimum}, got {value!r}"
            )
        return value

    def name(self, mapping: LocatedDict, key: str, value: Any = None) -> str:
        value = mapping[key] if value is None else value
        if not isinstance(value, str) or not _NAME.match(value):
            raise self.fail(
                mapping.line_of(key),
                f"{value!r} is not a name: names start with a letter or _ and hold letters, "
                "digits, _, . and -",
            )
        return value

    def names(self, mapping: LocatedDict, key: str) -> tuple[str, ...]:
        value = mapping[key]
        if not isinstance(value, LocatedList) or not value:
            raise self.fail(mapping.line_of(key), f"{key} is a list of names, got {value!r}")
        names = tuple(self.name(mapping, key, item) for item in value)
        for index, item in enumerate(names):
            if item in names[:index]:
                raise self.fail(value.line_of(index), f"{item!r} is listed twice in {key}")
        return names

    def users(self, doc: LocatedDict) -> tuple[tuple[str, ...], dict[str, str]]:
        """The user names, and the UUIDs of users given one: ``users: {me: <UUID>}`` lets a
        scenario act as a real user, such as the user of a recording it replays."""
        value = doc["users"]
        if not isinstance(value, LocatedDict):
            return self.names(doc, "users"), {}
        if not value:
            raise self.fail(
                doc.line_of("users"),
                "users is a list of names, or a mapping of names to UUIDs as in: "
                "users: {anna: 0f6bd8a3-6c2e-4d3b-9a51-7e2c94b1d5f0}",
            )
        user_uuids: dict[str, str] = {}
        for name, uuid in value.items():
            self.name(value, name, name)
            if not isinstance(uuid, str) or not UUID_PATTERN.match(uuid):
                raise self.fail(
                    value.line_of(name),
                    f"user {name!r} is given {uuid!r}, which is not a UUID "
                    "(as in 0f6bd8a3-6c2e-4d3b-9a51-7e2c94b1d5f0)",
                )
            for other, taken in user_uuids.items():
                if taken.lower() == uuid.lower():
                    raise self.fail(value.line_of(name), f"{other!r} has the UUID {uuid} already")
            user_uuids[name] = uuid
        return tuple(user_uuids), user_uuids

    def sessions(self, doc: LocatedDict, users: tuple[str, ...]) -> dict[str, str]:
        if "sessions" not in doc:
            return {user: user for user in users}
        value = doc["sessions"]
        if not isinstance(value, LocatedDict) or not value:
            raise self.fail(
                doc.line_of("sessions"),
                "sessions maps each session's name to its user, as in: sessions: {ben-phone: ben}",
            )
        sessions: dict[str, str] = {}
        for session, user in value.items():
            self.name(value, session, session)
            if user not in users:
                raise self.fail(
                    value.line_of(session),
                    f"session {session!r} belongs to {user!r}, who is not among the users "
                    f"({', '.join(users)})",
                )
            sessions[session] = user
        return sessions

    def start(self, doc: LocatedDict) -> int:
        value = doc["start"]
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                if moment.tzinfo is not None:
                    return int(moment.timestamp())
        raise self.fail(
            doc.line_of("start"),
            f"start is seconds since the epoch or an ISO 8601 time with its zone, as in "
            f"2026-03-17T08:00:00Z; got {value!r}",
        )

    # -- steps -----------------------------------------------------------------------------

    def step(self, index: int, item: Any, line: int, names: NamePass) -> Step:
        if not isinstance(item, LocatedDict):
            raise self.fail(line, f"step {index + 1} is a mapping, as in: - advance: 60")
        kinds = [key for key in item if key in STEP_KEYS]
        if len(kinds) != 1:
            found = " and ".join(map(repr, kinds)) if kinds else "none"
            raise self.fail(
                item.line,
                f"a step has exactly one of {', '.join(STEP_KEYS)}; this one has {found}",
            )
        kind = kinds[0]
        required, optional = STEP_KEYS[kind]
        self.keys(item, f"a {kind!r} step", required, optional)
        names.check_references(item, kind)
        base: dict[str, Any] = {"index": index, "line": item.line, "written": item}
        step: Step
        if kind == "do":
            step = self.do_step(item, base, names)
        elif kind == "deliver":
            step = Deliver(**base, session=names.session(item, "to"), event=item["deliver"])
            self.deliverable(item)
        elif kind == "advance":
            step = Advance(**base, seconds=self.integer(item, "advance", minimum=1))
        elif kind == "subscribe":
            step = self.subscribe_step(item, base, names)
        elif kind == "replay":
            step = Replay(**base, session=names.session(item, "to"), recording=self.recording(item))
        elif kind == "faults":
            step = StageFaults(
                **base, session=names.session(item, "session"), faults=self.faults(item)
            )
        elif kind == "open":
            user = item["user"]
            if user not in names.users:
                raise self.fail(item.line_of("user"), f"{user!r} is not among the users")
            step = Open(**base, session=names.new_session(item, "open", user), user=user)
        elif kind == "expect":
            strict, mirror = self.expectation(item, "mirror")
            step = Expect(
                **base, session=names.session(item, "expect"), mirror=mirror, strict=strict
            )
        elif kind == "expect_client":
            strict, state = self.expectation(item, "state")
            step = ExpectClient(
                **base, session=names.session(item, "expect_client"), state=state, strict=strict
            )
        else:
            events = item["events"]
            if not isinstance(events, LocatedList) or any(
                not isinstance(event, LocatedDict | str | Regex) and event is not ANY
                for event in events
            ):
                raise self.fail(
                    item.line_of("events"),
                    "events is a list of event mappings, as in: [{event: tag_new}] ([] means "
                    "no events); a raw line that is no event is matched by its text or !regex",
                )
            for event in events:
                if isinstance(event, LocatedDict):
                    self.event_name(event)
            step = ExpectEvents(
                **base, session=names.session(item, "expect_events"), events=list(events)
            )
        return step

    def expectation(self, item: LocatedDict, key: str) -> tuple[bool, LocatedDict]:
        """``strict`` and the sections of an ``expect`` (``mirror``) or ``expect_client``
        (``state``: the client reports the mirror's sections) step."""
        strict = item.get("strict", False)
        if not isinstance(strict, bool):
            raise self.fail(item.line_of("strict"), "strict is true or false")
        sections = item[key]
        if not isinstance(sections, LocatedDict):
            raise self.fail(item.line_of(key), f"{key} is a mapping of mirror sections")
        for section in sections:
            if section not in MIRROR_SECTIONS:
                hint = did_you_mean(str(section), MIRROR_SECTIONS)
                raise self.fail(
                    sections.line_of(section),
                    f"the mirror has no section {section!r}{hint} (its sections: "
                    f"{', '.join(MIRROR_SECTIONS)}; docs/mirror.md)",
                )
        return strict, sections

    def do_step(self, item: LocatedDict, base: dict[str, Any], names: NamePass) -> Do:
        command_name = item["do"]
        command = COMMANDS.get(command_name) if isinstance(command_name, str) else None
        if command is None:
            hint = did_you_mean(str(command_name), COMMANDS, n=3)
            subscribing = (
                " (subscriptions are their own step: - subscribe: conference)"
                if str(command_name).endswith((".subscribe", ".enable"))
                else ""
            )
            raise self.fail(
                item.line_of("do"),
                f"there is no command {command_name!r}{hint}{subscribing} "
                "(eventmirror commands lists them)",
            )
        arguments = item.get("with", LocatedDict())
        if not isinstance(arguments, LocatedDict):
            raise self.fail(item.line_of("with"), "with is a mapping of the command's arguments")
        if _holds_matcher(arguments):
            raise self.fail(
                item.line_of("with"),
                "a command's arguments are plain data: matchers (!any, !absent, !regex, "
                "!unordered) belong in expect steps",
            )
        actor = item.get("as")
        if actor is not None:
            if command.actor is None:
                raise self.fail(
                    item.line_of("as"),
                    f"{command.name} is done by the platform, not by a user: leave out 'as'",
                )
            if actor not in names.users:
                raise self.fail(item.line_of("as"), f"{actor!r} is not among the users")
        elif command.actor_required:
            raise self.fail(item.line, f"{command.name} is done by a user: add 'as: <user>'")
        for key in arguments:
            if command.actor is not None and key == command.actor:
                raise self.fail(
                    arguments.line_of(key), f"the acting user is given by 'as', not by {key!r}"
                )
            if key not in command.names and command.open_ended is None:
                hint = did_you_mean(str(key), command.names)
                raise self.fail(
                    arguments.line_of(key),
                    f"{command.name} has no argument {key!r}{hint} "
                    f"(its arguments: {', '.join(command.names) or 'none'})",
                )
        for key in command.required:
            if key in arguments:
                continue
            raise self.fail(
                item.line_of("with"), f"{command.name} needs the argument {key!r} under 'with'"
            )
        refused = item.get("refused")
        if refused is not None and (not isinstance(refused, str) or "save" in item):
            raise self.fail(
                item.line_of("refused"),
                "refused is a text the refusal's message must contain (and a refused command "
                "saves nothing)",
            )
        save = names.save(item) if "save" in item else None
        return Do(
            **base,
            command=command.name,
            actor=actor,
            arguments=arguments,
            save=save,
            refused=refused,
        )

    def subscribe_step(self, item: LocatedDict, base: dict[str, Any], names: NamePass) -> Subscribe:
        kind = item["subscribe"]
        if kind not in SUBSCRIPTIONS:
            raise self.fail(
                item.line_of("subscribe"),
                f"one subscribes to {', '.join(SUBSCRIPTIONS)}; not to {kind!r}",
            )
        if (kind == "calls") == ("to" in item):
            needs = "takes no 'to'" if kind == "calls" else "needs 'to: $<name>'"
            raise self.fail(item.line, f"subscribe: {kind} {needs}")
        refused = item.get("refused")
        if refused is not None and not isinstance(refused, str):
            raise self.fail(item.line_of("refused"), "refused is a text the refusal must contain")
        return Subscribe(
            **base,
            session=names.session(item, "session"),
            kind=kind,
            target=item.get("to"),
            refused=refused,
        )

    def faults(self, item: LocatedDict) -> tuple[Fault, ...]:
        """The faults of a ``faults`` step, checked by the one declaration serve uses too."""
        written = item["faults"]
        try:
            return tuple(parse_faults(written))
        except FaultError as wrong:
            position = re.match(r"faults\[(\d+)\]", str(wrong))
            line = item.line_of("faults")
            if position is not None and isinstance(written, LocatedList):
                line = written.line_of(int(position.group(1)))
            raise self.fail(line, str(wrong)) from None

    def deliverable(self, item: LocatedDict) -> None:
        event = item["deliver"]
        if isinstance(event, LocatedDict):
            self.event_name(event)
            if _holds_matcher(event):
                raise self.fail(
                    item.line_of("deliver"),
                    "a delivered event is plain data: matchers (!any, !absent, !regex, "
                    "!unordered) belong in expect steps",
                )
        elif not isinstance(event, str):
            raise self.fail(
                item.line_of("deliver"),
                "deliver takes an event mapping, or a text delivered as a raw line",
            )

    def event_name(self, event: LocatedDict) -> None:
        name = event.get("event")
        if isinstance(name, str) and name not in EVENT_TYPES:
            hint = did_you_mean(name, EVENT_TYPES)
            # Unknown types are legal on the wire (a newer server), so only a near miss is
            # flagged: that is a typo, not a test of unknown types.
            if hint:
                raise self.fail(event.line_of("event"), f"there is no event type {name!r}{hint}")

    def recording(self, item: LocatedDict) -> Path:
        value = item["replay"]
        if not isinstance(value, str) or not value:
            raise self.fail(item.line_of("replay"), "replay takes the recording's path")
        path = Path(self.path).parent / value
        if not path.is_file():
            raise self.fail(
                item.line_of("replay"),
                f"there is no recording {value!r} (paths are relative to the scenario file)",
            )
        return path


def _holds_matcher(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_holds_matcher(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_matcher(item) for item in value)
    return isinstance(value, Regex | Unordered) or value is ANY or value is ABSENT


def parse_steps(
    value: Any,
    path: str,
    *,
    users: tuple[str, ...],
    sessions: Mapping[str, str],
    names: tuple[str, ...] = (),
) -> tuple[Step, ...]:
    """A list of steps on their own (a served world's ``POST /_eventmirror/steps``), checked
    as a scenario's steps are, for a world with ``users``, the open ``sessions`` (name ->
    user) and the ``names`` earlier steps saved."""
    checker = _Checker(path, value)
    if not isinstance(value, LocatedList) or not value:
        raise checker.fail(line_of(value, 1), "steps is a list with at least one step")
    known = NamePass(checker, users, names, sessions)
    return tuple(
        checker.step(index, item, value.line_of(index), known) for index, item in enumerate(value)
    )


def parse(documents: list[Any], path: str) -> list[Scenario]:
    """The scenarios in a loaded file, each checked in full; scenario names are unique."""
    scenarios = [_Checker(path, document).scenario() for document in documents if document]
    seen: dict[str, int] = {}
    for scenario in scenarios:
        if scenario.name in seen:
            raise ScenarioFileError(
                path,
                scenario.line,
                f"two scenarios are named {scenario.name!r} (the other is on line "
                f"{seen[scenario.name]})",
            )
        seen[scenario.name] = scenario.line
    if not scenarios:
        raise ScenarioFileError(path, None, "the file holds no scenario")
    return scenarios


__all__ = [
    "Advance",
    "Deliver",
    "Do",
    "Expect",
    "ExpectClient",
    "ExpectEvents",
    "Open",
    "Replay",
    "Scenario",
    "StageFaults",
    "Step",
    "Subscribe",
    "parse",
    "parse_steps",
    "references",
]
