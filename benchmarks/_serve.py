"""The serve section: many long-polling sessions against ``eventmirror serve``, and against the
floor (``benchmarks/_floor_server.py``, a minimal long-poll server on the same aiohttp stack).

Each server runs in a process of its own, and so does the load generator (an aiohttp client,
``python -m benchmarks._serve SPEC``), all on 127.0.0.1. Per server and round, in order:

1. **memory per parked poll**: log N sessions in (over 20 connections, then closed), read the
   server's resident set (``VmRSS``), park one long-poll per session (N connections), wait
   until the server is quiet, read it again; the difference / N is what one waiting client
   costs the server, its connection included.
2. **delivery latency**: one control call causes an event for every session (eventmirror:
   ``commands/tags.create`` with a policy naming every user; the floor: ``POST /publish`` of
   an event of the same shape), timed from just before the call to each client's receipt of
   its answer; the clients poll again, the server goes quiet, the next call; p50 and p99 over
   every receipt of every call.
3. **a call that reaches no one**: with every session parked again, calls that deliver to no
   session (eventmirror: a tag created by a user with no session; the floor: a publish to no
   session); the server's CPU time per call is what waking the parked polls costs.
4. **immediate polls**: ``GET /api/event?next=0&timeout=0`` that return at once (each session
   has the events of step 2), over 50 connections: requests/s.

The rounds alternate which server goes first. Nothing is asserted: the report prints
eventmirror's figures, the floor's, and their ratio.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import median, quantiles
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
SERVERS = ("eventmirror", "floor")
#: Users of the served world; sessions are spread over them.
USERS = tuple(f"u{n}" for n in range(10))
#: A user of the served world with no session: what she does reaches no one.
NOBODY = "nobody"
UNRELATED = 20
CONNECTIONS = 50
LONG = 120  # a parked poll's timeout, in seconds: longer than any round


@dataclass(frozen=True)
class Plan:
    sessions: int
    deliveries: int
    immediate: int


def raise_fd_limit(sessions: int) -> tuple[int, int]:
    """Lifts the soft limit on open files so N connections fit on both sides (children
    inherit it); returns the soft limit before and after."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * sessions + 256
    if soft < needed:
        raised = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
        return soft, raised
    return soft, soft


def rss(pid: int) -> int:
    """The process's resident set, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def cpu_seconds(pid: int) -> float:
    """The CPU time the process has used: unlike wall time, the same on a busy machine."""
    return cpu_ticks(pid) / os.sysconf("SC_CLK_TCK")


async def quiet(pid: int, limit: float = 20.0) -> None:
    """Waits until the server has used no CPU for 0.2 s: every request sent is parked."""
    began, still, last = time.monotonic(), 0, cpu_ticks(pid)
    while still < 2 and time.monotonic() - began < limit:
        await asyncio.sleep(0.1)
        now = cpu_ticks(pid)
        still, last = (still + 1 if now == last else 0), now


# -- the load generator (its own process) -----------------------------------------------------


class Load:
    def __init__(self, spec: dict[str, Any], client: aiohttp.ClientSession) -> None:
        self.url, self.kind, self.pid = spec["url"], spec["kind"], spec["pid"]
        self.plan = Plan(spec["sessions"], spec["deliveries"], spec["immediate"])
        self.client = client
        self.sids: list[str] = []

    async def log_in(self) -> None:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=20)) as few:

            async def one(n: int) -> str:
                body = {"username": USERS[n % len(USERS)], "password": "x"}
                async with few.post(f"{self.url}/api/session", json=body) as answer:
                    sid: str = (await answer.json())["sid"]
                    return sid

            self.sids = list(await asyncio.gather(*map(one, range(self.plan.sessions))))

    async def cause(self, round_number: int, to_all: bool = True) -> None:
        """One call that gives every session one event (``to_all``), or none."""
        label = f"bench {round_number}"
        if self.kind == "eventmirror":
            path = "/_eventmirror/commands/tags.create"
            body: dict[str, Any] = {
                "as": USERS[0] if to_all else NOBODY,
                "with": {"label": label, "policy": dict.fromkeys(USERS if to_all else (), 1)},
            }
        else:  # the same event as eventmirror's tag_new, with made-up UUIDs
            path = "/publish" if to_all else "/publish?to="
            fake = [f"{n:08x}-0000-4000-8000-000000000000" for n in range(len(USERS) + 1)]
            policy = {uuid: 4 if uuid == fake[0] else 1 for uuid in fake[:-1]}
            body = {"event": "tag_new", "time": 1_773_734_400, "tag": fake[-1], "owner": fake[0],
                    "label": label, "foreign_use": False, "policy": policy}  # fmt: skip
        async with self.client.post(self.url + path, json=body) as answer:
            assert answer.status == 200, await answer.text()

    async def poll(self, sid: str, next_id: int, timeout: float) -> list[dict[str, Any]]:
        url = f"{self.url}/api/event?next={next_id}&timeout={timeout}"
        async with self.client.get(url, headers={"Authorization": f"Bearer {sid}"}) as answer:
            events: list[dict[str, Any]] = await answer.json()
            return events

    async def run(self) -> dict[str, Any]:
        await self.log_in()
        await asyncio.sleep(0.3)
        idle = rss(self.pid)
        rounds = self.plan.deliveries
        received: list[list[float]] = [[] for _ in range(rounds)]
        all_in = [asyncio.Event() for _ in range(rounds)]

        async def client(sid: str) -> None:
            next_id = 0
            for round_number in range(rounds + 1):
                events: list[dict[str, Any]] = []
                while not events:
                    events = await self.poll(sid, next_id, LONG)
                received[round_number].append(time.perf_counter())
                next_id = events[-1]["id"] + 1
                if len(received[round_number]) == len(self.sids):
                    all_in[round_number].set()

        received.append([])  # the last call: it releases the polls parked through step 3
        all_in.append(asyncio.Event())
        clients = [asyncio.create_task(client(sid)) for sid in self.sids]
        latencies: list[float] = []
        delivery_cpu: list[float] = []
        parked = 0
        for round_number in range(rounds):
            await quiet(self.pid)
            if round_number == 0:
                parked = rss(self.pid)
            began, cpu = time.perf_counter(), cpu_seconds(self.pid)
            await self.cause(round_number)
            await all_in[round_number].wait()
            delivery_cpu.append(cpu_seconds(self.pid) - cpu)
            latencies += [(at - began) * 1000 for at in received[round_number]]
        await quiet(self.pid)
        cpu = cpu_seconds(self.pid)
        for call in range(UNRELATED):
            await self.cause(rounds + call, to_all=False)
        unrelated_cpu = (cpu_seconds(self.pid) - cpu) / UNRELATED
        assert not received[rounds], "a call meant for no one reached a session"
        await self.cause(rounds)
        await asyncio.gather(*clients)
        return {
            "idle_rss": idle,
            "parked_rss": parked,
            "bytes_per_parked_poll": (parked - idle) / len(self.sids),
            "latency_ms": latencies,
            "delivery_cpu_ms": median(delivery_cpu) * 1000,
            "unrelated_cpu_ms": unrelated_cpu * 1000,
            **await self.immediate(),
        }

    async def immediate(self) -> dict[str, float]:
        total, sids = self.plan.immediate, self.sids

        async def worker(start: int) -> None:
            for n in range(start, total, CONNECTIONS):
                assert await self.poll(sids[n % len(sids)], 0, 0)

        began, cpu = time.perf_counter(), cpu_seconds(self.pid)
        await asyncio.gather(*map(worker, range(CONNECTIONS)))
        return {
            "immediate_per_s": total / (time.perf_counter() - began),
            "immediate_cpu_us": (cpu_seconds(self.pid) - cpu) / total * 1e6,
        }


async def generate_load(spec: dict[str, Any]) -> dict[str, Any]:
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=LONG + 30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as client:
        return await Load(spec, client).run()


# -- the orchestrator (the benchmark's process) -----------------------------------------------


def start_server(kind: str) -> tuple[subprocess.Popen[str], str]:
    if kind == "eventmirror":
        users = ",".join((*USERS, NOBODY))
        command = ["-m", "eventmirror", "serve", "--port", "0", "--users", users]
    else:
        command = ["-m", "benchmarks._floor_server"]
    server = subprocess.Popen([sys.executable, *command], cwd=ROOT, env=environment(),
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert server.stdout is not None
    first = server.stdout.readline()
    if "http://" not in first:
        server.kill()
        raise RuntimeError(f"the {kind} server did not start: {first!r}")
    return server, first.split()[-1]


def environment() -> dict[str, str]:
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def one_run(kind: str, plan: Plan) -> dict[str, Any]:
    server, url = start_server(kind)
    try:
        spec = {"kind": kind, "url": url, "pid": server.pid, "sessions": plan.sessions,
                "deliveries": plan.deliveries, "immediate": plan.immediate}  # fmt: skip
        command = [sys.executable, "-m", "benchmarks._serve", json.dumps(spec)]
        done = subprocess.run(command, cwd=ROOT, env=environment(), capture_output=True,
                              text=True, check=False)  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"the load generator failed against {kind}:\n{done.stderr}")
        result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
        return result
    finally:
        server.terminate()
        server.wait(10)


def percentiles(latencies: list[float]) -> tuple[float, float]:
    cuts = quantiles(latencies, n=100, method="inclusive")
    return cuts[49], cuts[98]


def serve(sessions: int, rounds: int, say: Callable[[str], None]) -> dict[str, Any]:
    """Every figure of the section, each the median over the rounds."""
    before, after = raise_fd_limit(sessions)
    plan = Plan(sessions, deliveries=5 if sessions >= 100 else 2, immediate=max(500, 5 * sessions))
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in SERVERS}
    for round_number in range(rounds):
        order = SERVERS if round_number % 2 == 0 else SERVERS[::-1]
        for kind in order:
            result = one_run(kind, plan)
            result["p50_ms"], result["p99_ms"] = percentiles(result.pop("latency_ms"))
            runs[kind].append(result)
            say(f"  round {round_number + 1}/{rounds} serve {kind:12} p50 "
                f"{result['p50_ms']:.1f} ms, {result['immediate_per_s']:,.0f} polls/s")  # fmt: skip
    keys = ("p50_ms", "p99_ms", "delivery_cpu_ms", "unrelated_cpu_ms", "immediate_per_s",
            "immediate_cpu_us",
            "bytes_per_parked_poll", "idle_rss")  # fmt: skip
    figures: dict[str, Any] = {
        kind: {key: median(run[key] for run in runs[kind]) for key in keys} for kind in SERVERS
    }
    figures.update(sessions=sessions, deliveries=plan.deliveries, immediate=plan.immediate,
                   fd_limit=[before, after], runs=runs)  # fmt: skip
    return figures


def serve_report(s: dict[str, Any]) -> list[str]:
    before, after = s["fd_limit"]
    limit = f"open-file limit {after:,}" + (f" (raised from {before:,})" if after != before else "")
    em, floor = s["eventmirror"], s["floor"]
    rows: list[tuple[str, str, Callable[[float], str]]] = [
        ("delivery latency p50, ms", "p50_ms", "{:.1f}".format),
        ("delivery latency p99, ms", "p99_ms", "{:.1f}".format),
        ("server CPU per delivery to all, ms", "delivery_cpu_ms", "{:.0f}".format),
        ("server CPU per call to no one, ms", "unrelated_cpu_ms", "{:.1f}".format),
        ("immediate polls/s", "immediate_per_s", "{:,.0f}".format),
        ("server CPU per immediate poll, us", "immediate_cpu_us", "{:.0f}".format),
        ("memory per parked poll, KB", "bytes_per_parked_poll", lambda b: f"{b / 1024:.1f}"),
        ("server memory, idle, MB", "idle_rss", lambda b: f"{b / 1e6:.1f}"),
    ]
    lines = [
        f"Serve: {s['sessions']:,} long-polling sessions on 127.0.0.1, {s['deliveries']} "
        f"deliveries to all, {s['immediate']:,} immediate polls; {limit}",
        f"  {'':32} {'eventmirror':>12} {'floor':>12} {'ratio':>8}",
    ]
    for label, key, shown in rows:
        # CPU time counts in 10 ms ticks: a floor's figure under half a tick a call reads 0.
        ratio = f"{em[key] / floor[key]:.2f}x" if floor[key] else "-"
        lines.append(f"  {label:32} {shown(em[key]):>12} {shown(floor[key]):>12} {ratio:>8}")
    return lines


if __name__ == "__main__":
    print(json.dumps(asyncio.run(generate_load(json.loads(sys.argv[1])))))
