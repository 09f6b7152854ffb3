"""TextDialog: ask for one line (a search, tags, a ticket number); Escape cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

MAX_INPUT = 200


class TextDialog(ModalScreen[str | None]):
    """Returns what was typed (Enter), or None when cancelled."""

    CSS_PATH = "dialog.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything", id="dialog.cancel")
    ]

    def __init__(self, title: str, hint: str = "", value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Input(self.value, placeholder=self.placeholder, max_length=MAX_INPUT)
            yield Static(
                self.hint or "Enter to confirm · Escape cancels", classes="dialog-hint", markup=False
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
