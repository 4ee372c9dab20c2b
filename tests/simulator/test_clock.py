"""The virtual clock's one queue: what falls due runs in (due time, sequence) order, each at its
due time, however the clock is advanced; periods repeat until cancelled; expiries sit on it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator import SimulatorError, World
from simulator.clock import Clock

START = 1_000


@given(
    offsets=st.lists(st.integers(1, 50), max_size=20),
    steps=st.lists(st.integers(0, 30), max_size=10),
)
def test_due_actions_run_in_order_at_their_time_however_the_clock_moves(
    offsets: list[int], steps: list[int]
) -> None:
    clock = Clock(START)
    ran: list[tuple[int, int]] = []

    def note(index: int) -> Callable[[], None]:
        return lambda: ran.append((clock.now, index))

    for index, offset in enumerate(offsets):
        clock.at(START + offset, note(index))
    for seconds in steps:
        clock.advance(seconds)
    end = START + sum(steps)
    assert clock.now == end
    expected = sorted(
        (START + offset, index) for index, offset in enumerate(offsets) if START + offset <= end
    )
    assert ran == expected
    assert [due for due, _ in clock.pending()] == sorted(
        START + offset for offset in offsets if START + offset > end
    )


@given(period=st.integers(1, 20), steps=st.lists(st.integers(0, 40), max_size=8))
def test_a_period_fires_at_every_multiple_until_cancelled(period: int, steps: list[int]) -> None:
    clock = Clock(START)
    fired: list[int] = []
    timer = clock.every(period, lambda: fired.append(clock.now))
    for seconds in steps:
        clock.advance(seconds)
    end = START + sum(steps)
    assert fired == list(range(START + period, end + 1, period))
    assert timer.due == START + period * (len(fired) + 1)
    timer.cancel()
    clock.advance(period * 3)
    assert len(fired) == (end - START) // period
    assert clock.pending() == []


def test_an_action_may_cancel_its_own_period_and_ties_keep_scheduling_order() -> None:
    clock = Clock(START)
    order: list[str] = []

    def once() -> None:
        order.append("period")
        period.cancel()

    period = clock.every(10, once)
    clock.at(START + 10, lambda: order.append("later, same second"))
    clock.advance(100)
    assert order == ["period", "later, same second"]


def test_the_clock_refuses_to_go_back_or_to_schedule_the_past() -> None:
    clock = Clock(START)
    with pytest.raises(SimulatorError, match="only moves forward"):
        clock.advance(-1)
    with pytest.raises(SimulatorError, match="not after"):
        clock.at(START, lambda: None)
    for period in (0, 1.5, True):
        with pytest.raises(SimulatorError, match="1 second or more"):
            clock.every(period, lambda: None)  # type: ignore[arg-type]
    assert clock.now == START and clock.pending() == []


def test_expiries_are_timers_on_the_one_queue() -> None:
    world = World(seed=1)
    world.add_user("anna")
    world.add_user("ben")
    account = world.sip.create_account("anna", "desk", "example.org")
    world.sip.register(account, "sip:desk", 60)
    chat = world.chat.create("anna")
    world.chat.add_member("anna", chat, "ben")
    world.chat.typing("ben", chat, 10)
    assert [due - world.now for due, _ in world.clock.pending()] == [10, 60]
    # Registering again and typing on replace the timers instead of adding ones.
    world.advance(5)
    world.sip.register(account, "sip:desk", 60)
    world.chat.typing("ben", chat, 10)
    assert [due - world.now for due, _ in world.clock.pending()] == [10, 60]
    world.advance(10)
    assert [due - world.now for due, _ in world.clock.pending()] == [50]
    world.chat.typing("ben", chat, 10)
    world.sip.unregister(account, "sip:desk")
    world.chat.typing("ben", chat, 0)
    assert world.clock.pending() == []


def test_a_registration_renewed_before_expiry_outlives_its_first_expiry() -> None:
    world = World(seed=1)
    world.add_user("anna")
    account = world.sip.create_account("anna", "desk", "example.org")
    world.sip.register(account, "sip:desk", 60)
    world.advance(50)
    world.sip.register(account, "sip:desk", 60)
    world.advance(20)  # past the first expiry
    world.sip.unregister(account, "sip:desk")  # refused if the first expiry had ended it
    world.sip.register(account, "sip:desk", 30)
    world.advance(30)
    with pytest.raises(SimulatorError, match="is not registered"):
        world.sip.unregister(account, "sip:desk")
