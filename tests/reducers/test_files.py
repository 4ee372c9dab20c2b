"""File events: one tree per volume, moves, subtree deletes, cycles refused, paths."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reducers
from eventmirror.errors import EventError
from reducers.files import EMPTY_VOLUME, ROOT, FileNode, Volume, with_children
from tests.support import ME

VOLUME = "6a8432ec-474f-11e1-8495-0024e8f90cc0"
OTHER_VOLUME = "7b9543fd-474f-11e1-8495-0024e8f90cc0"
DOCS = "9e6bde98-474f-11e1-9a62-0024e8f90cc0"
LETTERS = "a1b2c3d4-474f-11e1-9a62-0024e8f90cc0"
ARCHIVE = "d5edfe04-4750-11e1-be06-0024e8f90cc0"
LETTER = "8aaf6000-474f-11e1-b0ba-0024e8f90cc0"
NOTE = "8bbf6000-474f-11e1-b0ba-0024e8f90cc0"
UNSEEN = "e0e0e0e0-4750-11e1-be06-0024e8f90cc0"
LATER = "f1f1f1f1-4750-11e1-be06-0024e8f90cc0"
COMMIT = "383a5354-362f-11e3-837a-0024e8f90cc0"
COMMIT2 = "400f9be8-362f-11e3-b868-0024e8f90cc0"
AUTHOR = "bc93f42a-45d6-11e1-b856-0024e8f90cc0"


class Files:
    """A contiguous stream of file events (``tests.support.Stream.add`` cannot take the payload
    field ``name``, which file events use)."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def add(self, event: str, **payload: Any) -> dict[str, Any]:
        item = {"id": len(self.events), "event": event, "time": 1_000 + len(self.events)}
        item.update({"commit": COMMIT, "volume": VOLUME, **payload})
        self.events.append(item)
        return item

    def new(self, file: str, name: str, type: str = "file", **optional: Any) -> dict[str, Any]:
        return self.add("file_new", file=file, type=type, name=name, **optional)

    def modify(self, file: str, type: str = "file", **optional: Any) -> dict[str, Any]:
        return self.add("file_modify", file=file, type=type, **optional)

    def delete(self, file: str, **payload: Any) -> dict[str, Any]:
        return self.add("file_delete", file=file, **payload)

    def fold(self, *, strict: bool = True) -> reducers.Mirror:
        lines = [msgspec.json.encode(e) for e in self.events]
        return reducers.fold(lines, strict=strict, me=ME)


def volume_of(mirror: reducers.Mirror, uuid: str = VOLUME) -> Volume:
    return mirror.volumes.get(uuid) or EMPTY_VOLUME


def tree() -> Files:
    """/docs/letters/letter.pdf, /docs/note.txt and /archive."""
    files = Files()
    files.new(DOCS, "docs", "folder")
    files.new(LETTERS, "letters", "folder", parent=DOCS)
    files.new(LETTER, "letter.pdf", parent=LETTERS)
    files.new(NOTE, "note.txt", parent=DOCS)
    files.new(ARCHIVE, "archive", "folder")
    return files


def parents(volume: Volume) -> dict[str, str | None]:
    return {uuid: node.parent for uuid, node in volume.files.items()}


# --- file_new ---------------------------------------------------------------------------------


def test_file_new_with_every_optional_field() -> None:
    files = Files()
    files.new(DOCS, "docs", "folder")
    files.new(LETTER, "letter.pdf", parent=DOCS, ctime=20, mtime=21, user=AUTHOR)
    volume = volume_of(files.fold())
    assert volume.files[LETTER] == FileNode(
        "file", "letter.pdf", DOCS, ctime=20, mtime=21, user=AUTHOR, commit=COMMIT
    )
    assert volume.path(LETTER) == "/docs/letter.pdf"
    assert set(volume.children[DOCS]) == {LETTER}


def test_file_new_without_parent_is_at_the_root_and_absent_fields_stay_unset() -> None:
    files = Files()
    files.new(LETTER, "letter.pdf")
    mirror = files.fold()
    volume = volume_of(mirror)
    assert volume.files[LETTER] == FileNode("file", "letter.pdf", commit=COMMIT)
    assert volume.path(LETTER) == "/letter.pdf"
    assert set(volume.children[ROOT]) == {LETTER}
    stored = reducers.to_json(mirror)["volumes"][VOLUME]["files"][LETTER]
    assert stored == {"type": "file", "name": "letter.pdf", "commit": COMMIT}


def test_file_new_inside_an_unseen_folder_keeps_the_parent() -> None:
    files = Files()
    files.new(LETTER, "letter.pdf", parent=UNSEEN)
    volume = volume_of(files.fold())
    assert volume.files[LETTER].parent == UNSEEN
    # The folder is not known yet, so the path names it by its UUID.
    assert volume.path(LETTER) == f"/{UNSEEN}/letter.pdf"
    assert set(volume.children[UNSEEN]) == {LETTER}


# --- file_modify ------------------------------------------------------------------------------

CHANGES: dict[str, Any] = {
    "name": "letter2.pdf",
    "ctime": 30,
    "mtime": 31,
    "user": AUTHOR,
    "size": 386231,
    "mime_type": "application/pdf",
    "md5": "92f2e0728cd03376ed13a191734cc065",
}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_file_modify_changes_only_the_fields_present(field: str) -> None:
    files = tree()
    before = volume_of(files.fold()).files[LETTER]
    files.modify(LETTER, commit=COMMIT2, **{field: CHANGES[field]})
    after = volume_of(files.fold()).files[LETTER]
    assert after == msgspec.structs.replace(before, commit=COMMIT2, **{field: CHANGES[field]})


def test_file_modify_with_every_optional_field_but_parent() -> None:
    files = tree()
    files.modify(LETTER, commit=COMMIT2, **CHANGES)
    volume = volume_of(files.fold())
    assert volume.files[LETTER] == FileNode(parent=LETTERS, type="file", commit=COMMIT2, **CHANGES)
    assert volume.path(LETTER) == "/docs/letters/letter2.pdf"


def test_file_modify_without_optional_fields_keeps_the_node_where_it_is() -> None:
    files = Files()
    files.new(LETTER, "letter.pdf", parent=LETTERS, ctime=20, mtime=21, user=AUTHOR)
    before = volume_of(files.fold())
    files.modify(LETTER, commit=COMMIT2)
    after = volume_of(files.fold())
    assert after.files[LETTER] == msgspec.structs.replace(before.files[LETTER], commit=COMMIT2)
    assert after.children == before.children


def test_file_modify_with_parent_moves_the_node_and_its_subtree() -> None:
    files = tree()
    files.modify(LETTERS, "folder", parent=ARCHIVE)
    volume = volume_of(files.fold())
    assert volume.files[LETTERS].parent == ARCHIVE
    assert volume.path(LETTER) == "/archive/letters/letter.pdf"
    assert set(volume.children[DOCS]) == {NOTE}
    assert set(volume.children[ARCHIVE]) == {LETTERS}
    assert with_children(volume.files) == volume


def test_a_parent_equal_to_the_volume_moves_the_node_to_the_root() -> None:
    files = tree()
    files.modify(LETTERS, "folder", parent=VOLUME)
    volume = volume_of(files.fold())
    assert volume.files[LETTERS].parent is None
    assert volume.path(LETTER) == "/letters/letter.pdf"
    assert set(volume.children[ROOT]) == {DOCS, LETTERS, ARCHIVE}
    assert with_children(volume.files) == volume


def test_file_modify_of_an_unseen_node_creates_it_from_the_event() -> None:
    files = Files()
    files.modify(LETTER, name="letter.pdf", parent=UNSEEN, size=10)
    volume = volume_of(files.fold())
    assert volume.files[LETTER] == FileNode("file", "letter.pdf", UNSEEN, size=10, commit=COMMIT)
    assert volume.path(LETTER) == f"/{UNSEEN}/letter.pdf"


# --- cycles -----------------------------------------------------------------------------------

#: Where a move of /docs would put it inside itself: itself, its child, its grandchild.
INSIDE_DOCS = [DOCS, LETTERS, LETTER]


@pytest.mark.parametrize("target", INSIDE_DOCS)
def test_moving_a_folder_inside_itself_raises_in_strict_mode(target: str) -> None:
    files = tree()
    files.modify(DOCS, "folder", parent=target)
    with pytest.raises(EventError) as caught:
        files.fold()
    assert caught.value.event_id == len(files.events) - 1
    assert caught.value.event_type == "file_modify"
    assert caught.value.problem.path == "parent"


@pytest.mark.parametrize("target", INSIDE_DOCS)
def test_moving_a_folder_inside_itself_is_rejected_and_not_applied(target: str) -> None:
    files = tree()
    before = files.fold()
    files.modify(DOCS, "folder", name="renamed", parent=target)
    files.new(LATER, "after.txt")
    mirror = files.fold(strict=False)
    (anomaly,) = mirror.health.anomalies
    assert (anomaly.kind, anomaly.event, anomaly.path) == ("rejected", "file_modify", "parent")
    assert anomaly.id == len(files.events) - 2
    assert mirror.health.rejected == 1
    # The rejected move changed nothing (not even the name it carried); the stream goes on.
    assert volume_of(mirror).files.delete(LATER) == volume_of(before).files
    assert volume_of(mirror).path(LETTER) == "/docs/letters/letter.pdf"
    assert mirror.applied == before.applied + 1
    assert mirror.last_id == len(files.events) - 1


def test_file_new_of_a_folder_seen_only_as_a_parent_cannot_go_inside_itself() -> None:
    files = Files()
    files.new(LETTERS, "letters", "folder", parent=DOCS)
    files.new(DOCS, "docs", "folder", parent=LETTERS)
    with pytest.raises(EventError) as caught:
        files.fold()
    assert caught.value.event_type == "file_new" and caught.value.problem.path == "parent"
    mirror = files.fold(strict=False)
    assert mirror.health.anomalies[0].kind == "rejected"
    assert parents(volume_of(mirror)) == {LETTERS: DOCS}


def test_a_node_is_never_its_own_parent_and_deleting_it_terminates() -> None:
    files = Files()
    files.new(DOCS, "docs", "folder", parent=DOCS)
    files.delete(DOCS)
    mirror = files.fold(strict=False)
    assert mirror.health.rejected == 1
    assert volume_of(mirror) == EMPTY_VOLUME


# --- file_delete ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "remaining"),
    [(NOTE, {DOCS, LETTERS, LETTER, ARCHIVE}), (LETTERS, {DOCS, NOTE, ARCHIVE}), (DOCS, {ARCHIVE})],
)
def test_deleting_a_node_deletes_it_with_its_whole_subtree(
    target: str, remaining: set[str]
) -> None:
    files = tree()
    files.delete(target)
    volume = volume_of(files.fold())
    assert set(volume.files) == remaining
    assert with_children(volume.files) == volume


def test_deleting_an_unseen_folder_deletes_the_nodes_known_inside_it() -> None:
    files = Files()
    files.new(LETTERS, "letters", "folder", parent=UNSEEN)
    files.new(LETTER, "letter.pdf", parent=LETTERS)
    files.new(NOTE, "note.txt")
    files.delete(UNSEEN)
    volume = volume_of(files.fold())
    assert set(volume.files) == {NOTE}
    assert with_children(volume.files) == volume


def test_each_volume_has_its_own_tree_and_file_equal_to_the_volume_empties_it() -> None:
    files = tree()
    files.new(LETTER, "elsewhere.pdf", volume=OTHER_VOLUME)
    files.modify(LETTER, volume=OTHER_VOLUME, name="moved.pdf", parent=UNSEEN)
    files.delete(LETTERS)
    mirror = files.fold()
    assert LETTER not in volume_of(mirror).files
    assert volume_of(mirror, OTHER_VOLUME).path(LETTER) == f"/{UNSEEN}/moved.pdf"
    files.delete(VOLUME)
    mirror = files.fold()
    assert volume_of(mirror) == EMPTY_VOLUME
    assert set(volume_of(mirror, OTHER_VOLUME).files) == {LETTER}


def test_path_of_any_node() -> None:
    volume = volume_of(tree().fold())
    assert {uuid: volume.path(uuid) for uuid in volume.files} == {
        DOCS: "/docs",
        LETTERS: "/docs/letters",
        LETTER: "/docs/letters/letter.pdf",
        NOTE: "/docs/note.txt",
        ARCHIVE: "/archive",
    }
    assert volume.path(UNSEEN) == f"/{UNSEEN}"


# --- JSON form --------------------------------------------------------------------------------


def test_the_volume_survives_a_json_round_trip_with_its_children_index() -> None:
    files = tree()
    files.modify(LETTER, name="letter2.pdf", parent=ARCHIVE, size=5, md5="ab")
    files.new(NOTE, "n.txt", volume=OTHER_VOLUME, parent=UNSEEN)
    mirror = files.fold()
    loaded = reducers.loads(reducers.dumps(mirror))
    assert loaded == mirror
    assert volume_of(loaded).children == volume_of(mirror).children
    document = reducers.to_json(mirror)["volumes"]
    assert set(document[VOLUME]) == {"files"}  # the children index is derived, not stored
    assert document[VOLUME]["files"][LETTER] == {
        "type": "file",
        "name": "letter2.pdf",
        "parent": ARCHIVE,
        "size": 5,
        "md5": "ab",
        "commit": COMMIT,
    }


# --- properties -------------------------------------------------------------------------------

POOL = (DOCS, LETTERS, ARCHIVE, LETTER, NOTE)
OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(("new", "new", "move", "move", "delete", "wipe")),
        st.sampled_from(POOL),
        st.sampled_from((None, VOLUME, UNSEEN, *POOL)),
    ),
    max_size=30,
)


class TreeModel:
    """The rules, written plainly: parent links, with deletes walking every node's ancestors."""

    def __init__(self) -> None:
        self.parent: dict[str, str | None] = {}
        #: Deleted and not created again: the server never names these as a parent.
        self.gone: set[str] = set()
        self.rejected = 0

    def ancestors(self, uuid: str) -> list[str]:
        found: list[str] = []
        current = self.parent.get(uuid)
        while current is not None and current not in found:
            found.append(current)
            current = self.parent.get(current)
        return found

    def place(self, uuid: str, parent: str | None) -> None:
        parent = None if parent == VOLUME else parent
        if parent is not None and (parent == uuid or uuid in self.ancestors(parent)):
            self.rejected += 1
            return
        self.parent[uuid] = parent
        self.gone.discard(uuid)

    def delete(self, uuid: str) -> None:
        if uuid == VOLUME:
            self.gone |= {*self.parent, UNSEEN, *POOL}
            self.parent = {}
            return
        doomed = {n for n in self.parent if n == uuid or uuid in self.ancestors(n)}
        for node in doomed:
            del self.parent[node]
        self.gone |= doomed | {uuid}


Snapshot = tuple[dict[str, str | None], frozenset[str]]


def play(operations: list[tuple[str, str, str | None]]) -> tuple[Files, list[Snapshot], int]:
    """The operations as a file-event stream the server could send, the model's parent links
    and deleted nodes after each event, and how many events the model rejects."""
    files, model, snapshots = Files(), TreeModel(), []
    for kind, uuid, wanted in operations:
        parent = VOLUME if wanted in model.gone else wanted
        if kind in ("wipe", "delete"):
            target = VOLUME if kind == "wipe" else uuid
            files.delete(target)
            model.delete(target)
        elif kind == "move" and uuid in model.parent:
            files.modify(uuid, "folder", parent=parent or VOLUME)
            model.place(uuid, parent)
        else:
            optional = {} if parent in (None, VOLUME) else {"parent": parent}
            files.new(uuid, uuid[:4], "folder", **optional)
            model.place(uuid, parent)
        snapshots.append((dict(model.parent), frozenset(model.gone)))
    return files, snapshots, model.rejected


def has_cycle(volume: Volume, uuid: str) -> bool:
    seen: set[str] = set()
    current: str | None = uuid
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        node = volume.files.get(current)
        current = node.parent if node is not None else None
    return False


@given(OPERATIONS)
def test_any_file_stream_keeps_one_consistent_tree(
    operations: list[tuple[str, str, str | None]],
) -> None:
    files, snapshots, rejected = play(operations)
    mirror = reducers.empty(ME)
    for event, (expected, gone) in zip(files.events, snapshots, strict=True):
        mirror = reducers.apply(mirror, msgspec.json.encode(event))
        volume = volume_of(mirror)
        assert parents(volume) == expected
        assert not any(has_cycle(volume, uuid) for uuid in volume.files)
        # Every parent is present, or a folder never seen: never one that was deleted.
        for node in volume.files.values():
            assert node.parent is None or node.parent in volume.files or node.parent not in gone
        assert with_children(volume.files) == volume
    assert mirror.health.rejected == rejected
    assert mirror.applied == len(files.events) - rejected
    assert reducers.loads(reducers.dumps(mirror)) == mirror
