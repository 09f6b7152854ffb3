"""Asking for a queue filter: which field, then which value (two small dialogs)."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from tui.config import Config
from tui.views import FILTER_FIELDS
from tui.widgets.choice_dialog import ChoiceDialog
from tui.widgets.text_dialog import TextDialog


def ask_filter(screen: Screen, config: Config, done: Callable[[tuple[str, str] | None], None]) -> None:
    """Ask for a field and a value, then call `done((field, value))`, or `done(None)` if cancelled."""

    def field_chosen(field: str | None) -> None:
        if field is None:
            return done(None)
        if field == "tag":
            TextDialog("Filter by tag", "One tag, as written on tickets").open(
                screen, lambda text: done(("tag", text.strip().lower()) if text and text.strip() else None)
            )
            return
        choices = {
            "status": [(s, s) for s in config.statuses],
            "priority": [(p, p) for p in reversed(list(config.priorities))],
            "assignee": [(a.login, f"{a.name} ({a.login})") for a in config.agents],
            "group": list(config.groups.items()),
            "category": [(c, c) for c in config.categories],
        }[field]
        ChoiceDialog(f"Show only tickets with {field}", choices).open(
            screen, lambda value: done((field, value) if value is not None else None)
        )

    ChoiceDialog("Filter the queue by", [(f, f) for f in FILTER_FIELDS]).open(screen, field_chosen)
