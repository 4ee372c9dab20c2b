"""SIP accounts on the server, keyed ``user@domain``, and their registrations by contact.

Every event goes to the account's owner only, so an owner's view is simply her accounts;
a registration is active until the clock reaches its absolute expiry, when its timer on the
clock's queue ends it (no event: the mirror expires it by itself).
"""

from __future__ import annotations

from typing import Any

import attrs

from eventmirror.events import SipDelete, SipModify, SipNew, SipRegister, SipUnregister
from eventmirror.rules import is_sip_account_part, sip_account_key

from ._core import REARMED, Domain, Session, SimulatorError
from .clock import Schedule, Timer
from .commands import command


@attrs.define
class ServerAccount:
    owner: str
    user: str
    domain: str
    description: str | None
    #: contact -> absolute expiry of its last registration, kept once it ran out
    registrations: dict[str, int] = attrs.Factory(dict)
    #: contact -> the active registration's expiry on the world's clock: it ends it
    expiries: dict[str, Timer] = attrs.field(factory=dict, metadata={REARMED: True})


class Sip(Domain):
    name = "sip"
    sections = ("sip",)

    accounts: dict[str, ServerAccount]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.accounts = {}

    def get(self, account: str) -> ServerAccount:
        try:
            return self.accounts[account]
        except KeyError:
            raise SimulatorError(f"no SIP account {account!r}") from None

    def _active(self, account: ServerAccount, contact: str) -> int | None:
        return account.registrations[contact] if contact in account.expiries else None

    def _registered(self, account: ServerAccount, contact: str, expire: int | None) -> None:
        """Register ``contact`` until ``expire`` on the world's clock, or end it (None)."""
        timer = account.expiries.pop(contact, None)
        if timer is not None:
            timer.cancel()
        if expire is None:
            account.registrations.pop(contact, None)
            return
        account.registrations[contact] = expire
        account_key = sip_account_key(account.user, account.domain)
        account.expiries[contact] = self.world.clock.at(
            expire, lambda: account.expiries.pop(contact), (self.name, account_key, contact)
        )

    def rearm(self, label: tuple[str, ...], schedule: Schedule) -> None:
        _, account_key, contact = label
        account = self.accounts[account_key]
        if contact not in account.registrations:
            raise SimulatorError(f"{account_key} has no registration of {contact!r}")
        account.expiries[contact] = schedule(lambda: account.expiries.pop(contact))

    def _send(self, event_type: type[Any], account: ServerAccount, **payload: Any) -> None:
        self.world.send_to_users(
            event_type, [account.owner], user=account.user, domain=account.domain, **payload
        )

    @command
    def create_account(
        self, actor: str, user_part: str, domain: str, description: str | None = None
    ) -> str:
        """The user gets the account ``user_part@domain``; returns that key."""
        owner_id = self.world.user_id(actor)
        if not (is_sip_account_part(user_part) and is_sip_account_part(domain)):
            raise SimulatorError(f"not a SIP account: {user_part!r} @ {domain!r}")
        key = sip_account_key(user_part, domain)
        if key in self.accounts:
            raise SimulatorError(f"the SIP account {key!r} exists already")
        self.world.tick()
        account = ServerAccount(owner_id, user_part, domain, description)
        self.accounts[key] = account
        payload = {} if description is None else {"description": description}
        self._send(SipNew, account, **payload)
        return key

    @command(actor=None)
    def modify(self, account: str, description: str) -> None:
        """The account's description changes (``sip_modify`` carries it)."""
        server_account = self.get(account)
        if description == server_account.description:
            raise SimulatorError(f"the SIP account {account!r} has that description already")
        self.world.tick()
        server_account.description = description
        self._send(SipModify, server_account, description=description)

    @command(actor=None)
    def delete(self, account: str) -> None:
        """The account is deleted."""
        server_account = self.get(account)
        self.world.tick()
        for contact in list(server_account.registrations):
            self._registered(server_account, contact, None)
        del self.accounts[account]
        self._send(SipDelete, server_account)

    @command(actor=None)
    def register(self, account: str, contact: str, expires_in_seconds: int) -> None:
        """A device registers at ``contact`` for ``expires_in_seconds`` from now."""
        server_account = self.get(account)
        if expires_in_seconds <= 0:
            raise SimulatorError(f"a registration lasts over 0 seconds, got {expires_in_seconds}")
        expire = self.world.now + expires_in_seconds
        if self._active(server_account, contact) == expire:
            raise SimulatorError(f"{contact!r} is registered until {expire} already")
        self.world.tick()
        self._registered(server_account, contact, expire)
        self._send(SipRegister, server_account, contact=contact, expire=expire)

    @command(actor=None)
    def unregister(self, account: str, contact: str) -> None:
        """The device at ``contact`` unregisters before its registration expires."""
        server_account = self.get(account)
        if self._active(server_account, contact) is None:
            raise SimulatorError(f"{contact!r} is not registered on {account!r}")
        self.world.tick()
        self._registered(server_account, contact, None)
        self._send(SipUnregister, server_account, contact=contact)

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        accounts: dict[str, Any] = {}
        for key, account in self.accounts.items():
            if account.owner != session.user:
                continue
            entry: dict[str, Any] = {"user": account.user, "domain": account.domain}
            if account.description is not None:
                entry["description"] = account.description
            entry["registrations"] = {
                contact: {"expire": expire}
                for contact in account.registrations
                if (expire := self._active(account, contact)) is not None
            }
            accounts[key] = entry
        sections["sip"] = accounts
