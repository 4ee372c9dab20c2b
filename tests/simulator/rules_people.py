"""State-machine rules for chats, SIP accounts and the dialplan."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import rule

from .machine import WorldMachine, pick, users

phones = st.sampled_from(["+491", "+492", "+493"])
contacts = st.sampled_from(["sip:desk", "sip:mobile"])
words = st.sampled_from(["hello", "lunch?", "bye"])


class PeopleRules(WorldMachine):
    def uuids(self, kind: str) -> list[str]:
        world = self.world
        if kind == "chat":
            return sorted(world.chat.chats)
        if kind == "message":
            return sorted({m for chat in world.chat.chats.values() for m in chat.messages})
        if kind == "sip":
            return sorted(world.sip.accounts)
        return super().uuids(kind)

    @rule(who=users, description=st.none() | words)
    def create_chat(self, who: str, description: str | None) -> None:
        self.attempt(lambda: self.world.chat.create(who, description))

    @rule(data=st.data(), actor=users, who=users)
    def add_chat_member(self, data: st.DataObject, actor: str, who: str) -> None:
        chat = pick(data, self.uuids("chat"))
        if chat is not None:
            self.attempt(lambda: self.world.chat.add_member(actor, chat, who))

    @rule(data=st.data(), who=users, text=words)
    def chat_message(self, data: st.DataObject, who: str, text: str) -> None:
        chat = pick(data, self.uuids("chat"))
        if chat is not None:
            self.attempt(lambda: self.world.chat.message(who, chat, text))

    @rule(data=st.data(), who=users)
    def leave_chat(self, data: st.DataObject, who: str) -> None:
        chat = pick(data, self.uuids("chat"))
        if chat is not None:
            self.attempt(lambda: self.world.chat.leave(who, chat))

    @rule(data=st.data(), who=users, seconds=st.integers(0, 30))
    def typing(self, data: st.DataObject, who: str, seconds: int) -> None:
        chat = pick(data, self.uuids("chat"))
        if chat is not None:
            self.attempt(lambda: self.world.chat.typing(who, chat, seconds))

    @rule(data=st.data(), who=users)
    def read_chat(self, data: st.DataObject, who: str) -> None:
        chat, message = pick(data, self.uuids("chat")), pick(data, self.uuids("message"))
        if chat is not None and message is not None:
            self.attempt(lambda: self.world.chat.read(who, chat, message))

    @rule(owner=users, user_part=st.sampled_from(["joe", "ann"]), description=st.none() | words)
    def create_sip(self, owner: str, user_part: str, description: str | None) -> None:
        self.attempt(
            lambda: self.world.sip.create_account(owner, user_part, "example.org", description)
        )

    @rule(data=st.data(), description=words, remove=st.booleans())
    def change_sip(self, data: st.DataObject, description: str, remove: bool) -> None:
        account = pick(data, self.uuids("sip"))
        if account is None:
            return
        if remove:
            self.attempt(lambda: self.world.sip.delete(account))
        else:
            self.attempt(lambda: self.world.sip.modify(account, description))

    @rule(data=st.data(), contact=contacts, seconds=st.integers(-1, 60), stop=st.booleans())
    def registration(self, data: st.DataObject, contact: str, seconds: int, stop: bool) -> None:
        account = pick(data, self.uuids("sip"))
        if account is None:
            return
        if stop:
            self.attempt(lambda: self.world.sip.unregister(account, contact))
        else:
            self.attempt(lambda: self.world.sip.register(account, contact, seconds))

    @rule(who=users)
    def modify_dialplan(self, who: str) -> None:
        self.world.dialplan.modify(who)

    @rule(who=users, phone_from=phones, phone_to=phones, stop=st.booleans())
    def callreverse(self, who: str, phone_from: str, phone_to: str, stop: bool) -> None:
        dialplan = self.world.dialplan
        if stop:
            self.attempt(lambda: dialplan.callreverse_stop(who, phone_from, phone_to))
        else:
            self.attempt(lambda: dialplan.callreverse_start(who, phone_from, phone_to))
