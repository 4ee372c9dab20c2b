"""The OpenAPI document's fault schema says what the one declaration (scenarios/faults.py)
accepts: a body a client builds from the document is never refused, nor a wrong one taken."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from eventmirror.serve.app import ROUTES
from eventmirror.serve.openapi import document
from scenarios.faults import KINDS, FaultError, parse

DOCUMENT = document(ROUTES)
FAULT = Draft202012Validator(DOCUMENT["components"]["schemas"]["Fault"])

VALUES: st.SearchStrategy[Any] = st.sampled_from(
    [0, 1, 3, -1, 0.0, 0.5, 1.0, 2.5, 31, 10**7, True, None, "3", []]
)
FAULTS = st.fixed_dictionaries(
    {"kind": st.sampled_from([*KINDS, "gapp"])},
    optional=dict.fromkeys(("at", "probability", "size", "seconds", "sise"), VALUES),
)


def accepted(fault: dict[str, Any]) -> bool:
    try:
        parse([fault])
    except FaultError:
        return False
    return True


@settings(max_examples=1000)  # a cheap check, over the keys' many combinations
@given(fault=FAULTS)
def test_the_schema_and_the_declaration_accept_the_same_faults(fault: dict[str, Any]) -> None:
    assert FAULT.is_valid(fault) == accepted(fault), fault


def test_the_faults_body_refers_to_the_fault_schema() -> None:
    call = DOCUMENT["paths"]["/_eventmirror/sessions/{sid}/faults"]["post"]
    body = call["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["faults"]["items"] == {"$ref": "#/components/schemas/Fault"}
    Draft202012Validator.check_schema(DOCUMENT["components"]["schemas"]["Fault"])
    assert FAULT.is_valid({"kind": "gap", "at": 3, "size": 5})
    assert FAULT.is_valid({"kind": "delay", "probability": 0.5, "seconds": 1})
