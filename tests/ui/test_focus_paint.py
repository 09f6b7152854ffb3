"""What the console paints as the focus moves: the active pane's border, the queue's cursor, the
ticket's header line, and a reply box that takes no focus until a ticket is open."""

from __future__ import annotations

from textual.color import Color
from textual.widgets import OptionList, Static
from ui_helpers import choose, painted, person, queue_lines, settle

from tui.app import PlainDeskApp
from tui.widgets.reply_helper import DraftEditor
from tui.widgets.ticket_queue import TicketQueue


def border_colour(app: PlainDeskApp, selector: str) -> Color:
    """The colour of a pane's border as painted: its top-left corner and its left edge, on screen."""
    region = app.screen.query_one(selector).region
    strips = app.screen._compositor.render_strips()
    colours = set()
    for y in (region.y, region.y + region.height // 2):
        segment = next(iter(strips[y].crop(region.x, region.x + 1)))
        colours.add(Color.from_rich_color(segment.style.color))
    assert len(colours) == 1, colours  # corner and edge were painted together
    return colours.pop()


def theme(app: PlainDeskApp, name: str) -> Color:
    return Color.parse(app.get_css_variables()[name])


def cursor_background(app: PlainDeskApp) -> Color | None:
    """The background painted on the queue's cursor row (the first ticket), as the screen holds it."""
    queue = app.screen.query_one(TicketQueue)
    y = queue.region.y + 1  # the header, then the first row
    strip = app.screen._compositor.render_strips()[y]
    segment = next(s for s in strip.crop(queue.region.x, queue.region.right) if s.text.strip())
    return segment.style.bgcolor


async def test_the_pane_holding_the_focus_has_the_accent_border_in_every_theme(desk) -> None:
    desk.create("Printer jam", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert border_colour(app, "#queue-pane") == theme(app, "accent")
        assert border_colour(app, "#sla-pane") == theme(app, "panel-lighten-2")
        await pilot.press("f4")
        await settle(pilot)
        assert border_colour(app, "#sla-pane") == theme(app, "accent")
        assert border_colour(app, "#queue-pane") == theme(app, "panel-lighten-2")
        await pilot.press("T")  # the next theme: the borders take its colours
        await settle(pilot)
        assert app.theme != "textual-dark"
        assert border_colour(app, "#sla-pane") == theme(app, "accent")
        assert border_colour(app, "#detail-pane") == theme(app, "panel-lighten-2")
        await pilot.press("f")  # in a dialog no pane has the focus
        await settle(pilot)
        assert border_colour(app, "#sla-pane") == theme(app, "panel-lighten-2")


async def test_the_queue_cursor_is_repainted_when_the_focus_leaves_and_comes_back(desk) -> None:
    desk.create("Printer jam", person())
    desk.create("VPN drops", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        focused = cursor_background(app)
        assert focused == theme(app, "accent").rich_color
        await pilot.press("f4")
        await settle(pilot)
        assert cursor_background(app) not in (None, focused)
        await pilot.press("f2")
        await settle(pilot)
        assert cursor_background(app) == focused


async def test_the_line_under_a_late_tickets_header_turns_red_and_back(desk, clock) -> None:
    late = desk.create("Server room too hot", person(), priority="urgent")
    clock.advance(minutes=30)  # past the urgent first response
    fine = desk.create("Mouse squeaks", person(), priority="low")
    app = PlainDeskApp(desk, open_ticket=late)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        header = app.screen.query_one("#detail-header", Static)
        style, colour = header.styles.border_bottom
        assert style == "heavy" and colour == theme(app, "error")
        await pilot.press("T")
        await settle(pilot)
        assert header.styles.border_bottom[1] == theme(app, "error")  # the new theme's red
        app.screen.open_ticket(fine)
        await settle(pilot)
        style, colour = header.styles.border_bottom
        assert style == "solid" and colour == theme(app, "primary")


async def test_the_reply_box_takes_no_focus_until_a_ticket_is_open(desk) -> None:
    desk.create("Printer jam", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        chain = app.screen.focus_chain
        assert not any(isinstance(w, DraftEditor) or w.id == "reply-findings" for w in chain)
        await pilot.press("tab", "tab", "tab", "tab")
        assert not isinstance(app.screen.focused, DraftEditor | OptionList)
        await pilot.press("f5")
        await settle(pilot)
        assert not isinstance(app.screen.focused, DraftEditor)
        await pilot.press("f2")  # back to the queue, though it was the pane chosen all along
        await settle(pilot)
        assert isinstance(app.screen.focused, TicketQueue)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen.focused, DraftEditor)


async def test_the_queue_scrollbar_follows_the_number_of_tickets_shown(desk) -> None:
    for n in range(60):
        desk.create(f"Ticket {n}", person(), priority="high" if n < 5 else "low")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        queue = app.screen.query_one(TicketQueue)
        assert queue.vertical_scrollbar.window_virtual_size == 61  # the header and 60 tickets
        await pilot.press("f")
        await settle(pilot)
        await choose(pilot, "priority")
        await choose(pilot, "high")
        assert queue.vertical_scrollbar.window_virtual_size == 6


async def test_a_view_longer_than_its_first_page_is_painted_whole_once_every_id_is_in(desk) -> None:
    # The first page (100 rows) is drawn at once; the other ids come after and only the scrollbar
    # grows, so what is on screen must still be what the queue would draw now.
    tickets = [desk.create(f"Ticket {n}", person()) for n in range(150)]
    app = PlainDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")  # all open
        await settle(pilot)
        queue = app.screen.query_one(TicketQueue)
        assert queue.count == 150 and queue.vertical_scrollbar.window_virtual_size == 151
        assert on_screen(app) == queue_lines(app)
        await pilot.press("end")
        await settle(pilot)
        assert f"#{tickets[-1]} " in on_screen(app)[-1]
        assert on_screen(app) == queue_lines(app)


def on_screen(app: PlainDeskApp) -> list[str]:
    """The queue's lines as painted, without the scrollbar beside them."""
    width = app.screen.query_one(TicketQueue).scrollable_content_region.width
    return [line[:width] for line in painted(app, "#queue").splitlines()]


async def test_the_cursor_row_keeps_its_background_under_a_late_countdown(desk, clock) -> None:
    desk.create("Server room too hot", person(), priority="urgent")
    clock.advance(minutes=30)  # past the urgent first response: its countdown is drawn in red
    desk.create("Mouse squeaks", person(), priority="low")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        queue = app.screen.query_one(TicketQueue)
        y = queue.region.y + 1  # the late ticket comes first
        strip = app.screen._compositor.render_strips()[y]
        row = list(strip.crop(queue.region.x, queue.region.x + queue.scrollable_content_region.width))
        assert {segment.style.bgcolor for segment in row} == {theme(app, "accent").rich_color}
        assert any(segment.style.color == theme(app, "error").rich_color for segment in row)
