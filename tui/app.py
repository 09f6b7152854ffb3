"""PlainDeskApp: the agent console. Wires the desk into the screens; holds no business logic."""

from __future__ import annotations

from textual import work
from textual.app import App
from textual.binding import Binding

from tui.escalation import sweep
from tui.screens.start_screen import StartScreen
from tui.widgets import widget_css
from tui.workflow import Desk

ESCALATION_SECONDS = 60
"""How often a console sweeps for breaches; clocks are judged in minutes, so a minute is on time."""


class PlainDeskApp(App[None]):
    """The console an agent runs over SSH."""

    CSS_PATH = ["app.tcss", *widget_css()]
    TITLE = "PlainDesk"
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Leave PlainDesk", id="app.quit"),
        Binding("f1", "toggle_help", "Help", tooltip="Show or hide the keys of this screen", id="app.help"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.theme = desk.config.theme if desk.config.theme in self.available_themes else "textual-dark"
        self.set_keymap(desk.config.keymap)

    def on_mount(self) -> None:
        self.push_screen(StartScreen(self.desk))
        self.escalate()
        self.set_interval(ESCALATION_SECONDS, self.escalate)

    @work(thread=True, exclusive=True, group="escalation", exit_on_error=False)
    def escalate(self) -> None:
        """Record SLA breaches and apply their actions (every console does this; the database makes
        sure each breach is recorded once)."""
        result = sweep(
            self.desk.store, self.desk.config, f"console ({self.desk.actor.name})", now=self.desk.now
        )
        if result.escalations:
            count = len(result.escalations)
            self.call_from_thread(
                self.notify,
                f"{count} SLA breach{'es' if count > 1 else ''} escalated.",
                title="SLA",
                severity="warning",
                markup=False,
            )

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
