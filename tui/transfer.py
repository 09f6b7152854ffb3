"""Exporting tickets (JSON lines or CSV) and importing them back, or another help desk's ticket CSV.

Export (`export_tickets`):
- JSON lines: a header line `{"plaindesk_export": 1, "schema": 7, "exported_at": ..., "tickets": N}`, then
  one line per ticket, in number order, with everything the desk knows about it: its fields, requester,
  assignee (login and name), group, tags, thread and notes (with ids, authors, times and the reply
  helper's open findings), history, SLA breaches, rating and cached SLA due times. Instants are ISO 8601
  in UTC. Left out: the kiosk's secret codes (the file would let anyone guess them offline), walk-up
  visits, drafts and who is viewing a ticket.
- CSV: one row per ticket, messages and history left out (CSV_EXPORT_COLUMNS); `description` is the
  requester's first message, so the file can be read back by the CSV import. A cell that would start with
  = + - or @ gets a leading ' so a spreadsheet never runs it as a formula; the CSV import takes it off.

Import (`import_tickets`) is all or nothing. Every row is checked first; if any is wrong, nothing is
written and TransferError lists every bad row as "line N: what is wrong". Then everything is written in
one transaction (it holds the desk's write lock until it is done: import when the desk is quiet).
- JSON lines from `export_tickets`: ticket numbers, times, messages and history are kept exactly, so an
  export imported into an empty database gives the same tickets. Numbers that already exist are refused.
  Message and history ids are kept when the database has none yet; otherwise they are numbered anew in
  the same order. Agents are matched by login; a login the desk does not know becomes an inactive agent
  with the exported name, so old replies keep their author. Requesters are matched by e-mail address.
- Ticket CSV from another help desk, with a header row; CSV_COLUMNS maps its column names (case, spaces
  and dashes do not matter) and docs/reports.md documents the mapping, including the status and priority
  words understood. Unknown columns are ignored and listed in the result.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from tui.config import STOP_STATUSES, Config, is_login
from tui.sla_outcomes import recompute
from tui.sla_policy import cached_times, ticket_clocks, warn_due
from tui.store import Store
from tui.store.bulk import bulk_insert
from tui.store.directory import AgentEntry, sync_directory
from tui.store.migrations import SCHEMA_VERSION
from tui.store.models import (
    FAR_FUTURE,
    Agent,
    Breach,
    Event,
    Group,
    Message,
    Rating,
    Requester,
    Tag,
    Ticket,
    TicketTag,
    UtcDateTimeField,
)
from tui.store.tickets import Actor
from tui.text import clean_line, clean_text
from tui.workflow import MAX_BODY, MAX_SUBJECT, MAX_TAG, RequesterInput, WorkflowError

EXPORT_VERSION = 1
Progress = Callable[[int, int], None]
BATCH = 500
MAX_PROBLEMS_SHOWN = 100
"""TransferError's message lists this many bad rows; `problems` holds them all."""
CLOCK_NAMES = ("first_response", "next_update", "resolution")
_FIELD = UtcDateTimeField()
_FORMULA = ("=", "+", "-", "@")


class TransferError(ValueError):
    """The file cannot be imported (nothing was); `problems` lists every bad row as "line N: ..."."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        lines = [message, *(f"  {p}" for p in shown)]
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more.")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class ImportResult:
    tickets: int
    format: str
    ignored_columns: tuple[str, ...] = ()
    """CSV columns that mean nothing to PlainDesk (their values were not imported)."""
    renumbered: bool = False
    """Message and history ids were numbered anew (the database already had some)."""


# -- export ------------------------------------------------------------------------------------------

_TICKET_SQL = (
    "SELECT id, subject, status, priority, category, channel, requester_id, assignee_id, group_id, "
    "created_at, updated_at, version, active, flagged, merged_into_id, first_responded_at, solved_at, "
    "first_response_due, next_update_due, resolution_due, next_due, escalate_at, warn_due "
    "FROM ticket WHERE id IN ({ids}) ORDER BY id"
)
SLA_FIELDS = (
    "first_response_due",
    "next_update_due",
    "resolution_due",
    "next_due",
    "escalate_at",
    "warn_due",
)
CSV_EXPORT_COLUMNS = (
    "id",
    "subject",
    "status",
    "priority",
    "category",
    "channel",
    "group",
    "assignee",
    "requester_name",
    "requester_email",
    "requester_department",
    "tags",
    "created_at",
    "updated_at",
    "first_responded_at",
    "solved_at",
    "merged_into",
    "version",
    "flagged",
    "rating",
    "rating_comment",
    "messages",
    "description",
)
"""The columns of `plaindesk export --format csv`, one row per ticket."""


def export_tickets(store: Store, out: IO[str], fmt: str = "jsonl", progress: Progress | None = None) -> int:
    """Write every ticket to `out` as JSON lines or CSV, from one consistent read. Returns how many."""
    if fmt not in ("jsonl", "csv"):
        raise TransferError(f"'{fmt}' is not an export format; use jsonl or csv.")
    with store.read():
        ids = [row[0] for row in store.db.execute_sql("SELECT id FROM ticket ORDER BY id").fetchall()]
        agents = {
            a: {"login": login, "name": name} for a, login, name in _all(store, "id, login, name FROM agent")
        }
        groups = dict(_all(store, 'id, slug FROM "group"'))
        writer = csv.writer(out, lineterminator="\n") if fmt == "csv" else None
        if writer:
            writer.writerow(CSV_EXPORT_COLUMNS)
        else:
            stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
            header = {"plaindesk_export": EXPORT_VERSION, "schema": SCHEMA_VERSION, "exported_at": stamp}
            out.write(json.dumps({**header, "tickets": len(ids)}) + "\n")
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            for record in _records(store, chunk, agents, groups):
                if writer:
                    writer.writerow(_csv_row(record))
                else:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            if progress:
                progress(start + len(chunk), len(ids))
    return len(ids)


def _all(store: Store, what: str) -> list[tuple]:
    return store.db.execute_sql(f"SELECT {what}").fetchall()


def _of(store: Store, sql: str, ids: list[int]) -> list[tuple]:
    """Rows of `sql` whose {ids} placeholder is the batch of ticket numbers."""
    marks = ", ".join("?" * len(ids))
    return store.db.execute_sql(sql.format(ids=marks), ids * sql.count("{ids}")).fetchall()


def _iso(text: str | None) -> str | None:
    """A stored instant as ISO 8601 UTC ("2026-03-02T10:00:00Z")."""
    if text is None:
        return None
    return _FIELD.python_value(text).isoformat().replace("+00:00", "Z")


def _records(store: Store, ids: list[int], agents: dict, groups: dict) -> list[dict[str, Any]]:
    """Export records of a batch of tickets (seven queries for the batch)."""
    people = {
        row[0]: {
            "key": row[0],
            "name": row[1],
            "email": row[2],
            "department": row[3],
            "created_at": _iso(row[4]),
        }
        for row in _of(
            store,
            "SELECT id, name, email, department, created_at FROM requester WHERE id IN "
            "(SELECT requester_id FROM ticket WHERE id IN ({ids}) "
            "UNION SELECT author_requester_id FROM message WHERE ticket_id IN ({ids}))",
            ids,
        )
    }
    extra: dict[int, dict[str, Any]] = {
        i: {"messages": [], "events": [], "breaches": [], "tags": []} for i in ids
    }
    for m_id, ticket, kind, created, agent, person, body, findings in _of(
        store,
        "SELECT id, ticket_id, kind, created_at, author_agent_id, author_requester_id, body, plain_findings "
        "FROM message WHERE ticket_id IN ({ids}) ORDER BY id",
        ids,
    ):
        extra[ticket]["messages"].append(
            {
                "id": m_id,
                "kind": kind,
                "created_at": _iso(created),
                "author_agent": agents.get(agent),
                "author_requester": people.get(person),
                "body": body,
                "plain_findings": findings,
            }
        )
    for e_id, ticket, at, agent, actor, action, changed, old, new, version in _of(
        store,
        'SELECT id, ticket_id, at, agent_id, actor, action, "field", old, new, version FROM event '
        "WHERE ticket_id IN ({ids}) ORDER BY id",
        ids,
    ):
        extra[ticket]["events"].append(
            {
                "id": e_id,
                "at": _iso(at),
                "agent": agents.get(agent),
                "actor": actor,
                "action": action,
                "field": changed,
                "old": old,
                "new": new,
                "version": version,
            }
        )
    for ticket, clock, cycle, breached, recorded, by in _of(
        store,
        "SELECT ticket_id, clock, cycle, breached_at, recorded_at, recorded_by FROM breach "
        "WHERE ticket_id IN ({ids}) ORDER BY id",
        ids,
    ):
        breach = {"clock": clock, "cycle": cycle, "breached_at": _iso(breached)}
        extra[ticket]["breaches"].append({**breach, "recorded_at": _iso(recorded), "recorded_by": by})
    for ticket, name in _of(
        store,
        "SELECT tt.ticket_id, tag.name FROM ticket_tag tt JOIN tag ON tag.id = tt.tag_id "
        "WHERE tt.ticket_id IN ({ids}) ORDER BY tag.name",
        ids,
    ):
        extra[ticket]["tags"].append(name)
    ratings = {
        ticket: {"score": score, "comment": comment, "rated_at": _iso(rated)}
        for ticket, score, comment, rated in _of(
            store, "SELECT ticket_id, score, comment, rated_at FROM rating WHERE ticket_id IN ({ids})", ids
        )
    }
    records = []
    for row in _of(store, _TICKET_SQL, ids):
        t_id, subject, status, priority, category, channel, person, assignee, group, *rest = row
        created, updated, version, active, flagged, merged, responded, solved, *dues = rest
        records.append(
            {
                "id": t_id,
                "subject": subject,
                "status": status,
                "priority": priority,
                "category": category,
                "channel": channel,
                "requester": people[person],
                "assignee": agents.get(assignee),
                "group": groups.get(group),
                "tags": extra[t_id]["tags"],
                "created_at": _iso(created),
                "updated_at": _iso(updated),
                "version": version,
                "active": bool(active),
                "flagged": bool(flagged),
                "merged_into": merged,
                "first_responded_at": _iso(responded),
                "solved_at": _iso(solved),
                "sla": {name: _iso(value) for name, value in zip(SLA_FIELDS, dues, strict=True)},
                "messages": extra[t_id]["messages"],
                "events": extra[t_id]["events"],
                "breaches": extra[t_id]["breaches"],
                "rating": ratings.get(t_id),
            }
        )
    return records


def _safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text (never runs as a formula)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _csv_row(record: dict[str, Any]) -> list[str]:
    person, rating = record["requester"], record["rating"] or {}
    first = next((m["body"] for m in record["messages"] if m["kind"] == "requester"), "")
    values = {
        **record,
        "group": record["group"],
        "assignee": (record["assignee"] or {}).get("login"),
        "requester_name": person["name"],
        "requester_email": person["email"],
        "requester_department": person["department"],
        "tags": " ".join(record["tags"]),
        "flagged": "yes" if record["flagged"] else "no",
        "rating": rating.get("score"),
        "rating_comment": rating.get("comment"),
        "messages": len(record["messages"]),
        "description": first,
    }
    return [_safe_cell(values[column]) for column in CSV_EXPORT_COLUMNS]


# -- reading rows, noting every problem ----------------------------------------------------------------


class _Check:
    """Reads the fields of one row, noting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def bad(self, message: str) -> None:
        self.problems.append(message)

    def text(self, data: dict, key: str, where: str = "", *, null: bool = False, limit: int | None = None):
        value = data.get(key)
        if value is None and null:
            return None
        if not isinstance(value, str):
            self.bad(f"{where}{key} should be text, not {_shown(value)}")
            return None
        if limit is not None and len(value) > limit:
            self.bad(f"{where}{key} is {len(value)} characters; the limit is {limit}")
        return value

    def number(self, data: dict, key: str, where: str = "", *, null: bool = False, low: int | None = None):
        value = data.get(key)
        if value is None and null:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or (low is not None and value < low):
            at_least = f" of {low} or more" if low is not None else ""
            self.bad(f"{where}{key} should be a whole number{at_least}, not {_shown(value)}")
            return None
        return value

    def flag(self, data: dict, key: str) -> bool:
        value = data.get(key)
        if not isinstance(value, bool):
            self.bad(f"{key} should be true or false, not {_shown(value)}")
            return False
        return value

    def instant(self, data: dict, key: str, where: str = "", *, null: bool = False) -> datetime | None:
        value = data.get(key)
        if value is None and null:
            return None
        moment = _moment(value) if isinstance(value, str) else None
        if moment is None or moment.tzinfo is None:
            self.bad(f"{where}{key} should be a time in UTC like 2026-03-02T10:00:00Z, not {_shown(value)}")
            return None
        return moment.astimezone(UTC)

    def choice(self, value: object, choices, what: str) -> None:
        if value not in choices:
            self.bad(f"{what} {_shown(value)} is not one of this desk's: {', '.join(choices)}")


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 40 else text[:37] + "..."


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def _db(moment: datetime | None) -> str | None:
    return None if moment is None else _FIELD.db_value(moment)


# -- JSON lines ------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    """What a checked file holds, for the checks across rows and for writing."""

    rows: int = 0
    problems: list[str] = field(default_factory=list)
    ids: dict[int, int] = field(default_factory=dict)
    """Ticket number -> line."""
    merges: list[tuple[int, int]] = field(default_factory=list)
    """(line, ticket merged into)."""
    message_ids: set[int] = field(default_factory=set)
    event_ids: set[int] = field(default_factory=set)
    ignored: tuple[str, ...] = ()


def _read_json(config: Config, data: object, check: _Check) -> dict[str, Any] | None:
    """One exported ticket, checked; None if it is not even an object."""
    if not isinstance(data, dict):
        check.bad("a ticket line should be a JSON object")
        return None
    t: dict[str, Any] = {"id": check.number(data, "id", low=1)}
    t["subject"] = check.text(data, "subject", limit=MAX_SUBJECT)
    if t["subject"] is not None and not t["subject"].strip():
        check.bad("subject is empty")
    for key, choices in (("status", config.statuses), ("priority", config.priorities)):
        t[key] = check.text(data, key)
        if t[key] is not None:
            check.choice(t[key], choices, key)
    t["category"] = check.text(data, "category", null=True)
    if t["category"] is not None:
        check.choice(t["category"], config.categories, "category")
    t["group"] = check.text(data, "group", null=True)
    if t["group"] is not None:
        check.choice(t["group"], config.groups, "group")
    t["channel"] = check.text(data, "channel", limit=40)
    for key in ("created_at", "updated_at"):
        t[key] = check.instant(data, key)
    for key in ("first_responded_at", "solved_at"):
        t[key] = check.instant(data, key, null=True)
    t["version"] = check.number(data, "version", low=1)
    t["active"], t["flagged"] = check.flag(data, "active"), check.flag(data, "flagged")
    t["merged_into"] = check.number(data, "merged_into", null=True, low=1)
    t["requester"] = _read_person(data.get("requester"), "requester.", check)
    t["assignee"] = _read_agent(data.get("assignee"), "assignee.", check)
    sla = data.get("sla") if isinstance(data.get("sla"), dict) else {}
    t["sla"] = {key: check.instant(sla, key, "sla.", null=True) for key in SLA_FIELDS}
    tags = data.get("tags")
    if not isinstance(tags, list) or not all(isinstance(x, str) and 0 < len(x) <= MAX_TAG for x in tags):
        check.bad(f"tags should be a list of tags of 1 to {MAX_TAG} characters, not {_shown(tags)}")
        tags = []
    t["tags"] = tags
    t["messages"] = [
        _read_message(m, f"messages[{i}].", check) for i, m in enumerate(_list(data, "messages", check))
    ]
    t["events"] = [_read_event(e, f"events[{i}].", check) for i, e in enumerate(_list(data, "events", check))]
    t["breaches"] = [
        _read_breach(b, f"breaches[{i}].", check) for i, b in enumerate(_list(data, "breaches", check))
    ]
    rating = data.get("rating")
    t["rating"] = None
    if rating is not None:
        if not isinstance(rating, dict):
            check.bad(f"rating should be an object or null, not {_shown(rating)}")
        else:
            score = check.number(rating, "score", "rating.", low=1)
            if score is not None and score > 5:
                check.bad(f"rating.score should be 1 to 5, not {score}")
            t["rating"] = (
                score,
                check.text(rating, "comment", "rating."),
                check.instant(rating, "rated_at", "rating."),
            )
    return t


def _list(data: dict, key: str, check: _Check) -> list:
    value = data.get(key)
    if not isinstance(value, list):
        check.bad(f"{key} should be a list, not {_shown(value)}")
        return []
    return value


def _read_person(data: object, where: str, check: _Check) -> dict | None:
    if not isinstance(data, dict):
        check.bad(f"{where.rstrip('.')} should be an object with name and email, not {_shown(data)}")
        return None
    person = {
        "key": data.get("key"),
        "name": check.text(data, "name", where, limit=200),
        "email": check.text(data, "email", where, null=True, limit=254),
        "department": check.text(data, "department", where, null=True, limit=200),
        "created_at": check.instant(data, "created_at", where),
    }
    if person["email"] is not None and "@" not in person["email"]:
        check.bad(f"{where}email '{person['email']}' is not an e-mail address")
    return person


def _read_agent(data: object, where: str, check: _Check) -> tuple[str, str] | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        check.bad(f"{where.rstrip('.')} should be an object with login and name, or null, not {_shown(data)}")
        return None
    login, name = check.text(data, "login", where), check.text(data, "name", where, limit=200)
    if login is not None and not is_login(login):
        check.bad(f"{where}login '{login}' is not a Unix login")
    return (login, name) if login and name else None


def _read_message(data: object, where: str, check: _Check) -> dict | None:
    if not isinstance(data, dict):
        check.bad(f"{where.rstrip('.')} should be an object")
        return None
    message = {
        "id": check.number(data, "id", where, low=1),
        "kind": check.text(data, "kind", where),
        "created_at": check.instant(data, "created_at", where),
        "body": check.text(data, "body", where, limit=MAX_BODY),
        "plain_findings": check.number(data, "plain_findings", where, null=True, low=0),
        "author_agent": _read_agent(data.get("author_agent"), f"{where}author_agent.", check),
        "author_requester": None,
    }
    if data.get("author_requester") is not None:
        message["author_requester"] = _read_person(
            data["author_requester"], f"{where}author_requester.", check
        )
    if message["kind"] is not None and message["kind"] not in Message.KINDS:
        check.bad(f"{where}kind '{message['kind']}' should be one of {', '.join(Message.KINDS)}")
    return message


def _read_event(data: object, where: str, check: _Check) -> dict | None:
    if not isinstance(data, dict):
        check.bad(f"{where.rstrip('.')} should be an object")
        return None
    return {
        "id": check.number(data, "id", where, low=1),
        "at": check.instant(data, "at", where),
        "agent": _read_agent(data.get("agent"), f"{where}agent.", check),
        "actor": check.text(data, "actor", where),
        "action": check.text(data, "action", where, limit=40),
        "field": check.text(data, "field", where, null=True),
        "old": check.text(data, "old", where, null=True),
        "new": check.text(data, "new", where, null=True),
        "version": check.number(data, "version", where, low=1),
    }


def _read_breach(data: object, where: str, check: _Check) -> dict | None:
    if not isinstance(data, dict):
        check.bad(f"{where.rstrip('.')} should be an object")
        return None
    clock = check.text(data, "clock", where)
    if clock is not None and clock not in CLOCK_NAMES:
        check.bad(f"{where}clock '{clock}' should be one of {', '.join(CLOCK_NAMES)}")
    return {
        "clock": clock,
        "cycle": check.number(data, "cycle", where, low=1),
        "breached_at": check.instant(data, "breached_at", where),
        "recorded_at": check.instant(data, "recorded_at", where),
        "recorded_by": check.text(data, "recorded_by", where),
    }


def _json_rows(path: Path) -> Iterator[tuple[int, object | None, str | None]]:
    """(line number, decoded JSON or None, problem) for each line after the header; blank lines skipped."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1 or not line.strip():
                continue
            try:
                yield number, json.loads(line.strip()), None
            except json.JSONDecodeError as error:
                yield number, None, f"not JSON ({error.msg} at column {error.colno})"


def _json_header(path: Path) -> int:
    """The number of tickets the export's header promises."""
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
    try:
        header = json.loads(first)
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or "plaindesk_export" not in header:
        raise TransferError(
            f"{path} is not a PlainDesk export: line 1 should be its header "
            '({"plaindesk_export": 1, ...}). Import other help desks\' tickets as CSV (--format csv).'
        )
    if header["plaindesk_export"] != EXPORT_VERSION:
        raise TransferError(
            f"{path} is a version {header['plaindesk_export']} export; this PlainDesk reads version "
            f"{EXPORT_VERSION}. Export it again with this version."
        )
    count = header.get("tickets")
    if not isinstance(count, int) or count < 0:
        raise TransferError(f'{path}, line 1: the header should say how many tickets follow ("tickets": N).')
    return count


def _check_json(config: Config, path: Path, plan: _Plan, progress: Progress | None, total: int) -> None:
    for number, data, problem in _json_rows(path):
        check = _Check()
        if problem:
            check.bad(problem)
        else:
            ticket = _read_json(config, data, check)
            if ticket is not None and not check.problems:
                _note_ids(ticket, number, plan, check)
        if check.problems:
            plan.problems.append(f"line {number}: " + "; ".join(check.problems))
        plan.rows += 1
        if progress and plan.rows % BATCH == 0:
            progress(plan.rows, total)
    if progress:
        progress(total // 2, total)


def _note_ids(ticket: dict, number: int, plan: _Plan, check: _Check) -> None:
    if ticket["id"] in plan.ids:
        check.bad(f"ticket #{ticket['id']} is also on line {plan.ids[ticket['id']]}")
    else:
        plan.ids[ticket["id"]] = number
    if ticket["merged_into"] is not None:
        plan.merges.append((number, ticket["merged_into"]))
    for kind, found, seen in (
        ("message", ticket["messages"], plan.message_ids),
        ("history", ticket["events"], plan.event_ids),
    ):
        for item in found:
            if item["id"] in seen:
                check.bad(f"{kind} id {item['id']} appears twice in the file")
            seen.add(item["id"])
    clocks = [(b["clock"], b["cycle"]) for b in ticket.get("breaches", [])]
    if len(set(clocks)) != len(clocks):
        check.bad("a breach of the same clock and cycle is listed twice")


# -- generic ticket CSV ------------------------------------------------------------------------------

CSV_COLUMNS = {
    "id": ("id", "ticket", "ticket_id", "ticket_number", "number", "#"),
    "subject": ("subject", "title", "summary"),
    "status": ("status", "state"),
    "priority": ("priority", "urgency"),
    "requester_name": ("requester_name", "requester", "name", "customer", "contact", "reporter"),
    "requester_email": ("requester_email", "email", "e_mail", "customer_email", "contact_email"),
    "requester_department": ("requester_department", "department"),
    "created_at": ("created_at", "created", "opened", "opened_at", "date_created", "created_date"),
    "updated_at": ("updated_at", "updated", "last_updated", "modified"),
    "solved_at": ("solved_at", "solved", "resolved_at", "resolved", "closed_at"),
    "description": ("description", "body", "message", "details"),
    "category": ("category", "type"),
    "group": ("group", "queue", "team"),
    "assignee": ("assignee", "assigned_to", "agent", "owner"),
    "tags": ("tags", "labels"),
    "channel": ("channel", "source", "via"),
}
"""PlainDesk field -> the column names that mean it (compared in lower case, spaces and dashes as _)."""
CSV_REQUIRED = ("subject", "created_at")
STATUS_WORDS = {
    "new": "new",
    "open": "open",
    "opened": "open",
    "in progress": "open",
    "in_progress": "open",
    "assigned": "open",
    "active": "open",
    "reopened": "open",
    "pending": "pending",
    "waiting": "pending",
    "on hold": "pending",
    "on-hold": "pending",
    "hold": "pending",
    "waiting on customer": "pending",
    "awaiting reply": "pending",
    "solved": "solved",
    "resolved": "solved",
    "done": "solved",
    "fixed": "solved",
    "closed": "closed",
    "cancelled": "closed",
    "canceled": "closed",
}
"""Status words of other help desks -> PlainDesk statuses (used when the desk has that status)."""
PRIORITY_WORDS = {
    "lowest": "low",
    "minor": "low",
    "p4": "low",
    "medium": "normal",
    "moderate": "normal",
    "p3": "normal",
    "major": "high",
    "p2": "high",
    "critical": "urgent",
    "highest": "urgent",
    "emergency": "urgent",
    "p1": "urgent",
}
"""Priority words of other help desks -> PlainDesk priorities (used when the desk has that priority)."""
IMPORT_CHANNEL = "import"
"""The channel of an imported CSV ticket that names none (reports count it as "other")."""


def _column_key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _map_header(header: list[str]) -> tuple[dict[str, int], tuple[str, ...], list[str]]:
    """(field -> column index, ignored column names, problems) for a CSV header row."""
    names = {alias: name for name, aliases in CSV_COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    ignored, problems = [], []
    for index, column in enumerate(header):
        key = names.get(_column_key(column))
        if key is None:
            if column.strip():
                ignored.append(column.strip())
        elif key in found:
            problems.append(f"columns {index + 1} and {found[key] + 1} both mean {key}")
        else:
            found[key] = index
    missing = [name for name in CSV_REQUIRED if name not in found]
    if "requester_name" not in found and "requester_email" not in found:
        missing.append("requester_name or requester_email")
    if missing:
        problems.append(f"the header has no {', '.join(missing)} column (see docs/reports.md for the names)")
    return found, tuple(ignored), problems


def _csv_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) of each CSV record, the header first."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        start = 1
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1


def _read_csv_row(config: Config, zone: ZoneInfo, cells: list[str], columns: dict[str, int], check: _Check):
    def cell(name: str) -> str:
        index = columns.get(name)
        text = cells[index].strip() if index is not None and index < len(cells) else ""
        return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA) else text

    row: dict[str, Any] = {}
    number = cell("id")
    row["id"] = None
    if number:
        digits = number.lstrip("#")
        if digits.isdigit() and int(digits) > 0:
            row["id"] = int(digits)
        else:
            check.bad(f"id '{number}' is not a ticket number")
    row["subject"] = clean_line(cell("subject"))
    if not row["subject"]:
        check.bad("subject is empty")
    elif len(row["subject"]) > MAX_SUBJECT:
        check.bad(f"subject is {len(row['subject'])} characters; keep it under {MAX_SUBJECT}")
    row["status"] = _word(cell("status") or "new", config.statuses, STATUS_WORDS, "status", check)
    row["priority"] = _word(
        cell("priority") or config.default_priority, config.priorities, PRIORITY_WORDS, "priority", check
    )
    name, email = clean_line(cell("requester_name")), cell("requester_email")
    try:
        person = RequesterInput.parse(f"{name} <{email}>" if email else name)
        row["requester"] = (person.name, person.email, clean_line(cell("requester_department")) or None)
    except WorkflowError as error:
        check.bad(f"requester: {error}")
    for key in ("created_at", "updated_at", "solved_at"):
        text = cell(key)
        row[key] = _local_time(text, zone, key, check) if text else None
    if row["created_at"] is None and not cell("created_at"):
        check.bad("created_at is empty")
    for key in ("updated_at", "solved_at"):
        if row[key] and row["created_at"] and row[key] < row["created_at"]:
            check.bad(f"{key} is before created_at")
    body = clean_text(cell("description")).strip()
    if len(body) > MAX_BODY:
        check.bad(f"description is {len(body)} characters; the limit is {MAX_BODY}")
    row["description"] = body
    for key, choices in (("category", config.categories), ("group", config.groups)):
        row[key] = _word(cell(key), choices, {}, key, check) if cell(key) else None
    assignee = cell("assignee") or None
    if assignee is not None and config.agent(assignee) is None:
        check.bad(f"assignee '{assignee}' is not an agent login of this desk")
    row["assignee"] = assignee
    tags = [clean_line(t).lower() for t in cell("tags").replace(",", " ").replace(";", " ").split()]
    if any(len(t) > MAX_TAG for t in tags):
        check.bad(f"a tag is longer than {MAX_TAG} characters")
    row["tags"] = tags
    row["channel"] = cell("channel").lower() or IMPORT_CHANNEL
    return row


def _word(text: str, choices: dict, words: dict[str, str], what: str, check: _Check) -> str | None:
    """A status or priority: the desk's own id or label, or a common word for one (case ignored)."""
    key = " ".join(text.lower().replace("_", " ").split())
    for choice_id, choice in choices.items():
        label = getattr(choice, "label", choice)
        if key in (choice_id, str(label).lower()):
            return choice_id
    mapped = words.get(key) or words.get(key.replace(" ", "_"))
    if mapped in choices:
        return mapped
    check.bad(
        f"{what} '{text}' is not known; use one of: {', '.join(choices)} (or a word in docs/reports.md)"
    )
    return None


def _local_time(text: str, zone: ZoneInfo, key: str, check: _Check) -> datetime | None:
    """ISO 8601 (2026-11-03T09:15:00Z, 2026-11-03 09:15, 2026-11-03); no zone means the desk's."""
    moment = _moment(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    if moment is None:
        try:
            moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
        except ValueError:
            check.bad(f"{key} '{text}' is not a time; write it like 2026-11-03 09:15 (or with Z for UTC)")
            return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)


def _check_csv(config: Config, path: Path, plan: _Plan, progress: Progress | None, total: int) -> None:
    records = _csv_records(path)
    header = next(records, None)
    if header is None:
        raise TransferError(f"{path} is empty; a ticket CSV starts with a header row.")
    columns, plan.ignored, problems = _map_header(header[1])
    if problems:
        raise TransferError(f"{path}, line 1 (the header) cannot be used:", problems)
    zone = ZoneInfo(config.timezone)
    try:
        for number, cells in records:
            if not any(c.strip() for c in cells):
                continue
            check = _Check()
            row = _read_csv_row(config, zone, cells, columns, check)
            if row["id"] is not None and not check.problems:
                _note_ids({**row, "merged_into": None, "messages": [], "events": []}, number, plan, check)
            if check.problems:
                plan.problems.append(f"line {number}: " + "; ".join(check.problems))
            plan.rows += 1
            if progress and plan.rows % BATCH == 0:
                progress(plan.rows, total)
        if progress:
            progress(total // 2, total)
    except csv.Error as error:
        raise TransferError(f"{path} is not a CSV file this import can read ({error}).") from None
    except UnicodeDecodeError:
        raise TransferError(f"{path} is not UTF-8 text; save it as CSV UTF-8 and import it again.") from None


# -- importing -------------------------------------------------------------------------------------------


def detect_format(path: Path) -> str:
    """jsonl or csv, from the file's name, else from its first character."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        return "jsonl" if handle.read(64).lstrip().startswith("{") else "csv"


def _count_rows(path: Path, fmt: str) -> int:
    if fmt == "jsonl":
        with path.open(encoding="utf-8", errors="replace") as handle:
            return max(0, sum(1 for line in handle if line.strip()) - 1)
    return max(0, sum(1 for _, cells in _csv_records(path) if any(c.strip() for c in cells)) - 1)


def import_tickets(
    store: Store,
    config: Config,
    path: str | Path,
    fmt: str | None = None,
    *,
    importer: Actor | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a PlainDesk export (jsonl) or a ticket CSV, all or nothing.

    Args:
        importer: who is importing (the signed-in agent); CSV tickets' history says they imported them.
        now: when, for the SLA times of CSV tickets (default: now).
        progress: called with (done, total); checking is the first half, writing the second.

    Raises:
        TransferError: the file cannot be read or has bad rows; its `problems` say which, and nothing
            was imported.
    """
    path = Path(path)
    if not path.is_file():
        raise TransferError(f"There is no file {path}.")
    fmt = fmt or detect_format(path)
    if fmt not in ("jsonl", "csv"):
        raise TransferError(f"'{fmt}' is not an import format; use jsonl or csv.")
    try:
        total = _count_rows(path, fmt)
        plan = _Plan()
        if fmt == "jsonl":
            promised = _json_header(path)
            _check_json(config, path, plan, progress, 2 * total)
            if promised != plan.rows:
                plan.problems.append(
                    f"line 1: the header promises {promised} tickets but the file holds {plan.rows} "
                    "(was it cut short?)"
                )
        else:
            _check_csv(config, path, plan, progress, 2 * total)
    except UnicodeDecodeError:
        raise TransferError(f"{path} is not UTF-8 text; nothing was imported.") from None
    with store.write():
        _check_against_database(store, plan)
        if plan.problems:
            raise TransferError(
                f"{path} has {len(plan.problems)} bad row{'s' if len(plan.problems) != 1 else ''}; "
                "nothing was imported. Fix them and import the whole file again:",
                plan.problems,
            )
        writer = _Writer(store, config, importer or Actor("PlainDesk"), now or datetime.now(UTC))
        if fmt == "jsonl":
            writer.renumber = bool(
                _all(store, "1 FROM message LIMIT 1") or _all(store, "1 FROM event LIMIT 1")
            )
            writer.write_json(path, progress, total)
        else:
            writer.write_csv(path, progress, total)
        # How each SLA clock went is not in the file: it is judged from the imported history.
        recompute(config, writer.written)
    return ImportResult(plan.rows, fmt, plan.ignored, writer.renumber)


def _check_against_database(store: Store, plan: _Plan) -> None:
    """Ticket numbers already taken, and merges into tickets that exist nowhere."""
    numbers = list(plan.ids)
    taken: set[int] = set()
    for start in range(0, len(numbers), BATCH):
        chunk = numbers[start : start + BATCH]
        taken.update(r[0] for r in _of(store, "SELECT id FROM ticket WHERE id IN ({ids})", chunk))
    for number in sorted(taken, key=plan.ids.get):
        plan.problems.append(
            f"line {plan.ids[number]}: ticket #{number} already exists in this database "
            "(import into an empty database, e.g. plaindesk --db new.db import FILE)"
        )
    for line, target in plan.merges:
        if target not in plan.ids and not _of(store, "SELECT id FROM ticket WHERE id IN ({ids})", [target]):
            plan.problems.append(
                f"line {line}: merged_into #{target} is neither in the file nor in this database"
            )
    plan.problems.sort(key=lambda p: int(p.split(":")[0].split()[1]))


class _Writer:
    """Writes checked rows (inside the caller's write transaction)."""

    def __init__(self, store: Store, config: Config, importer: Actor, now: datetime) -> None:
        self.store, self.config, self.importer, self.now = store, config, importer, now
        self.renumber = False
        entries = [AgentEntry(a.login, a.name, a.role, a.groups, a.timezone) for a in config.agents]
        sync_directory(config.groups, entries)
        self.agents = {a.login: a.id for a in Agent.select(Agent.id, Agent.login)}
        self.groups = {g.slug: g.id for g in Group.select(Group.id, Group.slug)}
        self.tags = {t.name: t.id for t in Tag.select(Tag.id, Tag.name)}
        self.people: dict[object, int] = {}
        self.merges: list[tuple[int, int]] = []
        self.written: list[int] = []
        """Numbers of the tickets imported."""

    def agent(self, ref: tuple[str, str] | None) -> int | None:
        if ref is None:
            return None
        login, name = ref
        if login not in self.agents:
            # Not an agent of this desk: kept, inactive, so the history keeps its author.
            self.agents[login] = Agent.create(login=login, name=name, role="agent", active=False).id
        return self.agents[login]

    def tag(self, name: str) -> int:
        if name not in self.tags:
            self.tags[name] = Tag.create(name=name).id
        return self.tags[name]

    def person(
        self, key: object, name: str, email: str | None, department: str | None, created: datetime
    ) -> int:
        email = email.lower() if email else None
        if not email and key is None:
            return Requester.create(name=name, email=None, department=department, created_at=created).id
        memo = ("email", email) if email else ("key", key)
        if memo not in self.people:
            found = Requester.get_or_none(Requester.email == email) if email else None
            self.people[memo] = (
                found.id
                if found
                else Requester.create(name=name, email=email, department=department, created_at=created).id
            )
        return self.people[memo]

    # -- JSON lines --

    def write_json(self, path: Path, progress: Progress | None, total: int) -> None:
        done = 0
        batch: list[dict] = []
        for _, data, _ in _json_rows(path):
            batch.append(_read_json(self.config, data, _Check()))
            if len(batch) == BATCH:
                done += self._json_batch(batch)
                batch = []
                if progress:
                    progress(total + done, 2 * total)
        done += self._json_batch(batch)
        for source, target in self.merges:
            Ticket.update(merged_into=target).where(Ticket.id == source).execute()
        if progress:
            progress(2 * total, 2 * total)

    def _json_batch(self, batch: list[dict]) -> int:
        tickets, messages, events, tags, breaches, ratings = [], [], [], [], [], []
        for t in batch:
            self.written.append(t["id"])
            person = t["requester"]
            requester = self.person(
                person["key"], person["name"], person["email"], person["department"], person["created_at"]
            )
            sla = t["sla"]
            tickets.append(
                (
                    t["id"],
                    t["subject"],
                    t["status"],
                    t["priority"],
                    self.config.priority_rank(t["priority"]),
                    t["category"],
                    requester,
                    self.agent(t["assignee"]),
                    self.groups.get(t["group"]),
                    t["channel"],
                    _db(t["created_at"]),
                    _db(t["updated_at"]),
                    t["version"],
                    t["active"],
                    _db(t["first_responded_at"]),
                    _db(t["solved_at"]),
                    t["flagged"],
                    *(_db(sla[name]) for name in SLA_FIELDS[:3]),
                    _db(sla["next_due"] or FAR_FUTURE),
                    _db(sla["escalate_at"]),
                    _db(sla["warn_due"]),
                )
            )
            if t["merged_into"] is not None:
                self.merges.append((t["id"], t["merged_into"]))
            for m in t["messages"]:
                author = m["author_requester"]
                person_id = None
                if author is not None:
                    person_id = self.person(
                        author["key"],
                        author["name"],
                        author["email"],
                        author["department"],
                        author["created_at"],
                    )
                row = (
                    t["id"],
                    m["kind"],
                    m["body"],
                    _db(m["created_at"]),
                    self.agent(m["author_agent"]),
                    person_id,
                    m["plain_findings"],
                )
                messages.append(row if self.renumber else (m["id"], *row))
            for e in t["events"]:
                row = (
                    t["id"],
                    _db(e["at"]),
                    self.agent(e["agent"]),
                    e["actor"],
                    e["action"],
                    e["field"],
                    e["old"],
                    e["new"],
                    e["version"],
                )
                events.append(row if self.renumber else (e["id"], *row))
            tags += [(t["id"], self.tag(name)) for name in dict.fromkeys(t["tags"])]
            breaches += [
                (
                    t["id"],
                    b["clock"],
                    b["cycle"],
                    _db(b["breached_at"]),
                    _db(b["recorded_at"]),
                    b["recorded_by"],
                )
                for b in t["breaches"]
            ]
            if t["rating"] is not None:
                score, comment, rated = t["rating"]
                ratings.append((t["id"], score, comment, _db(rated)))
        message_columns = (
            "ticket",
            "kind",
            "body",
            "created_at",
            "author_agent",
            "author_requester",
            "plain_findings",
        )
        event_columns = ("ticket", "at", "agent", "actor", "action", "field", "old", "new", "version")
        ids = () if self.renumber else ("id",)
        bulk_insert(Ticket, _TICKET_COLUMNS, tickets, convert=False)
        bulk_insert(Message, (*ids, *message_columns), messages, convert=False)
        bulk_insert(Event, (*ids, *event_columns), events, convert=False)
        bulk_insert(TicketTag, ("ticket", "tag"), tags, convert=False)
        bulk_insert(
            Breach,
            ("ticket", "clock", "cycle", "breached_at", "recorded_at", "recorded_by"),
            breaches,
            convert=False,
        )
        bulk_insert(Rating, ("ticket", "score", "comment", "rated_at"), ratings, convert=False)
        return len(batch)

    # -- CSV --

    def write_csv(self, path: Path, progress: Progress | None, total: int) -> None:
        records = _csv_records(path)
        columns, _, _ = _map_header(next(records)[1])
        zone = ZoneInfo(self.config.timezone)
        rows = [
            _read_csv_row(self.config, zone, cells, columns, _Check())
            for _, cells in records
            if any(c.strip() for c in cells)
        ]
        top = max(
            [r["id"] for r in rows if r["id"]] + [_all(self.store, "coalesce(max(id), 0) FROM ticket")[0][0]]
        )
        for done, row in enumerate(rows, start=1):
            if row["id"] is None:
                top += 1
                row["id"] = top
            self._csv_ticket(row)
            if progress and (done % BATCH == 0 or done == len(rows)):
                progress(total + done, 2 * total)

    def _csv_ticket(self, row: dict[str, Any]) -> None:
        self.written.append(row["id"])
        name, email, department = row["requester"]
        created, status = row["created_at"], row["status"]
        stopped = status in STOP_STATUSES
        updated = max(d for d in (created, row["updated_at"], row["solved_at"]) if d)
        changed = (row["solved_at"] or updated) if stopped else updated
        requester = self.person(None if email else ("name", name), name, email, department, created)
        timeline = [(created, "created")] + ([(changed, f"status:{status}")] if status != "new" else [])
        clocks = ticket_clocks(self.config, row["priority"], timeline, self.now)
        times = cached_times(clocks, (), warn_due(self.config, row["priority"], clocks, self.now))
        running = [d for d in times.due.values() if d is not None]
        ticket = Ticket.create(
            id=row["id"],
            subject=row["subject"],
            status=status,
            priority=row["priority"],
            priority_rank=self.config.priority_rank(row["priority"]),
            category=row["category"],
            requester=requester,
            assignee=self.agents.get(row["assignee"]) if row["assignee"] else None,
            group=self.groups.get(row["group"]) if row["group"] else None,
            channel=row["channel"],
            created_at=created,
            updated_at=updated,
            version=len(timeline),
            active=not stopped,
            solved_at=(row["solved_at"] or changed) if stopped else None,
            first_response_due=times.due.get("first_response"),
            next_update_due=times.due.get("next_update"),
            resolution_due=times.due.get("resolution"),
            next_due=min(running) if running else FAR_FUTURE,
            escalate_at=times.escalate_at,
            warn_due=times.warn_due,
        )
        actor, agent = f"{self.importer.name} (import)", self.importer.agent_id
        Event.create(
            ticket=ticket.id,
            at=created,
            agent=agent,
            actor=actor,
            action="created",
            new=row["subject"],
            version=1,
        )
        if status != "new":
            Event.create(
                ticket=ticket.id,
                at=changed,
                agent=agent,
                actor=actor,
                action="changed",
                field="status",
                old="new",
                new=status,
                version=2,
            )
        if row["description"]:
            Message.create(
                ticket=ticket.id,
                kind="requester",
                body=row["description"],
                created_at=created,
                author_requester=requester,
            )
        for name in dict.fromkeys(row["tags"]):
            TicketTag.insert(ticket=ticket.id, tag=self.tag(name)).on_conflict_ignore().execute()


_TICKET_COLUMNS = (
    "id",
    "subject",
    "status",
    "priority",
    "priority_rank",
    "category",
    "requester",
    "assignee",
    "group",
    "channel",
    "created_at",
    "updated_at",
    "version",
    "active",
    "first_responded_at",
    "solved_at",
    "flagged",
    "first_response_due",
    "next_update_due",
    "resolution_due",
    "next_due",
    "escalate_at",
    "warn_due",
)
