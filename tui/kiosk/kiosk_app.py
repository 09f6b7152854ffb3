"""KioskApp: the walk-up terminal. A welcome screen for now; check-in and tickets come next."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from tui.config import Config
from tui.store import Store


class KioskApp(App[None]):
    """Runs at the Genius Bar. The command palette is off: anyone can type here."""

    CSS_PATH = "kiosk_app.tcss"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, store: Store, config: Config) -> None:
        super().__init__()
        self.store = store
        self.config = config

    def compose(self) -> ComposeResult:
        kiosk = self.config.kiosk
        yield Static(kiosk.title, id="title", markup=False)
        yield Static(f"Welcome! {kiosk.location}".strip(), id="welcome", markup=False)
        yield Footer()
