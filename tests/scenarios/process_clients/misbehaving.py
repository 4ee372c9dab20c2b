"""A client process that breaks the protocol in the way its first argument names.

``environment``: answers every request well; its state is its environment's EVENTMIRROR_*
variables, under ``stream``. ``echo``: its state is the last body it received, under ``echo``.
The others answer ``advance`` and ``state`` well, and the first ``receive`` as follows:
``dies`` writes to standard error and exits with status 3; ``hangs`` never answers; ``deaf``
stops reading its input and never answers; ``not-json``, ``not-object``, ``wrong-shape`` and
``error`` answer that; ``chatty`` answers, then logs a line to standard output; ``closes``
closes its standard output and sleeps.
"""

from __future__ import annotations

import json
import os
import sys
import time


def reply(value: object) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def main(mode: str) -> None:
    if mode == "deaf":
        time.sleep(60)
    received: object = None
    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        if mode == "echo":
            received = request.get("events", received)
            reply({"state": {"echo": received}} if op == "state" else {"ok": True})
            continue
        if op == "state":
            names = sorted(name for name in os.environ if name.startswith("EVENTMIRROR_"))
            reply({"state": {"stream": {name: os.environ[name] for name in names}}})
            continue
        if op == "advance" or mode == "environment":
            reply({"ok": True})
            continue
        if mode == "dies":
            sys.stderr.write("Traceback (most recent call last):\nValueError: no such tag\n")
            sys.exit(3)
        elif mode == "hangs":
            time.sleep(60)
        elif mode == "not-json":
            sys.stdout.write("ok then\n")
        elif mode == "not-object":
            reply([True])
        elif mode == "wrong-shape":
            reply({"okay": True})
        elif mode == "error":
            reply({"error": "cannot read event 3"})
        elif mode == "chatty":
            sys.stdout.write('{"ok": true}\nreceived 1 event\n')
        elif mode == "closes":
            os.close(1)
            time.sleep(60)
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
