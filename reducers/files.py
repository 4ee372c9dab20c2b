"""Files and folders: one tree per volume.

``file_new`` without ``parent`` creates at the root. In ``file_modify`` a ``parent`` means the
node moved; a ``parent`` equal to the volume UUID means it moved to the root. Deleting a folder
deletes its whole subtree; deleting the volume UUID itself empties the volume. A move that
would put a folder inside itself is an anomaly and is not applied.

Each volume keeps a children index (derived, rebuilt on load) so that deleting a subtree
touches only that subtree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import msgspec

from eventmirror.errors import Problem
from eventmirror.events import FileDelete, FileModify, FileNew

from ._draft import Draft, MapDrafting, MapsDraft
from ._registry import Inconsistent
from ._slice import Slice
from ._state import EMPTY, Changes, Map, Sparse

if TYPE_CHECKING:
    from .mirror import Mirror

#: The children-index key of a volume's root.
ROOT = ""


class FileNode(Sparse, frozen=True, gc=False):
    """A file or folder; ``parent`` is None at the volume's root."""

    type: str
    name: str | None = None
    parent: str | None = None
    ctime: int | None = None
    mtime: int | None = None
    user: str | None = None
    size: int | None = None
    mime_type: str | None = None
    md5: str | None = None
    commit: str | None = None


class Volume(msgspec.Struct, frozen=True):
    """A volume's files and folders by UUID, with the derived children index."""

    files: Map[str, FileNode] = EMPTY
    children: Map[str, Map[str, bool]] = EMPTY

    def path(self, uuid: str) -> str:
        """The node's path from the volume root, ``/docs/letter.pdf``; an ancestor not seen
        yet (or without a name) shows as its UUID."""
        names: list[str] = []
        seen: set[str] = set()
        current: str | None = uuid
        while current is not None and current not in seen:
            seen.add(current)
            node = self.files.get(current)
            names.append(node.name if node is not None and node.name is not None else current)
            current = node.parent if node is not None else None
        return "/" + "/".join(reversed(names))

    def subtree(self, uuid: str) -> list[str]:
        """``uuid`` and every node below it."""
        found, pending = [], [uuid]
        while pending:
            current = pending.pop()
            found.append(current)
            pending.extend(self.children.get(current, EMPTY))
        return found


EMPTY_VOLUME = Volume()


def with_children(files: Map[str, FileNode]) -> Volume:
    """A volume with its children index built from its files (loading from JSON)."""
    index: dict[str, dict[str, bool]] = {}
    for uuid, node in files.items():
        index.setdefault(node.parent or ROOT, {})[uuid] = True
    return Volume(files, Map({parent: Map(kids) for parent, kids in index.items()}))


def _written(volumes: Map[str, Volume]) -> dict[str, Any]:
    """The volumes as the JSON form writes them: the children index is derived, left out."""
    return {uuid: {"files": volume.files} for uuid, volume in volumes.items()}


def _rebuilt(volumes: dict[str, Volume]) -> Map[str, Volume]:
    return Map({uuid: with_children(volume.files) for uuid, volume in volumes.items()})


SLICE = Slice(
    "volumes",
    Volume,
    of_object=True,
    drafting=MapDrafting({"files": Draft, "children": MapsDraft}),
    written=_written,
    rebuilt=_rebuilt,
)


def _link(
    children: Map[str, Map[str, bool]], uuid: str, old: str | None, new: str | None
) -> Map[str, Map[str, bool]]:
    old_key, new_key = old or ROOT, new or ROOT
    if old_key == new_key and uuid in children.get(new_key, EMPTY):
        return children
    siblings = children.get(old_key)
    if siblings is not None and uuid in siblings:
        siblings = siblings.delete(uuid)
        children = children.set(old_key, siblings) if siblings else children.delete(old_key)
    return children.set(new_key, children.get(new_key, EMPTY).set(uuid, True))


def _put(volume: Volume, uuid: str, node: FileNode) -> Volume:
    old = volume.files.get(uuid)
    children = _link(volume.children, uuid, old.parent if old else None, node.parent)
    return Volume(volume.files.set(uuid, node), children)


def _parent(volume_uuid: str, parent: str | None) -> str | None:
    return None if parent is None or parent == volume_uuid else parent


@SLICE.reducer(FileNew)
def file_new(mirror: Mirror, event: FileNew) -> Changes:
    volume = mirror.volumes.get(event.volume) or EMPTY_VOLUME
    parent = _parent(event.volume, event.parent)
    # A node seen so far only as a parent can arrive later, inside its own descendant.
    _refuse_cycle(volume, event.file, parent, event.parent)
    node = FileNode(
        event.type,
        event.name,
        parent,
        event.ctime,
        event.mtime,
        event.user,
        commit=event.commit,
    )
    return {"volumes": mirror.volumes.set(event.volume, _put(volume, event.file, node))}


def _would_contain_itself(volume: Volume, uuid: str, parent: str | None) -> bool:
    if parent is None or (parent != uuid and uuid not in volume.children):
        # Only a node with children can be an ancestor of ``parent``: no walk up the tree
        # for the usual new file (the children index lists every node that has any).
        return False
    current: str | None = parent
    steps = 0
    while current is not None and steps <= len(volume.files):
        if current == uuid:
            return True
        node = volume.files.get(current)
        current = node.parent if node is not None else None
        steps += 1
    return False


def _refuse_cycle(volume: Volume, uuid: str, parent: str | None, wire_parent: str | None) -> None:
    """Reject an event that would put ``uuid`` inside itself (the tree would have a cycle)."""
    if _would_contain_itself(volume, uuid, parent):
        where = volume.path(parent) if parent is not None else "/"
        problem = Problem(
            path="parent",
            expected="a folder outside the node",
            got=f"{wire_parent!r} ({where}), inside {volume.path(uuid)}",
        )
        raise Inconsistent(problem)


@SLICE.reducer(FileModify)
def file_modify(mirror: Mirror, event: FileModify) -> Changes:
    volume = mirror.volumes.get(event.volume) or EMPTY_VOLUME
    old = volume.files.get(event.file)
    node = old or FileNode(event.type)
    parent = node.parent
    if event.parent is not None:
        parent = _parent(event.volume, event.parent)
        if old is None or parent != old.parent:
            _refuse_cycle(volume, event.file, parent, event.parent)
    # Only the fields present changed (built in one go: uploads and renames are frequent).
    node = FileNode(
        event.type,
        node.name if event.name is None else event.name,
        parent,
        node.ctime if event.ctime is None else event.ctime,
        node.mtime if event.mtime is None else event.mtime,
        node.user if event.user is None else event.user,
        node.size if event.size is None else event.size,
        node.mime_type if event.mime_type is None else event.mime_type,
        node.md5 if event.md5 is None else event.md5,
        event.commit,
    )
    if old is not None and parent == old.parent:
        volume = Volume(volume.files.set(event.file, node), volume.children)
    else:
        volume = _put(volume, event.file, node)
    return {"volumes": mirror.volumes.set(event.volume, volume)}


def _remove(volume: Volume, uuids: Iterable[str]) -> Volume:
    files, children = volume.files, volume.children
    for uuid in uuids:
        node = files.get(uuid)
        if node is not None:
            files = files.delete(uuid)
            parent_key = node.parent or ROOT
            siblings = children.get(parent_key)
            if siblings is not None and uuid in siblings:
                siblings = siblings.delete(uuid)
                children = (
                    children.set(parent_key, siblings) if siblings else children.delete(parent_key)
                )
        if uuid in children:
            children = children.delete(uuid)
    return Volume(files, children)


@SLICE.reducer(FileDelete)
def file_delete(mirror: Mirror, event: FileDelete) -> Changes:
    if event.file == event.volume:
        return {"volumes": mirror.volumes.set(event.volume, EMPTY_VOLUME)}
    volume = mirror.volumes.get(event.volume) or EMPTY_VOLUME
    volume = _remove(volume, volume.subtree(event.file))
    return {"volumes": mirror.volumes.set(event.volume, volume)}
