"""State-machine rules for per-object state: faxes, announcements, boxes and volume files."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import rule

from .machine import NAMES, WorldMachine, pick, users

STATE_TYPES = ("fax", "announcement", "box", "volume")
pages = st.none() | st.integers(0, 3)
reports = st.dictionaries(
    st.sampled_from(["r1", "r2"]),
    st.fixed_dictionaries({"status": st.sampled_from(["ok", "busy"])}),
    min_size=1,
)
names = st.sampled_from(["a.txt", "b.pdf", "docs"])
addresses = st.sampled_from(["10.0.0.1", "10.0.0.2"])


class ObjectsStateRules(WorldMachine):
    def __init__(self) -> None:
        super().__init__()
        #: Symbolic report ids -> UUIDs, so that later steps update the same reports.
        self.report_ids: dict[str, str] = {}

    def uuids(self, kind: str) -> list[str]:
        world = self.world
        if kind in STATE_TYPES:
            return sorted(u for u, o in world.objects.objects.items() if o.type == kind)
        if kind == "node":
            return sorted(world.files.volume_of)
        if kind == "folder":
            return [
                u
                for u in self.uuids("node")
                if world.files.volumes[world.files.volume_of[u]].nodes[u]["type"][0] == "folder"
            ]
        return super().uuids(kind)

    def _actor(self, data: st.DataObject, volume: str) -> str:
        """Mostly the volume's owner: random users are seldom allowed to write."""
        owner = self.world.objects.objects[volume].owner
        return data.draw(st.sampled_from([owner, owner, *NAMES]))

    @rule(owner=users, kind=st.sampled_from(STATE_TYPES))
    def create_state_object(self, owner: str, kind: str) -> None:
        tags = self.uuids("tag")[:1]
        self.attempt(lambda: self.world.objects.create(owner, kind, kind, tags=tags))

    @rule(data=st.data(), actor=users, page_count=pages)
    def convert_fax(self, data: st.DataObject, actor: str, page_count: int | None) -> None:
        fax = pick(data, self.uuids("fax") or self.uuids("object"))
        if fax is not None:
            self.attempt(lambda: self.world.fax.upload_and_convert(actor, fax, page_count))

    @rule(data=st.data(), update=reports)
    def fax_report(self, data: st.DataObject, update: dict[str, dict[str, str]]) -> None:
        fax = pick(data, self.uuids("fax"))
        if fax is None:
            return
        ids = {key: self.report_ids.setdefault(key, self.world.new_uuid()) for key in update}
        self.attempt(lambda: self.world.fax.report(fax, {ids[k]: v for k, v in update.items()}))

    @rule(data=st.data(), actor=users, success=st.booleans())
    def convert_announcement(self, data: st.DataObject, actor: str, success: bool) -> None:
        announcement = pick(data, self.uuids("announcement") or self.uuids("object"))
        if announcement is not None:
            self.attempt(lambda: self.world.announcement.convert(actor, announcement, success))

    @rule(data=st.data(), online=st.booleans(), ip=addresses)
    def box(self, data: st.DataObject, online: bool, ip: str) -> None:
        box = pick(data, self.uuids("box"))
        if box is None:
            return
        if online:
            self.attempt(lambda: self.world.box.online(box, ip, "00:11", "1.0", "X86"))
        else:
            self.attempt(lambda: self.world.box.offline(box))

    @rule(data=st.data(), name=names, folder=st.booleans())
    def create_file(self, data: st.DataObject, name: str, folder: bool) -> None:
        volume = pick(data, self.uuids("volume"))
        if volume is None:
            return
        actor = self._actor(data, volume)
        parent = data.draw(st.none() | st.sampled_from(self.uuids("folder") or [volume]))
        kind = "folder" if folder else "file"
        self.attempt(lambda: self.world.files.create(actor, volume, name, kind, parent))

    @rule(data=st.data(), name=names, to_root=st.booleans())
    def change_file(self, data: st.DataObject, name: str, to_root: bool) -> None:
        node = pick(data, self.uuids("node"))
        if node is None:
            return
        files = self.world.files
        actor = self._actor(data, files.volume_of[node])
        action = data.draw(st.sampled_from(["rename", "move", "upload", "delete"]))
        if action == "rename":
            self.attempt(lambda: files.rename(actor, node, name))
        elif action == "move":
            parent = None if to_root else pick(data, self.uuids("folder"))
            self.attempt(lambda: files.move(actor, node, parent))
        elif action == "upload":
            size = data.draw(st.integers(0, 2))
            self.attempt(lambda: files.upload(actor, node, size, "text/plain", f"md5-{size}"))
        else:
            self.attempt(lambda: files.delete(actor, files.volume_of[node], node))

    @rule(data=st.data(), actor=users)
    def empty_volume(self, data: st.DataObject, actor: str) -> None:
        volume = pick(data, self.uuids("volume"))
        if volume is not None:
            self.attempt(lambda: self.world.files.empty(actor, volume))
