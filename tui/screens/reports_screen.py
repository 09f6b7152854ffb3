"""ReportsScreen: the desk's figures for a period, with the day-by-day ones drawn as sparklines.

Every figure comes from tui.reports.build_report (the same function as `plaindesk report`); the report
is built in a thread worker, since a month on a big desk takes a few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Sparkline, Static
from textual.worker import get_current_worker

from tui.report_layout import render_table, report_tables
from tui.reports import Report, ReportError, build_report
from tui.widgets.key_bar import KeyBar
from tui.workflow import Desk


@dataclass
class ReportLoaded(Message):
    report: Report | None
    problem: str = ""


class ReportsScreen(Screen[None]):
    CSS_PATH = "reports_screen.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the console", id="reports.back"),
        # Before the scrolling pane's own left/right: months matter more here than sideways scrolling.
        Binding(
            "left,comma",
            "month(-1)",
            "Earlier month",
            tooltip="The month before",
            id="reports.earlier",
            priority=True,
        ),
        Binding(
            "right,full_stop",
            "month(1)",
            "Later month",
            tooltip="The month after",
            id="reports.later",
            priority=True,
        ),
        Binding("p", "period", "Period", tooltip="Choose a period, week or days", id="reports.period"),
        Binding("g", "group", "Group", tooltip="Only one group, or all", id="reports.group"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        today = desk.now().date()
        self.period = f"{today.year:04d}-{today.month:02d}"
        self.group: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="reports-title", markup=False)
        with VerticalScroll(id="reports-body"):
            yield Static("Tickets open at the end of each day", classes="chart-title", markup=False)
            yield Sparkline([], id="backlog-chart")
            yield Static("", id="backlog-range", classes="chart-range", markup=False)
            yield Static("New tickets each day", classes="chart-title", markup=False)
            yield Sparkline([], id="volume-chart")
            yield Static("", id="volume-range", classes="chart-range", markup=False)
            yield Static("Working it out…", id="reports-figures", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        scope = f"{self.period}" + (f", group {self.group}" if self.group else "")
        self.query_one("#reports-title", Static).update(
            f"Reports: {scope}   (←/→ month, p period, g group, Esc back)"
        )
        self.query_one("#reports-figures", Static).update("Working it out…")
        self.build(self.period, self.group)

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def build(self, period: str, group: str | None) -> None:
        try:
            report = build_report(self.desk.store, self.desk.config, period, group, None, self.desk.now())
        except ReportError as error:
            self.post_message(ReportLoaded(None, str(error)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(ReportLoaded(report))

    @on(ReportLoaded)
    def show(self, event: ReportLoaded) -> None:
        figures = self.query_one("#reports-figures", Static)
        if event.report is None:
            figures.update(event.problem)
            return
        report = event.report
        backlog = [d.open_at_end for d in report.backlog.days]
        volume = [d.total for d in report.volume.days]
        self.query_one("#backlog-chart", Sparkline).data = backlog or [0]
        self.query_one("#volume-chart", Sparkline).data = volume or [0]
        self.query_one("#backlog-range", Static).update(_range(report.backlog.days, backlog))
        self.query_one("#volume-range", Static).update(_range(report.volume.days, volume))
        figures.update(render_table(report_tables(report), ""))

    def action_month(self, step: int) -> None:
        year, month = _month_of(self.period)
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        self.period = f"{year:04d}-{month:02d}"
        self.load()

    def action_period(self) -> None:
        from tui.widgets.text_dialog import TextDialog

        def chosen(text: str | None) -> None:
            if text and text.strip():
                self.period = text.strip()
                self.load()

        hint = "A month 2026-11, a week 2026-W47, a day 2026-11-03, or days 2026-11-01..2026-11-15"
        TextDialog("Report for which period?", hint, self.period).open(self, chosen)

    def action_group(self) -> None:
        from tui.widgets.choice_dialog import ChoiceDialog

        def chosen(value: str | None) -> None:
            if value is not None:
                self.group = value or None
                self.load()

        choices = [("", "All groups"), *self.desk.config.groups.items()]
        ChoiceDialog("Report for which group?", choices, self.group or "").open(self, chosen)


def _month_of(period: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in period[:7].split("-"))
        return year, month
    except ValueError:
        today = date.today()
        return today.year, today.month


def _range(days: list, values: list[int]) -> str:
    if not days:
        return ""
    return f"{days[0].day:%d %b} to {days[-1].day:%d %b}: lowest {min(values):,}, highest {max(values):,}"
