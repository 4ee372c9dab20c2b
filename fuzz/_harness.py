"""What every atheris target shares: the import path, instrumentation, the seed corpus and
libFuzzer's defaults. A target is a file beside this one that calls :func:`run`.

Each target keeps its working corpus in ``fuzz/corpus/<target>/`` (created and seeded on the
first run; pass another directory on the command line to use that instead) and writes what
it finds to ``fuzz/findings/<target>-crash-...``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # the targets run as scripts, from any directory
    sys.path.insert(0, str(ROOT))

#: Seconds one input may take before libFuzzer reports it as a hang.
HANG_SECONDS = 10


def instrumented() -> AbstractContextManager[None]:
    """Modules imported inside this context are instrumented for coverage."""
    context: AbstractContextManager[None] = atheris.instrument_imports(
        include=["eventmirror", "reducers", "tests"]
    )
    return context


def _seeded(corpus: Path, seeds: Iterable[bytes]) -> None:
    if corpus.is_file() or (corpus.is_dir() and any(corpus.iterdir())):
        return  # a single input to run again, or a corpus already grown
    corpus.mkdir(parents=True, exist_ok=True)
    for number, seed in enumerate(seeds):
        (corpus / f"seed-{number:04d}").write_bytes(seed)


def run(target: str, test_one_input: Callable[[bytes], None], seeds: Iterable[bytes]) -> None:
    """Fuzz ``test_one_input`` with libFuzzer's command line (``-max_total_time=600``, ...).

    The corpus is the first directory given, else ``fuzz/corpus/<target>/``; seeded from
    ``seeds`` when it does not exist yet or is empty."""
    argv = list(sys.argv)
    flags = [arg for arg in argv[1:] if arg.startswith("-")]
    directories = [arg for arg in argv[1:] if not arg.startswith("-")]
    if not directories:
        directories = [str(HERE / "corpus" / target)]
        argv.extend(directories)
    # libFuzzer adds what it finds to the first directory: seed it when it is new or empty
    # (a file instead is one input to run again).
    _seeded(Path(directories[0]), seeds)
    if not any(flag.startswith("-timeout=") for flag in flags):
        argv.append(f"-timeout={HANG_SECONDS}")
    if not any(flag.startswith("-artifact_prefix=") for flag in flags):
        findings = HERE / "findings"
        findings.mkdir(exist_ok=True)
        argv.append(f"-artifact_prefix={findings}/{target}-")
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


def example_lines() -> list[bytes]:
    """The bundled example recording, line by line."""
    from eventmirror.examples import EXAMPLE

    return [line for line in EXAMPLE.read_bytes().splitlines() if line.strip()]
