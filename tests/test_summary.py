"""The readable summary's wording: one noun for one thing, counted by one helper."""

from __future__ import annotations

import re

import msgspec
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror.errors import did_you_mean, noun, plural
from eventmirror.summary import render
from tests.reference import reference_event


def one_of_each() -> reducers.Mirror:
    """One object with one comment, one file, one registration, one message, one id missing."""
    names = ["object_new", "comment_new", "chat_new", "chat_message", "file_new", "sip_register"]
    lines = []
    for index, name in enumerate(names):
        event = {**reference_event(name), "id": index if index < 5 else 6, "time": 1_000 + index}
        lines.append(msgspec.json.encode(event))
    return reducers.fold(lines)


def test_one_thing_is_never_counted_in_the_plural() -> None:
    text = render(one_of_each(), "x.jsonl")
    for line in [
        "  objects                1   0 in trash, 1 comment",
        "  volumes                1   1 file or folder",
        "  sip accounts           1   1 active registration",
        "  chats                  1   1 message",
        "  gaps                   1   1 id missing: 5..5",
    ]:
        assert line in text.splitlines(), line
    assert not re.search(r"(?<![\d.])1 (comments|messages|files|ids|active registrations)\b", text)


def test_many_things_are_counted_in_the_plural() -> None:
    text = render(reducers.empty(), "x.jsonl")
    assert "  objects                0   0 in trash, 0 comments" in text.splitlines()
    assert "  chats                  0   0 messages" in text.splitlines()


@given(st.integers(0, 10**6), st.sampled_from(["comment", "message", "id", "file"]))
def test_plural_says_the_count_and_the_right_noun(count: int, word: str) -> None:
    assert plural(count, word) == f"{count} {word if count == 1 else word + 's'}"
    assert noun(count, "entry", "entries") == ("entry" if count == 1 else "entries")


def test_did_you_mean_names_the_closest_options_or_nothing() -> None:
    assert did_you_mean("descripton", ["description", "tag"]) == "; did you mean 'description'?"
    assert did_you_mean("zzz", ["description", "tag"]) == ""
    assert did_you_mean("tag_nwe", ["tag_new", "tag_delete"], n=2, cutoff=0.75) == (
        "; did you mean 'tag_new'?"
    )
