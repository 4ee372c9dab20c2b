"""State-machine rules for users, tags, objects, comments and metadata."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import rule

from .machine import NAMES, WorldMachine, pick, users

levels = st.integers(0, 4)
policies = st.dictionaries(st.sampled_from(NAMES), levels, max_size=3)
words = st.sampled_from(["alpha", "beta", "gamma", "delta"])


class CoreRules(WorldMachine):
    @rule(owner=users, label=words, policy=policies, foreign=st.booleans())
    def create_tag(self, owner: str, label: str, policy: dict[str, int], foreign: bool) -> None:
        self.attempt(
            lambda: self.world.tags.create(owner, label, policy=policy, foreign_use=foreign)
        )

    @rule(data=st.data(), actor=users, policy=st.none() | policies, label=st.none() | words)
    def modify_tag(
        self, data: st.DataObject, actor: str, policy: dict[str, int] | None, label: str | None
    ) -> None:
        tag = pick(data, self.uuids("tag"))
        if tag is not None:
            self.attempt(lambda: self.world.tags.modify(actor, tag, policy=policy, label=label))

    @rule(data=st.data(), actor=users)
    def delete_tag(self, data: st.DataObject, actor: str) -> None:
        tag = pick(data, self.uuids("tag"))
        if tag is not None:
            self.attempt(lambda: self.world.tags.delete(actor, tag))

    @rule(data=st.data(), owner=users, kind=st.sampled_from(["contact", "fax", "note"]), text=words)
    def create_object(self, data: st.DataObject, owner: str, kind: str, text: str) -> None:
        tags = (
            data.draw(st.lists(st.sampled_from(self.uuids("tag")), max_size=2))
            if self.uuids("tag")
            else []
        )
        self.attempt(lambda: self.world.objects.create(owner, kind, text, tags=tags))

    @rule(data=st.data(), actor=users, text=words)
    def modify_object(self, data: st.DataObject, actor: str, text: str) -> None:
        obj = pick(data, self.uuids("object"))
        if obj is not None:
            self.attempt(lambda: self.world.objects.modify(actor, obj, description=text))

    @rule(data=st.data(), actor=users, purge=st.booleans())
    def delete_object(self, data: st.DataObject, actor: str, purge: bool) -> None:
        obj = pick(data, self.uuids("object"))
        if obj is not None:
            self.attempt(lambda: self.world.objects.delete(actor, obj, purge=purge))

    @rule(owner=users)
    def purge_trash(self, owner: str) -> None:
        self.attempt(lambda: self.world.objects.purge_trash(owner))

    @rule(data=st.data(), actor=users)
    def retag(self, data: st.DataObject, actor: str) -> None:
        obj, tags = pick(data, self.uuids("object")), self.uuids("tag")
        if obj is not None and tags:
            add = data.draw(st.lists(st.sampled_from(tags), max_size=2))
            remove = data.draw(st.lists(st.sampled_from(tags), max_size=2))
            self.attempt(lambda: self.world.objects.retag(actor, obj, add=add, remove=remove))

    @rule(data=st.data(), author=users, text=words)
    def comment(self, data: st.DataObject, author: str, text: str) -> None:
        obj = pick(data, self.uuids("object"))
        if obj is not None:
            self.attempt(lambda: self.world.comments.add(author, obj, text))

    @rule(data=st.data(), author=users, text=words, remove=st.booleans())
    def change_comment(self, data: st.DataObject, author: str, text: str, remove: bool) -> None:
        comment = pick(data, self.uuids("comment"))
        if comment is None:
            return
        if remove:
            self.attempt(lambda: self.world.comments.delete(author, comment))
        else:
            self.attempt(lambda: self.world.comments.edit(author, comment, text))

    @rule(
        data=st.data(),
        actor=users,
        keys=st.lists(words, max_size=2),
        gone=st.lists(words, max_size=2),
    )
    def object_metadata(
        self, data: st.DataObject, actor: str, keys: list[str], gone: list[str]
    ) -> None:
        obj = pick(data, self.uuids("object"))
        if obj is not None:
            update = {key: len(key) for key in keys}
            self.attempt(lambda: self.world.metadata.set_object(actor, obj, update, gone))

    @rule(who=users, keys=st.lists(words, max_size=2), gone=st.lists(words, max_size=2))
    def user_metadata(self, who: str, keys: list[str], gone: list[str]) -> None:
        self.attempt(lambda: self.world.metadata.set_user(who, dict.fromkeys(keys, True), gone))

    @rule(who=users, what=st.sampled_from(["settings", "phone"]))
    def modify_user(self, who: str, what: str) -> None:
        if what == "settings":
            self.world.user.modify_settings(who)
        else:
            self.world.user.modify_phone(who)

    @rule(owner=users, invitee=users, delete=st.booleans())
    def invitation(self, owner: str, invitee: str, delete: bool) -> None:
        if delete:
            self.attempt(lambda: self.world.user.uninvite(invitee, owner, invitee))
        else:
            self.attempt(lambda: self.world.user.invite(owner, invitee))
