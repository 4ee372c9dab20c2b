"""Files on the server: who is told, refusals, and folding the events gives the view."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from simulator import SimulatorError, World

from .test_fax import assert_mirrors, received, unchanged


def volume_world() -> tuple[World, str, str]:
    """anna's volume; ben reads it through a tag only once it is attached."""
    world = World(seed=2)
    for name in ("anna", "ben", "carl"):
        world.add_user(name)
        world.open_session(name)
    tag = world.tags.create("anna", "shared", policy={"ben": 1})
    return world, world.objects.create("anna", "volume", "docs"), tag


def test_file_events_reach_the_volume_readers() -> None:
    world, volume, tag = volume_world()
    world.objects.retag("anna", volume, add=[tag])
    folder = world.files.create("anna", volume, "letters", "folder")
    letter = world.files.create("anna", volume, "a.pdf", parent=folder)
    world.files.upload("anna", letter, 10, "application/pdf", "abc")
    world.files.rename("anna", letter, "b.pdf")
    world.files.move("anna", letter, None)
    world.files.delete("anna", volume, folder)
    world.files.empty("anna", volume)
    expected = ["file_new", "file_new", "file_modify", "file_modify", "file_modify"]
    assert received(world, "ben")[-7:] == [*expected, "file_delete", "file_delete"]
    assert not any(e.startswith("file_") for e in received(world, "carl"))
    move, emptied = world.sessions["s2"].events[-3], world.sessions["s2"].events[-1]
    assert move["parent"] == volume and "name" not in move
    assert emptied["file"] == volume
    assert_mirrors(world)


def test_upload_sends_the_contents_fields() -> None:
    world, volume, _ = volume_world()
    file = world.files.create("anna", volume, "a.txt")
    world.advance(3)
    world.files.upload("anna", file, 5, "text/plain", "md5")
    event = world.sessions["s1"].events[-1]
    assert (event["size"], event["mime_type"], event["md5"]) == (5, "text/plain", "md5")
    assert event["mtime"] == world.now and "name" not in event
    node = world.view("s1")["volumes"][volume]["files"][file]
    assert (node["size"], node["name"], node["mtime"]) == (5, "a.txt", world.now)
    assert_mirrors(world)


def test_deleting_a_folder_deletes_its_subtree_with_one_event() -> None:
    world, volume, _ = volume_world()
    top = world.files.create("anna", volume, "top", "folder")
    inner = world.files.create("anna", volume, "inner", "folder", top)
    world.files.create("anna", volume, "x", parent=inner)
    kept = world.files.create("anna", volume, "kept")
    count = len(world.sessions["s1"].events)
    world.files.delete("anna", volume, top)
    assert len(world.sessions["s1"].events) == count + 1
    assert list(world.view("s1")["volumes"][volume]["files"]) == [kept]
    assert_mirrors(world)


def test_a_reader_told_only_of_a_rename_keeps_the_node_after_its_folder_goes() -> None:
    world, volume, tag = volume_world()
    folder = world.files.create("anna", volume, "f", "folder")
    inner = world.files.create("anna", volume, "x", parent=folder)
    world.objects.retag("anna", volume, add=[tag])
    world.files.rename("anna", inner, "y")
    world.files.delete("anna", volume, folder)
    # ben never learnt that y was inside f: his view (and mirror) still holds it at the root.
    ben = world.view("s2")["volumes"][volume]["files"]
    assert list(ben) == [inner] and "parent" not in ben[inner]
    assert world.view("s1")["volumes"][volume] == {"files": {}}
    assert_mirrors(world)
    world.files.create("anna", volume, "new")
    world.files.empty("anna", volume)
    assert world.view("s2")["volumes"][volume] == {"files": {}}
    assert_mirrors(world)


def test_invalid_file_commands_change_nothing() -> None:
    world, volume, _ = volume_world()
    fax = world.objects.create("anna", "fax")
    folder = world.files.create("anna", volume, "f", "folder")
    inner = world.files.create("anna", volume, "g", "folder", folder)
    file = world.files.create("anna", volume, "a", parent=inner)
    world.files.upload("anna", file, 1, "text/plain", "m")
    unchanged(world, lambda: world.files.create("anna", fax, "x"))
    unchanged(world, lambda: world.files.create("ben", volume, "x"))
    unchanged(world, lambda: world.files.create("anna", volume, "x", "link"))
    unchanged(world, lambda: world.files.create("anna", volume, "x", parent=file))
    unchanged(world, lambda: world.files.create("anna", volume, "x", parent=world.new_uuid()))
    unchanged(world, lambda: world.files.rename("anna", file, "a"))
    unchanged(world, lambda: world.files.rename("anna", world.new_uuid(), "b"))
    unchanged(world, lambda: world.files.move("anna", folder, folder))
    unchanged(world, lambda: world.files.move("anna", folder, inner))
    unchanged(world, lambda: world.files.move("anna", inner, folder))
    unchanged(world, lambda: world.files.move("anna", inner, file))
    unchanged(world, lambda: world.files.upload("anna", folder, 1, "text/plain", "m"))
    unchanged(world, lambda: world.files.upload("anna", file, 1, "text/plain", "m"))
    unchanged(world, lambda: world.files.upload("anna", file, -1, "text/plain", "n"))
    unchanged(world, lambda: world.files.upload("ben", file, 2, "text/plain", "n"))
    unchanged(world, lambda: world.files.delete("anna", fax, file))
    unchanged(world, lambda: world.files.delete("carl", volume, file))
    empty = world.objects.create("anna", "volume")
    unchanged(world, lambda: world.files.empty("anna", empty))


commands = st.lists(
    st.tuples(
        st.sampled_from(["create", "folder", "rename", "move", "upload", "delete", "share"]),
        st.integers(0, 20),
        st.integers(0, 20),
    ),
    max_size=25,
)


@given(commands)
def test_folding_file_events_gives_the_view(steps: list[tuple[str, int, int]]) -> None:
    """Whatever the file commands and whenever ben gains or loses the volume."""
    world, volume, tag = volume_world()
    files = world.files
    for action, first, second in steps:
        nodes = sorted(files.volume_of)
        node = nodes[first % len(nodes)] if nodes else None
        target = nodes[second % len(nodes)] if nodes and second % 3 else None
        try:
            if action in ("create", "folder"):
                kind = "folder" if action == "folder" else "file"
                files.create("anna", volume, f"n{first}", kind, target)
            elif action == "share":
                shared = tag in world.objects.get(volume).tags
                world.objects.retag("anna", volume, add=[] if shared else [tag], remove=[tag])
            elif node is None:
                continue
            elif action == "rename":
                files.rename("anna", node, f"n{second}")
            elif action == "move":
                files.move("anna", node, target)
            elif action == "upload":
                files.upload("anna", node, second, "text/plain", f"m{second}")
            else:
                files.delete("anna", volume, node)
        except SimulatorError:
            continue
        assert_mirrors(world)
