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


def dialog_choices(app: PlainDeskApp) -> list[str]:
    """The labels of the open choice dialog, top to bottom."""
    options = app.screen.query_one("ChoiceDialog OptionList")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def choose(pilot, label: str) -> None:
    """Choose `label` in the open choice dialog with the arrow keys and Enter, as a person would."""
    await pilot.press(*["down"] * dialog_choices(pilot.app).index(label), "enter")
    await settle(pilot)
