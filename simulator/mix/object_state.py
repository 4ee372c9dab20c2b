"""Makers of the random day's commands: per-object state: faxes, announcements, boxes, files."""

from __future__ import annotations

import random

from ..world import World
from . import (
    FILE_NAMES,
    PHONES,
    Command,
    command,
    of_type,
    pick,
    some_uuid,
    writers,
)

# -- per-object state: faxes, announcements, boxes, files -------------------------------------


@command("fax", 4)
def _fax(rng: random.Random, world: World) -> Command | None:
    fax = pick(rng, of_type(world, "fax"))
    if fax is None:
        return None
    if rng.random() < 0.5:
        actor = rng.choice(writers(world, fax))
        pages = rng.choice((None, 1, 2, 3, 5))
        return lambda: world.fax.upload_and_convert(actor, fax, pages)
    known = list(world.fax.reports.get(fax, {}))
    report_id = pick(rng, known) if rng.random() < 0.5 else None
    report = {"status": rng.choice(("sending", "ok", "busy", "failed")), "to": rng.choice(PHONES)}
    reports = {report_id or some_uuid(rng): report}
    return lambda: world.fax.report(fax, reports)


@command("announcement", 3)
def _announcement(rng: random.Random, world: World) -> Command | None:
    announcement = pick(rng, of_type(world, "announcement"))
    if announcement is None:
        return None
    actor, success = rng.choice(writers(world, announcement)), rng.random() < 0.7
    return lambda: world.announcement.convert(actor, announcement, success)


@command("box", 4)
def _box(rng: random.Random, world: World) -> Command | None:
    box = pick(rng, of_type(world, "box"))
    if box is None:
        return None
    known = world.box.boxes.get(box)
    if known is not None and known.online and rng.random() < 0.6:
        return lambda: world.box.offline(box)
    ip = f"10.0.0.{rng.randint(2, 9)}"
    version = rng.choice(("1.0", "1.1"))
    return lambda: world.box.online(box, ip, "00:11:22:33:44:55", version, "X86")


@command("file", 8)
def _file(rng: random.Random, world: World) -> Command | None:
    files = world.files
    volume = pick(rng, of_type(world, "volume"))
    if volume is None:
        return None
    actor = rng.choice(writers(world, volume))
    nodes = [n for n, v in files.volume_of.items() if v == volume]
    folders = [n for n in nodes if files.volumes[volume].nodes[n]["type"][0] == "folder"]
    node, folder = pick(rng, nodes), pick(rng, folders)
    action = rng.choice(("create", "create", "rename", "move", "upload", "upload", "delete"))
    if node is None or action == "create":
        kind, name = rng.choice(("file", "file", "folder")), rng.choice(FILE_NAMES)
        return lambda: files.create(actor, volume, name, kind, folder)
    if action == "rename":
        name = rng.choice(FILE_NAMES)
        return lambda: files.rename(actor, node, name)
    if action == "move":
        target = folder if rng.random() < 0.6 else None
        return lambda: files.move(actor, node, target)
    if action == "upload":
        size = rng.randint(0, 3) * 1024
        return lambda: files.upload(actor, node, size, "application/pdf", f"md5-{size}")
    if rng.random() < 0.2:
        return lambda: files.empty(actor, volume)
    return lambda: files.delete(actor, volume, node)
