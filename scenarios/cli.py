"""``eventmirror run`` and ``eventmirror scenario-from``: scenarios without pytest.

``run`` prints one line per scenario, the report of every failure, and a summary, in bytes
that are the same on every run and machine: paths as given (the bundled library's relative
to it), no timings (the elapsed time goes to standard error, and only on a terminal). Exit
status: 0 all passed, 1 some failed, 2 a usage error, a file that does not load, a scenario
the engine crashed on, or nothing selected.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from eventmirror.errors import plural
from eventmirror.progress import Progress

from . import conformance
from .client import ClientError, Factory, load_factory
from .conformance import Ran
from .keywords import KeywordError, Matcher, compile_keywords

if TYPE_CHECKING:
    from .outcome import Outcome

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
SUFFIX = ".scenario.yaml"

PASSED, FAILED, ERROR, DESELECTED = "passed", "failed", "error", "deselected"
_LABELS = {PASSED: "PASS", FAILED: "FAIL", ERROR: "ERROR"}


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``run`` and ``scenario-from`` to the ``eventmirror`` command's subcommands."""
    run = commands.add_parser(
        "run",
        help="run scenario files (default: the bundled library)",
        description=(
            "Run *.scenario.yaml files without pytest: one line per scenario, the report of "
            "every failure, then a summary. Exit status 0 if all passed, 1 if any failed, 2 "
            "for a file that does not load, a crash, or no scenario selected."
        ),
    )
    run.add_argument(
        "paths",
        metavar="PATH",
        nargs="*",
        help="scenario files, or directories to search for *.scenario.yaml "
        "(default: the bundled library)",
    )
    run.add_argument(
        "-k",
        metavar="EXPR",
        dest="keywords",
        default="",
        help="only scenarios whose name (or file name) matches, as pytest's -k: "
        "words matched case-insensitively, with and, or, not and parentheses",
    )
    run.add_argument("--json", action="store_true", help="print a JSON result document")
    run.add_argument(
        "-x", "--exitfirst", action="store_true", help="stop at the first failure or error"
    )
    under_test = run.add_argument_group(
        "a client under test (docs/client-testing.md)",
        "Run your own client beside every session: it receives the same events, and after "
        "every step its state must agree with the mirror. The summary ends with a conformance "
        "report per ruling and event type (with no PATH: over the bundled library).",
    )
    given = under_test.add_mutually_exclusive_group()
    given.add_argument(
        "--client",
        metavar="MODULE:FACTORY",
        help="a Python factory: FACTORY(session) returns the session's client",
    )
    given.add_argument(
        "--client-cmd",
        metavar="COMMAND",
        help="a client in any language: COMMAND runs once per session, speaking JSON Lines",
    )
    under_test.add_argument(
        "--client-timeout",
        metavar="SECONDS",
        type=float,
        default=10.0,
        help="how long a --client-cmd process may take to answer one request (default: 10)",
    )
    run.set_defaults(run=run_scenarios)

    from_recording = commands.add_parser(
        "scenario-from",
        help="make a regression scenario from a recording",
        description=(
            "Write a scenario that replays RECORDING into one session and pins the resulting "
            "mirror exactly (expect ... strict: true). The scenario is run before it is "
            "written; it is written only if it passes. By default it goes next to the "
            "recording as <stem>.scenario.yaml."
        ),
    )
    from_recording.add_argument("recording", metavar="RECORDING", help="the recording file")
    from_recording.add_argument(
        "--me",
        metavar="UUID",
        help="the recording's own user: the replaying session's user gets this UUID",
    )
    from_recording.add_argument("--name", metavar="NAME", help="the scenario's name")
    from_recording.add_argument(
        "--out",
        metavar="FILE",
        help="where to write it; - for standard output "
        "(default: <recording stem>.scenario.yaml next to the recording)",
    )
    from_recording.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    from_recording.set_defaults(run=_scenario_from)


def _scenario_from(args: argparse.Namespace) -> int:
    from .fromrecording import main

    return main(args)


# -- finding and loading files -------------------------------------------------------------


@attrs.frozen
class Source:
    """A scenario file: where to read it, and how to show it."""

    path: Path
    shown: str


@attrs.frozen
class Result:
    file: str
    line: int | None
    name: str | None
    status: str
    #: The failure's report, or what went wrong: None for a pass.
    text: str | None
    #: What the scenario says about a client under test (None without one).
    conformance: Ran | None = None


def library() -> Path:
    import scenarios

    return Path(scenarios.__file__).parent / "library"


def sources(paths: list[str]) -> Iterator[Source | Result]:
    """The files to run, in order; a path that is not there comes out as an error Result."""
    if not paths:
        root = library()
        for found in _below(root):
            yield Source(found, found.relative_to(root).as_posix())
        return
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in _below(path):
                yield Source(found, str(path / found.relative_to(path)))
        elif path.is_file():
            yield Source(path, given)
        else:
            yield Result(given, None, None, ERROR, f"{given}: no such file or directory")


def _below(directory: Path) -> list[Path]:
    # Sorted by path parts, so the order is the same on every file system.
    found = [path for path in directory.rglob(f"*{SUFFIX}") if path.is_file()]
    return sorted(found, key=lambda path: path.relative_to(directory).parts)


# -- running -------------------------------------------------------------------------------


@attrs.define
class Tally:
    results: list[Result] = attrs.Factory(list)
    deselected: int = 0
    files: int = 0

    def count(self, status: str) -> int:
        return sum(result.status == status for result in self.results)

    @property
    def status(self) -> int:
        if self.count(ERROR):
            return EXIT_ERROR
        if self.count(FAILED):
            return EXIT_FAILED
        return EXIT_OK if self.results else EXIT_ERROR

    def summary(self) -> str:
        parts = [f"{self.count(PASSED)} passed", f"{self.count(FAILED)} failed"]
        errors = self.count(ERROR)
        if errors:
            parts.append(plural(errors, "error"))
        if self.deselected:
            parts.append(f"{self.deselected} deselected")
        return f"{', '.join(parts)} in {plural(self.files, 'file')}"


def run_file(source: Source, selected: Matcher, client: Factory | None = None) -> Iterator[Result]:
    """Every selected scenario of a file, run (with ``client``, a client under test, in each
    session); a file that does not load is one error."""
    import scenarios

    try:
        loaded = scenarios.load(source.path)
    except scenarios.ScenarioFileError as error:
        where = source.shown if error.line is None else f"{source.shown}:{error.line}"
        yield Result(source.shown, error.line, None, ERROR, f"{where}: {error.message}")
        return
    except Exception as error:  # a bug in the loader must not end the run
        _traceback_to_stderr(error)
        text = f"{source.shown}: could not load: {type(error).__name__}: {error}"
        yield Result(source.shown, None, None, ERROR, text)
        return
    file_name = source.path.name
    for scenario in loaded:
        if not selected((scenario.name, file_name)):
            yield Result(source.shown, scenario.line, scenario.name, DESELECTED, None)
            continue
        # Reports name the file as it was given (or relative to the library), not where it
        # was read from, so the output is the same on every machine.
        shown = attrs.evolve(scenario, path=source.shown)
        try:
            outcome = scenarios.run(shown, client)
        except Exception as error:  # a bug in the engine must not end the run
            _traceback_to_stderr(error)
            text = (
                f"{source.shown}:{scenario.line}: scenario {scenario.name!r} crashed the "
                f"engine (a bug in eventmirror): {type(error).__name__}: {error}"
            )
            yield Result(source.shown, scenario.line, scenario.name, ERROR, text)
            continue
        ran = None if client is None else _ran(source.shown, outcome)
        if outcome.passed:
            yield Result(source.shown, scenario.line, scenario.name, PASSED, None, ran)
        else:
            report = scenarios.render_outcome(outcome)
            yield Result(source.shown, scenario.line, scenario.name, FAILED, report, ran)


def _ran(shown: str, outcome: Outcome) -> Ran:
    scenario, failure = outcome.scenario, outcome.failure
    blamed = frozenset(
        event["event"]
        for body in (failure.bodies or () if failure is not None else ())
        for event in body
        if isinstance(event, dict) and isinstance(event.get("event"), str)
    )
    return Ran(
        f"{shown}:{scenario.line} {scenario.name}",
        outcome.passed,
        scenario.rulings,
        outcome.covered,
        outcome.tested,
        blamed,
    )


def _traceback_to_stderr(error: Exception) -> None:
    # Tracebacks hold absolute paths, so they stay off standard output.
    traceback.print_exception(error, file=sys.stderr)


def run_scenarios(args: argparse.Namespace) -> int:
    try:
        selected = compile_keywords(args.keywords)
        client, described = _client(args)
    except (KeywordError, ClientError) as error:
        print(f"eventmirror run: {error}", file=sys.stderr)
        return EXIT_ERROR
    try:
        return _run_scenarios(args, selected, client, described)
    finally:
        # The processes of a --client-cmd end even after a Ctrl-C.
        end = getattr(client, "close", None)
        if end is not None:
            end()


def _client(args: argparse.Namespace) -> tuple[Factory | None, str]:
    """The factory of clients under test the options name, and how a report names it."""
    if getattr(args, "client", None):
        return load_factory(args.client), f"--client {args.client}"
    if getattr(args, "client_cmd", None):
        from .process_client import ProcessFactory

        factory = ProcessFactory(args.client_cmd, args.client_timeout)
        return factory, f"--client-cmd {shlex.quote(args.client_cmd)}"
    return None, ""


def _run_scenarios(
    args: argparse.Namespace, selected: Matcher, client: Factory | None, described: str
) -> int:
    started = time.monotonic()
    tally = Tally()
    progress = Progress(sys.stderr, unit="scenarios")
    out = sys.stdout
    for result in _results(args.paths, selected, tally, client):
        if result.status == DESELECTED:
            tally.deselected += 1
            continue
        tally.results.append(result)
        if not args.json:
            progress.close()  # the line would run into the progress line otherwise
            out.write(_line(result))
            out.flush()
        progress.update(len(tally.results))
        if args.exitfirst and result.status != PASSED:
            break
    progress.close()
    found = None
    if client is not None:
        found = conformance.verdicts(r.conformance for r in tally.results if r.conformance)
    if args.json:
        document = _document(tally)
        if found is not None:
            document["conformance"] = conformance.document(described, found)
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        reports = [result.text for result in tally.results if result.text]
        if reports:
            out.write("\n" + "\n".join(text.rstrip("\n") + "\n" for text in reports))
        out.write("\n" + tally.summary() + "\n")
        if found is not None:
            out.write("\n" + conformance.text(described, found))
    if not tally.results:
        print("eventmirror run: no scenario was selected", file=sys.stderr)
    if sys.stderr.isatty():
        print(f"eventmirror run: {time.monotonic() - started:.2f}s", file=sys.stderr)
    return tally.status


def _results(
    paths: list[str], selected: Matcher, tally: Tally, client: Factory | None
) -> Iterator[Result]:
    for item in sources(paths):
        if isinstance(item, Result):
            yield item
        else:
            tally.files += 1
            yield from run_file(item, selected, client)


def _line(result: Result) -> str:
    where = result.file if result.line is None else f"{result.file}:{result.line}"
    # A file that did not load has no scenario name; the reports below say why.
    name = "(does not load)" if result.name is None else result.name
    return f"{_LABELS[result.status]} {where} {name}\n"


def _document(tally: Tally) -> dict[str, Any]:
    return {
        "scenarios": [
            {
                "file": result.file,
                "line": result.line,
                "name": result.name,
                "status": result.status,
                "failure": result.text,
            }
            for result in tally.results
            if result.name is not None
        ],
        "file_errors": [
            {"file": result.file, "line": result.line, "message": result.text}
            for result in tally.results
            if result.name is None
        ],
        "summary": {
            PASSED: tally.count(PASSED),
            FAILED: tally.count(FAILED),
            "errors": tally.count(ERROR),
            "deselected": tally.deselected,
            "files": tally.files,
        },
        "exit_status": tally.status,
    }


__all__ = ["add_commands", "run_scenarios"]
