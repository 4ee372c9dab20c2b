"""Chats on the simulated server: who is told what, refusals, the knowledge horizon, timers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from simulator import SimulatorError, World
from simulator._core import Session
from tests.support import assert_same_state, fold_all, seed_from_view


def world_with_sessions() -> tuple[World, dict[str, Session]]:
    world = World(seed=1)
    sessions = {}
    for name in ("anna", "ben", "carl"):
        world.add_user(name)
        sessions[name] = world.open_session(name)
    return world, sessions


def kinds(session: Session) -> list[str]:
    return [event["event"] for event in session.events]


def assert_mirrors(world: World, sessions: dict[str, Session]) -> None:
    for session in sessions.values():
        folded = fold_all(session.events, me=session.user)
        assert_same_state(folded, world.view(session), world.now, session.id)


def chat_view(world: World, session: Session, chat: str) -> dict[str, Any]:
    told: dict[str, Any] = world.view(session)["chats"][chat]
    return told


def refused(world: World, command: Callable[[], Any]) -> None:
    before = ({s.id: len(s.events) for s in world.sessions.values()}, world.change)
    with pytest.raises(SimulatorError):
        command()
    assert ({s.id: len(s.events) for s in world.sessions.values()}, world.change) == before


def test_create_tells_only_the_creator() -> None:
    world, s = world_with_sessions()
    chat = world.chat.create("anna", "lunch")
    assert s["anna"].events[-1] == {
        "event": "chat_new",
        "id": 0,
        "time": world.now,
        "chat": chat,
        "create_time": world.now,
    }
    assert kinds(s["ben"]) == [] and kinds(s["carl"]) == []
    view = chat_view(world, s["anna"], chat)
    # chat_new carries no description: the creator's mirror does not know it.
    assert view["member"] == [world.user_id("anna")] and "description" not in view
    assert_mirrors(world, s)


def test_add_reaches_everyone_and_carries_the_header_for_the_added_user() -> None:
    world, s = world_with_sessions()
    chat = world.chat.create("anna", "lunch")
    world.advance(5)
    message = world.chat.add_member("anna", chat, "ben")
    anna, ben = world.user_id("anna"), world.user_id("ben")
    told_anna, told_ben = s["anna"].events[-1], s["ben"].events[-1]
    body = {message: {"user": anna, "time": world.now, "type": "add", "member": ben}}
    assert told_anna["message"] == body and told_ben["message"] == body
    assert "create_time" not in told_anna
    assert told_ben["create_time"] == world.now - 5 and told_ben["description"] == "lunch"
    assert kinds(s["carl"]) == []
    assert chat_view(world, s["ben"], chat)["member"] == [ben]
    assert chat_view(world, s["anna"], chat)["member"] == sorted([anna, ben])
    assert_mirrors(world, s)


def test_a_late_member_knows_only_what_came_from_her_add_on() -> None:
    world, s = world_with_sessions()
    chat = world.chat.create("anna")
    ben_added = world.chat.add_member("anna", chat, "ben")
    early = world.chat.message("ben", chat, "before carl")
    world.chat.typing("ben", chat, 30)
    world.chat.read("anna", chat, early)
    added = world.chat.add_member("ben", chat, "carl")
    late = world.chat.message("anna", chat, "hi carl")
    carl = chat_view(world, s["carl"], chat)
    assert set(carl["message"]) == {added, late}
    assert carl["member"] == [world.user_id("carl")]
    assert carl["user"] == {} and "description" not in carl
    anna = chat_view(world, s["anna"], chat)
    assert set(anna["message"]) == {ben_added, early, added, late}
    assert anna["user"][world.user_id("ben")]["typing"] == world.now + 30
    assert_mirrors(world, s)


def test_leave_is_the_leavers_last_event_and_drops_the_chat_from_her_view() -> None:
    world, s = world_with_sessions()
    chat = world.chat.create("anna")
    world.chat.add_member("anna", chat, "ben")
    world.chat.typing("ben", chat, 20)
    message = world.chat.leave("ben", chat)
    ben = world.user_id("ben")
    assert s["ben"].events[-1]["message"][message] == {
        "user": ben,
        "time": world.now,
        "type": "leave",
    }
    assert s["anna"].events[-1] == {**s["ben"].events[-1], "id": s["anna"].events[-1]["id"]}
    assert chat not in world.view(s["ben"])["chats"]
    anna_view = chat_view(world, s["anna"], chat)
    assert anna_view["member"] == [world.user_id("anna")]
    # Her typing state stays in the others' mirrors until it runs out.
    assert ben in anna_view["user"]
    world.chat.message("anna", chat, "alone")
    assert s["ben"].events[-1]["message"][message]["type"] == "leave"
    assert_mirrors(world, s)


def test_the_last_leave_removes_the_chat() -> None:
    world, s = world_with_sessions()
    chat = world.chat.create("anna")
    world.chat.leave("anna", chat)
    assert chat not in world.chat.chats
    refused(world, lambda: world.chat.message("anna", chat, "x"))
    assert_mirrors(world, s)


def test_rejoining_starts_a_fresh_horizon() -> None:
    world, s = world_with_sessions()
    chat = world.chat.create("anna", "d")
    world.chat.add_member("anna", chat, "ben")
    world.chat.message("ben", chat, "one")
    world.chat.leave("ben", chat)
    world.chat.message("anna", chat, "two")
    again = world.chat.add_member("anna", chat, "ben")
    view = chat_view(world, s["ben"], chat)
    assert set(view["message"]) == {again} and view["description"] == "d"
    assert_mirrors(world, s)


def test_typing_is_shown_until_its_expiry_and_zero_ends_it() -> None:
    world, s = world_with_sessions()
    chat = world.chat.create("anna")
    world.chat.add_member("anna", chat, "ben")
    world.chat.typing("ben", chat, 10)
    assert s["anna"].events[-1]["user"] == {world.user_id("ben"): {"typing": 10}}
    expiry = world.now + 10
    ben = world.user_id("ben")
    world.advance(9)
    assert chat_view(world, s["anna"], chat)["user"][ben] == {"typing": expiry}
    assert_mirrors(world, s)
    world.advance(1)
    assert ben not in chat_view(world, s["anna"], chat)["user"]
    assert_mirrors(world, s)
    world.chat.typing("ben", chat, 10)
    world.chat.typing("ben", chat, 0)
    assert s["ben"].events[-1]["user"] == {ben: {"typing": 0}}
    assert ben not in chat_view(world, s["ben"], chat)["user"]
    assert_mirrors(world, s)


def test_read_pointer_reaches_every_member() -> None:
    world, s = world_with_sessions()
    chat = world.chat.create("anna")
    world.chat.add_member("anna", chat, "ben")
    message = world.chat.message("anna", chat, "hi")
    world.chat.read("ben", chat, message)
    ben = world.user_id("ben")
    for name in ("anna", "ben"):
        assert s[name].events[-1]["user"] == {ben: {"message_read": message}}
        assert chat_view(world, s[name], chat)["user"][ben] == {"message_read": message}
    assert_mirrors(world, s)


def test_invalid_commands_are_refused_and_change_nothing() -> None:
    world, s = world_with_sessions()
    chat = world.chat.create("anna")
    world.chat.add_member("anna", chat, "ben")
    first = world.chat.message("anna", chat, "hi")
    world.chat.read("ben", chat, first)
    world.chat.typing("ben", chat, 10)
    refused(world, lambda: world.chat.create("nobody"))
    refused(world, lambda: world.chat.add_member("carl", chat, "carl"))
    refused(world, lambda: world.chat.add_member("anna", chat, "ben"))
    refused(world, lambda: world.chat.add_member("anna", "no-such-chat", "carl"))
    refused(world, lambda: world.chat.message("carl", chat, "let me in"))
    refused(world, lambda: world.chat.leave("carl", chat))
    refused(world, lambda: world.chat.typing("carl", chat, 5))
    refused(world, lambda: world.chat.typing("anna", chat, -1))
    refused(world, lambda: world.chat.typing("anna", chat, 0))
    refused(world, lambda: world.chat.typing("ben", chat, 10))
    refused(world, lambda: world.chat.set_state("anna", chat, "dancing", 5))
    refused(world, lambda: world.chat.read("ben", chat, first))
    refused(world, lambda: world.chat.read("ben", chat, "no-such-message"))
    world.chat.add_member("anna", chat, "carl")
    # Carl was never told of the first message, so he cannot have read it.
    refused(world, lambda: world.chat.read("carl", chat, first))
    assert_mirrors(world, s)


def test_a_state_a_late_member_never_saw_may_be_repeated() -> None:
    world, s = world_with_sessions()
    chat = world.chat.create("anna")
    world.chat.typing("anna", chat, 10)
    world.chat.add_member("anna", chat, "ben")
    # Same expiry for anna's sessions, but ben learns it only now.
    world.chat.typing("anna", chat, 10)
    assert s["ben"].events[-1]["event"] == "chat_user"
    assert_mirrors(world, s)


commands = st.lists(
    st.tuples(
        st.sampled_from(["add", "message", "leave", "typing", "read", "wait"]),
        st.sampled_from(["anna", "ben", "carl"]),
        st.sampled_from(["anna", "ben", "carl"]),
        st.integers(0, 15),
    ),
    max_size=30,
)


@given(commands)
def test_folding_the_delivered_events_gives_the_view(
    steps: list[tuple[str, str, str, int]],
) -> None:
    world, s = world_with_sessions()
    chat = world.chat.create("anna", "topic")
    messages: list[str] = []
    for command, who, other, number in steps:
        try:
            if command == "add":
                messages.append(world.chat.add_member(who, chat, other))
            elif command == "message":
                messages.append(world.chat.message(who, chat, "text"))
            elif command == "leave":
                messages.append(world.chat.leave(who, chat))
            elif command == "typing":
                world.chat.typing(who, chat, number)
            elif command == "read" and messages:
                world.chat.read(who, chat, messages[number % len(messages)])
            else:
                world.advance(number)
        except SimulatorError:
            pass
        assert_mirrors(world, s)


def test_a_view_seeding_a_new_session_lets_typing_run_out() -> None:
    world, _ = world_with_sessions()
    chat = world.chat.create("anna")
    world.chat.typing("anna", chat, 5)
    late = world.open_session("anna")
    seed = seed_from_view(world.view(late), late.user, world.now)
    assert len(seed.chats[chat].user) == 1
    world.advance(5)
    assert len(reducers.advance(seed, world.now).chats[chat].user) == 0
