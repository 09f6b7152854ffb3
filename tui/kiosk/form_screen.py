"""FormScreen: what every kiosk form shares — a title, a scrolling body, errors said kindly."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static, TextArea
from textual.worker import Worker, WorkerState

from tui.kiosk_desk import KioskDesk


class FormScreen(Screen[None]):
    """A kiosk screen with fields; the app's idle reset throws it away with what was typed."""

    TITLE_TEXT = ""

    def __init__(self, kiosk: KioskDesk) -> None:
        super().__init__()
        self.kiosk = kiosk

    def compose(self) -> ComposeResult:
        yield Static(self.TITLE_TEXT, classes="screen-title", markup=False)
        with VerticalScroll(classes="form"):
            yield from self.fields()
        yield Static("", classes="problem", markup=False)
        yield Footer()

    def fields(self) -> ComposeResult:
        yield from ()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed (the database went away, a bug) goes to the app's error handling."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.app._handle_exception(event.worker.error)

    def has_typed_text(self) -> bool:
        return any(i.value for i in self.query(Input)) or any(t.text for t in self.query(TextArea))

    def say_problem(self, message: str) -> None:
        """Show what to put right, in the visitor's words (never markup)."""
        problem = self.query_one(".problem", Static)
        problem.update(message)
        problem.display = bool(message)
