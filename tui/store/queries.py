"""Read queries: keyset-paginated queue views, full-text search and whole tickets."""

from __future__ import annotations

import base64
import binascii
import json
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN, Tuple, fn

from tui.store import sqlite
from tui.store.errors import NotFound
from tui.store.models import (
    FAR_FUTURE,
    Agent,
    Event,
    Group,
    Message,
    Requester,
    Tag,
    Ticket,
    TicketTag,
    UtcDateTimeField,
    database,
)
from tui.store.prepared import Prepared
from tui.store.records import EventRecord, MessageRecord, TicketRecord, TicketRow

SORTS = {
    # name: (columns, descending); the ticket id breaks ties
    "due": (("next_due",), False),
    "newest": (("created_at",), True),
    "oldest": (("created_at",), False),
    "updated": (("updated_at",), True),
    "priority": (("priority_rank", "next_due"), False),
}
SEARCH_LIMIT = 1000
"""Search returns at most this many best matches, so a common word stays fast on a big desk."""


@dataclass(frozen=True)
class View:
    """What a queue shows: which tickets, in which order."""

    active: bool | None = True
    """True: not solved/closed/merged; False: only those; None: all."""
    status: str | None = None
    assignee: str | None = None
    """An agent's login, or "" for unassigned tickets."""
    group: str | None = None
    priority: str | None = None
    category: str | None = None
    tag: str | None = None
    requester_email: str | None = None
    channel: str | None = None
    due_before: datetime | None = None
    """Only tickets whose soonest clock is due before this instant ("breaching soon")."""
    due_after: datetime | None = None
    """Only tickets whose soonest clock is due at or after this instant (not yet late)."""
    search: str | None = None
    sort: str = "due"


@dataclass(frozen=True)
class Page:
    rows: list[TicketRow]
    after: str | None
    """Cursor for the next page, or None on the last one."""


def encode_cursor(values: list[object], ticket_id: int) -> str:
    raw = json.dumps([*(str(v) for v in values), ticket_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[list[str], int]:
    """Raises ValueError for a token that did not come from encode_cursor."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        *values, ticket_id = json.loads(raw)
        return [str(v) for v in values], int(ticket_id)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
        raise ValueError(f"'{token}' is not a page cursor from `ticket list`") from error


def _cursor_value(column_name: str, text: str) -> object:
    field = getattr(Ticket, column_name)
    if isinstance(field, UtcDateTimeField):
        return field.db_value(datetime.fromisoformat(text))
    return int(text)


def _filtered(view: View, select: tuple) -> object:
    query = Ticket.select(*select)
    # A status says more than active/done, and leaving `active` out lets the (status, ...) index serve.
    if view.active is not None and not view.status:
        query = query.where(Ticket.active == view.active)
    if view.status:
        query = query.where(Ticket.status == view.status)
    if view.assignee == "":
        query = query.where(Ticket.assignee.is_null())
    elif view.assignee:
        query = query.where(Ticket.assignee == Agent.select(Agent.id).where(Agent.login == view.assignee))
    if view.group:
        query = query.where(Ticket.group == Group.select(Group.id).where(Group.slug == view.group))
    if view.priority:
        query = query.where(Ticket.priority == view.priority)
    if view.category:
        query = query.where(Ticket.category == view.category)
    if view.tag:
        tagged = TicketTag.select(TicketTag.ticket).join(Tag).where(Tag.name == view.tag)
        query = query.where(Ticket.id.in_(tagged))
    if view.requester_email:
        query = query.where(
            Ticket.requester
            == Requester.select(Requester.id).where(Requester.email == view.requester_email.lower())
        )
    if view.channel:
        query = query.where(Ticket.channel == view.channel)
    if view.due_before is not None:
        query = query.where(Ticket.next_due < view.due_before)
    if view.due_after is not None:
        query = query.where(Ticket.next_due >= view.due_after)
    if view.search is not None and view.search.strip():  # an empty search box filters nothing
        ids = search_ids(view.search)
        query = query.where(Ticket.id.in_(ids or [0]))
    return query


def _ordered(query: object, view: View, after: str | None) -> object:
    column_names, descending = SORTS[view.sort]
    columns = [getattr(Ticket, name) for name in column_names]
    if after:
        values, last_id = decode_cursor(after)
        if len(values) != len(columns):
            raise ValueError(f"'{after}' is a page cursor of another sort; start from the first page")
        keys = [_cursor_value(n, v) for n, v in zip(column_names, values, strict=True)]
        if view.sort == "priority":  # most urgent first (rank descending), then soonest due
            query = query.where(
                (Ticket.priority_rank < keys[0])
                | (
                    (Ticket.priority_rank == keys[0])
                    & (Tuple(Ticket.next_due, Ticket.id) > Tuple(keys[1], last_id))
                )
            )
        else:
            bound, key = Tuple(*columns, Ticket.id), Tuple(*keys, last_id)
            query = query.where(bound < key if descending else bound > key)
    if view.sort == "priority":
        return query.order_by(Ticket.priority_rank.desc(), Ticket.next_due, Ticket.id)
    if descending:
        return query.order_by(*(c.desc() for c in columns), Ticket.id.desc())
    return query.order_by(*columns, Ticket.id)


def list_page(view: View, after: str | None = None, limit: int = 50) -> Page:
    """One page of a view, after the cursor `after`; costs the same on any page of any size of desk."""
    query = _ordered(_filtered(view, (Ticket.id,)), view, after).limit(limit + 1)
    ids = [row[0] for row in query.tuples()]
    rows = rows_by_ids(ids[:limit])
    next_after = None
    if len(ids) > limit and rows:
        last = rows[-1]
        column_names, _ = SORTS[view.sort]
        values = [_row_value(last, name) for name in column_names]
        next_after = encode_cursor(values, last.id)
    return Page(rows, next_after)


def _row_value(row: TicketRow, column_name: str) -> object:
    if column_name == "priority_rank":
        return row.priority_rank
    value = getattr(row, column_name) or FAR_FUTURE
    return value.isoformat()


def ticket_ids(view: View, stop: Callable[[], bool] | None = None) -> array | None:
    """Every ticket id of a view in order, 8 bytes each, for a virtual list of any length; None when
    `stop()` said so before the end (a million ids take half a second: nobody waits for a view they
    have already left)."""
    sql, params = _ordered(_filtered(view, (Ticket.id,)), view, None).sql()
    return sqlite.packed_ids(database, sql, params, stop)


ROWS_AT_ONCE = 100
"""rows_by_ids reads this many ids per query (a queue page); fewer are padded with id 0, which no
ticket has, so one compiled query serves every call."""
_ROW_ASSIGNEE = Agent.alias()
_ROWS = Prepared(
    lambda *ids: (
        Ticket.select(
            Ticket.id,
            Ticket.subject,
            Ticket.status,
            Ticket.priority,
            Ticket.category,
            Requester.name,
            _ROW_ASSIGNEE.name,
            Group.slug,
            Ticket.created_at,
            Ticket.updated_at,
            Ticket.next_due,
            Ticket.version,
            Ticket.flagged,
            Ticket.warn_due,
            Ticket.priority_rank,
        )
        .join(Requester)
        .switch(Ticket)
        .join(_ROW_ASSIGNEE, JOIN.LEFT_OUTER, on=(Ticket.assignee == _ROW_ASSIGNEE.id))
        .switch(Ticket)
        .join(Group, JOIN.LEFT_OUTER)
        .where(Ticket.id.in_(list(ids)))
    ),
    arity=ROWS_AT_ONCE,
)


def rows_by_ids(ids: list[int]) -> list[TicketRow]:
    """Queue rows for `ids`, in the same order (one query by primary key per hundred ids)."""
    found = {}
    utc = Ticket.created_at.python_value
    for start in range(0, len(ids), ROWS_AT_ONCE):
        chunk = list(ids[start : start + ROWS_AT_ONCE])
        # The columns are converted here, not one by one through Prepared: a page is drawn at every
        # key that scrolls the queue, and the generic path took three times as long as SQLite.
        for row in _ROWS.raw_rows(*chunk, *[0] * (ROWS_AT_ONCE - len(chunk))):
            ticket_id, subject, status, priority, category, requester, assignee, group = row[:8]
            created, updated, due, version, flagged, warn, rank = row[8:]
            due = utc(due) if due is not None else None
            found[ticket_id] = TicketRow(
                ticket_id,
                subject,
                status,
                priority,
                category,
                requester,
                assignee,
                group,
                utc(created),
                utc(updated),
                None if due == FAR_FUTURE else due,
                version,
                bool(flagged),
                utc(warn) if warn is not None else None,
                rank,
            )
    return [found[i] for i in ids if i in found]


def search_ids(text: str, limit: int = SEARCH_LIMIT) -> list[int]:
    """Ticket ids whose subject or messages match `text`: subject matches first, newest first, then
    message matches, newest first. Any text is safe to pass.

    Newest-first rides the search index's own order; ranking every match by relevance cost a second
    for a common word on a million tickets.
    """
    query = sqlite.fts_query(text)
    if query is None:
        return []
    found: dict[int, None] = {}
    for sql in sqlite.search_sql():
        for (ticket_id,) in database.execute_sql(sql, (query, limit)).fetchall():
            found.setdefault(ticket_id, None)
            if len(found) >= limit:
                return list(found)
    return list(found)


_ASSIGNEE, _AUTHOR_AGENT, _AUTHOR_REQUESTER = Agent.alias(), Agent.alias(), Requester.alias()
_TICKET = Prepared(
    lambda ticket_id: (
        Ticket.select(
            Ticket.id,
            Ticket.subject,
            Ticket.status,
            Ticket.priority,
            Ticket.category,
            Ticket.channel,
            Requester.name,
            Requester.email,
            Requester.department,
            _ASSIGNEE.login,
            _ASSIGNEE.name,
            Group.slug,
            Ticket.created_at,
            Ticket.updated_at,
            Ticket.version,
            Ticket.active,
            Ticket.flagged,
            Ticket.merged_into,
            Ticket.first_responded_at,
            Ticket.solved_at,
            Ticket.first_response_due,
            Ticket.next_update_due,
            Ticket.resolution_due,
        )
        .join(Requester)
        .switch(Ticket)
        .join(_ASSIGNEE, JOIN.LEFT_OUTER, on=(Ticket.assignee == _ASSIGNEE.id))
        .switch(Ticket)
        .join(Group, JOIN.LEFT_OUTER)
        .where(Ticket.id == ticket_id)
    )
)
_MESSAGES = Prepared(
    lambda ticket_id: (
        Message.select(
            Message.id,
            Message.kind,
            Message.body,
            Message.created_at,
            _AUTHOR_AGENT.name,
            _AUTHOR_REQUESTER.name,
        )
        .join(_AUTHOR_AGENT, JOIN.LEFT_OUTER, on=(Message.author_agent == _AUTHOR_AGENT.id))
        .switch(Message)
        .join(_AUTHOR_REQUESTER, JOIN.LEFT_OUTER, on=(Message.author_requester == _AUTHOR_REQUESTER.id))
        .where(Message.ticket == ticket_id)
        .order_by(Message.created_at, Message.id)
    )
)
_EVENTS = Prepared(
    lambda ticket_id: (
        Event.select(
            Event.id, Event.at, Event.actor, Event.action, Event.field, Event.old, Event.new, Event.version
        )
        .where(Event.ticket == ticket_id)
        .order_by(Event.id)
    )
)
_TAGS = Prepared(
    lambda ticket_id: (
        Tag.select(Tag.name).join(TicketTag).where(TicketTag.ticket == ticket_id).order_by(Tag.name)
    )
)


def get_ticket(ticket_id: int) -> TicketRecord:
    """A whole ticket: fields, thread, notes, history and tags (four prepared queries).

    Raises:
        NotFound: no ticket has this number.
    """
    row = _TICKET.first(ticket_id)
    if row is None:
        raise NotFound(f"There is no ticket #{ticket_id}.")
    messages = [
        MessageRecord(id, kind, agent or requester or "PlainDesk", body, created_at)
        for id, kind, body, created_at, agent, requester in _MESSAGES.rows(ticket_id)
    ]
    events = [EventRecord(*event) for event in _EVENTS.rows(ticket_id)]
    (*fields, first_response_due, next_update_due, resolution_due) = row
    return TicketRecord(
        *fields[:12],
        tuple(name for (name,) in _TAGS.rows(ticket_id)),
        *fields[12:],
        due={
            "first_response": first_response_due,
            "next_update": next_update_due,
            "resolution": resolution_due,
        },
        messages=messages,
        events=events,
    )


def count_tickets(view: View, cap: int | None = None) -> int:
    """How many tickets a view holds (a count: use for reports, not on every keystroke).

    With `cap`, counting stops after cap + 1: "more than ten thousand" needs no count of a million.
    """
    if cap is None:
        return _filtered(view, (fn.COUNT(Ticket.id),)).scalar()
    return _filtered(view, (Ticket.id,)).limit(cap + 1).count()
