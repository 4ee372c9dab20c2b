"""SIP events: accounts keyed user@domain, registrations by contact with an absolute expiry."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from reducers import sip
from reducers.sip import Registration, SipAccount
from reducers.timers import TimerIndex
from tests.support import Stream

USER, DOMAIN = "joe_01", "cospace.de"
ACCOUNT = "joe_01@cospace.de"
DESK = "212.202.0.32:5060"
PHONE = "10.0.0.7"
T0 = 1_000_000


def account(mirror: reducers.Mirror, key: str = ACCOUNT) -> SipAccount:
    return mirror.sip[key]


def registered(contacts: dict[str, int]) -> Stream:
    """An account with a registration per contact, each until its given absolute time."""
    stream = Stream(start_time=T0)
    stream.add("sip_new", user=USER, domain=DOMAIN, time=T0)
    for contact, expire in contacts.items():
        stream.add("sip_register", user=USER, domain=DOMAIN, contact=contact, expire=expire)
    return stream


def expiries(mirror: reducers.Mirror, key: str = ACCOUNT) -> dict[str, int]:
    return {c: r.expire for c, r in account(mirror, key).registrations.items()}


def rebuilt_timers(mirror: reducers.Mirror) -> TimerIndex:
    return TimerIndex(sip.pending_timers(mirror.sip))


# --- accounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("description", ["office phone", None])
def test_sip_new_creates_the_account_keyed_user_at_domain(description: str | None) -> None:
    stream = Stream()
    optional: dict[str, Any] = {} if description is None else {"description": description}
    stream.add("sip_new", user=USER, domain=DOMAIN, **optional)
    mirror = stream.fold()
    assert dict(mirror.sip) == {ACCOUNT: SipAccount(USER, DOMAIN, description)}


def test_one_user_part_in_two_domains_is_two_accounts() -> None:
    stream = Stream()
    stream.add("sip_new", user=USER, domain=DOMAIN, description="a")
    stream.add("sip_new", user=USER, domain="example.org", description="b")
    stream.add("sip_modify", user=USER, domain="example.org", description="c")
    mirror = stream.fold()
    assert {key: a.description for key, a in mirror.sip.items()} == {
        ACCOUNT: "a",
        "joe_01@example.org": "c",
    }


def test_sip_modify_with_a_description_changes_it_and_without_keeps_it() -> None:
    stream = registered({DESK: T0 + 100})
    stream.add("sip_modify", user=USER, domain=DOMAIN, description="softclient smartphone")
    changed = account(stream.fold())
    stream.add("sip_modify", user=USER, domain=DOMAIN)
    kept = account(stream.fold())
    assert changed.description == "softclient smartphone"
    assert kept == changed
    assert dict(kept.registrations) == {DESK: Registration(T0 + 100)}


@pytest.mark.parametrize("description", ["softclient", None])
def test_sip_modify_of_an_unseen_account_creates_it(description: str | None) -> None:
    stream = Stream()
    optional: dict[str, Any] = {} if description is None else {"description": description}
    stream.add("sip_modify", user=USER, domain=DOMAIN, **optional)
    assert account(stream.fold()) == SipAccount(USER, DOMAIN, description)


def test_sip_delete_removes_the_account_and_its_timers() -> None:
    stream = registered({DESK: T0 + 100, PHONE: T0 + 50})
    stream.add("sip_new", user=USER, domain="example.org")
    stream.add("sip_delete", user=USER, domain=DOMAIN)
    mirror = stream.fold()
    assert set(mirror.sip) == {"joe_01@example.org"}
    assert len(mirror.timers) == 0


def test_sip_delete_of_an_unseen_account_changes_nothing() -> None:
    stream = registered({DESK: T0 + 100})
    before = stream.fold()
    stream.add("sip_delete", user=USER, domain="example.org")
    mirror = stream.fold()
    assert mirror.same_state(before) and mirror.timers == before.timers


def test_a_deleted_accounts_old_expiry_does_not_touch_a_new_account() -> None:
    stream = registered({DESK: T0 + 100})
    stream.add("sip_delete", user=USER, domain=DOMAIN)
    stream.add("sip_new", user=USER, domain=DOMAIN)
    stream.add("sip_register", user=USER, domain=DOMAIN, contact=PHONE, expire=T0 + 500)
    mirror = reducers.advance(stream.fold(), T0 + 200)
    assert expiries(mirror) == {PHONE: T0 + 500}
    assert mirror.timers == rebuilt_timers(mirror)


# --- registrations ----------------------------------------------------------------------------


def test_registrations_are_keyed_by_contact_with_an_absolute_expiry() -> None:
    mirror = registered({DESK: T0 + 100, PHONE: T0 + 50}).fold()
    assert expiries(mirror) == {DESK: T0 + 100, PHONE: T0 + 50}
    assert list(mirror.timers) == [
        (T0 + 50, "sip", ACCOUNT, PHONE, ""),
        (T0 + 100, "sip", ACCOUNT, DESK, ""),
    ]
    assert reducers.to_json(mirror)["sip"][ACCOUNT] == {
        "user": USER,
        "domain": DOMAIN,
        "registrations": {DESK: {"expire": T0 + 100}, PHONE: {"expire": T0 + 50}},
    }


def test_registering_again_replaces_the_expiry_and_its_timer() -> None:
    stream = registered({DESK: T0 + 100})
    stream.add("sip_register", user=USER, domain=DOMAIN, contact=DESK, expire=T0 + 30)
    mirror = stream.fold()
    assert expiries(mirror) == {DESK: T0 + 30}
    assert list(mirror.timers) == [(T0 + 30, "sip", ACCOUNT, DESK, "")]
    # The earlier, longer expiry is forgotten: the registration ends at the new one.
    assert expiries(reducers.advance(mirror, T0 + 30)) == {}


def test_a_register_on_an_unseen_account_creates_it() -> None:
    stream = Stream(start_time=T0)
    stream.add("sip_register", user=USER, domain=DOMAIN, contact=DESK, expire=T0 + 60)
    found = account(stream.fold())
    assert (found.user, found.domain, found.description) == (USER, DOMAIN, None)
    assert dict(found.registrations) == {DESK: Registration(T0 + 60)}


def test_a_registration_is_active_until_a_later_event_reaches_its_expiry() -> None:
    stream = registered({DESK: T0 + 100, PHONE: T0 + 200})
    stream.add("sip_modify", user=USER, domain=DOMAIN, time=T0 + 99)
    assert set(expiries(stream.fold())) == {DESK, PHONE}
    stream.add("sip_modify", user=USER, domain=DOMAIN, time=T0 + 100)
    mirror = stream.fold()
    assert expiries(mirror) == {PHONE: T0 + 200}
    assert list(mirror.timers) == [(T0 + 200, "sip", ACCOUNT, PHONE, "")]


def test_a_registration_is_active_until_advance_reaches_its_expiry() -> None:
    mirror = registered({DESK: T0 + 100, PHONE: T0 + 200}).fold()
    assert set(expiries(reducers.advance(mirror, T0 + 99))) == {DESK, PHONE}
    advanced = reducers.advance(mirror, T0 + 100)
    assert expiries(advanced) == {PHONE: T0 + 200}
    gone = reducers.advance(advanced, T0 + 10_000)
    assert expiries(gone) == {} and len(gone.timers) == 0
    assert gone.now == T0 + 10_000


@pytest.mark.parametrize("offset", [-1, 0])
def test_a_registration_arriving_already_expired_is_never_active(offset: int) -> None:
    stream = registered({PHONE: T0 + 500})
    event = stream.add("sip_register", user=USER, domain=DOMAIN, contact=DESK, expire=0)
    event["expire"] = event["time"] + offset
    mirror = stream.fold()
    assert expiries(mirror) == {PHONE: T0 + 500}
    assert mirror.timers == rebuilt_timers(mirror)


def test_a_registration_expired_by_an_advanced_clock_is_never_active() -> None:
    mirror = reducers.advance(registered({}).fold(), T0 + 1_000)
    late = {"user": USER, "domain": DOMAIN, "contact": DESK, "expire": T0 + 900}
    # Stamped before the mirror's "now", expiring between the two: already over.
    mirror = reducers.apply(mirror, {"id": 1, "event": "sip_register", "time": T0 + 10, **late})
    assert expiries(mirror) == {} and len(mirror.timers) == 0


def test_an_already_expired_register_ends_an_active_registration() -> None:
    stream = registered({DESK: T0 + 500})
    event = stream.add("sip_register", user=USER, domain=DOMAIN, contact=DESK, expire=0)
    event["expire"] = event["time"]
    mirror = stream.fold()
    assert expiries(mirror) == {} and len(mirror.timers) == 0


def test_unregister_removes_the_registration_and_its_timer() -> None:
    stream = registered({DESK: T0 + 100, PHONE: T0 + 200})
    stream.add("sip_unregister", user=USER, domain=DOMAIN, contact=DESK)
    stream.add("sip_unregister", user=USER, domain=DOMAIN, contact="192.0.2.1")
    mirror = stream.fold()
    assert expiries(mirror) == {PHONE: T0 + 200}
    assert list(mirror.timers) == [(T0 + 200, "sip", ACCOUNT, PHONE, "")]


def test_a_loaded_mirror_has_the_same_timers_and_expires_the_same_way() -> None:
    stream = registered({DESK: T0 + 100, PHONE: T0 + 200})
    stream.add("sip_new", user=USER, domain="example.org", description="spare")
    mirror = stream.fold()
    loaded = reducers.loads(reducers.dumps(mirror))
    assert loaded == mirror and loaded.timers == mirror.timers
    for later in (T0 + 100, T0 + 150, T0 + 200):
        assert reducers.advance(loaded, later) == reducers.advance(mirror, later)
    tail = {"id": len(stream.events), "event": "sip_delete", "time": T0 + 150}
    tail |= {"user": USER, "domain": "example.org"}
    assert reducers.apply(loaded, tail) == reducers.apply(mirror, tail)


# --- property: registrations follow "active while expire > now" -------------------------------

KEYS = {ACCOUNT: (USER, DOMAIN), "joe_01@example.org": (USER, "example.org")}
STEPS = st.lists(
    st.tuples(
        st.sampled_from(("register", "register", "unregister", "new", "delete", "advance")),
        st.sampled_from(sorted(KEYS)),
        st.sampled_from((DESK, PHONE)),
        st.integers(-5, 40),
        st.integers(0, 15),
    ),
    max_size=30,
)


@given(STEPS)
def test_active_registrations_follow_a_simple_model(
    steps: list[tuple[str, str, str, int, int]],
) -> None:
    mirror = reducers.empty()
    model: dict[str, dict[str, int]] = {}
    time = now = T0
    next_id = 0
    for kind, key, contact, lifetime, pause in steps:
        time += pause
        if kind == "advance":
            # Advancing may run ahead of the next events' own times.
            now = max(now, time + lifetime)
            mirror = reducers.advance(mirror, time + lifetime)
        else:
            user, domain = KEYS[key]
            payload: dict[str, Any] = {"user": user, "domain": domain}
            now = max(now, time)
            if kind == "register":
                payload |= {"contact": contact, "expire": time + lifetime}
                contacts = model.setdefault(key, {})
                if time + lifetime > now:
                    contacts[contact] = time + lifetime
                else:
                    contacts.pop(contact, None)
            elif kind == "unregister":
                payload["contact"] = contact
                model.setdefault(key, {}).pop(contact, None)
            elif kind == "new":
                model.setdefault(key, {})
            else:
                model.pop(key, None)
            event = {"id": next_id, "event": f"sip_{kind}", "time": time, **payload}
            mirror = reducers.apply(mirror, event, strict=True)
            next_id += 1
        expected = {k: {c: e for c, e in cs.items() if e > now} for k, cs in model.items()}
        assert {k: expiries(mirror, k) for k in mirror.sip} == expected
        assert mirror.timers == rebuilt_timers(mirror)
    loaded = reducers.loads(reducers.dumps(mirror))
    assert loaded == mirror
    assert reducers.advance(loaded, now + 50) == reducers.advance(mirror, now + 50)
