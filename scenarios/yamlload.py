"""Reading scenario files: a safe YAML loader that remembers where every value was written.

Scenario files come from many hands, so the loader trusts nothing in them:

- it is PyYAML's ``SafeLoader`` (plain data only); ``!!python/...`` and every other tag it
  does not know is refused with the file and line;
- a file larger than ``max_bytes`` is refused before it is parsed;
- aliases are counted as the values they expand to, and a document that would expand to more
  than ``max_values`` (a "billion laughs" file) or refers to itself is refused before a value
  is built;
- a key written twice in one mapping is an error, not a silent overwrite.

Two YAML 1.1 surprises are switched off because a test author never means them: only
``true``/``false`` are booleans (``no`` stays the text "no"), and dates stay text.

Mappings and lists come back as :class:`LocatedDict` / :class:`LocatedList`, ordinary dicts
and lists that also know the line of each key or item, so later checks can point at them.
The matcher tags ``!any``, ``!absent``, ``!regex`` and ``!unordered`` build
:mod:`scenarios.matching` objects.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

import yaml

from .matching import ABSENT, ANY, Regex, Unordered

MAX_BYTES = 4 * 1024 * 1024
MAX_VALUES = 1_000_000


class ScenarioFileError(ValueError):
    """A scenario file that cannot be used, with where and why."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}")


class LocatedDict(dict[Any, Any]):
    """A mapping from a scenario file, with the line of the mapping and of each key."""

    line: int = 0
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LocatedList(list[Any]):
    """A list from a scenario file, with its line and the line of each item."""

    line: int = 0
    lines: list[int]

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


def line_of(value: Any, default: int) -> int:
    """The line a value was written on, if the loader recorded one."""
    return value.line if isinstance(value, LocatedDict | LocatedList) else default


class _Loader(yaml.SafeLoader):
    """SafeLoader with located containers, matcher tags and fewer implicit types."""


# Only the spellings of true and false YAML 1.2 keeps; "yes", "no", "on", "off" stay text.
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


_MATCHER_TAGS = "any|absent|regex|unordered"
# Two habits YAML does not forgive, each worth a hint rather than a parser's message: a tag
# ends only at a space, so "{x: !absent}" reads the tag "!absent}"; and a colon makes a key
# only before a space, so "{x:!absent}" is the one text "x:!absent".
_GLUED_TAG = re.compile(rf"!({_MATCHER_TAGS})([,\]}}])")
_GLUED_COLON = re.compile(rf"^(.*?[^\s:]):(!(?:{_MATCHER_TAGS}))(?:\s|$)")


def _glued_tag(text: str) -> str | None:
    """The hint for a matcher tag written right before ``}``, ``]`` or ``,``, if any."""
    found = _GLUED_TAG.search(text)
    if found is None:
        return None
    tag, closer = f"!{found[1]}", found[2]
    return (
        f"put a space after {tag}: a tag ends only at a space, so {tag}{closer} reads as a "
        f"tag named '{tag}{closer}'; write {tag} {closer}"
    )


def _check_plain_text(node: yaml.Node) -> None:
    """Refuse a plain text that is a key and a matcher written without the space between."""
    if isinstance(node, yaml.ScalarNode) and node.style is None:
        found = _GLUED_COLON.match(node.value)
        if found is not None:
            key, rest = found[1], node.value[len(found[1]) + 1 :]
            raise _Refused(
                _line(node),
                f"{node.value!r} reads as one text: put a space after the colon, as in "
                f"{key}: {rest}",
            )


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Iterator[LocatedDict]:
    result = LocatedDict()
    result.line, result.lines = _line(node), {}
    yield result
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        _check_plain_text(key_node)
        _check_plain_text(value_node)
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable) or isinstance(key, LocatedDict | LocatedList):
            raise _Refused(_line(key_node), "a mapping key must be a plain value")
        if key in result:
            raise _Refused(
                _line(key_node),
                f"the key {key!r} is written twice in this mapping "
                f"(first on line {result.lines[key]})",
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = _line(key_node)


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Iterator[LocatedList]:
    result = LocatedList()
    result.line, result.lines = _line(node), []
    yield result
    for item in node.value:
        _check_plain_text(item)
        result.append(loader.construct_object(item, deep=True))
        result.lines.append(_line(item))


def _construct_any(loader: _Loader, node: yaml.Node) -> object:
    _no_value(node, "!any")
    return ANY


def _construct_absent(loader: _Loader, node: yaml.Node) -> object:
    _no_value(node, "!absent")
    return ABSENT


def _construct_regex(loader: _Loader, node: yaml.Node) -> Regex:
    if not isinstance(node, yaml.ScalarNode) or not node.value:
        raise _Refused(_line(node), "!regex takes a pattern, as in: !regex '^Pro'")
    try:
        return Regex(str(node.value))
    except ValueError as error:
        raise _Refused(_line(node), str(error)) from None


def _construct_unordered(loader: _Loader, node: yaml.Node) -> Unordered:
    if not isinstance(node, yaml.SequenceNode):
        raise _Refused(_line(node), "!unordered takes a list, as in: !unordered [a, b]")
    items = loader.construct_sequence(node, deep=True)
    return Unordered(list(items))


def _no_value(node: yaml.Node, tag: str) -> None:
    if not isinstance(node, yaml.ScalarNode) or node.value != "":
        raise _Refused(_line(node), f"{tag} stands alone; write just {tag}")


def _unknown_tag(loader: _Loader, suffix: str, node: yaml.Node) -> object:
    hint = _glued_tag(node.tag)
    if hint is not None:
        raise _Refused(_line(node), hint)
    raise _Refused(
        _line(node),
        f"the tag {node.tag!r} is not allowed in a scenario file; the tags a scenario may use "
        "are !any, !absent, !regex and !unordered (files are data, never code)",
    )


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_Loader.add_constructor("!any", _construct_any)
_Loader.add_constructor("!absent", _construct_absent)
_Loader.add_constructor("!regex", _construct_regex)
_Loader.add_constructor("!unordered", _construct_unordered)
# The catch-all for every other tag, including "tag:yaml.org,2002:python/..." ones.
_Loader.add_multi_constructor("", _unknown_tag)


# SafeLoader's types beyond JSON's (bytes, sets, ordered pairs, datetimes) have no place in a
# mirror or an event, and would only fail later with a worse message.
def _not_json(loader: _Loader, node: yaml.Node) -> object:
    return _unknown_tag(loader, "", node)


for _tag in ("binary", "set", "omap", "pairs", "timestamp"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _not_json)


class _Refused(Exception):
    """Raised inside construction; turned into a ScenarioFileError with the path."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """How many values a node graph stands for once aliases are expanded, stopping at limit.

    Aliases share node objects, so sizes are memoised by identity: a billion-laughs file is
    measured in time proportional to its length, not its expansion.
    """
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if not children_done:
            if key in in_progress:
                raise _Refused(_line(node), "an alias refers to a value that contains it")
            in_progress.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in in_progress and id(child) not in sizes:
                    raise _Refused(_line(child), "an alias refers to a value that contains it")
                stack.append((child, False))
            continue
        in_progress.discard(key)
        sizes[key] = min(limit + 1, 1 + sum(sizes[id(child)] for child in children))
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _hint_for(text: str, error: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """(line, hint) when a parser error comes from a matcher tag written right before a
    closing bracket or a comma, on the lines the error spans."""
    marks = [mark for mark in (error.context_mark, error.problem_mark) if mark is not None]
    if not marks:
        return None
    lines = text.splitlines()
    for number in range(min(m.line for m in marks), max(m.line for m in marks) + 1):
        hint = _glued_tag(lines[number]) if number < len(lines) else None
        if hint is not None:
            return number + 1, hint
    return None


def load_documents(
    text: str | bytes,
    path: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_values: int = MAX_VALUES,
) -> list[Any]:
    """Every YAML document in ``text``, each as located plain data.

    Raises :class:`ScenarioFileError` naming ``path`` and the line for anything that is not
    plain, bounded YAML.
    """
    size = len(text.encode() if isinstance(text, str) else text)
    if size > max_bytes:
        raise ScenarioFileError(
            path, None, f"the file is {size:,} bytes; scenario files may be at most {max_bytes:,}"
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ScenarioFileError(
                path, None, f"the file is not UTF-8 text (byte {error.start})"
            ) from None
    documents: list[Any] = []
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        while loader.check_node():
            node = loader.get_node()
            assert node is not None  # check_node() said there is one
            if _expanded_size(node, max_values) > max_values:
                raise _Refused(
                    _line(node),
                    f"this document stands for more than {max_values:,} values, counting "
                    "each alias (*name) as the values it repeats; split the file, or use "
                    "fewer aliases",
                )
            documents.append(loader.construct_document(node))
    except _Refused as refused:
        raise ScenarioFileError(path, refused.line, refused.message) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = None if mark is None else int(mark.line) + 1
        hinted = _hint_for(text, error)
        if hinted is not None:
            raise ScenarioFileError(path, *hinted) from None
        problem = " ".join(filter(None, [error.context, error.problem]))
        raise ScenarioFileError(path, line, f"this is not valid YAML: {problem}") from None
    except yaml.reader.ReaderError as error:
        raise ScenarioFileError(
            path, None, f"this is not valid YAML: character {error.character:#x} is not allowed"
        ) from None
    except yaml.YAMLError as error:
        raise ScenarioFileError(path, None, f"this is not valid YAML: {error}") from None
    except RecursionError:
        raise ScenarioFileError(path, None, "the file nests values too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
    return documents


def load_file(path: Path, *, max_bytes: int = MAX_BYTES) -> list[Any]:
    """The documents of a scenario file, refusing an oversized one before reading it whole."""
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ScenarioFileError(
                shown,
                None,
                f"the file is {size:,} bytes; scenario files may be at most {max_bytes:,}",
            )
        data = path.read_bytes()
    except OSError as error:
        raise ScenarioFileError(shown, None, f"cannot read it: {error.strerror}") from None
    return load_documents(data, shown, max_bytes=max_bytes)
