"""Event builders for the office domains: tags, objects, comments, metadata and files.

Each builder returns one event ``(name, payload)`` consistent with the generator's model of the
server, and updates that model. A builder that would push its kind past the working set (or
has nothing to act on) writes the opposite event instead, which keeps every kind bounded.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ._session import ME, PLAIN_TYPES, Base, Event


class OfficeEvents(Base):
    # -- tags -----------------------------------------------------------------------------------

    def _tag_new(self) -> Event:
        s = self.s
        if len(s.tags) >= self.ws.tags:
            return self._tag_delete()
        tag, owner = self.words.uuid(), self.someone()
        policy = {owner: 4, ME: self.rng.randint(1, 3)}
        for _ in range(self.rng.randint(1, 4)):
            policy.setdefault(self.pick(self.users), self.rng.randint(1, 3))
        meta = {"owner": owner, "label": self.words.label(), "foreign_use": self.rng.random() < 0.3}
        s.tags.add(tag)
        s.tag_meta[tag] = {**meta, "policy": policy}
        return "tag_new", {"tag": tag, **meta, "policy": policy}

    def _tag_modify(self) -> Event:
        tag = self.s.tags.choice(self.rng)
        meta = self.s.tag_meta[tag]
        policy = dict(meta["policy"])
        others = [user for user in policy if user not in (meta["owner"], ME)]
        draw = self.rng.random()
        if draw < 0.5:
            meta["label"] = self.words.label()
        elif draw < 0.75 and others:
            policy[self.pick(others)] = 0  # that user lost access: sent once as 0
        else:
            policy[self.pick(self.users)] = self.rng.randint(1, 3)
        meta["policy"] = {user: level for user, level in policy.items() if level}
        return "tag_modify", {
            "tag": tag,
            **{k: meta[k] for k in ("owner", "label", "foreign_use")},
            "policy": policy,
        }

    def _tag_delete(self) -> Event:
        s = self.s
        if len(s.tags) < 2:
            return self._tag_new()
        tag = s.tags.choice(self.rng)
        s.tags.remove(tag)
        del s.tag_meta[tag]
        for tags in s.object_tags.values():
            if tag in tags:
                tags.remove(tag)
        return "tag_delete", {"tag": tag}

    # -- objects --------------------------------------------------------------------------------

    def _object_new(
        self, kind: str | None = None, uuid: str | None = None, share: bool = False
    ) -> Event:
        s = self.s
        if kind is None and len(s.headers) >= self.ws.objects:
            return self._object_delete()
        kind = kind or self.pick(PLAIN_TYPES)
        uuid = uuid or self.words.uuid()
        owner = (
            self.pick(self.users) if share else (ME if self.rng.random() < 0.7 else self.someone())
        )
        header = {
            "object": uuid,
            "type": kind,
            "owner": owner,
            "description": self.words.description(kind),
        }
        tags = [s.tags.choice(self.rng) for _ in range(self.rng.randint(0, 3)) if s.tags]
        tags = list(dict.fromkeys(tags))
        s.headers[uuid], s.object_tags[uuid] = header, tags
        if kind in PLAIN_TYPES:
            s.plain.add(uuid)
            if self.follow_up:
                s.pending.append(partial(self._object_metadata, uuid, "all"))
        if share:
            return "object_share", {**header, "user": owner, "tag": tags}
        return "object_new", {**header, "tag": tags}

    def _modified(self, uuid: str) -> dict[str, Any]:
        """An object event's header, with the user who acted (usually present)."""
        header = self.s.headers[uuid]
        if self.rng.random() < 0.2:
            header["description"] = self.words.description(header["type"])
        event = {"object": uuid, "type": header["type"], "owner": header["owner"]}
        if self.rng.random() < 0.9:
            event["user"] = self.someone()
        event["description"] = header["description"]
        return event

    def _object_modify(self) -> Event:
        return "object_modify", self._modified(self.s.plain.choice(self.rng))

    def _object_delete(self) -> Event:
        s = self.s
        if len(s.plain) < 2:
            return self._object_new()
        uuid = s.plain.choice(self.rng)
        event = self._modified(uuid)
        s.plain.remove(uuid)
        if self.rng.random() < 0.3:
            event["purge"] = True
            self._forget(uuid)
        else:
            s.trashed.append(uuid)
        return "object_delete", event

    def _forget(self, uuid: str) -> None:
        s = self.s
        del s.headers[uuid], s.object_tags[uuid]
        for comment in s.object_comments.pop(uuid, ()):
            s.comments.remove(comment)
            del s.comment_of[comment]

    def _trash_purge(self) -> Event:
        for uuid in self.s.trashed:
            self._forget(uuid)
        self.s.trashed.clear()
        return "trash_purge", {}

    def _object_share(self) -> Event:
        if len(self.s.headers) >= self.ws.objects:
            return self._object_unshare()
        return self._object_new(share=True)

    def _object_unshare(self) -> Event:
        s = self.s
        if len(s.plain) < 2:
            return self._object_share()
        uuid = s.plain.choice(self.rng)
        event = self._modified(uuid)
        s.plain.remove(uuid)
        self._forget(uuid)
        return "object_unshare", event

    def _object_tag(self) -> Event:
        s = self.s
        uuid = s.plain.choice(self.rng)
        tags = s.object_tags[uuid]
        event = self._modified(uuid)
        description = event.pop("description")
        # Adding and removing equally often keeps objects at 0-3 tags, 1.5 on average.
        draw = self.rng.random()
        candidate = s.tags.choice(self.rng)
        add = len(tags) < 3 and (not tags or draw < 0.5 or draw > 0.8) and candidate not in tags
        added = [candidate] if add else []
        removed = [tags[0]] if tags and (len(tags) == 3 or draw >= 0.5) else []
        tags[:] = [tag for tag in tags if tag not in removed] + added
        event.update(description=description, tag=list(tags), tag_add=added, tag_delete=removed)
        return "object_tag", event

    # -- comments and metadata ------------------------------------------------------------------

    def _comment_event(self, name: str, comment: str, owner: str, text: bool) -> Event:
        uuid = self.s.comment_of[comment][0]
        header = self.s.headers[uuid]
        event: dict[str, Any] = {"comment": comment, "owner": owner}
        if text:
            event["text"] = self.words.sentence(15, 100)
        event["object"] = dict(header)
        return name, event

    def _comment_new(self) -> Event:
        s = self.s
        if len(s.comments) >= self.ws.comments:
            return self._comment_delete()
        uuid, comment, owner = s.plain.choice(self.rng), self.words.uuid(), self.someone()
        s.comments.add(comment)
        s.comment_of[comment] = (uuid, owner)
        s.object_comments.setdefault(uuid, []).append(comment)
        return self._comment_event("comment_new", comment, owner, text=True)

    def _comment_modify(self) -> Event:
        if not self.s.comments:
            return self._comment_new()
        comment = self.s.comments.choice(self.rng)
        return self._comment_event(
            "comment_modify", comment, self.s.comment_of[comment][1], text=True
        )

    def _comment_delete(self) -> Event:
        s = self.s
        if len(s.comments) < 2:
            return self._comment_new()
        comment = s.comments.choice(self.rng)
        event = self._comment_event("comment_delete", comment, s.comment_of[comment][1], text=False)
        uuid = s.comment_of.pop(comment)[0]
        s.comments.remove(comment)
        s.object_comments[uuid].remove(comment)
        return event

    def _user_metadata(self) -> Event:
        event: dict[str, Any] = {
            "update": self.words.metadata("client", 1 + (self.rng.random() < 0.3))
        }
        if self.rng.random() < 0.15:
            event["delete"] = [self.words.metadata_key("client")]
        return "user_metadata", event

    def _object_metadata(self, uuid: str | None = None, keys: str = "some") -> Event:
        uuid = uuid or self.s.plain.choice(self.rng)
        event: dict[str, Any] = {"object": uuid, "user": self.someone()}
        count = 1 + (self.rng.random() < 0.4) if keys == "some" else None
        event["update"] = self.words.metadata("crm", count)
        if self.rng.random() < 0.1:
            event["delete"] = [self.words.metadata_key("crm")]
        return "object_metadata", event

    # -- files ----------------------------------------------------------------------------------

    def _file_new(self, volume: str | None = None, kind: str | None = None) -> Event:
        s = self.s
        if volume is None and len(s.node) >= self.ws.files:
            return self._file_delete()
        volume = volume or self.pick(self.volumes)
        kind = kind or ("folder" if self.rng.random() < 0.05 else "file")
        folders = s.folders.setdefault(volume, [])
        parent = self.pick(folders) if folders and self.rng.random() < 0.8 else None
        uuid = self.words.uuid()
        s.node[uuid] = (volume, parent, kind)
        s.children.setdefault(parent or volume, []).append(uuid)
        if kind == "folder":
            folders.append(uuid)
        else:
            s.files.add(uuid)
            if self.follow_up:  # the upload that gives the new file its content
                s.pending.append(partial(self._file_modify, uuid))
        name = self.words.file_name() if kind == "file" else self.words.folder_name()
        event: dict[str, Any] = {
            "commit": self.words.uuid(),
            "file": uuid,
            "volume": volume,
            "type": kind,
            "name": name,
        }
        if parent is not None:
            event["parent"] = parent
        event.update(ctime=self.time, mtime=self.time, user=self.someone())
        return "file_new", event

    def _file_modify(self, uuid: str | None = None) -> Event:
        """A rename, a move or (mostly) new content; always new content for ``uuid``."""
        s = self.s
        draw = 1.0 if uuid is not None else self.rng.random()
        uuid = uuid or s.files.choice(self.rng)
        volume, parent, kind = s.node[uuid]
        event: dict[str, Any] = {
            "commit": self.words.uuid(),
            "file": uuid,
            "volume": volume,
            "type": kind,
        }
        if draw < 0.1:
            event["name"] = self.words.file_name()
        elif draw < 0.2:
            folders = s.folders[volume]  # a folder's deletion may have taken every folder
            target = self.pick(folders) if folders and self.rng.random() < 0.7 else None
            s.children[parent or volume].remove(uuid)
            s.children.setdefault(target or volume, []).append(uuid)
            s.node[uuid] = (volume, target, kind)
            event["parent"] = target or volume  # the volume's own UUID: moved to the root
        event.update(mtime=self.time, user=self.someone())
        if draw >= 0.2:
            event.update(size=self.rng.randint(1_000, 9_000_000), **self.words.content())
        return "file_modify", event

    def _file_delete(self) -> Event:
        s = self.s
        if len(s.files) < 2:
            return self._file_new()
        target = s.files.choice(self.rng)
        folders = s.folders[s.node[target][0]]
        if self.rng.random() < 0.05 and len(folders) > 1:
            target = self.pick(folders)
        volume, parent, _ = s.node[target]
        s.children[parent or volume].remove(target)
        self._drop_subtree(target)
        return "file_delete", {"commit": self.words.uuid(), "file": target, "volume": volume}

    def _drop_subtree(self, uuid: str) -> None:
        s = self.s
        volume, _, kind = s.node.pop(uuid)
        if kind == "file":
            s.files.remove(uuid)
            return
        s.folders[volume].remove(uuid)
        for child in s.children.pop(uuid, ()):
            self._drop_subtree(child)
