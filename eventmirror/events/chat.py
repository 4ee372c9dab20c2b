"""Chat events (reference: "Chat events")."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Event, Nested, Seconds, Timestamp, Uuid


class ChatMessage(Nested, frozen=True):
    """One message (GET /api/chat/(uuid)/message); ``member`` is set for type ``add``."""

    user: Uuid
    time: Timestamp
    type: str
    text: str | None = None
    member: Uuid | None = None


class ChatUserState(Nested, frozen=True):
    """A participant's changed states: timers in seconds from the event, and the read pointer.

    ``typing: 10`` means typing until event time + 10; ``0`` means not typing any more.
    """

    typing: Seconds | None = None
    message_read: Uuid | None = None


@attrs.frozen(kw_only=True)
class ChatNew(Event):
    """This user created a chat and is its only member."""

    chat: Uuid
    create_time: Timestamp
    event: Literal["chat_new"] = "chat_new"


@attrs.frozen(kw_only=True)
class ChatMessageEvent(Event):
    """Messages keyed by message UUID; for an ``add`` the chat's ``create_time`` comes along."""

    chat: Uuid
    message: dict[Uuid, ChatMessage]
    create_time: Timestamp | None = None
    description: str | None = None
    event: Literal["chat_message"] = "chat_message"


@attrs.frozen(kw_only=True)
class ChatUser(Event):
    """Participants' state timers and read pointers that changed, keyed by user UUID."""

    chat: Uuid
    user: dict[Uuid, ChatUserState]
    event: Literal["chat_user"] = "chat_user"
