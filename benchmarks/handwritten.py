"""The honest baseline: the client a competent user writes by hand with plain mutable dicts.

It parses each line with ``orjson.loads``, dispatches on the event name through a dict of
handlers, and updates dicts in place, following the rulings of docs/design.md for every event type
(stale markers, tag access loss, trash, cascading removal, file trees with cycle checks,
conference and presentation membership, chats, calls, sensors). It checks ids the way the
reference invites every client to (duplicates skipped, gaps and resets counted) but validates
nothing else, keeps what the server sends as it comes, and runs with Python's default garbage
collector settings. Timed states (chat typing, SIP registrations) are stored with their
absolute expiry and judged against "now" when read, as a simple client would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import orjson

from eventmirror.events import EVENT_TYPES

Event = dict[str, Any]
#: Per-object state removed together with the object (docs/design.md, objects).
OBJECT_STATE = (
    "faxes", "announcements", "conferences", "volumes", "boxes", "presentations", "sensors",
)  # fmt: skip
#: The event skeleton's keys, which a stored entity does not need.
ENVELOPE = frozenset(("id", "event", "time"))


class Client:
    """One session's state in plain dicts, updated in place by :meth:`replay`."""

    def __init__(self, me: str | None = None) -> None:
        self.me = me
        self.last_id: int | None = None
        self.now: int | None = None
        self.gaps = self.resets = self.duplicates = self.unknown = self.inconsistent = 0
        self.stale: dict[str, tuple[int, int]] = {}
        self.invitations: dict[str, Event] = {}
        self.tags: dict[str, Event] = {}
        self.objects: dict[str, Event] = {}
        #: The user's own metadata (``user_metadata``); objects keep theirs.
        self.metadata: Event = {}
        self.faxes: dict[str, Event] = {}
        self.announcements: dict[str, bool] = {}
        self.conferences: dict[str, Event] = {}
        self.volumes: dict[str, dict[str, Event]] = {}
        self.boxes: dict[str, Event] = {}
        self.callreverse: dict[tuple[str, str], int] = {}
        self.sip: dict[str, Event] = {}
        self.presentations: dict[str, Event] = {}
        self.chats: dict[str, Event] = {}
        self.calls: dict[str, Event] = {}
        self.sensors: dict[str, Event] = {}
        self.handlers: dict[str, Callable[[Event], None]] = {
            name: getattr(self, name) for name in EVENT_TYPES
        }

    def replay(self, lines: Iterable[bytes]) -> Client:
        """Parse and apply every line (ids checked, "now" kept, then the event's handler)."""
        loads, handlers = orjson.loads, self.handlers
        last_id, now = self.last_id, self.now
        for line in lines:
            event = loads(line)
            event_id = event["id"]
            if last_id is not None and event_id != last_id + 1:
                if event_id > last_id:
                    self.gaps += 1
                elif event_id == 0 and last_id > 0:
                    self.resets += 1
                else:
                    self.duplicates += 1
                    continue
            last_id = event_id
            if now is None or event["time"] > now:
                now = event["time"]
            handler = handlers.get(event["event"])
            if handler is None:
                self.unknown += 1
            else:
                handler(event)
        self.last_id, self.now = last_id, now
        return self

    # -- user, invitations, tags ------------------------------------------------------------------

    def user_modify(self, e: Event) -> None:
        self.stale["user"] = (e["id"], e["time"])

    def phone_modify(self, e: Event) -> None:
        self.stale["phone"] = (e["id"], e["time"])

    def dialplan_modify(self, e: Event) -> None:
        self.stale["dialplan"] = (e["id"], e["time"])

    def invitation_new(self, e: Event) -> None:
        self.invitations[f"{e['owner']} -> {e['user']}"] = e

    def invitation_delete(self, e: Event) -> None:
        self.invitations.pop(f"{e['owner']} -> {e['user']}", None)

    def tag_new(self, e: Event) -> None:
        e["policy"] = {user: level for user, level in e["policy"].items() if level}
        self.tags[e["tag"]] = e

    def tag_modify(self, e: Event) -> None:
        if self.me is not None and e["policy"].get(self.me) == 0:
            self.tags.pop(e["tag"], None)
        else:
            self.tag_new(e)

    def tag_delete(self, e: Event) -> None:
        tag = e["tag"]
        self.tags.pop(tag, None)
        for obj in self.objects.values():
            if obj["tag"] and tag in obj["tag"]:
                obj["tag"].remove(tag)

    # -- objects, comments, metadata --------------------------------------------------------------

    def _object(self, e: Event) -> Event:
        obj = self.objects.get(e["object"])
        if obj is None:
            obj = self.objects[e["object"]] = {
                "tag": None, "trashed": False, "comments": {}, "metadata": {},
            }  # fmt: skip
        obj["type"], obj["owner"], obj["description"] = e["type"], e["owner"], e.get("description")
        return obj

    def _remove(self, uuid: str) -> None:
        self.objects.pop(uuid, None)
        for name in OBJECT_STATE:
            getattr(self, name).pop(uuid, None)

    def trash_purge(self, e: Event) -> None:
        # "Her trash": only my own trashed objects when I know who I am (docs/mirror.md).
        mine = (self.me, None) if self.me is not None else None
        for uuid in [
            uuid
            for uuid, obj in self.objects.items()
            if obj["trashed"] and (mine is None or obj.get("owner") in mine)
        ]:
            self._remove(uuid)

    def object_new(self, e: Event) -> None:
        obj = self._object(e)
        obj["tag"], obj["trashed"] = e["tag"], False

    def object_modify(self, e: Event) -> None:
        self._object(e)

    def object_delete(self, e: Event) -> None:
        if e.get("purge"):
            self._remove(e["object"])
        else:
            self._object(e)["trashed"] = True

    def object_share(self, e: Event) -> None:
        self._object(e)["tag"] = e["tag"]

    def object_tag(self, e: Event) -> None:
        self._object(e)["tag"] = tags = e["tag"]
        if set(e.get("tag_add") or ()) - set(tags) or set(e.get("tag_delete") or ()) & set(tags):
            self.inconsistent += 1

    def object_unshare(self, e: Event) -> None:
        self._remove(e["object"])

    def comment_new(self, e: Event) -> None:
        comment = {"owner": e["owner"], "text": e["text"]}
        self._object(e["object"])["comments"][e["comment"]] = comment

    comment_modify = comment_new

    def comment_delete(self, e: Event) -> None:
        self._object(e["object"])["comments"].pop(e["comment"], None)

    def user_metadata(self, e: Event) -> None:
        self.metadata.update(e.get("update") or ())
        for key in e.get("delete") or ():
            self.metadata.pop(key, None)

    def object_metadata(self, e: Event) -> None:
        obj = self.objects.get(e["object"])
        if obj is None:
            obj = self.objects[e["object"]] = {
                "type": None, "owner": None, "description": None, "tag": None,
                "trashed": False, "comments": {}, "metadata": {},
            }  # fmt: skip
        metadata = obj["metadata"]
        metadata.update(e.get("update") or ())
        for key in e.get("delete") or ():
            metadata.pop(key, None)

    # -- fax, announcement, conferences -----------------------------------------------------------

    def _fax(self, uuid: str) -> Event:
        fax = self.faxes.get(uuid)
        if fax is None:
            fax = self.faxes[uuid] = {"converted": None, "page_count": None, "report": {}}
        return fax

    def fax_convert(self, e: Event) -> None:
        fax = self._fax(e["fax"])
        fax["page_count"] = e.get("page_count")
        fax["converted"] = fax["page_count"] is not None

    def fax_report(self, e: Event) -> None:
        self._fax(e["fax"])["report"].update(e["report"])

    def announcement_convert(self, e: Event) -> None:
        self.announcements[e["announcement"]] = e.get("success") is True

    def _conference(self, uuid: str) -> Event:
        conference = self.conferences.get(uuid)
        if conference is None:
            conference = self.conferences[uuid] = {"live": False, "member": {}}
        return conference

    def conference_start(self, e: Event) -> None:
        conference = self._conference(e["conference"])
        conference.update(owner=e["owner"], description=e.get("description"), live=True)

    def conference_stop(self, e: Event) -> None:
        self.conferences[e["conference"]] = {
            "owner": e["owner"], "description": e.get("description"), "live": False, "member": {},
        }  # fmt: skip

    def conference_status(self, e: Event) -> None:
        self._conference(e["conference"])["member"] = e["member"]

    def conference_update(self, e: Event) -> None:
        members = self._conference(e["conference"])["member"]
        for uuid, change in e["member"].items():
            member = members.get(uuid)
            if member is None:
                members[uuid] = change
            else:
                member.update(change)

    def conference_join(self, e: Event) -> None:
        self._conference(e["conference"])["member"].update(e["member"])

    def conference_leave(self, e: Event) -> None:
        members = self._conference(e["conference"])["member"]
        for uuid in e["member"]:
            members.pop(uuid, None)

    # -- files ------------------------------------------------------------------------------------

    def _inside(self, files: dict[str, Event], uuid: str, parent: str | None) -> bool:
        """Whether ``parent`` is ``uuid`` or below it (a move there would make a cycle)."""
        seen = 0
        while parent is not None and seen <= len(files):
            if parent == uuid:
                return True
            node = files.get(parent)
            parent = node["parent"] if node is not None else None
            seen += 1
        return False

    def file_new(self, e: Event) -> None:
        files = self.volumes.setdefault(e["volume"], {})
        parent = e.get("parent")
        if parent == e["volume"]:
            parent = None
        if self._inside(files, e["file"], parent):
            self.inconsistent += 1
            return
        node = {key: value for key, value in e.items() if key not in ENVELOPE}
        node["parent"] = parent
        files[e["file"]] = node

    def file_modify(self, e: Event) -> None:
        files = self.volumes.setdefault(e["volume"], {})
        changes = {key: value for key, value in e.items() if key not in ENVELOPE}
        if "parent" in changes:
            if changes["parent"] == e["volume"]:
                changes["parent"] = None
            if self._inside(files, e["file"], changes["parent"]):
                self.inconsistent += 1
                return
        node = files.get(e["file"])
        if node is None:
            files[e["file"]] = {"parent": None, **changes}
        else:
            node.update(changes)

    def file_delete(self, e: Event) -> None:
        files = self.volumes.setdefault(e["volume"], {})
        if e["file"] == e["volume"]:
            files.clear()
            return
        gone = {e["file"]}
        files.pop(e["file"], None)
        while below := [uuid for uuid, node in files.items() if node["parent"] in gone]:
            for uuid in below:
                del files[uuid]
            gone.update(below)

    # -- box, dialplan, SIP -----------------------------------------------------------------------

    def box_online(self, e: Event) -> None:
        e["online"], e["changed"] = True, e["time"]
        self.boxes[e["box"]] = e

    def box_offline(self, e: Event) -> None:
        box = self.boxes.setdefault(e["box"], {})
        box.update(owner=e["owner"], description=e.get("description"), online=False)
        box["changed"] = e["time"]

    def dialplan_callreverse_start(self, e: Event) -> None:
        self.callreverse[e["phone_from"], e["phone_to"]] = e["time"]

    def dialplan_callreverse_stop(self, e: Event) -> None:
        self.callreverse.pop((e["phone_from"], e["phone_to"]), None)

    def _sip(self, e: Event) -> Event:
        key = f"{e['user']}@{e['domain']}"
        account = self.sip.get(key)
        if account is None:
            account = self.sip[key] = {"description": None, "registrations": {}}
        return account

    def sip_new(self, e: Event) -> None:
        self._sip(e)["description"] = e.get("description")

    def sip_modify(self, e: Event) -> None:
        if e.get("description") is not None:
            self._sip(e)["description"] = e["description"]
        else:
            self._sip(e)

    def sip_delete(self, e: Event) -> None:
        self.sip.pop(f"{e['user']}@{e['domain']}", None)

    def sip_register(self, e: Event) -> None:
        self._sip(e)["registrations"][e["contact"]] = e["expire"]

    def sip_unregister(self, e: Event) -> None:
        self._sip(e)["registrations"].pop(e["contact"], None)

    # -- presentations, chats ---------------------------------------------------------------------

    def _presentation(self, uuid: str) -> Event:
        presentation = self.presentations.get(uuid)
        if presentation is None:
            presentation = self.presentations[uuid] = {"live": False, "member": set()}
        return presentation

    def presentation_convert(self, e: Event) -> None:
        presentation = self._presentation(e["presentation"])
        presentation["page_count"] = e.get("page_count")
        presentation["converted"] = presentation["page_count"] is not None

    def presentation_start(self, e: Event) -> None:
        presentation = self._presentation(e["presentation"])
        presentation.update(owner=e["owner"], description=e.get("description"), live=True)
        presentation.update(moderator=e["user"], member={e["user"]})

    def presentation_stop(self, e: Event) -> None:
        presentation = self._presentation(e["presentation"])
        presentation.update(owner=e["owner"], description=e.get("description"), live=False)
        presentation.update(moderator=None, member=set())

    def presentation_join(self, e: Event) -> None:
        self._presentation(e["presentation"])["member"].add(e["user"])

    def presentation_leave(self, e: Event) -> None:
        self._presentation(e["presentation"])["member"].discard(e["user"])

    def presentation_status(self, e: Event) -> None:
        presentation = self._presentation(e["presentation"])
        presentation.update(page=e["page"], x=e["x"], y=e["y"], visible=e["visible"])
        presentation.update(moderator=e.get("moderator"), member=set(e["member"]))

    def presentation_update(self, e: Event) -> None:
        presentation = self._presentation(e["presentation"])
        for key in ("page", "x", "y", "visible", "moderator"):
            if key in e:
                presentation[key] = e[key]

    def presentation_keepalive(self, e: Event) -> None:
        self._presentation(e["presentation"])["keepalive"] = e["time"]

    def _chat(self, uuid: str) -> Event:
        chat = self.chats.get(uuid)
        if chat is None:
            chat = self.chats[uuid] = {"member": set(), "message": {}, "user": {}}
        return chat

    def chat_new(self, e: Event) -> None:
        chat = self._chat(e["chat"])
        chat["create_time"] = e["create_time"]
        if self.me is not None:
            chat["member"].add(self.me)

    def chat_message(self, e: Event) -> None:
        chat = self._chat(e["chat"])
        if "create_time" in e:
            chat["create_time"] = e["create_time"]
        if "description" in e:
            chat["description"] = e["description"]
        messages = e["message"]
        chat["message"].update(messages)
        in_order = messages.items()
        if len(messages) > 1:
            in_order = sorted(in_order, key=lambda item: (item[1]["time"], item[0]))
        me_left = False
        for _, message in in_order:
            if message["type"] == "add" and "member" in message:
                chat["member"].add(message["member"])
                me_left = me_left and message["member"] != self.me
            elif message["type"] == "leave":
                chat["member"].discard(message["user"])
                me_left = me_left or message["user"] == self.me
        if me_left:
            del self.chats[e["chat"]]

    def chat_user(self, e: Event) -> None:
        users = self._chat(e["chat"])["user"]
        for user, state in e["user"].items():
            participant = users.setdefault(user, {})
            if "message_read" in state:
                participant["message_read"] = state["message_read"]
            if "typing" in state:
                participant["typing"] = e["time"] + state["typing"] if state["typing"] else None

    # -- calls, sensors ---------------------------------------------------------------------------

    def call_update(self, e: Event) -> None:
        for uuid, fields in e["call"].items():
            call = self.calls.setdefault(uuid, {})
            for key, value in fields.items():
                if value == "" and key in ("current_control", "bridge"):
                    call.pop(key, None)
                else:
                    call[key] = value

    def call_dtmf(self, e: Event) -> None:
        call = self.calls.setdefault(e["call"], {})
        call.setdefault("dtmf", []).append((e["digit"], e["duration"], e["time"]))

    def _sensor(self, uuid: str) -> Event:
        sensor = self.sensors.get(uuid)
        if sensor is None:
            sensor = self.sensors[uuid] = {"data": {}, "action": {}, "action_status": {}}
        return sensor

    def sensor_data(self, e: Event) -> None:
        data = self._sensor(e["sensor"])["data"]
        for millis, point in e["data"].items():
            data[int(millis)] = point

    def sensor_action(self, e: Event) -> None:
        sensor = self._sensor(e["sensor"])
        for millis, point in e["action"].items():
            sensor["action"][int(millis)] = point
        sensor["action_status"][e["action-uuid"]] = e["status"]
