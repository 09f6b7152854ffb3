"""StatusScreen: a visitor's own request — found by number and secret code — and what they can do."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Button, Input, RadioButton, RadioSet, Static, TextArea

from tui.kiosk import texts
from tui.kiosk.form_screen import FormScreen
from tui.kiosk_desk import KioskError, PublicTicket
from tui.widgets.user_text import plain_line, safe_text


@dataclass
class Shown(Message):
    ticket: PublicTicket
    note: str = ""


@dataclass
class Refused(Message):
    message: str


class StatusScreen(FormScreen):
    TITLE_TEXT = texts.STATUS_TITLE

    def fields(self) -> ComposeResult:
        yield Static(texts.STATUS_REFERENCE, markup=False, classes="find")
        yield Input(id="reference", max_length=12, classes="find")
        code_label = (
            texts.STATUS_CODE if self.kiosk.config.kiosk.lookup == "code" else texts.STATUS_CODE_OR_EMAIL
        )
        yield Static(code_label, markup=False, classes="find")
        yield Input(id="code", max_length=120, password=True, classes="find")
        yield Button(texts.STATUS_BUTTON, id="find", variant="primary", classes="find")
        yield Static("", id="ticket", markup=False, classes="found")
        yield Static(texts.STATUS_REPLY, markup=False, classes="found")
        yield TextArea(id="reply", soft_wrap=True, tab_behavior="focus", classes="found short")
        yield Button(texts.STATUS_SEND, id="send", classes="found")
        yield Button(texts.STATUS_FIXED, id="fixed", classes="found")
        yield Static(texts.STATUS_RATE, markup=False, classes="rate")
        with RadioSet(id="score", classes="rate"):
            for score in range(1, 6):
                yield RadioButton(str(score), id=f"score-{score}")
        yield Static("", id="score-chosen", markup=False, classes="rate")
        yield Static(texts.STATUS_COMMENT, markup=False, classes="rate")
        yield Input(id="comment", max_length=1000, classes="rate")
        yield Button(texts.STATUS_RATE_BUTTON, id="rate", classes="rate")

    def on_mount(self) -> None:
        self.say_problem("")
        self.ticket: PublicTicket | None = None
        for widget in self.query(".found, .rate"):
            widget.display = False
        self.query_one("#reference", Input).focus()

    @on(Input.Submitted, "#reference")
    def to_code(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Input.Submitted, "#code")
    @on(Button.Pressed, "#find")
    def find_pressed(self) -> None:
        self.say_problem(texts.STATUS_WAIT)
        self.query_one("#find", Button).disabled = True
        self.find(self.query_one("#reference", Input).value, self.query_one("#code", Input).value)

    @work(thread=True, exclusive=True, group="find", exit_on_error=False)
    def find(self, reference: str, code: str) -> None:
        try:
            ticket_id = self.kiosk.find(reference, code)  # slowed after wrong tries
            self.post_message(Shown(self.kiosk.public(ticket_id)))
        except KioskError as error:
            self.post_message(Refused(str(error)))

    @on(Refused)
    def refused(self, event: Refused) -> None:
        self.query_one("#find", Button).disabled = False
        self.say_problem(event.message)

    @on(Shown)
    def show(self, event: Shown) -> None:
        self.say_problem(event.note)
        self.ticket = ticket = event.ticket
        for widget in self.query(".find"):
            widget.display = False
        for widget in self.query(".found"):
            widget.display = True
        text = Text()
        text.append(f"{ticket.ref} ", style="bold")
        text.append(plain_line(ticket.subject) + "\n", style="bold")
        text.append(ticket.status_words + "\n")
        if ticket.next_update and ticket.status not in ("solved", "closed"):
            text.append(texts.STATUS_NEXT.format(when=ticket.next_update) + "\n")
        text.append("\n")
        if not ticket.messages:
            text.append(texts.STATUS_NO_MESSAGES + "\n")
        for message in ticket.messages:
            text.append(f"{plain_line(message.who)}, {message.when}:\n", style="bold")
            text.append(safe_text(message.body).rstrip() + "\n\n")
        self.query_one("#ticket", Static).update(text)
        done = ticket.status in ("solved", "closed")
        self.query_one("#fixed", Button).display = not done
        for widget in self.query(".rate"):
            widget.display = done
        if ticket.rating:
            self.query_one(f"#score-{ticket.rating[0]}", RadioButton).value = True

    @on(RadioSet.Changed, "#score")
    def say_score(self, event: RadioSet.Changed) -> None:
        self.query_one("#score-chosen", Static).update(texts.YOU_CHOSE + str(event.pressed.label))

    @on(Button.Pressed, "#send")
    def send_reply(self) -> None:
        text = self.query_one("#reply", TextArea).text
        self.act(lambda: self.kiosk.add_reply(self.ticket.ticket_id, text), texts.STATUS_THANKS, clear=True)

    @on(Button.Pressed, "#fixed")
    def fixed(self) -> None:
        self.act(lambda: self.kiosk.mark_fixed(self.ticket.ticket_id), texts.STATUS_FIXED_DONE)

    @on(Button.Pressed, "#rate")
    def rate(self) -> None:
        pressed = self.query_one("#score", RadioSet).pressed_button
        score = int(pressed.id.split("-")[1]) if pressed is not None else 0
        comment = self.query_one("#comment", Input).value
        self.act(lambda: self.kiosk.rate(self.ticket.ticket_id, score, comment), texts.STATUS_RATED)

    @work(thread=True, exclusive=True, group="act", exit_on_error=False)
    def act(self, action, thanks: str, clear: bool = False) -> None:
        try:
            action()
            ticket = self.kiosk.public(self.ticket.ticket_id)
        except KioskError as error:
            self.post_message(Refused(str(error)))
            return
        if clear:
            self.app.call_from_thread(self.query_one("#reply", TextArea).load_text, "")
        self.post_message(Shown(ticket, thanks))
