"""`plaindesk report`: the desk's report for a period, as a table, JSON, CSV or Markdown.

Table and Markdown are for people (durations as 8h30m, shares as percentages); JSON and CSV are for
programs (durations in seconds, shares as fractions). The layout is tui.report_layout, shared with the
Reports screen.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import click

from tui.cli.context import EXIT_BAD_INPUT, Session, common_options, fail
from tui.cli.sla import parse_now
from tui.report_layout import render
from tui.reports import ReportError, build_report


@click.command("report")
@click.option(
    "--period",
    help="A month (2026-11), an ISO week (2026-W47), a day, or days (2026-11-01..2026-11-15). "
    "Default: this month.",
)
@click.option("--group", help="Only tickets in this group (queue).")
@click.option("--category", help="Only tickets of this category.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "md"]),
    default="table",
    show_default=True,
    help="table and md for people; json and csv for programs (seconds and fractions).",
)
@click.option("--now", "now_text", hidden=True, help="Make the report as if it were this time (ISO 8601).")
@common_options
def report(
    session: Session, period: str | None, group: str | None, category: str | None, fmt: str, now_text
) -> None:
    """SLA compliance, backlog, volume, satisfaction, agents and plain language for a period."""
    now = parse_now(now_text)
    config = session.config()
    if period is None:
        local = now.astimezone(ZoneInfo(config.timezone))
        period = f"{local.year:04d}-{local.month:02d}"
    desk = session.desk(create=False)
    try:
        result = build_report(desk.store, config, period, group, category, now)
    except ReportError as error:
        fail(str(error), EXIT_BAD_INPUT)
    click.echo(render(result, fmt))
