"""Snapshots of the console at 80x24 and 160x50, on seeded tickets and a frozen clock.

Update with `pytest tests/snapshots --snapshot-update`, then look at the SVG diff before committing.
"""

from __future__ import annotations

import pytest
from conftest import FrozenClock, settle

from tui.app import PlainDeskApp
from tui.workflow import Desk, RequesterInput

TICKETS = [
    ("VPN drops every few minutes", "Sam Lee <sam@example.org>", "urgent", "network"),
    ("Printer on floor 2 jams [again]", "Jo Bloggs <jo@example.org>", "normal", "printing"),
    ("Can't open payroll export", "Kim Park <kim@example.org>", "high", "software"),
    ("New starter needs a laptop", "Ola Nowak <ola@example.org>", "low", "hardware"),
    ("Outlook keeps asking for my password", "Ravi Shah <ravi@example.org>", "normal", "email"),
    ("Teams audio is choppy", "Ana Costa <ana@example.org>", "low", "software"),
]


def seeded_app(desk: Desk, clock: FrozenClock) -> PlainDeskApp:
    ids = []
    for subject, who, priority, category in TICKETS:
        ids.append(
            desk.create(
                subject, RequesterInput.parse(who), f"{subject}.", priority=priority, category=category
            )
        )
        clock.advance(minutes=7)
    desk.reply(ids[1], "Hi Jo, thanks for letting us know. I'll come and look at it by 3 pm today.")
    desk.note(ids[1], "Probably the fuser again.")
    desk.reply(ids[4], "Hi Ravi, could you send a photo of the message?", status="pending")
    desk.assign(ids[2], desk.actor.login)
    clock.advance(minutes=20)
    return PlainDeskApp(desk)


async def _settle(pilot) -> None:
    await settle(pilot)
    pilot.app.screen.query_one("#queue").focus()
    pilot.app.clear_notifications()  # a toast's coming and going depends on timing, not on the screen
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
def test_main_screen(snap_compare, desk: Desk, clock: FrozenClock, size: tuple[int, int]) -> None:
    assert snap_compare(seeded_app(desk, clock), terminal_size=size, run_before=_settle)


def test_ticket_and_reply_helper(snap_compare, desk: Desk, clock: FrozenClock) -> None:
    async def open_and_write(pilot) -> None:
        await _settle(pilot)
        await pilot.press("down", "enter")
        await _settle(pilot)
        pilot.app.screen.query_one("#reply-text").cursor_blink = False  # a blinking cursor never matches
        await pilot.press("r", *"Simply restart the print spooler.")
        await _settle(pilot)
        helper = pilot.app.screen.query_one("#reply")
        if helper._timer is not None:
            helper._timer.stop()  # the check it would run later is run now, once
        helper._check()
        pilot.app.screen.query_one("#reply-text").focus()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(seeded_app(desk, clock), terminal_size=(160, 50), run_before=open_and_write)
