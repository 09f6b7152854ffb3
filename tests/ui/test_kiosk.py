"""The walk-up kiosk driven with Pilot on a real database file: every flow and the lockdown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Button, Input, Markdown, OptionList, RadioSet, Static, TextArea
from ui_helpers import settle

from tui.app import PlainDeskApp
from tui.kiosk.check_in_screen import CheckInScreen
from tui.kiosk.kiosk_app import KioskApp
from tui.kiosk.report_screen import ReportScreen
from tui.kiosk.status_screen import StatusScreen
from tui.kiosk.welcome_screen import WelcomeScreen
from tui.kiosk_desk import KioskDesk, announce


class Clock:
    """A monotonic clock the test moves, for the idle reset."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def kiosk_desk(store, config, clock) -> KioskDesk:
    return KioskDesk(store, config, "tty-kiosk", now=clock, sleep=lambda seconds: None)


def make_app(store, config, kiosk_desk, **kwargs) -> KioskApp:
    return KioskApp(store, config, kiosk=kiosk_desk, **kwargs)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def choose(pilot, index: int) -> None:
    await pilot.press(*["down"] * index, "enter")
    await settle(pilot)


async def test_the_welcome_screen_offers_four_things_and_shows_announcements(
    store, config, kiosk_desk, clock
) -> None:
    announce(
        store,
        "outage",
        "Email is slow [/b]",
        "We're on it.",
        clock() - timedelta(minutes=1),
        clock() + timedelta(hours=2),
        "Asha",
        clock(),
    )
    app = make_app(store, config, kiosk_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert text_of(app, "#title") == config.kiosk.title
        menu = app.screen.query_one("#menu", OptionList)
        assert menu.option_count == 4
        assert "Service problem: Email is slow [/b]" in text_of(app, "#announcements")


async def test_check_in_shows_a_place_in_line_and_the_console_calls_the_visitor(
    store, config, kiosk_desk, desk
) -> None:
    app = make_app(store, config, kiosk_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await choose(pilot, 0)
        assert isinstance(app.screen, CheckInScreen)
        await pilot.press(*"Sam [red]Lee[/red]", "enter", *"My screen is black", "enter")
        await settle(pilot)
        assert "You're number 1 in line" in text_of(app, "#place")
        assert "Sam" in text_of(app, "#place")
        # An agent calls the next visitor from a console on the same database file.
        console = PlainDeskApp(desk)
        async with console.run_test(size=(160, 50), notifications=True) as agent:
            await settle(agent)
            await agent.press("N")
            await settle(agent)
            assert any("Called Sam [red]Lee[/red]" in n.message for n in console._notifications)
            header = str(console.screen.query_one("#detail-header", Static).render())
            assert "My screen is black" in header  # the visitor's walk-up ticket is open for the agent
        app.screen.load_place()
        await settle(pilot)
        assert "It's your turn, Sam!" in text_of(app, "#place")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert "Now serving: Sam r. - with Asha" in text_of(app, "#serving")  # the name as typed: "[red]Lee"


async def test_report_offers_guides_and_gives_a_reference_code_and_promise(
    store, config, kiosk_desk, desk
) -> None:
    app = make_app(store, config, kiosk_desk)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await choose(pilot, 1)
        assert isinstance(app.screen, ReportScreen)
        await pilot.press(*"Print my payslip")
        await pilot.press("tab", *"The printer says paper jam")
        await settle(pilot)
        guides = app.screen.query_one("#guides", OptionList)
        assert (
            guides.display
            and "printer"
            in str(guides.get_option_at_index(0).prompt).lower()
            + str(guides.get_option_at_index(1).prompt).lower()
        )
        app.screen.query_one("#impact", RadioSet).query_one("#blocked").value = True
        app.screen.query_one("#name", Input).value = "Kim Park"
        app.screen.query_one("#contact", Input).value = "kim@example.org"
        app.screen.query_one("#send", Button).press()
        await settle(pilot)
        done = text_of(app, "#done")
        assert "Request number: #1" in done and "Secret code: " in done and "Someone will reply by" in done
    ticket = desk.ticket(1)
    assert ticket.channel == "kiosk" and ticket.priority == "high"


async def test_a_report_with_missing_words_says_what_to_add(store, config, kiosk_desk) -> None:
    app = make_app(store, config, kiosk_desk)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await choose(pilot, 1)
        app.screen.query_one("#send", Button).press()
        await settle(pilot)
        assert text_of(app, ".problem") == "Please write what you were trying to do."


async def test_check_my_request_shows_public_replies_only_and_allows_reply_fix_and_rating(
    store, config, kiosk_desk, desk
) -> None:
    filed = kiosk_desk.report("Teams", "No sound", "slowed", "Ravi")
    desk.note(filed.ticket_id, "Internal: headset is on the naughty list")
    desk.reply(filed.ticket_id, "Hi Ravi, please try the other USB port. I'll update you by 3 pm today.")
    app = make_app(store, config, kiosk_desk)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await choose(pilot, 2)
        assert isinstance(app.screen, StatusScreen)
        await pilot.press(*filed.ref, "enter", *filed.code.lower(), "enter")
        await settle(pilot)
        shown = text_of(app, "#ticket")
        assert "other USB port" in shown and "naughty" not in shown
        assert "Someone is working on it." in shown
        app.screen.query_one("#reply", TextArea).load_text("Still no sound in the afternoon.")
        app.screen.query_one("#send", Button).press()
        await settle(pilot)
        assert "Still no sound in the afternoon." in text_of(app, "#ticket")
        app.screen.query_one("#fixed", Button).press()
        await settle(pilot)
        assert "We think this is fixed." in text_of(app, "#ticket")
        app.screen.query_one("#score-5").value = True
        app.screen.query_one("#comment", Input).value = "Thanks [b]!"
        app.screen.query_one("#rate", Button).press()
        await settle(pilot)
        assert text_of(app, ".problem") == "Thank you for rating the help you got."
    assert kiosk_desk.public(filed.ticket_id).rating == (5, "Thanks [b]!")


async def test_a_wrong_code_is_refused_and_another_persons_ticket_stays_hidden(
    store, config, kiosk_desk
) -> None:
    mine = kiosk_desk.report("Email", "Outlook closes", "slowed", "Ana")
    theirs = kiosk_desk.report("VPN", "Drops", "slowed", "Ben")
    app = make_app(store, config, kiosk_desk)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await choose(pilot, 2)
        await pilot.press(*theirs.ref, "enter", *mine.code, "enter")
        await settle(pilot)
        assert "couldn't find" in text_of(app, ".problem")
        assert not app.screen.query_one("#ticket").display


async def test_guides_are_searchable_and_links_open_nothing(store, config, kiosk_desk) -> None:
    opened = []
    app = make_app(store, config, kiosk_desk)
    app.open_url = lambda url, **kw: opened.append(url)  # noqa: E731 - would a link reach the app?
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await choose(pilot, 3)
        await pilot.press(*"printer", "enter", "enter")
        await settle(pilot)
        markdown = app.screen.query_one(Markdown)
        assert "print" in markdown.source.lower()
        markdown.post_message(Markdown.LinkClicked(markdown, "https://example.org"))
        await settle(pilot)
        assert opened == []


async def test_keys_that_would_leave_or_suspend_the_kiosk_do_nothing(store, config, kiosk_desk) -> None:
    app = make_app(store, config, kiosk_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("ctrl+q", "ctrl+c", "ctrl+z", "ctrl+p", "ctrl+backslash", "f1", "q"):
            await pilot.press(key)
            await settle(pilot)
            assert app.is_running and isinstance(app.screen, WelcomeScreen), key
        assert not app.ENABLE_COMMAND_PALETTE


async def test_an_idle_kiosk_clears_what_was_typed(store, config, kiosk_desk) -> None:
    ticks = Clock()
    app = make_app(store, config, kiosk_desk, monotonic=ticks)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await choose(pilot, 0)
        await pilot.press(*"Private name")
        ticks.value += config.kiosk.idle_reset_seconds - 1
        app.reset_if_idle()
        assert isinstance(app.screen, CheckInScreen)
        ticks.value += 2
        app.reset_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert not any("Private name" in i.value for i in app.query(Input))


async def test_an_error_shows_an_apology_not_a_traceback(
    store, config, kiosk_desk, tmp_path, monkeypatch
) -> None:
    log = tmp_path / "kiosk.log"
    app = make_app(store, config, kiosk_desk, log_file=log)

    def broken(*args, **kwargs) -> None:
        raise RuntimeError("database exploded")

    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        # A failure inside a screen's own handler...
        monkeypatch.setattr(CheckInScreen, "show_place", broken)
        await choose(pilot, 0)
        await pilot.press(*"Sam", "enter", *"Help", "enter")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, WelcomeScreen)
        # ...and one in a worker that talks to the database.
        monkeypatch.setattr(kiosk_desk, "check_in", broken)
        await choose(pilot, 0)
        await pilot.press(*"Jo", "enter", *"Help", "enter")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, WelcomeScreen)
        apologies = [n.message for n in app._notifications if "Sorry, something went wrong" in n.message]
        assert len(apologies) >= 2
    assert log.read_text().count("database exploded") >= 2
