"""File events (reference: "File events"): one tree of files and folders per volume."""

from __future__ import annotations

from typing import Literal

import attrs

from ._base import Count, Event, Timestamp, Uuid

FileType = Literal["file", "folder"]


@attrs.frozen(kw_only=True)
class FileNew(Event):
    """A file or folder was created; without ``parent`` it sits at the volume's root."""

    commit: Uuid
    file: Uuid
    volume: Uuid
    type: FileType
    name: str
    parent: Uuid | None = None
    ctime: Timestamp | None = None
    mtime: Timestamp | None = None
    user: Uuid | None = None
    event: Literal["file_new"] = "file_new"


@attrs.frozen(kw_only=True)
class FileModify(Event):
    """A file or folder changed; only changed fields are present (``parent``: it moved)."""

    commit: Uuid
    file: Uuid
    volume: Uuid
    type: FileType
    name: str | None = None
    parent: Uuid | None = None
    ctime: Timestamp | None = None
    mtime: Timestamp | None = None
    user: Uuid | None = None
    size: Count | None = None
    mime_type: str | None = None
    md5: str | None = None
    event: Literal["file_modify"] = "file_modify"


@attrs.frozen(kw_only=True)
class FileDelete(Event):
    """A file or folder (with its subtree) was deleted; ``file == volume`` empties the volume."""

    commit: Uuid
    file: Uuid
    volume: Uuid
    event: Literal["file_delete"] = "file_delete"
