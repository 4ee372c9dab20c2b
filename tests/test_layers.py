"""The layers: every module has one, and no import runs where its layer may not go.

This file is the home of the layer table; docs/design.md ("The layers") shows the same table
and a test here holds the two together. Modules are read with ``ast``, never imported, so a
violation is found even in code that no test runs: module-level imports, imports inside
functions, and ``if TYPE_CHECKING:`` imports all count.

A package's ``__init__`` runs whenever any module inside the package is imported, so its
module-level imports must suit every layer in the package: ``eventmirror/__init__.py`` (the
face, top layer) may import only what the event model may, and loads everything else lazily.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Final, NamedTuple

import pytest

ROOT: Final = Path(__file__).resolve().parent.parent
PACKAGES: Final = ("eventmirror", "reducers", "simulator", "scenarios")

MODEL, REDUCERS, SIMULATOR, SCENARIOS, TOP = "model", "reducers", "simulator", "scenarios", "top"
#: From the bottom up.
LAYERS: Final = (MODEL, REDUCERS, SIMULATOR, SCENARIOS, TOP)

#: The layers each layer may import from.
MAY_IMPORT: Final[Mapping[str, frozenset[str]]] = {
    MODEL: frozenset({MODEL}),
    REDUCERS: frozenset({MODEL, REDUCERS}),
    # The simulator's view is the independent check that folds are compared with (the mirror
    # property): it stands on the event model alone, never on the reducers it checks.
    SIMULATOR: frozenset({MODEL, SIMULATOR}),
    SCENARIOS: frozenset({MODEL, REDUCERS, SIMULATOR, SCENARIOS}),
    TOP: frozenset(LAYERS),
}

#: Where each module belongs. ``name`` is that module (or package ``__init__``) alone;
#: ``name.*`` is a package and every module in it. The most specific entry wins: a module
#: over a package, an inner package over an outer one. A new module in ``eventmirror/`` must
#: be placed here (and in docs/design.md) before the tests pass.
PLACEMENT: Final[Mapping[str, str]] = {
    # The event model: the classes, decoding and encoding, the error, reading recordings.
    "eventmirror.events.*": MODEL,
    "eventmirror.errors": MODEL,
    "eventmirror.explain": MODEL,
    "eventmirror.codec": MODEL,
    "eventmirror.wire": MODEL,
    "eventmirror.recording": MODEL,
    "eventmirror.unknown_fields": MODEL,
    "eventmirror.unusable": MODEL,
    "eventmirror.rules": MODEL,
    "reducers.*": REDUCERS,
    "simulator.*": SIMULATOR,
    "scenarios.*": SCENARIOS,
    # The command line and the testing helpers; the face, which offers names from all layers.
    "eventmirror": TOP,
    "eventmirror.__main__": TOP,
    "eventmirror.cli": TOP,
    "eventmirror.commandlist": TOP,
    "eventmirror.replay": TOP,
    "eventmirror.summary": TOP,
    "eventmirror.rejects": TOP,
    "eventmirror.progress": TOP,
    "eventmirror.arguments": TOP,
    "eventmirror.fleet.*": TOP,
    "eventmirror.strategies": TOP,
    "eventmirror.client_machine": TOP,
    "eventmirror.client_scenario": TOP,
    "eventmirror.examples.*": TOP,
    "eventmirror.serve.*": TOP,
    "eventmirror.travel.*": TOP,
    "eventmirror.inspect.*": TOP,
    "scenarios.cli": TOP,
    "scenarios.plugin": TOP,
}

#: Imports a layer may make for now although its row forbids them, as (importer, imported)
#: layers; a test fails once nothing needs one. None: the simulator's view no longer stands on
#: the reducers.
TEMPORARILY_ALLOWED: Final[frozenset[tuple[str, str]]] = frozenset()


class Module(NamedTuple):
    name: str
    path: Path
    is_package: bool


class Import(NamedTuple):
    line: int
    statement: str
    target: str
    #: "module-level", "function-level" or "TYPE_CHECKING".
    kind: str


def find_modules(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            modules[name] = Module(name, path, is_package)
    return modules


def layer_of(module: str, placement: Mapping[str, str] = PLACEMENT) -> str | None:
    if module in placement:
        return placement[module]
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        package = ".".join(parts[:end]) + ".*"
        if package in placement:
            return placement[package]
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _ImportFinder(ast.NodeVisitor):
    """Every import of a module of this project's packages, with its kind."""

    def __init__(self, module: Module, source: str, modules: Mapping[str, Module]) -> None:
        self.module, self.source, self.modules = module, source, modules
        self.imports: list[Import] = []
        self._in_function = self._in_type_checking = 0

    def _kind(self) -> str:
        if self._in_type_checking:
            return "TYPE_CHECKING"
        return "function-level" if self._in_function else "module-level"

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self._in_function += 1
        self.generic_visit(node)
        self._in_function -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node: ast.If) -> None:
        if not _is_type_checking(node.test):
            self.generic_visit(node)
            return
        self._in_type_checking += 1
        for statement in node.body:
            self.visit(statement)
        self._in_type_checking -= 1
        for statement in node.orelse:
            self.visit(statement)

    def _add(self, node: ast.stmt, target: str) -> None:
        if target.split(".")[0] in PACKAGES:
            statement = ast.get_source_segment(self.source, node) or target
            self.imports.append(
                Import(node.lineno, " ".join(statement.split()), target, self._kind())
            )

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.module.name.split(".")
            if not self.module.is_package:
                package = package[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, *([node.module] if node.module else [])])
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            self._add(node, submodule if submodule in self.modules else base)


def imports_of(module: Module, modules: Mapping[str, Module]) -> list[Import]:
    source = module.path.read_text(encoding="utf-8")
    finder = _ImportFinder(module, source, modules)
    finder.visit(ast.parse(source, str(module.path)))
    return finder.imports


def _package_layers(package: str, modules: Mapping[str, Module]) -> set[str | None]:
    return {layer_of(name) for name in modules if name == package or name.startswith(package + ".")}


def problems(
    root: Path = ROOT,
    allowed: frozenset[tuple[str, str]] = TEMPORARILY_ALLOWED,
    used: set[tuple[str, str]] | None = None,
) -> Iterator[str]:
    """Each module without a layer, and each import its layer may not make, as a sentence."""
    modules = find_modules(root)
    for module in modules.values():
        where = module.path.relative_to(root)
        layer = layer_of(module.name)
        if layer is None:
            yield (
                f"{where}: module {module.name} belongs to no layer: place it in PLACEMENT "
                "(tests/test_layers.py) and in docs/design.md"
            )
            continue
        for found in imports_of(module, modules):
            target_layer = layer_of(found.target)
            if target_layer is None:
                continue  # a module in no layer is reported as itself; a missing one won't import
            importers = {layer}
            if module.is_package and found.kind == "module-level":
                importers = {other for other in _package_layers(module.name, modules) if other}
            for importer in sorted(importers, key=LAYERS.index):
                if target_layer in MAY_IMPORT[importer]:
                    continue
                if (importer, target_layer) in allowed:
                    if used is not None:
                        used.add((importer, target_layer))
                    continue
                runs_for = ""
                if importer != layer:
                    runs_for = f" (it runs whenever a module of {module.name} is imported)"
                may = ", ".join(sorted(MAY_IMPORT[importer], key=LAYERS.index))
                yield (
                    f"{where}:{found.line}: {found.kind} import `{found.statement}` brings "
                    f"{found.target} ({target_layer} layer) into the {importer} layer"
                    f"{runs_for}, which may import only: {may}"
                )


def test_no_module_imports_where_its_layer_may_not() -> None:
    found = list(problems())
    assert not found, "\n".join(found)


def test_each_temporary_allowance_is_still_needed() -> None:
    used: set[tuple[str, str]] = set()
    list(problems(used=used))
    unused = TEMPORARILY_ALLOWED - used
    assert not unused, f"nothing imports along {sorted(unused)} any more: delete it"


def test_each_placement_names_a_module_that_exists() -> None:
    modules = find_modules(ROOT)
    for entry in PLACEMENT:
        package = entry.removesuffix(".*")
        assert package in modules, f"PLACEMENT names {entry}, which is no module"
        if entry.endswith(".*"):
            assert modules[package].is_package, f"{entry}: {package} is not a package"


def test_the_layers_in_the_docs_are_these() -> None:
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \*\*(\w+)\*\* \|([^|]*)\|([^|]*)\|$", text, re.MULTILINE)
    assert [row[0] for row in rows] == list(LAYERS)
    placement: dict[str, str] = {}
    for layer, modules, may in rows:
        placement |= dict.fromkeys(re.findall(r"`([\w.*]+)`", modules), layer)
        assert set(re.findall(r"\w+", may)) == MAY_IMPORT[layer], f"{layer}: may import"
    only_docs = sorted(placement.items() - PLACEMENT.items())
    only_here = sorted(PLACEMENT.items() - placement.items())
    assert not only_docs and not only_here, f"docs/design.md has {only_docs}, PLACEMENT {only_here}"


# -- the check itself, on small made-up trees: each kind of import it must catch --------------


def _tree(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for package in PACKAGES:
        (root / package).mkdir(exist_ok=True)
        (root / package / "__init__.py").touch()
    return root


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("import reducers\n", "module-level"),
        ("from reducers.apply import fold\n", "module-level"),
        ("def f() -> None:\n    from reducers import fold\n", "function-level"),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from reducers import fold\n",
            "TYPE_CHECKING",
        ),
        ("from .. import summary\n", "module-level"),
        ("from ..cli import main\n", "module-level"),
    ],
)
def test_an_import_from_the_model_upward_is_caught(tmp_path: Path, text: str, kind: str) -> None:
    _tree(tmp_path, {"eventmirror/events/tags.py": text, "reducers/apply.py": "fold = 1\n"})
    (tmp_path / "eventmirror/cli.py").write_text("main = 1\n", encoding="utf-8")
    (tmp_path / "eventmirror/summary.py").write_text("", encoding="utf-8")
    found = list(problems(tmp_path, frozenset()))
    assert len(found) == 1, found
    assert found[0].startswith("eventmirror/events/tags.py:")
    assert f"{kind} import `" in found[0]
    assert "into the model layer" in found[0] and "may import only: model" in found[0]


def test_the_simulator_may_not_import_the_reducers(tmp_path: Path) -> None:
    _tree(tmp_path, {"simulator/tags.py": "from reducers._state import Tag\n"})
    (found,) = problems(tmp_path, frozenset())
    assert "simulator/tags.py:1: module-level import `from reducers._state import Tag`" in found
    assert "reducers._state (reducers layer) into the simulator layer" in found
    used: set[tuple[str, str]] = set()
    assert not list(problems(tmp_path, frozenset({(SIMULATOR, REDUCERS)}), used))
    assert used == {(SIMULATOR, REDUCERS)}


def test_downward_and_sideways_imports_pass(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "eventmirror/cli.py": "import scenarios.cli\nimport reducers\nfrom . import codec\n",
            "eventmirror/codec.py": "from .events import tags\n",
            "eventmirror/events/tags.py": "",
            "scenarios/engine.py": "import simulator, reducers\nfrom eventmirror import codec\n",
            "scenarios/cli.py": "from eventmirror import progress\nfrom . import engine\n",
            "eventmirror/progress.py": "",
        },
    )
    assert not list(problems(tmp_path, frozenset()))


def test_a_package_init_imports_for_every_module_inside(tmp_path: Path) -> None:
    # The face is top layer, but runs on every import of eventmirror.codec: eager imports of
    # the reducers there are caught, lazy ones are the face's own business.
    _tree(
        tmp_path,
        {
            "eventmirror/__init__.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import simulator\n"
                "def __getattr__(name: str) -> object:\n    import reducers\n    return reducers\n"
                "import reducers\n"
            ),
            "eventmirror/codec.py": "",
        },
    )
    (found,) = problems(tmp_path, frozenset())
    assert found.startswith("eventmirror/__init__.py:7: module-level import `import reducers`")
    assert "into the model layer (it runs whenever a module of eventmirror is imported)" in found


def test_a_module_without_a_layer_is_reported(tmp_path: Path) -> None:
    _tree(tmp_path, {"eventmirror/newthing.py": "", "reducers/newdomain.py": ""})
    (found,) = problems(tmp_path, frozenset())
    assert found.startswith("eventmirror/newthing.py: module eventmirror.newthing belongs to no")
