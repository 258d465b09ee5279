"""Safe YAML loading that remembers line numbers and refuses duplicate keys.

Only YAML's plain data types are constructed (``yaml.SafeLoader``): a tag such as
``!!python/object`` is an error, never an object. Mappings and lists come back as `LineDict` and
`LineList`, which carry the 1-based line they start on, so every later error can name a line.
"""

from __future__ import annotations

from typing import Any

import yaml


class LineDict(dict):
    """A mapping from YAML; ``line`` is where it starts, ``key_lines`` where each key is."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence from YAML; ``line`` is where it starts, ``item_lines`` where each item is."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


# libyaml's parser (when PyYAML has it) is several times faster than the pure-Python one and
# gives nodes the same marks; the constructors below are the same either way.
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, _not_a_string(key, key_node), key_node.start_mark)
        if key in result:
            raise DuplicateKeyError(
                "while constructing a mapping", node.start_mark,
                f"found duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _not_a_string(key: Any, node: yaml.Node) -> str:
    # Every tfconf document is JSON-shaped: its keys are names. YAML 1.1 reads some bare words
    # as other types (yes, no, on, off, null, 1e3), which would otherwise surface far from here.
    if isinstance(node, yaml.ScalarNode) and not isinstance(key, (dict, list)):
        return (f"a mapping key must be a string, but YAML reads {node.value!r} as the "
                f"{type(key).__name__} {key!r}; write it in quotes: \"{node.value}\"")
    return "a mapping key must be a string"


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# What a document may expand to through its aliases: a few lines of nested aliases (a "billion
# laughs") stand for billions of values, which validating or fingerprinting a scenario would
# spell out, taking minutes and gigabytes. And how deep it may nest: what reads it afterwards
# (the schema's validator, JSON) recurses. The spec's largest file is a few thousand values
# nested about ten levels deep.
MAX_EXPANDED_VALUES = 1_000_000
MAX_DEPTH = 100


class StructureError(yaml.MarkedYAMLError):
    """A document too large through its aliases, nested too deeply, or holding a value JSON cannot."""


def load_yaml(text: str) -> Any:
    """Parse one YAML document safely, with line numbers. Raises ``yaml.YAMLError``."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise StructureError(None, None, f"the document is nested too deeply (at most {MAX_DEPTH} levels)") from None
    _measure(data, {}, 0)
    return data


# JSON's scalars: every tfconf document is JSON data (the schemas, the worker protocol, the
# results all are), but YAML 1.1 also reads a bare 2024-01-01 as a date, and has !!binary, !!set …
_JSON_SCALARS = (str, int, float, bool, type(None))
_KINDS = {"bytes": "binary data", "date": "a date", "datetime": "a timestamp"}


def _measure(node: Any, sizes: dict[int, int], depth: int) -> int:
    """How many values ``node`` stands for with every alias spelled out, checked against the
    limits above, and that its scalars are JSON's. A shared value is counted once per place it
    appears but visited once (PyYAML builds an alias as the very object its anchor names, and
    refuses recursive ones)."""
    if not isinstance(node, (dict, list)):
        return 1
    known = sizes.get(id(node))
    if known is not None:
        return known
    if depth >= MAX_DEPTH:
        _refuse(node, f"nested more than {MAX_DEPTH} levels deep")
    places = node.items() if isinstance(node, dict) else enumerate(node)
    for place, child in places:
        if not isinstance(child, (_JSON_SCALARS, dict, list)):
            kind = _KINDS.get(type(child).__name__, f"a {type(child).__name__}")
            _refuse(node, f"YAML reads {child!r} as {kind}, which a tfconf document cannot hold (only "
                          f"strings, numbers, booleans, null, lists and mappings): write it as a string, "
                          f"in quotes", node.line_of(place))
    children = node.values() if isinstance(node, dict) else node
    total = 1 + sum(_measure(child, sizes, depth + 1) for child in children)
    if total > MAX_EXPANDED_VALUES:
        _refuse(node, f"through its aliases this value stands for {total:,} values "
                      f"(at most {MAX_EXPANDED_VALUES:,} are allowed)")
    sizes[id(node)] = total
    return total


def _refuse(node: Any, problem: str, line: int | None = None) -> None:
    line = line or getattr(node, "line", 1)
    raise StructureError(None, None, problem, yaml.Mark("<document>", 0, max(line - 1, 0), 0, None, None))


def yaml_error_line(error: yaml.YAMLError) -> tuple[int, str]:
    """The 1-based line and a one-line reason of a YAML error."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 0
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    reason = f"{context}: {problem}" if context else problem
    return line, " ".join(str(reason).split())


def line_at(data: Any, path: list) -> int:
    """The line of the deepest element of ``path`` (a jsonschema error path) inside ``data``."""
    line = getattr(data, "line", 0)
    node = data
    for key in path:
        if isinstance(node, LineDict) and key in node:
            line = node.line_of(key)
        elif isinstance(node, LineList) and isinstance(key, int) and key < len(node):
            line = node.line_of(key)
        else:
            break
        node = node[key]
        line = getattr(node, "line", line)
    return line
