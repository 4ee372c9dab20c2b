"""Whether a client's own picture agrees with the mirror: the one rule every client test uses.

A client under test reports its state as a *subset* of the mirror's JSON form (docs/mirror.md):
the same section names and entity keys, any subset of sections and fields. It agrees with the
oracle (the mirror's JSON form) when

- for every section it reports, its set of entity keys equals the oracle's: a missing or an
  extra entity is a disagreement (the ``stream`` section holds fields, not entities, so only
  the fields reported are compared there);
- for every field it reports, the value equals the oracle's, compared as JSON values (a
  nested map or list is compared whole);
- sections and fields it does not report are not compared.

Absent and ``null`` are the same for optional fields (the platform leaves them out, and the
JSON form never writes an absent optional), so a field reported as ``null`` agrees with an
oracle that leaves it out. Sets are sorted lists in the JSON form; a client reports them
sorted too.

The scenario engine (``expect_client`` and the check after every step), the property tests
for a user's client and ``eventmirror serve``'s ``client-state`` call all call
:func:`disagreements`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final, Literal

import msgspec

from eventmirror.errors import did_you_mean

from .diff import pointer

#: The section of the JSON form that holds the stream's fields rather than entities.
STREAM: Final = "stream"

DisagreementKind = Literal["missing", "extra", "differs", "unknown section", "not an object"]


class Disagreement(msgspec.Struct, frozen=True):
    """One place where a client's state and the oracle's differ.

    ``path`` is a JSON Pointer (RFC 6901) into the JSON form. ``expected`` is the oracle's
    value there (``None`` when the oracle has nothing), ``reported`` the client's.
    """

    path: str
    kind: DisagreementKind
    expected: Any = None
    reported: Any = None
    hint: str = ""

    def describe(self) -> str:
        """One line a person reads: where, what, and both values."""
        if self.kind == "missing":
            return f"{self.path}: missing (the oracle has {_short(self.expected)})"
        if self.kind == "extra":
            return f"{self.path}: not in the oracle (the client has {_short(self.reported)})"
        if self.kind in ("unknown section", "not an object"):
            return f"{self.path}: {self.kind}{self.hint}"
        return (
            f"{self.path}: expected {_short(self.expected)}, the client has {_short(self.reported)}"
        )


def disagreements(oracle: Mapping[str, Any], reported: object) -> list[Disagreement]:
    """Every disagreement between a client's ``reported`` state and the ``oracle``'s JSON form,
    in a deterministic order (sections as reported, sorted keys); empty when they agree."""
    if not isinstance(reported, Mapping):
        return [Disagreement("", "not an object", hint=_expected_object(reported))]
    return list(_sections(oracle, reported))


def agrees(oracle: Mapping[str, Any], reported: object) -> bool:
    """Whether ``reported`` agrees with ``oracle`` by the rule of this module."""
    return not disagreements(oracle, reported)


def _sections(oracle: Mapping[str, Any], reported: Mapping[str, Any]) -> Iterator[Disagreement]:
    for section in sorted(reported):
        name = str(section)
        where = pointer(name)
        if name not in oracle:
            yield Disagreement(where, "unknown section", hint=did_you_mean(name, oracle))
            continue
        mine, theirs = reported[section], oracle[name]
        if not isinstance(mine, Mapping):
            yield Disagreement(where, "not an object", theirs, mine, _expected_object(mine))
            continue
        if name == STREAM:
            yield from _fields(where, theirs, mine)
        else:
            yield from _entities(where, theirs, mine)


def _entities(
    where: str, oracle: Mapping[str, Any], reported: Mapping[str, Any]
) -> Iterator[Disagreement]:
    for key in sorted(set(oracle) - set(reported)):
        yield Disagreement(where + pointer(key), "missing", expected=oracle[key])
    for key in sorted(reported):
        path = where + pointer(str(key))
        if key not in oracle:
            yield Disagreement(path, "extra", reported=reported[key])
            continue
        theirs, mine = oracle[key], reported[key]
        if isinstance(theirs, Mapping) and isinstance(mine, Mapping):
            yield from _fields(path, theirs, mine)
        elif not _same(theirs, mine):
            yield Disagreement(path, "differs", theirs, mine)


def _fields(
    where: str, oracle: Mapping[str, Any], reported: Mapping[str, Any]
) -> Iterator[Disagreement]:
    for field in sorted(reported):
        theirs, mine = oracle.get(field), reported[field]
        if not _same(theirs, mine):
            yield Disagreement(where + pointer(str(field)), "differs", theirs, mine)


def _same(oracle: Any, reported: Any) -> bool:
    """Equal as JSON values: ``1`` and ``1.0`` agree, ``True`` and ``1`` do not, and a tuple
    reads like the list it is written as."""
    if isinstance(oracle, bool) or isinstance(reported, bool):
        return type(oracle) is type(reported) and oracle == reported
    if isinstance(oracle, Mapping) and isinstance(reported, Mapping):
        keys = {k for k, v in oracle.items() if v is not None}
        if keys != {k for k, v in reported.items() if v is not None}:
            return False
        return all(_same(oracle[key], reported[key]) for key in keys)
    if isinstance(oracle, (list, tuple)) and isinstance(reported, (list, tuple)):
        return len(oracle) == len(reported) and all(map(_same, oracle, reported))
    if isinstance(oracle, (list, tuple, Mapping)) or isinstance(reported, (list, tuple, Mapping)):
        return False
    return bool(oracle == reported)


def _expected_object(value: object) -> str:
    return f" (expected a JSON object, got {type(value).__name__})"


def _short(value: Any, limit: int = 80) -> str:
    text = msgspec.json.encode(value, order="sorted").decode()
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["STREAM", "Disagreement", "agrees", "disagreements"]
