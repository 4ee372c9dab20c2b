"""The smallest client process: it answers every request and models nothing (state ``{}``).

It agrees with every mirror (it reports no section), so it measures what the process protocol
itself costs: ``eventmirror run --client-cmd "python minimal_client.py"``.
"""

import json
import sys

for line in sys.stdin:
    op = json.loads(line)["op"]
    reply: dict[str, object] = {"state": {}} if op == "state" else {"ok": True}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
