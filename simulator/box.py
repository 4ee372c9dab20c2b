"""Boxes on the server: a device online (with its address and versions) or offline.

Every reader of the box object is told. The events carry the object's owner and description
as they were then, and the mirror keeps those, so the server keeps them as sent.
"""

from __future__ import annotations

from typing import Any

import attrs

from eventmirror.events import BoxOffline, BoxOnline

from ._core import Domain, Session, SimulatorError
from .commands import command
from .fax import object_of_type
from .objects import ServerObject
from .resend import resend


@attrs.frozen
class DeviceInfo:
    ip_addr: str
    mac_addr: str
    sw_version: str
    hw_version: str


@attrs.define
class ServerBox:
    online: bool
    #: The owner and description the last event carried.
    owner: str
    description: str | None
    #: The time and change of the last event.
    time: int
    changed: int
    #: What the last ``box_online`` reported, and its change.
    device: DeviceInfo | None = None
    device_changed: int = 0


class Box(Domain):
    name = "box"
    sections = ("boxes",)

    boxes: dict[str, ServerBox]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.boxes = {}

    @command(actor=None)
    def online(
        self, box: str, ip_addr: str, mac_addr: str, sw_version: str, hw_version: str
    ) -> None:
        """The device of ``box`` comes online (or reports a new address or version).

        Reporting what it reported last while online is refused as changing nothing; a device
        coming online again on purpose is :meth:`online_again`, a declared re-send."""
        obj = object_of_type(self.world, box, "box")
        device = DeviceInfo(ip_addr, mac_addr, sw_version, hw_version)
        old = self.boxes.get(box)
        if old is not None and old.online and old.device == device:
            raise SimulatorError(
                f"{self.world.objects.describe(box)} is online with that address and versions "
                "already (box.online_again sends box_online again on purpose)"
            )
        self._online(box, obj, device)

    @command(actor=None)
    @resend
    def online_again(self, box: str) -> None:
        """The device of a box that is online comes online again, reporting what it did last.

        The reference sends ``box_online`` "when a device comes online", with no word of an
        offline first, so the platform may send it twice. It carries the time it came online."""
        obj = object_of_type(self.world, box, "box")
        old = self.boxes.get(box)
        if old is None or not old.online or old.device is None:
            raise SimulatorError(f"{self.world.objects.describe(box)} is not online")
        self._online(box, obj, old.device)

    def _online(self, box: str, obj: ServerObject, device: DeviceInfo) -> None:
        change = self.world.tick()
        self.boxes[box] = ServerBox(
            True, obj.owner, obj.description, self.world.now, change, device, change
        )
        self.world.send_to_users(
            BoxOnline,
            sorted(self.world.objects.readers(box)),
            box=box,
            owner=obj.owner,
            description=obj.description,
            **attrs.asdict(device),
        )

    @command(actor=None)
    def offline(self, box: str) -> None:
        """The device of ``box`` goes offline."""
        obj = object_of_type(self.world, box, "box")
        old = self.boxes.get(box)
        if old is None or not old.online:
            raise SimulatorError(f"{self.world.objects.describe(box)} is not online")
        change = self.world.tick()
        old.online, old.owner, old.description = False, obj.owner, obj.description
        old.time, old.changed = self.world.now, change
        self.world.send_to_users(
            BoxOffline,
            sorted(self.world.objects.readers(box)),
            box=box,
            owner=obj.owner,
            description=obj.description,
        )

    def forget_object(self, uuid: str) -> None:
        self.boxes.pop(uuid, None)

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        told: dict[str, Any] = {}
        for uuid, box in self.boxes.items():
            since = self.world.objects.since(session.user, uuid)
            if since is None or box.changed <= since:
                continue
            entry: dict[str, Any] = {"owner": box.owner, "online": box.online, "changed": box.time}
            if box.description is not None:
                entry["description"] = box.description
            if box.device is not None and box.device_changed > since:
                entry.update(attrs.asdict(box.device))
            told[uuid] = entry
        sections["boxes"] = told
