"""A reverse index for :mod:`simulator.objects`: key -> the set of members filed under it.

The objects domain keeps three of them so that a tag or trash command costs what it touches,
not a scan of every object or every (user, object) pair. An empty set is dropped, so an index
equals exactly what a scan of the indexed state would compute.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Set
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=Hashable)


class SetIndex(Generic[K, V]):
    def __init__(self) -> None:
        self._sets: dict[K, set[V]] = {}

    def add(self, key: K, member: V) -> None:
        self._sets.setdefault(key, set()).add(member)

    def discard(self, key: K, member: V) -> None:
        members = self._sets.get(key)
        if members is not None:
            members.discard(member)
            if not members:
                del self._sets[key]

    def refile(self, member: V, old: Iterable[K], new: Iterable[K]) -> None:
        """Move ``member`` from the keys ``old`` to the keys ``new``."""
        old_keys, new_keys = set(old), set(new)
        for key in old_keys - new_keys:
            self.discard(key, member)
        for key in new_keys - old_keys:
            self.add(key, member)

    def get(self, key: K) -> Set[V]:
        """The members under ``key`` (a live view: copy it before changing the index)."""
        return self._sets.get(key, frozenset())

    def pop(self, key: K) -> Set[V]:
        return self._sets.pop(key, frozenset())

    def as_dict(self) -> dict[K, set[V]]:
        return {key: set(members) for key, members in self._sets.items()}
