"""Metadata on the server: per user (``user_metadata``) and per object (``object_metadata``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from copy import deepcopy
from typing import Any

from eventmirror.events import ObjectMetadata, UserMetadata

from ._core import Domain, Session, SimulatorError
from .commands import command


class Metadata(Domain):
    name = "metadata"
    sections = ("user_metadata",)

    users: dict[str, dict[str, Any]]
    objects: dict[str, dict[str, tuple[Any, int]]]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        #: user -> key -> value
        self.users = {}
        #: object -> key -> (value, change)
        self.objects = {}

    @command
    def set_user(
        self, actor: str, update: Mapping[str, Any] | None = None, delete: Iterable[str] = ()
    ) -> None:
        """The user changes her own metadata; all her sessions are told."""
        user = self.world.user_id(actor)
        update, delete = dict(update or {}), list(delete)
        values = self.users.setdefault(user, {})
        update, delete = _effective(values, update, delete)
        self.world.tick()
        values.update(update)
        for key in delete:
            values.pop(key, None)
        payload: dict[str, Any] = {}
        if update:
            payload["update"] = update
        if delete:
            payload["delete"] = delete
        self.world.send_to_users(UserMetadata, [user], **payload)

    @command
    def set_object(
        self,
        actor: str,
        object: str,
        update: Mapping[str, Any] | None = None,
        delete: Iterable[str] = (),
    ) -> None:
        """A reader changes an object's metadata; every reader is told."""
        obj = object
        user = self.world.user_id(actor)
        objects = self.world.objects
        if not objects.can_read(user, obj):
            raise SimulatorError(f"{self.user_name(actor)} cannot read {objects.describe(obj)}")
        update, delete = dict(update or {}), list(delete)
        values = self.objects.setdefault(obj, {})
        update, delete = _effective({k: v for k, (v, _) in values.items()}, update, delete)
        change = self.world.tick()
        for key, value in update.items():
            values[key] = (value, change)
        for key in delete:
            values.pop(key, None)
        payload: dict[str, Any] = {"object": obj, "user": user}
        if update:
            payload["update"] = update
        if delete:
            payload["delete"] = delete
        self.world.send_to_users(ObjectMetadata, sorted(objects.readers(obj)), **payload)

    def forget_object(self, obj: str) -> None:
        self.objects.pop(obj, None)

    def told(self, obj: str, since: int) -> dict[str, Any]:
        """The object's metadata a user who sees it from change ``since`` was told about (a
        copy: the view is the caller's to change)."""
        return {
            k: deepcopy(v)
            for k, (v, changed) in self.objects.get(obj, {}).items()
            if changed > since
        }

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        sections["user_metadata"] = deepcopy(self.users.get(session.user, {}))


def _effective(
    values: Mapping[str, Any], update: dict[str, Any], delete: list[str]
) -> tuple[dict[str, Any], list[str]]:
    """What a metadata change really changes: new or different values, and present keys that
    are not also updated. A change of nothing is refused."""
    update = {
        key: value for key, value in update.items() if key not in values or values[key] != value
    }
    delete = [key for key in dict.fromkeys(delete) if key in values and key not in update]
    if not update and not delete:
        raise SimulatorError("that metadata change would change nothing")
    return update, delete
