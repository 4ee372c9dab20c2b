"""Makers of the random day's commands for people: chats, SIP, the dialplan."""

from __future__ import annotations

import random

from eventmirror.rules import is_active

from ..world import World
from . import (
    PHONES,
    TEXTS,
    Command,
    any_user,
    command,
    pick,
)

# -- people: chats, SIP, the dialplan ----------------------------------------------------------


@command("chat", 12)
def _chat(rng: random.Random, world: World) -> Command | None:
    chats = world.chat
    uuid_ = pick(rng, list(chats.chats))
    if uuid_ is None or (len(chats.chats) < 4 and rng.random() < 0.15):
        who, description = any_user(rng, world), rng.choice((None, "Lunch", "Release"))
        return lambda: chats.create(who, description)
    chat = chats.chats[uuid_]
    member = rng.choice(list(chat.joined))
    action = rng.choice(("add", "message", "message", "message", "typing", "read", "leave"))
    if action == "add":
        who = any_user(rng, world)
        return lambda: chats.add_member(member, uuid_, who)
    if action == "message":
        text = rng.choice(TEXTS)
        return lambda: chats.message(member, uuid_, text)
    if action == "typing":
        seconds = rng.choice((0, 5, 10, 30))
        return lambda: chats.typing(member, uuid_, seconds)
    if action == "read":
        message = pick(rng, list(chat.messages))
        return None if message is None else lambda: chats.read(member, uuid_, message)
    # Leaving is drawn less often than the other actions: chats should last a while.
    return (lambda: chats.leave(member, uuid_)) if rng.random() < 0.3 else None


@command("sip", 7)
def _sip(rng: random.Random, world: World) -> Command | None:
    sip = world.sip
    account = pick(rng, list(sip.accounts))
    if account is None or (len(sip.accounts) < 4 and rng.random() < 0.15):
        owner = any_user(rng, world)
        user_part = f"{rng.choice(('desk', 'mobile', 'fax', 'door'))}{rng.randint(1, 9)}"
        return lambda: sip.create_account(owner, user_part, "example.org")
    registrations = sip.accounts[account].registrations
    active = [c for c, expire in registrations.items() if is_active(expire, world.now)]
    if active and rng.random() < 0.4:
        contact = rng.choice(active)
        return lambda: sip.unregister(account, contact)
    action = rng.choice(("register", "register", "register", "modify", "delete"))
    if action == "register":
        contact = rng.choice(("sip:desk@10.0.0.5", "sip:mobile@10.0.0.6"))
        seconds = rng.choice((300, 3600, 7200))
        return lambda: sip.register(account, contact, seconds)
    if action == "modify":
        description = rng.choice(("Desk phone", "Mobile", "Door bell"))
        return lambda: sip.modify(account, description)
    return lambda: sip.delete(account)


@command("callreverse", 2)
def _callreverse(rng: random.Random, world: World) -> Command:
    active = list(world.dialplan.callreverse)
    if active and rng.random() < 0.5:
        who, phone_from, phone_to = rng.choice(active)
        return lambda: world.dialplan.callreverse_stop(who, phone_from, phone_to)
    who, phone_from, phone_to = any_user(rng, world), rng.choice(PHONES), rng.choice(PHONES)
    return lambda: world.dialplan.callreverse_start(who, phone_from, phone_to)
