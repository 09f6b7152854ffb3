"""The desk's report laid out as tables, text, JSON, CSV or Markdown (the CLI and the Reports screen).

Every figure comes from tui.reports.build_report; this module only lays the figures out. Table and Markdown are for people (durations as 8h30m, shares as percentages);
JSON and CSV are for programs (durations in seconds, shares as fractions).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tui.reports import AGE_BANDS, CHANNELS, Report
from tui.sla import format_duration
from tui.text import clean_line

CLOCK_NAMES = {
    "first_response": "first response",
    "next_update": "periodic update",
    "resolution": "resolution",
}


@dataclass(frozen=True)
class Column:
    key: str
    """For CSV and JSON."""
    label: str
    """For tables and Markdown."""
    kind: str = "int"
    """int, share, number, time, text or date: how a value is written."""


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Named:
    """A row's name: `key` for programs, `label` for people."""

    key: str
    label: str


@dataclass(frozen=True)
class Typed:
    """A value that says how it is written, in a column of mixed figures."""

    value: Any
    kind: str


def _summary(key: str, title: str, figures: list[tuple[str, str, Any, str]]) -> Table:
    """A two-column table of named figures: (key, label, value, kind)."""
    columns = [Column("figure", "figure", "text"), Column("value", "value", "text")]
    rows = [[Named(k, label), Typed(value, kind)] for k, label, value, kind in figures]
    return Table(key, title, columns, rows)


def report_tables(report: Report) -> list[Table]:
    """The report as tables, in the order the screen shows its sections."""
    scope = report.scope
    period = scope.period
    tables = [
        _summary(
            "report",
            "Report",
            [
                ("period", "period", period.label, "text"),
                ("first_day", "first day", period.first_day, "date"),
                ("last_day", "last day", period.last_day, "date"),
                ("timezone", "timezone", period.timezone, "text"),
                ("as_of", "figures as of", scope.as_of, "date"),
                ("group", "group", scope.group or "all", "text"),
                ("category", "category", scope.category or "all", "text"),
            ],
        )
    ]
    tables += _sla_tables(report) + _backlog_tables(report) + _volume_tables(report)
    tables += _satisfaction_tables(report) + _agent_tables(report) + _plain_tables(report)
    return tables


def _sla_tables(report: Report) -> list[Table]:
    columns = [
        Column("clock", "clock", "text"),
        Column("met_on_time", "met on time"),
        Column("met_late", "met late"),
        Column("breached_open", "breached, still open"),
        Column("open_within_target", "open, within target"),
        Column("not_tracked", "not tracked"),
        Column("on_time_share", "on time", "share"),
        Column("median", "median", "time"),
        Column("p90", "90th percentile", "time"),
    ]
    rows = [
        [
            c.clock,
            c.met_on_time,
            c.met_late,
            c.breached_open,
            c.open_within_target,
            c.not_tracked,
            c.on_time_share,
            c.median,
            c.p90,
        ]
        for c in report.sla.clocks
    ]
    title = f"SLA compliance: {report.sla.tickets} tickets created (periodic update counts update cycles)"
    return [Table("sla", title, columns, rows)]


def _backlog_tables(report: Report) -> list[Table]:
    b = report.backlog
    return [
        _summary(
            "backlog",
            "Backlog",
            [
                ("open_at_start", "open at the start", b.open_at_start, "int"),
                ("open_at_end", "open at the end", b.open_at_end, "int"),
            ],
        ),
        Table(
            "backlog_by_status",
            "Open at the end, by status",
            [Column("status", "status", "text"), Column("tickets", "tickets")],
            [[status, n] for status, n in b.by_status.items()],
        ),
        Table(
            "backlog_by_age",
            "Open at the end, by age",
            [Column("age", "age", "text"), Column("tickets", "tickets")],
            [[label, b.by_age[label]] for label, _, _ in AGE_BANDS],
        ),
        Table(
            "backlog_by_day",
            "Backlog day by day",
            [
                Column("day", "day", "date"),
                Column("opened", "opened"),
                Column("closed", "closed"),
                Column("reopened", "reopened"),
                Column("open_at_end", "open at end of day"),
            ],
            [[d.day, d.opened, d.closed, d.reopened, d.open_at_end] for d in b.days],
        ),
    ]


def _volume_tables(report: Report) -> list[Table]:
    v = report.volume
    categories = list(v.by_category)
    return [
        Table(
            "volume_by_channel",
            f"New tickets by day and channel ({v.total} in all)",
            [Column("day", "day", "date"), Column("total", "total")]
            + [Column(name, name) for name in CHANNELS],
            [[d.day, d.total, *(d.by_channel[c] for c in CHANNELS)] for d in v.days]
            + [["total", v.total, *(v.by_channel[c] for c in CHANNELS)]],
        ),
        Table(
            "volume_by_category",
            "New tickets by day and category",
            [Column("day", "day", "date")] + [Column(name, name) for name in categories],
            [[d.day, *(d.by_category.get(c, 0) for c in categories)] for d in v.days]
            + [["total", *(v.by_category[c] for c in categories)]],
        ),
    ]


def _satisfaction_tables(report: Report) -> list[Table]:
    s = report.satisfaction
    low = Table(
        "satisfaction_low_comments",
        f"Comments of low ratings (1-2): {s.low_comments_total}"
        + (f", the newest {len(s.low_comments)} shown" if s.low_comments_total > len(s.low_comments) else ""),
        [
            Column("ticket", "ticket", "text"),
            Column("score", "score"),
            Column("rated_at", "rated at", "date"),
            Column("comment", "comment", "text"),
        ],
        [[f"#{r.ticket_id}", r.score, r.rated_at, r.comment] for r in s.low_comments],
    )
    return [
        _summary(
            "satisfaction",
            "Satisfaction",
            [
                ("ratings", "ratings", s.ratings, "int"),
                ("average", "average score", s.average, "number"),
                ("satisfied_share", "rated 4 or 5", s.satisfied_share, "share"),
            ],
        ),
        Table(
            "satisfaction_by_score",
            "Ratings by score",
            [Column("score", "score", "text"), Column("ratings", "ratings")],
            [[str(score), n] for score, n in s.by_score.items()],
        ),
        low,
    ]


def _agent_tables(report: Report) -> list[Table]:
    a = report.agents
    rows = [
        [r.login, r.name, r.open_tickets, r.replies_sent, r.first_responses, r.median_first_response]
        for r in a.agents
    ]
    rows.append(["(unassigned)", "", a.unassigned_open, None, None, None])
    return [
        Table(
            "agents",
            "Agents",
            [
                Column("agent", "agent", "text"),
                Column("name", "name", "text"),
                Column("open_tickets", "open tickets"),
                Column("replies_sent", "replies sent"),
                Column("first_responses", "first responses"),
                Column("median_first_response", "median first response", "time"),
            ],
            rows,
        )
    ]


def _plain_tables(report: Report) -> list[Table]:
    p = report.plain
    return [
        _summary(
            "plain",
            "Plain language",
            [
                ("replies_sent", "public replies sent", p.replies_sent, "int"),
                ("checked", "sent from the reply helper", p.checked, "int"),
                ("plain", "with no open finding", p.plain, "int"),
                ("share", "share plain", p.share, "share"),
                ("unchecked", "not checked (command line)", p.unchecked, "int"),
            ],
        )
    ]


# -- writing values ----------------------------------------------------------------------------------


def _cell(value: Any, kind: str, for_people: bool) -> str:
    if isinstance(value, Named):
        return value.label if for_people else value.key
    if isinstance(value, Typed):
        return _cell(value.value, value.kind, for_people)
    if value is None:
        return "-" if for_people else ""
    if isinstance(value, timedelta):
        if for_people:
            return format_duration(value)
        return f"{value.total_seconds():g}"
    if isinstance(value, datetime):
        moment = value.astimezone(UTC)
        return f"{moment:%Y-%m-%d %H:%M} UTC" if for_people else moment.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if kind == "share":
        return f"{value:.1%}" if for_people else f"{value:.4f}"
    if kind == "number":
        return f"{value:.2f}"
    return clean_line(str(value)) if for_people else str(value)


def _numeric(column: Column) -> bool:
    return column.kind in ("int", "share", "number", "time")


SUMMARIES = ("report", "backlog", "satisfaction", "plain")
"""Tables of named figures, printed without a header line."""


def render_table(tables: list[Table], header: str) -> str:
    out = [header]
    for table in tables:
        cells = [
            [_cell(v, c.kind, True) for v, c in zip(row, table.columns, strict=True)] for row in table.rows
        ]
        labels = [c.label for c in table.columns]
        widths = [max(len(x) for x in column) for column in zip(labels, *cells, strict=True)]
        out += ["", table.title]
        if table.key not in SUMMARIES:
            out.append("  ".join(label.ljust(w) for label, w in zip(labels, widths, strict=True)).rstrip())
        if not cells:
            out.append("(none)")
        for row in cells:
            parts = [
                text.rjust(w) if i and (_numeric(c) or table.key in SUMMARIES) else text.ljust(w)
                for i, (text, w, c) in enumerate(zip(row, widths, table.columns, strict=True))
            ]
            out.append("  ".join(parts).rstrip())
    return "\n".join(out)


def render_markdown(tables: list[Table], header: str) -> str:
    out = [f"# {header}"]
    for table in tables:
        out += ["", f"## {table.title}", ""]
        labels = [c.label for c in table.columns]
        out.append("| " + " | ".join(labels) + " |")
        out.append(
            "|" + "|".join("---:" if _numeric(c) and i else "---" for i, c in enumerate(table.columns)) + "|"
        )
        for row in table.rows:
            cells = [_markdown_cell(_cell(v, c.kind, True)) for v, c in zip(row, table.columns, strict=True)]
            out.append("| " + " | ".join(cells) + " |")
        if not table.rows:
            out.append("| (none) |" + " |" * (len(labels) - 1))
    return "\n".join(out)


def _markdown_cell(text: str) -> str:
    """Text people typed, shown as text: no table breaks, and no HTML a Markdown viewer would render."""
    for old, new in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(old, new)
    return text


def render_csv(tables: list[Table]) -> str:
    """Long form, one figure a line: section, item, figure, value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "item", "figure", "value"])
    for table in tables:
        for row in table.rows:
            item = _cell(row[0], table.columns[0].kind, False)
            for value, column in zip(row[1:], table.columns[1:], strict=True):
                writer.writerow([table.key, item, column.key, _cell(value, column.kind, False)])
    return buffer.getvalue().rstrip("\n")


def report_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data: durations in seconds, shares as fractions, instants in UTC."""

    def seconds(value: timedelta | None) -> float | None:
        return None if value is None else value.total_seconds()

    def instant(value: datetime) -> str:
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")

    scope, b, v, s, a, p = (
        report.scope,
        report.backlog,
        report.volume,
        report.satisfaction,
        report.agents,
        report.plain,
    )
    period = scope.period
    return {
        "period": {
            "label": period.label,
            "first_day": period.first_day.isoformat(),
            "last_day": period.last_day.isoformat(),
            "timezone": period.timezone,
            "start": instant(period.start),
            "end": instant(period.end),
        },
        "as_of": instant(scope.as_of),
        "group": scope.group,
        "category": scope.category,
        "sla": {
            "tickets": report.sla.tickets,
            "clocks": {
                c.clock: {
                    "met_on_time": c.met_on_time,
                    "met_late": c.met_late,
                    "breached_open": c.breached_open,
                    "open_within_target": c.open_within_target,
                    "not_tracked": c.not_tracked,
                    "on_time_share": c.on_time_share,
                    "median_seconds": seconds(c.median),
                    "p90_seconds": seconds(c.p90),
                }
                for c in report.sla.clocks
            },
        },
        "backlog": {
            "open_at_start": b.open_at_start,
            "open_at_end": b.open_at_end,
            "by_status": b.by_status,
            "by_age": b.by_age,
            "days": [
                {
                    "day": d.day.isoformat(),
                    "opened": d.opened,
                    "closed": d.closed,
                    "reopened": d.reopened,
                    "open_at_end": d.open_at_end,
                }
                for d in b.days
            ],
        },
        "volume": {
            "total": v.total,
            "by_channel": v.by_channel,
            "by_category": v.by_category,
            "days": [
                {
                    "day": d.day.isoformat(),
                    "total": d.total,
                    "by_channel": d.by_channel,
                    "by_category": d.by_category,
                }
                for d in v.days
            ],
        },
        "satisfaction": {
            "ratings": s.ratings,
            "average": s.average,
            "satisfied_share": s.satisfied_share,
            "by_score": {str(k): n for k, n in s.by_score.items()},
            "low_comments_total": s.low_comments_total,
            "low_comments": [
                {
                    "ticket": r.ticket_id,
                    "score": r.score,
                    "comment": r.comment,
                    "rated_at": instant(r.rated_at),
                }
                for r in s.low_comments
            ],
        },
        "agents": {
            "unassigned_open": a.unassigned_open,
            "agents": [
                {
                    "login": r.login,
                    "name": r.name,
                    "open_tickets": r.open_tickets,
                    "replies_sent": r.replies_sent,
                    "first_responses": r.first_responses,
                    "median_first_response_seconds": seconds(r.median_first_response),
                }
                for r in a.agents
            ],
        },
        "plain": {
            "replies_sent": p.replies_sent,
            "checked": p.checked,
            "plain": p.plain,
            "unchecked": p.unchecked,
            "share": p.share,
        },
    }


def render(report: Report, fmt: str) -> str:
    """The report in one of the formats of `plaindesk report --format`."""
    if fmt == "json":
        return json.dumps(report_json(report), indent=2, ensure_ascii=False)
    tables = report_tables(report)
    if fmt == "csv":
        return render_csv(tables)
    scope = report.scope
    header = (
        f"PlainDesk report for {scope.period.label} ({scope.period.first_day} to {scope.period.last_day}, "
        f"{scope.period.timezone})"
    )
    return render_markdown(tables, header) if fmt == "md" else render_table(tables, header)
