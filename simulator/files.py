"""Files on the server: one tree of files and folders per volume object.

Every reader of the volume is told of every change. A user who sees the volume from change
``since`` knows a node's field only if its last change came after ``since``; a node whose
parent she was never told sits at the root of her tree. So deleting a folder may leave
nodes she still holds (she was never told they were inside it): they stay in her view as
the delivered events left them, until the volume is emptied or she loses the volume.
"""

from __future__ import annotations

from typing import Any

import attrs

from eventmirror.events import FileDelete, FileModify, FileNew

from ._core import Domain, Session, SimulatorError, entity
from .commands import command
from .fax import object_of_type, require_writer

#: Fields every file event carries, so they are told with each event.
ALWAYS_SENT = ("type", "commit", "user")

#: A node's fields as told: name -> (value, change of its last change).
Facts = dict[str, tuple[Any, int]]


@attrs.define
class Deletion:
    """A delete that removed more than the tree a user was told may show inside it."""

    change: int
    root: str
    #: The removed nodes' facts, frozen as they were.
    nodes: dict[str, Facts]


@attrs.define
class ServerVolume:
    nodes: dict[str, Facts] = attrs.Factory(dict)
    deletions: list[Deletion] = attrs.Factory(list)
    #: The change of the last event about the volume: whoever got it holds the volume.
    changed: int = 0


class Files(Domain):
    name = "files"
    sections = ("volumes",)

    volumes: dict[str, ServerVolume]
    volume_of: dict[str, str]

    def __init__(self, world: Any) -> None:
        super().__init__(world)
        self.volumes = {}
        #: node -> its volume
        self.volume_of = {}

    # -- checks --------------------------------------------------------------------------

    def _writable(self, actor: str, volume: str) -> str:
        return require_writer(self.world, actor, object_of_type(self.world, volume, "volume"))

    def _node(self, uuid: str) -> tuple[str, Facts]:
        volume = self.volume_of.get(uuid)
        if volume is None:
            raise SimulatorError(f"no {entity('file or folder', uuid)}")
        return volume, self.volumes[volume].nodes[uuid]

    def describe(self, uuid: str) -> str:
        """The file or folder as messages name it: ``folder 'Photos' (<uuid>)``."""
        volume = self.volume_of.get(uuid)
        if volume is None:
            return entity("file or folder", uuid)
        facts = self.volumes[volume].nodes[uuid]
        return entity(facts["type"][0], uuid, facts["name"][0])

    def _folder(self, volume: str, parent: str | None) -> None:
        if parent is None:
            return
        if self.volume_of.get(parent) != volume:
            raise SimulatorError(f"no folder {parent!r} in {self.world.objects.describe(volume)}")
        if self.volumes[volume].nodes[parent]["type"][0] != "folder":
            raise SimulatorError(f"{self.describe(parent)} is a file, not a folder")

    def _subtree(self, volume: str, uuid: str) -> list[str]:
        nodes = self.volumes[volume].nodes
        found, pending = [], [uuid]
        while pending:
            current = pending.pop()
            found.append(current)
            pending.extend(n for n, facts in nodes.items() if facts["parent"][0] == current)
        return found

    # -- commands ------------------------------------------------------------------------

    @command
    def create(
        self, actor: str, volume: str, name: str, type: str = "file", parent: str | None = None
    ) -> str:
        """A writer creates a file or folder at the root or in folder ``parent``."""
        actor_id = self._writable(actor, volume)
        if type not in ("file", "folder"):
            raise SimulatorError(f"a node is a 'file' or a 'folder', got {type!r}")
        self._folder(volume, parent)
        uuid, commit = self.world.new_uuid(), self.world.new_uuid()
        change, now = self.world.tick(), self.world.now
        server = self.volumes.setdefault(volume, ServerVolume())
        server.changed = change
        values = {"type": type, "commit": commit, "user": actor_id, "name": name}
        facts: Facts = {key: (value, change) for key, value in values.items()}
        facts.update(parent=(parent, change), ctime=(now, change), mtime=(now, change))
        server.nodes[uuid] = facts
        self.volume_of[uuid] = volume
        self.world.send_to_users(
            FileNew,
            sorted(self.world.objects.readers(volume)),
            **values,
            file=uuid,
            volume=volume,
            parent=parent,
            ctime=now,
            mtime=now,
        )
        return uuid

    @command
    def rename(self, actor: str, file: str, name: str) -> None:
        """A writer renames a file or folder."""
        volume, facts = self._node(file)
        actor_id = self._writable(actor, volume)
        if facts["name"][0] == name:
            raise SimulatorError(f"{self.describe(file)} has that name already")
        self._modify(actor_id, volume, file, {"name": name})

    @command
    def move(self, actor: str, file: str, parent: str | None) -> None:
        """A writer moves a file or folder into folder ``parent`` (None: to the root)."""
        volume, facts = self._node(file)
        actor_id = self._writable(actor, volume)
        self._folder(volume, parent)
        if parent is not None and parent in self._subtree(volume, file):
            raise SimulatorError(f"{self.describe(file)} cannot move into itself or below itself")
        if facts["parent"][0] == parent:
            raise SimulatorError(f"{self.describe(file)} is there already")
        self._modify(actor_id, volume, file, {"parent": parent}, wire={"parent": parent or volume})

    @command
    def upload(self, actor: str, file: str, size: int, mime_type: str, md5: str) -> None:
        """A writer uploads new contents for a file."""
        volume, facts = self._node(file)
        actor_id = self._writable(actor, volume)
        if facts["type"][0] != "file":
            raise SimulatorError(f"{self.describe(file)} is a folder: only files have contents")
        if size < 0:
            raise SimulatorError(f"a size is never negative, got {size}")
        content = {"size": size, "mime_type": mime_type, "md5": md5}
        if all(key in facts and facts[key][0] == value for key, value in content.items()):
            raise SimulatorError(f"{self.describe(file)} has those contents already")
        if facts["mtime"][0] != self.world.now:
            content["mtime"] = self.world.now
        self._modify(actor_id, volume, file, content)

    def _modify(
        self,
        actor_id: str,
        volume: str,
        file: str,
        changed: dict[str, Any],
        *,
        wire: dict[str, Any] | None = None,
    ) -> None:
        change = self.world.tick()
        server = self.volumes[volume]
        server.changed = change
        facts = server.nodes[file]
        facts["commit"] = (self.world.new_uuid(), change)
        facts["user"] = (actor_id, change)
        facts["type"] = (facts["type"][0], change)
        for key, value in changed.items():
            facts[key] = (value, change)
        self.world.send_to_users(
            FileModify,
            sorted(self.world.objects.readers(volume)),
            **{key: facts[key][0] for key in ALWAYS_SENT},
            file=file,
            volume=volume,
            **{**changed, **(wire or {})},
        )

    @command
    def delete(self, actor: str, volume: str, file: str) -> None:
        """A writer deletes a file, or a folder with everything inside it (one
        ``file_delete``)."""
        node = file
        self._writable(actor, volume)
        if self.volume_of.get(node) != volume:
            raise SimulatorError(
                f"no {self.describe(node)} in {self.world.objects.describe(volume)}"
            )
        change = self.world.tick()
        server = self.volumes[volume]
        server.changed = change
        removed = self._subtree(volume, node)
        server.deletions.append(
            Deletion(change, node, {uuid: server.nodes.pop(uuid) for uuid in removed})
        )
        for uuid in removed:
            del self.volume_of[uuid]
        self._send_delete(volume, node)

    @command
    def empty(self, actor: str, volume: str) -> None:
        """A writer deletes everything in the volume (``file_delete`` of the volume itself)."""
        self._writable(actor, volume)
        server = self.volumes.get(volume)
        if server is None or not server.nodes:
            raise SimulatorError(f"{self.world.objects.describe(volume)} is empty already")
        server.changed = self.world.tick()
        for uuid in server.nodes:
            del self.volume_of[uuid]
        server.nodes.clear()
        server.deletions.clear()
        self._send_delete(volume, volume)

    def _send_delete(self, volume: str, file: str) -> None:
        self.world.send_to_users(
            FileDelete,
            sorted(self.world.objects.readers(volume)),
            commit=self.world.new_uuid(),
            file=file,
            volume=volume,
        )

    def forget_object(self, uuid: str) -> None:
        server = self.volumes.pop(uuid, None)
        if server is not None:
            for node in server.nodes:
                del self.volume_of[node]

    # -- views ---------------------------------------------------------------------------

    def view(self, session: Session, sections: dict[str, Any]) -> None:
        told: dict[str, Any] = {}
        for uuid, server in self.volumes.items():
            since = self.world.objects.since(session.user, uuid)
            if since is None or server.changed <= since:
                continue
            files: dict[str, dict[str, Any]] = {}
            for node, facts in server.nodes.items():
                _tell(files, node, facts, since)
            for deletion in server.deletions:
                if deletion.change <= since:
                    continue
                for node, facts in deletion.nodes.items():
                    if not _told_inside(deletion, node, since):
                        _tell(files, node, facts, since)
            told[uuid] = {"files": files}
        sections["volumes"] = told


def _tell(files: dict[str, dict[str, Any]], node: str, facts: Facts, since: int) -> None:
    """Add the node as told to a user who sees the volume from ``since``, if she was told (a
    parent never told, or at the root, is left out)."""
    known = {key: value for key, (value, change) in facts.items() if change > since}
    if "type" in known:
        files[node] = {key: value for key, value in known.items() if value is not None}


def _told_inside(deletion: Deletion, node: str, since: int) -> bool:
    """Whether the user's tree put ``node`` inside the deleted root, so that the delete
    removed it from her view: its chain of told parents reaches the root."""
    current: str | None = node
    while current is not None:
        if current == deletion.root:
            return True
        parent = deletion.nodes[current]["parent"]
        current = parent[0] if parent[1] > since else None
    return False
