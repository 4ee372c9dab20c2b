"""Chats: members, messages by UUID, participants' timed states and read pointers.

``chat_user`` timers are relative: ``typing: n`` means typing until event time + n, and 0 means
not typing now. The mirror stores the absolute expiry; once "now" reaches it the state ends
(through the timer index). A state is active while ``now < expiry``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from eventmirror.events import ChatMessage, ChatMessageEvent, ChatNew, ChatUser
from eventmirror.rules import CHAT_TIMED_STATES, chat_state_expiry, is_active

from ._slice import Slice, ordered, present_fields
from ._state import EMPTY, Changes, Entity, Map, Sparse, replace, without
from .timers import TimerEntry

if TYPE_CHECKING:
    from .mirror import Mirror

#: The timed states of a chat participant (``chat_user``), by wire name.
TIMED_STATES = CHAT_TIMED_STATES


#: A chat message (the event's own structure); ``member`` is the added user for ``add``.
Message = ChatMessage


class Participant(Sparse, frozen=True, gc=False):
    """A participant's active timed states (absolute expiry) and read pointer."""

    typing: int | None = None
    message_read: str | None = None

    @property
    def empty(self) -> bool:
        return self.typing is None and self.message_read is None


class Chat(Entity, frozen=True, gc=False):
    """A chat this user takes part in. Messages are keyed by UUID; :meth:`ordered` gives them
    in (time, UUID) order."""

    create_time: int | None = None
    description: str | None = None
    member: frozenset[str] = frozenset()
    message: Map[str, Message] = EMPTY
    user: Map[str, Participant] = EMPTY

    def ordered(self) -> list[tuple[str, Message]]:
        """The messages as (UUID, message) pairs in (time, UUID) order."""
        return sorted(self.message.items(), key=lambda item: (item[1].time, item[0]))


def _written(chats: Map[str, Chat]) -> dict[str, Any]:
    """The chats as the JSON form writes them: messages in (time, UUID) order."""
    return {
        uuid: {**present_fields(chat), "message": ordered(chat.ordered())}
        for uuid, chat in chats.items()
    }


SLICE = Slice("chats", Chat, written=_written)


def _timers(chat_uuid: str, chat: Chat) -> list[TimerEntry]:
    return [
        SLICE.timer(expiry, chat_uuid, user, state)
        for user, participant in chat.user.items()
        for state in TIMED_STATES
        if (expiry := getattr(participant, state)) is not None
    ]


@SLICE.reducer(ChatNew)
def chat_new(mirror: Mirror, event: ChatNew) -> Changes:
    old = mirror.chats.get(event.chat) or Chat()
    members = frozenset({mirror.me}) if mirror.me is not None else frozenset()
    chat = replace(old, create_time=event.create_time, member=old.member | members)
    return {"chats": mirror.chats.set(event.chat, chat)}


@SLICE.reducer(ChatMessageEvent)
def chat_message(mirror: Mirror, event: ChatMessageEvent) -> Changes:
    chat = mirror.chats.get(event.chat) or Chat()
    if event.create_time is not None:
        chat = replace(chat, create_time=event.create_time)
    if event.description is not None:
        chat = replace(chat, description=event.description)
    members, messages = chat.member, chat.message
    me_left = False
    items = event.message.items()
    ordered = sorted(items, key=lambda item: (item[1].time, item[0])) if len(items) > 1 else items
    for uuid, message in ordered:
        messages = messages.set(uuid, message)
        if message.type == "add" and message.member is not None:
            members = members | {message.member}
            me_left = me_left and message.member != mirror.me
        elif message.type == "leave":
            members = members - {message.user}
            me_left = me_left or message.user == mirror.me
    if me_left:
        return _drop_chat(mirror, event.chat)
    chat = replace(chat, member=members, message=messages)
    return {"chats": mirror.chats.set(event.chat, chat)}


def _drop_chat(mirror: Mirror, chat_uuid: str) -> Changes:
    chat = mirror.chats.get(chat_uuid)
    if chat is None:
        return {}
    return {
        "chats": without(mirror.chats, chat_uuid),
        "timers": mirror.timers.changed(remove=_timers(chat_uuid, chat)),
    }


@SLICE.reducer(ChatUser)
def chat_user(mirror: Mirror, event: ChatUser) -> Changes:
    chat = mirror.chats.get(event.chat) or Chat()
    now = max(event.time, mirror.now or 0)
    add: list[TimerEntry] = []
    remove: list[TimerEntry] = []
    draft = chat.user.mutate()  # not ``with``: the context manager costs more than the edits
    for user, state in event.user.items():
        participant = draft.get(user) or Participant()
        if state.message_read is not None:
            participant = replace(participant, message_read=state.message_read)
        if state.typing is not None:
            old = participant.typing
            if old is not None:
                remove.append(SLICE.timer(old, event.chat, user, "typing"))
            expiry = chat_state_expiry(event.time, state.typing)
            if expiry is not None and is_active(expiry, now):
                add.append(SLICE.timer(expiry, event.chat, user, "typing"))
                participant = replace(participant, typing=expiry)
            else:
                participant = replace(participant, typing=None)
        if participant.empty:
            draft.pop(user, None)
        else:
            draft[user] = participant
    users = draft.finish()
    changes: Changes = {"chats": mirror.chats.set(event.chat, replace(chat, user=users))}
    if add or remove:
        changes["timers"] = mirror.timers.changed(add=add, remove=remove)
    return changes


@SLICE.expires
def expire_state(mirror: Mirror, entry: TimerEntry) -> Changes:
    expiry, _, chat_uuid, user, state = entry
    chat = mirror.chats.get(chat_uuid)
    participant = chat.user.get(user) if chat is not None else None
    if chat is None or participant is None or getattr(participant, state) != expiry:
        return {}
    participant = replace(participant, **{state: None})
    users = chat.user.delete(user) if participant.empty else chat.user.set(user, participant)
    return {"chats": mirror.chats.set(chat_uuid, replace(chat, user=users))}


@SLICE.pending
def pending_timers(chats: Map[str, Chat]) -> Iterator[TimerEntry]:
    """Every participant state's timer, to rebuild the timer index of a loaded mirror."""
    for chat_uuid, chat in chats.items():
        yield from _timers(chat_uuid, chat)
