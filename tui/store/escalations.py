"""The breach table: which tickets the escalation sweep must look at, and recording a breach once."""

from __future__ import annotations

from datetime import datetime

from tui.store.models import Breach, Ticket


def due_for_escalation(now: datetime, after_id: int, limit: int) -> list[int]:
    """Ids of tickets whose next unrecorded breach is due by `now` (by the escalate_at index)."""
    query = (
        Ticket.select(Ticket.id)
        .where((Ticket.escalate_at <= now) & (Ticket.id > after_id))
        .order_by(Ticket.id)
        .limit(limit)
    )
    return [row[0] for row in query.tuples()]


def record_breach(
    ticket_id: int, clock: str, cycle: int, breached_at: datetime, now: datetime, recorded_by: str
) -> bool:
    """Insert the breach unless it is recorded already; True when this call recorded it.

    Call inside Store.write(): the write lock makes check-then-insert atomic across processes, and the
    unique (ticket, clock, cycle) index would refuse a second row anyway.
    """
    exists = (
        Breach.select()
        .where((Breach.ticket == ticket_id) & (Breach.clock == clock) & (Breach.cycle == cycle))
        .exists()
    )
    if exists:
        return False
    Breach.create(
        ticket=ticket_id,
        clock=clock,
        cycle=cycle,
        breached_at=breached_at,
        recorded_at=now,
        recorded_by=recorded_by,
    )
    return True
