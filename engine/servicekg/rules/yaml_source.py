"""Reading YAML so that every mapping and list remembers the line it stood on.

Rule files are checked after parsing, and each problem must name the line to fix; PyYAML's
safe loader drops the lines, so this one keeps them on the containers it builds
(:class:`LocatedDict`, :class:`LocatedList`) and reports keys written twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from servicekg.errors import YamlSyntaxError

__all__ = ["LocatedDict", "LocatedList", "line_of", "read_yaml"]


class LocatedDict(dict[Any, Any]):
    """A mapping read from YAML: ``line`` of the mapping, ``key_lines`` of each key,
    ``duplicates`` as (key, line) for keys written more than once (the last one wins)."""

    line: int | None = None

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int]] = []


class LocatedList(list[Any]):
    """A list read from YAML: ``line`` of the list, ``item_lines`` of each item."""

    line: int | None = None

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, building located containers."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            seen = key in result
        except TypeError:  # a list or a mapping used as a key
            key, seen = repr(key), False
        if seen:
            result.duplicates.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList()
    result.line = node.start_mark.line + 1
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.item_lines.append(item.start_mark.line + 1)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def read_yaml(path: Path) -> Any:
    """The YAML document in ``path`` with located containers.

    Raises :class:`YamlSyntaxError` (with the line) when it does not parse or is not UTF-8, and
    ``OSError`` when it cannot be read.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise YamlSyntaxError(
            line,
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); "
            "save the rule file as UTF-8",
        ) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise YamlSyntaxError(mark.line + 1 if mark else None, detail) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(None, str(error)) from None


def line_of(container: object, key: object = None) -> int | None:
    """The line of ``key`` in a located mapping (of item ``key`` in a located list), or of the
    container itself when ``key`` is ``None`` or unknown."""
    if isinstance(container, LocatedDict) and key in container.key_lines:
        return container.key_lines[key]
    if isinstance(container, LocatedList) and isinstance(key, int) and 0 <= key < len(container):
        return container.item_lines[key]
    return getattr(container, "line", None)
