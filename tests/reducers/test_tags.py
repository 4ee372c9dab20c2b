"""Tag reducers (docs/design.md, "tags": policy 0 drops the entry, my own 0 drops the tag, and
tag_delete strips the tag from every object)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers import Mirror
from reducers.tags import Tag
from tests.support import ME, OTHER, THIRD, Stream

TAG = "7b3785b8-974f-11e0-a900-0024e8f90cc0"
OTHER_TAG = "be00e8aa-5c3d-11e0-b0cf-0024e8f90cc0"
FIRST = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"
SECOND = "94f1bb1a-5931-11e0-8db5-0024e8f90cc0"
UNTAGGED = "964ae742-77fe-11e1-89b7-0024e8f90cc0"


def assert_round_trips(mirror: Mirror) -> None:
    assert reducers.loads(reducers.dumps(mirror)) == mirror


def tag_payload(policy: dict[str, int], **fields: Any) -> dict[str, Any]:
    return {
        "tag": TAG,
        "owner": ME,
        "label": "myTag",
        "foreign_use": True,
        "policy": policy,
        **fields,
    }


@pytest.mark.parametrize("foreign_use", [True, False])
def test_tag_new_keeps_every_field_and_its_json_uses_the_reference_names(
    foreign_use: bool,
) -> None:
    stream = Stream()
    policy = {ME: 4, OTHER: 2, THIRD: 3}
    stream.add("tag_new", **tag_payload(policy, foreign_use=foreign_use, label="Project X"))
    mirror = stream.fold()
    assert mirror.tags[TAG] == Tag(
        owner=ME, label="Project X", foreign_use=foreign_use, policy=policy
    )
    assert reducers.to_json(mirror)["tags"][TAG] == {
        "owner": ME,
        "label": "Project X",
        "foreign_use": foreign_use,
        "policy": policy,
    }
    assert_round_trips(mirror)


def test_tag_modify_replaces_label_owner_use_and_policy() -> None:
    stream = Stream()
    stream.add("tag_new", **tag_payload({ME: 4, OTHER: 1}))
    stream.add(
        "tag_modify",
        **tag_payload({ME: 2, OTHER: 3, THIRD: 1}, owner=OTHER, label="renamed", foreign_use=False),
    )
    mirror = stream.fold()
    assert mirror.tags[TAG] == Tag(
        owner=OTHER, label="renamed", foreign_use=False, policy={ME: 2, OTHER: 3, THIRD: 1}
    )


def test_tag_modify_of_an_unseen_tag_creates_it() -> None:
    stream = Stream()
    stream.add("tag_modify", **tag_payload({ME: 1, OTHER: 4}, owner=OTHER))
    mirror = stream.fold()
    assert mirror.tags[TAG] == Tag(
        owner=OTHER, label="myTag", foreign_use=True, policy={ME: 1, OTHER: 4}
    )


@pytest.mark.parametrize("me", [ME, None])
def test_a_policy_entry_0_for_someone_else_removes_only_that_entry(me: str | None) -> None:
    stream = Stream(me=me)
    stream.add("tag_new", **tag_payload({ME: 4, OTHER: 2, THIRD: 3}))
    stream.add("tag_modify", **tag_payload({ME: 4, OTHER: 3, THIRD: 0}))
    mirror = stream.fold()
    assert mirror.tags[TAG].policy == {ME: 4, OTHER: 3}
    assert THIRD not in reducers.to_json(mirror)["tags"][TAG]["policy"]


def test_my_own_level_0_removes_the_tag_when_the_mirror_knows_me() -> None:
    stream = Stream(me=OTHER)
    stream.add("tag_new", **tag_payload({ME: 4, OTHER: 2}))
    stream.add("tag_new", **tag_payload({ME: 4, OTHER: 2}, tag=OTHER_TAG))
    stream.add("tag_modify", **tag_payload({ME: 4, OTHER: 0}))
    mirror = stream.fold()
    assert TAG not in mirror.tags
    assert OTHER_TAG in mirror.tags
    assert_round_trips(mirror)


def test_my_own_level_0_for_an_unseen_tag_does_not_create_it() -> None:
    stream = Stream(me=OTHER)
    stream.add("tag_modify", **tag_payload({ME: 4, OTHER: 0}))
    assert TAG not in stream.fold().tags


def test_level_0_keeps_the_tag_when_the_mirror_does_not_know_whose_it_is() -> None:
    stream = Stream(me=None)
    stream.add("tag_new", **tag_payload({ME: 4, OTHER: 2}))
    stream.add("tag_modify", **tag_payload({ME: 4, OTHER: 0}))
    mirror = stream.fold()
    assert mirror.tags[TAG].policy == {ME: 4}


def test_regaining_access_after_losing_it_brings_the_tag_back() -> None:
    stream = Stream(me=OTHER)
    stream.add("tag_new", **tag_payload({ME: 4, OTHER: 2}))
    stream.add("tag_modify", **tag_payload({ME: 4, OTHER: 0}))
    stream.add("tag_modify", **tag_payload({ME: 4, OTHER: 1}))
    assert stream.fold().tags[TAG].policy == {ME: 4, OTHER: 1}


def _tagged_objects(stream: Stream) -> None:
    stream.add("tag_new", **tag_payload({ME: 4}))
    stream.add("object_new", object=FIRST, type="contact", owner=ME, tag=[OTHER_TAG, TAG])
    stream.add("object_new", object=SECOND, type="fax", owner=ME, tag=[TAG])
    stream.add("object_new", object=UNTAGGED, type="fax", owner=ME, tag=[OTHER_TAG])
    # A trashed object keeps its tags, so the strip must reach it too.
    stream.add("object_delete", object=SECOND, type="fax", owner=ME)


def test_tag_delete_removes_the_tag_and_strips_it_from_every_object() -> None:
    stream = Stream()
    _tagged_objects(stream)
    assert stream.fold().objects.tagged(TAG) == sorted([FIRST, SECOND])
    stream.add("tag_delete", tag=TAG)
    mirror = stream.fold()
    assert TAG not in mirror.tags
    assert mirror.objects.tagged(TAG) == []
    tags_of = {uuid: obj.tag for uuid, obj in mirror.objects.by_uuid.items()}
    assert tags_of == {FIRST: (OTHER_TAG,), SECOND: (), UNTAGGED: (OTHER_TAG,)}
    assert mirror.objects.tagged(OTHER_TAG) == sorted([FIRST, UNTAGGED])
    second = mirror.objects.get(SECOND)
    assert second is not None and second.trashed
    assert_round_trips(mirror)


def test_tag_delete_strips_a_tag_the_mirror_never_saw_created() -> None:
    stream = Stream()
    stream.add("object_new", object=FIRST, type="contact", owner=ME, tag=[TAG])
    stream.add("tag_delete", tag=TAG)
    mirror = stream.fold()
    first = mirror.objects.get(FIRST)
    assert first is not None and first.tag == ()
    assert mirror.objects.tagged(TAG) == []


def test_tag_delete_of_an_unknown_tag_changes_no_state() -> None:
    stream = Stream()
    _tagged_objects(stream)
    before = stream.fold()
    stream.add("tag_delete", tag=THIRD)
    after = stream.fold()
    assert after.same_state(before)
    assert after.health.anomaly_count == 0


levels = st.integers(min_value=0, max_value=4)
policies = st.dictionaries(st.sampled_from([ME, OTHER, THIRD]), levels, max_size=3)


@given(st.lists(st.tuples(st.booleans(), policies), min_size=1, max_size=12))
def test_the_tag_reflects_the_last_policy_without_its_zero_entries(
    steps: list[tuple[bool, dict[str, int]]],
) -> None:
    # Each step is a tag_modify, or (False) a tag_new, which never carries 0 entries.
    stream = Stream(me=OTHER)
    for is_modify, policy in steps:
        if is_modify:
            stream.add("tag_modify", **tag_payload(policy))
        else:
            stream.add("tag_new", **tag_payload({u: v for u, v in policy.items() if v}))
    mirror = stream.fold()
    last_is_modify, last_policy = steps[-1]
    if last_is_modify and last_policy.get(OTHER) == 0:
        assert TAG not in mirror.tags
    else:
        assert mirror.tags[TAG].policy == {u: v for u, v in last_policy.items() if v}
    assert_round_trips(mirror)
