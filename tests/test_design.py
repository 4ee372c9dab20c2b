"""docs/design.md stays true: its rulings, links and code paths follow the code.

(Its table of layers is checked against ``tests/test_layers.py``, the table's home.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import pytest

from scenarios.rulings import RULINGS

ROOT: Final = Path(__file__).resolve().parent.parent
DESIGN: Final = ROOT / "docs" / "design.md"


def _text() -> str:
    return DESIGN.read_text(encoding="utf-8")


def _slug(heading: str) -> str:
    """The anchor a Markdown renderer such as GitHub's gives a heading."""
    kept = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return kept.replace(" ", "-")


def test_every_ruling_is_written_down_with_its_key() -> None:
    brackets = re.findall(r"\[(`[a-z-]+`(?:,\s*`[a-z-]+`)*)\]", _text())
    keys = {key for group in brackets for key in re.findall(r"`([a-z-]+)`", group)}
    assert sorted(set(RULINGS) - keys) == [], "rulings missing from docs/design.md"
    assert sorted(keys - set(RULINGS)) == [], "keys in docs/design.md that are no ruling"


@pytest.mark.parametrize("link", sorted(set(re.findall(r"\]\(([^)]+\.md(?:#[^)]*)?)\)", _text()))))
def test_each_link_reaches_a_page_and_heading(link: str) -> None:
    page, _, anchor = link.partition("#")
    target = DESIGN.parent / page
    assert target.is_file(), f"{page} does not exist"
    if anchor:
        headings = re.findall(r"^#+ (.+)$", target.read_text(encoding="utf-8"), re.MULTILINE)
        assert anchor in {_slug(heading) for heading in headings}, f"no heading for {link}"


def test_each_code_path_named_exists() -> None:
    # `reducers/<domain>.py` stands for every domain's module: tags is one of them.
    paths = set(
        re.findall(r"`((?:eventmirror|reducers|simulator|scenarios|tests)/[^`]+)`", _text())
    )
    assert paths, "no code paths found: the pattern no longer fits the page"
    for path in sorted(paths):
        pattern = path.replace("<domain>", "tags")
        assert list(ROOT.glob(pattern)), f"docs/design.md names {path}, which does not exist"


def test_the_page_stands_alone() -> None:
    # The project's docs refer to nothing outside the repository.
    assert not re.search(r"DESIGN\.md|shared/|\.\./\.\.", _text())
