"""The generic machinery names no domain: what it knows of a slice comes from its declaration."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import reducers

ROOT = Path(reducers.__file__).parent
DOMAIN_MODULES = {path.stem for path in ROOT.glob("*.py") if not path.stem.startswith("_")} - {
    "apply",
    "jsonform",
    "mirror",
    "diff",
    "agreement",
    "timers",
    # time travel (docs/time-travel.md): generic, over any slice
    "pointer",
    "steps",
    "timeline",
    "blame",
    "changes",
    "traced",
    "describe",
    "condition",
}


def names_in_code(source: str) -> set[str]:
    """Every identifier, attribute, imported module and string literal of a module's code
    (docstrings left out: prose may give examples)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            found.update(part for part in (node.module or "").split("."))
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(() if id(node) in docstrings else (node.value,))
    return found


def test_reducers_live_in_the_domain_modules() -> None:
    modules = {
        function.__module__.rsplit(".", 1)[-1]
        for declared in reducers.DECLARED.values()
        for function in declared.reducers.values()
    }
    assert modules == DOMAIN_MODULES


@pytest.mark.parametrize("module", ["apply", "_draft", "jsonform", "_journal"])
def test_the_generic_modules_name_no_domain_and_no_slice(module: str) -> None:
    named = names_in_code((ROOT / f"{module}.py").read_text(encoding="utf-8"))
    forbidden = set(reducers.SLICES) | DOMAIN_MODULES
    assert named & forbidden == set()
