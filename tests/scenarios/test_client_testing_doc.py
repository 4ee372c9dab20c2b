"""docs/client-testing.md's clients do what the page says: the tutorial's Python client and its
JavaScript twin pass the library, and are covered on tags alone."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.support import needs_node

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "client-testing.md").read_text()


def block(pattern: str) -> str:
    found = re.search(pattern, DOC, re.S)
    assert found is not None, pattern
    return found.group(1)


def conformance(directory: Path, *client: str) -> dict[str, dict[str, dict[str, str]]]:
    done = subprocess.run(
        [sys.executable, "-m", "eventmirror", "run", *client, "--json"],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report: dict[str, dict[str, dict[str, str]]] = json.loads(done.stdout)["conformance"]
    return report


def assert_a_tags_client(report: dict[str, dict[str, dict[str, str]]]) -> None:
    statuses = {name: verdict["status"] for name, verdict in report["rulings"].items()}
    assert statuses["losing-tag-access"] == statuses["tag-delete-strips"] == "passed"
    assert statuses["typing-expiry"] == "not covered"
    assert "failed" not in statuses.values()
    assert report["event_types"]["tag_modify"]["status"] == "passed"


def test_the_tutorial_client_passes_the_library(tmp_path: Path) -> None:
    (tmp_path / "myclient.py").write_text(
        block(r"<!-- tutorial: myclient.py -->\n```python\n(.*?)```")
    )
    assert_a_tags_client(conformance(tmp_path, "--client", "myclient:make_client"))


@needs_node
def test_the_javascript_client_passes_the_library(tmp_path: Path) -> None:
    (tmp_path / "client.mjs").write_text(block(r"```js\n(.*?)```"))
    # The tags and stream files: a node process per session is slow to start.
    report = conformance(tmp_path, "--client-cmd", "node client.mjs", "-k", "tags or stream")
    assert_a_tags_client(report)
