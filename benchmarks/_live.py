"""Event builders for the live collaboration domains: conferences, presentations and chats."""

from __future__ import annotations

from typing import Any

from ._session import ME, Base, Chat, Event


class LiveEvents(Base):
    # -- conferences ----------------------------------------------------------------------------

    def _member(self) -> dict[str, Any]:
        member: dict[str, Any] = {"phone": self.pick(self.phones)}
        if self.rng.random() < 0.6:
            member["user"] = self.pick(self.users)
        talk = self.rng.random() < 0.3
        member.update(mute=False, deaf=False, talk=talk, floor=talk, volume_in=0, volume_out=0)
        return member

    def _conference_header(self, conference: str) -> dict[str, Any]:
        header = self.s.headers[conference]
        return {
            "conference": conference,
            "owner": header["owner"],
            "description": header["description"],
        }

    def _live_target(self) -> int:
        """Three rooms in four are live: starts and stops pull the count back to that."""
        return max(2, len(self.conferences) * 3 // 4)

    def _conference_start(self, conference: str | None = None) -> Event:
        live = self.s.live_conferences
        if conference is None and len(live) >= self._live_target():
            return self._conference_stop()
        idle = [c for c in self.conferences if c not in live]
        conference = conference or (self.pick(idle) if idle else None)
        if conference is None:
            return self._conference_update()
        self.s.live_conferences[conference] = []
        self.s.pending.append(lambda: self._conference_status(conference))
        return "conference_start", self._conference_header(conference)

    def _conference_stop(self) -> Event:
        s = self.s
        if len(s.live_conferences) < self._live_target():
            return self._conference_start()
        conference = self.pick(list(s.live_conferences))
        s.members -= len(s.live_conferences.pop(conference))
        return "conference_stop", self._conference_header(conference)

    def _conference_status(self, conference: str | None = None) -> Event:
        s = self.s
        conference = conference or self.pick(list(s.live_conferences))
        members = s.live_conferences[conference]
        if not members:
            room = self.ws.members - s.members
            count = max(1, min(room, self.ws.members // self.ws.conferences))
            members.extend(self.words.uuid() for _ in range(count))
            s.members += count
        return "conference_status", {
            "conference": conference,
            "member": {m: self._member() for m in members},
        }

    def _busy_conference(self) -> str | None:
        for _ in range(8):
            conference = self.pick(list(self.s.live_conferences))
            if self.s.live_conferences[conference]:
                return conference
        return None

    def _conference_update(self) -> Event:
        conference = self._busy_conference()
        if conference is None:
            return self._conference_join()
        changes: dict[str, Any] = {}
        for member in {
            self.pick(self.s.live_conferences[conference]): None
            for _ in range(self.rng.randint(1, 3))
        }:
            talk = self.rng.random() < 0.5
            change: dict[str, Any] = {"talk": talk, "floor": talk and self.rng.random() < 0.5}
            if self.rng.random() < 0.2:
                change["mute"] = self.rng.random() < 0.5
            changes[member] = change
        return "conference_update", {"conference": conference, "member": changes}

    def _conference_join(self) -> Event:
        s = self.s
        if s.members >= self.ws.members:
            return self._conference_leave()
        conference = self.pick(list(s.live_conferences))
        member = self.words.uuid()
        s.live_conferences[conference].append(member)
        s.members += 1
        return "conference_join", {"conference": conference, "member": {member: self._member()}}

    def _conference_leave(self) -> Event:
        conference = self._busy_conference()
        if conference is None:
            return self._conference_join()
        members = self.s.live_conferences[conference]
        member = members.pop(int(self.rng.random() * len(members)))
        self.s.members -= 1
        return "conference_leave", {"conference": conference, "member": [member]}

    # -- presentations --------------------------------------------------------------------------

    def _presentation_header(self, presentation: str, user: str | None) -> dict[str, Any]:
        header = self.s.headers[presentation]
        event = {"presentation": presentation, "owner": header["owner"]}
        if user is not None:
            event["user"] = user
        event["description"] = header["description"]
        return event

    def _presentation_convert(self, presentation: str | None = None) -> Event:
        event: dict[str, Any] = {"presentation": presentation or self.pick(self.presentations)}
        if self.rng.random() < 0.9:
            event["page_count"] = self.rng.randint(3, 60)
        return "presentation_convert", event

    def _presentation_start(self) -> Event:
        idle = [p for p in self.presentations if p not in self.s.presenting]
        if not idle:
            return self._presentation_update()
        presentation, user = self.pick(idle), self.someone()
        self.s.presenting[presentation] = [user]
        return "presentation_start", self._presentation_header(presentation, user)

    def _presentation_stop(self) -> Event:
        if not self.s.presenting:
            return self._presentation_start()
        presentation = self.pick(list(self.s.presenting))
        moderator = self.s.presenting.pop(presentation)[0]
        return "presentation_stop", self._presentation_header(presentation, moderator)

    def _live_presentation(self) -> str | None:
        return self.pick(list(self.s.presenting)) if self.s.presenting else None

    def _presentation_join(self) -> Event:
        presentation = self._live_presentation()
        if presentation is None:
            return self._presentation_start()
        user = self.pick(self.users)
        if user not in self.s.presenting[presentation]:
            self.s.presenting[presentation].append(user)
        return "presentation_join", {"presentation": presentation, "user": user}

    def _presentation_leave(self) -> Event:
        presentation = self._live_presentation()
        if presentation is None or len(self.s.presenting[presentation]) < 2:
            return self._presentation_join()
        members = self.s.presenting[presentation]
        user = members.pop(self.rng.randint(1, len(members) - 1))
        return "presentation_leave", {"presentation": presentation, "user": user}

    def _pointer(self) -> dict[str, Any]:
        return {"x": round(self.rng.random(), 2), "y": round(self.rng.random(), 2)}

    def _presentation_status(self) -> Event:
        presentation = self._live_presentation()
        if presentation is None:
            return self._presentation_start()
        members = self.s.presenting[presentation]
        event = {"presentation": presentation, "page": self.rng.randint(1, 40), **self._pointer()}
        event.update(visible=self.rng.random() < 0.7, moderator=members[0], member=list(members))
        return "presentation_status", event

    def _presentation_update(self) -> Event:
        presentation = self._live_presentation()
        if presentation is None:
            return self._presentation_start()
        event: dict[str, Any] = {"presentation": presentation}
        if self.rng.random() < 0.3:
            event["page"] = self.rng.randint(1, 40)
        event.update(self._pointer(), visible=True)
        return "presentation_update", event

    def _presentation_keepalive(self) -> Event:
        presentation = self._live_presentation()
        if presentation is None:
            return self._presentation_start()
        return "presentation_keepalive", {"presentation": presentation}

    # -- chats ----------------------------------------------------------------------------------

    def _new_chat(self, members: list[str]) -> str:
        chat = self.words.uuid()
        # Lifetimes vary little, so the build-up's backlogs look like the steady state's.
        self.s.chats[chat] = Chat(members, self.rng.randint(40, 70))
        self.s.chat_pool.add(chat)
        return chat

    def _chat_new(self) -> Event:
        if len(self.s.chats) >= self.ws.chats:
            return self._chat_message()
        chat = self._new_chat([ME])
        return "chat_new", {"chat": chat, "create_time": self.time}

    def _chat_joined(self) -> Event:
        """Someone adds me to a chat of theirs: its first event in my stream."""
        adder = self.pick(self.users)
        chat = self._new_chat([adder, *(self.pick(self.users) for _ in range(3)), ME])
        message = {
            self.words.uuid(): {"user": adder, "time": self.time, "type": "add", "member": ME}
        }
        event = {"chat": chat, "message": message, "create_time": self.time - 86_400}
        return "chat_message", {**event, "description": self.words.label()}

    def _text(self, chat: Chat) -> dict[str, Any]:
        return {"user": self.pick(chat.members), "time": self.time, "type": "text",
                "text": self.words.sentence(10, 110)}  # fmt: skip

    def _chat_history(self) -> Event:
        """The messages of the chat created last, as one event (the setup's backlog)."""
        uuid = next(reversed(self.s.chats))
        chat = self.s.chats[uuid]
        backlog = self.rng.randint(1, chat.remaining)
        chat.remaining -= backlog
        messages = {self.words.uuid(): self._text(chat) for _ in range(backlog)}
        chat.last_message = next(reversed(messages))
        return "chat_message", {"chat": uuid, "message": messages}

    def _chat_message(self) -> Event:
        s = self.s
        if not s.chats:
            return self._chat_new()
        uuid = s.chat_pool.choice(self.rng)
        chat = s.chats[uuid]
        chat.remaining -= 1
        draw = self.rng.random()
        if chat.remaining <= 0:
            message: dict[str, Any] = {"user": ME, "time": self.time, "type": "leave"}
            del s.chats[uuid]
            s.chat_pool.remove(uuid)
            s.pending.append(self._chat_new if draw < 0.5 else self._chat_joined)
        elif draw < 0.03:
            member = self.pick(self.users)
            message = {"user": ME, "time": self.time, "type": "add", "member": member}
            chat.members.append(member)
        elif draw < 0.05 and len(chat.members) > 2:
            leaving = chat.members.pop(0 if chat.members[0] != ME else 1)
            message = {"user": leaving, "time": self.time, "type": "leave"}
        else:
            message = self._text(chat)
        chat.last_message = self.words.uuid()
        return "chat_message", {"chat": uuid, "message": {chat.last_message: message}}

    def _chat_user(self) -> Event:
        if not self.s.chats:
            return self._chat_new()
        uuid = self.s.chat_pool.choice(self.rng)
        chat = self.s.chats[uuid]
        states: dict[str, Any] = {}
        for _ in range(1 + (self.rng.random() < 0.3)):
            if chat.last_message is not None and self.rng.random() < 0.3:
                states[self.pick(chat.members)] = {"message_read": chat.last_message}
            else:
                states[self.pick(chat.members)] = {"typing": self.pick((0, 5, 10, 10, 15))}
        return "chat_user", {"chat": uuid, "user": states}
