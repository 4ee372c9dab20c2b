"""The simple client with one planted bug each: what the harness must catch.

Each bug is a subclass of :class:`~examples.clients.simple_client.SimpleClient` overriding one
method, the way such bugs get written: a handler forgotten, a shortcut that holds on the happy
path, a rule read too quickly. Each class is its own factory (``Class(session)``);
:data:`BUGS` names them all. The tests prove that every one of them disagrees with the mirror
on some stream, and that the correct client never does.

Try one: ``eventmirror run --client examples.clients.buggy_clients:ForgetsTrashPurge``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .simple_client import Event, SimpleClient


class ForgetsTrashPurge(SimpleClient):
    """Never handles ``trash_purge``: purged objects stay in the trash forever."""

    def on_trash_purge(self, event: Event) -> None:
        pass


class PurgesOthersTrash(SimpleClient):
    """``trash_purge`` drops every trashed object, also those in another owner's trash."""

    def on_trash_purge(self, event: Event) -> None:
        for uuid, obj in list(self.objects.items()):
            if obj["trashed"]:
                del self.objects[uuid]


class KeepsUnsharedObjects(SimpleClient):
    """Treats ``object_unshare`` as a header update: the object stays visible."""

    def on_object_unshare(self, event: Event) -> None:
        self.object_with_header(event)


class AppliesTagChanges(SimpleClient):
    """Applies ``tag_add``/``tag_delete`` to its own list instead of taking the full ``tag``."""

    def on_object_tag(self, event: Event) -> None:
        obj = self.object_with_header(event)
        deleted = event.get("tag_delete") or ()
        tags = [tag for tag in obj.get("tag", []) if tag not in deleted]
        obj["tag"] = tags + [tag for tag in event.get("tag_add") or () if tag not in tags]


class KeepsTagOnObjects(SimpleClient):
    """``tag_delete`` removes the tag but leaves it in the objects' tag lists."""

    def on_tag_delete(self, event: Event) -> None:
        self.tags.pop(event["tag"], None)


class KeepsTagAfterAccessLoss(SimpleClient):
    """Reads level 0 in ``tag_modify`` as "drop that user", also when the user is me."""

    def on_tag_modify(self, event: Event) -> None:
        self.on_tag_new(event)


class NeverExpiresTyping(SimpleClient):
    """Shows ``typing`` until the next ``chat_user`` event says otherwise."""

    def is_active(self, expiry: int) -> bool:
        return True


class TypingInSeconds(SimpleClient):
    """Keeps ``typing`` as the event's relative seconds, not as the absolute expiry."""

    def on_chat_user(self, event: Event) -> None:
        super().on_chat_user(event)
        participants = self.chats[event["chat"]]["user"]
        for user, change in event["user"].items():
            if "typing" in change and "typing" in participants.get(user, {}):
                participants[user]["typing"] = change["typing"]


class KeepsChatAfterLeaving(SimpleClient):
    """When I leave a chat, only takes me off its members: the chat stays."""

    def forget_chat(self, uuid: str) -> None:
        pass


class AppliesDuplicates(SimpleClient):
    """Counts a duplicate, then applies it anyway."""

    def accept(self, event_id: object) -> bool:
        super().accept(event_id)
        return isinstance(event_id, int)


class SkipsAfterReset(SimpleClient):
    """Knows duplicates but not resets: after a new server session it skips every event
    until the ids pass the old session's last id."""

    def accept(self, event_id: object) -> bool:
        if isinstance(event_id, int) and self.last_id is not None and event_id <= self.last_id:
            self.duplicates += 1
            return False
        return super().accept(event_id)


#: Every planted bug by name; each class is a factory.
BUGS: Mapping[str, type[SimpleClient]] = {
    kind.__name__: kind
    for kind in (
        ForgetsTrashPurge,
        PurgesOthersTrash,
        KeepsUnsharedObjects,
        AppliesTagChanges,
        KeepsTagOnObjects,
        KeepsTagAfterAccessLoss,
        NeverExpiresTyping,
        TypingInSeconds,
        KeepsChatAfterLeaving,
        AppliesDuplicates,
        SkipsAfterReset,
    )
}
