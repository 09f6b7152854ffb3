"""The stored SLA outcomes (tui.sla_outcomes judges them): one ticket's rows, or many tickets judged again."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tui.store.models import ClockOutcome

COLUMNS = (
    "ticket",
    "clock",
    "cycle",
    "started_us",
    "stopped_us",
    "reopened_us",
    "over_us",
    "business_us",
    "on_time",
    "agent",
)
_FIELDS = [ClockOutcome._meta.fields[name] for name in COLUMNS]
_NAMES = ", ".join(f.column_name for f in _FIELDS)
_INSERT = f"INSERT OR REPLACE INTO clock_outcome ({_NAMES}) VALUES ({', '.join('?' * len(COLUMNS))})"
_TIMELINE = {"created": "created", "replied": "agent_reply", "requester_replied": "requester_reply"}
_EVENTS = (
    "SELECT ticket_id, at, action, field, new, agent_id FROM event WHERE {where} "
    "AND (field = 'status' OR action IN ('created', 'replied', 'requester_replied')) ORDER BY ticket_id, id"
)
BATCH = 2000
"""Tickets judged per round of `rejudge`."""

Progress = Callable[[int, int], None]
RowsOf = Callable[[int, str, list[tuple[str, str, int | None]]], list[tuple]]


def _db():
    return ClockOutcome._meta.database


def set_outcomes(ticket_id: int, rows: list[tuple]) -> None:
    """Make the ticket's stored rows exactly `rows` (COLUMNS order, database values). Only what differs
    is written, so refreshing a ticket again changes nothing and an action writes a row or two."""
    db = _db()
    old = {
        (row[1], row[2]): row
        for row in db.execute_sql(f"SELECT {_NAMES} FROM clock_outcome WHERE ticket_id = ?", (ticket_id,))
    }
    new = {(row[1], row[2]): tuple(row) for row in rows}
    for clock, cycle in old.keys() - new.keys():
        db.execute_sql(
            "DELETE FROM clock_outcome WHERE ticket_id = ? AND clock = ? AND cycle = ?",
            (ticket_id, clock, cycle),
        )
    changed = [row for key, row in new.items() if old.get(key) != row]
    if changed:
        db.cursor().executemany(_INSERT, changed)


def insert_outcomes(rows: list[tuple]) -> None:
    """Add rows of tickets that have none yet (the demo's bulk load)."""
    if rows:
        _db().cursor().executemany(_INSERT, rows)


def rejudge(
    rows_of: RowsOf, ticket_ids: Iterable[int] | None = None, progress: Progress | None = None
) -> int:
    """Replace the rows of the given tickets (all when None) with `rows_of(id, priority, events)`, where
    events are (at, timeline kind, agent id) in history order; in the caller's transaction. Returns the
    number of tickets judged."""
    db = _db()
    if ticket_ids is None:
        total = db.execute_sql("SELECT count(*) FROM ticket").fetchone()[0]
        chunks = _all_tickets(db)
    else:
        wanted = sorted(set(ticket_ids))
        total = len(wanted)
        chunks = (wanted[start : start + BATCH] for start in range(0, total, BATCH))
        chunks = (_some_tickets(db, chunk) for chunk in chunks)
    done = 0
    for tickets in chunks:
        if not tickets:
            continue
        ids = [ticket_id for ticket_id, _ in tickets]
        if ticket_ids is None:  # a run of consecutive tickets: one range of the index
            where, args = "ticket_id BETWEEN ? AND ?", [ids[0], ids[-1]]
        else:
            where, args = f"ticket_id IN ({', '.join('?' * len(ids))})", ids
        events: dict[int, list] = {ticket_id: [] for ticket_id in ids}
        for ticket_id, at, action, field, new, agent in db.execute_sql(_EVENTS.format(where=where), args):
            kind = f"status:{new}" if field == "status" else _TIMELINE[action]
            if (found := events.get(ticket_id)) is not None:
                found.append((at, kind, agent))
        rows = []
        for ticket_id, priority in tickets:
            rows += rows_of(ticket_id, priority, events[ticket_id])
        db.execute_sql(f"DELETE FROM clock_outcome WHERE {where}", args)
        insert_outcomes(rows)
        done += len(tickets)
        if progress:
            progress(done, total)
    return done


def _all_tickets(db):
    after = 0
    while True:
        tickets = db.execute_sql(
            "SELECT id, priority FROM ticket WHERE id > ? ORDER BY id LIMIT ?", (after, BATCH)
        ).fetchall()
        if not tickets:
            return
        yield tickets
        after = tickets[-1][0]


def _some_tickets(db, ids: list[int]) -> list[tuple[int, str]]:
    marks = ", ".join("?" * len(ids))
    return db.execute_sql(
        f"SELECT id, priority FROM ticket WHERE id IN ({marks}) ORDER BY id", ids
    ).fetchall()
