"""The event model: one frozen attrs class per event type of the reference, by domain.

``EVENT_TYPES`` maps each wire name (``"object_new"``) to its class; ``DOMAINS`` names the
domain module each class lives in, the same names the reducers and the simulator use.
"""

from __future__ import annotations

from types import MappingProxyType, ModuleType
from typing import Final

import attrs

from . import (
    announcement,
    box,
    call,
    chat,
    comments,
    conference,
    dialplan,
    fax,
    files,
    metadata,
    objects,
    presentation,
    sensor,
    sip,
    tags,
    user,
)
from ._base import Event, Json, Uuid
from .announcement import AnnouncementConvert
from .box import BoxOffline, BoxOnline
from .call import CallDtmf, CallFields, CallUpdate
from .chat import ChatMessage, ChatMessageEvent, ChatNew, ChatUser, ChatUserState
from .comments import CommentDelete, CommentModify, CommentNew, ObjectRef
from .conference import (
    ConferenceJoin,
    ConferenceLeave,
    ConferenceMember,
    ConferenceStart,
    ConferenceStatus,
    ConferenceStop,
    ConferenceUpdate,
)
from .dialplan import DialplanCallreverseStart, DialplanCallreverseStop, DialplanModify
from .fax import FaxConvert, FaxReport, FaxReportEvent
from .files import FileDelete, FileModify, FileNew
from .metadata import ObjectMetadata, UserMetadata
from .objects import (
    ObjectDelete,
    ObjectModify,
    ObjectNew,
    ObjectShare,
    ObjectTag,
    ObjectUnshare,
)
from .presentation import (
    PresentationConvert,
    PresentationJoin,
    PresentationKeepalive,
    PresentationLeave,
    PresentationStart,
    PresentationStatus,
    PresentationStop,
    PresentationUpdate,
)
from .sensor import SensorAction, SensorData
from .sip import SipDelete, SipModify, SipNew, SipRegister, SipUnregister
from .tags import TagDelete, TagModify, TagNew
from .user import InvitationDelete, InvitationNew, PhoneModify, TrashPurge, UserModify

#: The domain modules, in the order of the reference.
DOMAIN_MODULES: Final[tuple[ModuleType, ...]] = (
    user,
    tags,
    objects,
    comments,
    metadata,
    fax,
    announcement,
    conference,
    files,
    box,
    dialplan,
    sip,
    presentation,
    chat,
    call,
    sensor,
)


def event_name(cls: type[Event]) -> str:
    """The wire name of an event class, read from the default of its ``event`` field."""
    name = attrs.fields_dict(cls)["event"].default
    assert isinstance(name, str)
    return name


def _collect() -> tuple[dict[str, type[Event]], dict[str, str]]:
    types: dict[str, type[Event]] = {}
    domains: dict[str, str] = {}
    for module in DOMAIN_MODULES:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Event)
                and isinstance(attrs.fields_dict(value)["event"].default, str)
            ):
                name = event_name(value)
                types[name] = value
                domains[name] = module.__name__.rsplit(".", 1)[-1]
    return types, domains


_types, _domains = _collect()
#: Wire name -> event class, all 56 types of the reference.
EVENT_TYPES: Final = MappingProxyType(_types)
#: Wire name -> the domain module's name (``"tags"``, ``"objects"``, ...).
DOMAINS: Final = MappingProxyType(_domains)

__all__ = [
    "DOMAINS",
    "DOMAIN_MODULES",
    "EVENT_TYPES",
    "AnnouncementConvert",
    "BoxOffline",
    "BoxOnline",
    "CallDtmf",
    "CallFields",
    "CallUpdate",
    "ChatMessage",
    "ChatMessageEvent",
    "ChatNew",
    "ChatUser",
    "ChatUserState",
    "CommentDelete",
    "CommentModify",
    "CommentNew",
    "ConferenceJoin",
    "ConferenceLeave",
    "ConferenceMember",
    "ConferenceStart",
    "ConferenceStatus",
    "ConferenceStop",
    "ConferenceUpdate",
    "DialplanCallreverseStart",
    "DialplanCallreverseStop",
    "DialplanModify",
    "Event",
    "FaxConvert",
    "FaxReport",
    "FaxReportEvent",
    "FileDelete",
    "FileModify",
    "FileNew",
    "InvitationDelete",
    "InvitationNew",
    "Json",
    "ObjectDelete",
    "ObjectMetadata",
    "ObjectModify",
    "ObjectNew",
    "ObjectRef",
    "ObjectShare",
    "ObjectTag",
    "ObjectUnshare",
    "PhoneModify",
    "PresentationConvert",
    "PresentationJoin",
    "PresentationKeepalive",
    "PresentationLeave",
    "PresentationStart",
    "PresentationStatus",
    "PresentationStop",
    "PresentationUpdate",
    "SensorAction",
    "SensorData",
    "SipDelete",
    "SipModify",
    "SipNew",
    "SipRegister",
    "SipUnregister",
    "TagDelete",
    "TagModify",
    "TagNew",
    "TrashPurge",
    "UserMetadata",
    "UserModify",
    "Uuid",
    "event_name",
]
