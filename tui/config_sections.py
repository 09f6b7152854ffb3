"""Checks each section of config.yaml and turns it into the dataclasses of tui.config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.config import (
    BREACH_ACTIONS,
    CLOCK_NAMES,
    REQUIRED_STATUSES,
    ROLES,
    STOP_STATUSES,
    Agent,
    BreachAction,
    DatabaseSettings,
    KioskSettings,
    PlainSettings,
    Policy,
    Status,
    Target,
    is_id,
    is_login,
)
from tui.config_checker import Checker, suggest


def database(c: Checker, value: Any, base: Path) -> DatabaseSettings:
    section = c.mapping(("database",), value=value) or {}
    c.known_keys(("database",), section, ("path", "busy_timeout_ms", "wal_size_limit_mb", "shared_group"))
    raw = section.get("path") or ""
    text = c.string(("database", "path"), raw, allow_empty=True)
    path = None
    if text:
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = base / path
    return DatabaseSettings(
        path=path,
        busy_timeout_ms=c.integer(
            ("database", "busy_timeout_ms"), section.get("busy_timeout_ms", 10000), 0, 600_000
        ),
        wal_size_limit_mb=c.integer(
            ("database", "wal_size_limit_mb"), section.get("wal_size_limit_mb", 64), 1, 100_000
        ),
        shared_group=c.string(
            ("database", "shared_group"), section.get("shared_group") or "", allow_empty=True
        ),
    )


def named_ids(c: Checker, path: tuple, value: Any, what: str) -> dict[str, str]:
    """A mapping of id -> display name (groups, categories, priorities)."""
    section = c.mapping(path, value=value, required=True)
    if section is None:
        c.broken.add(what)
        return {}
    result = {}
    for key, name in section.items():
        key = str(key)
        if not is_id(key):
            c.fail(
                (*path, key),
                f"'{key}' is not a usable {what} id; use lowercase letters, digits, "
                "- or _ (for example service-desk)",
            )
        result[key] = c.string((*path, key), name) or key
    if not result:
        c.broken.add(what)
        c.fail(path, f"defines no {what}; add at least one")
    return result


def statuses(c: Checker, value: Any) -> dict[str, Status]:
    section = c.mapping(("statuses",), value=value, required=True)
    if section is None:
        c.broken.add("status")
        return {}
    result: dict[str, Status] = {}
    for key, body in section.items():
        path = ("statuses", key)
        if not is_id(str(key)):
            c.fail(path, "status ids are lowercase letters, digits, - or _")
        body = c.mapping(path, value=body) or {}
        c.known_keys(path, body, ("label", "next"))
        label = c.string((*path, "label"), body.get("label", str(key).title()))
        nexts = tuple(c.string_list((*path, "next"), body.get("next", [])))
        result[str(key)] = Status(str(key), label, nexts)
    for required in REQUIRED_STATUSES:
        if required not in result:
            c.fail(
                ("statuses",),
                f"the status '{required}' is missing; PlainDesk needs "
                f"{', '.join(REQUIRED_STATUSES)} (add it with a label and its next statuses)",
            )
    for status in result.values():
        for i, target in enumerate(status.next):
            c.one_of(("statuses", status.id, "next", i), target, result, "status")
            if target == status.id:
                c.fail(("statuses", status.id, "next", i), "a status cannot lead to itself; remove it")
    return result


def agents(c: Checker, value: Any, groups: dict[str, str]) -> tuple[Agent, ...]:
    if value is None:
        c.fail(("agents",), "is missing; list at least one agent with login, name, role and groups")
        return ()
    if not isinstance(value, list):
        c.fail(("agents",), "should be a list of agents, each starting with '- login: ...'")
        return ()
    result: list[Agent] = []
    seen: set[str] = set()
    for i, item in enumerate(value):
        path = ("agents", i)
        body = c.mapping(path, value=item)
        if body is None:
            c.fail(
                path, "should be a mapping with login, name, role and groups"
            ) if item is not None else None
            continue
        c.known_keys(path, body, ("login", "name", "role", "groups", "timezone"))
        if "login" not in body:
            c.fail(path, "has no login; write the Unix account this person signs in with")
            continue
        login = c.string((*path, "login"), body["login"])
        if login and not is_login(login):
            c.fail(
                (*path, "login"),
                f"'{login}' is not a Unix login name; write the account name, for example asha",
            )
        if login in seen:
            c.fail((*path, "login"), f"'{login}' is listed twice; each login belongs to one agent")
        seen.add(login)
        role = c.string((*path, "role"), body.get("role", "agent"))
        c.one_of((*path, "role"), role, ROLES, "role")
        member_of = c.string_list((*path, "groups"), body.get("groups", []))
        for j, group in enumerate(member_of):
            if group not in groups and "group" not in c.broken:
                c.fail(
                    (*path, "groups", j),
                    f"'{group}' is not a group{suggest(group, groups)}; add it "
                    f"under groups: or write one of: {', '.join(groups) or '(none defined)'}",
                )
        timezone = c.timezone((*path, "timezone"), body["timezone"]) if "timezone" in body else None
        name = c.string((*path, "name"), body.get("name", login))
        result.append(Agent(login, name, role, tuple(member_of), timezone))
    return tuple(result)


def calendars(c: Checker, value: Any) -> dict[str, Any]:
    from tui.sla import Calendar, CalendarError

    section = c.mapping(("calendars",), value=value) or {}
    result: dict[str, Any] = {name: None for name in section}  # a broken calendar is still a known name
    for name, body in section.items():
        try:
            result[str(name)] = Calendar.from_config(body)
        except CalendarError as error:
            c.fail(("calendars", name, *error.path), str(error))
    return result


def policies(
    c: Checker, value: Any, priorities: dict, status_map: dict, cals: dict, groups: dict
) -> dict[str, Policy]:
    section = c.mapping(("sla",), value=value) or {}
    result = {}
    for priority, body in section.items():
        path = ("sla", priority)
        if not c.one_of(path, str(priority), priorities, "priority"):
            continue
        body = c.mapping(path, value=body) or {}
        c.known_keys(path, body, ("calendar", "pause_statuses", "warn_at", "on_breach", *CLOCK_NAMES))
        default_cal = c.string((*path, "calendar"), body.get("calendar", ""), allow_empty=True)
        if default_cal:
            c.one_of((*path, "calendar"), default_cal, cals, "calendar")
        targets = {}
        for clock in CLOCK_NAMES:
            if clock in body:
                target = _target(c, (*path, clock), body[clock], default_cal, cals)
                if target:
                    targets[clock] = target
        if "pause_statuses" in body:
            pauses = tuple(c.string_list((*path, "pause_statuses"), body["pause_statuses"]))
        else:  # the spec's default, when this desk has such a status
            pauses = ("pending",) if "pending" in status_map else ()
        for i, status in enumerate(pauses):
            if (
                c.one_of((*path, "pause_statuses", i), status, status_map, "status")
                and status in STOP_STATUSES
            ):
                c.fail(
                    (*path, "pause_statuses", i),
                    f"'{status}' stops the clocks already; "
                    "a pause status must be one a ticket comes back from, such as pending",
                )
        warn_at = c.number((*path, "warn_at"), body.get("warn_at", 0.75), 0.0, 1.0)
        actions = _breach_actions(c, (*path, "on_breach"), body.get("on_breach", []), groups)
        if any(cals.get(t.calendar) is None for t in targets.values()):
            continue  # its calendar has a problem of its own, reported already
        result[str(priority)] = Policy(str(priority), targets, pauses, warn_at, actions)
    return result


def _target(c: Checker, path: tuple, value: Any, default_cal: str, cals: dict) -> Target | None:
    from tui.sla import DurationError, parse_duration

    calendar = default_cal
    if isinstance(value, dict):
        c.known_keys(path, value, ("target", "calendar"))
        if "calendar" in value:
            calendar = c.string((*path, "calendar"), value["calendar"])
            c.one_of((*path, "calendar"), calendar, cals, "calendar")
        if "target" not in value:
            c.fail(path, "has no target; write a duration such as target: 4h")
            return None
        path, value = (*path, "target"), value["target"]
    if not calendar:
        c.fail(path, "has no calendar; name one under this policy's calendar: or the target's own")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        c.fail(path, "should be a duration such as 30m, 4h or 2h30m")
        return None
    try:
        duration = parse_duration(str(value))
    except DurationError as error:
        c.fail(path, str(error))
        return None
    return Target(duration, calendar)


def _breach_actions(c: Checker, path: tuple, value: Any, groups: dict) -> tuple[BreachAction, ...]:
    if not isinstance(value, list):
        c.fail(path, "should be a list such as [raise_priority, flag_lead, {move_to_group: security}]")
        return ()
    actions = []
    for i, item in enumerate(value):
        if isinstance(item, dict) and len(item) == 1 and "move_to_group" in item:
            group = c.string((*path, i, "move_to_group"), item["move_to_group"])
            if c.one_of((*path, i, "move_to_group"), group, groups, "group"):
                actions.append(BreachAction("move_to_group", group))
        elif isinstance(item, str) and item in ("raise_priority", "flag_lead"):
            actions.append(BreachAction(item))
        elif item == "move_to_group":
            c.fail((*path, i), "move_to_group needs a group: write {move_to_group: service-desk}")
        else:
            c.fail(
                (*path, i),
                f"'{item}' is not a breach action{suggest(str(item), BREACH_ACTIONS)}; "
                "write raise_priority, flag_lead or {move_to_group: <group id>}",
            )
    return tuple(actions)


def kiosk(c: Checker, value: Any, groups: dict, categories: dict, priorities: dict) -> KioskSettings:
    path = ("kiosk",)
    body = c.mapping(path, value=value) or {}
    c.known_keys(
        path,
        body,
        (
            "title",
            "location",
            "group",
            "idle_reset_seconds",
            "categories",
            "exit_key",
            "impact",
            "lookup",
            "tickets_per_hour",
        ),
    )
    group = None
    if body.get("group"):
        group = c.string((*path, "group"), body["group"])
        c.one_of((*path, "group"), group, groups, "group")
    offered = c.string_list((*path, "categories"), body.get("categories", list(categories)))
    for i, category in enumerate(offered):
        c.one_of((*path, "categories", i), category, categories, "category")
    return KioskSettings(
        title=c.string((*path, "title"), body.get("title", "IT Genius Bar")),
        location=c.string((*path, "location"), body.get("location") or "", allow_empty=True),
        group=group,
        idle_reset_seconds=c.integer(
            (*path, "idle_reset_seconds"), body.get("idle_reset_seconds", 120), 10, 86_400
        ),
        categories=tuple(offered),
        exit_key=c.string((*path, "exit_key"), body.get("exit_key") or "", allow_empty=True),
        impact=_impact(c, (*path, "impact"), body.get("impact"), priorities),
        lookup=_lookup(c, (*path, "lookup"), body.get("lookup", "code")),
        tickets_per_hour=c.integer((*path, "tickets_per_hour"), body.get("tickets_per_hour", 6), 1, 1000),
    )


IMPACTS = ("blocked", "slowed", "can_wait")
"""blocked: "I can't work at all"; slowed: "It slows me down"; can_wait: "It can wait"."""


def _impact(c: Checker, path: tuple, value: Any, priorities: dict) -> dict[str, str]:
    defaults = {"blocked": "high", "slowed": "normal", "can_wait": "low"}
    if value is None:
        if not priorities or all(v in priorities for v in defaults.values()):
            return defaults
        return dict.fromkeys(IMPACTS, next(iter(priorities)))  # a desk without these names: all alike
    body = c.mapping(path, value=value) or {}
    c.known_keys(path, body, IMPACTS)
    result = {}
    for key in IMPACTS:
        chosen = c.string((*path, key), body.get(key, defaults[key]))
        c.one_of((*path, key), chosen, priorities, "priority")
        result[key] = chosen
    return result


def _lookup(c: Checker, path: tuple, value: Any) -> str:
    chosen = c.string(path, value)
    c.one_of(path, chosen, {"code": 1, "code_or_email": 1}, "lookup")
    return chosen


def keymap(c: Checker, value: Any) -> dict[str, str]:
    body = c.mapping(("keymap",), value=value) or {}
    return {str(k): c.string(("keymap", k), v) for k, v in body.items()}


def plain(c: Checker, value: Any, base: Path) -> PlainSettings:
    path = ("plain",)
    body = c.mapping(path, value=value) or {}
    c.known_keys(path, body, ("grade_target", "max_sentence_words", "known_names", "rule_folders"))
    folders = []
    for i, folder in enumerate(c.string_list((*path, "rule_folders"), body.get("rule_folders", []))):
        where = Path(folder).expanduser()
        where = where if where.is_absolute() else base / where
        if folder and not where.is_dir():
            c.fail(
                (*path, "rule_folders", i), f"the folder {where} does not exist; create it or remove the line"
            )
        folders.append(where)
    return PlainSettings(
        grade_target=c.number((*path, "grade_target"), body.get("grade_target", 8), 0, 20),
        max_sentence_words=c.integer(
            (*path, "max_sentence_words"), body.get("max_sentence_words", 25), 5, 200
        ),
        known_names=tuple(c.string_list((*path, "known_names"), body.get("known_names", []))),
        rule_folders=tuple(folders),
    )
