"""``eventmirror scenario-from RECORDING``: a regression test made from a recorded session.

The scenario it writes has one user and one session, both named ``me``; a ``replay`` step
feeds the recording into that session, and an ``expect ... strict: true`` step pins every
section of the resulting mirror (its JSON form, docs/mirror.md) exactly. The pinned mirror
is ``reducers.fold(records, me=<me's UUID>)`` of the recording's records as
``eventmirror.recording.iter_records`` reads them, the same as ``eventmirror replay --me``.

Decisions, so that the scenario replays to exactly that mirror:

- **Who is me.** With ``--me UUID`` the user is written ``users: {me: UUID}``, so the
  session's mirror has the recording's own user as ``me``. Without it the user is written
  ``users: [me]`` and gets the scenario's minted UUID, which appears nowhere in the
  recording: the recording is replayed as seen by an outsider-to-it user (as
  ``eventmirror replay`` without ``--me`` sees it as nobody's). Either way a text of the
  mirror that is that UUID is written ``$me``.
- **The clock.** A session's mirror starts at the simulator's clock, so ``start:`` is the
  time of the first event the mirror takes its clock from; earlier starts would be the same,
  later ones would count the recording's first events as time going backwards.
- **Texts.** Every ``$`` in the mirror's texts is written ``$$`` (a literal dollar), and a
  text that is exactly the user's UUID is written ``$me``.
- **Where.** By default the scenario goes next to the recording as ``<stem>.scenario.yaml``
  (``day.jsonl`` -> ``day.scenario.yaml``), so the pair is a test pytest collects in place;
  an existing file is overwritten only with ``--force``. ``--out FILE`` writes elsewhere
  and ``--out -`` to standard output (placed as if in the current directory). The recording
  is not copied: the ``replay`` step names it relative to the scenario file, so keep the two
  together when moving them.
- **Checked before written.** The scenario is loaded and run first; it is written only if it
  passes, so what lands on disk is a passing test (a failure is a bug, reported with its
  report on standard error, exit status 1).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

import reducers
from eventmirror.recording import iter_records, open_recording
from eventmirror.unusable import head_of, why_no_events

from .engine import Run, run
from .format import UUID_PATTERN, parse
from .report import render_outcome
from .yamlload import ScenarioFileError, load_documents

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
#: The scenario's user and session.
USER = "me"


class ScenarioFromError(Exception):
    """The scenario cannot be made; the message says why (exit status 2)."""


def default_out(recording: Path) -> Path:
    """``day.jsonl`` -> ``day.scenario.yaml``, next to the recording."""
    return recording.with_name(f"{recording.stem}.scenario.yaml")


def make_scenario(
    recording: Path,
    out: Path,
    *,
    me: str | None = None,
    name: str | None = None,
    command: str = "",
) -> str:
    """The text of a scenario, to be written at ``out``, that pins ``recording``'s mirror.

    Raises :class:`ScenarioFromError` if the recording holds no event to take a clock from,
    or the pinned mirror is too large for a scenario file.
    """
    if me is not None and not UUID_PATTERN.match(me):
        raise ScenarioFromError(f"--me {me!r} is not a UUID")
    with open_recording(recording) as stream:
        head = head_of(stream)
        records = [record.data for record in iter_records(stream)]
    replay = _relative(recording, out.parent)
    document: dict[str, Any] = {
        "name": name or f"replaying {recording.name} gives the pinned mirror",
        "description": (
            f"Made by: eventmirror scenario-from {command}".rstrip()
            + ". It pins the mirror the recording replays to; regenerate it after a "
            "deliberate change."
        ),
        "users": {USER: me} if me is not None else [USER],
        "steps": [{"replay": replay, "to": USER}],
    }
    uuid = me if me is not None else _minted_uuid(document, out)
    mirror = reducers.empty(uuid)
    remaining = iter(records)
    # One event at a time until the mirror has a clock: that time is the scenario's start.
    for record in remaining:
        mirror = reducers.apply(mirror, record)
        if mirror.now is not None:
            break
    if mirror.last_id is None:
        raise ScenarioFromError(f"no events in {recording}: {why_no_events(head, len(records))}")
    if mirror.now is None:
        raise ScenarioFromError(
            f"{recording} holds no event with a time: there is nothing to replay and pin"
        )
    start = mirror.now
    mirror = reducers.fold(remaining, mirror)
    pinned = _pinned(reducers.to_json(mirror), uuid)
    document = {
        **{key: value for key, value in document.items() if key != "steps"},
        "start": _timestamp(start),
        "steps": [*document["steps"], {"expect": USER, "strict": True, "mirror": pinned}],
    }
    return _dump(document)


def _pinned(value: Any, uuid: str) -> Any:
    """The mirror's JSON form as a scenario writes it: ``$me`` for the user's UUID, ``$$`` for
    every other dollar. A UUID inside a longer text stays as it is: ``$me.pdf`` would read as
    the name ``me.pdf``."""
    if isinstance(value, str):
        return f"${USER}" if value == uuid else value.replace("$", "$$")
    if isinstance(value, dict):
        return {_pinned(key, uuid): _pinned(item, uuid) for key, item in value.items()}
    if isinstance(value, list):
        return [_pinned(item, uuid) for item in value]
    return value


class _Dumper(yaml.SafeDumper):
    """SafeDumper, except that texts holding a Unicode line break are double-quoted: PyYAML
    writes U+0085 raw in other styles (with allow_unicode), and reads it back as a space."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(char in text for char in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)


def _dump(document: dict[str, Any]) -> str:
    return yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def _relative(recording: Path, directory: Path) -> str:
    try:
        return Path(os.path.relpath(recording.absolute(), directory.absolute())).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return recording.absolute().as_posix()


def _minted_uuid(document: dict[str, Any], out: Path) -> str:
    """The UUID the engine mints for the scenario's user (the same on every run)."""
    text = _dump(document)
    (scenario,) = parse(load_documents(text, str(out)), str(out))
    return Run(scenario).names[USER]


def _timestamp(seconds: int) -> int | str:
    """ISO 8601 when it is exact (readable), else the epoch seconds."""
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return seconds
    return moment.isoformat().replace("+00:00", "Z")


def check(text: str, out: Path) -> str | None:
    """Load and run the scenario as if it were at ``out``; its failure report, or None."""
    try:
        (scenario,) = parse(load_documents(text, str(out)), str(out))
    except ScenarioFileError as error:
        raise ScenarioFromError(f"the scenario would not load: {error}") from None
    outcome = run(scenario)
    return None if outcome.passed else render_outcome(outcome)


def main(args: argparse.Namespace) -> int:
    """The ``scenario-from`` command (see the module's docstring)."""
    recording = Path(args.recording)
    to_stdout = args.out == "-"
    if args.recording == "-" or not recording.is_file():
        print(
            f"eventmirror scenario-from: {args.recording} is not a recording file (the scenario "
            "replays it by its path, so standard input will not do)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    # On standard output, the scenario is made as if it were in the current directory.
    out = Path("scenario.yaml" if to_stdout else args.out or default_out(recording))
    shown = "standard output" if to_stdout else str(out)
    if not out.parent.is_dir():
        print(f"eventmirror scenario-from: there is no directory {out.parent}", file=sys.stderr)
        return EXIT_USAGE
    if not to_stdout and out.exists() and not args.force:
        print(
            f"eventmirror scenario-from: {out} exists; --force overwrites it, --out writes "
            "elsewhere",
            file=sys.stderr,
        )
        return EXIT_USAGE
    command = _command_text(args)
    try:
        text = make_scenario(recording, out, me=args.me, name=args.name, command=command)
        report = check(text, out)
    except ScenarioFromError as error:
        print(f"eventmirror scenario-from: {error}", file=sys.stderr)
        return EXIT_USAGE
    if report is not None:
        sys.stderr.write(
            "eventmirror scenario-from: the scenario does not pass, so it was not written "
            "(a bug: the engine and a plain fold disagree):\n" + report
        )
        return EXIT_FAILED
    if to_stdout:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"eventmirror scenario-from: cannot write {out}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {shown}: it passes; run it with: eventmirror run {out}")
    return EXIT_OK


def _command_text(args: argparse.Namespace) -> str:
    parts = [args.recording]
    if args.me:
        parts += ["--me", args.me]
    if args.name:
        parts += ["--name", args.name]
    return shlex.join(parts)


__all__ = ["ScenarioFromError", "check", "default_out", "main", "make_scenario"]
