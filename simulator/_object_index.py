"""A reverse index for the simulator's domains: key -> the members filed under it.

The objects domain keeps three (tag -> objects, owner -> trash, tag -> told tag lists), the
comments domain one (object -> comments) and the detailed streams one (object -> subscribed
sessions), so that a command costs what it touches, not a scan of everything. Members keep
the order they were filed in; an emptied key is dropped, so an index equals exactly what a
scan of the indexed state would compute.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Set
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=Hashable)


class SetIndex(Generic[K, V]):
    def __init__(self) -> None:
        # Dicts rather than sets: members come back in the order they were filed.
        self._members: dict[K, dict[V, None]] = {}

    def add(self, key: K, member: V) -> None:
        self._members.setdefault(key, {})[member] = None

    def discard(self, key: K, member: V) -> None:
        members = self._members.get(key)
        if members is not None:
            members.pop(member, None)
            if not members:
                del self._members[key]

    def refile(self, member: V, old: Iterable[K], new: Iterable[K]) -> None:
        """Move ``member`` from the keys ``old`` to the keys ``new`` (in their order)."""
        old_keys, new_keys = list(old), list(new)
        for key in old_keys:
            if key not in new_keys:
                self.discard(key, member)
        for key in new_keys:
            if key not in old_keys:
                self.add(key, member)

    def get(self, key: K) -> Set[V]:
        """The members under ``key``, in filing order (a live view: copy it before changing
        the index)."""
        members = self._members.get(key)
        return members.keys() if members is not None else frozenset()

    def pop(self, key: K) -> Set[V]:
        members = self._members.pop(key, None)
        return members.keys() if members is not None else frozenset()

    def as_dict(self) -> dict[K, set[V]]:
        return {key: set(members) for key, members in self._members.items()}
