"""Boxes: online or offline, with the latest address and versions and the time of the change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventmirror.events import BoxOffline, BoxOnline

from ._slice import Slice
from ._state import Changes, Entity, replace

if TYPE_CHECKING:
    from .mirror import Mirror


class Box(Entity, frozen=True, gc=False):
    """A device; the address and versions are the latest it reported while online."""

    owner: str
    description: str | None
    online: bool
    changed: int
    ip_addr: str | None = None
    mac_addr: str | None = None
    sw_version: str | None = None
    hw_version: str | None = None


SLICE = Slice("boxes", Box, of_object=True)


@SLICE.reducer(BoxOnline)
def box_online(mirror: Mirror, event: BoxOnline) -> Changes:
    box = Box(
        event.owner,
        event.description,
        True,
        event.time,
        event.ip_addr,
        event.mac_addr,
        event.sw_version,
        event.hw_version,
    )
    return {"boxes": mirror.boxes.set(event.box, box)}


@SLICE.reducer(BoxOffline)
def box_offline(mirror: Mirror, event: BoxOffline) -> Changes:
    old = mirror.boxes.get(event.box)
    if old is None:
        box = Box(event.owner, event.description, False, event.time)
    else:
        box = replace(
            old, owner=event.owner, description=event.description, online=False, changed=event.time
        )
    return {"boxes": mirror.boxes.set(event.box, box)}
