"""YAML loading that remembers the line of every key, so config errors can point at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass
class LoadedYaml:
    """Plain Python data from a YAML document, with the line (1-based) of every key path."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: list[tuple[Path_, int]] = field(default_factory=list)
    """Keys written twice in one mapping: YAML would silently keep the last, we report them."""

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest parent that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


class YamlSyntaxError(ValueError):
    """The text is not valid YAML; `line` and `column` are 1-based."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it (ten times faster on the rule files), else the Python one."""


def load_yaml(text: str) -> LoadedYaml:
    """Parse one YAML document safely, keeping line numbers.

    Raises:
        YamlSyntaxError: the text is not YAML.
    """
    return _load(text, _LOADER)


def _load(text: str, loader_class: type) -> LoadedYaml:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        result = LoadedYaml(data=None)
        if node is not None:
            result.data = _build(loader, node, (), result)
        return result
    except yaml.MarkedYAMLError as error:
        if loader_class is not yaml.SafeLoader:
            return _load(text, yaml.SafeLoader)  # its messages are the clearer ones
        mark = error.problem_mark or error.context_mark
        problem = error.problem or str(error)
        if error.context:
            problem = f"{problem} ({error.context})"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise YamlSyntaxError(problem, line, column) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(str(error), None, None) from None
    finally:
        loader.dispose()


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, out: LoadedYaml) -> Any:
    out.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves `<<` merge keys the way safe_load does
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int):
                key = str(key)
            child = (*path, key)
            if key in mapping:
                out.duplicates.append((child, key_node.start_mark.line + 1))
            out.lines[child] = key_node.start_mark.line + 1
            mapping[key] = _build(loader, value_node, child, out)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), out) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def format_path(path: Path_) -> str:
    """`("agents", 1, "groups", 0)` -> `agents[1].groups[0]`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"
