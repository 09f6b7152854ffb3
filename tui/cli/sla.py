"""`plaindesk sla ...`: the escalation sweep for cron, and how a ticket's clocks were counted."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click

from tui.cli.context import Session, common_options, parse_ref
from tui.escalation import sweep
from tui.identity import current_login
from tui.sla import format_duration
from tui.words import CLOCK_LABELS, clock_line, local_time


def viewer_zone(session: Session) -> ZoneInfo:
    """The timezone times are shown in: the agent's own, else the desk's."""
    config = session.config()
    agent = config.agent(current_login())
    return ZoneInfo(agent.timezone if agent and agent.timezone else config.timezone)


def parse_now(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"'{text}' is not a time; write it like 2026-11-23T09:30:00Z.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.group("sla")
def sla_group() -> None:
    """SLA escalation and explanations."""


@sla_group.command("tick")
@click.option(
    "--now", "now_text", help="Judge the clocks at this time instead of now (ISO 8601).", hidden=True
)
@common_options
def tick(session: Session, now_text: str | None) -> None:
    """Record new SLA breaches and apply their on_breach actions (run it from cron every minute)."""
    now = parse_now(now_text)
    result = sweep(session.store(), session.config(), "sla tick", now=lambda: now)
    for escalation in result.escalations:
        click.echo(escalation.describe())
    click.echo(f"Checked {result.tickets_checked} tickets; recorded {len(result.escalations)} new breaches.")


@sla_group.command("explain")
@click.argument("ref")
@common_options
def explain(session: Session, ref: str) -> None:
    """Explain, in plain words, how each clock of a ticket was counted."""
    ticket_id = parse_ref(ref)
    desk = session.desk(create=False)
    stories = desk.explain(ticket_id)
    record = desk.ticket(ticket_id)
    zone = viewer_zone(session)
    now = desk.now()
    click.echo(f"#{ticket_id}: priority {record.priority}, status {record.status}. Times in {zone.key}.")
    if not stories:
        click.echo(f"The {record.priority} priority has no SLA targets, so no clock runs on this ticket.")
        return
    policy = desk.config.sla[record.priority]
    for name, story in stories.items():
        target = policy.targets[name]
        click.echo("")
        click.echo(
            f"{CLOCK_LABELS[name]} - target {format_duration(target.duration)} of business time on the "
            f"'{target.calendar}' calendar:"
        )
        click.echo(f"  {clock_line(story.clock, now, zone)}")
        for stretch in _merged(story.stretches):
            span = f"{local_time(stretch.start, zone)} - {local_time(stretch.end, zone)}"
            click.echo(f"  {span}: {_why(name, stretch)}")
        click.echo(
            f"  Counted {format_duration(story.clock.elapsed)} of {format_duration(target.duration)}"
            + (" in this cycle." if name == "next_update" else ".")
        )


def _merged(stretches):
    """Neighbouring stretches that read the same to a person become one line."""
    out = []
    for stretch in stretches:
        if (
            out
            and stretch.state in ("inactive", "stopped")
            and out[-1].state == stretch.state
            and out[-1].cycle == stretch.cycle
        ):
            out[-1] = type(stretch)(
                out[-1].start, stretch.end, stretch.state, stretch.status, stretch.cycle, out[-1].counted, ()
            )
        else:
            out.append(stretch)
    return out


def _why(name: str, stretch) -> str:
    if stretch.state == "running":
        total = stretch.end - stretch.start
        outside = total - stretch.counted
        text = f"counting ({stretch.status}) - {format_duration(stretch.counted)} counted"
        if outside.total_seconds() >= 60:
            text += f", {format_duration(outside)} outside business hours not counted"
        return text
    if stretch.state == "paused":
        return f"paused - the ticket was {stretch.status}"
    if stretch.state == "stopped":
        if stretch.status in ("solved", "closed"):
            return f"stopped - the ticket was {stretch.status}"
        return "stopped - answered by the first public reply" if name == "first_response" else "stopped"
    if name == "next_update":
        return "not started - it starts at the first public reply"
    return "not started"
