"""Which recordings a corpus holds: paths, directories and globs, sorted and named once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventmirror.fleet.corpus import (
    NO_MATCH,
    CorpusError,
    Entry,
    expand,
    is_corpus,
    rejects_name,
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("b.jsonl", "a/z.jsonl", "a/y.jsonl", "a-b.jsonl", "a/notes.txt",
                 "bodies/one.json", ".hidden/x.jsonl", "a/.x.jsonl", "sessions.json"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def paths(entries: list[Entry]) -> list[str]:
    return [entry.path.replace(os.sep, "/") for entry in entries]


def test_a_directory_gives_its_jsonl_files_recursively_sorted_hidden_ones_skipped(
    tree: Path,
) -> None:
    entries = expand(["."])
    assert paths(entries) == ["a/y.jsonl", "a/z.jsonl", "a-b.jsonl", "b.jsonl"]
    assert [entry.index for entry in entries] == [1, 2, 3, 4]


def test_globs_are_expanded_here_and_a_file_is_taken_whatever_its_name(tree: Path) -> None:
    assert paths(expand(["**/*.json", "a/notes.txt"])) == [
        "a/notes.txt",
        "bodies/one.json",
        "sessions.json",
    ]
    assert paths(expand(["a*"])) == ["a/y.jsonl", "a/z.jsonl", "a-b.jsonl"]


def test_the_order_and_indexes_do_not_depend_on_the_arguments(tree: Path) -> None:
    one = expand(["b.jsonl", "a", "./a/y.jsonl", "*.jsonl"])
    other = expand(["*.jsonl", "a/y.jsonl", "a", "b.jsonl"])
    assert one == other
    assert paths(one) == ["a/y.jsonl", "a/z.jsonl", "a-b.jsonl", "b.jsonl"]


def test_what_cannot_be_found_is_a_row_of_its_own(tree: Path) -> None:
    entries = expand(["gone.jsonl", "nothing-*.jsonl", "b.jsonl"])
    assert [(entry.path, entry.problem) for entry in entries] == [
        ("b.jsonl", None),
        ("gone.jsonl", None),  # opening it will say why
        ("nothing-*.jsonl", NO_MATCH),
    ]


def test_arguments_that_name_no_recording_are_a_usage_error(tree: Path) -> None:
    with pytest.raises(CorpusError, match=r"no recordings \(\*\.jsonl files\) in bodies"):
        expand(["bodies"])
    with pytest.raises(CorpusError, match="standard input"):
        expand(["-", "b.jsonl"])


def test_one_file_or_standard_input_is_not_a_corpus(tree: Path) -> None:
    assert not is_corpus([]) and not is_corpus(["-"]) and not is_corpus(["b.jsonl"])
    assert not is_corpus(["gone.jsonl"])  # replay's own "cannot read" message, as before
    assert is_corpus(["a"]) and is_corpus(["*.jsonl"]) and is_corpus(["b.jsonl", "b.jsonl"])
    (tree / "odd[1].jsonl").write_text("{}\n")
    assert not is_corpus(["odd[1].jsonl"])  # a file whose name looks like a glob


@given(st.lists(st.text(min_size=1, max_size=300), min_size=1, max_size=30, unique=True))
def test_rejects_names_never_collide_and_stay_short_and_safe(names: list[str]) -> None:
    entries = [Entry(index, path) for index, path in enumerate(names, 1)]
    files = [rejects_name(entry, len(entries)) for entry in entries]
    assert len({name.lower() for name in files}) == len(files)
    for name in files:
        assert len(name) < 200 and "/" not in name and "\\" not in name
        assert name.endswith(".rejects.jsonl") and not name.startswith(".")
