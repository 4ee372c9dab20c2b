"""A correct client process: toy_clients.MirrorClient behind the JSON Lines protocol.

``python mirror_client.py`` serves requests until its standard input ends; the session comes
from the environment, as eventmirror's --client-cmd sets it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from scenarios.client import ClientSession
from tests.scenarios.toy_clients import MirrorClient


def main() -> None:
    session = ClientSession(
        os.environ["EVENTMIRROR_SESSION"],
        os.environ["EVENTMIRROR_USER"],
        os.environ["EVENTMIRROR_NAME"],
    )
    client = MirrorClient(session)
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "receive":
            client.receive(request["events"])
            reply: dict[str, object] = {"ok": True}
        elif request["op"] == "advance":
            client.advance(request["now"])
            reply = {"ok": True}
        elif request["op"] == "state":
            reply = {"state": client.state()}
        else:
            reply = {"error": f"no such op: {request['op']}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
