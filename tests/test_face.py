"""The face of the library, ``eventmirror/__init__.py``: curated names, loaded lazily."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import eventmirror

# The contract, written out independently of the module: each name and where it lives.
EXPECTED_HOMES = {
    "eventmirror.codec": {"UnknownEvent", "decode", "encode", "to_wire"},
    "eventmirror.errors": {"EventError", "Problem"},
    "eventmirror.events": {"EVENT_TYPES", "Event"},
    "reducers": {
        "Anomaly",
        "Change",
        "Gap",
        "Health",
        "Mirror",
        "MirrorFormatError",
        "Reset",
        "TimeJump",
        "advance",
        "apply",
        "diff",
        "dumps",
        "empty",
        "fold",
        "from_json",
        "loads",
        "same_state",
        "to_json",
    },
    "simulator": {"Session", "SimulatorError", "World"},
}


def test_the_face_offers_the_names_it_promises_from_their_homes() -> None:
    homes: dict[str, set[str]] = {}
    for name, home in eventmirror.HOMES.items():
        homes.setdefault(home, set()).add(name)
    assert homes == EXPECTED_HOMES
    assert sorted(eventmirror.__all__) == sorted(eventmirror.HOMES)


@pytest.mark.parametrize("name", eventmirror.__all__)
def test_each_name_is_the_same_object_as_in_its_home(name: str) -> None:
    home = importlib.import_module(eventmirror.HOMES[name])
    assert getattr(eventmirror, name) is getattr(home, name)
    # Only public names of the home: the face never reaches into a module's internals.
    assert name in getattr(home, "__all__", [name]) and not name.startswith("_")


@pytest.mark.parametrize("name", eventmirror.__all__)
def test_each_name_is_documented_in_the_module_docstring(name: str) -> None:
    assert f"``{name}" in (eventmirror.__doc__ or "")


def test_star_import_and_dir_show_every_name() -> None:
    namespace: dict[str, object] = {}
    exec("from eventmirror import *", namespace)
    assert set(eventmirror.__all__) <= set(namespace)
    assert set(eventmirror.__all__) <= set(dir(eventmirror))
    # Submodules and the version show; the face's own helpers (difflib, HOMES, ...) do not.
    importlib.import_module("eventmirror.codec")
    assert {"__version__", "codec"} <= set(dir(eventmirror))
    assert not {"difflib", "importlib", "HOMES", "Any"} & set(dir(eventmirror))


def _fresh(code: str) -> None:
    """Runs ``code`` in a new interpreter, where nothing has been imported yet."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_importing_the_event_model_loads_neither_reducers_nor_simulator() -> None:
    _fresh(
        "import eventmirror.codec, eventmirror.events, eventmirror.errors, sys\n"
        "assert 'reducers' not in sys.modules, 'reducers imported'\n"
        "assert 'simulator' not in sys.modules, 'simulator imported'"
    )


def test_a_name_loads_its_home_only() -> None:
    _fresh(
        "import eventmirror, sys\n"
        "eventmirror.decode, eventmirror.EventError, eventmirror.Event\n"
        "assert 'reducers' not in sys.modules, 'a model name imported reducers'\n"
        "eventmirror.fold\n"
        "assert 'reducers' in sys.modules\n"
        "assert 'simulator' not in sys.modules, 'a reducers name imported simulator'\n"
        "eventmirror.World\n"
        "assert 'scenarios' not in sys.modules, 'World imported scenarios'"
    )


def test_a_misspelt_name_says_what_was_meant() -> None:
    with pytest.raises(AttributeError, match=r"no attribute 'fodl'; did you mean 'fold'\?"):
        eventmirror.fodl  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError, match=r"did you mean 'SimulatorError'\?"):
        eventmirror.SimulatorErorr  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError, match=r"no attribute 'zzzzzz'$"):
        eventmirror.zzzzzz  # type: ignore[attr-defined]  # noqa: B018


@given(st.text(max_size=20))
def test_any_other_name_is_an_attribute_error(name: str) -> None:
    if name in vars(eventmirror):
        return
    with pytest.raises(AttributeError, match=re.escape(f"has no attribute {name!r}")):
        getattr(eventmirror, name)


def test_submodules_still_import_through_the_face() -> None:
    from eventmirror import codec

    assert codec is importlib.import_module("eventmirror.codec")


def test_the_face_works_end_to_end() -> None:
    # Written against the face's names only, so that mypy --strict checks their types too.
    world: eventmirror.World = eventmirror.World(seed=3)
    anna = world.add_user("anna")
    session: eventmirror.Session = world.open_session("anna")
    tag = world.tags.create("anna", "Projects")
    decoded = [eventmirror.decode(json.dumps(event)) for event in session.poll()]
    assert all(isinstance(event, eventmirror.Event) for event in decoded)
    lines = [eventmirror.encode(event) for event in decoded if isinstance(event, eventmirror.Event)]
    mirror: eventmirror.Mirror = eventmirror.fold(lines, me=anna, strict=True)
    assert mirror.tags[tag].label == "Projects"
    assert eventmirror.loads(eventmirror.dumps(mirror)) == mirror
    assert eventmirror.from_json(eventmirror.to_json(mirror)) == mirror
    assert eventmirror.advance(mirror, 0) is mirror
    with pytest.raises(eventmirror.EventError, match="tag_delete"):
        eventmirror.apply(mirror, {"id": 9, "event": "tag_delete", "time": 1}, strict=True)
    with pytest.raises(eventmirror.SimulatorError):
        world.tags.create("nobody", "Projects")
