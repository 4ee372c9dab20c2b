"""Coverage-guided fuzzing of the scenario loader, the format checks and the engine.

    python fuzz/scenario_loader.py -max_total_time=600

One input is a scenario file's bytes. Loading must give scenarios or a ScenarioFileError that
names the file (never another exception, never a hang); every scenario that loads must run to
an outcome (a failing step is an outcome, an exception is a bug) and render its report.
See fuzz/README.md.
"""

from __future__ import annotations

from pathlib import Path

import atheris
from _harness import ROOT, run

# PyYAML is instrumented too: most of a scenario file's paths run through its parser.
with atheris.instrument_imports(include=["scenarios", "yaml"]):
    import scenarios
    from scenarios.yamlload import ScenarioFileError

PATH = "fuzz.scenario.yaml"


def test_one_input(data: bytes) -> None:
    try:
        loaded = scenarios.loads(data, PATH)
    except ScenarioFileError as error:
        if not str(error).startswith(PATH):
            raise AssertionError(f"a refusal that does not name the file: {error}") from None
        return
    for scenario in loaded:
        outcome = scenarios.run(scenario)
        report = scenarios.render_outcome(outcome)
        if outcome.passed != (report == ""):
            raise AssertionError("a report for a passing scenario, or none for a failing one")


def seeds() -> list[bytes]:
    library = ROOT / "scenarios" / "library"
    files = [path.read_bytes() for path in sorted(library.glob("*.scenario.yaml"))]
    # Each document alone too: libFuzzer's default input size keeps small seeds whole.
    documents = [doc for text in files for doc in text.split(b"\n---\n")]
    return files + documents + [Path(__file__).read_bytes()[:0]]


if __name__ == "__main__":
    run("scenario_loader", test_one_input, seeds())
