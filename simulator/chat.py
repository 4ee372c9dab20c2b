"""Chats on the server: members, messages and participants' timed states and read pointers.

What a member knows is fixed by when she joined (``chat_new`` for the creator, her ``add``
otherwise): the messages from her add on, the members added since (and herself), and the
participant states changed since. Every fact records the change number that last set it, and
every member the change number of her joining, so a view is the facts newer than her joining.
"""

from __future__ import annotations

from typing import Any

import attrs
import msgspec

from eventmirror.events import ChatMessage, ChatMessageEvent, ChatNew, ChatUser, ChatUserState
from eventmirror.rules import CHAT_TIMED_STATES, chat_state_expiry, is_active

from ._core import Domain, Session, SimulatorError


@attrs.define
class TimedState:
    """A participant's state: absolute expiry (None = inactive), and when it last changed."""

    expiry: int | None
    changed: int


@attrs.define
class ReadPointer:
    message: str
    changed: int


@attrs.define
class ServerChat:
    uuid: str
    create_time: int
    description: str | None
    #: member -> the change number at which she joined (her chat_new or add)
    joined: dict[str, int] = attrs.Factory(dict)
    #: member -> the description her joining event carried (None for the creator)
    told_description: dict[str, str | None] = attrs.Factory(dict)
    #: message UUID -> (message, change number)
    messages: dict[str, tuple[ChatMessage, int]] = attrs.Factory(dict)
    #: (user, state) -> timed state; kept after a user leaves, as the others' mirrors keep it
    states: dict[tuple[str, str], TimedState] = attrs.Factory(dict)
    read: dict[str, ReadPointer] = attrs.Factory(dict)


class Chat(Domain):
    name = "chat"
    sections = ("chats",)

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.chats: dict[str, ServerChat] = {}

    # -- lookups ------------------------------------------------------------------------

    def _chat(self, uuid: str) -> ServerChat:
        try:
            return self.chats[uuid]
        except KeyError:
            raise SimulatorError(f"no chat {uuid!r}") from None

    def _member(self, who: str, uuid: str) -> tuple[str, ServerChat]:
        user = self.world.user_id(who)
        chat = self._chat(uuid)
        if user not in chat.joined:
            raise SimulatorError(f"{who} is not in chat {uuid!r}")
        return user, chat

    def _members(self, chat: ServerChat) -> list[str]:
        return sorted(chat.joined)

    def _known_expiry(self, chat: ServerChat, member: str, user: str, state: str) -> int | None:
        """The expiry of ``user``'s ``state`` as ``member``'s mirror shows it now."""
        timed = chat.states.get((user, state))
        if timed is None or timed.changed <= chat.joined[member] or timed.expiry is None:
            return None
        return timed.expiry if is_active(timed.expiry, self.world.now) else None

    def _known_read(self, chat: ServerChat, member: str, user: str) -> str | None:
        pointer = chat.read.get(user)
        if pointer is None or pointer.changed <= chat.joined[member]:
            return None
        return pointer.message

    # -- commands -----------------------------------------------------------------------

    def create(self, who: str, description: str | None = None) -> str:
        """``who`` creates a chat and is its only member (``chat_new`` to her)."""
        user = self.world.user_id(who)
        change = self.world.tick()
        chat = ServerChat(self.world.new_uuid(), self.world.now, description)
        chat.joined[user] = change
        chat.told_description[user] = None
        self.chats[chat.uuid] = chat
        self.world.send_to_users(ChatNew, [user], chat=chat.uuid, create_time=chat.create_time)
        return chat.uuid

    def add_member(self, actor: str, uuid: str, who: str) -> str:
        """A member adds ``who``; everyone in the chat afterwards is told. Returns the message's
        UUID."""
        actor_id, chat = self._member(actor, uuid)
        user = self.world.user_id(who)
        if user in chat.joined:
            raise SimulatorError(f"{who} is in chat {uuid!r} already")
        others = self._members(chat)
        change = self.world.tick()
        message = ChatMessage(user=actor_id, time=self.world.now, type="add", member=user)
        message_uuid = self._record(chat, message, change)
        chat.joined[user] = change
        chat.told_description[user] = chat.description
        body = {message_uuid: message}
        self.world.send_to_users(ChatMessageEvent, others, chat=uuid, message=body)
        # Only for the user who enters is this the chat's first event: it carries the header.
        header: dict[str, Any] = {"create_time": chat.create_time}
        if chat.description is not None:
            header["description"] = chat.description
        self.world.send_to_users(ChatMessageEvent, [user], chat=uuid, message=body, **header)
        return message_uuid

    def message(self, who: str, uuid: str, text: str) -> str:
        """A member writes ``text``; every member is told. Returns the message's UUID."""
        user, chat = self._member(who, uuid)
        change = self.world.tick()
        message = ChatMessage(user=user, time=self.world.now, type="text", text=text)
        message_uuid = self._record(chat, message, change)
        self.world.send_to_users(
            ChatMessageEvent, self._members(chat), chat=uuid, message={message_uuid: message}
        )
        return message_uuid

    def leave(self, who: str, uuid: str) -> str:
        """A member leaves; the members before (the leaver included, her last event) are told."""
        user, chat = self._member(who, uuid)
        told = self._members(chat)
        change = self.world.tick()
        message = ChatMessage(user=user, time=self.world.now, type="leave")
        message_uuid = self._record(chat, message, change)
        del chat.joined[user]
        del chat.told_description[user]
        self.world.send_to_users(ChatMessageEvent, told, chat=uuid, message={message_uuid: message})
        if not chat.joined:
            # Nobody can see or enter it any more.
            del self.chats[uuid]
        return message_uuid

    def set_state(self, who: str, uuid: str, state: str, seconds: int) -> None:
        """A member's timed ``state`` lasts ``seconds`` from now (0 ends it now)."""
        user, chat = self._member(who, uuid)
        if state not in CHAT_TIMED_STATES:
            raise SimulatorError(f"no timed chat state {state!r}")
        if seconds < 0:
            raise SimulatorError(f"a state lasts 0 or more seconds, got {seconds}")
        expiry = chat_state_expiry(self.world.now, seconds)
        members = self._members(chat)
        if all(self._known_expiry(chat, m, user, state) == expiry for m in members):
            raise SimulatorError(f"{state} of {who} in chat {uuid!r} would not change")
        timers: dict[str, Any] = {state: seconds}
        change = self.world.tick()
        chat.states[(user, state)] = TimedState(expiry, change)
        self.world.send_to_users(ChatUser, members, chat=uuid, user={user: ChatUserState(**timers)})

    def typing(self, who: str, uuid: str, seconds: int) -> None:
        self.set_state(who, uuid, "typing", seconds)

    def read(self, who: str, uuid: str, message: str) -> None:
        """A member's read pointer moves to ``message`` (one she was told about)."""
        user, chat = self._member(who, uuid)
        recorded = chat.messages.get(message)
        if recorded is None or recorded[1] < chat.joined[user]:
            raise SimulatorError(f"{who} knows no message {message!r} in chat {uuid!r}")
        members = self._members(chat)
        if all(self._known_read(chat, m, user) == message for m in members):
            raise SimulatorError(f"{who} has read up to {message!r} already")
        change = self.world.tick()
        chat.read[user] = ReadPointer(message, change)
        self.world.send_to_users(
            ChatUser, members, chat=uuid, user={user: ChatUserState(message_read=message)}
        )

    def _record(self, chat: ServerChat, message: ChatMessage, change: int) -> str:
        message_uuid = self.world.new_uuid()
        chat.messages[message_uuid] = (message, change)
        return message_uuid

    # -- the view -----------------------------------------------------------------------

    def told(self, chat: ServerChat, member: str) -> dict[str, Any]:
        """The chat as ``member``'s mirror shows it now (its JSON form)."""
        joined = chat.joined[member]
        participants: dict[str, dict[str, Any]] = {}
        users = {user for user, _ in chat.states} | set(chat.read)
        for user in sorted(users):
            known: dict[str, Any] = {
                state: self._known_expiry(chat, member, user, state) for state in CHAT_TIMED_STATES
            }
            known["message_read"] = self._known_read(chat, member, user)
            participant = {name: value for name, value in known.items() if value is not None}
            if participant:
                participants[user] = participant
        told: dict[str, Any] = {"create_time": chat.create_time}
        description = chat.told_description[member]
        if description is not None:
            told["description"] = description
        told["member"] = sorted(m for m, since in chat.joined.items() if since >= joined)
        told["message"] = msgspec.to_builtins(
            {u: m for u, (m, changed) in chat.messages.items() if changed >= joined}
        )
        told["user"] = participants
        return told

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        sections["chats"] = {
            uuid: self.told(chat, session.user)
            for uuid, chat in self.chats.items()
            if session.user in chat.joined
        }
