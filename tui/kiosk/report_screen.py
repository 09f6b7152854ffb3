"""ReportScreen: a problem in the visitor's own words; guides that match are offered while they type."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Button, Input, OptionList, RadioButton, RadioSet, Static, TextArea
from textual.widgets.option_list import Option

from tui.guides import find_guides
from tui.kiosk import texts
from tui.kiosk.form_screen import FormScreen
from tui.kiosk_desk import IMPACT_WORDS, Filed, KioskError


@dataclass
class ReportFiled(Message):
    filed: Filed


@dataclass
class ReportRefused(Message):
    message: str


class ReportScreen(FormScreen):
    TITLE_TEXT = texts.REPORT_TITLE
    BINDINGS = [("f2", "open_guide", "Open the first guide")]

    def fields(self) -> ComposeResult:
        yield Static(texts.REPORT_TRYING, markup=False)
        yield TextArea(id="trying", soft_wrap=True, tab_behavior="focus", classes="short")
        yield Static(texts.REPORT_HAPPENED, markup=False)
        yield TextArea(id="happened", soft_wrap=True, tab_behavior="focus", classes="short")
        yield Static(texts.REPORT_GUIDES, id="guides-title", markup=False)
        yield OptionList(id="guides", markup=False)
        yield Static(texts.REPORT_IMPACT, markup=False)
        with RadioSet(id="impact"):
            for key, words in IMPACT_WORDS.items():
                yield RadioButton(words, id=key)
        yield Static("", id="impact-chosen", markup=False)
        yield Static(texts.REPORT_NAME, markup=False)
        yield Input(id="name", max_length=80)
        yield Static(texts.REPORT_CONTACT, markup=False)
        yield Input(id="contact", max_length=120)
        yield Button(texts.REPORT_BUTTON, id="send", variant="primary")
        yield Static("", id="done", markup=False)

    def on_mount(self) -> None:
        self.say_problem("")
        self.query_one("#guides-title").display = False
        self.query_one("#guides").display = False
        self.query_one("#trying", TextArea).focus()
        self.query_one("#guides", OptionList).can_focus = False  # Tab goes from the words to the choices
        self.filed: Filed | None = None

    @on(TextArea.Changed)
    def offer_guides(self) -> None:
        words = self.query_one("#trying", TextArea).text + " " + self.query_one("#happened", TextArea).text
        found = find_guides(words, limit=3)
        guides = self.query_one("#guides", OptionList)
        guides.clear_options()
        guides.add_options([Option(g.title, id=g.slug) for g in found])
        guides.display = bool(found)
        self.query_one("#guides-title").display = bool(found)

    @on(RadioSet.Changed, "#impact")
    def say_choice(self, event: RadioSet.Changed) -> None:
        # Said in words too: a terminal without colour shows every button the same.
        self.query_one("#impact-chosen", Static).update(texts.YOU_CHOSE + str(event.pressed.label))

    @on(OptionList.OptionSelected, "#guides")
    def open_guide(self, event: OptionList.OptionSelected) -> None:
        from tui.kiosk.guides_screen import GuideScreen

        self.app.push_screen(GuideScreen(event.option.id))

    def action_open_guide(self) -> None:
        from tui.kiosk.guides_screen import GuideScreen

        guides = self.query_one("#guides", OptionList)
        if guides.option_count:
            self.app.push_screen(GuideScreen(guides.get_option_at_index(0).id))

    @on(Button.Pressed, "#send")
    def send_pressed(self) -> None:
        if self.filed is not None:
            return
        impact = self.query_one("#impact", RadioSet).pressed_button
        self.send(
            self.query_one("#trying", TextArea).text,
            self.query_one("#happened", TextArea).text,
            impact.id if impact is not None else "",
            self.query_one("#name", Input).value,
            self.query_one("#contact", Input).value,
        )

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "name":
            self.query_one("#contact", Input).focus()
        else:
            self.query_one("#send", Button).focus()

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def send(self, trying: str, happened: str, impact: str, name: str, contact: str) -> None:
        try:
            self.post_message(ReportFiled(self.kiosk.report(trying, happened, impact, name, contact)))
        except KioskError as error:
            self.post_message(ReportRefused(str(error)))

    @on(ReportRefused)
    def refused(self, event: ReportRefused) -> None:
        self.say_problem(event.message)

    @on(ReportFiled)
    def filed_ok(self, event: ReportFiled) -> None:
        self.say_problem("")
        self.filed = event.filed
        for widget in (*self.query(Input), *self.query(TextArea), *self.query(RadioSet)):
            widget.disabled = True
        self.query_one("#send", Button).display = False
        done = Text()
        done.append(texts.REPORT_DONE + "\n", style="bold")
        done.append("Request number: ")
        done.append(event.filed.ref, style="bold")
        done.append("    Secret code: ")
        done.append(event.filed.code, style="bold")
        done.append("\n" + texts.REPORT_KEEP + "\n" + event.filed.promise)
        self.query_one("#done", Static).update(done)
        self.query_one("#done").scroll_visible()
