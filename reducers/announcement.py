"""Announcements: whether the last conversion succeeded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventmirror.events import AnnouncementConvert

from ._slice import Slice
from ._state import Changes, Entity

if TYPE_CHECKING:
    from .mirror import Mirror


class Announcement(Entity, frozen=True, gc=False):
    """An announcement; ``converted`` is False when its last conversion failed."""

    converted: bool


SLICE = Slice("announcements", Announcement, of_object=True)


@SLICE.reducer(AnnouncementConvert)
def announcement_convert(mirror: Mirror, event: AnnouncementConvert) -> Changes:
    announcement = Announcement(converted=event.success is True)
    return {"announcements": mirror.announcements.set(event.announcement, announcement)}
