"""Tags on the server: owner, label, foreign use, and the access policy (levels 1..4).

``tag_new`` reaches every user with a level in the policy; ``tag_modify`` every user with
read access before or after (0 for those who lost it); ``tag_delete`` everyone who had read
access. Changes that move an object's readers are followed by ``object_share`` /
``object_unshare`` (docs/simulator.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from eventmirror.events import TagDelete, TagModify, TagNew
from eventmirror.rules import (
    OWNER,
    announced_policy,
    can_propagate,
    can_read,
    granted,
    is_access_level,
)

from ._core import Domain, Session, SimulatorError, entity
from .commands import command


@attrs.define
class ServerTag:
    uuid: str
    owner: str
    label: str
    foreign_use: bool
    #: user -> level 1..4; the owner always holds 4.
    policy: dict[str, int]


class Tags(Domain):
    name = "tags"
    sections = ("tags",)

    tags: dict[str, ServerTag]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.tags = {}

    def get(self, tag: str) -> ServerTag:
        try:
            return self.tags[tag]
        except KeyError:
            raise SimulatorError(f"no {entity('tag', tag)}") from None

    def describe(self, tag: str) -> str:
        """The tag as messages name it: ``tag 'Projects' (<uuid>)``."""
        found = self.tags.get(tag)
        return entity("tag", tag, None if found is None else found.label)

    def level(self, tag: str, user: str) -> int:
        """``user``'s access level on ``tag`` (0 = none)."""
        server_tag = self.tags.get(tag)
        return 0 if server_tag is None else server_tag.policy.get(user, 0)

    def readers(self, tag: str) -> set[str]:
        return {user for user, level in self.get(tag).policy.items() if can_read(level)}

    def _policy(self, owner: str, policy: Mapping[str, int]) -> dict[str, int]:
        resolved: dict[str, int] = {}
        for who, level in policy.items():
            if not is_access_level(level):
                raise SimulatorError(
                    f"policy[{who!r}]: expected an access level 0..4, got {level!r}"
                )
            resolved[self.world.user_id(who)] = level
        return {**granted(resolved), owner: OWNER}

    def _payload(self, tag: ServerTag, policy: dict[str, int] | None = None) -> dict[str, Any]:
        return {
            "tag": tag.uuid,
            "owner": tag.owner,
            "label": tag.label,
            "foreign_use": tag.foreign_use,
            "policy": dict(policy if policy is not None else tag.policy),
        }

    @command
    def create(
        self,
        actor: str,
        label: str,
        *,
        policy: Mapping[str, int] | None = None,
        foreign_use: bool = False,
    ) -> str:
        """The user creates a tag; ``policy`` maps user names or UUIDs to levels 1..4."""
        owner_id = self.world.user_id(actor)
        resolved = self._policy(owner_id, policy or {})
        tag = ServerTag(self.world.new_uuid(), owner_id, label, foreign_use, resolved)
        self.world.tick()
        self.tags[tag.uuid] = tag
        self.world.send_to_users(TagNew, sorted(self.readers(tag.uuid)), **self._payload(tag))
        return tag.uuid

    @command
    def modify(
        self,
        actor: str,
        tag: str,
        *,
        label: str | None = None,
        policy: Mapping[str, int] | None = None,
        foreign_use: bool | None = None,
    ) -> None:
        """The owner, or a user with level 3+, changes a tag's label, foreign use or policy."""
        server_tag = self.get(tag)
        actor_id = self.world.user_id(actor)
        if not can_propagate(self.level(tag, actor_id)):
            raise SimulatorError(f"{self.user_name(actor)} may not change {self.describe(tag)}")
        new_policy = (
            self._policy(server_tag.owner, policy) if policy is not None else server_tag.policy
        )
        if (
            new_policy == server_tag.policy
            and label in (None, server_tag.label)
            and foreign_use in (None, server_tag.foreign_use)
        ):
            raise SimulatorError(f"that change to {self.describe(tag)} would change nothing")
        objects = self.world.objects
        before = objects.readers_of_tagged(tag)
        readers_before = self.readers(tag)
        self.world.tick()
        server_tag.label = label if label is not None else server_tag.label
        server_tag.foreign_use = foreign_use if foreign_use is not None else server_tag.foreign_use
        server_tag.policy = new_policy
        lost = readers_before - self.readers(tag)
        sent_policy = announced_policy(new_policy, lost)
        recipients = sorted(readers_before | self.readers(tag))
        self.world.send_to_users(TagModify, recipients, **self._payload(server_tag, sent_policy))
        objects.reshare(before, actor_id)

    @command
    def delete(self, actor: str, tag: str) -> None:
        """The owner deletes a tag: it comes off every object."""
        server_tag = self.get(tag)
        actor_id = self.world.user_id(actor)
        if actor_id != server_tag.owner:
            raise SimulatorError(f"only the owner may delete {self.describe(tag)}")
        objects = self.world.objects
        before = objects.readers_of_tagged(tag)
        readers = self.readers(tag)
        self.world.tick()
        del self.tags[tag]
        objects.strip_tag(tag, told=readers)
        self.world.send_to_users(TagDelete, sorted(readers), tag=tag)
        objects.reshare(before, actor_id)

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        sections["tags"] = {
            uuid: {
                "owner": tag.owner,
                "label": tag.label,
                "foreign_use": tag.foreign_use,
                "policy": dict(tag.policy),
            }
            for uuid, tag in self.tags.items()
            if can_read(self.level(uuid, session.user))
        }
