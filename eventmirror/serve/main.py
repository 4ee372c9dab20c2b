"""The ``serve`` subcommand: start the server, say where it is, serve until interrupted."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .world import Served

#: The users of a world served without a scenario, unless --users names others.
DEFAULT_USERS: Final = ("anna", "ben", "cara")
LOOPBACK: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8642


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the simulator over HTTP, for a client in any language",
        description=(
            "Start the simulator behind an HTTP server: the platform's calls (POST "
            "/api/session, GET /api/event, the subscriptions) and a control API under "
            "/_eventmirror/ (docs/serve.md). A SCENARIO file is run first as the starting "
            "state. Loopback only, unless --token is given."
        ),
    )
    serve.add_argument("scenario", metavar="SCENARIO", nargs="*", help="a scenario file")
    serve.add_argument("--host", default=LOOPBACK, help=f"address to bind (default {LOOPBACK})")
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: free)"
    )
    serve.add_argument(
        "--users",
        metavar="NAMES",
        help=f"users, comma-separated (default {','.join(DEFAULT_USERS)} without a scenario)",
    )
    serve.add_argument("--seed", type=int, help="the world's seed (default 0)")
    serve.add_argument(
        "--token", help="needed to bind a non-loopback address; every control call sends it"
    )
    serve.set_defaults(run=run_serve)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build(args: argparse.Namespace) -> Served | str:
    """The served world the arguments describe, or why not."""
    # The server, the simulator and the reducers load only when serving: --help stays fast.
    from .world import Served

    users = [name for name in (args.users or "").split(",") if name]
    if not args.scenario:
        return Served.new(users or DEFAULT_USERS, args.seed or 0)
    if args.seed is not None:
        return "--seed: a scenario sets the world's seed itself"
    import scenarios
    from simulator import SimulatorError

    found = []
    for path in args.scenario:
        try:
            found += scenarios.load(path)
        except (OSError, scenarios.ScenarioFileError) as bad:
            return str(bad)
    try:
        served, outcomes = Served.from_scenarios(found, users)
    except SimulatorError as refused:
        return f"the scenarios cannot share one world: {refused}"
    for outcome in outcomes:
        if not outcome.passed:
            return scenarios.render_outcome(outcome)
    return served


def banner(served: Served, url: str, token: str | None) -> str:
    users = ", ".join(f"{name} ({uuid})" for name, uuid in served.world.users.items())
    first = next(iter(served.world.users), "anna")
    auth = f" -H 'Authorization: Bearer {token}'" if token else ""
    return (
        f"eventmirror serve: {url}\n"
        f"users: {users}\n"
        f"log in: curl -s -X POST {url}/api/session -d "
        f'\'{{"username": "{first}", "password": "x"}}\'\n'
        f"control: curl -s{auth} {url}/_eventmirror/openapi.json\n"
    )


async def serve(served: Served, host: str, port: int, token: str | None) -> None:
    import asyncio

    from aiohttp import web

    from .app import make_app

    runner = web.AppRunner(make_app(served, token), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0]
    shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
    sys.stdout.write(banner(served, f"http://{shown}:{bound[1]}", token))
    sys.stdout.flush()
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def run_serve(args: argparse.Namespace) -> int:
    if not is_loopback(args.host) and not args.token:
        print(f"eventmirror serve: binding {args.host} needs --token", file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print(f"eventmirror serve: --port must be 0..65535, got {args.port}", file=sys.stderr)
        return 2
    served = build(args)
    if isinstance(served, str):
        print(f"eventmirror serve: {served}", file=sys.stderr)
        return 2
    import asyncio

    try:
        asyncio.run(serve(served, args.host, args.port, args.token))
    except OSError as bad:
        print(f"eventmirror serve: {bad}", file=sys.stderr)
        return 2
    return 0
