"""Writes the example recording: one user's session over an office day, every event type.

``python -m eventmirror.examples.generate`` rewrites ``office-day.jsonl`` beside this module;
``--check`` only reports whether the file is what the story produces. The output is the same
bytes on every run: no wall clock, every UUID and pause drawn from generators seeded by name.

The story is told in scenes, each with its own clock; the recording is every scene's events
in time order (ties keep the order they were written in). The cast: me (Jana), my colleagues
Anna (sales lead), Ben and Carla, Dirk from the board office, Felix (new, invited by me) and
Gustav (a partner who invites me).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final

from . import EXAMPLE_ME, FILENAME

#: The day: Tuesday 17 March 2026, office hours in Central European Time (UTC+1).
DAY: Final = datetime(2026, 3, 17, tzinfo=timezone(timedelta(hours=1)))
SEED: Final = "eventmirror/office-day"

#: Each event type's payload keys in the order the reference lists them (after id, event,
#: time). The recording writes keys in this order; a key not listed is a mistake in the story.
#: The reference shows chat_message with chat and message only; create_time and description
#: (sent with an "add") follow them, as in the event model.
FIELD_ORDER: Final[Mapping[str, tuple[str, ...]]] = {
    name: tuple(keys.split())
    for name, _, keys in (
        line.partition(":")
        for line in """
user_modify:
invitation_new: owner user
invitation_delete: owner user
phone_modify:
tag_new: tag owner label foreign_use policy
tag_modify: tag owner label foreign_use policy
tag_delete: tag
trash_purge:
object_new: object type owner description tag
object_modify: object type owner user description
object_delete: object type owner user description purge
object_share: object type owner user description tag
object_tag: object type owner user description tag tag_add tag_delete
object_unshare: object type owner user description
comment_new: comment owner text object
comment_modify: comment owner text object
comment_delete: comment owner object
user_metadata: update delete
object_metadata: object user update delete
fax_convert: fax page_count
fax_report: fax report
announcement_convert: announcement success
conference_start: conference owner description
conference_stop: conference owner description
conference_status: conference member
conference_update: conference member
conference_join: conference member
conference_leave: conference member
file_new: commit file volume type name parent ctime mtime user
file_modify: commit file volume type name parent ctime mtime user size mime_type md5
file_delete: commit file volume
box_online: box owner description ip_addr mac_addr sw_version hw_version
box_offline: box owner description
dialplan_modify:
dialplan_callreverse_start: phone_from phone_to
dialplan_callreverse_stop: phone_from phone_to
sip_new: user domain description
sip_modify: user domain description
sip_delete: user domain
sip_register: user domain contact expire
sip_unregister: user domain contact
presentation_convert: presentation page_count
presentation_start: presentation owner user description
presentation_stop: presentation owner user description
presentation_join: presentation user
presentation_leave: presentation user
presentation_status: presentation page x y visible moderator member
presentation_update: presentation page x y visible moderator
presentation_keepalive: presentation
chat_new: chat create_time
chat_message: chat message create_time description
chat_user: chat user
call_update: call
call_dtmf: call digit duration
sensor_data: sensor data
sensor_action: status sensor action action-uuid
""".strip().splitlines()
    )
}


def named_uuid(name: str) -> str:
    """A realistic-looking random UUID that is the same on every run for the same name."""
    return str(uuid.UUID(int=random.Random(f"{SEED}/{name}").getrandbits(128), version=4))


def clock(hhmmss: str) -> int:
    """Seconds since the epoch of a local time of the day, ``"08:02"`` or ``"08:02:10"``."""
    hours, minutes, *seconds = (int(part) for part in hhmmss.split(":"))
    return int((DAY + timedelta(hours=hours, minutes=minutes, seconds=sum(seconds))).timestamp())


class Recording:
    """Collects the scenes' events and lays them out as one session's stream."""

    def __init__(self) -> None:
        self._events: list[tuple[int, int, dict[str, Any]]] = []
        self._written = itertools.count()
        self._fresh = itertools.count()
        #: Pauses between events; scenes draw from it in the order they are written.
        self.timing = random.Random(f"{SEED}/timing")

    def scene(self, start: str) -> Scene:
        """A scene whose first event happens at the local time ``start``."""
        return Scene(self, clock(start))

    def fresh(self, kind: str) -> str:
        """A new UUID for an anonymous thing (a message, a commit): the next of its story."""
        return named_uuid(f"{kind}/{next(self._fresh)}")

    def add(self, name: str, time: int, payload: Mapping[str, Any]) -> None:
        order = FIELD_ORDER[name]
        unknown = set(payload) - set(order)
        if unknown:
            raise ValueError(f"{name} has no field {sorted(unknown)}")
        fields = {key: payload[key] for key in order if key in payload}
        self._events.append((time, next(self._written), {"event": name, "time": time, **fields}))

    def events(self) -> list[dict[str, Any]]:
        """The stream: every event in time order, with ids from 0."""
        ordered = sorted(self._events, key=lambda item: item[:2])
        return [{"id": index, **event} for index, (_, _, event) in enumerate(ordered)]


class Scene:
    """One thread of the story with its own clock; ``after`` moves it, ``emit`` writes."""

    def __init__(self, recording: Recording, time: int) -> None:
        self.recording = recording
        self.time = time

    def after(self, low: int, high: int | None = None) -> Scene:
        """Move the clock on by ``low`` seconds, or a seeded random ``low..high``."""
        self.time += low if high is None else self.recording.timing.randint(low, high)
        return self

    def at(self, hhmmss: str) -> Scene:
        """Move the clock to a later local time of the day."""
        time = clock(hhmmss)
        if time < self.time:
            raise ValueError(f"scene is already past {hhmmss}")
        self.time = time
        return self

    def emit(self, name: str, /, **payload: Any) -> int:
        """Write event ``name`` at the scene's current time; returns that time."""
        self.recording.add(name, self.time, payload)
        return self.time


# The cast and what they work with; every UUID is fixed by its name in the story.
ME: Final = EXAMPLE_ME
ANNA, BEN, CARLA, DIRK, FELIX, GUSTAV = (
    named_uuid(f"user/{name}") for name in ("anna", "ben", "carla", "dirk", "felix", "gustav")
)
PROJECT, DRAFT, SALES, BOARD = (
    named_uuid(f"tag/{name}") for name in ("atlas", "draft", "sales", "board")
)
#: Each tag's owner, label and foreign use, which every tag event repeats.
TAGS: Final = {
    PROJECT: (ME, "Project Atlas", False),
    DRAFT: (ME, "Draft", False),
    SALES: (ANNA, "Sales DACH", True),
    BOARD: (DIRK, "Board prep", False),
}
DOMAIN: Final = "cospace.de"
#: SIP contacts: the desk phone before and after its reboot, the laptop, a DECT headset.
DESK_OLD, DESK_NEW = "10.20.0.17:5060", "10.20.0.31:5060"
LAPTOP, DECT = "192.168.178.23:52311", "10.20.0.77:5060"
HOTLINE: Final = "+492216698000"


def thing(key: str, type: str, owner: str, description: str) -> dict[str, str]:
    """An object's header as object events carry it (and comment events' ``object``)."""
    object_uuid = named_uuid(f"object/{key}")
    return {"object": object_uuid, "type": type, "owner": owner, "description": description}


HANS = thing("hans", "contact", ME, "Hans Mustermann")
HANS_GMBH = {**HANS, "description": "Hans Mustermann (Müller GmbH)"}
ERIKA = thing("erika", "contact", ME, "Erika Musterfrau")
LISA = thing("lisa", "contact", ANNA, "Lisa Schneider (Schneider Logistik)")
PETRA = thing("petra", "contact", DIRK, "Dr. Petra Schmidt")
BOARD_CALL = thing("board-call", "recording", DIRK, "Board call 2026-03-16")
FAX_DRAFT = thing("fax-draft", "fax", ME, "Offer Müller GmbH")
FAX_OFFER = thing("fax-offer", "fax", ME, "Offer Müller GmbH (40 seats)")
FAX_IN = thing("fax-in", "fax", ME, "Fax from +49 221 6689711")
EASTER = thing("easter", "announcement", ME, "Out of office – Easter")
XMAS = thing("xmas", "announcement", ME, "Christmas greeting 2025")
DECK = thing("deck", "presentation", ME, "Atlas roadmap Q3")
# Things that existed before the day began: the session knows them from its initial fetch.
DAILY, VOLUME, BOX, CLIMATE, SERVER_ROOM = (
    named_uuid(f"object/{name}") for name in ("daily", "drive", "box", "climate", "server-room")
)
TEAM_CHAT, LUNCH_CHAT = named_uuid("chat/team"), named_uuid("chat/lunch")
#: The call UUIDs of the call API's events, by the story's name for them.
CALLS: Final = {name: named_uuid(f"call/{name}") for name in ("inbound", "desk", "late")}


def tag(s: Scene, name: str, tag: str, policy: dict[str, int]) -> None:
    owner, label, foreign_use = TAGS[tag]
    s.emit(name, tag=tag, owner=owner, label=label, foreign_use=foreign_use, policy=policy)


def sip(s: Scene, name: str, account: str, **fields: Any) -> None:
    s.emit(name, user=account, domain=DOMAIN, **fields)


def box(s: Scene, sw_version: str | None = None) -> None:
    """The office box comes online running ``sw_version``, or (without one) goes offline."""
    header = {"box": BOX, "owner": ME, "description": "box in office basement"}
    if sw_version is None:
        s.emit("box_offline", **header)
        return
    device = {"ip_addr": "192.168.0.13", "mac_addr": "00:24:d6:83:c1:54"}
    s.emit("box_online", **header, **device, sw_version=sw_version, hw_version="X86")


def fax_report(s: Scene, fax: dict[str, str], key: str, **report: Any) -> None:
    s.emit("fax_report", fax=fax["object"], report={named_uuid(f"report/{key}"): report})


def calls(s: Scene, **changes: dict[str, Any]) -> None:
    s.emit("call_update", call={CALLS[name]: fields for name, fields in changes.items()})


def member(phone: str, user: str | None = None, talk: bool = False) -> dict[str, Any]:
    """A conference participant as status and join events list them."""
    linked = {"user": user} if user else {}
    state = {"mute": False, "deaf": False, "talk": talk, "floor": talk}
    return {"phone": phone, **linked, **state, "volume_in": 0, "volume_out": 0}


def post(s: Scene, chat: str, user: str, kind: str, detail: str | None = None, **top: Any) -> str:
    """One chat message after a pause: ``detail`` is a text's text, or an add's member."""
    message = s.recording.fresh("message")
    body: dict[str, Any] = {"user": user, "time": s.time, "type": kind}
    if detail is not None:
        body["member" if kind == "add" else "text"] = detail
    s.emit("chat_message", chat=chat, message={message: body}, **top)
    return message


def states(s: Scene, chat: str, **by_user: dict[str, Any]) -> None:
    """A chat_user event shortly after: participants (by first name) and their new states."""
    cast = {"me": ME, "anna": ANNA, "ben": BEN, "carla": CARLA}
    changed = {cast[name]: state for name, state in by_user.items()}
    s.after(1, 3).emit("chat_user", chat=chat, user=changed)


def morning(rec: Recording) -> None:
    s = rec.scene("07:58:12")
    desk = "com.example.desk."
    s.emit("user_metadata", update={desk + "theme": "dark", desk + "onboarding_step": 4})
    sip(s.after(9), "sip_register", "jana", contact=DESK_OLD, expire=s.time + 3600)
    box(s.at("08:03:27"), "2.3.7")
    tag(s.at("08:05:40"), "tag_new", PROJECT, {ME: 4})
    tag(s.after(20, 40), "tag_modify", PROJECT, {ME: 4, ANNA: 2, BEN: 1})
    tag(s.after(30, 90), "tag_new", DRAFT, {ME: 4})
    tag(s.at("08:09:02"), "tag_new", SALES, {ANNA: 4, ME: 2, BEN: 2})
    s.at("08:11:15").emit("object_new", **HANS, tag=[])
    both = [SALES, DRAFT]
    s.after(20, 40).emit("object_tag", **HANS, user=ME, tag=both, tag_add=both)
    crm = {"com.example.crm.stage": "lead", "com.example.crm.followup": "2026-03-20"}
    s.after(5, 15).emit("object_metadata", object=HANS["object"], user=ME, update=crm)
    text = "Called him: wants an offer for 40 seats by Friday."
    note = named_uuid("comment/hans")
    s.after(40, 90).emit("comment_new", comment=note, owner=ME, text=text, object=HANS)
    s.at("08:16:30").emit("object_new", **ERIKA, tag=[])
    s.after(50, 80).emit("object_delete", **ERIKA, user=ME)  # a duplicate contact
    s.at("08:20:05").emit("invitation_new", owner=ME, user=FELIX)
    # The admin pushes a new phone configuration; the desk phone reboots with a new address.
    s.at("08:40:11").emit("phone_modify")
    sip(s.after(35, 50), "sip_unregister", "jana", contact=DESK_OLD)
    sip(s.after(25, 40), "sip_register", "jana", contact=DESK_NEW, expire=s.time + 36000)
    s.at("08:46:50").emit("user_modify")


def faxes(rec: Recording) -> None:
    s = rec.scene("08:52:30")
    s.emit("object_new", **FAX_DRAFT, tag=[DRAFT])
    s.after(8, 15).emit("fax_convert", fax=FAX_DRAFT["object"])  # the scan was unreadable
    s.after(60, 120).emit("object_delete", **FAX_DRAFT, user=ME)
    s.after(30, 60).emit("object_new", **FAX_OFFER, tag=[SALES])
    s.after(6, 12).emit("fax_convert", fax=FAX_OFFER["object"], page_count=3)
    sent = {"incoming": False, "from": HOTLINE, "to": "+4930555123", "time_start": s.time + 45}
    fax_report(s.after(45), FAX_OFFER, "offer", **sent, status="sending")
    done = {"time_end": s.after(95, 130).time, "status": "ok"}
    fax_report(s, FAX_OFFER, "offer", **sent, **done, sip_status_code=200, fax_error_code=0)
    sent_offer = {**FAX_OFFER, "description": "Offer Müller GmbH, sent"}
    s.after(1).emit("object_modify", **sent_offer)
    s.at("09:12:41").emit("object_new", **FAX_IN, tag=[])
    s.after(5, 9).emit("fax_convert", fax=FAX_IN["object"], page_count=2)
    got = {"incoming": True, "from": "+492216689711", "to": HOTLINE, "time_start": s.time - 70}
    done = {"time_end": s.time - 2, "status": "ok", "sip_status_code": 200, "fax_error_code": 0}
    fax_report(s.after(1), FAX_IN, "in", **got, **done)


def shared_by_dirk(rec: Recording) -> None:
    s = rec.scene("09:18:44")
    tag(s, "tag_new", BOARD, {DIRK: 4, ME: 1, ANNA: 1})
    s.after(40, 70).emit("object_share", **BOARD_CALL, user=DIRK, tag=[BOARD])
    s.after(1, 3).emit("object_share", **PETRA, user=DIRK, tag=[BOARD])
    text, note = "Minute 12 onwards is about Atlas.", named_uuid("comment/dirk")
    s.after(120, 200).emit("comment_new", comment=note, owner=DIRK, text=text, object=BOARD_CALL)
    s.at("11:15:33").emit("object_unshare", **PETRA, user=DIRK)  # he took Board prep off her
    tag(s.at("15:31:07"), "tag_modify", BOARD, {DIRK: 4, ME: 0, ANNA: 1})
    s.emit("object_unshare", **BOARD_CALL, user=DIRK)


def sip_accounts(rec: Recording) -> None:
    s = rec.scene("09:05:20")
    sip(s, "sip_new", "jana.mobile", description="softclient laptop")
    # Registered for an hour; the laptop sleeps through the daily and never renews it.
    sip(s.after(40, 60), "sip_register", "jana.mobile", contact=LAPTOP, expire=s.time + 3600)
    sip(s.after(100, 200), "sip_modify", "jana.mobile", description="softclient laptop (Linphone)")
    sip(s.at("14:00:12"), "sip_new", "jana.dect", description="DECT headset")
    sip(s.after(30, 50), "sip_register", "jana.dect", contact=DECT, expire=s.time + 3600)
    sip(s.at("14:21:40"), "sip_unregister", "jana.dect", contact=DECT)
    sip(s.after(20, 40), "sip_delete", "jana.dect")  # the headset went back


def conferences(rec: Recording) -> None:
    s = rec.scene("09:29:48")
    s.emit("conference_start", conference=DAILY, owner=ME, description="Atlas daily")
    me, anna, ben = (named_uuid(f"member/{name}") for name in ("me", "anna", "ben"))

    def conference(name: str, members: Any, pause: tuple[int, int]) -> None:
        s.after(*pause).emit(name, conference=DAILY, member=members)

    # My client subscribes to the detailed stream: the status comes first.
    conference("conference_status", {anna: member("+492216698017", ANNA, talk=True)}, (3, 6))
    conference("conference_join", {me: member("+492216698042", ME)}, (20, 30))
    conference("conference_join", {ben: member("+4917655512345")}, (20, 40))  # from the train
    speaker, quiet, talking = anna, {"talk": False, "floor": False}, {"talk": True, "floor": True}
    for turn in (me, anna, ben, me, anna, ben, anna, me):
        conference("conference_update", {speaker: quiet, turn: talking}, (25, 110))
        speaker = turn
        if turn == ben and s.time > clock("09:36"):  # train noise: Ben is muted and turned down
            conference(
                "conference_update", {ben: {"mute": True, **quiet, "volume_in": -2}}, (9, 20)
            )
    conference("conference_leave", [ben], (20, 40))
    conference("conference_leave", [me], (10, 20))
    s.after(10, 30).emit("conference_stop", conference=DAILY, owner=ME, description="Atlas daily")
    # Anna's sales sync in the same room; I see it go live and end, without subscribing.
    s.at("15:00:21").emit("conference_start", conference=DAILY, owner=ME, description="Atlas daily")
    s.at("15:26:02").emit("conference_stop", conference=DAILY, owner=ME, description="Atlas daily")


def telephony(rec: Recording) -> None:
    s = rec.scene("10:21:05")
    calls(s, inbound={"status": "ringing"})
    ivr = {"status": "answered", "answer_time": s.after(3, 5).time, "current_control": "ivr"}
    calls(s, inbound=ivr)
    s.after(5, 8).emit("call_dtmf", call=CALLS["inbound"], digit="2", duration=160)
    s.after(2, 4).emit("call_dtmf", call=CALLS["inbound"], digit="1", duration=120)
    calls(s.after(1), inbound={"current_control": ""}, desk={"status": "ringing"})
    answered = {"status": "answered", "answer_time": s.after(4, 7).time}
    calls(s, inbound={"bridge": CALLS["desk"]}, desk={**answered, "bridge": CALLS["inbound"]})
    calls(s.after(300, 420), inbound={"bridge": ""}, desk={"status": "hangup", "bridge": ""})
    calls(s.after(1), inbound={"status": "hangup"})
    # A colleague on the road calls in and is called back at the office's expense.
    pair = {"phone_from": "+4917612345678", "phone_to": HOTLINE}
    s.at("11:24:18").emit("dialplan_callreverse_start", **pair)
    s.after(200, 280).emit("dialplan_callreverse_stop", **pair)
    s.at("16:41:30").emit("dialplan_modify")  # evening forwarding to the mobile
    calls(s.at("16:50:02"), late={"status": "ringing"})
    voicemail = {"status": "answered", "answer_time": s.after(20).time}
    calls(s, late={**voicemail, "current_control": "voicemail"})
    s.after(38, 50).emit("call_dtmf", call=CALLS["late"], digit="#", duration=90)
    calls(s.after(1), late={"status": "hangup", "current_control": ""})


def drive(rec: Recording) -> None:
    s = rec.scene("10:40:00")
    names = ("contracts", "drafts", "offer", "2026", "notes", "scans", "whiteboard")
    nodes = {name: named_uuid(f"file/{name}") for name in names}

    def new(key: str, type: str, name: str, parent: str | None = None, user: str = ME) -> None:
        where = {"parent": nodes[parent]} if parent else {}
        file = {"file": nodes[key], "volume": VOLUME, "type": type, "name": name, **where}
        times = {"ctime": s.time, "mtime": s.time}
        s.emit("file_new", commit=rec.fresh("commit"), **file, **times, user=user)
        s.after(2, 70)

    def change(key: str, type: str = "file", user: str = ME, **fields: Any) -> None:
        file = {"file": nodes[key], "volume": VOLUME, "type": type}
        s.emit("file_modify", commit=rec.fresh("commit"), **file, user=user, **fields)
        s.after(2, 90)

    def upload(key: str, size: int, mime_type: str, user: str = ME) -> None:
        md5 = f"{random.Random(f'{SEED}/md5/{key}/{size}').getrandbits(128):032x}"
        change(key, user=user, mtime=s.time, size=size, mime_type=mime_type, md5=md5)

    new("contracts", "folder", "Contracts")
    new("drafts", "folder", "Drafts")
    new("offer", "file", "offer-mueller.pdf", "drafts")
    upload("offer", 386231, "application/pdf")
    change("offer", name="offer-mueller-v2.pdf")
    new("2026", "folder", "2026", "contracts", user=ANNA)
    change("offer", parent=nodes["2026"])
    new("notes", "file", "meeting-notes.txt", "drafts")
    upload("notes", 2214, "text/plain")
    new("scans", "folder", "scans", "drafts")
    new("whiteboard", "file", "whiteboard.png", "scans")
    upload("whiteboard", 1843302, "image/png")
    change("notes", parent=VOLUME)  # up to the root
    s.after(20, 60).emit(
        "file_delete", commit=rec.fresh("commit"), file=nodes["drafts"], volume=VOLUME
    )
    s.at("15:20:44")  # Anna corrects a price in the offer
    upload("offer", 391877, "application/pdf", user=ANNA)


def housekeeping(rec: Recording) -> None:
    s = rec.scene("11:02:10")
    s.emit("object_delete", **ERIKA, user=ME, purge=True)
    s.after(30, 60).emit("object_modify", **HANS_GMBH, user=ME)
    swap = {"tag_add": [PROJECT], "tag_delete": [DRAFT]}
    s.after(20, 40).emit("object_tag", **HANS_GMBH, user=ME, tag=[SALES, PROJECT], **swap)
    s.after(60, 90).emit("tag_delete", tag=DRAFT)  # also comes off the trashed fax draft
    box(s.at("12:40:02"))  # a firmware update
    box(s.at("12:47:31"), "2.4.0")
    tag(s.at("12:50:15"), "tag_modify", PROJECT, {ME: 4, ANNA: 2, BEN: 3, CARLA: 1})
    s.at("14:10:05").emit("object_new", **EASTER, tag=[])
    s.after(20, 30).emit("announcement_convert", announcement=EASTER["object"])  # wrong format
    s.after(120, 200).emit("announcement_convert", announcement=EASTER["object"], success=True)
    s.at("15:48:20").emit("trash_purge")
    sidebar = {"com.example.desk.sidebar": ["chats", "files", "faxes"]}
    s.at("16:05:12").emit(
        "user_metadata", update=sidebar, delete=["com.example.desk.onboarding_step"]
    )
    crm = {"com.example.crm.stage": "negotiation", "com.example.crm.value": 12500}
    gone = ["com.example.crm.followup"]
    s.after(30, 90).emit("object_metadata", object=HANS["object"], user=ME, update=crm, delete=gone)
    s.at("16:20:40").emit("invitation_new", owner=GUSTAV, user=ME)
    s.after(60, 120).emit("invitation_delete", owner=ME, user=FELIX)  # Felix accepted
    tag(s.at("16:30:09"), "tag_modify", PROJECT, {ME: 4, ANNA: 2, BEN: 3, CARLA: 0})
    s.at("17:00:33").emit("object_delete", **XMAS, user=ME)
    s.at("17:24:50").emit("user_metadata", update={"com.example.desk.last_seen": s.time})


def comments(rec: Recording) -> None:
    s = rec.scene("14:30:18")
    s.emit("object_new", **LISA, tag=[SALES])
    hers, mine = named_uuid("comment/anna"), named_uuid("comment/mine")
    text = "Met her at LogiMAT, interested in Atlas."
    s.after(30, 60).emit("comment_new", comment=hers, owner=ANNA, text=text, object=LISA)
    text = "I'll send her the roadmap deck."
    s.after(60, 120).emit("comment_new", comment=mine, owner=ME, text=text, object=LISA)
    text = "I'll send her the roadmap deck tomorrow."
    s.after(20, 40).emit("comment_modify", comment=mine, owner=ME, text=text, object=LISA)
    s.after(200, 300).emit("comment_delete", comment=hers, owner=ANNA, object=LISA)


def presentation(rec: Recording) -> None:
    s, deck = rec.scene("11:40:26"), DECK["object"]
    s.emit("object_new", **DECK, tag=[PROJECT])

    def show(name: str, pause: tuple[int, int] = (0, 0), **fields: Any) -> None:
        s.after(*pause).emit(name, presentation=deck, **fields)

    show("presentation_convert", (40, 60), page_count=14)
    s.at("12:59:40")
    show("presentation_start", owner=ME, user=ME, description=DECK["description"])
    # My client subscribes to the detailed stream: the status comes first.
    show("presentation_status", page=1, x=0.5, y=0.5, visible=False, moderator=ME, member=[ME])
    for user in (ANNA, BEN, CARLA):
        show("presentation_join", (10, 40), user=user)
    pointer, moderator = random.Random(f"{SEED}/pointer"), ME
    for page in range(2, 15):
        show("presentation_update", (30, 90), page=page, visible=False)
        for _ in range(pointer.randint(0, 2)):
            x, y = (round(pointer.uniform(0.1, 0.9), 2) for _ in "xy")
            show("presentation_update", (5, 40), x=x, y=y, visible=True)
        if page == 8:  # Anna takes over for the sales part
            moderator = ANNA
            show("presentation_update", (5, 10), moderator=ANNA)
        if page == 10:
            show("presentation_leave", (5, 20), user=CARLA)
            now = {"page": page, "x": 0.5, "y": 0.5, "visible": False, "moderator": moderator}
            show("presentation_status", (1, 1), **now, member=[ME, ANNA, BEN])
    s.at("13:36:10")
    show("presentation_stop", owner=ME, user=ANNA, description=DECK["description"])
    alive = rec.scene("13:00:40")  # every member's client is asked to confirm, once a minute
    while alive.time < clock("13:36"):
        alive.emit("presentation_keepalive", presentation=deck)
        alive.after(60)


def chats(rec: Recording) -> None:
    s = rec.scene("08:31:02")
    team = s.emit("chat_new", chat=TEAM_CHAT, create_time=s.time)
    post(s.after(10, 20), TEAM_CHAT, ME, "add", ANNA, create_time=team)
    text = "Morning Anna! Could you look over the Müller offer before it goes out?"
    ask = post(s.after(20, 40), TEAM_CHAT, ME, "text", text)
    states(s, TEAM_CHAT, anna={"message_read": ask})
    states(s, TEAM_CHAT, anna={"typing": 10})
    text = "Morning! Sure, fax it at nine, I'll check the numbers now."
    answer = post(s.after(5, 9), TEAM_CHAT, ANNA, "text", text)
    states(s, TEAM_CHAT, anna={"typing": 0}, me={"message_read": answer})
    post(s.at("10:55:10"), TEAM_CHAT, ANNA, "add", BEN, create_time=team)
    hello = post(s.after(20, 40), TEAM_CHAT, BEN, "text", "Hi both, thanks for adding me 👋")
    states(s, TEAM_CHAT, me={"typing": 10})
    post(s.after(4, 8), TEAM_CHAT, ME, "text", "Welcome Ben! Deck review is at one.")
    states(s, TEAM_CHAT, me={"typing": 0, "message_read": hello})
    s.at("15:36:02")
    text = "Dirk just took me off Board prep. Did you keep notes on the Atlas part of the call?"
    ask = post(s, TEAM_CHAT, ME, "text", text)
    states(s, TEAM_CHAT, anna={"message_read": ask}, ben={"message_read": ask})
    states(s, TEAM_CHAT, anna={"typing": 10})
    states(s.after(7), TEAM_CHAT, anna={"typing": 10})  # still typing: the timer is renewed
    text = "Yes, I'll put them in the drive under Contracts/2026."
    answer = post(s.after(3, 6), TEAM_CHAT, ANNA, "text", text)
    states(s, TEAM_CHAT, anna={"typing": 0}, me={"message_read": answer})
    states(s.after(5, 10), TEAM_CHAT, ben={"typing": 10})  # Ben starts a reply, then drops it
    thanks = post(s.after(30, 60), TEAM_CHAT, ME, "text", "Perfect, thanks!")
    states(s, TEAM_CHAT, anna={"message_read": thanks}, ben={"message_read": thanks})
    # Ben's train loses signal; his client sends both queued messages in one go.
    late, later = rec.fresh("message"), rec.fresh("message")
    s.at("17:05:40")
    first = {"user": BEN, "time": s.time - 95, "type": "text", "text": "Slides look great."}
    text = "I'm at the customer tomorrow, so I'm leaving this chat."
    second = {"user": BEN, "time": s.time - 3, "type": "text", "text": text}
    s.emit("chat_message", chat=TEAM_CHAT, message={late: first, later: second})
    states(s, TEAM_CHAT, anna={"message_read": later}, me={"message_read": later})
    post(s.after(30, 60), TEAM_CHAT, BEN, "leave")
    bye = post(s.after(20, 50), TEAM_CHAT, ANNA, "text", "Good night Jana, see you tomorrow.")
    states(s, TEAM_CHAT, me={"message_read": bye})

    s = rec.scene("11:53:20")  # Carla made a chat a minute ago; I am the first she adds
    lunch = {"create_time": s.time - 41, "description": "Lunch crew"}
    post(s, LUNCH_CHAT, CARLA, "add", ME, **lunch)
    pizza = post(s.after(2, 4), LUNCH_CHAT, CARLA, "text", "Pizza at Luigi's at 12:15?")
    states(s, LUNCH_CHAT, me={"message_read": pizza, "typing": 10})
    post(s.after(3, 6), LUNCH_CHAT, ME, "text", "I'm in!")
    states(s, LUNCH_CHAT, me={"typing": 0})
    post(s.after(20, 40), LUNCH_CHAT, CARLA, "add", BEN, **lunch)
    states(s, LUNCH_CHAT, ben={"typing": 10})
    count_in = post(s.after(6, 9), LUNCH_CHAT, BEN, "text", "Count me in 🍕")
    states(s, LUNCH_CHAT, ben={"typing": 0}, carla={"message_read": count_in})
    post(s.at("13:48:12"), LUNCH_CHAT, CARLA, "text", "Same time on Friday?")
    post(s.at("14:41:15"), LUNCH_CHAT, ME, "leave")


def sensors(rec: Recording) -> None:
    readings = random.Random(f"{SEED}/sensors")
    s = rec.scene("08:05:00")
    climate, server = 19.2, 22.0
    while s.time < clock("17:20"):  # each sensor reports every quarter of an hour
        climate = round(min(23.5, climate + readings.uniform(-0.1, 0.4)), 1)
        server = round(server + readings.uniform(-0.3, 0.3), 1)
        for sensor, value in ((CLIMATE, climate), (SERVER_ROOM, server)):
            millis = (s.time - 1) * 1000 + readings.randint(0, 999)
            s.emit("sensor_data", sensor=sensor, data={str(millis): [value, [0, 255]]})
            s.after(2, 9)
        s.after(900 - 11)
    s = rec.scene("15:05:12")  # the heating valve: my first setting is superseded by the second
    for status, level in (("replaced", 3), ("ok", 2)):
        action = {str(s.time * 1000 - readings.randint(100, 900)): [level, None]}
        answer = {"action-uuid": rec.fresh("action")}  # not a Python name: passed as a dict
        s.emit("sensor_action", status=status, sensor=CLIMATE, action=action, **answer)
        s.after(40, 70)


#: The scenes, each on its own clock. Their order fixes which seeded pauses each one draws
#: and breaks ties of time; reordering them changes the file.
SCENES: Final = (
    *(morning, faxes, shared_by_dirk, sip_accounts, conferences, telephony, drive),
    *(housekeeping, comments, presentation, chats, sensors),
)


def events() -> list[dict[str, Any]]:
    """The recording's events as the platform sends them."""
    recording = Recording()
    for scene in SCENES:
        scene(recording)
    return recording.events()


def render() -> bytes:
    """The recording's file contents: one compact JSON event a line, UTF-8."""
    lines = (json.dumps(event, ensure_ascii=False, separators=(",", ":")) for event in events())
    return ("\n".join(lines) + "\n").encode("utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eventmirror.examples.generate")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the file differs from the story"
    )
    arguments = parser.parse_args(argv)
    target = Path(__file__).with_name(FILENAME)
    content = render()
    if arguments.check:
        current = target.read_bytes() if target.exists() else b""
        if current != content:
            print(f"{target} is out of date: run python -m eventmirror.examples.generate")
            return 1
        return 0
    target.write_bytes(content)
    print(f"wrote {len(content.splitlines())} events to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
