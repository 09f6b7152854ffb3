"""How times and SLA clocks are said to people; shared by the CLI and the console screens."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import humanize

from tui.sla import Clock, format_duration

CLOCK_LABELS = {"first_response": "First response", "next_update": "Next update", "resolution": "Resolution"}
KIND_LABELS = {
    "public_reply": "Reply",
    "internal_note": "Internal note",
    "requester": "From requester",
    "system": "PlainDesk",
}


def when(moment: datetime | None, now: datetime | None = None) -> str:
    """'2026-11-22 14:05 UTC (3 hours ago)'."""
    if moment is None:
        return "-"
    now = now or datetime.now(UTC)
    return f"{moment:%Y-%m-%d %H:%M} UTC ({humanize.naturaltime(now - moment)})"


def due(moment: datetime | None, now: datetime | None = None) -> str:
    """'due in 25 minutes' / '2 hours overdue' / '-'."""
    if moment is None:
        return "-"
    now = now or datetime.now(UTC)
    if moment >= now:
        return f"due in {humanize.naturaldelta(moment - now)}"
    return f"{humanize.naturaldelta(now - moment)} overdue"


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    """'Mon 23 Nov 14:05 GMT' in the viewer's timezone."""
    return moment.astimezone(zone).strftime("%a %d %b %H:%M %Z")


def clock_line(clock: Clock, now: datetime, zone: ZoneInfo) -> str:
    """One clock in words: its state and when it is (or was) due, humanized and as a local time."""
    if clock.breached and clock.breached_at is not None:
        when_missed = local_time(clock.breached_at, zone)
        if clock.state == "running":
            return f"BREACHED {when_missed} ({humanize.naturaldelta(now - clock.breached_at)} overdue)"
        over = format_duration(-clock.remaining)
        return f"BREACHED {when_missed} (over by {over} of business time; now {clock.state})"
    if clock.state == "running" and clock.due_at is not None:
        text = f"{due(clock.due_at, now)} ({local_time(clock.due_at, zone)})"
        return text + (" - warning" if clock.warning else "")
    if clock.state == "paused":
        return f"paused with {format_duration(clock.remaining)} left" + (
            " - warning" if clock.warning else ""
        )
    if clock.state == "stopped":
        return f"met (stopped after {format_duration(clock.elapsed)})"
    return "not started"
