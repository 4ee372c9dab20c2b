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
from eventmirror.rules import CHAT_TIMED_STATES, chat_state_expiry

from ._core import Domain, Session, SimulatorError, entity
from .clock import Schedule, Timer
from .commands import command


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

    chats: dict[str, ServerChat]
    _expiries: dict[tuple[str, str, str], Timer]
    rearmed = ("_expiries",)

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.chats = {}
        #: (chat, user, state) -> the timed state's expiry on the clock
        self._expiries = {}

    # -- lookups ------------------------------------------------------------------------

    def _chat(self, uuid: str) -> ServerChat:
        try:
            return self.chats[uuid]
        except KeyError:
            raise SimulatorError(f"no {entity('chat', uuid)}") from None

    def describe(self, uuid: str) -> str:
        """The chat as messages name it: by its description, if it has one."""
        found = self.chats.get(uuid)
        return entity("chat", uuid, None if found is None else found.description)

    def _member(self, who: str, uuid: str) -> tuple[str, ServerChat]:
        user = self.world.user_id(who)
        chat = self._chat(uuid)
        if user not in chat.joined:
            raise SimulatorError(f"{self.user_name(who)} is not in {self.describe(uuid)}")
        return user, chat

    def _members(self, chat: ServerChat) -> list[str]:
        return sorted(chat.joined)

    def _known_expiry(self, chat: ServerChat, member: str, user: str, state: str) -> int | None:
        """The expiry of ``user``'s ``state`` as ``member``'s mirror shows it now."""
        timed = chat.states.get((user, state))
        if timed is None or timed.changed <= chat.joined[member] or timed.expiry is None:
            return None
        # The clock ends a state when it expires (_expire).
        return timed.expiry

    def _known_read(self, chat: ServerChat, member: str, user: str) -> str | None:
        pointer = chat.read.get(user)
        if pointer is None or pointer.changed <= chat.joined[member]:
            return None
        return pointer.message

    # -- commands -----------------------------------------------------------------------

    @command
    def create(self, actor: str, description: str | None = None) -> str:
        """The user creates a chat and is its only member (``chat_new`` to her)."""
        user = self.world.user_id(actor)
        change = self.world.tick()
        room = ServerChat(self.world.new_uuid(), self.world.now, description)
        room.joined[user] = change
        room.told_description[user] = None
        self.chats[room.uuid] = room
        self.world.send_to_users(ChatNew, [user], chat=room.uuid, create_time=room.create_time)
        return room.uuid

    @command
    def add_member(self, actor: str, chat: str, user: str) -> str:
        """A member adds ``user``; everyone in the chat afterwards is told.

        Returns the message's UUID."""
        uuid = chat
        actor_id, room = self._member(actor, uuid)
        added = self.world.user_id(user)
        if added in room.joined:
            raise SimulatorError(f"{self.user_name(user)} is in {self.describe(uuid)} already")
        user = added
        others = self._members(room)
        change = self.world.tick()
        message = ChatMessage(user=actor_id, time=self.world.now, type="add", member=user)
        message_uuid = self._record(room, message, change)
        room.joined[user] = change
        room.told_description[user] = room.description
        body = {message_uuid: message}
        self.world.send_to_users(ChatMessageEvent, others, chat=uuid, message=body)
        # Only for the user who enters is this the chat's first event: it carries the header.
        header: dict[str, Any] = {"create_time": room.create_time}
        if room.description is not None:
            header["description"] = room.description
        self.world.send_to_users(ChatMessageEvent, [user], chat=uuid, message=body, **header)
        return message_uuid

    @command
    def message(self, actor: str, chat: str, text: str) -> str:
        """A member writes ``text``; every member is told. Returns the message's UUID."""
        uuid = chat
        user, room = self._member(actor, uuid)
        change = self.world.tick()
        message = ChatMessage(user=user, time=self.world.now, type="text", text=text)
        message_uuid = self._record(room, message, change)
        self.world.send_to_users(
            ChatMessageEvent, self._members(room), chat=uuid, message={message_uuid: message}
        )
        return message_uuid

    @command
    def leave(self, actor: str, chat: str) -> str:
        """A member leaves; the members before (the leaver included, her last event) are told."""
        uuid = chat
        user, room = self._member(actor, uuid)
        told = self._members(room)
        change = self.world.tick()
        message = ChatMessage(user=user, time=self.world.now, type="leave")
        message_uuid = self._record(room, message, change)
        del room.joined[user]
        del room.told_description[user]
        self.world.send_to_users(ChatMessageEvent, told, chat=uuid, message={message_uuid: message})
        if not room.joined:
            # Nobody can see or enter it any more.
            del self.chats[uuid]
            for user_id, state in list(room.states):
                self._schedule_expiry(uuid, user_id, state, None)
        return message_uuid

    def set_state(self, who: str, uuid: str, state: str, seconds: int) -> None:
        """A member's timed ``state`` lasts ``seconds`` from now (0 ends it now)."""
        user, room = self._member(who, uuid)
        if state not in CHAT_TIMED_STATES:
            raise SimulatorError(f"no timed chat state {state!r}")
        if seconds < 0:
            raise SimulatorError(f"a state lasts 0 or more seconds, got {seconds}")
        expiry = chat_state_expiry(self.world.now, seconds)
        members = self._members(room)
        if all(self._known_expiry(room, m, user, state) == expiry for m in members):
            raise SimulatorError(
                f"{state} of {self.user_name(who)} in {self.describe(uuid)} would not change"
            )
        timers: dict[str, Any] = {state: seconds}
        change = self.world.tick()
        room.states[(user, state)] = TimedState(expiry, change)
        self._schedule_expiry(uuid, user, state, expiry)
        self.world.send_to_users(ChatUser, members, chat=uuid, user={user: ChatUserState(**timers)})

    @command
    def typing(self, actor: str, chat: str, seconds: int) -> None:
        """A member types for ``seconds`` from now (0: she stopped)."""
        self.set_state(actor, chat, "typing", seconds)

    @command
    def read(self, actor: str, chat: str, message: str) -> None:
        """A member's read pointer moves to ``message`` (one she was told about)."""
        uuid = chat
        user, room = self._member(actor, uuid)
        recorded = room.messages.get(message)
        if recorded is None or recorded[1] < room.joined[user]:
            raise SimulatorError(
                f"{self.user_name(actor)} knows no message {message!r} in {self.describe(uuid)}"
            )
        members = self._members(room)
        if all(self._known_read(room, m, user) == message for m in members):
            raise SimulatorError(f"{self.user_name(actor)} has read up to {message!r} already")
        change = self.world.tick()
        room.read[user] = ReadPointer(message, change)
        self.world.send_to_users(
            ChatUser, members, chat=uuid, user={user: ChatUserState(message_read=message)}
        )

    def _schedule_expiry(self, uuid: str, user: str, state: str, expiry: int | None) -> None:
        """Put the state's expiry on the world's clock (None: it has none any more)."""
        timer = self._expiries.pop((uuid, user, state), None)
        if timer is not None:
            timer.cancel()
        if expiry is not None:
            self._expiries[(uuid, user, state)] = self.world.clock.at(
                expiry, lambda: self._expire(uuid, user, state), (self.name, uuid, user, state)
            )

    def rearm(self, label: tuple[str, ...], schedule: Schedule) -> None:
        _, uuid, user, state = label
        if self.chats[uuid].states[(user, state)].expiry is None:
            raise SimulatorError(f"{user}'s {state} in chat {uuid} has no expiry to schedule")
        self._expiries[(uuid, user, state)] = schedule(lambda: self._expire(uuid, user, state))

    def _expire(self, uuid: str, user: str, state: str) -> None:
        """The state ran out: inactive from now on, still known as changed when it was set."""
        del self._expiries[(uuid, user, state)]
        self.chats[uuid].states[(user, state)].expiry = None

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
