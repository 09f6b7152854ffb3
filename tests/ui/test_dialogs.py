"""The small dialogs drawn over a screen: they hold the keys while open and leave the screen as it was."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static
from ui_helpers import choose, dialog_choices, person, queue_lines, settle

from tui.app import PlainDeskApp
from tui.widgets.choice_dialog import ChoiceDialog
from tui.widgets.sla_countdowns import SlaCountdowns
from tui.widgets.text_dialog import TextDialog
from tui.widgets.ticket_queue import TicketQueue


def screen_text(app: PlainDeskApp) -> list[str]:
    """Every line of the terminal as the compositor last painted it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_a_dialog_keeps_the_consoles_keys_and_tab_inside_until_escape(desk) -> None:
    desk.create("Printer jam", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        bar_before = str(app.screen.query_one("#view-bar", Static).render())
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen.query_one(ChoiceDialog)
        # 7 would show the Solved view and R the reports; inside the dialog they do nothing.
        await pilot.press("7", "R", "tab", "tab")
        await settle(pilot)
        assert dialog.is_attached and app.screen.focused in dialog.query(OptionList)
        assert type(app.screen).__name__ == "ConsoleScreen"
        assert str(app.screen.query_one("#view-bar", Static).render()) == bar_before
        assert "Cancel" in str(app.screen.query_one("KeyBar").render())
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.query(ChoiceDialog)
        assert isinstance(app.screen.focused, TicketQueue)
        assert "Filter:" not in str(app.screen.query_one("#queue-status", Static).render())


async def test_closing_a_dialog_leaves_every_cell_of_the_screen_as_it_was(desk) -> None:
    for subject in ("Printer jam", "VPN drops", "Screen flickers"):
        desk.create(subject, person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        before = screen_text(app)
        await pilot.press("slash")
        await settle(pilot)
        during = screen_text(app)
        assert any("Search tickets" in line for line in during) and during != before
        await pilot.press("escape")
        await settle(pilot)
        assert screen_text(app) == before


async def test_a_second_dialog_asked_from_the_first_gives_the_focus_back_where_it_started(desk) -> None:
    desk.create("Printer jam", person(), priority="high")
    desk.create("VPN drops", person(), priority="low")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("f4")  # the SLA pane has the focus
        await settle(pilot)
        assert isinstance(app.screen.focused, SlaCountdowns)
        await pilot.press("f")
        await settle(pilot)
        await choose(pilot, "tag")
        assert isinstance(app.screen.focused, Input) and app.screen.query(TextDialog)
        assert not app.screen.query(ChoiceDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.query(TextDialog)
        assert isinstance(app.screen.focused, SlaCountdowns)


async def test_a_click_outside_the_dialog_cancels_it(desk) -> None:
    desk.create("Printer jam", person(), priority="high")
    desk.create("VPN drops", person(), priority="low")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        rows = [line for line in queue_lines(app) if line.strip().startswith("#")]
        await pilot.press("f")
        await settle(pilot)
        await pilot.click("#sla")
        await settle(pilot)
        assert not app.screen.query(ChoiceDialog)
        assert isinstance(app.screen.focused, SlaCountdowns)
        assert [line for line in queue_lines(app) if line.strip().startswith("#")] == rows


async def test_text_typed_in_a_dialog_is_never_markup(desk) -> None:
    desk.create("Printer [b]jam[/b]", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"[b]jam[/b]")
        assert app.screen.query_one("TextDialog Input", Input).value == "[b]jam[/b]"
        await pilot.press("enter")
        await settle(pilot)
        assert not app.screen.query(TextDialog)
        assert "Search: [b]jam[/b]" in str(app.screen.query_one("#queue-status", Static).render())


async def test_the_reports_screen_asks_for_its_group_in_a_dialog(desk) -> None:
    desk.create("Printer jam", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        labels = dialog_choices(app)
        assert labels[0].startswith("All groups")
        await choose(pilot, labels[1])
        assert not app.screen.query(ChoiceDialog)
        title = str(app.screen.query_one("#reports-title", Static).render())
        assert f"group {next(iter(desk.config.groups))}" in title
        await pilot.press("escape")  # the dialog is gone, so Escape is the screen's again
        await settle(pilot)
        assert app.screen.query("#queue")


async def test_a_ticket_that_finishes_loading_behind_a_dialog_leaves_it_open(desk) -> None:
    ticket = desk.create("Printer jam", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        app.screen.open_ticket(ticket)  # as if Enter had been pressed just before f
        app.screen.pane = "detail"
        await settle(pilot)
        dialog = app.screen.query_one(ChoiceDialog)
        assert app.screen.focused in dialog.query(OptionList)
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.query(ChoiceDialog)


async def test_a_canned_reply_chosen_in_its_dialog_lands_in_the_reply_box_with_the_focus(desk) -> None:
    from tui.canned import load_canned
    from tui.widgets.reply_helper import DraftEditor, ReplyHelper

    ticket = desk.create("Password expired", person())
    first = load_canned()[0]
    app = PlainDeskApp(desk, open_ticket=ticket)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        labels = dialog_choices(app)
        assert labels[0].startswith(first.title)
        await choose(pilot, labels[0])
        assert not app.screen.query(ChoiceDialog)
        assert isinstance(app.screen.focused, DraftEditor)
        text = app.screen.query_one(ReplyHelper).text
        assert text.strip() and "{name}" not in text and "Jo" in text  # filled in for the requester
