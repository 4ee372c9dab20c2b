"""Every event type of the reference has a model, a reducer and a test of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

import reducers
from eventmirror.events import DOMAINS, EVENT_TYPES
from tests.reference import reference_chapters, reference_examples

REDUCER_TESTS = Path(__file__).parent / "reducers"


@pytest.mark.parametrize("name", sorted(reference_examples()))
def test_event_type_has_model_reducer_and_test(name: str) -> None:
    model = EVENT_TYPES.get(name)
    assert model is not None, f"{name} has no event class in eventmirror/events"
    assert model in reducers.REDUCERS, f"{name} has no reducer in reducers/{DOMAINS[name]}.py"
    test_module = REDUCER_TESTS / f"test_{DOMAINS[name]}.py"
    assert test_module.exists(), f"{name}: {test_module} is missing"
    assert f'"{name}"' in test_module.read_text(encoding="utf-8"), (
        f"{name} is never sent in {test_module.name}"
    )


def test_the_domains_are_named_alike_in_every_layer() -> None:
    layer = Path(reducers.__file__).parent
    assert {path.stem for path in layer.glob("*.py")} >= set(DOMAINS.values())
    chapters = reference_chapters()
    assert len(set(chapters.values())) == 19
    # Each reference chapter maps onto exactly one module (user/invitation/phone/trash share one).
    for chapter in set(chapters.values()):
        modules = {DOMAINS[name] for name, c in chapters.items() if c == chapter}
        assert len(modules) == 1, (chapter, modules)
