"""``eventmirror commands [DOMAIN]``: the simulator's commands from their declarations."""

from __future__ import annotations

import json

import pytest

from eventmirror.cli import main
from simulator.commands import catalogue


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["commands", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_one_domain_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "tags")
    assert (status, err) == (0, "")
    assert out.startswith(
        "tags.create: by a user (as: required)\n"
        "    The user creates a tag; `policy` maps user names or UUIDs to levels 1..4.\n"
        "    label        required  str\n"
        "    policy       optional  Mapping[str, int] | None\n"
        "    foreign_use  optional  bool\n"
        "\n"
        "tags.modify: by a user (as: required)\n"
    )
    assert [line for line in out.splitlines() if line and not line.startswith(" ")] == [
        "tags.create: by a user (as: required)",
        "tags.modify: by a user (as: required)",
        "tags.delete: by a user (as: required)",
    ]


def test_who_performs_a_command_and_open_ended_fields(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "conference")[1]
    assert "conference.join: by a user or the platform (as: optional)\n" in out
    assert "conference.update: by the platform or a device (no as:)\n" in out
    assert "    (and the fields the doc names, as **fields)\n" in out


def test_every_command_as_json_deterministically(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--json")
    assert status == 0 and run(capsys, "--json")[1] == out
    listed = json.loads(out)["commands"]
    assert [entry["name"] for entry in listed] == list(catalogue())
    create = listed[[entry["name"] for entry in listed].index("sip.create_account")]
    assert create == {
        "name": "sip.create_account",
        "by": "user",
        "arguments": [
            {"name": "user_part", "type": "str", "required": True},
            {"name": "domain", "type": "str", "required": True},
            {"name": "description", "type": "str | None", "required": False},
        ],
        "more_arguments": None,
        "doc": "The user gets the account `user_part@domain`; returns that key.",
        "details": "",
    }


def test_one_command(capsys: pytest.CaptureFixture[str]) -> None:
    listed = json.loads(run(capsys, "box.offline", "--json")[1])["commands"]
    assert [entry["name"] for entry in listed] == ["box.offline"]


@pytest.mark.parametrize(
    ("asked", "hint"), [("tag", "did you mean 'tags'?"), ("tags.craete", "'tags.create'")]
)
def test_an_unknown_domain_is_a_usage_error_with_a_hint(
    capsys: pytest.CaptureFixture[str], asked: str, hint: str
) -> None:
    status, out, err = run(capsys, asked)
    assert (status, out) == (2, "")
    assert err.startswith(f"eventmirror commands: no domain or command {asked!r}; ")
    assert hint in err and "(the domains: user, tags, objects," in err
