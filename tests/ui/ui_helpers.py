"""Helpers for driving the console with Pilot on a real database file."""

from __future__ import annotations

from conftest import settle  # noqa: F401 - the tests import it from here

from tui.app import PlainDeskApp
from tui.workflow import RequesterInput


def queue_lines(app: PlainDeskApp) -> list[str]:
    """The queue as drawn: header and each visible row."""
    queue = app.screen.query_one("#queue")
    return [queue.render_line(y).text for y in range(queue.size.height)]


def person(text: str = "Jo Bloggs <jo@example.org>") -> RequesterInput:
    return RequesterInput.parse(text)
