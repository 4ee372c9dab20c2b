"""Tag commands in the simulator: what they send, byte for byte."""

from __future__ import annotations

from simulator import World


def test_readers_losing_access_in_one_change_are_listed_in_a_fixed_order() -> None:
    # The policy sent with tag_modify names every reader who lost access, with level 0. They
    # come from a set, whose order follows the hash seed: the bytes sent must not.
    world = World(7)
    readers = [f"reader{index}" for index in range(8)]
    for name in ["owner", *readers]:
        world.add_user(name)
    session = world.open_session("owner")
    tag = world.tags.create("owner", "team", policy=dict.fromkeys(readers, 1))
    world.tags.modify("owner", tag, policy={})
    sent = session.events[-1]
    assert sent["event"] == "tag_modify"
    lost = [user for user, level in sent["policy"].items() if level == 0]
    assert len(lost) == len(readers)
    assert lost == sorted(lost)
