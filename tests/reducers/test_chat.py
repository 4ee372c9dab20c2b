"""Chat events: membership, messages in (time, UUID) order, typing timers and read pointers."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers import chat as chat_module
from reducers.chat import Chat, Message, Participant
from reducers.timers import TimerIndex
from tests.support import ME, OTHER, THIRD, Stream

CHAT = "52a9fd3c-8aad-11e0-9138-0024e8f90cc0"
SIDE = "63b0fe4d-8aad-11e0-9138-0024e8f90cc0"
HELLO = "c1aa1566-84d7-11e2-a7a8-0024e8f90cc0"
LUNCH = "c2bb2677-84d7-11e2-a7a8-0024e8f90cc0"
LATER = "c3cc3788-84d7-11e2-a7a8-0024e8f90cc0"
CREATED = 1_362_587_184
T0 = 1_000_000


def text(user: str, time: int, words: str = "hi") -> dict[str, Any]:
    return {"user": user, "time": time, "type": "text", "text": words}


def message(fields: dict[str, Any]) -> Message:
    return msgspec.convert(fields, Message)


def chat_of(mirror: reducers.Mirror, uuid: str = CHAT) -> Chat:
    return mirror.chats[uuid]


def created() -> Stream:
    stream = Stream(start_time=T0)
    stream.add("chat_new", chat=CHAT, create_time=CREATED, time=T0)
    return stream


def typing(mirror: reducers.Mirror, uuid: str = CHAT) -> dict[str, int]:
    chat = mirror.chats.get(uuid)
    users = chat.user.items() if chat is not None else ()
    return {user: p.typing for user, p in users if p.typing is not None}


def rebuilt_timers(mirror: reducers.Mirror) -> TimerIndex:
    return TimerIndex(chat_module.pending_timers(mirror.chats))


# --- chat_new ---------------------------------------------------------------------------------


def test_chat_new_creates_the_chat_with_me_as_the_only_member() -> None:
    assert chat_of(created().fold()) == Chat(create_time=CREATED, member=frozenset({ME}))


# --- chat_message: messages -------------------------------------------------------------------


def test_messages_are_kept_by_uuid_with_optional_fields_present_or_absent() -> None:
    stream = created()
    stream.add(
        "chat_message",
        chat=CHAT,
        message={HELLO: text(ME, 10, "what's for lunch today?"), LUNCH: {**text(OTHER, 11)}},
    )
    bare = {"user": OTHER, "time": 12, "type": "ping"}
    stream.add("chat_message", chat=CHAT, message={LATER: bare})
    mirror = stream.fold()
    result = chat_of(mirror)
    assert dict(result.message) == {
        HELLO: message(text(ME, 10, "what's for lunch today?")),
        LUNCH: message(text(OTHER, 11)),
        LATER: message(bare),
    }
    assert (result.message[LATER].text, result.message[LATER].member) == (None, None)
    assert reducers.to_json(mirror)["chats"][CHAT]["message"][LATER] == bare
    # Messages alone change neither membership nor what chat_new told.
    assert (result.member, result.create_time, result.description) == (
        frozenset({ME}),
        CREATED,
        None,
    )


def test_ordered_gives_time_then_uuid_order_across_events() -> None:
    stream = created()
    stream.add("chat_message", chat=CHAT, message={LATER: text(ME, 20), LUNCH: text(OTHER, 5)})
    stream.add("chat_message", chat=CHAT, message={HELLO: text(OTHER, 20)})
    ordered = chat_of(stream.fold()).ordered()
    assert [uuid for uuid, _ in ordered] == [LUNCH, HELLO, LATER]
    assert ordered[0][1] == message(text(OTHER, 5))


def test_a_message_sent_again_under_its_uuid_replaces_the_first() -> None:
    stream = created()
    stream.add("chat_message", chat=CHAT, message={HELLO: text(ME, 10, "first")})
    stream.add("chat_message", chat=CHAT, message={HELLO: text(ME, 10, "second")})
    result = chat_of(stream.fold())
    assert dict(result.message) == {HELLO: message(text(ME, 10, "second"))}


@pytest.mark.parametrize("description", ["Lunch crew", None])
def test_chat_message_for_an_unseen_chat_creates_it(description: str | None) -> None:
    stream = Stream()
    optional: dict[str, Any] = {} if description is None else {"description": description}
    stream.add("chat_message", chat=CHAT, message={HELLO: text(OTHER, 10)}, **optional)
    result = chat_of(stream.fold())
    assert (result.create_time, result.description) == (None, description)
    assert list(result.message) == [HELLO]


# --- chat_message: add and leave --------------------------------------------------------------


def added(user: str, by: str = OTHER, time: int = 30) -> dict[str, Any]:
    return {"user": by, "time": time, "type": "add", "member": user}


def left(user: str, time: int = 40) -> dict[str, Any]:
    return {"user": user, "time": time, "type": "leave"}


@pytest.mark.parametrize("description", ["Lunch crew", None])
def test_being_added_creates_the_chat_with_its_create_time_and_description(
    description: str | None,
) -> None:
    stream = Stream()
    optional: dict[str, Any] = {} if description is None else {"description": description}
    stream.add(
        "chat_message", chat=CHAT, message={HELLO: added(ME)}, create_time=CREATED, **optional
    )
    result = chat_of(stream.fold())
    assert (result.create_time, result.description, result.member) == (
        CREATED,
        description,
        frozenset({ME}),
    )
    assert dict(result.message) == {HELLO: message(added(ME))}


def test_add_of_another_user_adds_the_member_and_keeps_the_chat() -> None:
    stream = created()
    stream.add("chat_message", chat=CHAT, message={HELLO: added(OTHER, by=ME)})
    stream.add("chat_message", chat=CHAT, message={LUNCH: added(THIRD, by=ME)})
    result = chat_of(stream.fold())
    assert result.member == {ME, OTHER, THIRD}
    assert result.create_time == CREATED


def test_leave_of_another_user_removes_only_that_member() -> None:
    stream = created()
    stream.add("chat_message", chat=CHAT, message={HELLO: added(OTHER, by=ME)})
    stream.add("chat_message", chat=CHAT, message={LUNCH: left(OTHER)})
    result = chat_of(stream.fold())
    assert result.member == {ME}
    assert set(result.message) == {HELLO, LUNCH}


def test_when_i_leave_the_chat_leaves_the_mirror_with_its_timers() -> None:
    stream = created()
    stream.add("chat_new", chat=SIDE, create_time=CREATED)
    stream.add("chat_user", chat=CHAT, user={OTHER: {"typing": 30}, ME: {"typing": 20}})
    stream.add("chat_user", chat=SIDE, user={OTHER: {"typing": 50}})
    stream.add("chat_message", chat=CHAT, message={HELLO: left(ME)})
    mirror = stream.fold()
    assert set(mirror.chats) == {SIDE}
    assert mirror.timers == rebuilt_timers(mirror) and len(mirror.timers) == 1
    # The left chat's timers are gone, so expiring them later cannot bring it back.
    assert set(reducers.advance(mirror, T0 + 1_000).chats) == {SIDE}


def test_being_added_again_after_leaving_starts_a_fresh_chat() -> None:
    stream = created()
    stream.add("chat_message", chat=CHAT, message={HELLO: text(ME, 10)})
    stream.add("chat_message", chat=CHAT, message={LUNCH: left(ME)})
    stream.add("chat_message", chat=CHAT, message={LATER: added(ME)}, create_time=CREATED)
    result = chat_of(stream.fold())
    assert list(result.message) == [LATER] and result.member == {ME}


# --- chat_user: typing timers -----------------------------------------------------------------


def test_typing_n_is_active_until_event_time_plus_n() -> None:
    stream = created()
    event = stream.add("chat_user", chat=CHAT, user={OTHER: {"typing": 10}})
    mirror = stream.fold()
    until = event["time"] + 10
    assert typing(mirror) == {OTHER: until}
    assert list(mirror.timers) == [(until, "chats", CHAT, OTHER, "typing")]
    assert reducers.to_json(mirror)["chats"][CHAT]["user"] == {OTHER: {"typing": until}}


def test_typing_ends_when_a_later_event_reaches_the_expiry() -> None:
    stream = created()
    event = stream.add("chat_user", chat=CHAT, user={OTHER: {"typing": 10}})
    until = event["time"] + 10
    stream.add("chat_new", chat=SIDE, create_time=CREATED, time=until - 1)
    assert typing(stream.fold()) == {OTHER: until}
    stream.add("chat_new", chat=SIDE, create_time=CREATED, time=until)
    mirror = stream.fold()
    assert typing(mirror) == {} and len(mirror.timers) == 0
    assert OTHER not in chat_of(mirror).user  # nothing stale is left for the participant


def test_typing_ends_when_advance_reaches_the_expiry() -> None:
    stream = created()
    event = stream.add("chat_user", chat=CHAT, user={OTHER: {"typing": 10}, ME: {"typing": 5}})
    mirror = stream.fold()
    until = event["time"] + 10
    assert typing(reducers.advance(mirror, until - 1)) == {OTHER: until}
    advanced = reducers.advance(mirror, until)
    assert typing(advanced) == {} and len(advanced.timers) == 0
    assert advanced.now == until


def test_typing_zero_is_inactive_now() -> None:
    stream = created()
    stream.add("chat_user", chat=CHAT, user={OTHER: {"typing": 10}, ME: {"typing": 10}})
    stream.add("chat_user", chat=CHAT, user={OTHER: {"typing": 0}})
    mirror = stream.fold()
    assert set(typing(mirror)) == {ME}
    assert mirror.timers == rebuilt_timers(mirror) and len(mirror.timers) == 1


@pytest.mark.parametrize(("seconds", "active"), [(10, False), (11, True)])
def test_a_timer_stamped_before_now_counts_from_its_event_time(seconds: int, active: bool) -> None:
    mirror = reducers.advance(created().fold(), T0 + 100)
    late = {"id": 1, "event": "chat_user", "time": T0 + 90, "chat": CHAT}
    mirror = reducers.apply(mirror, {**late, "user": {OTHER: {"typing": seconds}}})
    assert typing(mirror) == ({OTHER: T0 + 90 + seconds} if active else {})
    assert mirror.timers == rebuilt_timers(mirror)


def test_a_new_timer_replaces_the_old_one() -> None:
    stream = created()
    stream.add("chat_user", chat=CHAT, user={OTHER: {"typing": 30}})
    event = stream.add("chat_user", chat=CHAT, user={OTHER: {"typing": 5}})
    mirror = stream.fold()
    until = event["time"] + 5
    assert list(mirror.timers) == [(until, "chats", CHAT, OTHER, "typing")]
    assert typing(reducers.advance(mirror, until)) == {}


def test_chat_user_for_an_unseen_chat_creates_it() -> None:
    stream = Stream(start_time=T0)
    stream.add("chat_user", chat=CHAT, user={OTHER: {"typing": 10}}, time=T0)
    result = chat_of(stream.fold())
    assert (result.create_time, result.member, len(result.message)) == (None, frozenset(), 0)
    assert dict(result.user) == {OTHER: Participant(typing=T0 + 10)}


# --- chat_user: read pointers -----------------------------------------------------------------


def test_message_read_moves_the_pointer_and_absent_fields_keep_their_state() -> None:
    stream = created()
    stream.add("chat_user", chat=CHAT, user={OTHER: {"message_read": HELLO}})
    event = stream.add("chat_user", chat=CHAT, user={OTHER: {"typing": 10}})
    stream.add("chat_user", chat=CHAT, user={OTHER: {"message_read": LUNCH}})
    mirror = stream.fold()
    assert chat_of(mirror).user[OTHER] == Participant(typing=event["time"] + 10, message_read=LUNCH)
    # When typing ends the read pointer stays.
    expired = reducers.advance(mirror, event["time"] + 10)
    assert chat_of(expired).user[OTHER] == Participant(message_read=LUNCH)


def test_chat_user_with_no_state_changes_nothing() -> None:
    stream = created()
    stream.add("chat_user", chat=CHAT, user={OTHER: {"message_read": HELLO, "typing": 10}})
    before = stream.fold()
    stream.add("chat_user", chat=CHAT, user={OTHER: {}})
    mirror = stream.fold()
    assert chat_of(mirror) == chat_of(before) and mirror.timers == before.timers


# --- JSON form and timers ---------------------------------------------------------------------


def test_a_loaded_mirror_has_the_same_timers_and_expires_the_same_way() -> None:
    stream = created()
    stream.add("chat_message", chat=CHAT, message={HELLO: text(ME, 10)}, description="d")
    stream.add("chat_user", chat=CHAT, user={OTHER: {"typing": 10, "message_read": HELLO}})
    stream.add("chat_user", chat=CHAT, user={ME: {"typing": 20}})
    mirror = stream.fold()
    loaded = reducers.loads(reducers.dumps(mirror))
    assert loaded == mirror and loaded.timers == mirror.timers
    for later in (T0 + 5, T0 + 12, T0 + 13, T0 + 30):
        assert reducers.advance(loaded, later) == reducers.advance(mirror, later)
    assert reducers.to_json(mirror)["chats"][CHAT] == {
        "create_time": CREATED,
        "description": "d",
        "member": [ME],
        "message": {HELLO: text(ME, 10)},
        "user": {OTHER: {"typing": T0 + 12, "message_read": HELLO}, ME: {"typing": T0 + 23}},
    }


# --- properties -------------------------------------------------------------------------------

USERS = (ME, OTHER, THIRD)
STEPS = st.lists(
    st.tuples(
        st.sampled_from(("typing", "typing", "read", "advance")),
        st.sampled_from(USERS),
        st.integers(0, 20),
        st.integers(0, 12),
    ),
    max_size=30,
)


@given(STEPS)
def test_active_typing_states_follow_a_simple_model(
    steps: list[tuple[str, str, int, int]],
) -> None:
    mirror = reducers.empty(ME)
    expiry: dict[str, int] = {}
    read: dict[str, str] = {}
    time = now = T0
    next_id = 0
    for kind, user, value, pause in steps:
        time += pause
        if kind == "advance":
            # Advancing may run ahead of the next events' own times.
            now = max(now, time + value)
            mirror = reducers.advance(mirror, time + value)
        else:
            now = max(now, time)
            if kind == "typing":
                state: dict[str, Any] = {"typing": value}
                expiry[user] = time + value
            else:
                state = {"message_read": f"m{value}"}
                read[user] = f"m{value}"
            event = {"id": next_id, "event": "chat_user", "time": time, "chat": CHAT}
            mirror = reducers.apply(mirror, {**event, "user": {user: state}}, strict=True)
            next_id += 1
        assert typing(mirror) == {u: e for u, e in expiry.items() if e > now}
        assert mirror.timers == rebuilt_timers(mirror)
        chat = mirror.chats.get(CHAT)
        participants = chat.user.items() if chat is not None else ()
        assert {u: p.message_read for u, p in participants if p.message_read} == read
    loaded = reducers.loads(reducers.dumps(mirror))
    assert loaded == mirror
    assert reducers.advance(loaded, now + 30) == reducers.advance(mirror, now + 30)
    assert len(reducers.advance(mirror, now + 30).timers) == 0


MESSAGE_IDS = st.sampled_from((HELLO, LUNCH, LATER, "c4dd4899-84d7-11e2-a7a8-0024e8f90cc0"))
BATCHES = st.lists(
    st.dictionaries(MESSAGE_IDS, st.integers(0, 5), min_size=1, max_size=3),
    min_size=1,
    max_size=6,
)


@given(BATCHES)
def test_ordered_is_always_time_then_uuid(batches: list[dict[str, int]]) -> None:
    stream = created()
    latest: dict[str, int] = {}
    for batch in batches:
        stream.add("chat_message", chat=CHAT, message={u: text(OTHER, t) for u, t in batch.items()})
        latest.update(batch)
    ordered = chat_of(stream.fold()).ordered()
    assert [(m.time, u) for u, m in ordered] == sorted((t, u) for u, t in latest.items())
