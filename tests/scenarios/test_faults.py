"""The fault declaration and the one mapping from a server's stream to a client's."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from scenarios.faults import (
    STATUS_EVENTS,
    STREAM_KINDS,
    ClientStream,
    Fault,
    FaultError,
    Sent,
    chance,
    parse,
)

ME = "00000000-0000-4000-8000-000000000001"
ROOM = "00000000-0000-4000-8000-0000000000aa"


def server_event(server_id: int, status: bool) -> dict[str, Any]:
    time = 1_773_734_400 + server_id
    if status:
        member = {f"m{server_id}": {"phone": f"+49{server_id}"}}
        return {
            "id": server_id,
            "event": "conference_status",
            "time": time,
            "conference": ROOM,
            "member": member,
        }
    tag = f"00000000-0000-4000-8000-{server_id:012d}"
    return {
        "id": server_id,
        "event": "tag_new",
        "time": time,
        "tag": tag,
        "owner": ME,
        "label": f"t{server_id}",
        "foreign_use": False,
        "policy": {},
    }


STREAMS = st.lists(st.booleans(), max_size=25).map(
    lambda kinds: [server_event(i, status) for i, status in enumerate(kinds)]
)
FAULTS = st.lists(
    st.one_of(
        st.builds(
            Fault,
            kind=st.sampled_from(STREAM_KINDS),
            at=st.integers(0, 25),
            size=st.integers(1, 5),
        ),
        st.builds(
            Fault,
            kind=st.sampled_from(STREAM_KINDS),
            probability=st.sampled_from([0.0, 0.2, 0.5, 1.0]),
            size=st.integers(1, 5),
        ),
    ),
    max_size=5,
)


def mapped(events: list[dict[str, Any]], faults: list[Fault], seed: int = 1) -> list[Sent]:
    stream = ClientStream(seed, "s1")
    stream.stage(faults, 0)
    stream.extend(events)
    return stream.sent


@given(events=STREAMS, faults=FAULTS, seed=st.integers(0, 3))
def test_every_server_event_is_sent_once_in_order_and_copies_follow_their_original(
    events: list[dict[str, Any]], faults: list[Fault], seed: int
) -> None:
    sent = mapped(events, faults, seed)
    originals = [item for item in sent if not item.copy]
    assert [item.server_id for item in originals] == list(range(len(events)))
    for before, item in itertools.pairwise(sent):
        if item.copy:
            assert item.server_id == before.server_id
            # A duplicate keeps the id; a re-sent status is a new one, right after.
            assert item.client_id in (before.client_id, before.client_id + 1)
            if item.client_id == before.client_id + 1:
                assert item.event["event"] in STATUS_EVENTS
    for item in sent:
        assert {**events[item.server_id], "id": item.client_id} == item.event


@given(events=STREAMS, faults=FAULTS, seed=st.integers(0, 3))
def test_ids_rise_within_a_segment_and_a_new_segment_starts_at_0_after_a_higher_id(
    events: list[dict[str, Any]], faults: list[Fault], seed: int
) -> None:
    sent = mapped(events, faults, seed)
    for before, item in itertools.pairwise(sent):
        if item.segment == before.segment:
            duplicate = item.copy and item.client_id == before.client_id
            assert duplicate or item.client_id > before.client_id
        else:
            assert item.segment == before.segment + 1
            assert (item.client_id, before.client_id > 0) == (0, True)


@given(events=STREAMS, faults=FAULTS)
def test_without_a_reset_or_a_gap_or_a_resend_the_ids_are_the_servers(
    events: list[dict[str, Any]], faults: list[Fault]
) -> None:
    plain = [fault for fault in faults if fault.kind == "duplicate"]
    assert all(item.client_id == item.server_id for item in mapped(events, plain))


def test_each_kind_at_an_event() -> None:
    events = [server_event(i, status=i == 3) for i in range(6)]

    def ids(*faults: Fault) -> list[int]:
        return [item.client_id for item in mapped(events, list(faults))]

    assert ids(Fault("duplicate", at=2)) == [0, 1, 2, 2, 3, 4, 5]
    assert ids(Fault("gap", at=2)) == [0, 1, 5, 6, 7, 8]
    assert ids(Fault("gap", at=2, size=1), Fault("gap", at=4, size=10)) == [0, 1, 3, 4, 15, 16]
    assert ids(Fault("reset", at=3)) == [0, 1, 2, 0, 1, 2]
    # The first status event at or after its id (event 3) is sent again, with the next id.
    assert ids(Fault("resend", at=1)) == [0, 1, 2, 3, 4, 5, 6]
    sent = mapped(events, [Fault("resend", at=1)])
    assert sent[4].copy and sent[4].event == {**events[3], "id": 4}
    # A restart right after id 0 would read as a duplicate: it renumbers nothing.
    assert ids(Fault("reset", at=1)) == [0, 1, 2, 3, 4, 5]
    assert ids(Fault("gap", at=2), Fault("reset", at=2)) == [0, 1, 0, 1, 2, 3]


@given(events=STREAMS, faults=FAULTS, seed=st.integers(0, 3), cuts=st.lists(st.integers(0, 25)))
def test_mapping_in_pieces_as_the_stream_grows_sends_the_same_as_at_once(
    events: list[dict[str, Any]], faults: list[Fault], seed: int, cuts: list[int]
) -> None:
    growing = ClientStream(seed, "s1")
    growing.stage(faults, 0)
    for cut in sorted(cuts):
        growing.extend(events[:cut])
    growing.extend(events)
    assert growing.sent == mapped(events, faults, seed)


@given(events=STREAMS, faults=FAULTS, seed=st.integers(0, 3))
def test_a_client_of_the_mapped_stream_holds_what_a_client_of_the_servers_holds(
    events: list[dict[str, Any]], faults: list[Fault], seed: int
) -> None:
    """Stream faults change the stream's bookkeeping, never the picture: a duplicate is
    skipped, a gap and a reset are applied, a re-sent status repeats what is known."""
    true = reducers.to_json(reducers.fold(events, me=ME))
    seen = reducers.to_json(reducers.fold([s.event for s in mapped(events, faults, seed)], me=ME))
    assert {k: v for k, v in seen.items() if k != "stream"} == {
        k: v for k, v in true.items() if k != "stream"
    }


@given(
    events=STREAMS,
    faults=FAULTS,
    seed=st.integers(0, 3),
    growth=st.lists(st.integers(0, 4), min_size=1, max_size=12),
)
def test_a_client_polling_with_its_last_id_plus_1_gets_the_whole_client_stream_once(
    events: list[dict[str, Any]], faults: list[Fault], seed: int, growth: list[int]
) -> None:
    """What serve answers (``since``) as the server's stream grows between polls, for a
    client that asks for its last id + 1, read in the latest segment it was sent."""
    stream = ClientStream(seed, "s1")
    stream.stage(faults, 0)
    received: list[Sent] = []
    next_id, segment, size = 0, 0, 0
    for grow in [*growth, len(events)]:
        size = min(len(events), size + grow)
        stream.extend(events[:size])
        answer = stream.since(next_id, segment)
        received += answer
        if answer:
            next_id, segment = answer[-1].client_id + 1, answer[-1].segment
    assert received == mapped(events, faults, seed)


def test_a_stream_fault_is_staged_only_for_an_event_to_come() -> None:
    stream = ClientStream(0, "s1")
    stream.extend([server_event(i, status=False) for i in range(3)])
    with pytest.raises(FaultError, match=r"event 2 was sent already.*the next is 3"):
        stream.stage([Fault("gap", at=2)], 3)
    stream.stage([Fault("error", at=0), Fault("gap", at=3)], 3)  # an answer may still carry 0
    assert [staged.since for staged in stream.staged] == [3, 3]


@given(
    seed=st.integers(0, 2**40),
    session=st.text(max_size=5),
    index=st.integers(0, 9),
    n=st.integers(),
)
def test_a_draw_is_in_0_1_and_the_same_each_time(
    seed: int, session: str, index: int, n: int
) -> None:
    drawn = chance(seed, session, index, n)
    assert 0 <= drawn < 1 and drawn == chance(seed, session, index, n)


def test_draws_are_spread_and_differ_by_seed_and_session() -> None:
    draws = [chance(7, "s1", 0, n) for n in range(2000)]
    assert 0.45 < sum(d < 0.5 for d in draws) / len(draws) < 0.55
    assert draws[:50] != [chance(8, "s1", 0, n) for n in range(50)]
    assert draws[:50] != [chance(7, "s2", 0, n) for n in range(50)]


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ([{"kind": "duplicat", "at": 0}], "faults[0].kind: 'duplicat' is none of"),
        ([{"kind": "rest", "at": 0}], "did you mean 'reset'"),
        ([{"kind": "error", "at": -1}], "faults[0].at: expected an event id"),
        ([{"kind": "gap", "at": 1, "probability": 0.5}], "either 'at'"),
        ([{"kind": "gap"}], "either 'at'"),
        ([{"kind": "gap", "probability": 1.5}], "probability: expected a number 0..1"),
        ([{"kind": "gap", "at": 0, "size": 0}], "size: expected a whole number 1.."),
        ([{"kind": "delay", "at": 0, "seconds": 31}], "0..30"),
        ([{"kind": "error", "at": 0, "seconds": 1}], "faults[0].seconds: only a delay"),
        ([{"kind": "reset", "at": 0, "size": 2}], "only a gap takes size"),
        ([{"kind": "gap", "at": 0, "sise": 2}], "unknown key 'sise'; did you mean 'size'"),
        ({"kind": "error"}, "expected a list"),
        (["gap"], "faults[0]: expected"),
    ],
)
def test_a_wrong_declaration_says_what_is_wrong(written: Any, says: str) -> None:
    with pytest.raises(FaultError) as raised:
        parse(written)
    assert says in str(raised.value)


def test_a_declaration_reads_back_as_written() -> None:
    written = [
        {"kind": "gap", "at": 4, "size": 2},
        {"kind": "duplicate", "probability": 0.1},
        {"kind": "delay", "probability": 0.5, "seconds": 0.25},
        {"kind": "reset", "at": 9},
    ]
    assert [fault.declared() for fault in parse(written)] == written
