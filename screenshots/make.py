"""`make screenshots`: SVG pictures of the screens, from a seeded demo desk with a fixed clock."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tui.app import PlainDeskApp
from tui.config import load_config
from tui.demo import build_demo
from tui.identity import sign_in
from tui.resources import default_config_path
from tui.store import open_store
from tui.workflow import Desk

HERE = Path(__file__).parent
NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # a Monday morning: the office calendar is open


async def shoot(app: PlainDeskApp, name: str, size: tuple[int, int] = (100, 30)) -> None:
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        while app.workers:
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.save_screenshot(str(HERE / f"{name}.svg"))


def main() -> None:
    config = load_config(default_config_path())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        build_demo(path, config, tickets=300, seed=7, now=NOW)
        store = open_store(path)
        desk = Desk(store, config, sign_in(store, config), now=lambda: NOW)
        asyncio.run(shoot(PlainDeskApp(desk), "start"))
        store.close()
    print(f"wrote {HERE / 'start.svg'}")


if __name__ == "__main__":
    main()
