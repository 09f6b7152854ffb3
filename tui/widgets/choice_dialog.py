"""ChoiceDialog: pick one of a short list (a status, an agent, a group); Escape cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.widgets.dialog import Dialog
from tui.widgets.user_text import plain_line


class ChoiceDialog(Dialog[str]):
    """Answers with the chosen value, or None when cancelled."""

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str | None = None) -> None:
        """`choices` are (value, label) pairs; labels may hold user text and are never markup."""
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, classes="dialog-title", markup=False)
        options = [
            Option(plain_line(label) + ("  (now)" if value == self.current else ""), id=str(i))
            for i, (value, label) in enumerate(self.choices)
        ]
        yield OptionList(*options, markup=False)
        yield Static("Enter chooses · Escape cancels", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        options = self.query_one(OptionList)
        values = [v for v, _ in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index][0])
