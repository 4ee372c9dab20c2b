"""What people call an entity: an object's description, a tag's label, a file's name.

The time-travel commands write these beside the UUIDs they show (``log``, ``diff``,
``blame``), and :func:`reducers.trace` finds them for each record it reports.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["FILES_IN", "READS", "describe", "description"]

#: The slices :func:`description` reads an entity's name from (a record that touched none of
#: their entities left every description as it was), and the one holding the files.
READS: Final = frozenset({"objects", "conferences", "presentations", "chats", "boxes", "tags"})
FILES_IN: Final = "volumes"


def describe(uuid: str, *mirrors: Any, files: bool = False) -> str | None:
    """What people call the entity ``uuid`` in the first of ``mirrors`` that knows it: an
    object's description, a tag's label, a chat's, a box's description; with ``files`` a
    file's name too (that looks through every volume)."""
    for mirror in mirrors:
        found = description(uuid, mirror, files)
        if found:
            return found
    return None


def description(uuid: str, mirror: Any, files: bool) -> str | None:
    """What ``mirror`` calls ``uuid`` (``mirror``: anything with the slices a mirror has)."""
    for entity in (
        mirror.objects.get(uuid),
        mirror.conferences.get(uuid),
        mirror.presentations.get(uuid),
        mirror.chats.get(uuid),
        mirror.boxes.get(uuid),
    ):
        text = getattr(entity, "description", None)
        if text:
            return str(text)
    tag = mirror.tags.get(uuid)
    if tag is not None:
        return str(tag.label)
    for volume in mirror.volumes.values() if files else ():
        node = volume.files.get(uuid)
        if node is not None and node.name:
            return str(node.name)
    return None
