"""TextDialog: ask for one line (a search, tags, a ticket number); Escape cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from tui.widgets.dialog import Dialog

MAX_INPUT = 200


class TextDialog(Dialog[str]):
    """Answers with what was typed (Enter), or None when cancelled."""

    def __init__(self, title: str, hint: str = "", value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, classes="dialog-title", markup=False)
        yield Input(self.value, placeholder=self.placeholder, max_length=MAX_INPUT)
        yield Static(self.hint or "Enter to confirm · Escape cancels", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)
