"""The served world's state as one JSON document (``GET``/``PUT /_eventmirror/state``), and
scenario steps run on the live world (``POST /_eventmirror/steps``); docs/serve.md.

The document wraps the simulator's snapshot (:mod:`simulator.snapshot`, the world itself)
with what the server adds: each session's oracle (its mirror's JSON form and how many of its
events are folded in), each session's staged faults (how they renumbered its stream and how
they acted so far), and the names earlier steps saved. The journal of sensor actions and
presentation controls is not part of it (it is a log of calls, not state): loading a state
clears it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web

import reducers
from scenarios.engine import Client, Run, Stage, StepFailed
from scenarios.faults import ClientStream, FaultError
from scenarios.format import STEP_KEYS, parse_steps
from scenarios.model import Deliver, Do, Open, Replay, Scenario, Step
from scenarios.yamlload import ScenarioFileError, load_documents
from simulator import snapshot
from simulator.snapshot import SnapshotError

from .answers import SERVED, ClientMistake, answer
from .world import Oracle

if TYPE_CHECKING:
    from .world import Served

#: The document's ``format``: another is refused.
FORMAT: Final = "eventmirror-serve/1"
_KEYS: Final = ("faults", "format", "names", "oracles", "world")


def export(served: Served) -> dict[str, Any]:
    """The served state, the same for the same state (keys sorted, the world's maps in order)."""
    oracles = {}
    for sid in served.open_sessions():
        served.mirror(sid)  # folds what the session was sent since
        oracle = served.oracles[sid]
        oracles[sid] = {"cursor": oracle.cursor, "mirror": reducers.to_json(oracle.mirror)}
    faults = {
        sid: {"answers": own.answers, "segment": own.segment, "stream": own.stream.to_json()}
        for sid, own in sorted(served.faults.items())
        if sid in oracles
    }
    return {
        "faults": faults,
        "format": FORMAT,
        "names": dict(served.names),
        "oracles": oracles,
        "world": snapshot.export(served.world),
    }


def load(served: Served, document: Any) -> None:
    """Put the state ``document`` describes in place, or raise SnapshotError naming the path
    of the bad value and leave the served state as it was."""
    if not isinstance(document, dict):
        raise SnapshotError("$", f"expected an object with {', '.join(_KEYS)}")
    for key in sorted(set(document) - set(_KEYS)):
        raise SnapshotError(f"$.{key}", f"unknown key (expected one of {', '.join(_KEYS)})")
    for key in _KEYS:
        if key not in document:
            raise SnapshotError("$", f"{key!r} is missing")
    if document["format"] != FORMAT:
        raise SnapshotError("$.format", f"expected {FORMAT!r}, got {document['format']!r}")
    try:
        world = snapshot.load_world(document["world"])
    except SnapshotError as bad:
        raise SnapshotError("$.world" + bad.path.removeprefix("$"), bad.message) from None
    names = document["names"]
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        raise SnapshotError("$.names", "expected an object of names to UUIDs")
    oracles = _oracles(document["oracles"], world)
    progress = _faults(document["faults"], world, oracles)
    served.world, served.oracles, served.names = world, oracles, dict(names)
    served.cleared()
    for sid, (segment, answers) in progress.items():
        served.faults[sid].segment, served.faults[sid].answers = segment, answers


def _faults(data: Any, world: Any, oracles: dict[str, Oracle]) -> dict[str, tuple[int, int]]:
    """Each session's client stream, put on its oracle (where the served state takes staged
    faults from); answers where each session's answers had reached: (segment, answers)."""
    if not isinstance(data, dict):
        raise SnapshotError("$.faults", "expected an object of session ids to faults")
    progress = {}
    for sid, item in data.items():
        path = f"$.faults.{sid}"
        if sid not in oracles:
            raise SnapshotError(path, f"no open session {sid!r} in the world")
        if not isinstance(item, dict) or set(item) != {"answers", "segment", "stream"}:
            raise SnapshotError(path, "expected an object with answers, segment and stream")
        for key in ("answers", "segment"):
            value = item[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise SnapshotError(f"{path}.{key}", "expected a whole number >= 0")
        events = world.sessions[sid].events
        try:
            where = path + ".stream"
            stream = ClientStream.restored(world.seed, sid, item["stream"], events, where)
        except FaultError as bad:
            message = str(bad)
            where, _, reason = message.partition(": ")
            raise SnapshotError(where, reason) from None
        oracles[sid].faults = stream
        progress[sid] = (item["segment"], item["answers"])
    return progress


def _oracles(data: Any, world: Any) -> dict[str, Oracle]:
    if not isinstance(data, dict):
        raise SnapshotError("$.oracles", "expected an object of session ids to oracles")
    oracles = {}
    for sid, item in data.items():
        path = f"$.oracles.{sid}"
        session = world.sessions.get(sid)
        if session is None or session.closed:
            raise SnapshotError(path, f"no open session {sid!r} in the world")
        if not isinstance(item, dict) or set(item) != {"cursor", "mirror"}:
            raise SnapshotError(path, "expected an object with cursor and mirror")
        cursor = item["cursor"]
        if isinstance(cursor, bool) or not isinstance(cursor, int):
            raise SnapshotError(f"{path}.cursor", "expected a whole number")
        if not 0 <= cursor <= len(session.events):
            raise SnapshotError(f"{path}.cursor", f"expected 0..{len(session.events)}")
        try:
            mirror = reducers.from_json(item["mirror"])
        except reducers.MirrorFormatError as bad:
            raise SnapshotError(f"{path}.mirror", str(bad)) from None
        oracles[sid] = Oracle(mirror, cursor)
    for sid, session in world.sessions.items():
        if not session.closed and sid not in oracles:
            raise SnapshotError("$.oracles", f"the open session {sid!r} has no oracle")
    return oracles


# -- steps on the live world ---------------------------------------------------------------


class StepsRefused(ValueError):
    """Steps that cannot run: the scenario loader's message (``status`` 400) or the engine's
    for the step that failed (422)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def run_steps(served: Served, text: bytes) -> dict[str, Any]:
    """Run scenario steps (YAML or JSON: a list of steps, or ``{steps: [...]}``) on the
    served world. Sessions are named by their ids; an ``open`` step's name stands for the
    session it opens during this call, and the answer says its id. Answers what each step did;
    StepsRefused says why steps cannot run, or which step failed (the steps before it stay
    done, as in a scenario run)."""
    steps = _steps(served, text)
    for sid in served.open_sessions():
        served.mirror(sid)  # every oracle up to date: the steps' clients start from them
    clients = {
        sid: Client(
            sid,
            served.world.sessions[sid],
            oracle.mirror,
            oracle.cursor,
            faults=_stream(served, sid),
        )
        for sid, oracle in served.oracles.items()
        if sid in served.open_sessions()
    }
    stage = Stage(served.world, clients, {**served.names, **served.world.users})
    users = tuple(served.world.users)
    scenario = Scenario("steps", "<steps>", 1, "", (), 0, None, users, {}, (), steps)
    run = Run(scenario, stage=stage)
    done: list[dict[str, Any]] = []
    before = {sid: len(s.events) for sid, s in served.world.sessions.items()}
    try:
        for step in run.play():
            done.append(_report(step, run, before))
            before = {sid: len(s.events) for sid, s in served.world.sessions.items()}
    except StepFailed as failed:
        raise StepsRefused(422, f"step {failed.failure.step.index + 1}: {failed}") from None
    finally:
        _keep(served, run)
    opened = {name: c.session.id for name, c in run.clients.items() if name != c.session.id}
    return {"steps": done, "opened": opened, "now": served.world.now}


def _steps(served: Served, text: bytes) -> tuple[Step, ...]:
    try:
        documents = load_documents(text, "<steps>")
        value = documents[0] if len(documents) == 1 else None
        if isinstance(value, dict) and set(value) == {"steps"}:
            value = value["steps"]
        sessions = {
            sid: served.user_name(served.world.sessions[sid]) for sid in served.open_sessions()
        }
        names = tuple(name for name in served.names if name not in served.world.users)
        steps = parse_steps(
            value, "<steps>", users=tuple(served.world.users), sessions=sessions, names=names
        )
    except ScenarioFileError as bad:
        raise StepsRefused(400, str(bad)) from None
    for step in steps:
        if isinstance(step, Replay):
            raise StepsRefused(400, f"step {step.index + 1}: replay reads a file, not over HTTP")
    return steps


def _report(step: Step, run: Run, before: dict[str, int]) -> dict[str, Any]:
    kind = next(iter(key for key in step.written if key in STEP_KEYS), "step")
    sent = {
        sid: len(session.events) - before.get(sid, 0)
        for sid, session in run.world.sessions.items()
        if len(session.events) > before.get(sid, 0)
    }
    report: dict[str, Any] = {"step": step.index + 1, "kind": kind, "events": sent}
    if isinstance(step, Do) and step.refused is None:
        report["result"] = run.result
    if isinstance(step, Open):
        report["session"] = run.clients[step.session].session.id
    if isinstance(step, Deliver):
        report["session"] = run.clients[step.session].session.id
    return report


def _stream(served: Served, sid: str) -> ClientStream | None:
    """The stream the session's client is sent, when faults were staged for it: a ``faults``
    step stages into it, as the control call does."""
    own = served.faults.get(sid)
    return None if own is None else own.stream


def _keep(served: Served, run: Run) -> None:
    """What the steps left: every client's mirror as its session's oracle, its faults as the
    session's, and the names."""
    from .faults import SessionFaults

    for client in run.clients.values():
        sid = client.session.id
        served.oracles[sid] = Oracle(client.mirror, client.cursor, client.faults)
        if client.faults is not None and sid not in served.faults:
            served.faults[sid] = SessionFaults(client.faults)
    for name, uuid in run.names.items():
        if name not in served.world.users:
            served.names[name] = uuid
    served.changed()


# -- the control calls ------------------------------------------------------------------------


async def get_state(request: web.Request) -> web.Response:
    return answer(export(request.app[SERVED]))


async def put_state(request: web.Request) -> web.Response:
    """Loads a state ``GET /_eventmirror/state`` exported: 422 naming the bad value's path."""
    served = request.app[SERVED]
    try:
        document = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError) as bad:
        raise ClientMistake(400, f"the request body is not JSON: {bad}") from None
    except RecursionError:
        raise ClientMistake(400, "the request body nests values too deeply") from None
    try:
        load(served, document)
    except SnapshotError as bad:
        raise ClientMistake(422, str(bad)) from None
    return answer({"now": served.world.now, "sessions": served.open_sessions()})


async def post_steps(request: web.Request) -> web.Response:
    """Runs scenario steps on the live world (YAML or JSON), answering what each did."""
    served = request.app[SERVED]
    try:
        return answer(run_steps(served, await request.read()))
    except StepsRefused as refused:
        raise ClientMistake(refused.status, str(refused)) from None


__all__ = [
    "FORMAT",
    "StepsRefused",
    "export",
    "get_state",
    "load",
    "post_steps",
    "put_state",
    "run_steps",
]
