"""User, invitation, phone and trash events (reference: "User", "Invitation", "Phone", "Trash")."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Event, Uuid


@attrs.frozen(kw_only=True)
class UserModify(Event):
    """The user's settings changed; re-fetch them (no payload)."""

    event: Literal["user_modify"] = "user_modify"


@attrs.frozen(kw_only=True)
class InvitationNew(Event):
    """An internal invitation from ``owner`` to ``user`` was created."""

    owner: Uuid
    user: Uuid
    event: Literal["invitation_new"] = "invitation_new"


@attrs.frozen(kw_only=True)
class InvitationDelete(Event):
    """An internal invitation from ``owner`` to ``user`` was deleted by either party."""

    owner: Uuid
    user: Uuid
    event: Literal["invitation_delete"] = "invitation_delete"


@attrs.frozen(kw_only=True)
class PhoneModify(Event):
    """The user's phone configuration changed; re-fetch it with GET /api/phone (no payload)."""

    event: Literal["phone_modify"] = "phone_modify"


@attrs.frozen(kw_only=True)
class TrashPurge(Event):
    """The user's trash was purged: every trashed object is gone for good (no payload)."""

    event: Literal["trash_purge"] = "trash_purge"
