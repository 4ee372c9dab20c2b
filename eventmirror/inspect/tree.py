"""The mirror as the page's tree: one level at a time, never the whole JSON form at once.

A mirror's JSON form after a million events is tens of megabytes; the page needs a handful
of its nodes. A node is listed with its children, each child either a branch (an object:
its ``size``, the number of keys it holds) or a leaf (its ``value``, any other JSON value;
lists are leaves, as :func:`reducers.diff` compares them). A step comes with the top level
and the way down to each path the event changed (:func:`spine`); the page asks for any other
node's children as they are opened (:func:`children`), a page of keys at a time.

What a pointer names is :mod:`reducers.pointer`'s rule (the one home of it): the top level
and the slices are walked in the mirror itself (their keys cost nothing to list), and below
them a node is read with :func:`~reducers.pointer.resolve`, which builds only that entity's
JSON form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from reducers import Mirror
from reducers.jsonform import SECTIONS
from reducers.pointer import MISSING, nodes, parse_pointer, pointer, resolve

#: Children one answer lists at most.
PAGE: Final = 500


def children(mirror: Mirror, keys: tuple[str, ...], offset: int, limit: int) -> dict[str, Any]:
    """The children of the branch at ``keys``, sorted by key, ``limit`` from ``offset``:
    ``{"size": n, "children": [...], "next": offset or None}``; None if ``keys`` names
    nothing or a leaf."""
    branch = _branch(mirror, keys)
    if branch is None:
        return {"size": None, "children": [], "next": None}
    names = sorted(branch, key=str)
    shown = names[offset : offset + limit]
    return {
        "size": len(names),
        "children": [_child(mirror, keys, branch, name) for name in shown],
        "next": offset + limit if offset + limit < len(names) else None,
    }


def spine(mirror: Mirror, paths: Iterable[str]) -> dict[str, Any]:
    """The top level of the mirror, and each branch on the way to ``paths`` (JSON Pointers)
    with only the children on the way: ``{"children": [...], "open": {pointer: {"size": n,
    "children": [...]}}}``. A path the mirror no longer holds (removed) opens as far as it
    is still there."""
    wanted: dict[tuple[str, ...], set[str]] = {}
    for path in paths:
        keys = parse_pointer(path)
        for depth in range(1, len(keys)):
            wanted.setdefault(keys[:depth], set()).add(keys[depth])
    top = _branch(mirror, ())
    assert top is not None
    opened: dict[str, Any] = {}
    for keys in sorted(wanted, key=len):
        branch = _branch(mirror, keys)
        if branch is None:
            continue
        present = sorted((key for key in wanted[keys] if _has(branch, key)), key=str)
        opened[pointer(*keys)] = {
            "size": len(branch),
            "children": [_child(mirror, keys, branch, key) for key in present],
        }
    return {
        "children": [_child(mirror, (), top, name) for name in sorted(top)],
        "open": opened,
    }


def _branch(mirror: Mirror, keys: tuple[str, ...]) -> Mapping[Any, Any] | None:
    """The node at ``keys`` as a mapping by its JSON keys, or None (a leaf, or nothing)."""
    if not keys:
        return dict.fromkeys(SECTIONS)
    if len(keys) == 1 and keys[0] != "stream":
        found = nodes(mirror, keys)
        return found[-1] if len(found) > 1 else None  # a slice, walked as kept
    value = resolve(mirror, keys)
    return value if type(value) is dict else None


def _has(branch: Mapping[Any, Any], key: str) -> bool:
    return key in branch or (key.isdigit() and int(key) in branch)


def _child(
    mirror: Mirror, keys: tuple[str, ...], branch: Mapping[Any, Any], name: Any
) -> dict[str, Any]:
    """One child as the tree shows it: its key, and its size (a branch) or value (a leaf)."""
    key = str(name)
    if not keys:  # a section: its size, without building its JSON form
        section = _branch(mirror, (key,))
        return {"key": key, "size": 0 if section is None else len(section)}
    # A slice holds parts of the mirror (read one entity's JSON form); below, JSON values.
    value = resolve(mirror, (*keys, key)) if len(keys) == 1 else branch[name]
    if value is MISSING:
        return {"key": key, "value": None}
    if type(value) is dict:
        return {"key": key, "size": len(value)}
    return {"key": key, "value": value}
