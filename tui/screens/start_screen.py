"""The first screen of the console: who is signed in and the tickets that breach next.

A stand-in until the four-pane console lands; it already loads from the store off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from tui.store import View, list_page
from tui.store.records import TicketRow
from tui.workflow import Desk


@dataclass
class NextTicketsLoaded(Message):
    rows: list[TicketRow]


class StartScreen(Screen[None]):
    CSS_PATH = "start_screen.tcss"

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            f"Signed in as {self.desk.actor.name} - database {self.desk.store.path.name}",
            id="signed-in",
            markup=False,
        )
        yield Static("Tickets that breach next (the full console is on its way):", id="caption", markup=False)
        yield DataTable(id="next-tickets", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            ("Ticket", 7),
            ("Status", 8),
            ("Priority", 8),
            ("Due (UTC)", 16),
            ("Subject", 60),
        ):
            table.add_column(label, width=width)
        self.load_next()

    @work(thread=True, exclusive=True, group="start")
    def load_next(self) -> None:
        with self.desk.store.read():
            rows = list_page(View(sort="due"), limit=20).rows
        if not get_current_worker().is_cancelled:
            self.post_message(NextTicketsLoaded(rows))

    @on(NextTicketsLoaded)
    def show_rows(self, event: NextTicketsLoaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in event.rows:
            due = f"{row.next_due:%Y-%m-%d %H:%M}" if row.next_due else "-"
            table.add_row(Text(row.ref), Text(row.status), Text(row.priority), Text(due), Text(row.subject))
