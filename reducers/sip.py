"""SIP accounts keyed ``user@domain``, and their registrations keyed by contact.

A registration carries an absolute expiry; once "now" reaches it the registration is no
longer active and leaves the mirror (through the timer index, see :mod:`reducers.timers`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from eventmirror.events import SipDelete, SipModify, SipNew, SipRegister, SipUnregister
from eventmirror.rules import is_active
from eventmirror.rules import sip_account_key as account_key

from ._slice import Slice
from ._state import EMPTY, Changes, Entity, Map, replace, without
from .timers import TimerEntry

if TYPE_CHECKING:
    from .mirror import Mirror


class Registration(Entity, frozen=True, gc=False):
    """An active registration of a device, until ``expire``."""

    expire: int


class SipAccount(Entity, frozen=True, gc=False):
    """A SIP account and its active registrations by contact."""

    user: str
    domain: str
    description: str | None = None
    registrations: Map[str, Registration] = EMPTY


SLICE = Slice("sip", SipAccount)


def _timer(key: str, contact: str, expire: int) -> TimerEntry:
    return SLICE.timer(expire, key, contact)


def _account(mirror: Mirror, user: str, domain: str) -> SipAccount:
    return mirror.sip.get(account_key(user, domain)) or SipAccount(user, domain)


def _timers(key: str, account: SipAccount) -> list[TimerEntry]:
    return [_timer(key, c, r.expire) for c, r in account.registrations.items()]


@SLICE.reducer(SipNew)
def sip_new(mirror: Mirror, event: SipNew) -> Changes:
    account = replace(_account(mirror, event.user, event.domain), description=event.description)
    return {"sip": mirror.sip.set(account_key(event.user, event.domain), account)}


@SLICE.reducer(SipModify)
def sip_modify(mirror: Mirror, event: SipModify) -> Changes:
    account = _account(mirror, event.user, event.domain)
    if event.description is not None:
        account = replace(account, description=event.description)
    return {"sip": mirror.sip.set(account_key(event.user, event.domain), account)}


@SLICE.reducer(SipDelete)
def sip_delete(mirror: Mirror, event: SipDelete) -> Changes:
    key = account_key(event.user, event.domain)
    account = mirror.sip.get(key)
    if account is None:
        return {}
    return {
        "sip": without(mirror.sip, key),
        "timers": mirror.timers.changed(remove=_timers(key, account)),
    }


@SLICE.reducer(SipRegister)
def sip_register(mirror: Mirror, event: SipRegister) -> Changes:
    key = account_key(event.user, event.domain)
    account = _account(mirror, event.user, event.domain)
    old = account.registrations.get(event.contact)
    remove = [_timer(key, event.contact, old.expire)] if old is not None else []
    now = max(event.time, mirror.now or 0)
    if not is_active(event.expire, now):
        # Already expired when it arrived: never active.
        registrations = without(account.registrations, event.contact)
        add = []
    else:
        registrations = account.registrations.set(event.contact, Registration(event.expire))
        add = [_timer(key, event.contact, event.expire)]
    return {
        "sip": mirror.sip.set(key, replace(account, registrations=registrations)),
        "timers": mirror.timers.changed(add=add, remove=remove),
    }


@SLICE.reducer(SipUnregister)
def sip_unregister(mirror: Mirror, event: SipUnregister) -> Changes:
    key = account_key(event.user, event.domain)
    account = _account(mirror, event.user, event.domain)
    old = account.registrations.get(event.contact)
    changes: Changes = {}
    if old is not None:
        changes["timers"] = mirror.timers.changed(remove=[_timer(key, event.contact, old.expire)])
    registrations = without(account.registrations, event.contact)
    changes["sip"] = mirror.sip.set(key, replace(account, registrations=registrations))
    return changes


@SLICE.expires
def expire_registration(mirror: Mirror, entry: TimerEntry) -> Changes:
    expire, _, key, contact, _ = entry
    account = mirror.sip.get(key)
    if account is None:
        return {}
    registration = account.registrations.get(contact)
    if registration is None or registration.expire != expire:
        return {}
    registrations = account.registrations.delete(contact)
    return {"sip": mirror.sip.set(key, replace(account, registrations=registrations))}


@SLICE.pending
def pending_timers(sip: Map[str, SipAccount]) -> Iterator[TimerEntry]:
    """Every registration's timer, to rebuild the timer index of a loaded mirror."""
    for key, account in sip.items():
        yield from _timers(key, account)
