"""SLA countdowns for the console: how much business time is left, and whether that is a warning.

Everything a countdown needs is loaded once (from the cached due times or the clocks); after that
`remaining(now)` is pure arithmetic on the calendar, so a pane can tick every second without a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tui import sla
from tui.config import Config
from tui.sla.calendar import Calendar, to_us
from tui.store.records import TicketRow

CLOCK_LABELS = {"first_response": "first reply", "next_update": "next update", "resolution": "fix"}
"""What each clock promises, in the words the console shows."""


@dataclass(frozen=True)
class Countdown:
    """One ticket's nearest SLA promise."""

    ticket_id: int
    subject: str
    clock: str
    """first_response, next_update, resolution, or "" when only the cached due time is known."""
    due_at: datetime | None
    """When the promise breaks (running clocks); None when paused or nothing runs."""
    warn_from: datetime | None
    """From when it shows as a warning."""
    calendar: Calendar | None
    """The business hours the promise is counted in (None: every hour counts)."""
    paused_left: timedelta | None = None
    """A paused clock's business time left, frozen while paused."""
    breached: bool = False
    """Already breached when loaded (a paused clock can be breached too)."""

    @property
    def ref(self) -> str:
        return f"#{self.ticket_id}"

    @property
    def paused(self) -> bool:
        return self.due_at is None and self.paused_left is not None

    def remaining(self, now: datetime) -> timedelta | None:
        """Business time left until the breach; negative once it is late."""
        if self.due_at is None:
            return self.paused_left
        if self.calendar is None:
            return self.due_at - now
        start, end = to_us(now), to_us(self.due_at)
        if start <= end:
            return timedelta(microseconds=self.calendar.between_us(start, end))
        return -timedelta(microseconds=self.calendar.between_us(end, start))

    def state(self, now: datetime) -> str:
        """breached, warning, paused or ok."""
        left = self.remaining(now)
        if self.breached or (left is not None and left < timedelta(0)):
            return "breached"
        if self.paused:
            return "paused"
        if self.warn_from is not None and self.warn_from <= now:
            return "warning"
        return "ok"


def _calendar(config: Config, priority: str, clock: str | None = None) -> Calendar | None:
    policy = config.sla.get(priority)
    if policy is None or not policy.targets:
        return None
    target = policy.targets.get(clock) if clock else None
    target = target or next(iter(policy.targets.values()))
    calendar = config.calendars[target.calendar]
    return None if calendar.always_open else calendar


def row_countdown(config: Config, row: TicketRow) -> Countdown:
    """A queue row's countdown from the cached due times (no clocks judged, no query)."""
    policy = config.sla.get(row.priority)
    paused = policy is not None and row.status in policy.pause_statuses
    return Countdown(
        row.id,
        row.subject,
        "",
        row.next_due,
        row.warn_due,
        _calendar(config, row.priority),
        paused_left=timedelta(0) if paused and row.next_due is None else None,
    )


def clock_countdown(
    config: Config, row: TicketRow, clocks: dict[str, sla.Clock], now: datetime
) -> Countdown | None:
    """The ticket's nearest promise from its judged clocks: a breached or running clock first (the
    soonest due), else the paused one with the least time left."""
    policy = config.sla.get(row.priority)
    if policy is None or not clocks:
        return None
    running = [c for c in clocks.values() if c.state == "running" and c.due_at is not None]
    if running:
        clock = min(running, key=lambda c: c.due_at)
        warn_after = clock.target * policy.warn_at - clock.elapsed
        calendar = _calendar(config, row.priority, clock.name)
        if warn_after <= timedelta(0):
            warn_from = now
        elif calendar is None:
            warn_from = now + warn_after
        else:
            warn_from = sla.add_business_time(calendar, now, warn_after)
        return Countdown(row.id, row.subject, clock.name, clock.due_at, warn_from, calendar)
    paused = [c for c in clocks.values() if c.state == "paused"]
    if not paused:
        return None
    clock = min(paused, key=lambda c: c.remaining)
    return Countdown(
        row.id,
        row.subject,
        clock.name,
        None,
        None,
        _calendar(config, row.priority, clock.name),
        paused_left=clock.remaining,
        breached=clock.breached,
    )


def format_left(left: timedelta | None, seconds: bool = False) -> str:
    """ "2h 05m", "45m", "3d 4h" (business time; days of 24 hours), "-1h 10m" when late."""
    if left is None:
        return "-"
    sign = "-" if left < timedelta(0) else ""
    total = int(abs(left).total_seconds())
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours}h"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m" + (f" {secs:02d}s" if seconds else "")
    return f"{sign}{minutes}m" + (f" {secs:02d}s" if seconds else "")
