"""SLA escalation: record each breach exactly once and apply the policy's on_breach actions.

Runs in every console (on a timer) and in `plaindesk sla tick` (cron). Several of them may sweep at the
same moment; the database decides who records a breach: each ticket is handled in a write transaction
that holds the lock from its start (BEGIN IMMEDIATE), checks the breach table and inserts, and the
table's unique (ticket, clock, cycle) index refuses a second row whatever happens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tui.config import Config
from tui.sla_outcomes import Judge, from_datetimes
from tui.sla_policy import cached_times, ticket_clocks, warn_due
from tui.store import Store
from tui.store import tickets as db
from tui.store.escalations import due_for_escalation, record_breach
from tui.store.outcomes import set_outcomes
from tui.store.tickets import Actor

SYSTEM = Actor("PlainDesk (SLA)")
"""Who escalations are recorded as in the ticket's history."""
BATCH = 100
"""Tickets handled per sweep query; each ticket is still its own transaction."""


@dataclass(frozen=True)
class Escalation:
    """One breach recorded by this sweep, with what was done about it."""

    ticket_id: int
    clock: str
    cycle: int
    breached_at: datetime
    actions: tuple[str, ...] = ()

    def describe(self) -> str:
        done = "; ".join(self.actions) or "recorded"
        return f"#{self.ticket_id} {self.clock.replace('_', ' ')} (cycle {self.cycle}): {done}"


@dataclass
class SweepResult:
    escalations: list[Escalation] = field(default_factory=list)
    tickets_checked: int = 0


def sweep(
    store: Store,
    config: Config,
    recorded_by: str,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    limit: int | None = None,
    between: Callable[[], None] | None = None,
) -> SweepResult:
    """Record every breach that is due by `now` and not yet recorded; apply on_breach actions.

    Args:
        recorded_by: which process sweeps ("sla tick", "console (asha)"), kept on the breach row.
        limit: stop after this many tickets (the console sweeps a little at a time).
        between: called between tickets (the console sleeps a moment, so its screen stays quick).
    """
    result = SweepResult()
    moment = now()
    after = None
    while limit is None or result.tickets_checked < limit:
        with store.read():
            due = due_for_escalation(moment, after, BATCH)
        if not due:
            break
        for _, ticket_id in due:
            result.escalations += _escalate(store, config, ticket_id, moment, recorded_by)
            result.tickets_checked += 1
            if between is not None:
                between()
        after = due[-1]
    return result


def _escalate(
    store: Store, config: Config, ticket_id: int, now: datetime, recorded_by: str
) -> list[Escalation]:
    done: list[Escalation] = []
    with store.write():
        ticket = db.Ticket.get_or_none(db.Ticket.id == ticket_id)
        if ticket is None or ticket.escalate_at is None or ticket.escalate_at > now:
            return done  # another process got here first and already dealt with it
        recorded = db.recorded_breaches(ticket_id)
        # A raised priority brings shorter targets, which may be breached already: judge again until
        # nothing new is found (at most once per priority step).
        history = db.sla_history(ticket_id)  # escalation adds history but no timeline events
        timeline = [(at, kind) for at, kind, _ in history]
        priority = ticket.priority
        for _ in range(len(config.priorities) + 1):
            clocks = ticket_clocks(config, ticket.priority, timeline, now)
            found = _record_new(ticket, clocks, config, now, recorded, recorded_by)
            if not found:
                break
            done += found
        else:
            clocks = ticket_clocks(config, ticket.priority, timeline, now)
        db.set_dues(ticket, cached_times(clocks, recorded, warn_due(config, ticket.priority, clocks, now)))
        if ticket.priority != priority:  # the stored outcomes follow the new policy, as the report does
            set_outcomes(ticket_id, Judge(config)(ticket_id, ticket.priority, from_datetimes(history)))
        ticket.save()
    return done


def _record_new(
    ticket: db.Ticket,
    clocks: dict,
    config: Config,
    now: datetime,
    recorded: set[tuple[str, int]],
    recorded_by: str,
) -> list[Escalation]:
    """Record the breaches among `clocks` not recorded yet, and apply their actions."""
    done = []
    policy = config.sla.get(ticket.priority)
    for name, clock in clocks.items():
        if not clock.breached or clock.breached_at is None or (name, clock.cycle) in recorded:
            continue
        if not record_breach(ticket.id, name, clock.cycle, clock.breached_at, now, recorded_by):
            continue
        recorded.add((name, clock.cycle))
        db.touch(ticket, now)
        db.record(
            ticket,
            SYSTEM,
            now,
            "sla_breached",
            "sla",
            None,
            f"{name.replace('_', ' ')} (cycle {clock.cycle}) breached at {clock.breached_at:%Y-%m-%d %H:%M} UTC",
        )
        actions = _apply(ticket, policy.on_breach if policy else (), config, now) if ticket.active else ()
        done.append(Escalation(ticket.id, name, clock.cycle, clock.breached_at, actions))
    return done


def _apply(ticket: db.Ticket, actions: tuple, config: Config, now: datetime) -> tuple[str, ...]:
    """Apply on_breach actions (spec: Escalation) and return them in words."""
    said = []
    priorities = list(config.priorities)
    for action in actions:
        if action.kind == "raise_priority":
            rank = priorities.index(ticket.priority) if ticket.priority in priorities else -1
            if 0 <= rank < len(priorities) - 1:
                old, ticket.priority = ticket.priority, priorities[rank + 1]
                ticket.priority_rank = rank + 1
                db.record(ticket, SYSTEM, now, "escalated", "priority", old, ticket.priority)
                said.append(f"priority {old} -> {ticket.priority}")
        elif action.kind == "flag_lead" and not ticket.flagged:
            ticket.flagged = True
            db.record(ticket, SYSTEM, now, "escalated", "flagged", "no", "yes")
            said.append("flagged for the team lead")
        elif action.kind == "move_to_group" and action.group:
            group_id = db.group_id(action.group)
            if group_id is not None and ticket.group_id != group_id:
                old = db.group_slug(ticket.group_id)
                ticket.group = group_id
                db.record(ticket, SYSTEM, now, "escalated", "group", old, action.group)
                said.append(f"moved to {action.group}")
    return tuple(said)
