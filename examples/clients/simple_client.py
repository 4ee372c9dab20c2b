"""A small, correct client of the event API: tags, objects (with comments and metadata) and chats.

This is the code a client author would write, kept plain on purpose: dicts, one method per
event type, nothing from eventmirror. It shows what a real client needs beyond the happy path:

- **duplicates** (an id at or below the last one seen) are skipped and counted: clients that
  share a server session see events again;
- **gaps** (ids missing) and **resets** (id 0 after a higher id: a new server session) are
  accepted and noted; a real client would re-fetch its state then (``resync``), this one
  only says so, as the mirror does;
- **unknown event types and fields** are ignored: each handler reads the fields it knows;
- **malformed events** (a field missing or of the wrong type, see :data:`WELL_FORMED`) are
  skipped whole, never half applied; their id still counts, so they leave no gap;
- **timers**: a participant's ``typing`` is kept as the absolute expiry time, and is over once
  the clock (the latest event time, or a later ``advance``) reaches it.

``state()`` reports exactly the sections and fields it models, in the mirror's JSON form
(docs/mirror.md): ``stream`` (``last_id``, ``duplicates``, ``gaps``, ``missing``,
``reset_count``, ``resync``), ``tags``, ``objects`` and ``chats``. Run it
against the bundled scenarios with
``eventmirror run --client examples.clients.simple_client:make_client``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeGuard

Event = dict[str, Any]
Check = Callable[[Any], bool]

#: The fields of a chat message this client keeps (a newer server may send more).
MESSAGE_FIELDS = ("user", "time", "type", "text", "member")


class Session(Protocol):
    """What the factory needs from the session it makes a client for."""

    @property
    def user(self) -> str: ...


class SimpleClient:
    """One session's picture of tags, objects and chats, built from the events it polls.

    The class is a factory itself (``SimpleClient(session)``), as are its buggy subclasses."""

    def __init__(self, session: Session) -> None:
        self.me = session.user
        # The stream: where we are, and what went wrong on the way.
        self.last_id: int | None = None
        self.now: int | None = None
        self.duplicates = 0
        self.gaps: list[list[int]] = []
        self.missing = 0
        self.reset_count = 0
        self.resync = False
        # The state, kept in the shape the mirror's JSON form has (absent fields left out).
        self.tags: dict[str, Event] = {}
        self.objects: dict[str, Event] = {}
        self.chats: dict[str, Event] = {}

    # -- the client protocol ---------------------------------------------------------------

    def receive(self, events: list[Event]) -> None:
        """One ``GET /api/event`` response body."""
        for event in events:
            self.handle(event)

    def advance(self, now: int) -> None:
        """The clock moved on: timed states whose expiry is reached are over."""
        self.tick(now)

    def state(self) -> dict[str, Any]:
        """What this client models, as the mirror's JSON form writes it."""
        stream: dict[str, Any] = {
            "duplicates": self.duplicates,
            "gaps": copy.deepcopy(self.gaps),
            "missing": self.missing,
            "reset_count": self.reset_count,
            "resync": self.resync,
        }
        if self.last_id is not None:
            stream["last_id"] = self.last_id
        return {
            "stream": stream,
            "tags": copy.deepcopy(self.tags),
            "objects": copy.deepcopy(self.objects),
            "chats": {uuid: self.chat_state(chat) for uuid, chat in self.chats.items()},
        }

    # -- the stream ------------------------------------------------------------------------

    def handle(self, event: Event) -> None:
        """Check the event's place in the stream, move the clock, then apply it."""
        if not isinstance(event, dict) or not self.accept(event.get("id")):
            return
        kind = str(event.get("event"))
        well_formed = WELL_FORMED.get(kind)
        if well_formed is not None and not (count(event.get("time")) and well_formed(event)):
            return  # malformed: its id counts (no gap), nothing else (a real client logs it)
        if count(event.get("time")):
            self.tick(event["time"])
        if well_formed is not None:  # an event type this client does not model is ignored
            getattr(self, f"on_{kind}")(event)

    def accept(self, event_id: object) -> bool:
        """Whether the event with this id is new; notes duplicates, gaps and resets."""
        if not count(event_id):
            return False  # no readable id: nothing to place it by
        last = self.last_id
        if last is not None and event_id != last + 1:
            if event_id == 0 and last > 0:  # a new server session: ids start over
                self.reset_count += 1
                self.resync = True
            elif event_id <= last:
                self.duplicates += 1
                return False
            else:
                self.gaps.append([last + 1, event_id - 1])
                self.missing += event_id - 1 - last
                self.resync = True
        self.last_id = event_id
        return True

    def tick(self, now: int) -> None:
        """The clock never goes backwards."""
        if self.now is None or now > self.now:
            self.now = now

    # -- tags ------------------------------------------------------------------------------

    def on_tag_new(self, event: Event) -> None:
        self.tags[event["tag"]] = {
            "owner": event["owner"],
            "label": event["label"],
            "foreign_use": event["foreign_use"],
            # Level 0 means "no access": such users are not in the policy.
            "policy": {user: level for user, level in event["policy"].items() if level},
        }

    def on_tag_modify(self, event: Event) -> None:
        if event["policy"].get(self.me) == 0:  # I lost access: the tag is gone for me
            self.tags.pop(event["tag"], None)
        else:
            self.on_tag_new(event)

    def on_tag_delete(self, event: Event) -> None:
        tag = event["tag"]
        self.tags.pop(tag, None)
        for obj in self.objects.values():
            if tag in obj.get("tag", ()):
                obj["tag"] = [t for t in obj["tag"] if t != tag]

    # -- objects ---------------------------------------------------------------------------

    def object_with_header(self, header: Event) -> Event:
        """The object ``header`` names, created if unseen, its header set from ``header``."""
        obj = self.objects.setdefault(
            header["object"], {"trashed": False, "comments": {}, "metadata": {}}
        )
        for field in ("type", "owner", "description"):
            if header.get(field) is None:
                obj.pop(field, None)
            else:
                obj[field] = header[field]
        return obj

    def on_object_new(self, event: Event) -> None:
        obj = self.object_with_header(event)
        obj["tag"] = list(event["tag"])
        obj["trashed"] = False

    def on_object_modify(self, event: Event) -> None:
        self.object_with_header(event)

    def on_object_delete(self, event: Event) -> None:
        if event.get("purge"):
            self.objects.pop(event["object"], None)
        else:
            self.object_with_header(event)["trashed"] = True

    def on_object_share(self, event: Event) -> None:
        self.object_with_header(event)["tag"] = list(event["tag"])

    def on_object_tag(self, event: Event) -> None:
        # ``tag`` is the full list and wins; ``tag_add``/``tag_delete`` only say what changed.
        self.object_with_header(event)["tag"] = list(event["tag"])

    def on_object_unshare(self, event: Event) -> None:
        self.objects.pop(event["object"], None)

    def on_trash_purge(self, event: Event) -> None:
        for uuid, obj in list(self.objects.items()):
            # My trash only: another owner's trashed object I can read is in her trash.
            if obj["trashed"] and obj.get("owner") in (self.me, None):
                del self.objects[uuid]

    def on_object_metadata(self, event: Event) -> None:
        obj = self.objects.setdefault(
            event["object"], {"trashed": False, "comments": {}, "metadata": {}}
        )
        obj["metadata"].update(event.get("update") or {})
        for key in event.get("delete") or ():
            obj["metadata"].pop(key, None)

    # -- comments --------------------------------------------------------------------------

    def on_comment_new(self, event: Event) -> None:
        comment = {"owner": event["owner"], "text": event["text"]}
        self.object_with_header(event["object"])["comments"][event["comment"]] = comment

    on_comment_modify = on_comment_new

    def on_comment_delete(self, event: Event) -> None:
        self.object_with_header(event["object"])["comments"].pop(event["comment"], None)

    # -- chats -----------------------------------------------------------------------------

    def chat(self, uuid: str) -> Event:
        """The chat ``uuid``, created empty if unseen (its members are sets until reported)."""
        return self.chats.setdefault(uuid, {"member": set(), "message": {}, "user": {}})

    def on_chat_new(self, event: Event) -> None:
        chat = self.chat(event["chat"])
        chat["create_time"] = event["create_time"]
        chat["member"].add(self.me)  # the creator is the only member

    def on_chat_message(self, event: Event) -> None:
        chat = self.chat(event["chat"])
        for field in ("create_time", "description"):
            if event.get(field) is not None:
                chat[field] = event[field]
        i_left = False
        messages = sorted(event["message"].items(), key=lambda item: (item[1]["time"], item[0]))
        for uuid, message in messages:
            chat["message"][uuid] = {k: message[k] for k in MESSAGE_FIELDS if k in message}
            if message["type"] == "add" and message.get("member") is not None:
                chat["member"].add(message["member"])
                i_left = i_left and message["member"] != self.me
            elif message["type"] == "leave":
                chat["member"].discard(message["user"])
                i_left = i_left or message["user"] == self.me
        if i_left:  # my last event for this chat: it is gone for me
            self.forget_chat(event["chat"])

    def forget_chat(self, uuid: str) -> None:
        del self.chats[uuid]

    def on_chat_user(self, event: Event) -> None:
        participants = self.chat(event["chat"])["user"]
        for user, change in event["user"].items():
            participant = participants.setdefault(user, {})
            if change.get("message_read") is not None:
                participant["message_read"] = change["message_read"]
            if change.get("typing"):
                # Seconds from the event's time; kept as the expiry (one already past is
                # never shown: see chat_state).
                participant["typing"] = event["time"] + change["typing"]
            elif change.get("typing") == 0:  # 0: not typing any more
                participant.pop("typing", None)
            if not participant:
                del participants[user]

    def chat_state(self, chat: Event) -> Event:
        """A chat as the JSON form writes it: members sorted, typing only while active."""
        users = {}
        for user, participant in chat["user"].items():
            shown = {k: v for k, v in participant.items() if k != "typing" or self.is_active(v)}
            if shown:
                users[user] = shown
        reported = copy.deepcopy(chat)
        reported["member"] = sorted(chat["member"])
        reported["user"] = users
        return reported

    def is_active(self, expiry: int) -> bool:
        """A timed state is active while the clock is before its expiry."""
        return self.now is None or self.now < expiry


def make_client(session: Session) -> SimpleClient:
    """The factory: ``eventmirror run --client examples.clients.simple_client:make_client``."""
    return SimpleClient(session)


# -- what a well-formed event looks like: a malformed one is skipped, never half applied ------


def text(value: Any) -> bool:
    return isinstance(value, str)


def flag(value: Any) -> bool:
    return isinstance(value, bool)


def count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def texts(value: Any) -> bool:
    return isinstance(value, list) and all(map(text, value))


def record(value: Any) -> bool:
    return isinstance(value, dict)


def fields(required: Mapping[str, Check], optional: Mapping[str, Check] | None = None) -> Check:
    """A check for a JSON object with these fields (optional ones may be absent or null)."""

    def check(value: Any) -> bool:
        return (
            isinstance(value, dict)
            and all(field in value and ok(value[field]) for field, ok in required.items())
            and all(
                value.get(field) is None or ok(value[field])
                for field, ok in (optional or {}).items()
            )
        )

    return check


def each(check: Check) -> Check:
    """A check for a JSON object whose every value passes ``check``."""
    return lambda value: isinstance(value, dict) and all(map(check, value.values()))


def level(value: Any) -> bool:
    return count(value) and value <= 4


HEADER: dict[str, Check] = {"object": text, "type": text, "owner": text}
#: The optional fields of an object event: a description, and who did it.
DESCRIBED: dict[str, Check] = {"description": text, "user": text}
TAG = fields(
    {"tag": text, "owner": text, "label": text, "foreign_use": flag, "policy": each(level)}
)
OBJECT_REF = fields(HEADER, {"description": text})
COMMENT = fields({"comment": text, "owner": text, "text": text, "object": OBJECT_REF})
#: Each event type this client models, and what it must carry.
WELL_FORMED: dict[str, Check] = {
    "tag_new": TAG,
    "tag_modify": TAG,
    "tag_delete": fields({"tag": text}),
    "object_new": fields({**HEADER, "tag": texts}, DESCRIBED),
    "object_modify": fields(HEADER, DESCRIBED),
    "object_delete": fields(HEADER, {**DESCRIBED, "purge": flag}),
    "object_share": fields({**HEADER, "tag": texts}, DESCRIBED),
    "object_tag": fields(
        {**HEADER, "tag": texts}, {**DESCRIBED, "tag_add": texts, "tag_delete": texts}
    ),
    "object_unshare": fields(HEADER, DESCRIBED),
    "trash_purge": fields({}),
    "object_metadata": fields({"object": text}, {"user": text, "update": record, "delete": texts}),
    "comment_new": COMMENT,
    "comment_modify": COMMENT,
    "comment_delete": fields({"comment": text, "owner": text, "object": OBJECT_REF}),
    "chat_new": fields({"chat": text, "create_time": count}),
    "chat_message": fields(
        {
            "chat": text,
            "message": each(
                fields({"user": text, "time": count, "type": text}, {"text": text, "member": text})
            ),
        },
        {"create_time": count, "description": text},
    ),
    "chat_user": fields(
        {"chat": text, "user": each(fields({}, {"typing": count, "message_read": text}))}
    ),
}
