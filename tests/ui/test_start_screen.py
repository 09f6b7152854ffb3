"""The console's first screen and the kiosk's welcome, driven with Pilot on a real database file."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tui.app import PlainDeskApp
from tui.kiosk.kiosk_app import KioskApp
from tui.workflow import RequesterInput


async def settle(pilot: Pilot) -> None:
    """Let every worker finish and every message it posted be handled."""
    await pilot.pause()
    while pilot.app.workers:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_start_screen_lists_the_tickets_that_breach_next(desk) -> None:
    later = desk.create("Printer [b]jams[/b] [/", RequesterInput.parse("Jo <jo@example.org>"), priority="low")
    sooner = desk.create("VPN down", RequesterInput.parse("Sam <sam@example.org>"), priority="urgent")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert refs == [f"#{sooner}", f"#{later}"]  # urgent (15 minutes) before low (8 hours)
        # Brackets typed by a requester are shown as typed, never read as markup.
        assert str(table.get_row_at(1)[4]) == "Printer [b]jams[/b] [/"
        signed_in = app.screen.query_one("#signed-in", Static)
        assert "Asha Patel" in str(signed_in.render())
        await pilot.press("q")
    assert app.return_code == 0


async def test_kiosk_shows_the_configured_title(store, config) -> None:
    app = KioskApp(store, config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert str(app.query_one("#title", Static).render()) == config.kiosk.title


async def test_the_console_escalates_breaches_when_it_starts(desk, clock, db_path) -> None:
    import sqlite3

    ticket_id = desk.create(
        "Card reader broken at the front door", RequesterInput.parse("jo@example.org"), priority="urgent"
    )
    clock.advance(minutes=30)  # past the 15-minute first response
    notes = []
    app = PlainDeskApp(desk)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        notes = [n.message for n in app._notifications]
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute("SELECT ticket_id, clock, recorded_by FROM breach").fetchall()
    assert rows == [(ticket_id, "first_response", "console (Asha Patel)")]
    assert any("escalated" in note for note in notes)
