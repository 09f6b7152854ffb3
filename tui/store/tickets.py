"""Writes to tickets, used by tui.workflow inside one `Store.write()` transaction per action."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import fn

from tui.store.errors import Conflict, NotFound
from tui.store.models import (
    FAR_FUTURE,
    Agent,
    Breach,
    Event,
    Group,
    Message,
    Requester,
    Tag,
    Ticket,
    TicketTag,
)
from tui.store.prepared import Prepared


@dataclass(frozen=True)
class Actor:
    """Who is acting: an agent (agent_id set), a requester, or PlainDesk itself."""

    name: str
    agent_id: int | None = None
    requester_id: int | None = None
    login: str | None = None
    """An agent's login (for "my tickets")."""


_TICKET_FIELDS = [field.name for field in Ticket._meta.sorted_fields]
_LOCK = Prepared(lambda ticket_id: Ticket.select(*Ticket._meta.sorted_fields).where(Ticket.id == ticket_id))


def lock_ticket(ticket_id: int, expected_version: int | None = None) -> Ticket:
    """The ticket to change, checked against the version the person saw.

    Call inside Store.write(): the write lock is already held, so nobody changes it between this read
    and the write that follows.

    Raises:
        NotFound: no such ticket.
        Conflict: it changed since `expected_version`; the message says who changed what.
    """
    row = _LOCK.first(ticket_id)
    if row is None:
        raise NotFound(f"There is no ticket #{ticket_id}.")
    ticket = Ticket(**dict(zip(_TICKET_FIELDS, row, strict=True)))
    ticket._dirty.clear()  # as read: a save writes only what the action changes
    if expected_version is not None and ticket.version != expected_version:
        changes = [
            f"{e.actor} at {e.at:%Y-%m-%d %H:%M} UTC: {_describe(e)}"
            for e in Event.select()
            .where((Event.ticket == ticket_id) & (Event.version > expected_version))
            .order_by(Event.id)
        ]
        summary = "; ".join(changes) or "changes were made"
        raise Conflict(
            f"Ticket #{ticket_id} was changed after you opened it (version {expected_version}, now "
            f"{ticket.version}): {summary}. Your change was not saved; reload the ticket and try "
            "again.",
            changes,
        )
    return ticket


def _describe(event: Event) -> str:
    if event.field:
        return f"{event.field} {event.old or '(none)'} -> {event.new or '(none)'}"
    return event.action


def touch(ticket: Ticket, now: datetime) -> None:
    """Raise the ticket's version for the change being made (saved by the caller)."""
    ticket.version += 1
    ticket.updated_at = now


def record(
    ticket: Ticket,
    actor: Actor,
    now: datetime,
    action: str,
    field: str | None = None,
    old: object = None,
    new: object = None,
) -> None:
    """Append one history row for a change to `ticket` (after touch, so it carries the new version)."""
    Event.create(
        ticket=ticket.id,
        at=now,
        agent=actor.agent_id,
        actor=actor.name,
        action=action,
        field=field,
        old=None if old is None else str(old),
        new=None if new is None else str(new),
        version=ticket.version,
    )


def upsert_requester(name: str, email: str | None, department: str | None, now: datetime) -> Requester:
    """The requester with this e-mail (name and department refreshed), or a new one."""
    if email:
        found = Requester.get_or_none(Requester.email == email.lower())
        if found:
            if (name and found.name != name) or (department and found.department != department):
                found.name = name or found.name
                found.department = department or found.department
                found.save()
            return found
    return Requester.create(
        name=name, email=email.lower() if email else None, department=department, created_at=now
    )


def insert_ticket(**fields: object) -> Ticket:
    return Ticket.create(**fields)


def add_message(
    ticket: Ticket, kind: str, body: str, now: datetime, actor: Actor, plain_findings: int | None = None
) -> Message:
    return Message.create(
        ticket=ticket.id,
        kind=kind,
        body=body,
        created_at=now,
        author_agent=actor.agent_id,
        author_requester=actor.requester_id,
        plain_findings=plain_findings,
    )


def copy_thread(source: Ticket, target: Ticket) -> None:
    """Copy every message of `source` to `target`, keeping authors and times (merging a duplicate)."""
    for message in source.messages.order_by(Message.created_at, Message.id):
        Message.create(
            ticket=target.id,
            kind=message.kind,
            body=message.body,
            created_at=message.created_at,
            author_agent=message.author_agent_id,
            author_requester=message.author_requester_id,
            plain_findings=message.plain_findings,
        )


def agent_id(login: str) -> int | None:
    row = Agent.get_or_none(Agent.login == login)
    return row.id if row else None


def agent_login(agent_pk: int | None) -> str | None:
    if agent_pk is None:
        return None
    row = Agent.get_or_none(Agent.id == agent_pk)
    return row.login if row else None


def group_id(slug: str) -> int | None:
    row = Group.get_or_none(Group.slug == slug)
    return row.id if row else None


def group_slug(group_pk: int | None) -> str | None:
    if group_pk is None:
        return None
    row = Group.get_or_none(Group.id == group_pk)
    return row.slug if row else None


def tags_of(ticket_id: int) -> set[str]:
    return {t.name for t in Tag.select(Tag.name).join(TicketTag).where(TicketTag.ticket == ticket_id)}


def add_tags(ticket_id: int, names: Iterable[str]) -> None:
    for name in names:
        tag, _ = Tag.get_or_create(name=name)
        TicketTag.insert(ticket=ticket_id, tag=tag.id).on_conflict_ignore().execute()


def remove_tags(ticket_id: int, names: Iterable[str]) -> None:
    names = list(names)
    if names:
        TicketTag.delete().where(
            (TicketTag.ticket == ticket_id) & TicketTag.tag.in_(Tag.select(Tag.id).where(Tag.name.in_(names)))
        ).execute()


TIMELINE_ACTIONS = {"created": "created", "replied": "agent_reply", "requester_replied": "requester_reply"}
"""History actions that the SLA clocks see (spec: timeline), besides status changes."""


_SLA_HISTORY = Prepared(
    lambda ticket_id: (
        Event.select(Event.at, Event.action, Event.field, Event.new, Event.agent)
        .where(Event.ticket == ticket_id)
        .order_by(Event.id)
    )
)
"""Compiled once: opening a ticket with a long thread works out its clocks from every entry."""


def sla_history(ticket_id: int) -> list[tuple[datetime, str, int | None]]:
    """The ticket's SLA timeline with the agent of each entry (who sent a public reply), in the order
    things happened."""
    entries = []
    for at, action, field, new, agent in _SLA_HISTORY.rows(ticket_id):
        if field == "status":
            entries.append((at, f"status:{new}", agent))
        elif action in TIMELINE_ACTIONS:
            entries.append((at, TIMELINE_ACTIONS[action], agent))
    # History ids give the order of same-instant events; a stable sort by time keeps it.
    return sorted(entries, key=lambda entry: entry[0])


def timeline(ticket: Ticket) -> list[tuple[datetime, str]]:
    """The ticket's SLA timeline from its history, in the order things happened."""
    return [(at, kind) for at, kind, _ in sla_history(ticket.id)]


def set_dues(ticket: Ticket, times: Any) -> None:
    """Cache the due times of the running clocks, the soonest of them for "breaches next", and when the
    escalation sweep must look next (`times` is a tui.sla_policy.CachedTimes)."""
    ticket.first_response_due = times.due.get("first_response")
    ticket.next_update_due = times.due.get("next_update")
    ticket.resolution_due = times.due.get("resolution")
    running = [d for d in times.due.values() if d is not None]
    ticket.next_due = min(running) if running else FAR_FUTURE
    ticket.escalate_at = times.escalate_at
    ticket.warn_due = times.warn_due


def recorded_breaches(ticket_id: int) -> set[tuple[str, int]]:
    """(clock, cycle) of every breach already recorded for the ticket."""
    return {
        (b.clock, b.cycle)
        for b in Breach.select(Breach.clock, Breach.cycle).where(Breach.ticket == ticket_id)
    }


def last_event_id() -> int:
    """The id of the newest history row (0 on an empty desk); a cheap "did any ticket change?"."""
    return Event.select(fn.MAX(Event.id)).scalar() or 0
