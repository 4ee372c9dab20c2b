"""Fax on the server: the result of the last conversion, and the send/receive reports.

Every reader of the fax object is told. A user who sees the fax from change ``since`` knows
the conversion result and each report only if their last change came after ``since``.

The object checks shared by the per-object domains (fax, announcement, box, files) live
here too: the object must exist with the right type, and clients need write access.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from eventmirror.events import FaxConvert, FaxReportEvent
from eventmirror.events.fax import FaxReport
from eventmirror.rules import can_write

from ._core import Domain, Session, SimulatorError
from .commands import command

if TYPE_CHECKING:
    from .objects import ServerObject
    from .world import World


def object_of_type(world: World, uuid: str, type: str) -> ServerObject:
    """The object ``uuid``, which must be of ``type``."""
    obj = world.objects.get(uuid)
    if obj.type != type:
        raise SimulatorError(f"{world.objects.describe(uuid)} is a {obj.type!r}, not a {type!r}")
    return obj


def require_writer(world: World, actor: str, obj: ServerObject) -> str:
    """``actor``'s UUID, if she may change ``obj`` (its owner or a tag grants write access)."""
    actor_id = world.user_id(actor)
    if actor_id != obj.owner and not any(
        can_write(world.tags.level(t, actor_id)) for t in obj.tags
    ):
        raise SimulatorError(
            f"{world.names[actor_id]} may not change {world.objects.describe(obj.uuid)}"
        )
    return actor_id


class Fax(Domain):
    name = "fax"
    sections = ("faxes",)

    conversions: dict[str, tuple[int | None, int]]
    reports: dict[str, dict[str, tuple[FaxReport, int]]]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        #: fax -> (page count, None for a failed conversion; change)
        self.conversions = {}
        #: fax -> report UUID -> (report, change)
        self.reports = {}

    @command
    def upload_and_convert(self, actor: str, fax: str, page_count: int | None) -> None:
        """A writer uploads new contents; the conversion gives ``page_count`` pages, or fails
        (None)."""
        obj = object_of_type(self.world, fax, "fax")
        require_writer(self.world, actor, obj)
        if page_count is not None and page_count < 0:
            raise SimulatorError(f"a page count is never negative, got {page_count}")
        old = self.conversions.get(fax)
        if old is not None and old[0] == page_count:
            raise SimulatorError(
                f"{self.world.objects.describe(fax)} has that conversion result already"
            )
        change = self.world.tick()
        self.conversions[fax] = (page_count, change)
        self.world.send_to_users(
            FaxConvert, sorted(self.world.objects.readers(fax)), fax=fax, page_count=page_count
        )

    @command(actor=None)
    def report(self, fax: str, reports: Mapping[str, FaxReport | Mapping[str, Any]]) -> None:
        """The platform updates send/receive reports (merged by report UUID)."""
        object_of_type(self.world, fax, "fax")
        if not reports:
            raise SimulatorError("a fax report update needs at least one report")
        try:
            wanted = {
                uuid: r if isinstance(r, FaxReport) else msgspec.convert(r, FaxReport)
                for uuid, r in reports.items()
            }
        except msgspec.ValidationError as error:
            raise SimulatorError(f"not a fax report: {error}") from None
        known = self.reports.get(fax, {})
        if all(uuid in known and known[uuid][0] == r for uuid, r in wanted.items()):
            raise SimulatorError(f"{self.world.objects.describe(fax)} has those reports already")
        change = self.world.tick()
        stored = self.reports.setdefault(fax, {})
        for uuid, r in wanted.items():
            stored[uuid] = (r, change)
        self.world.send_to_users(
            FaxReportEvent, sorted(self.world.objects.readers(fax)), fax=fax, report=wanted
        )

    def forget_object(self, uuid: str) -> None:
        self.conversions.pop(uuid, None)
        self.reports.pop(uuid, None)

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        faxes: dict[str, Any] = {}
        for uuid in dict.fromkeys([*self.conversions, *self.reports]):
            since = self.world.objects.since(session.user, uuid)
            if since is None:
                continue
            conversion = self.conversions.get(uuid)
            told = {r: v for r, (v, c) in self.reports.get(uuid, {}).items() if c > since}
            fax: dict[str, Any] = {}
            if conversion is not None and conversion[1] > since:
                page_count = conversion[0]
                fax["converted"] = page_count is not None
                if page_count is not None:
                    fax["page_count"] = page_count
            elif not told:
                continue
            fax["report"] = msgspec.to_builtins(told)
            faxes[uuid] = fax
        sections["faxes"] = faxes
