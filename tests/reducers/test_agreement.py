"""Whether a client's reported state agrees with the oracle (reducers/agreement.py)."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror import strategies
from reducers.agreement import Disagreement, agrees, disagreements
from tests.support import ME

OBJ = "94f1bb1a-5931-11e0-8db5-0024e8f90cc0"
OTHER_OBJ = "0b9f6a52-3c1e-4d8a-9f27-5e4c1d2b7a90"
ORACLE: dict[str, Any] = {
    "stream": {"last_id": 7, "now": 100, "resync": False},
    "objects": {
        OBJ: {"type": "contact", "description": "Hans", "tag": ["t1"], "trashed": False},
        OTHER_OBJ: {"type": "fax", "trashed": True},
    },
    "tags": {},
    "user_metadata": {"theme": "dark"},
}


def oracle_of(stream: list[dict[str, Any]]) -> dict[str, Any]:
    return reducers.to_json(reducers.fold([msgspec.json.encode(e) for e in stream], me=ME))


def test_a_subset_of_sections_and_fields_agrees() -> None:
    reported = {"objects": {OBJ: {"description": "Hans"}, OTHER_OBJ: {}}, "stream": {"now": 100}}
    assert disagreements(ORACLE, reported) == []
    assert agrees(ORACLE, {})


def test_a_missing_or_extra_entity_is_a_disagreement() -> None:
    found = disagreements(ORACLE, {"objects": {OBJ: {}, "nope": {"type": "x"}}})
    assert found == [
        Disagreement(f"/objects/{OTHER_OBJ}", "missing", expected={"type": "fax", "trashed": True}),
        Disagreement("/objects/nope", "extra", reported={"type": "x"}),
    ]


def test_a_wrong_value_names_its_path_and_both_values() -> None:
    (found,) = disagreements(ORACLE, {"objects": {OBJ: {}, OTHER_OBJ: {"trashed": False}}})
    assert found == Disagreement(f"/objects/{OTHER_OBJ}/trashed", "differs", True, False)
    assert found.describe() == f"/objects/{OTHER_OBJ}/trashed: expected true, the client has false"


def test_null_agrees_with_an_absent_optional_and_numbers_compare_as_json() -> None:
    reported = {"objects": {OBJ: {"owner": None}, OTHER_OBJ: {}}, "stream": {"now": 100.0}}
    assert agrees(ORACLE, reported)
    assert not agrees(ORACLE, {"stream": {"resync": 0}}), "false and 0 are different JSON values"


def test_entries_that_are_values_compare_whole() -> None:
    assert agrees(ORACLE, {"user_metadata": {"theme": "dark"}})
    (found,) = disagreements(ORACLE, {"user_metadata": {"theme": "light"}})
    assert found.path == "/user_metadata/theme" and found.kind == "differs"


def test_an_unknown_section_or_a_non_object_says_what_is_wrong() -> None:
    (unknown,) = disagreements(ORACLE, {"object": {}})
    assert unknown.kind == "unknown section" and "did you mean 'objects'" in unknown.describe()
    (not_object,) = disagreements(ORACLE, {"objects": []})
    assert not_object.describe() == "/objects: not an object (expected a JSON object, got list)"
    (whole,) = disagreements(ORACLE, ["objects"])
    assert whole.kind == "not an object"


def test_keys_with_a_slash_or_tilde_are_escaped_as_json_pointers() -> None:
    oracle = {"sip": {"a/b~c@example.org": {"user": "a"}}}
    (found,) = disagreements(oracle, {"sip": {}})
    assert found.path == "/sip/a~1b~0c@example.org"


@st.composite
def subsets(draw: st.DrawFn, oracle: dict[str, Any]) -> dict[str, Any]:
    """Any report the rule accepts: some sections, every entity of each, some fields."""
    reported: dict[str, Any] = {}
    for section in draw(st.sets(st.sampled_from(sorted(oracle)))):
        entries = oracle[section]
        if section == "stream":
            keep = draw(st.sets(st.sampled_from(sorted(entries)))) if entries else set()
            reported[section] = {key: entries[key] for key in keep}
            continue
        reported[section] = {}
        for key, entry in entries.items():
            if isinstance(entry, dict) and entry:
                fields = draw(st.sets(st.sampled_from(sorted(entry))))
                reported[section][key] = {field: entry[field] for field in fields}
            else:
                reported[section][key] = entry
    return reported


@given(strategies.wire_streams(max_size=25), st.data())
def test_every_subset_of_the_oracle_agrees(stream: list[dict[str, Any]], data: Any) -> None:
    oracle = oracle_of(stream)
    assert disagreements(oracle, data.draw(subsets(oracle))) == []


@given(strategies.wire_streams(max_size=25), st.data())
def test_dropping_an_entity_or_changing_a_field_is_always_found(
    stream: list[dict[str, Any]], data: Any
) -> None:
    oracle = oracle_of(stream)
    sections = [name for name, entries in oracle.items() if name != "stream" and entries]
    if not sections:
        return
    section = data.draw(st.sampled_from(sorted(sections)))
    key = data.draw(st.sampled_from(sorted(oracle[section])))
    dropped: dict[str, Any] = {section: {k: {} for k in oracle[section] if k != key}}
    assert [d.kind for d in disagreements(oracle, dropped)] == ["missing"]
    changed: dict[str, dict[str, Any]] = {section: {k: {} for k in oracle[section]}}
    changed[section][key] = (
        {"__not_a_field__": "x"} if isinstance(oracle[section][key], dict) else ["changed"]
    )
    assert next(d.path for d in disagreements(oracle, changed)).startswith(f"/{section}/")
