"""Text output of the CLI: tickets and pages as a person reads them in a terminal."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click

from tui.sla import Clock
from tui.store import Page, TicketRecord
from tui.text import clean_line, clean_text
from tui.words import CLOCK_LABELS, KIND_LABELS, clock_line, due, when


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
