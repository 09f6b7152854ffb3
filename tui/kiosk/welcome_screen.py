"""WelcomeScreen: what the kiosk offers, current announcements, and who is being served now."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.kiosk import texts
from tui.kiosk_desk import KioskDesk
from tui.plain.when import clock_time
from tui.widgets.user_text import plain_line

BOARD_SECONDS = 5
"""How often the "now serving" board and announcements are read again."""


@dataclass
class BoardLoaded(Message):
    serving: list[str]
    waiting: int
    announcements: list


class WelcomeScreen(Screen[None]):
    """The first screen; every visit starts and ends here."""

    def __init__(self, kiosk: KioskDesk) -> None:
        super().__init__()
        self.kiosk = kiosk

    def compose(self) -> ComposeResult:
        settings = self.kiosk.config.kiosk
        with Vertical(id="welcome"):
            yield Static(settings.title, id="title", markup=False)
            yield Static(
                f"Welcome! {settings.location}".strip() + "\n" + texts.WELCOME_HINT,
                id="welcome-text",
                markup=False,
            )
            yield Static("", id="announcements", markup=False)
            options = [
                Option(Text.assemble((title, "bold"), f"\n  {hint}"), id=key)
                for key, title, hint in texts.MENU
            ]
            yield OptionList(*options, id="menu", markup=False)
            yield Static("", id="serving", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).focus()
        self.query_one("#menu", OptionList).highlighted = 0
        self.load_board()
        self.set_interval(BOARD_SECONDS, self.load_board)

    def has_typed_text(self) -> bool:
        return False

    @work(thread=True, exclusive=True, group="board", exit_on_error=False)
    def load_board(self) -> None:
        self.post_message(
            BoardLoaded(self.kiosk.now_serving(), self.kiosk.waiting_count(), self.kiosk.announcements())
        )

    @on(BoardLoaded)
    def show_board(self, event: BoardLoaded) -> None:
        serving = self.query_one("#serving", Static)
        board = texts.NOW_SERVING + " · ".join(plain_line(s) for s in event.serving) if event.serving else ""
        board = board or texts.NOBODY_SERVED
        waiting = texts.PEOPLE_WAITING.format(count=event.waiting) if event.waiting else texts.NOBODY_WAITING
        serving.update(Text(f"{board}\n{waiting}"))
        notices = Text()
        for item in event.announcements:
            label = texts.ANNOUNCEMENT_KINDS.get(item.kind, "Notice")
            until = clock_time(item.ends_at.astimezone(self.kiosk.zone))
            notices.append(f"{label}: ", style="bold")
            notices.append(plain_line(item.title))
            notices.append(f" (until {until})\n")
            if item.body:
                notices.append("  " + plain_line(item.body) + "\n")
        announcements = self.query_one("#announcements", Static)
        announcements.update(notices)
        announcements.display = bool(event.announcements)

    @on(OptionList.OptionSelected, "#menu")
    def choose(self, event: OptionList.OptionSelected) -> None:
        from tui.kiosk.check_in_screen import CheckInScreen
        from tui.kiosk.guides_screen import GuidesScreen
        from tui.kiosk.report_screen import ReportScreen
        from tui.kiosk.status_screen import StatusScreen

        screens = {
            "check_in": CheckInScreen,
            "report": ReportScreen,
            "status": StatusScreen,
            "guides": GuidesScreen,
        }
        self.app.push_screen(screens[event.option.id](self.kiosk))
