"""config.yaml -> frozen dataclasses; every mistake is reported with file, line, key and a fix."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from tui.config_checker import Checker, ConfigError, Problem
from tui.yaml_lines import YamlSyntaxError, load_yaml

__all__ = [
    "Agent",
    "BreachAction",
    "Config",
    "ConfigError",
    "DatabaseSettings",
    "KioskSettings",
    "Policy",
    "Problem",
    "Status",
    "Target",
    "find_config",
    "load_config",
]

ROLES = ("agent", "lead", "admin")
STOP_STATUSES = ("solved", "closed")
"""The SLA spec fixes these two as the statuses that stop the clocks."""
REQUIRED_STATUSES = ("new", "open", *STOP_STATUSES)
BREACH_ACTIONS = ("raise_priority", "flag_lead", "move_to_group")
CLOCK_NAMES = ("first_response", "next_update", "resolution")
SYSTEM_CONFIG = Path("/etc/plaindesk/config.yaml")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LOGIN = re.compile(r"^[a-z_][a-z0-9_.-]*\$?$", re.IGNORECASE)


@dataclass(frozen=True)
class DatabaseSettings:
    path: Path | None
    """The SQLite file, or None for the per-user data folder."""
    busy_timeout_ms: int = 10000
    wal_size_limit_mb: int = 64
    shared_group: str = ""


@dataclass(frozen=True)
class Agent:
    login: str
    name: str
    role: str = "agent"
    groups: tuple[str, ...] = ()
    timezone: str | None = None


@dataclass(frozen=True)
class Status:
    id: str
    label: str
    next: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    duration: timedelta
    calendar: str


@dataclass(frozen=True)
class BreachAction:
    kind: str
    """raise_priority, flag_lead or move_to_group."""
    group: str | None = None


@dataclass(frozen=True)
class Policy:
    priority: str
    targets: dict[str, Target]
    pause_statuses: tuple[str, ...] = ("pending",)
    warn_at: float = 0.75
    on_breach: tuple[BreachAction, ...] = ()


@dataclass(frozen=True)
class KioskSettings:
    title: str = "IT Genius Bar"
    location: str = ""
    group: str | None = None
    idle_reset_seconds: int = 120
    categories: tuple[str, ...] = ()
    exit_key: str = ""
    impact: dict[str, str] = field(
        default_factory=lambda: {"blocked": "high", "slowed": "normal", "can_wait": "low"}
    )
    """How much a problem stops someone's work -> the priority their ticket gets."""
    lookup: str = "code"
    """How visitors find their ticket: "code" (reference and secret code) or "code_or_email"."""
    tickets_per_hour: int = 6
    """New tickets one kiosk terminal may file in an hour (walk-up check-ins included)."""


@dataclass(frozen=True)
class PlainSettings:
    grade_target: float = 8.0
    max_sentence_words: int = 25
    known_names: tuple[str, ...] = ()
    rule_folders: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Config:
    source: Path
    database: DatabaseSettings
    timezone: str
    agents: tuple[Agent, ...]
    groups: dict[str, str]
    categories: dict[str, str]
    priorities: dict[str, str]
    """Ordered lowest first."""
    default_priority: str
    statuses: dict[str, Status]
    calendars: dict[str, Any]
    """Calendar objects from tui.sla, by name."""
    sla: dict[str, Policy]
    kiosk: KioskSettings
    theme: str = "textual-dark"
    keymap: dict[str, str] = field(default_factory=dict)
    plain: PlainSettings = field(default_factory=PlainSettings)

    def agent(self, login: str) -> Agent | None:
        """The agent who signs in as `login`, if any."""
        return next((a for a in self.agents if a.login == login), None)

    def priority_rank(self, priority: str) -> int:
        """0 for the lowest priority, rising."""
        return list(self.priorities).index(priority)

    def can_move(self, old: str, new: str) -> bool:
        """Whether the status change old -> new is allowed."""
        return old in self.statuses and new in self.statuses[old].next


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Which config file to read: --config, $PLAINDESK_CONFIG, /etc/plaindesk, then the default."""
    if explicit:
        return Path(explicit)
    if env := os.environ.get("PLAINDESK_CONFIG"):
        return Path(env)
    if SYSTEM_CONFIG.is_file():
        return SYSTEM_CONFIG
    from tui.resources import default_config_path

    return default_config_path()


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and check a config file.

    Raises:
        ConfigError: with every problem found, each naming the file, line and key.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [
                Problem(
                    str(path),
                    None,
                    "",
                    "the file does not exist; "
                    "pass --config with the right path or copy the default config.yaml",
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise ConfigError([Problem(str(path), None, "", f"cannot read it ({reason})")]) from None
    try:
        loaded = load_yaml(text)
    except YamlSyntaxError as error:
        where = f"column {error.column}: " if error.column else ""
        raise ConfigError(
            [
                Problem(
                    str(path),
                    error.line,
                    "",
                    f"{where}this is not valid YAML: {error}. "
                    "Check the indentation and quotes on this line and the one above.",
                )
            ]
        ) from None
    check = Checker(str(path), loaded)
    for key_path, line in loaded.duplicates:
        check.problems.append(
            Problem(str(path), line, check.name(key_path), "this key is written twice; keep one of them")
        )
    config = _build(check, path)
    check.raise_if_any()
    assert config is not None
    return config


def _build(c: Checker, path: Path) -> Config | None:
    from tui.config_sections import (
        agents,
        calendars,
        database,
        keymap,
        kiosk,
        named_ids,
        plain,
        policies,
        statuses,
    )

    top = c.mapping((), required=True)
    if top is None:
        return None
    c.known_keys(
        (),
        top,
        (
            "database",
            "timezone",
            "agents",
            "groups",
            "categories",
            "priorities",
            "default_priority",
            "statuses",
            "calendars",
            "sla",
            "kiosk",
            "theme",
            "keymap",
            "plain",
        ),
    )
    db = database(c, top.get("database", {}), path.parent)
    timezone = c.timezone(("timezone",), top.get("timezone", "UTC"))
    groups = named_ids(c, ("groups",), top.get("groups"), "group")
    categories = named_ids(c, ("categories",), top.get("categories"), "category")
    priorities = named_ids(c, ("priorities",), top.get("priorities"), "priority")
    default_priority = c.string(("default_priority",), top.get("default_priority", "normal"))
    if priorities and default_priority not in priorities:
        c.fail(
            ("default_priority",),
            f"'{default_priority}' is not one of the priorities ({', '.join(priorities)}); write one of them",
        )
    status_map = statuses(c, top.get("statuses"))
    agent_list = agents(c, top.get("agents"), groups)
    cals = calendars(c, top.get("calendars", {}))
    sla = policies(c, top.get("sla", {}), priorities, status_map, cals, groups)
    kiosk_settings = kiosk(c, top.get("kiosk", {}), groups, categories, priorities)
    theme = _theme(c, top.get("theme", {}))
    keys = keymap(c, top.get("keymap", {}))
    plain_settings = plain(c, top.get("plain", {}), path.parent)
    if c.problems:
        return None
    return Config(
        source=path,
        database=db,
        timezone=timezone,
        agents=agent_list,
        groups=groups,
        categories=categories,
        priorities=priorities,
        default_priority=default_priority,
        statuses=status_map,
        calendars=cals,
        sla=sla,
        kiosk=kiosk_settings,
        theme=theme,
        keymap=keys,
        plain=plain_settings,
    )


def _theme(c: Checker, value: Any) -> str:
    section = c.mapping(("theme",), value=value)
    if section is None:
        return "textual-dark"
    c.known_keys(("theme",), section, ("name",))
    return c.string(("theme", "name"), section.get("name", "textual-dark"))


def is_id(text: str) -> bool:
    """Ids are lowercase words joined by - or _, as used in config keys and the CLI."""
    return bool(_ID.match(text))


def is_login(text: str) -> bool:
    """A plausible Unix login name."""
    return bool(_LOGIN.match(text))
