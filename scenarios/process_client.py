"""A client in any language: one process per session, spoken to in JSON Lines.

``eventmirror run --client-cmd "COMMAND"`` starts ``COMMAND`` (split as a POSIX shell splits
words, run without a shell) once for every session, with the session in its environment:

======================= ===================================================================
``EVENTMIRROR_SESSION`` the session's id (``s1``, ``s2``, ...)
``EVENTMIRROR_USER``    the session's user, as the UUID events carry
``EVENTMIRROR_NAME``    the user's symbolic name in the scenario (``anna``)
======================= ===================================================================

It then writes one request a line to the process's standard input and reads one reply a line
from its standard output, in order:

=========================================== ==================================================
``{"op": "receive", "events": [...]}``      ``{"ok": true}``
``{"op": "advance", "now": 1773734400}``    ``{"ok": true}``
``{"op": "state"}``                         ``{"state": {...}}`` (the client's ``state()``)
=========================================== ==================================================

A reply ``{"error": "..."}`` is a failure the client reports itself. A process that exits,
answers something else (not JSON, not an object, not the reply the request asks for) or does
not answer within the timeout fails the step, and the message says which, with the end of
what the process wrote to standard error. Nothing ever waits without a deadline: reads and
writes go through :mod:`selectors` (POSIX pipes), and standard error is drained by a thread so
a chatty client cannot block on it. Every process is killed when its scenario ends.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import selectors
import shlex
import shutil
import subprocess
import threading
import time
from collections.abc import Mapping
from typing import Any, Final

from .client import ClientError, ClientSession

#: Seconds a process may take to answer one request, unless told otherwise.
DEFAULT_TIMEOUT: Final = 10.0
#: How much of a process's standard error a failure shows (its end).
_STDERR_TAIL: Final = 2000
#: How much of a garbled reply a failure shows.
_SHOWN: Final = 200
_CHUNK: Final = 65536
#: The longest reply read: a process writing without end fails rather than filling memory.
_LONGEST_REPLY: Final = 256 * 1024 * 1024
#: Seconds a process whose output ended gets to exit, before it counts as still running.
_EXITING: Final = 2.0


class ProcessClient:
    """One session's client process; implements the client protocol of :mod:`scenarios.client`."""

    def __init__(self, argv: list[str], session: ClientSession, timeout: float) -> None:
        self.argv = argv
        self.session = session
        self.timeout = timeout
        self._stderr: collections.deque[bytes] = collections.deque()
        self._stderr_size = 0
        self._stderr_lock = threading.Lock()
        self.closed = False
        self._pending = b""
        self._broken: str | None = None
        environment = dict(os.environ)
        environment.update(
            EVENTMIRROR_SESSION=session.id,
            EVENTMIRROR_USER=session.user,
            EVENTMIRROR_NAME=session.name,
        )
        try:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=environment,
            )
        except OSError as error:
            raise ClientError(f"cannot start the client {shlex.join(argv)!r}: {error}") from None
        assert self.process.stdin and self.process.stdout and self.process.stderr
        os.set_blocking(self.process.stdin.fileno(), False)
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()

    # -- the client protocol -----------------------------------------------------------------

    def receive(self, events: list[Any]) -> None:
        self._expect_ok("receive", self._ask({"op": "receive", "events": events}, "receive"))

    def advance(self, now: int) -> None:
        self._expect_ok("advance", self._ask({"op": "advance", "now": now}, "advance"))

    def state(self) -> Mapping[str, Any]:
        reply = self._ask({"op": "state"}, "state")
        if "state" not in reply or not isinstance(reply["state"], dict):
            raise self._fail(
                "state", f'answered {_shown(reply)}; the reply to state is {{"state": {{...}}}}'
            )
        state: dict[str, Any] = reply["state"]
        return state

    def close(self) -> None:
        """Kill the process (a client keeps no state worth a graceful end) and reap it."""
        self.closed = True
        process = self.process
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                # A pipe with unwritten bytes to a dead reader raises on close.
                with contextlib.suppress(OSError):
                    stream.close()
        self._drain.join(timeout=1)
        if process.stderr is not None:
            process.stderr.close()

    # -- one exchange ------------------------------------------------------------------------

    def _ask(self, request: Mapping[str, Any], op: str) -> dict[str, Any]:
        if self._broken is not None:
            raise ClientError(self._broken)
        line = json.dumps(request, ensure_ascii=False, separators=(",", ":")) + "\n"
        deadline = time.monotonic() + self.timeout
        self._write(line.encode(), op, deadline)
        raw = self._read_line(op, deadline)
        try:
            reply = json.loads(raw)
        except ValueError:
            raise self._fail(op, f"answered a line that is not JSON: {_shown_bytes(raw)}") from None
        if not isinstance(reply, dict):
            raise self._fail(op, f"answered {_shown(reply)}, which is not a JSON object")
        if "error" in reply:
            raise self._fail(op, f"reported an error: {_shown(reply['error'])}")
        return reply

    def _expect_ok(self, op: str, reply: dict[str, Any]) -> None:
        if reply.get("ok") is not True:
            raise self._fail(op, f'answered {_shown(reply)}; the reply to {op} is {{"ok": true}}')

    def _write(self, data: bytes, op: str, deadline: float) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        view = memoryview(data)
        with selectors.DefaultSelector() as selector:
            selector.register(stdin, selectors.EVENT_WRITE)
            while view:
                if not selector.select(self._left(op, deadline, "read its request")):
                    continue
                try:
                    written = os.write(stdin.fileno(), view[:_CHUNK])
                except BlockingIOError:
                    continue
                except BrokenPipeError:
                    raise self._died(op) from None
                view = view[written:]

    def _read_line(self, op: str, deadline: float) -> bytes:
        stdout = self.process.stdout
        assert stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while b"\n" not in self._pending:
                if not selector.select(self._left(op, deadline, "answer")):
                    continue
                chunk = os.read(stdout.fileno(), _CHUNK)
                if not chunk:
                    raise self._died(op)
                self._pending += chunk
                if len(self._pending) > _LONGEST_REPLY:
                    raise self._fail(op, f"wrote over {_LONGEST_REPLY:,} bytes without a newline")
        line, _, self._pending = self._pending.partition(b"\n")
        if self._pending:
            # Replies would no longer match requests: a reply and something more, or a log
            # line written to standard output instead of standard error.
            raise self._fail(op, f"answered more than one line: then {_shown_bytes(self._pending)}")
        return line

    def _left(self, op: str, deadline: float, what: str) -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise self._fail(op, f"did not {what} within {self.timeout:g} s (--client-timeout)")
        return left

    # -- failures ----------------------------------------------------------------------------

    def _died(self, op: str) -> ClientError:
        try:
            # A process whose output ended is exiting, or never will: a moment tells which.
            status = self.process.wait(timeout=min(self.timeout, _EXITING))
        except subprocess.TimeoutExpired:
            return self._fail(op, "closed its standard output without exiting")
        return self._fail(op, f"exited with status {status}")

    def _fail(self, op: str, what: str) -> ClientError:
        """A failure of this exchange; the process is of no further use (it may still owe a
        reply), so later requests fail at once with the same message."""
        session = self.session
        message = (
            f"the client process {shlex.join(self.argv)!r} of session {session.id} "
            f"({session.name}) {what} (request: {op})"
        )
        tail = self._stderr_tail()
        if tail:
            message += "; its standard error ended with:\n" + tail
        self._broken = message
        return ClientError(message)

    def _read_stderr(self) -> None:
        stderr = self.process.stderr
        assert stderr is not None
        # A process's own children may hold the pipe after it is closed here: reading then
        # fails, and what was read is all there is.
        with contextlib.suppress(OSError, ValueError):
            self._drain_stderr(stderr.fileno())

    def _drain_stderr(self, descriptor: int) -> None:
        for chunk in iter(lambda: os.read(descriptor, _CHUNK), b""):
            with self._stderr_lock:
                self._stderr.append(chunk)
                self._stderr_size += len(chunk)
                while self._stderr_size - len(self._stderr[0]) >= _STDERR_TAIL:
                    self._stderr_size -= len(self._stderr.popleft())

    def _stderr_tail(self) -> str:
        if self.process.poll() is not None:
            self._drain.join(timeout=1)  # what it wrote before exiting, in full
        with self._stderr_lock:
            written = b"".join(self._stderr)
        text = written[-_STDERR_TAIL:].decode("utf-8", "replace")
        return "\n".join("    " + line for line in text.rstrip().splitlines())


class ProcessFactory:
    """``factory(session)`` for ``--client-cmd``: starts ``command`` once per session and
    remembers every process, so :meth:`close` can end those a run left behind."""

    def __init__(self, command: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not timeout > 0:
            raise ClientError(f"the client timeout is a number of seconds > 0, got {timeout!r}")
        try:
            self.argv = shlex.split(command)
        except ValueError as error:
            raise ClientError(f"--client-cmd {command!r}: {error}") from None
        if not self.argv:
            raise ClientError("--client-cmd is empty: give the command that starts a client")
        if shutil.which(self.argv[0]) is None:
            raise ClientError(
                f"--client-cmd {command!r}: there is no program {self.argv[0]!r} (not on PATH, "
                "or not executable)"
            )
        self.command = command
        self.timeout = timeout
        self._started: list[ProcessClient] = []

    def __call__(self, session: ClientSession) -> ProcessClient:
        self._started = [client for client in self._started if not client.closed]
        client = ProcessClient(self.argv, session, self.timeout)
        self._started.append(client)
        return client

    def close(self) -> None:
        """Kill every process still running."""
        started, self._started = self._started, []
        for client in started:
            client.close()


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _shown_bytes(raw: bytes) -> str:
    return _shown(raw.decode("utf-8", "replace"))


__all__ = ["DEFAULT_TIMEOUT", "ProcessClient", "ProcessFactory"]
