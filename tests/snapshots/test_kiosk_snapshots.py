"""Snapshots of the kiosk at 80x24: welcome, check-in, report and status, on a frozen clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import settle

from tui.kiosk.kiosk_app import KioskApp
from tui.kiosk_desk import KioskDesk, announce


def kiosk_app(store, config, clock, desk=None) -> KioskApp:
    announce(
        store,
        "training",
        "Teams tips at 2 pm in room 4",
        "",
        clock() - timedelta(minutes=1),
        clock() + timedelta(hours=4),
        "Asha",
        clock(),
    )
    kiosk = KioskDesk(store, config, "snap", now=clock, sleep=lambda s: None)
    return KioskApp(store, config, kiosk=kiosk)


async def check_in(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press(*"Sam Lee", "enter", *"My screen stays black", "enter")
    await settle(pilot)


async def report(pilot) -> None:
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    pilot.app.screen.query_one("#trying").cursor_blink = False
    await pilot.press(*"Print the rota")
    await settle(pilot)


async def status(pilot) -> None:
    await settle(pilot)
    filed = pilot.app.kiosk.report("Email", "Outlook closes when I open it", "slowed", "Ana")
    pilot.app.agent_desk.reply(filed.ticket_id, "Hi Ana, I've repaired Outlook. Please try again.")
    await pilot.press("down", "down", "enter")
    await settle(pilot)
    await pilot.press(*filed.ref, "enter", *filed.code, "enter")
    await settle(pilot)


@pytest.mark.parametrize(
    "steps", [settle, check_in, report, status], ids=["welcome", "check-in", "report", "status"]
)
def test_kiosk_screen(snap_compare, store, config, clock, desk, steps) -> None:
    app = kiosk_app(store, config, clock)
    app.agent_desk = desk  # an agent answers in the status snapshot
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps)
