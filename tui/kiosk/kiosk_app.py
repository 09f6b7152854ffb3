"""KioskApp: the walk-up Genius Bar terminal, locked down for anyone to use.

No command palette, no agent screens, no quit, suspend or palette keys (an exit key only when config
names one), links never open a browser, an error never shows a traceback, and after a quiet spell
everything typed is cleared and the welcome screen comes back.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding

from tui.config import Config
from tui.kiosk.welcome_screen import WelcomeScreen
from tui.kiosk_desk import KioskDesk
from tui.store import Store

IDLE_CHECK_SECONDS = 5
log = logging.getLogger("plaindesk.kiosk")


class KioskApp(App[None], inherit_bindings=False):
    """Runs at the Genius Bar."""

    CSS_PATH = "kiosk_app.tcss"
    ENABLE_COMMAND_PALETTE = False
    TITLE = "IT Genius Bar"
    BINDINGS = [
        # Every key Textual gives an app (quit, palette, suspend, copy) is taken here and does nothing.
        Binding("ctrl+q,ctrl+c,ctrl+z,ctrl+p,ctrl+backslash,f1", "nothing", show=False, priority=True),
        Binding("escape", "home", "Start again", tooltip="Back to the welcome screen", id="kiosk.home"),
    ]

    def __init__(
        self,
        store: Store,
        config: Config,
        terminal: str = "kiosk",
        *,
        kiosk: KioskDesk | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        log_file: Path | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.config = config
        self.kiosk = kiosk or KioskDesk(store, config, terminal)
        self.monotonic = monotonic
        self.last_input = monotonic()
        self.log_file = log_file
        self.title = config.kiosk.title
        if config.kiosk.exit_key:
            self.bind(config.kiosk.exit_key, "quit", description="Exit", show=False)
        try:
            self.theme = config.theme if config.theme in self.available_themes else "textual-dark"
        except Exception:  # noqa: BLE001 - a theme name is never a reason to stop the kiosk
            self.theme = "textual-dark"

    def on_mount(self) -> None:
        self.push_screen(WelcomeScreen(self.kiosk))
        self.set_interval(IDLE_CHECK_SECONDS, self.reset_if_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self.last_input = self.monotonic()
        await super().on_event(event)

    def reset_if_idle(self) -> None:
        """After the configured quiet time, clear everything typed and show the welcome screen."""
        idle = self.monotonic() - self.last_input
        if (
            idle >= self.config.kiosk.idle_reset_seconds
            and not isinstance(self.screen, WelcomeScreen)
            or idle >= self.config.kiosk.idle_reset_seconds
            and self.screen.has_typed_text()
        ):
            self.action_home()

    def action_home(self) -> None:
        """A fresh welcome screen: the screens that held what was typed are thrown away."""
        while len(self.screen_stack) > 2:  # Textual's own default screen, then ours
            self.pop_screen()
        self.switch_screen(WelcomeScreen(self.kiosk))

    def action_nothing(self) -> None:
        """Keys that would leave or suspend the kiosk land here."""

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Never: on a server a browser could be a text browser, and those have a shell escape."""

    def _handle_exception(self, error: BaseException) -> None:
        """Log it for IT; the visitor sees a short apology and the welcome screen, never a traceback."""
        details = "".join(traceback.format_exception(error))
        log.error("kiosk error: %s", details)
        if self.log_file is not None:
            try:
                with self.log_file.open("a", encoding="utf-8") as handle:
                    handle.write(details + "\n")
            except OSError:
                pass
        self.call_later(self._recover)

    def _recover(self) -> None:
        # The screen whose handler failed no longer handles messages, so it cannot be closed the
        # usual way: a fresh welcome screen goes on top, and the next "start again" clears the rest.
        self.push_screen(WelcomeScreen(self.kiosk))
        self.notify("Sorry, something went wrong. Please start again.", markup=False, timeout=8)
