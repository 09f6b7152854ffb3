"""PlainDeskApp: the agent console. Wires the desk into the screens; holds no business logic."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from tui.escalation import sweep
from tui.screens.console_screen import ConsoleScreen
from tui.session import AgentSession
from tui.store import StoreError
from tui.widgets import widget_css
from tui.workflow import Desk

if TYPE_CHECKING:
    from tui.plain.checker import Checker

ESCALATION_SECONDS = 60
"""How often a console sweeps for breaches; clocks are judged in minutes, so a minute is on time."""
ESCALATION_PAUSE = 0.01
"""Seconds between two escalations, so a sweep never starves the screen of the interpreter."""
ESCALATION_BATCH = 100
"""Tickets a console escalates per sweep: a backlog (a desk that was closed for a week) is worked
through a minute at a time by every console, or at once by `plaindesk sla tick`, without stalling
anyone's screen."""

WORKER_THREADS = 3
"""Threads that read and write the store for the screen: a sweep, a search and a page can run at once."""

HIGH_CONTRAST = Theme(
    name="plaindesk-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#5fff5f",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#303030",
    dark=True,
)


class PlainDeskApp(App[None]):
    """The console an agent runs over SSH."""

    # The console screen's CSS is read with the app's: a screen's own CSS_PATH would parse every
    # stylesheet again when it opens, which the first frame waits for.
    CSS_PATH = ["app.tcss", "screens/console_screen.tcss", *widget_css()]
    TITLE = "PlainDesk"
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Leave PlainDesk (drafts are kept)", id="app.quit"),
        Binding(
            "f1,question_mark",
            "toggle_help",
            "Help",
            tooltip="Show or hide the keys of this screen",
            id="app.help",
        ),
    ]

    def __init__(self, desk: Desk, open_ticket: int | None = None, checker: Checker | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.open_ticket = open_ticket
        self.checker = checker
        """The plain-language checker; None until the screen has loaded the rules off the UI thread."""
        self.register_theme(HIGH_CONTRAST)
        self.theme = desk.config.theme if desk.config.theme in self.available_themes else "textual-dark"
        self.set_keymap(desk.config.keymap)
        agent = desk.config.agent(desk.actor.login or "")
        self.zone = ZoneInfo(agent.timezone if agent and agent.timezone else desk.config.timezone)
        self._swept_once = False
        self.session = AgentSession(desk.store, desk.config, desk.actor.agent_id or 0, desk.now)

    def get_default_screen(self) -> Screen:
        # The console is the first screen itself: pushing it over Textual's blank default screen
        # styled and laid out a screen nobody sees before the first frame.
        return ConsoleScreen(self.desk, self.session, self.checker, self.zone, self.open_ticket)

    def on_load(self) -> None:
        # Each worker thread keeps its own SQLite connection and page cache (4 MB): Textual's default
        # pool of six threads made a console on a big desk hold 30 MB more than one on a small desk.
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="plaindesk-worker")
        )

    def on_mount(self) -> None:
        self.set_interval(ESCALATION_SECONDS, self.escalate)

    def on_ticket_queue_loaded(self) -> None:
        """The first sweep waits for the queue to be on screen: an agent sees their work first."""
        if not self._swept_once:
            self._swept_once = True
            self.escalate()

    @work(thread=True, exclusive=True, group="escalation", exit_on_error=False)
    def escalate(self) -> None:
        """Record SLA breaches and apply their actions (every console does this; the database makes
        sure each breach is recorded once)."""
        result = sweep(
            self.desk.store,
            self.desk.config,
            f"console ({self.desk.actor.name})",
            now=self.desk.now,
            limit=ESCALATION_BATCH,
            between=lambda: time.sleep(ESCALATION_PAUSE),
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

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every key of the screen, so one list of bindings serves footer, help and palette."""
        yield from super().get_system_commands(screen)
        seen = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen or binding.action.startswith("toggle_help"):
                continue
            seen.add(binding.action)
            help_text = f"{binding.tooltip or binding.description} (key: {active.binding.key_display or key})"
            yield SystemCommand(
                binding.description, help_text, lambda b=binding, n=active.node: self.run_action(b.action, n)
            )

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    async def on_unmount(self) -> None:
        # Nobody should see this agent "viewing" after they leave; if the store is gone, it expires anyway.
        with contextlib.suppress(StoreError):
            self.session.viewing(None)
