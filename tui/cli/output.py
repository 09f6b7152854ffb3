"""Text output of the CLI: tickets and pages as a person reads them in a terminal."""

from __future__ import annotations

from datetime import UTC, datetime

import click
import humanize

from tui.store import Page, TicketRecord
from tui.text import clean_line, clean_text

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


def print_ticket(t: TicketRecord) -> None:
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
    for name, moment in t.due.items():
        if moment:
            click.echo(
                f"  {name.replace('_', ' ').capitalize()}: {due(moment)} ({moment:%Y-%m-%d %H:%M} UTC)"
            )
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
