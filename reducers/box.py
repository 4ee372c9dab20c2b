"""Boxes: online or offline, with the latest address and versions and the time of the change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventmirror.events import BoxOffline, BoxOnline

from ._registry import reducer
from ._state import Changes, Entity, replace

if TYPE_CHECKING:
    from .mirror import Mirror


class Box(Entity, frozen=True, gc=False, kw_only=True):
    """A device; the address and versions are the latest it reported while online. Built by
    keyword: ``description`` is optional (a JSON form may leave it out) yet comes early."""

    owner: str
    description: str | None = None
    online: bool
    changed: int
    ip_addr: str | None = None
    mac_addr: str | None = None
    sw_version: str | None = None
    hw_version: str | None = None


@reducer(BoxOnline)
def box_online(mirror: Mirror, event: BoxOnline) -> Changes:
    box = Box(
        owner=event.owner,
        description=event.description,
        online=True,
        changed=event.time,
        ip_addr=event.ip_addr,
        mac_addr=event.mac_addr,
        sw_version=event.sw_version,
        hw_version=event.hw_version,
    )
    return {"boxes": mirror.boxes.set(event.box, box)}


@reducer(BoxOffline)
def box_offline(mirror: Mirror, event: BoxOffline) -> Changes:
    old = mirror.boxes.get(event.box)
    if old is None:
        box = Box(
            owner=event.owner, description=event.description, online=False, changed=event.time
        )
    else:
        box = replace(
            old, owner=event.owner, description=event.description, online=False, changed=event.time
        )
    return {"boxes": mirror.boxes.set(event.box, box)}
