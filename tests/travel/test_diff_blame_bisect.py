"""``eventmirror diff``, ``blame`` and ``bisect`` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.travel.conftest import OBJECT, run


def test_diff_between_two_ids_names_the_entities(
    capsys: pytest.CaptureFixture[str], recording: str
) -> None:
    status, out, err = run(capsys, "diff", recording, "--from-id", "1", "--to-id", "7")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "from id 1 (object_new) at 1970-01-01 00:01:41, line 2",
        "to   id 7 (object_delete) at 1970-01-01 00:01:47, line 8",
        "2 changes:",
        f'  ~ /objects/{OBJECT}/description: "draft" -> "final"   ("final")',
        f'  ~ /objects/{OBJECT}/trashed: false -> true   ("final")',
    ]
    _, backwards, _ = run(capsys, "diff", recording, "--from-id", "7", "--to-id", "1", "--json")
    document = json.loads(backwards)
    assert [change["old"] for change in document["changes"]] == ["final", True]
    assert document["from"] == {"id": 7, "index": 7, "line": 8, "type": "object_delete",
                                "time": 107}  # fmt: skip


def test_diff_of_two_saved_mirrors(
    capsys: pytest.CaptureFixture[str], recording: str, tmp_path: Path
) -> None:
    saved = []
    for until in ("2", "7"):
        _, out, _ = run(capsys, "replay", recording, "--json", "--until-id", until)
        path = tmp_path / f"until-{until}.json"
        path.write_text(out)
        saved.append(str(path))
    status, out, _ = run(capsys, "diff", *saved, "--json")
    assert status == 0
    paths = [change["path"] for change in json.loads(out)["changes"]]
    assert paths == [f"/objects/{OBJECT}/description", f"/objects/{OBJECT}/trashed"]
    again = run(capsys, "diff", *saved, "--json")[1]
    assert again == out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from-id", "1"], "a recording needs --from-id A and --to-id B"),
        (["--from-id", "1", "--to-id", "99"], "--to-id 99: id 99 is not in the recording"),
    ],
)
def test_diff_errors(
    capsys: pytest.CaptureFixture[str], recording: str, argv: list[str], message: str
) -> None:
    status, _, err = run(capsys, "diff", recording, *argv)
    assert status == 2 and message in err


def test_diff_of_a_file_that_is_no_mirror(
    capsys: pytest.CaptureFixture[str], recording: str
) -> None:
    status, _, err = run(capsys, "diff", recording, recording)
    assert status == 2 and "is not a saved mirror" in err


def test_blame_names_the_last_setter_and_the_history(
    capsys: pytest.CaptureFixture[str], recording: str
) -> None:
    pointer = f"/objects/{OBJECT}/description"
    status, out, _ = run(capsys, "blame", recording, pointer, "--history")
    assert status == 0
    assert out.splitlines() == [
        f'{pointer} = "after reset"',
        'last set by id 0 (object_modify) at 1970-01-01 00:01:48, line 9: "final" -> "after reset"',
        "history (4):",
        '  id 1 (object_new) at 1970-01-01 00:01:41, line 2: added "draft"',
        '  id 2 (object_modify) at 1970-01-01 00:01:42, line 3: "draft" -> "second"',
        '  id 5 (object_modify) at 1970-01-01 00:01:45, line 6: "second" -> "final"',
        '  id 0 (object_modify) at 1970-01-01 00:01:48, line 9: "final" -> "after reset"',
    ]
    _, out, _ = run(capsys, "blame", recording, pointer, "--json")
    document = json.loads(out)
    assert document["last"]["line"] == 9 and document["history"] == []


def test_blame_of_a_path_never_there_suggests_the_nearest_key(
    capsys: pytest.CaptureFixture[str], recording: str
) -> None:
    status, out, err = run(capsys, "blame", recording, f"/objects/{OBJECT}/descriptoin")
    assert (status, out) == (2, "")
    assert err == (
        f"eventmirror blame: no key 'descriptoin' at /objects/{OBJECT}; "
        "did you mean 'description'?\n"
    )


def test_bisect_finds_the_first_event_after_which_a_condition_holds(
    capsys: pytest.CaptureFixture[str], recording: str
) -> None:
    status, out, _ = run(capsys, "bisect", recording, "--when", f'objects."{OBJECT}".trashed')
    assert status == 0
    assert out.splitlines() == [
        f'condition: objects."{OBJECT}".trashed',
        "first event after which it holds: id 7 (object_delete) at 1970-01-01 00:01:47, line 8",
        "the last event before it:         id 6 (object_fly) at 1970-01-01 00:01:46, line 7",
    ]
    status, out, _ = run(capsys, "bisect", recording, "--when", "stream.resync", "--json")
    assert status == 0 and json.loads(out)["first"]["id"] == 5  # the gap


def test_bisect_exit_status_when_it_never_holds_and_for_a_bad_expression(
    capsys: pytest.CaptureFixture[str], recording: str
) -> None:
    status, out, _ = run(capsys, "bisect", recording, "--when", "length(keys(objects)) > `5`")
    assert status == 1 and "it never came to hold" in out
    status, _, err = run(capsys, "bisect", recording, "--when", "objects.[")
    assert status == 2 and "not a JMESPath expression" in err
