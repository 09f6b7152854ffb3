"""Text output of the CLI: tickets and pages as a person reads them in a terminal."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click
import humanize

from tui.sla import Clock, format_duration
from tui.store import Page, TicketRecord
from tui.text import clean_line, clean_text

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


def print_ticket(
    t: TicketRecord,
    clocks: dict[str, Clock] | None = None,
    now: datetime | None = None,
    zone: ZoneInfo | None = None,
) -> None:
    # Stored text is cleaned on the way in; cleaning again on the way out protects the terminal
    # from a database written by something else.
    click.echo(f"#{t.id}  {clean_line(t.subject)}")
    click.echo(
        f"  Status: {clean_line(t.status)}   Priority: {clean_line(t.priority)}   "
        f"Category: {clean_line(t.category or '-')}   "
        f"Version: {t.version}"
    )
    requester = clean_line(t.requester_name) + (
        f" <{clean_line(t.requester_email)}>" if t.requester_email else ""
    )
    click.echo(
        f"  Requester: {requester}"
        + (f" ({clean_line(t.requester_department)})" if t.requester_department else "")
    )
    click.echo(
        f"  Assignee: {clean_line(t.assignee or 'nobody')}   Group: {clean_line(t.group or '-')}   "
        f"Tags: {clean_line(', '.join(t.tags)) or '-'}"
    )
    click.echo(f"  Opened: {when(t.created_at)}   Updated: {when(t.updated_at)}")
    if t.merged_into:
        click.echo(f"  Merged into #{t.merged_into}")
    now, zone = now or datetime.now(UTC), zone or ZoneInfo("UTC")
    for name, clock in (clocks or {}).items():
        click.echo(f"  {CLOCK_LABELS[name]}: {clock_line(clock, now, zone)}")
    click.echo("")
    for m in t.messages:
        click.echo(f"--- {KIND_LABELS.get(m.kind, m.kind)} from {clean_line(m.author)}, {when(m.created_at)}")
        click.echo(clean_text(m.body))
        click.echo("")
    click.echo("History:")
    for e in t.events:
        click.echo(f"  {e.at:%Y-%m-%d %H:%M}  {clean_line(e.actor)}: {clean_line(e.describe())}")


def print_page(page: Page) -> None:
    if not page.rows:
        click.echo("No tickets.")
        return
    now = datetime.now(UTC)
    for r in page.rows:
        subject = clean_line(r.subject)
        if len(subject) > 48:
            subject = subject[:47] + "…"
        flag = "!" if r.flagged else " "
        click.echo(
            f"{flag}#{r.id:<7} {clean_line(r.status):<8} {clean_line(r.priority):<7} "
            f"{due(r.next_due, now):<24} {clean_line(r.assignee or '-')[:14]:<14} {subject}"
        )
    if page.after:
        click.echo(f"More: add --after {page.after}")


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


def clock_json(clock: Clock, calendar: str | None = None) -> dict:
    """A clock with the spec's fields; durations in seconds, instants in ISO 8601 UTC."""

    def instant(moment: datetime | None) -> str | None:
        return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")

    return {
        "state": clock.state,
        "elapsed": clock.elapsed.total_seconds(),
        "remaining": clock.remaining.total_seconds(),
        "breached": clock.breached,
        "breached_at": instant(clock.breached_at),
        "due_at": instant(clock.due_at),
        "warning": clock.warning,
        "target": clock.target.total_seconds(),
        "cycle": clock.cycle,
        "calendar": calendar,
    }
