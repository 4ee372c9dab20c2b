"""The objects domain's reverse indexes: always what a scan computes, never a change in output.

``Objects`` finds the objects carrying a tag, an owner's trash and the told tag lists holding a
tag through indexes, so that tag and trash commands cost what they touch. The indexes must
equal a full scan after every command, and the events that depend on them must come in the
order a scan of the objects (their creation order) gives.
"""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

import reducers
from simulator import Session, World
from simulator.objects import Objects
from tests.support import assert_same_state

from .machine import MACHINE_SETTINGS, WorldMachine, pick, users
from .rules_core import policies


def scanned(objects: Objects) -> dict[str, dict[Any, set[Any]]]:
    carrying: dict[Any, set[Any]] = {}
    trash: dict[Any, set[Any]] = {}
    told_with: dict[Any, set[Any]] = {}
    for uuid, obj in objects.objects.items():
        for tag in obj.tags:
            carrying.setdefault(tag, set()).add(uuid)
        if obj.trashed:
            trash.setdefault(obj.owner, set()).add(uuid)
    for key, tags in objects.told_tags.items():
        for tag in tags:
            told_with.setdefault(tag, set()).add(key)
    return {"carrying": carrying, "trash": trash, "told_with": told_with}


def indexed(objects: Objects) -> dict[str, dict[Any, set[Any]]]:
    return {
        "carrying": objects._carrying.as_dict(),
        "trash": objects._trash.as_dict(),
        "told_with": objects._told_with.as_dict(),
    }


class IndexProperty(WorldMachine):
    """Tag, object and trash commands by the users allowed to run them, so that tagged objects
    are often retagged, trashed and removed and carried tags deleted (the mirror property is
    checked as in every machine); after each step the indexes equal a scan."""

    @rule(owner=users, policy=policies)
    def create_tag(self, owner: str, policy: dict[str, int]) -> None:
        self.attempt(lambda: self.world.tags.create(owner, "label", policy=policy))

    @rule(data=st.data())
    def reader_creates_object(self, data: st.DataObject) -> None:
        tag = pick(data, self.uuids("tag"))
        if tag is not None:
            owner = data.draw(st.sampled_from(sorted(self.world.tags.readers(tag))))
            hers = [t for t in self.uuids("tag") if owner in self.world.tags.readers(t)]
            tags = data.draw(st.lists(st.sampled_from(hers), max_size=2))
            self.attempt(lambda: self.world.objects.create(owner, "note", "x", tags=tags))

    @rule(data=st.data())
    def reader_retags(self, data: st.DataObject) -> None:
        obj, tags = pick(data, self.uuids("object")), self.uuids("tag")
        if obj is not None and tags:
            actor = data.draw(st.sampled_from(sorted(self.world.objects.readers(obj))))
            add = data.draw(st.lists(st.sampled_from(tags), max_size=2))
            remove = data.draw(st.lists(st.sampled_from(tags), max_size=2))
            self.attempt(lambda: self.world.objects.retag(actor, obj, add=add, remove=remove))

    @rule(data=st.data(), purge=st.booleans())
    def owner_deletes_object(self, data: st.DataObject, purge: bool) -> None:
        obj = pick(data, self.uuids("object"))
        if obj is not None:
            owner = self.world.objects.get(obj).owner
            self.attempt(lambda: self.world.objects.delete(owner, obj, purge=purge))

    @rule(data=st.data())
    def owner_purges_trash(self, data: st.DataObject) -> None:
        objects = self.world.objects.objects.values()
        owner = pick(data, sorted({o.owner for o in objects if o.trashed}))
        if owner is not None:
            self.attempt(lambda: self.world.objects.purge_trash(owner))

    @rule(data=st.data(), policy=policies, delete=st.booleans())
    def owner_changes_tag(self, data: st.DataObject, policy: dict[str, int], delete: bool) -> None:
        tag = pick(data, self.uuids("tag"))
        if tag is None:
            return
        owner = self.world.tags.get(tag).owner
        if delete:
            self.attempt(lambda: self.world.tags.delete(owner, tag))
        else:
            self.attempt(lambda: self.world.tags.modify(owner, tag, policy=policy))

    @invariant()
    def indexes_equal_a_scan(self) -> None:
        objects = self.world.objects
        assert indexed(objects) == scanned(objects)
        for tag in self.world.tags.tags:
            in_dict_order = [u for u, o in objects.objects.items() if tag in o.tags]
            assert objects.carrying(tag) == in_dict_order


IndexProperty.TestCase.settings = MACHINE_SETTINGS
TestIndexProperty = IndexProperty.TestCase


# -- event order: the order of creation, whatever order the indexes were filled in ----------


def objects_in(session: Session, kind: str) -> list[str]:
    return [e["object"] for e in session.events if e["event"] == kind]


def world_of_four() -> tuple[World, Session, str, list[str]]:
    """Anna's four objects, tagged with her tag in the reverse of their creation order;
    Ben (with a session) has no access yet."""
    world = World(seed=5)
    world.add_user("anna")
    world.add_user("ben")
    ben = world.open_session("ben")
    tag = world.tags.create("anna", "Projects")
    made = [world.objects.create("anna", "note", f"note {i}") for i in range(4)]
    for uuid in reversed(made):
        world.objects.retag("anna", uuid, add=[tag])
    return world, ben, tag, made


def test_tag_policy_changes_share_and_unshare_in_creation_order() -> None:
    world, ben, tag, made = world_of_four()
    world.tags.modify("anna", tag, policy={"ben": 1})
    assert objects_in(ben, "object_share") == made
    world.tags.modify("anna", tag, policy={})
    assert objects_in(ben, "object_unshare") == made


def test_a_deleted_tag_unshares_in_creation_order_after_tag_delete() -> None:
    world, ben, tag, made = world_of_four()
    world.tags.modify("anna", tag, policy={"ben": 1})
    world.tags.delete("anna", tag)
    kinds = [e["event"] for e in ben.events]
    assert kinds == ["tag_modify", *["object_share"] * 4, "tag_delete", *["object_unshare"] * 4]
    assert objects_in(ben, "object_unshare") == made
    assert world.objects.carrying(tag) == []


def test_purging_the_trash_deletes_in_creation_order_and_only_the_owners() -> None:
    world, ben, tag, made = world_of_four()
    world.tags.modify("anna", tag, policy={"ben": 1})
    bens = world.objects.create("ben", "note", "his")
    world.objects.delete("ben", bens)
    for index in (2, 0, 3, 1):
        world.objects.delete("anna", made[index])
    seen = len(ben.events)
    world.objects.purge_trash("anna")
    purged = ben.events[seen:]
    assert [e["object"] for e in purged] == made
    assert all(e["event"] == "object_delete" and e["purge"] for e in purged)
    assert list(world.objects.objects) == [bens]
    world.objects.purge_trash("ben")
    assert world.objects.objects == {}


def test_tag_delete_strips_a_tag_ben_was_never_told_had_been_detached() -> None:
    # Ben is not told when Anna detaches a tag he has no access to, so his told list keeps
    # it; once given access he receives tag_delete and must strip it from that object too,
    # although the object no longer carries the tag.
    world = World(seed=6)
    world.add_user("anna")
    world.add_user("ben")
    ben = world.open_session("ben")
    shared = world.tags.create("anna", "Shared", policy={"ben": 1})
    private = world.tags.create("anna", "Private")
    obj = world.objects.create("anna", "note", "x", tags=[shared, private])
    world.objects.retag("anna", obj, remove=[private])
    assert world.objects.told_tags[(ben.user, obj)] == (shared, private)
    world.tags.modify("anna", private, policy={"ben": 1})
    world.tags.delete("anna", private)
    assert world.objects.told_tags[(ben.user, obj)] == (shared,)
    folded = reducers.fold((msgspec.json.encode(e) for e in ben.events), me=ben.user)
    assert_same_state(folded, world.view(ben), world.now)
    assert indexed(world.objects) == scanned(world.objects)
