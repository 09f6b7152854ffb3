"""`make screenshots`: SVG pictures of each pane, from a seeded demo desk with a fixed clock."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from tui.app import PlainDeskApp
from tui.config import load_config
from tui.demo import build_demo
from tui.identity import sign_in
from tui.resources import default_config_path
from tui.store import open_store
from tui.workflow import Desk

HERE = Path(__file__).parent
NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # a Monday morning: the office calendar is open
DRAFT = "Hi Sam, simply flush the DNS cache and reboot. As I said, this is user error."


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    while pilot.app.workers:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_ticket(pilot: Pilot) -> None:
    await pilot.press("down", "down", "enter")
    await settle(pilot)


async def write_draft(pilot: Pilot) -> None:
    await open_ticket(pilot)
    pilot.app.screen.query_one("#reply-text").cursor_blink = False
    await pilot.press("r", *DRAFT)
    await settle(pilot)
    pilot.app.screen.query_one("#reply")._check()
    await pilot.pause()


async def show_sla(pilot: Pilot) -> None:
    await pilot.press("f4")
    await pilot.pause()


async def show_reports(pilot: Pilot) -> None:
    await pilot.press("R")
    await settle(pilot)


SHOTS: list[tuple[str, tuple[int, int], Callable[[Pilot], Awaitable[None]] | None]] = [
    ("console", (160, 50), write_draft),
    ("queue", (80, 24), None),
    ("ticket", (80, 24), open_ticket),
    ("sla", (80, 24), show_sla),
    ("reply", (100, 30), write_draft),
    ("reports", (120, 40), show_reports),
]


async def shoot(desk: Desk, name: str, size: tuple[int, int], steps) -> None:
    app = PlainDeskApp(desk)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.clear_notifications()
        if steps is not None:
            await steps(pilot)
        if name == "reply":
            await pilot.press("f5")
            await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(str(HERE / f"{name}.svg"))


async def shoot_kiosk(store, config, name: str, keys: list[str]) -> None:
    from tui.kiosk.kiosk_app import KioskApp
    from tui.kiosk_desk import KioskDesk

    kiosk = KioskDesk(store, config, "screenshots", now=lambda: NOW, sleep=lambda seconds: None)
    app = KioskApp(store, config, kiosk=kiosk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        app.save_screenshot(str(HERE / f"{name}.svg"))


KIOSK_SHOTS = [
    ("kiosk-welcome", []),
    ("kiosk-check-in", ["enter", *"Sam Lee", "enter", *"My screen stays black", "enter"]),
    (
        "kiosk-report",
        ["down", "enter", *"Print the rota for the weekend", "tab", *"The printer says paper jam"],
    ),
    ("kiosk-guides", ["down", "down", "down", "enter", *"wifi"]),
]


def main() -> None:
    config = load_config(default_config_path())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        build_demo(path, config, tickets=300, seed=7, now=NOW)
        store = open_store(path)
        desk = Desk(store, config, sign_in(store, config, "asha"), now=lambda: NOW)
        for name, size, steps in SHOTS:
            asyncio.run(shoot(desk, name, size, steps))
            print(f"wrote {HERE / (name + '.svg')}")
        for name, keys in KIOSK_SHOTS:
            asyncio.run(shoot_kiosk(store, config, name, keys))
            print(f"wrote {HERE / (name + '.svg')}")
        store.close()


if __name__ == "__main__":
    main()
