"""The OpenAPI 3 document served at ``/_eventmirror/openapi.json``: built from the server's
own route table, so a route cannot be left out, with each call's parameters and bodies."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from scenarios.faults import KINDS, MAX_DELAY, MAX_GAP

ERROR: dict[str, Any] = {
    "description": "A client's mistake, said in `error`",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}},
            }
        }
    },
}

_QUERY: dict[str, list[dict[str, Any]]] = {
    "/api/event": [
        {"name": "next", "in": "query", "schema": {"type": "integer", "minimum": 0}},
        {"name": "timeout", "in": "query", "schema": {"type": "number", "minimum": 0}},
    ],
}

_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/session"): {
        "type": "object",
        "properties": {
            "email": {"type": "string"},
            "username": {"type": "string"},
            "password": {"type": "string"},
        },
        "required": ["password"],
    },
    ("POST", "/_eventmirror/commands/{name}"): {
        "type": "object",
        "properties": {"as": {"type": ["string", "null"]}, "with": {"type": "object"}},
        "additionalProperties": False,
    },
    ("POST", "/_eventmirror/advance"): {
        "type": "object",
        "properties": {"seconds": {"type": "integer", "minimum": 0}},
        "required": ["seconds"],
    },
    ("POST", "/_eventmirror/sessions/{sid}/client-state"): {"type": "object"},
    # What GET /_eventmirror/state answers (docs/serve.md, "State: export, import, reset").
    ("PUT", "/_eventmirror/state"): {
        "type": "object",
        "required": ["format", "names", "oracles", "world"],
        "properties": {
            "format": {"const": "eventmirror-serve/1"},
            "names": {"type": "object", "additionalProperties": {"type": "string"}},
            "oracles": {"type": "object"},
            "world": {"type": "object"},
        },
        "additionalProperties": False,
    },
    # Scenario steps (docs/scenarios.md), as JSON here; YAML is read too.
    ("POST", "/_eventmirror/steps"): {
        "oneOf": [
            {"type": "array", "items": {"type": "object"}, "minItems": 1},
            {
                "type": "object",
                "required": ["steps"],
                "properties": {"steps": {"type": "array", "items": {"type": "object"}}},
                "additionalProperties": False,
            },
        ]
    },
    ("POST", "/_eventmirror/sessions/{sid}/faults"): {
        "type": "object",
        "required": ["faults"],
        "properties": {
            "faults": {"type": "array", "items": {"$ref": "#/components/schemas/Fault"}}
        },
    },
}


def _fault_of(kinds: list[str], **extra: dict[str, Any]) -> dict[str, Any]:
    """A fault of one of ``kinds``: ``at`` or ``probability``, and the keys those kinds take."""
    when = {
        "at": {"type": "integer", "minimum": 0},
        "probability": {"type": "number", "minimum": 0, "maximum": 1},
    }
    return {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": kinds}, **when, **extra},
        "additionalProperties": False,
    }


#: One fault (scenarios/faults.py): exactly one of ``at`` and ``probability``; ``size`` only
#: for a gap, ``seconds`` only for a delay.
FAULT: dict[str, Any] = {
    "allOf": [
        {"oneOf": [{"required": ["at"]}, {"required": ["probability"]}]},
        {
            "oneOf": [
                _fault_of(["gap"], size={"type": "integer", "minimum": 1, "maximum": MAX_GAP}),
                _fault_of(
                    ["delay"], seconds={"type": "number", "minimum": 0, "maximum": MAX_DELAY}
                ),
                _fault_of([kind for kind in KINDS if kind not in ("gap", "delay")]),
            ]
        },
    ]
}


def operation(method: str, path: str, summary: str) -> dict[str, Any]:
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"\{(\w+)\}", path)
    ]
    found: dict[str, Any] = {
        "summary": summary,
        "parameters": parameters + _QUERY.get(path, []),
        "responses": {
            "200": {"description": "Done", "content": {"application/json": {"schema": {}}}},
            "4XX": ERROR,
        },
    }
    schema = _BODIES.get((method, path))
    if schema is not None:
        found["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    return found


def document(routes: Sequence[tuple[str, str, Any, str]]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path, _, summary in routes:
        paths.setdefault(path, {})[method.lower()] = operation(method, path, summary)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "eventmirror serve",
            "version": "1",
            "description": "The simulator behind HTTP: the platform's calls and the control "
            "API (docs/serve.md).",
        },
        "paths": paths,
        "components": {"schemas": {"Fault": FAULT}},
    }
