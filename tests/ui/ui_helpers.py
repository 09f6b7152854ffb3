"""Helpers for driving the console with Pilot on a real database file."""

from __future__ import annotations

from conftest import settle  # noqa: F401 - the tests import it from here

from tui.app import PlainDeskApp
from tui.workflow import RequesterInput


def queue_lines(app: PlainDeskApp) -> list[str]:
    """The queue as drawn: header and each visible row."""
    queue = app.screen.query_one("#queue")
    return [queue.render_line(y).text for y in range(queue.size.height)]


def painted(app: PlainDeskApp, selector: str) -> str:
    """The lines of a widget as the screen holds them, from the compositor's strips: a line that was
    worked out but never repainted would still show its old text here."""
    region = app.screen.query_one(selector).region
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.crop(region.x, region.right).text for strip in strips[region.y : region.bottom])


def person(text: str = "Jo Bloggs <jo@example.org>") -> RequesterInput:
    return RequesterInput.parse(text)
