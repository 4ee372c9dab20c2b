"""The OpenAPI 3 document served at ``/_eventmirror/openapi.json``: built from the server's
own route table, so a route cannot be left out, with each call's parameters and bodies."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from scenarios.faults import KINDS, MAX_DELAY, MAX_GAP

from .answers import MAX_TIMEOUT

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
        {
            "name": "timeout",
            "in": "query",
            "schema": {"type": "number", "minimum": 0, "maximum": MAX_TIMEOUT},
        },
    ],
}

_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/session"): {
        "type": "object",
        "properties": {
            "email": {"type": "string", "minLength": 1},
            "username": {"type": "string", "minLength": 1},
            "password": {"type": "string"},
        },
        "required": ["password"],
        "anyOf": [{"required": ["email"]}, {"required": ["username"]}],
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
        "required": ["faults", "format", "names", "oracles", "world"],
        "properties": {
            "faults": {"type": "object"},
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
    ("POST", "/api/sensor/{uuid}/action"): {"type": "object"},
    ("POST", "/api/presentation/{uuid}/control"): {"type": "object"},
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


def _object(required: dict[str, Any], **optional: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **optional},
    }


_STRING = {"type": "string"}
_WHOLE = {"type": "integer", "minimum": 0}
_EMPTY = {"type": "object", "maxProperties": 0}
#: Events as the platform sends them: ``id`` and ``event`` always, ``time`` in every one the
#: simulator delivers; the rest depends on the type (docs/events.md).
_EVENTS = {"type": "array", "items": _object({"id": _WHOLE, "event": _STRING, "time": _WHOLE})}
_NOW = _object({"now": _WHOLE})

#: A session's faults as staged: each as declared, with how often it acted and, for one tied
#: to an event id, whether it is spent.
_STAGED = {
    "type": "array",
    "items": _object(
        {"kind": _STRING, "fired": _WHOLE},
        at=_WHOLE,
        probability={"type": "number"},
        size=_WHOLE,
        seconds={"type": "number"},
        spent={"type": "boolean"},
    ),
}

#: What each call answers with 200 (every other answered body is an :data:`ERROR`).
_ANSWERS: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/session"): _object({"sid": _STRING, "server": _STRING}),
    ("GET", "/api/session"): _object(
        {"sid": _STRING, "user": _STRING, "username": _STRING, "next": _WHOLE}
    ),
    ("DELETE", "/api/session"): _EMPTY,
    ("GET", "/api/event"): _EVENTS,
    ("GET", "/api/conference/{uuid}/event"): _EMPTY,
    ("GET", "/api/presentation/{uuid}/event"): _EMPTY,
    ("GET", "/api/call/event"): _EMPTY,
    ("GET", "/api/sensor/{uuid}/event"): _EMPTY,
    ("POST", "/api/sensor/{uuid}/action"): _object({"action-uuid": _STRING}),
    ("POST", "/api/presentation/{uuid}/control"): _EMPTY,
    ("POST", "/_eventmirror/commands/{name}"): _object({"result": {}}),
    ("POST", "/_eventmirror/advance"): _NOW,
    ("POST", "/_eventmirror/reset"): _NOW,
    ("GET", "/_eventmirror/users"): {"type": "object", "additionalProperties": _STRING},
    ("GET", "/_eventmirror/journal"): {
        "type": "array",
        "items": _object({"call": _STRING, "sid": _STRING, "body": {"type": "object"}}),
    },
    ("GET", "/_eventmirror/sessions/{sid}/events"): _EVENTS,
    ("GET", "/_eventmirror/sessions/{sid}/mirror"): {"type": "object"},
    ("POST", "/_eventmirror/sessions/{sid}/client-state"): _object(
        {
            "agrees": {"type": "boolean"},
            "disagreements": {
                "type": "array",
                "items": _object(
                    {"path": _STRING, "kind": _STRING, "description": _STRING},
                    expected={},
                    reported={},
                    hint={"type": ["string", "null"]},
                ),
            },
        }
    ),
    ("POST", "/_eventmirror/sessions/{sid}/faults"): _STAGED,
    ("GET", "/_eventmirror/sessions/{sid}/faults"): _STAGED,
    ("GET", "/_eventmirror/openapi.json"): _object({"openapi": _STRING, "paths": {}}),
}


#: The three ways a platform call names its session (docs/serve.md), any one of them.
_SESSION: dict[str, dict[str, Any]] = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer SID"},
    "query": {"type": "apiKey", "in": "query", "name": "sid"},
    "cookie": {"type": "apiKey", "in": "cookie", "name": "sid"},
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
            "200": {
                "description": "Done",
                "content": {"application/json": {"schema": _ANSWERS.get((method, path), {})}},
            },
            "4XX": ERROR,
        },
    }
    if path == "/api/event":
        found["responses"]["503"] = {**ERROR, "description": "A staged `error` fault"}
    if path.startswith("/api/") and (method, path) != ("POST", "/api/session"):
        found["security"] = [{name: []} for name in _SESSION]
    schema = _BODIES.get((method, path))
    if schema is not None:
        found["requestBody"] = {
            "required": "required" in schema,  # a body that must have keys must be sent
            "content": {"application/json": {"schema": schema}},
        }
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
        "components": {"schemas": {"Fault": FAULT}, "securitySchemes": _SESSION},
    }
