"""Symbolic names: ``$anna`` in a file stands for the UUID the name was given.

A name is a user (``users:``), a UUID minted for the scenario (``uuids:``), or what a step
created (``save:``). A text that starts with ``$`` must be a known name; ``$$`` writes a
literal dollar. References may be keys as well as values. Failure reports go the other way and
show every known UUID by its ``$name``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .matching import Unordered
from .yamlload import LocatedDict, LocatedList, ScenarioFileError

if TYPE_CHECKING:
    from .format import _Checker

# A $ starts an escaped dollar ($$), a name, or (nothing valid) a mistake. A name ends with a
# letter, digit or _, so "$anna." in a sentence refers to anna.
_TOKEN = re.compile(r"\$(\$|[A-Za-z_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|)")

#: Where each step kind may hold references (besides its session names).
_REFERENCING_KEYS: Mapping[str, tuple[str, ...]] = {
    "do": ("with",),
    "deliver": ("deliver",),
    "subscribe": ("to",),
    "expect": ("mirror",),
    "expect_client": ("state",),
    "expect_events": ("events",),
}


def names_in(text: str) -> list[str]:
    """The names ``text`` refers to; raises ValueError for a $ that starts no name."""
    found = []
    for match in _TOKEN.finditer(text):
        token = match.group(1)
        if not token:
            raise ValueError(f"{text!r} has a $ that starts no name; write $$ for a dollar sign")
        if token != "$":
            found.append(token)
    return found


def _substitute(text: str, table: Mapping[str, str]) -> str:
    def replacement(match: re.Match[str]) -> str:
        token = match.group(1)
        if token == "$":
            return "$"
        # Unknown names and stray dollars survive only outside the checked keys (a refusal's
        # text, a scenario's name), which are shown, never matched against a UUID.
        return table.get(token, match.group(0))

    return _TOKEN.sub(replacement, text) if "$" in text else text


def references(value: Any, line: int) -> Iterator[tuple[str, int]]:
    """Every (name, line) referred to anywhere in a value, keys included."""
    if isinstance(value, str):
        for name in names_in(value):
            yield name, line
    elif isinstance(value, Mapping):
        for key, item in value.items():
            key_line = value.line_of(key) if isinstance(value, LocatedDict) else line
            yield from references(key, key_line)
            yield from references(item, key_line)
    elif isinstance(value, list | Unordered):
        items = value.items if isinstance(value, Unordered) else value
        for index, item in enumerate(items):
            item_line = value.line_of(index) if isinstance(value, LocatedList) else line
            yield from references(item, item_line)


def resolve(value: Any, table: Mapping[str, str], *, text_keys: bool = False) -> Any:
    """Plain data with every ``$name`` replaced by its UUID and ``$$`` by ``$``.

    ``text_keys`` turns number keys into text, as JSON (and so the mirror's form) has them.
    """
    if isinstance(value, str):
        return _substitute(value, table)
    if isinstance(value, Mapping):
        resolved: dict[Any, Any] = {}
        for key, item in value.items():
            new_key = resolve(key, table)
            if text_keys and isinstance(new_key, int) and not isinstance(new_key, bool):
                new_key = str(new_key)
            resolved[new_key] = resolve(item, table, text_keys=text_keys)
        return resolved
    if isinstance(value, list):
        return [resolve(item, table, text_keys=text_keys) for item in value]
    if isinstance(value, Unordered):
        return Unordered([resolve(item, table, text_keys=text_keys) for item in value.items])
    return value


class Symbolic:
    """Shows values in a scenario's terms: every known UUID as ``$name``, other ``$`` as ``$$``."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names_of = {uuid: name for name, uuid in sorted(names.items())}
        # Longest first, so a UUID that contains another is replaced whole.
        ordered = sorted(self.names_of, key=lambda uuid: (-len(uuid), uuid))
        # A UUID followed by what would extend the name ("<uuid>.pdf" read as $anna.pdf) is
        # left as it is, so what a report shows can be pasted back into a file.
        self.pattern = (
            re.compile(f"(?:{'|'.join(map(re.escape, ordered))})(?![A-Za-z0-9_.-]*[A-Za-z0-9_])")
            if ordered
            else None
        )

    def text(self, text: str) -> str:
        text = text.replace("$", "$$")
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda match: f"${self.names_of[match.group(0)]}", text)

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self(key): self(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, Unordered):
            return Unordered([self(item) for item in value.items])
        return value


def symbolic(value: Any, names_of: Mapping[str, str]) -> Any:
    """``value`` with the UUIDs in ``names_of`` (UUID -> name) shown as ``$name``."""
    return Symbolic({name: uuid for uuid, name in names_of.items()})(value)


class NamePass:
    """Follows a scenario's steps in order, knowing which names and sessions exist so far."""

    def __init__(
        self,
        checker: _Checker,
        users: tuple[str, ...],
        uuids: tuple[str, ...],
        sessions: Mapping[str, str],
    ) -> None:
        self.checker = checker
        self.users = users
        self.defined: dict[str, str] = dict.fromkeys(users, "a user")
        self.defined.update((name, "a minted UUID") for name in uuids)
        self.sessions = dict(sessions)

    def fail(self, line: int, message: str) -> ScenarioFileError:
        return self.checker.fail(line, message)

    def session(self, item: LocatedDict, key: str) -> str:
        name = item[key]
        if name not in self.sessions:
            known = ", ".join(self.sessions)
            raise self.fail(
                item.line_of(key),
                f"there is no session {name!r} (sessions so far: {known}; "
                "sessions: or an open: step makes one)",
            )
        return str(name)

    def new_session(self, item: LocatedDict, key: str, user: str) -> str:
        name = self.checker.name(item, key)
        if name in self.sessions:
            raise self.fail(item.line_of(key), f"there is a session {name!r} already")
        self.sessions[name] = user
        return name

    def save(self, item: LocatedDict) -> str:
        name = self.checker.name(item, "save")
        if name in self.defined:
            raise self.fail(
                item.line_of("save"), f"{name!r} is {self.defined[name]} already; pick a new name"
            )
        self.defined[name] = f"saved by the step on line {item.line}"
        return name

    def check_references(self, item: LocatedDict, kind: str) -> None:
        for key in _REFERENCING_KEYS.get(kind, ()):
            if key not in item:
                continue
            try:
                found = list(references(item[key], item.line_of(key)))
            except ValueError as error:
                raise self.fail(item.line_of(key), str(error)) from None
            for name, line in found:
                if name not in self.defined:
                    raise self.fail(
                        line,
                        f"${name} is used before it is saved (names so far: "
                        f"{', '.join(sorted(self.defined))}); a step saves a name with "
                        "save: <name>, and uuids: mints one",
                    )
        actor = item.get("as")
        if kind == "do" and isinstance(actor, str) and actor.startswith("$"):
            raise self.fail(item.line_of("as"), "as names a user without $, as in: as: anna")
