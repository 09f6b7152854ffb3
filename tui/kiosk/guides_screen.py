"""GuidesScreen and GuideScreen: find a fix-it-yourself guide by a few words, and read it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tui.guides import find_guides, load_guides
from tui.kiosk import texts
from tui.kiosk_desk import KioskDesk


class GuidesScreen(Screen[None]):
    def __init__(self, kiosk: KioskDesk) -> None:
        super().__init__()
        self.kiosk = kiosk

    def compose(self) -> ComposeResult:
        yield Static(texts.GUIDES_TITLE, classes="screen-title", markup=False)
        yield Input(placeholder=texts.GUIDES_SEARCH, id="search", max_length=100)
        yield OptionList(*[Option(g.title, id=g.slug) for g in load_guides()], id="guide-list", markup=False)
        yield Static("", classes="problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(".problem").display = False
        self.query_one("#search", Input).focus()

    def has_typed_text(self) -> bool:
        return bool(self.query_one("#search", Input).value)

    @on(Input.Changed, "#search")
    def search(self, event: Input.Changed) -> None:
        found = find_guides(event.value, limit=20) if event.value.strip() else list(load_guides())
        options = self.query_one("#guide-list", OptionList)
        options.clear_options()
        options.add_options([Option(g.title, id=g.slug) for g in found])
        problem = self.query_one(".problem", Static)
        problem.update(texts.GUIDES_NONE if not found else "")
        problem.display = not found

    @on(Input.Submitted, "#search")
    def to_list(self) -> None:
        options = self.query_one("#guide-list", OptionList)
        if options.option_count:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#guide-list")
    def open_guide(self, event: OptionList.OptionSelected) -> None:
        self.app.push_screen(GuideScreen(event.option.id))


class GuideScreen(Screen[None]):
    """One guide, read-only. Links are shown but never opened."""

    BINDINGS = [("backspace", "app.pop_screen", "Back to the list")]

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.guide = next(g for g in load_guides() if g.slug == slug)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="guide"):
            yield Markdown(self.guide.text, open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#guide").focus()

    def has_typed_text(self) -> bool:
        return False

    @on(Markdown.LinkClicked)
    def ignore_link(self, event: Markdown.LinkClicked) -> None:
        event.stop()  # the kiosk opens nothing outside itself
