"""The desk's SLA policies applied to one ticket: its clocks now, and the times the store caches."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from tui import sla
from tui.config import Config


@dataclass(frozen=True)
class CachedTimes:
    """What the store keeps on the ticket row so queues and the sweep can use an index."""

    due: dict[str, datetime | None]
    """Due time of each running clock, by clock name."""
    escalate_at: datetime | None
    """The soonest breach not yet recorded (past or future), or None when nothing can breach now."""
    warn_due: datetime | None = None
    """When the soonest running clock enters its warning (now or earlier if it already has)."""


def policy_inputs(config: Config, priority: str) -> tuple[dict, dict, object] | None:
    """(calendars by clock, targets by clock, policy) for a priority, or None when it has no targets."""
    policy = config.sla.get(priority)
    if policy is None or not policy.targets:
        return None
    targets = {name: t.duration for name, t in policy.targets.items()}
    calendars = {name: config.calendars[t.calendar] for name, t in policy.targets.items()}
    return calendars, targets, policy


def ticket_clocks(
    config: Config, priority: str, timeline: list[tuple[datetime, str]], now: datetime
) -> dict[str, sla.Clock]:
    """The ticket's clocks at `now`, judged on its whole timeline under its current priority's policy
    (so a priority change applies the new targets to the time already counted)."""
    inputs = policy_inputs(config, priority)
    if inputs is None:
        return {}
    calendars, targets, policy = inputs
    return sla.evaluate(
        calendars, targets, timeline, now, pause_statuses=policy.pause_statuses, warn_at=policy.warn_at
    )


def warn_due(config: Config, priority: str, clocks: dict[str, sla.Clock], now: datetime) -> datetime | None:
    """When the first running clock enters its warning (`now` for one that already has), or None."""
    inputs = policy_inputs(config, priority)
    if inputs is None:
        return None
    calendars, _, policy = inputs
    starts = []
    for name, clock in clocks.items():
        if clock.state != "running" or clock.breached:
            continue
        if clock.warning:
            starts.append(now)
        else:
            starts.append(
                sla.add_business_time(calendars[name], now, clock.target * policy.warn_at - clock.elapsed)
            )
    return min(starts, default=None)


def cached_times(
    clocks: dict[str, sla.Clock], recorded: Collection[tuple[str, int]] = (), warn: datetime | None = None
) -> CachedTimes:
    """Due times, and when the escalation sweep must next look (a breach of any clock, even one that
    has since paused or stopped, is recorded once per clock and cycle)."""
    due = {name: clock.due_at for name, clock in clocks.items()}
    pending = []
    for name, clock in clocks.items():
        if (name, clock.cycle) in recorded:
            continue
        if clock.breached and clock.breached_at is not None:
            pending.append(clock.breached_at)
        elif clock.state == "running" and clock.due_at is not None:
            pending.append(clock.due_at)
    return CachedTimes(due, min(pending) if pending else None, warn)
