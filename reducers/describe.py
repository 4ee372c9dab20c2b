"""What people call an entity: an object's description, a tag's label, a file's name.

The time-travel commands write these beside the UUIDs they show (``log``, ``diff``,
``blame``), and :func:`reducers.trace` finds them for each record it reports.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["FILES_IN", "READS", "describe", "description", "name_of"]

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
    for slice, entity in (
        ("objects", mirror.objects.get(uuid)),
        ("conferences", mirror.conferences.get(uuid)),
        ("presentations", mirror.presentations.get(uuid)),
        ("chats", mirror.chats.get(uuid)),
        ("boxes", mirror.boxes.get(uuid)),
    ):
        text = name_of(slice, entity)
        if text:
            return str(text)
    tag = mirror.tags.get(uuid)
    if tag is not None:
        return str(name_of("tags", tag))
    for volume in mirror.volumes.values() if files else ():
        text = name_of(FILES_IN, volume.files.get(uuid))
        if text:
            return str(text)
    return None


def name_of(slice: str, entity: Any) -> Any:
    """What :func:`description` reads of one entity of ``slice`` (None if there is none): a
    tag's label, a file's name (``slice``: :data:`FILES_IN`), or else its description."""
    if entity is None:
        return None
    if slice == "tags":
        return entity.label
    if slice == FILES_IN:
        return entity.name
    return getattr(entity, "description", None)
