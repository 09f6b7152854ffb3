"""CheckInScreen: give a name and a few words, join the line, and see your place and wait live."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Button, Input, Static

from tui.kiosk import texts
from tui.kiosk.form_screen import FormScreen
from tui.kiosk_desk import CheckIn, KioskError
from tui.widgets.user_text import plain_line

PLACE_SECONDS = 5


@dataclass
class CheckedIn(Message):
    check_in: CheckIn


@dataclass
class PlaceLoaded(Message):
    place: int
    minutes: int


@dataclass
class Refused(Message):
    message: str


class CheckInScreen(FormScreen):
    TITLE_TEXT = texts.CHECK_IN_TITLE

    def fields(self) -> ComposeResult:
        yield Static(texts.CHECK_IN_NAME, markup=False)
        yield Input(id="name", max_length=80)
        yield Static(texts.CHECK_IN_REASON, markup=False)
        yield Input(id="reason", max_length=300)
        yield Button(texts.CHECK_IN_BUTTON, id="join", variant="primary")
        yield Static("", id="place", markup=False)

    def on_mount(self) -> None:
        self.say_problem("")
        self.query_one("#name", Input).focus()
        self.visit = None
        self.visitor_name = ""

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "name":
            self.query_one("#reason", Input).focus()
        else:
            self.join()

    @on(Button.Pressed, "#join")
    def join(self) -> None:
        if self.visit is not None:
            return
        self.visitor_name = self.query_one("#name", Input).value
        self.send(self.visitor_name, self.query_one("#reason", Input).value)

    @work(thread=True, exclusive=True, group="check-in", exit_on_error=False)
    def send(self, name: str, reason: str) -> None:
        try:
            self.post_message(CheckedIn(self.kiosk.check_in(name, reason)))
        except KioskError as error:
            self.post_message(Refused(str(error)))

    @on(Refused)
    def refused(self, event: Refused) -> None:
        self.say_problem(event.message)

    @on(CheckedIn)
    def checked_in(self, event: CheckedIn) -> None:
        self.say_problem("")
        self.visit = event.check_in
        for widget in self.query(Input):
            widget.disabled = True
        self.query_one("#join", Button).display = False
        self.show_place(event.check_in.place, int(event.check_in.wait.total_seconds() // 60))
        self.set_interval(PLACE_SECONDS, self.load_place)

    @work(thread=True, exclusive=True, group="place", exit_on_error=False)
    def load_place(self) -> None:
        place, wait = self.kiosk.place_in_line(self.visit.visit_id)
        self.post_message(PlaceLoaded(place, int(wait.total_seconds() // 60)))

    @on(PlaceLoaded)
    def place_loaded(self, event: PlaceLoaded) -> None:
        self.show_place(event.place, event.minutes)

    def show_place(self, place: int, minutes: int) -> None:
        name = plain_line(self.visitor_name).split(" ")[0] or "there"
        if place == 0:
            words = texts.CHECK_IN_CALLED.format(name=name)
        else:
            words = texts.CHECK_IN_DONE.format(name=name, place=place) + "\n"
            words += texts.CHECK_IN_WAIT.format(minutes=minutes)
        self.query_one("#place", Static).update(words)
