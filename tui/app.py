"""PlainDeskApp: the agent console. Wires the desk into the screens; holds no business logic."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from tui.screens.start_screen import StartScreen
from tui.widgets import widget_css
from tui.workflow import Desk


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

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
