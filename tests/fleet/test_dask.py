"""``--engine dask``: a 2-worker LocalCluster prints the same bytes as the local engine.

Dask is in the ``test`` extra, so CI runs this; locally without Dask it is skipped, and with
CI=true a missing Dask fails it instead.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fleet.corpus_files import make_corpus

needs_dask = pytest.mark.skipif(
    importlib.util.find_spec("distributed") is None and os.environ.get("CI") != "true",
    reason="Dask is not installed (pip install -e '.[test]' installs it)",
)


def replay(cwd: Path, *argv: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "eventmirror", "replay", *argv]
    return subprocess.run(command, cwd=cwd, capture_output=True, check=False, timeout=300)


@needs_dask
def test_dask_prints_the_same_bytes_as_the_local_engine(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    (tmp_path / "corpus" / "unreadable.jsonl").symlink_to(tmp_path / "nowhere")
    corpus = ["corpus", "corpus/deep/*.jsonl", "absent.jsonl"]
    for extra in ([], ["--json"]):
        local = replay(tmp_path, *corpus, "--jobs", "2", *extra)
        dask = replay(tmp_path, *corpus, "--engine", "dask", "--jobs", "2", *extra)
        assert local.returncode == dask.returncode == 2, dask.stderr.decode()
        assert dask.stdout == local.stdout
        assert b"cannot read absent.jsonl" in local.stdout
        assert b"cannot read corpus/unreadable.jsonl" in local.stdout
        assert b"no events in corpus/deep/binary.jsonl" in local.stdout


@needs_dask
def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    done = replay(tmp_path, "corpus", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert done.returncode == 2 and done.stdout == b""
    assert b"cannot reach the Dask scheduler at tcp://127.0.0.1:9" in done.stderr
