"""Rules of the event API that the client side and the server side both follow.

The reducers fold events into a mirror by these rules and the simulator sends events by them;
each rule lives here once, so the two layers cannot drift apart and the simulator stays an
independent check of everything else. Every function is pure and cheap.

- **Access levels** (``tag_new``, ``tag_modify``): 0 none, 1 read, 2 write, 3 propagate,
  4 owner. A level 0 in a policy means that user's access was removed by this change.
- **Timed states** (chat participants' ``typing``, SIP registrations): a state is active while
  ``now < expiry``. A chat timer of ``n`` seconds sent at time ``t`` lasts until ``t + n``;
  0 ends the state at once.
- **Empty means cleared** (``call_update``): an empty ``current_control`` or ``bridge`` means
  the call no longer has one.
- **Keys** of entities that have no UUID: invitations ``"owner -> user"``, call-reverse pairs
  ``"phone_from -> phone_to"``, SIP accounts ``user@domain``.
- **Tag lists** (``object_tag``): ``tag`` is the full, authoritative list after the change;
  a ``tag_add`` entry missing from it, or a ``tag_delete`` entry still in it, is an anomaly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, NamedTuple

# -- access levels -------------------------------------------------------------------------

NONE: Final = 0
READ: Final = 1
WRITE: Final = 2
PROPAGATE: Final = 3
OWNER: Final = 4
#: Every access level a policy may carry (0 only in ``tag_modify``: access removed).
ACCESS_LEVELS: Final = range(NONE, OWNER + 1)


def is_access_level(value: object) -> bool:
    """Whether ``value`` is an access level 0..4 (an integer, not a boolean)."""
    return isinstance(value, int) and not isinstance(value, bool) and value in ACCESS_LEVELS


def can_read(level: int) -> bool:
    """Read access: level 1 or more."""
    return level >= READ


def can_write(level: int) -> bool:
    """Write access (change an object carrying the tag): level 2 or more."""
    return level >= WRITE


def can_propagate(level: int) -> bool:
    """Change the tag itself (label, policy): level 3 or more."""
    return level >= PROPAGATE


def granted(policy: Mapping[str, int]) -> dict[str, int]:
    """The policy without its level-0 entries: who holds access after the change."""
    return {user: level for user, level in policy.items() if level != NONE}


def access_removed(policy: Mapping[str, int], user: str) -> bool:
    """Whether this policy (of a ``tag_modify``) removes ``user``'s access: her level is 0."""
    return policy.get(user) == NONE


def announced_policy(policy: Mapping[str, int], removed: Iterable[str]) -> dict[str, int]:
    """The policy a ``tag_modify`` carries: the levels held after the change, and 0 for each
    user in ``removed`` (sorted, so the bytes sent do not follow a set's order)."""
    return {**policy, **dict.fromkeys(sorted(removed), NONE)}


# -- timed states --------------------------------------------------------------------------

#: The timed states of a chat participant (``chat_user``), by wire name.
CHAT_TIMED_STATES: Final = ("typing",)


def is_active(expiry: int, now: int) -> bool:
    """A timed state with absolute ``expiry`` is active while ``now < expiry``."""
    return now < expiry


def chat_state_expiry(time: int, seconds: int) -> int | None:
    """The absolute expiry of a chat timer of ``seconds`` sent at ``time``; None for 0 (the
    state ends now)."""
    return time + seconds if seconds > 0 else None


# -- empty means cleared -------------------------------------------------------------------

#: ``call_update`` parameters whose empty string means "no longer set" (GET /api/call leaves
#: them out).
CALL_CLEARED_BY_EMPTY: Final = ("current_control", "bridge")


def call_value(sent: str | int) -> str | int | None:
    """A call parameter as the call holds it once ``sent``: None (cleared) for an empty text."""
    return None if sent == "" else sent


def call_field_after(old: str | None, sent: str | None) -> str | None:
    """A text parameter after a ``call_update``: unchanged when absent, cleared when empty."""
    if sent is None:
        return old
    return sent or None


# -- keys ------------------------------------------------------------------------------------


def invitation_key(owner: str, user: str) -> str:
    """Invitations have no UUID: they are keyed ``"owner -> user"``."""
    return f"{owner} -> {user}"


def callreverse_key(phone_from: str, phone_to: str) -> str:
    """Call-reverse pairs are keyed ``"phone_from -> phone_to"``."""
    return f"{phone_from} -> {phone_to}"


def sip_account_key(user: str, domain: str) -> str:
    """SIP accounts are keyed ``user@domain``."""
    return f"{user}@{domain}"


def is_sip_account_part(part: str) -> bool:
    """Whether ``part`` can be the user or the domain of a SIP account (not empty, no ``@``),
    so that :func:`sip_account_key` keys each account apart."""
    return bool(part) and "@" not in part


# -- object tag lists ----------------------------------------------------------------------


class TagChange(NamedTuple):
    """An ``object_tag``'s three lists: the full list after it, what it attached, what it
    detached."""

    tag: list[str]
    tag_add: list[str]
    tag_delete: list[str]


def tag_change(current: Iterable[str], add: Iterable[str], delete: Iterable[str]) -> TagChange:
    """Attach ``add`` and detach ``delete`` on an object carrying ``current``: the new full
    list (kept tags in their order, then the new ones), and the tags really attached and
    detached: attaching a carried tag or detaching one not carried changes nothing."""
    carried = list(dict.fromkeys(current))
    removed = [t for t in dict.fromkeys(delete) if t in carried]
    added = [t for t in dict.fromkeys(add) if t not in carried]
    return TagChange([t for t in carried if t not in removed] + added, added, removed)


def tag_change_disagreement(
    tag: Iterable[str], tag_add: Iterable[str] | None, tag_delete: Iterable[str] | None
) -> str | None:
    """How an ``object_tag``'s ``tag_add``/``tag_delete`` disagree with its authoritative
    ``tag`` list (attached but missing, detached but still there), or None if they agree."""
    attached = set(tag)
    added_missing = sorted(set(tag_add or ()) - attached)
    deleted_present = sorted(set(tag_delete or ()) & attached)
    detail = []
    if added_missing:
        detail.append(f"tag_add {added_missing} not in tag")
    if deleted_present:
        detail.append(f"tag_delete {deleted_present} still in tag")
    return "; ".join(detail) or None


__all__ = [
    "ACCESS_LEVELS",
    "CALL_CLEARED_BY_EMPTY",
    "CHAT_TIMED_STATES",
    "NONE",
    "OWNER",
    "PROPAGATE",
    "READ",
    "WRITE",
    "TagChange",
    "access_removed",
    "announced_policy",
    "call_field_after",
    "call_value",
    "callreverse_key",
    "can_propagate",
    "can_read",
    "can_write",
    "chat_state_expiry",
    "granted",
    "invitation_key",
    "is_access_level",
    "is_active",
    "is_sip_account_part",
    "sip_account_key",
    "tag_change",
    "tag_change_disagreement",
]
