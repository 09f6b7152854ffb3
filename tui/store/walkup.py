"""Store work for the kiosk: walk-up visits, secret codes, ratings, announcements and rate limits.

Call inside Store.read() or Store.write(), as the other store modules are.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN, fn

from tui.store.models import Agent, Announcement, KioskAttempt, Rating, Requester, TicketAccess, Visit

_ITERATIONS = 100_000
"""PBKDF2 rounds for a ticket's secret code: slow enough that a stolen database is no list of codes."""


@dataclass(frozen=True)
class VisitRow:
    id: int
    name: str
    reason: str
    checked_in_at: datetime
    served_at: datetime | None
    served_by: str | None
    ticket_id: int | None


@dataclass(frozen=True)
class AnnouncementRow:
    id: int
    kind: str
    title: str
    body: str
    starts_at: datetime
    ends_at: datetime


def add_visit(requester_id: int, reason: str, category: str | None, now: datetime, ticket_id: int) -> int:
    return Visit.insert(
        requester=requester_id, reason=reason, category=category, checked_in_at=now, ticket=ticket_id
    ).execute()


def _visits(where, order=(Visit.checked_in_at, Visit.id)) -> list[VisitRow]:
    """Visits matching `where` with their visitor and agent, in `order`."""
    query = (
        Visit.select(Visit, Requester, Agent)
        .join(Requester)
        .switch(Visit)
        .join(Agent, JOIN.LEFT_OUTER, on=(Visit.served_by == Agent.id))
        .where(where)
        .order_by(*order)
    )
    return [
        VisitRow(
            v.id,
            v.requester.name,
            v.reason,
            v.checked_in_at,
            v.served_at,
            v.served_by.name if v.served_by_id else None,
            v.ticket_id,
        )
        for v in query
    ]


def waiting() -> list[VisitRow]:
    """Visitors not yet called, first come first."""
    return _visits(Visit.served_at.is_null())


def visit(visit_id: int) -> VisitRow | None:
    rows = _visits(Visit.id == visit_id)
    return rows[0] if rows else None


def served_since(since: datetime) -> list[VisitRow]:
    """Visitors called since `since`, latest first."""
    return _visits(Visit.served_at >= since, (Visit.served_at.desc(), Visit.id.desc()))


def call_next(agent_id: int, now: datetime) -> VisitRow | None:
    """Mark the longest-waiting visitor as called by the agent (inside a write transaction)."""
    first = (
        Visit.select(Visit.id)
        .where(Visit.served_at.is_null())
        .order_by(Visit.checked_in_at, Visit.id)
        .first()
    )
    if first is None:
        return None
    Visit.update(served_at=now, served_by=agent_id).where(Visit.id == first.id).execute()
    return visit(first.id)


def set_code(ticket_id: int, code: str) -> None:
    salt = secrets.token_hex(16)
    TicketAccess.insert(
        ticket=ticket_id, code_hash=_hash(code, salt), salt=salt
    ).on_conflict_replace().execute()


def code_matches(ticket_id: int, code: str) -> bool:
    row = TicketAccess.get_or_none(TicketAccess.ticket == ticket_id)
    if row is None:
        _hash(code, "0" * 32)  # the same work either way, so timing tells nothing
        return False
    return hmac.compare_digest(row.code_hash, _hash(code, row.salt))


def _hash(code: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", code.upper().encode(), bytes.fromhex(salt), _ITERATIONS).hex()


def rate(ticket_id: int, score: int, comment: str, now: datetime) -> None:
    Rating.insert(ticket=ticket_id, score=score, comment=comment, rated_at=now).on_conflict(
        conflict_target=[Rating.ticket],
        update={Rating.score: score, Rating.comment: comment, Rating.rated_at: now},
    ).execute()


def rating(ticket_id: int) -> tuple[int, str] | None:
    row = Rating.get_or_none(Rating.ticket == ticket_id)
    return (row.score, row.comment) if row else None


def add_announcement(
    kind: str, title: str, body: str, starts_at: datetime, ends_at: datetime, created_by: str, now: datetime
) -> int:
    return Announcement.insert(
        kind=kind,
        title=title,
        body=body,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=created_by,
        created_at=now,
    ).execute()


def announcements(now: datetime, include_upcoming: bool = False) -> list[AnnouncementRow]:
    """Announcements running now (and, if asked, those still to come), soonest first."""
    query = Announcement.select().where(Announcement.ends_at > now)
    if not include_upcoming:
        query = query.where(Announcement.starts_at <= now)
    return [
        AnnouncementRow(a.id, a.kind, a.title, a.body, a.starts_at, a.ends_at)
        for a in query.order_by(Announcement.starts_at, Announcement.id)
    ]


def record_attempt(terminal: str, kind: str, now: datetime) -> None:
    KioskAttempt.insert(terminal=terminal, kind=kind, at=now).execute()


def attempts_since(terminal: str, kind: str, since: datetime) -> int:
    return (
        KioskAttempt.select(fn.COUNT(KioskAttempt.id))
        .where((KioskAttempt.terminal == terminal) & (KioskAttempt.kind == kind) & (KioskAttempt.at >= since))
        .scalar()
    )


def clear_attempts(terminal: str, kind: str) -> None:
    KioskAttempt.delete().where((KioskAttempt.terminal == terminal) & (KioskAttempt.kind == kind)).execute()


def requester_of(ticket_id: int) -> tuple[int, str, str | None] | None:
    """(id, name, e-mail) of the ticket's requester."""
    from tui.store.models import Ticket

    row = (
        Ticket.select(Requester.id, Requester.name, Requester.email)
        .join(Requester)
        .where(Ticket.id == ticket_id)
        .tuples()
        .first()
    )
    return tuple(row) if row else None
