"""Helpers for driving the console with Pilot on a real database file."""

from __future__ import annotations

from textual.pilot import Pilot

from tui.app import PlainDeskApp
from tui.workflow import RequesterInput


async def settle(pilot: Pilot) -> None:
    """Let every worker finish and every message it posted be handled."""
    await pilot.pause()
    while pilot.app.workers:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def queue_lines(app: PlainDeskApp) -> list[str]:
    """The queue as drawn: header and each visible row."""
    queue = app.screen.query_one("#queue")
    return [queue.render_line(y).text for y in range(queue.size.height)]


def person(text: str = "Jo Bloggs <jo@example.org>") -> RequesterInput:
    return RequesterInput.parse(text)
