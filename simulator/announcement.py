"""Announcements on the server: whether the last conversion succeeded; every reader is told."""

from __future__ import annotations

from typing import Any

from eventmirror.events import AnnouncementConvert

from ._core import Domain, Session, SimulatorError
from .commands import command
from .fax import object_of_type, require_writer


class Announcement(Domain):
    name = "announcement"
    sections = ("announcements",)

    conversions: dict[str, tuple[bool, int]]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        #: announcement -> (the last conversion succeeded, change)
        self.conversions = {}

    @command
    def convert(self, actor: str, announcement: str, success: bool) -> None:
        """A writer uploads new contents, whose conversion succeeds or fails."""
        obj = object_of_type(self.world, announcement, "announcement")
        require_writer(self.world, actor, obj)
        old = self.conversions.get(announcement)
        if old is not None and old[0] == success:
            raise SimulatorError(
                f"{self.world.objects.describe(announcement)} has that conversion result"
            )
        change = self.world.tick()
        self.conversions[announcement] = (success, change)
        # The reference sends ``success`` only when it is true.
        self.world.send_to_users(
            AnnouncementConvert,
            sorted(self.world.objects.readers(announcement)),
            announcement=announcement,
            success=True if success else None,
        )

    def forget_object(self, uuid: str) -> None:
        self.conversions.pop(uuid, None)

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        told: dict[str, Any] = {}
        for uuid, (success, change) in self.conversions.items():
            since = self.world.objects.since(session.user, uuid)
            if since is not None and change > since:
                told[uuid] = {"converted": success}
        sections["announcements"] = told
