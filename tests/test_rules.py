"""eventmirror.rules: the rules the reducers and the simulator share, for every input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventmirror import rules

users = st.sampled_from(["anna", "ben", "carl", "dora"])
levels = st.integers(0, 4)
policies = st.dictionaries(users, levels)
tags = st.sampled_from(["t1", "t2", "t3", "t4", "t5"])
tag_lists = st.lists(tags, max_size=5)
times = st.integers(0, 2**40)
texts = st.text(max_size=8)


# -- access levels -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "read", "write", "propagate"),
    [
        (0, False, False, False),
        (1, True, False, False),
        (2, True, True, False),
        (3, True, True, True),
        (4, True, True, True),
    ],
)
def test_each_level_grants_what_the_reference_says(
    level: int, read: bool, write: bool, propagate: bool
) -> None:
    assert (rules.can_read(level), rules.can_write(level), rules.can_propagate(level)) == (
        read,
        write,
        propagate,
    )


@pytest.mark.parametrize("value", [0, 1, 4])
def test_access_levels_are_the_integers_0_to_4(value: int) -> None:
    assert rules.is_access_level(value)


@pytest.mark.parametrize("value", [-1, 5, True, False, 1.0, "1", None])
def test_anything_else_is_no_access_level(value: object) -> None:
    assert not rules.is_access_level(value)


@given(policy=policies)
def test_granted_drops_exactly_the_level_0_entries(policy: dict[str, int]) -> None:
    kept = rules.granted(policy)
    assert kept == {user: level for user, level in policy.items() if level > 0}
    assert all(rules.can_read(level) for level in kept.values())


@given(policy=policies, user=users)
def test_access_is_removed_only_by_an_explicit_0(policy: dict[str, int], user: str) -> None:
    assert rules.access_removed(policy, user) == (policy.get(user) == 0)


@given(policy=policies.map(rules.granted), removed=st.sets(users))
def test_an_announced_policy_removes_the_lost_users_and_keeps_who_holds_access(
    policy: dict[str, int], removed: set[str]
) -> None:
    lost = removed - policy.keys()
    sent = rules.announced_policy(policy, lost)
    # What a mirror folds from it: exactly the holders, and every lost user's access removed.
    assert rules.granted(sent) == policy
    assert all(rules.access_removed(sent, user) for user in lost)
    assert list(sent)[len(policy) :] == sorted(lost)


# -- timed states --------------------------------------------------------------------------


@given(expiry=times, now=times)
def test_a_state_is_active_exactly_before_its_expiry(expiry: int, now: int) -> None:
    assert rules.is_active(expiry, now) == (now < expiry)


@given(time=times, seconds=st.integers(1, 2**20))
def test_a_chat_timer_of_n_seconds_lasts_n_seconds(time: int, seconds: int) -> None:
    expiry = rules.chat_state_expiry(time, seconds)
    assert expiry == time + seconds
    assert rules.is_active(expiry, time + seconds - 1)
    assert not rules.is_active(expiry, time + seconds)


@given(time=times)
def test_a_chat_timer_of_0_ends_the_state_now(time: int) -> None:
    assert rules.chat_state_expiry(time, 0) is None


def test_typing_is_the_only_timed_chat_state() -> None:
    assert rules.CHAT_TIMED_STATES == ("typing",)


# -- empty means cleared -------------------------------------------------------------------


@given(old=st.none() | texts, sent=st.none() | texts)
def test_a_call_text_after_an_update(old: str | None, sent: str | None) -> None:
    after = rules.call_field_after(old, sent)
    if sent is None:
        assert after == old
    elif sent == "":
        assert after is None
    else:
        assert after == sent


@given(sent=texts | st.integers(0, 2**31))
def test_a_sent_value_as_the_call_holds_it(sent: str | int) -> None:
    assert rules.call_value(sent) == (None if sent == "" else sent)


def test_current_control_and_bridge_are_cleared_by_an_empty_text() -> None:
    assert rules.CALL_CLEARED_BY_EMPTY == ("current_control", "bridge")


# -- keys ------------------------------------------------------------------------------------


def test_keys_of_entities_without_a_uuid() -> None:
    assert rules.invitation_key("o", "u") == "o -> u"
    assert rules.callreverse_key("+4989", "+49221") == "+4989 -> +49221"
    assert rules.sip_account_key("joe_01", "cospace.de") == "joe_01@cospace.de"


parts = st.text(min_size=1, max_size=6).filter(rules.is_sip_account_part)


@given(a=st.tuples(parts, parts), b=st.tuples(parts, parts))
def test_valid_sip_accounts_have_distinct_keys(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert (rules.sip_account_key(*a) == rules.sip_account_key(*b)) == (a == b)


@pytest.mark.parametrize("part", ["", "a@b", "@"])
def test_an_empty_part_or_one_with_an_at_is_no_sip_account_part(part: str) -> None:
    assert not rules.is_sip_account_part(part)


# -- object tag lists ----------------------------------------------------------------------


@given(current=tag_lists, add=tag_lists, delete=tag_lists)
def test_a_tag_change_always_agrees_with_its_full_list(
    current: list[str], add: list[str], delete: list[str]
) -> None:
    change = rules.tag_change(current, add, delete)
    assert rules.tag_change_disagreement(*change) is None
    carried = set(current)
    assert set(change.tag) == (carried - set(delete)) | (set(add) - carried)
    for listed in change:
        assert len(listed) == len(set(listed)), "a tag listed twice"
    assert not set(change.tag_add) & carried and set(change.tag_delete) <= carried


@given(current=tag_lists, add=tag_lists, delete=tag_lists)
def test_a_tag_change_keeps_the_carried_tags_in_order_then_the_new_ones(
    current: list[str], add: list[str], delete: list[str]
) -> None:
    change = rules.tag_change(current, add, delete)
    kept = [t for t in dict.fromkeys(current) if t not in change.tag_delete]
    assert change.tag == kept + change.tag_add


def test_tag_add_missing_or_tag_delete_present_is_a_disagreement() -> None:
    assert rules.tag_change_disagreement(["a"], ["a"], ["b"]) is None
    assert rules.tag_change_disagreement(["a"], ["b"], None) == "tag_add ['b'] not in tag"
    assert rules.tag_change_disagreement(["a"], None, ["a"]) == "tag_delete ['a'] still in tag"
    assert rules.tag_change_disagreement([], ["x"], []) == "tag_add ['x'] not in tag"
    assert rules.tag_change_disagreement(["a", "b"], ["c"], ["b"]) == (
        "tag_add ['c'] not in tag; tag_delete ['b'] still in tag"
    )


@given(tag=tag_lists, add=st.none() | tag_lists, delete=st.none() | tag_lists)
def test_a_disagreement_is_reported_exactly_when_the_lists_disagree(
    tag: list[str], add: list[str] | None, delete: list[str] | None
) -> None:
    agree = set(add or ()) <= set(tag) and not set(delete or ()) & set(tag)
    assert (rules.tag_change_disagreement(tag, add, delete) is None) == agree
