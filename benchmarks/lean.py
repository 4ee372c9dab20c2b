"""The lean baseline: the simplest loop a client author writes in an afternoon.

It parses each line with ``orjson.loads``, looks the event name up in a dict of handlers and
keeps what it cares about in plain dicts: tags, objects, comments, metadata, files,
conferences, chats, calls and sensors. Every other event type is skipped. It checks nothing
(no ids, no time, no validation), never scans (a deleted folder leaves its contents behind, a
deleted tag stays on its objects, the trash is never purged) and follows none of the rulings
beyond "the last update wins". It is the floor a careful library must come close to:
:class:`benchmarks.handwritten.Client` is the full-semantics baseline.

``python -m benchmarks.lean FILE`` replays a recording and prints how many objects it holds.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import orjson

Event = dict[str, Any]


class LeanClient:
    """One session's state in plain dicts, updated in place by :meth:`replay`."""

    def __init__(self, me: str | None = None) -> None:
        self.me = me
        self.tags: dict[str, Event] = {}
        self.objects: dict[str, Event] = {}
        self.comments: dict[str, Event] = {}
        self.metadata: Event = {}
        self.metadata_by_object: dict[str, Event] = {}
        self.files: dict[str, Event] = {}
        self.conferences: dict[str, dict[str, Event]] = {}
        self.chats: dict[str, Event] = {}
        self.chat_users: dict[str, dict[str, Event]] = {}
        self.calls: dict[str, Event] = {}
        self.sensors: dict[str, dict[str, Any]] = {}
        self.handlers: dict[str, Callable[[Event], None]] = {
            name: getattr(self, name) for name in HANDLED
        }

    def replay(self, lines: Iterable[bytes]) -> LeanClient:
        loads, handlers = orjson.loads, self.handlers
        for line in lines:
            event = loads(line)
            handler = handlers.get(event["event"])
            if handler is not None:
                handler(event)
        return self

    def tag_new(self, e: Event) -> None:
        self.tags[e["tag"]] = e

    tag_modify = tag_new

    def tag_delete(self, e: Event) -> None:
        self.tags.pop(e["tag"], None)

    def object_new(self, e: Event) -> None:
        self.objects[e["object"]] = e

    object_modify = object_tag = object_share = object_new

    def object_delete(self, e: Event) -> None:
        self.objects.pop(e["object"], None)

    object_unshare = object_delete

    def comment_new(self, e: Event) -> None:
        self.comments[e["comment"]] = e

    comment_modify = comment_new

    def comment_delete(self, e: Event) -> None:
        self.comments.pop(e["comment"], None)

    def user_metadata(self, e: Event) -> None:
        self.metadata.update(e.get("update") or ())

    def object_metadata(self, e: Event) -> None:
        self.metadata_by_object.setdefault(e["object"], {}).update(e.get("update") or ())

    def file_new(self, e: Event) -> None:
        self.files[e["file"]] = e

    def file_modify(self, e: Event) -> None:
        node = self.files.get(e["file"])
        if node is None:
            self.files[e["file"]] = e
        else:
            node.update(e)

    def file_delete(self, e: Event) -> None:
        self.files.pop(e["file"], None)

    def conference_start(self, e: Event) -> None:
        self.conferences[e["conference"]] = {}

    conference_stop = conference_start

    def conference_update(self, e: Event) -> None:
        members = self.conferences.setdefault(e["conference"], {})
        for uuid, change in e["member"].items():
            members.setdefault(uuid, {}).update(change)

    conference_join = conference_status = conference_update

    def conference_leave(self, e: Event) -> None:
        members = self.conferences.setdefault(e["conference"], {})
        for uuid in e["member"]:
            members.pop(uuid, None)

    def chat_new(self, e: Event) -> None:
        self.chats.setdefault(e["chat"], {}).update(e.get("message") or ())

    chat_message = chat_new

    def chat_user(self, e: Event) -> None:
        users = self.chat_users.setdefault(e["chat"], {})
        for user, state in e["user"].items():
            users.setdefault(user, {}).update(state)

    def call_update(self, e: Event) -> None:
        for uuid, fields in e["call"].items():
            self.calls.setdefault(uuid, {}).update(fields)

    def call_dtmf(self, e: Event) -> None:
        self.calls.setdefault(e["call"], {}).setdefault("dtmf", []).append(e["digit"])

    def sensor_data(self, e: Event) -> None:
        self.sensors.setdefault(e["sensor"], {}).update(e["data"])

    def sensor_action(self, e: Event) -> None:
        self.sensors.setdefault(e["sensor"], {}).update(e["action"])


#: The event types the lean client handles; it skips every other one.
HANDLED = (
    "tag_new", "tag_modify", "tag_delete", "object_new", "object_modify", "object_tag",
    "object_share", "object_delete", "object_unshare", "comment_new", "comment_modify",
    "comment_delete", "user_metadata", "object_metadata", "file_new", "file_modify",
    "file_delete", "conference_start", "conference_stop", "conference_status",
    "conference_update", "conference_join", "conference_leave", "chat_new", "chat_message",
    "chat_user", "call_update", "call_dtmf", "sensor_data", "sensor_action",
)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    (path,) = sys.argv[1:] if argv is None else argv
    with open(path, "rb") as lines:
        client = LeanClient().replay(lines)
    print(f"{len(client.objects)} objects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
