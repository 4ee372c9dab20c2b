"""World's users: minted from the seed, or given a fixed UUID."""

from __future__ import annotations

import pytest

from simulator import SimulatorError, World

FIXED = "0f6bd8a3-1d2e-4c5b-9a8f-7e6d5c4b3a21"


def test_a_fixed_uuid_draws_nothing_from_the_seed() -> None:
    plain, fixed = World(seed=3), World(seed=3)
    assert fixed.add_user("me", FIXED) == FIXED
    assert fixed.user_id("me") == FIXED and fixed.names[FIXED] == "me"
    assert plain.add_user("anna") == fixed.add_user("anna")


def test_a_uuid_is_one_users_only() -> None:
    world = World()
    world.add_user("me", FIXED)
    with pytest.raises(SimulatorError, match="is the UUID of 'me' already"):
        world.add_user("you", FIXED)
