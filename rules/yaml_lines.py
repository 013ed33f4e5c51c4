"""Read YAML so every mapping and list knows the line it starts on, and each key its line."""

from __future__ import annotations

from pathlib import Path

import yaml


class LineDict(dict):
    """A mapping from YAML with ``line`` (where it starts) and ``key_lines`` (where each key is)."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[object, int] = {}
        self.duplicate_keys: list[tuple[object, int]] = []

    def line_of(self, key: object) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list from YAML with ``line`` (where it starts) and ``item_lines`` (where each item is)."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class YamlInt(int):
    """A whole number from YAML that keeps how it was written ("0815", "380")."""

    text: str = ""


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader (libyaml's when present) whose mappings and lists remember their lines."""


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> YamlInt:
    number = YamlInt(yaml.constructor.SafeConstructor.construct_yaml_int(loader, node))
    number.text = node.value
    return number


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark)
        key_line = key_node.start_mark.line + 1
        if key in result:
            result.duplicate_keys.append((key, key_line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_line
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList()
    result.line = node.start_mark.line + 1
    for item_node in node.value:
        result.append(loader.construct_object(item_node, deep=True))
        result.item_lines.append(item_node.start_mark.line + 1)
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class YamlReadError(Exception):
    """The file could not be read or is not valid YAML; ``line`` is 1-based (0 if unknown)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def load_yaml_with_lines(path: Path) -> object:
    """Parse one YAML file; mappings become LineDict, lists LineList."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlReadError(0, f"die Datei ist nicht lesbar ({type(exc).__name__}); Pfad "
                               "prüfen und ob sie UTF-8-Text ist") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlReadError(line, f"kein gültiges YAML: {problem}; Einrückung, Doppelpunkte "
                                  "und Anführungszeichen in dieser Zeile prüfen") from exc
