"""SIP events (reference: "SIP events"); an account is ``user@domain``."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Event, Timestamp


@attrs.frozen(kw_only=True)
class SipNew(Event):
    """A SIP account was created."""

    user: str
    domain: str
    description: str | None = None
    event: Literal["sip_new"] = "sip_new"


@attrs.frozen(kw_only=True)
class SipModify(Event):
    """A SIP account changed; ``description`` is present only when it changed."""

    user: str
    domain: str
    description: str | None = None
    event: Literal["sip_modify"] = "sip_modify"


@attrs.frozen(kw_only=True)
class SipDelete(Event):
    """A SIP account was deleted."""

    user: str
    domain: str
    event: Literal["sip_delete"] = "sip_delete"


@attrs.frozen(kw_only=True)
class SipRegister(Event):
    """A device registered at ``contact`` until the absolute time ``expire``."""

    user: str
    domain: str
    contact: str
    expire: Timestamp
    event: Literal["sip_register"] = "sip_register"


@attrs.frozen(kw_only=True)
class SipUnregister(Event):
    """The registration at ``contact`` ended."""

    user: str
    domain: str
    contact: str
    event: Literal["sip_unregister"] = "sip_unregister"
