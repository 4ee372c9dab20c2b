"""Seeded, deterministic recordings for the benchmarks: one user's busy session, every event type.

``lines(n, seed)`` yields the first ``n`` events of a recording as JSON byte lines (ids from 0,
time never going backwards); ``write`` puts them in a file; ``python -m benchmarks.generate N``
prints them. The same seed gives the same bytes on every run and machine: one
``random.Random`` draws everything, and nothing iterates a set (whose order follows hashing).

A recording first builds its working set (tags, objects with metadata and comments, volumes
with folders and files, live conferences with members, sensors with their readings, chats with
history, ...), then shows one event of every type, then runs a steady mix: ``office`` (the
default) is dominated by object_modify, comments, metadata, files, chat, conference_update,
sensor_data and call_update; ``devices`` (``--mix devices``) by sensor_data, call_update and
chat, without the deletes a simple client answers with a scan. Things come and go, but each
kind stays at or under its :class:`WorkingSet` count, so the mirror's size is bounded while
``n`` grows: a longer recording is the same session running longer, and a recording's prefix
is the shorter recording of the same seed.

Where the mirror keeps every key it is told (sensor readings by timestamp, actions by
action UUID, calls by call UUID), the generator reuses a fixed set of keys: each sensor cycles
through a ring of sample times with fresh values, and calls reuse a pool of call UUIDs. Only
DTMF digits pile up (the mirror keeps every digit by design); they are 0.1% of the steady mix.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from functools import partial
from itertools import accumulate, chain, islice
from pathlib import Path
from typing import Any, Final

import orjson

from ._devices import DeviceEvents
from ._live import LiveEvents
from ._office import OfficeEvents
from ._session import DEFAULT, ME, SIP_ACCOUNTS, SMALL, START_TIME, Builder, WorkingSet

__all__ = [
    "DEFAULT", "DEVICES_MIX", "GENERATOR_VERSION", "ME", "MIXES", "SMALL", "START_TIME",
    "STEADY_MIX", "TOUR", "Recording", "WorkingSet", "flat_cost_lines", "lines", "write",
]  # fmt: skip

#: Bump when the output for a seed changes: the harness caches recordings by it.
GENERATOR_VERSION: Final = 7

#: The steady mix: relative weights of the event types after the working set is built.
STEADY_MIX: Final[dict[str, float]] = {
    "object_modify": 12, "sensor_data": 12, "conference_update": 10, "object_metadata": 9,
    "chat_message": 9, "file_modify": 6, "call_update": 8, "comment_new": 4, "chat_user": 4,
    "comment_modify": 3, "file_new": 3, "comment_delete": 2, "file_delete": 1.5,
    "object_new": 1, "object_tag": 1, "user_metadata": 1, "sensor_action": 0.8,
    "fax_report": 0.8, "presentation_update": 0.8, "presentation_keepalive": 0.8,
    "object_delete": 0.6, "conference_join": 0.7, "conference_leave": 0.5, "call_dtmf": 0.1,
    "sip_register": 0.4, "object_share": 0.3, "tag_modify": 0.3, "fax_convert": 0.3,
    "presentation_join": 0.3, "presentation_leave": 0.35, "object_unshare": 0.2,
    "conference_status": 0.2, "presentation_status": 0.2, "box_online": 0.15,
    "box_offline": 0.15, "dialplan_callreverse_start": 0.15, "dialplan_callreverse_stop": 0.15,
    "sip_unregister": 0.15, "conference_start": 0.1, "conference_stop": 0.1,
    "presentation_start": 0.1, "presentation_stop": 0.1, "presentation_convert": 0.1,
    "announcement_convert": 0.1, "chat_new": 0.1, "tag_new": 0.05, "invitation_new": 0.05,
    "invitation_delete": 0.05, "sip_modify": 0.05, "tag_delete": 0.03, "sip_new": 0.03,
    "trash_purge": 0.02, "sip_delete": 0.02, "user_modify": 0.02, "phone_modify": 0.02,
    "dialplan_modify": 0.02,
}  # fmt: skip

#: The second, independent mix: a device-heavy session (sensors, calls, chats), whose steady
#: state has none of the deletes a simple client answers with a scan (file_delete of a folder,
#: tag_delete, trash_purge) and creates nothing that would need them: no file_new,
#: object_new, tag_new. Its events touch fewer, smaller entities than the office mix's.
DEVICES_MIX: Final[dict[str, float]] = {
    "sensor_data": 22, "call_update": 18, "chat_message": 14, "chat_user": 10,
    "conference_update": 6, "object_modify": 5, "object_metadata": 5, "sensor_action": 3,
    "comment_new": 3, "comment_modify": 3, "file_modify": 3, "comment_delete": 2,
    "user_metadata": 1, "presentation_update": 1, "presentation_keepalive": 1,
    "fax_report": 0.5, "conference_join": 0.5, "conference_leave": 0.4, "object_tag": 0.5,
    "sip_register": 0.4, "presentation_join": 0.2, "presentation_leave": 0.2,
    "box_online": 0.2, "box_offline": 0.2, "chat_new": 0.2, "tag_modify": 0.2, "call_dtmf": 0.1,
}  # fmt: skip

#: The steady mixes by name (``--mix``): ``office``, today's, is the default.
MIXES: Final[dict[str, dict[str, float]]] = {"office": STEADY_MIX, "devices": DEVICES_MIX}

#: After the working set, one event of every type, in an order where each is possible.
TOUR: Final = (
    "user_modify", "invitation_new", "invitation_delete", "phone_modify", "tag_new", "tag_modify",
    "object_new", "object_modify", "object_tag", "object_share", "object_unshare",
    "object_delete", "trash_purge", "tag_delete", "comment_new", "comment_modify",
    "comment_delete", "user_metadata", "object_metadata", "fax_convert", "fax_report",
    "announcement_convert", "conference_start", "conference_status", "conference_update",
    "conference_join", "conference_leave", "conference_stop", "file_new", "file_modify",
    "file_delete", "box_online", "box_offline", "dialplan_modify", "dialplan_callreverse_start",
    "dialplan_callreverse_stop", "sip_new", "sip_modify", "sip_register", "sip_unregister",
    "sip_delete", "presentation_convert", "presentation_start", "presentation_join",
    "presentation_leave", "presentation_status", "presentation_update", "presentation_keepalive",
    "presentation_stop", "chat_new", "chat_message", "chat_user", "call_update", "call_dtmf",
    "sensor_data", "sensor_action",
)  # fmt: skip


class Recording(OfficeEvents, LiveEvents, DeviceEvents):
    """One session's recording: ``events()`` yields its events for ever."""

    def __init__(
        self, seed: int = 1, working_set: WorkingSet = DEFAULT, mix: str = "office"
    ) -> None:
        super().__init__(seed, working_set)
        self.mix = MIXES[mix]

    def events(self) -> Iterator[dict[str, Any]]:
        """Every event of the recording, ids from 0, time never going backwards."""
        names = list(self.mix)
        cumulative = list(accumulate(self.mix.values()))
        steady = (
            getattr(self, "_" + name)
            for batch in iter(lambda: self.rng.choices(names, cum_weights=cumulative, k=4096), None)
            for name in batch
        )
        tour = (getattr(self, "_" + name) for name in TOUR)
        return self._stream(chain(self._setup(), tour, steady))

    def _stream(self, planned: Iterator[Builder]) -> Iterator[dict[str, Any]]:
        """The events the builders write, each stamped with the next id and the clock."""
        rng, pending = self.rng, self.s.pending
        event_id = 0
        while True:
            builder = pending.popleft() if pending else next(planned, None)
            if builder is None:
                return
            # About four events a second, with the odd quiet spell.
            draw = rng.random()
            if draw < 0.25:
                self.time += 1 if draw > 0.002 else rng.randint(2, 300)
            name, payload = builder()
            yield {"id": event_id, "event": name, "time": self.time, **payload}
            event_id += 1

    def _setup(self) -> Iterator[Builder]:
        """The working set, built up to just under each count (so the tour can still add)."""
        ws = self.ws
        for _ in range(ws.tags - 2):
            yield self._tag_new
        kinds = (
            ("fax", self.faxes), ("conference", self.conferences), ("volume", self.volumes),
            ("box", self.boxes), ("presentation", self.presentations),
            ("sensor", self.sensors), ("announcement", self.announcements),
        )  # fmt: skip
        for kind, uuids in kinds:
            for uuid in uuids:
                yield partial(self._object_new, kind, uuid)
        for _ in range(ws.objects - 3 - len(self.s.headers)):
            yield self._object_new
        for _ in range(ws.comments - 2):
            yield self._comment_new
        for volume in self.volumes:
            for _ in range(max(1, ws.files // 10 // ws.volumes)):
                yield partial(self._file_new, volume, "folder")
        for _ in range(ws.files - 2 - len(self.s.node)):
            yield self._file_new
        for conference in self.conferences[: max(1, len(self.conferences) * 3 // 4)]:
            yield partial(self._conference_start, conference)
        for sensor in self.sensors:
            for _ in range(0, self.ring, 10):
                yield partial(self._sensor_data, sensor, 10)
        for number in range(ws.chats - 2):
            yield self._chat_new if number % 2 else self._chat_joined
            yield self._chat_history
        yield from [self._sip_new] * (SIP_ACCOUNTS - 1) + [self._sip_register] * SIP_ACCOUNTS
        yield from [self._box_online] * len(self.boxes) + [self._fax_convert] * len(self.faxes)
        for fax, reports in self.report_uuids.items():
            yield from (partial(self._fax_report, fax, report) for report in reports)
        for sensor, actions in self.action_uuids.items():
            yield from [partial(self._sensor_action, sensor)] * len(actions)
        for presentation in self.presentations:
            yield partial(self._presentation_convert, presentation)


def lines(
    n: int, seed: int = 1, working_set: WorkingSet = DEFAULT, mix: str = "office"
) -> Iterator[bytes]:
    """The first ``n`` events of the recording of ``seed``, one JSON document each."""
    dumps = orjson.dumps
    return (dumps(event) for event in islice(Recording(seed, working_set, mix).events(), n))


def write(
    path: Path, n: int, seed: int = 1, working_set: WorkingSet = DEFAULT, mix: str = "office"
) -> None:
    """Write the first ``n`` events to ``path``, one a line; a reader never sees half a file."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    events = lines(n, seed, working_set, mix)
    with partial.open("wb") as out:
        while chunk := list(islice(events, 10_000)):
            out.write(b"\n".join(chunk) + b"\n")
    partial.replace(path)


def flat_cost_lines(
    live_objects: int, timed: int, seed: int = 1
) -> tuple[list[bytes], list[bytes]]:
    """A session that creates ``live_objects`` objects, then ``timed`` events about them.

    Returns the build-up (tags, then one object_new per object) and the timed events: half
    object_modify, a quarter comment_new, a quarter comment_modify, on objects drawn uniformly.
    """
    sizes = WorkingSet(objects=2 * live_objects + 10, tags=50, comments=2 * timed + 10)
    recording = Recording(seed, sizes)
    recording.follow_up = False
    build: list[Builder] = [recording._tag_new] * 40 + [recording._object_new] * live_objects
    mix = (recording._object_modify, recording._object_modify, recording._comment_new,
           recording._comment_modify)  # fmt: skip
    work: list[Builder] = [recording._comment_new] + [recording.pick(mix) for _ in range(timed - 1)]
    events = [orjson.dumps(event) for event in recording._stream(chain(build, work))]
    return events[: len(build)], events[len(build) :]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description="Write a benchmark recording."
    )
    parser.add_argument("events", type=int, help="how many events")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--small", action="store_true", help="the small working set (tests)")
    parser.add_argument(
        "--mix", choices=sorted(MIXES), default="office", help="the steady mix (default office)"
    )
    parser.add_argument("--out", type=Path, help="write to this file instead of standard output")
    args = parser.parse_args(argv)
    working_set = SMALL if args.small else WorkingSet()
    if args.out is not None:
        write(args.out, args.events, args.seed, working_set, args.mix)
        return 0
    for line in lines(args.events, args.seed, working_set, args.mix):
        sys.stdout.buffer.write(line + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
