"""Collects config problems with their file, line and key path, and checks basic types."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from tui.yaml_lines import LoadedYaml, Path_, format_path

_MISSING = object()


@dataclass(frozen=True)
class Problem:
    """One mistake in a config file."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class ConfigError(Exception):
    """The configuration cannot be used; `problems` lists every mistake found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def report(self) -> str:
        """The text shown to a person: one line per problem, then what to do."""
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        lines = [f"The configuration has {head}:"] + [f"  {p}" for p in self.problems]
        lines.append("Fix these and run `plaindesk config check` again; nothing was changed.")
        return "\n".join(lines)


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean X?)' when `word` looks like a misspelling of one of `choices`."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    return {str: "text", int: "a whole number", float: "a number", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


class Checker:
    """Checks values at key paths of one loaded file and collects every problem."""

    def __init__(self, file: str, loaded: LoadedYaml) -> None:
        self.file = file
        self.loaded = loaded
        self.problems: list[Problem] = []
        self.broken: set[str] = set()
        """Kinds of id (group, category, ...) whose defining section failed."""

    def name(self, path: Path_) -> str:
        return format_path(path)

    def fail(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.file, self.loaded.line_of(path), format_path(path), message))

    def raise_if_any(self) -> None:
        if self.problems:
            self.problems.sort(key=lambda p: (p.line or 0, p.key))
            raise ConfigError(self.problems)

    def value(self, path: Path_) -> Any:
        data = self.loaded.data
        for part in path:
            try:
                data = data[part]
            except (KeyError, IndexError, TypeError):
                return _MISSING
        return data

    def mapping(self, path: Path_, value: Any = _MISSING, required: bool = False) -> dict[str, Any] | None:
        """The mapping at `path`, or None (with a problem recorded when it is the wrong type)."""
        if value is _MISSING:
            value = self.value(path)
        if value is _MISSING or value is None:
            if required:
                self.fail(path, "is missing or empty; it must be a mapping of keys to values")
            return None
        if not isinstance(value, Mapping):
            self.fail(path, f"should be a mapping (key: value lines), not {_type_name(value)}")
            return None
        return dict(value)

    def known_keys(self, path: Path_, mapping: Mapping[str, Any], allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for key in mapping:
            if key not in allowed:
                self.fail(
                    (*path, key),
                    f"unknown key{suggest(key, allowed)}; the keys allowed here are: {', '.join(allowed)}",
                )

    def string(self, path: Path_, value: Any, allow_empty: bool = False) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(path, f"should be text, not {_type_name(value)}")
            return ""
        text = str(value).strip()
        if not text and not allow_empty:
            self.fail(path, "is empty; write a value")
        if any(ord(ch) < 32 and ch not in "\t" for ch in text):
            self.fail(path, "contains control characters; remove them")
        return text

    def integer(self, path: Path_, value: Any, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"should be a whole number between {low} and {high}, not {_type_name(value)}")
            return low
        if not low <= value <= high:
            self.fail(path, f"is {value}; write a whole number between {low} and {high}")
        return value

    def number(self, path: Path_, value: Any, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, f"should be a number between {low} and {high}, not {_type_name(value)}")
            return low
        if not low < value <= high:
            self.fail(path, f"is {value}; write a number above {low} and at most {high}, such as 0.75")
        return float(value)

    def string_list(self, path: Path_, value: Any) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, f"should be a list like [a, b], not {_type_name(value)}")
            return []
        return [self.string((*path, i), item) for i, item in enumerate(value)]

    def one_of(self, path: Path_, value: str, choices: Iterable[str], what: str) -> bool:
        """Whether `value` is one of `choices`; a problem is recorded if not.

        An empty `choices` from a section that is itself broken (already reported) records nothing,
        so one mistake gives one message rather than one per use of that section.
        """
        choices = list(choices)
        if value in choices:
            return True
        if not choices and what in self.broken:
            return False
        self.fail(
            path,
            f"'{value}' is not a known {what}{suggest(value, choices)}; "
            f"write one of: {', '.join(choices) or '(none defined)'}",
        )
        return False

    def timezone(self, path: Path_, value: Any) -> str:
        name = self.string(path, value)
        if not name:
            return "UTC"
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(
                path,
                f"'{name}' is not a timezone{suggest(name, _zones())}; write an IANA name "
                "such as Europe/London, America/New_York or UTC",
            )
            return "UTC"
        return name
