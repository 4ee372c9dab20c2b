"""Whole-process measurements: a program run as its user runs it, from interpreter start to
exit, timed from outside.

``eventmirror replay`` is measured as ``python -m eventmirror replay FILE --me ME``, exactly
as typed, and every client it is compared with as a program of its own
(``python -m benchmarks._whole NAME FILE``, see :data:`PROGRAMS`): each pays for its
interpreter start, its imports, reading the file, its work and its output. The harness takes
the wall time around the process and, from ``os.wait4``, the CPU time (user + system) the
process itself used, which a busy shared machine disturbs less than the wall time.

Peak memory is the process's own ``VmHWM`` (Linux), read by an exit hook that a
``sitecustomize`` module, put on the child's path by the harness, registers: ``ru_maxrss``
would not do, since a child spawned by a large parent starts from the parent's high-water
mark.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from .generate import ME

ROOT = Path(__file__).resolve().parent.parent
#: Where the exit hook writes the peak (set for the child only).
PEAK_FILE: Final = "EVENTMIRROR_BENCH_PEAK_FILE"
_HOOK: Final = f"""\
import atexit, os

def _write_peak():
    try:
        with open("/proc/self/status") as status:
            peak = next(line for line in status if line.startswith("VmHWM:")).split()[1]
        with open(os.environ["{PEAK_FILE}"], "w") as out:
            out.write(str(int(peak) * 1024))
    except (OSError, StopIteration, KeyError):
        pass

if os.environ.get("{PEAK_FILE}"):
    atexit.register(_write_peak)
"""

#: The programs compared, as the command line that runs each on a recording (``{path}``).
PROGRAMS: Final[dict[str, tuple[str, ...]]] = {
    "command": ("-m", "eventmirror", "replay", "{path}", "--me", ME),
    "fold": ("-m", "benchmarks._whole", "fold", "{path}"),
    "handwritten": ("-m", "benchmarks._whole", "handwritten", "{path}"),
    "lean": ("-m", "benchmarks._whole", "lean", "{path}"),
    # Python itself, starting and exiting: what every row above pays first.
    "python": ("-c", "pass"),
}


def run(program: str, path: Path) -> dict[str, Any]:
    """Run one program on the recording at ``path``: its wall and CPU seconds, peak bytes."""
    argv = [sys.executable, *(part.format(path=path) for part in PROGRAMS[program])]
    with tempfile.TemporaryDirectory() as hook:
        Path(hook, "sitecustomize.py").write_text(_HOOK)
        peak_file = Path(hook, "peak")
        paths = [hook, str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), PEAK_FILE: str(peak_file)}
        with Path(hook, "stderr").open("w+b") as errors:
            start = time.perf_counter()
            child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                     stderr=errors)  # fmt: skip
            _, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode != 0:
                errors.seek(0)
                message = errors.read().decode(errors="replace")
                raise RuntimeError(f"{' '.join(argv)} failed ({child.returncode}):\n{message}")
        peak = int(peak_file.read_text()) if peak_file.exists() else 0
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak": peak}


def _main(argv: list[str]) -> int:
    """The clients and the fold as programs: ``python -m benchmarks._whole NAME FILE``."""
    name, path = argv
    with open(path, "rb") as lines:
        if name == "fold":
            import reducers

            mirror = reducers.fold(lines, me=ME)
            print(f"{len(mirror.objects)} objects, {mirror.applied} events applied")
        elif name == "handwritten":
            from .handwritten import Client

            client = Client(ME).replay(lines)
            print(f"{len(client.objects)} objects")
        else:
            from .lean import LeanClient

            lean = LeanClient(ME).replay(lines)
            print(f"{len(lean.objects)} objects")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
