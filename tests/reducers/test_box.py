"""Box reducers (docs/design.md: online/offline with the latest address and versions, and the
time of the change)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers import Mirror
from reducers.box import Box
from tests.reference import reference_examples
from tests.support import ME, OTHER, Stream

BOX = "964ae742-77fe-11e1-89b7-0024e8f90cc0"
OTHER_BOX = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"
#: The reference's example: every field, description included.
ONLINE: dict[str, Any] = reference_examples()["box_online"]
ADDRESS = ("ip_addr", "mac_addr", "sw_version", "hw_version")


def assert_round_trips(mirror: Mirror) -> None:
    assert reducers.loads(reducers.dumps(mirror)) == mirror


def online(description: str | None = "box in office basement", **fields: Any) -> dict[str, Any]:
    payload = {key: value for key, value in ONLINE.items() if key != "description"}
    if description is not None:
        payload["description"] = description
    return {**payload, **fields}


def offline(description: str | None = "box in office basement") -> dict[str, Any]:
    payload = {"box": BOX, "owner": ME}
    return payload if description is None else {**payload, "description": description}


@pytest.mark.parametrize("description", ["box in office basement", None])
def test_box_online_records_address_versions_and_the_change_time(
    description: str | None,
) -> None:
    stream = Stream()
    stream.add("box_online", time=1_000_300, **online(description))
    mirror = stream.fold()
    assert mirror.boxes[BOX] == Box(
        owner=ME,
        description=description,
        online=True,
        changed=1_000_300,
        ip_addr="192.168.0.13",
        mac_addr="00:24:d6:83:c1:54",
        sw_version="1.0",
        hw_version="X86",
    )
    # An absent description is left out of the JSON form, never written as null.
    expected = {**online(description), "description": description}
    expected.pop("box")
    if description is None:
        del expected["description"]
    assert reducers.to_json(mirror)["boxes"][BOX] == {
        **expected,
        "online": True,
        "changed": 1_000_300,
    }
    assert_round_trips(mirror)


@pytest.mark.parametrize("description", ["moved to the attic", None])
def test_box_offline_keeps_the_last_address_and_versions(description: str | None) -> None:
    stream = Stream()
    stream.add("box_online", **online())
    stream.add("box_offline", time=1_000_900, **offline(description))
    box = stream.fold().boxes[BOX]
    assert (box.online, box.changed, box.description) == (False, 1_000_900, description)
    assert [getattr(box, field) for field in ADDRESS] == [ONLINE[field] for field in ADDRESS]


@pytest.mark.parametrize("description", ["box in office basement", None])
def test_box_offline_of_an_unseen_box_creates_it_without_an_address(
    description: str | None,
) -> None:
    stream = Stream()
    stream.add("box_offline", time=1_000_050, **offline(description))
    mirror = stream.fold()
    assert mirror.boxes[BOX] == Box(ME, description, online=False, changed=1_000_050)
    assert_round_trips(mirror)


def test_coming_back_online_takes_the_new_address_versions_and_owner() -> None:
    stream = Stream()
    stream.add("box_online", **online())
    stream.add("box_offline", **offline())
    stream.add(
        "box_online", time=1_002_000, **online(owner=OTHER, ip_addr="10.0.0.9", sw_version="2.0")
    )
    stream.add(
        "box_online",
        box=OTHER_BOX,
        owner=ME,
        ip_addr="10.0.0.1",
        mac_addr="m",
        sw_version="1.0",
        hw_version="ARM",
    )
    mirror = stream.fold()
    box = mirror.boxes[BOX]
    assert (box.online, box.changed, box.owner) == (True, 1_002_000, OTHER)
    assert (box.ip_addr, box.sw_version, box.hw_version) == ("10.0.0.9", "2.0", "X86")
    assert mirror.boxes[OTHER_BOX].hw_version == "ARM"


@pytest.mark.parametrize("removal", ["object_unshare", "object_delete"])
def test_removing_the_box_object_removes_its_state(removal: str) -> None:
    stream = Stream()
    stream.add("object_new", object=BOX, type="box", owner=ME, tag=[])
    stream.add("box_online", **online())
    purge = {"purge": True} if removal == "object_delete" else {}
    stream.add(removal, object=BOX, type="box", owner=ME, **purge)
    assert BOX not in stream.fold().boxes


@given(st.lists(st.tuples(st.booleans(), st.sampled_from(["1.0", "1.1", "2.0"])), max_size=12))
def test_state_is_the_last_change_with_the_last_online_address(
    steps: list[tuple[bool, str]],
) -> None:
    stream = Stream()
    last_version: str | None = None
    for is_online, version in steps:
        if is_online:
            stream.add("box_online", **online(sw_version=version))
            last_version = version
        else:
            stream.add("box_offline", **offline())
    mirror = stream.fold()
    if not steps:
        assert BOX not in mirror.boxes
        return
    box = mirror.boxes[BOX]
    assert (box.online, box.changed) == (steps[-1][0], stream.time)
    assert box.sw_version == last_version
    assert (box.ip_addr is None) == (last_version is None)
    assert_round_trips(mirror)
