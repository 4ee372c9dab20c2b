"""Counting the entities of the hand-written client and of an eventmirror mirror the same way,
so the benchmark (and its tests) can check that both saw the same world."""

from __future__ import annotations

import reducers

from .handwritten import Client


def counts(client: Client) -> dict[str, int]:
    """How many of each entity the hand-written client holds."""
    objects = client.objects.values()
    now = client.now or 0
    return {
        "tags": len(client.tags),
        "objects": len(client.objects),
        "trashed": sum(obj["trashed"] for obj in objects),
        "comments": sum(len(obj["comments"]) for obj in objects),
        "object_metadata": sum(len(obj["metadata"]) for obj in objects),
        "user_metadata": len(client.metadata),
        "invitations": len(client.invitations),
        "stale": len(client.stale),
        "faxes": len(client.faxes),
        "fax_reports": sum(len(fax["report"]) for fax in client.faxes.values()),
        "announcements": len(client.announcements),
        "conferences": len(client.conferences),
        "live_conferences": sum(c["live"] for c in client.conferences.values()),
        "conference_members": sum(len(c["member"]) for c in client.conferences.values()),
        "volumes": len(client.volumes),
        "files": sum(len(files) for files in client.volumes.values()),
        "boxes": len(client.boxes),
        "callreverse": len(client.callreverse),
        "sip_accounts": len(client.sip),
        "sip_registrations": sum(
            expire > now for a in client.sip.values() for expire in a["registrations"].values()
        ),
        "presentations": len(client.presentations),
        "presentation_members": sum(len(p["member"]) for p in client.presentations.values()),
        "chats": len(client.chats),
        "chat_members": sum(len(chat["member"]) for chat in client.chats.values()),
        "chat_messages": sum(len(chat["message"]) for chat in client.chats.values()),
        "typing": sum(
            (p.get("typing") or 0) > now for c in client.chats.values() for p in c["user"].values()
        ),
        "calls": len(client.calls),
        "dtmf": sum(len(call.get("dtmf", ())) for call in client.calls.values()),
        "sensors": len(client.sensors),
        "sensor_points": sum(len(sensor["data"]) for sensor in client.sensors.values()),
        "sensor_actions": sum(len(sensor["action"]) for sensor in client.sensors.values()),
    }


def mirror_counts(mirror: reducers.Mirror) -> dict[str, int]:
    """How many of each entity an eventmirror mirror holds, counted like :func:`counts`."""
    objects = list(mirror.objects.values())
    conferences = list(mirror.conferences.values())
    chats = list(mirror.chats.values())
    sensors = list(mirror.sensors.values())
    return {
        "tags": len(mirror.tags),
        "objects": len(objects),
        "trashed": sum(obj.trashed for obj in objects),
        "comments": sum(len(obj.comments) for obj in objects),
        "object_metadata": sum(len(obj.metadata) for obj in objects),
        "user_metadata": len(mirror.user_metadata),
        "invitations": len(mirror.invitations),
        "stale": len(mirror.stale),
        "faxes": len(mirror.faxes),
        "fax_reports": sum(len(fax.report) for fax in mirror.faxes.values()),
        "announcements": len(mirror.announcements),
        "conferences": len(conferences),
        "live_conferences": sum(c.live for c in conferences),
        "conference_members": sum(len(c.member) for c in conferences),
        "volumes": len(mirror.volumes),
        "files": sum(len(volume.files) for volume in mirror.volumes.values()),
        "boxes": len(mirror.boxes),
        "callreverse": len(mirror.callreverse),
        "sip_accounts": len(mirror.sip),
        "sip_registrations": sum(len(a.registrations) for a in mirror.sip.values()),
        "presentations": len(mirror.presentations),
        "presentation_members": sum(len(p.member) for p in mirror.presentations.values()),
        "chats": len(chats),
        "chat_members": sum(len(chat.member) for chat in chats),
        "chat_messages": sum(len(chat.message) for chat in chats),
        "typing": sum(p.typing is not None for chat in chats for p in chat.user.values()),
        "calls": len(mirror.calls),
        "dtmf": sum(len(call.dtmf) for call in mirror.calls.values()),
        "sensors": len(sensors),
        "sensor_points": sum(len(sensor.data) for sensor in sensors),
        "sensor_actions": sum(len(sensor.action) for sensor in sensors),
    }
