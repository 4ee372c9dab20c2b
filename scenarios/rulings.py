"""The rulings of docs/design.md ("Stream semantics", "Rulings by domain") the library demonstrates.

A library scenario names the rulings it shows under ``rulings:``; a test fails if a ruling here
has no scenario, or a scenario names a ruling that is not here.
"""

from __future__ import annotations

from collections.abc import Mapping

RULINGS: Mapping[str, str] = {
    # Stream semantics
    "gap": "a higher id leaves a gap: recorded, resync flagged, the event still applied",
    "duplicate": "a lower or equal id is a duplicate: skipped, counted, never applied twice",
    "session-reset": "id 0 after a higher id is a new server session: a reset, resync flagged",
    "unknown-event": "an unknown event type is kept and counted, never a crash",
    "malformed-event": "a malformed event is an anomaly naming id, type and path; nothing else",
    "unseen-entity": "an event about an entity not seen yet creates it from what it carries",
    # user
    "stale-resource": "user_modify, phone_modify, dialplan_modify mark the resource stale",
    # tags
    "sharing-through-tags": "a tag granting read access shares the objects carrying it",
    "unsharing-through-tags": "detaching a tag or lowering a policy unshares its objects",
    "losing-tag-access": "my level becoming 0 removes the tag from my mirror",
    "tag-delete-strips": "tag_delete removes the tag and strips it from every object's list",
    # objects
    "trash-then-purge": "delete without purge moves to the trash; trash_purge removes it",
    "delete-with-purge": "object_delete with purge removes the object and its state",
    "object-tag-authoritative": "object_tag's full tag list is authoritative",
    # comments, metadata
    "comments-under-object": "comments live under their object",
    "metadata-merge": "metadata update merges keys, delete removes keys",
    # conversions
    "conversion-result": "page_count present = converted, absent = failed",
    "fax-report-merge": "fax_report merges reports by report UUID",
    # conferences, presentations
    "conference-lifecycle": "start live; stop clears members; status replaces; join/leave",
    "presentation-lifecycle": "start makes the starter moderator and member; stop clears",
    # files
    "folder-subtree-delete": "deleting a folder deletes its whole subtree",
    "move-to-root": "a parent equal to the volume UUID moves a node to the root",
    "empty-volume": "deleting the volume UUID empties the volume",
    # boxes, dialplan, SIP
    "box-online-offline": "boxes go online and offline with address, versions and time",
    "callreverse-pairs": "call-reverse pairs are active from start to stop",
    "sip-expiry": "a registration is no longer active once now passes its expiry",
    # chats
    "typing-expiry": "a chat typing state ends at event time + n",
    "leaving-a-chat": "leave removes the member; if that is me, the chat leaves the mirror",
    "chat-messages-ordered": "messages are kept in (time, UUID) order; read moves a pointer",
    # calls, sensors
    "call-fields-merge": "call_update merges fields; an empty current_control or bridge clears",
    "sensor-data-ordered": "sensor data and actions are kept by their millisecond timestamp",
}
