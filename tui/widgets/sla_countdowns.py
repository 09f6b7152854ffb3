"""SlaCountdowns: the tickets that breach next, counting down live in business time.

The rows come from one load (after a change in the store). Each second only the countdown texts are
worked out again, from the calendar, and only the cells whose text changed are sent to the terminal:
the pane is one widget that draws its own lines (as the queue does), so a tick repaints a few cells
rather than restyling some eighty widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tui.countdown import CLOCK_LABELS, Countdown, format_left
from tui.widgets.line_view import LineView
from tui.widgets.user_text import fit, plain_line

SECONDS_SHOWN = timedelta(minutes=1)
"""Seconds show only in the last minute before (and after) the target: that is when they matter, and
twenty rows each repainted every second would send ~1 KB/s over every agent's SSH connection."""
LEFT_WIDTH = 15
"""The time left, right-aligned, then two spaces: "late 3d 4h", "paused 2h 10m", "! 5m 22s". It comes
first on the line because Textual repaints a line from the widget's left edge up to the last cell that
changed: a tick then sends only these cells (about 50 bytes)."""
WHAT_WIDTH = 21
"""Reference and what is promised: "#123456 next update "."""
EMPTY = "No open ticket has a running SLA clock."


@dataclass(frozen=True)
class CountdownLine:
    """One row as shown: what is promised, the time left, the subject, and the state that colours it."""

    what: str
    left: str
    subject: str
    state: str

    @property
    def text(self) -> str:
        return f"{self.left}  {self.what}{self.subject}".rstrip()


def countdown_line(countdown: Countdown, now: datetime) -> CountdownLine:
    state = countdown.state(now)
    remaining = countdown.remaining(now)
    close = remaining is not None and abs(remaining) < SECONDS_SHOWN
    left = format_left(remaining, seconds=close)
    label = {
        "breached": f"late {left.lstrip('-')}",
        "paused": f"paused {left}",
        "warning": f"! {left}",
    }.get(state, left)
    what = CLOCK_LABELS.get(countdown.clock, "due")
    return CountdownLine(
        fit(f"{countdown.ref:>7} {what:<12} ", WHAT_WIDTH),
        f"{label:>{LEFT_WIDTH - 2}}"[-(LEFT_WIDTH - 2) :],
        plain_line(countdown.subject),
        state,
    )


class SlaCountdowns(LineView, can_focus=True):
    """The pane of live countdowns: one line per ticket, a cursor when focused, Enter opens it."""

    COMPONENT_CLASSES = {
        "sla-countdowns--cursor",
        "sla-countdowns--warning",
        "sla-countdowns--breached",
        "sla-countdowns--paused",
        "sla-countdowns--empty",
    }
    BINDINGS = [
        Binding("down,j", "cursor(1)", "Down", show=False, id="sla.down"),
        Binding("up,k", "cursor(-1)", "Up", show=False, id="sla.up"),
        Binding("enter", "open", "Open", tooltip="Open this ticket", id="sla.open"),
    ]

    cursor: reactive[int] = reactive(0)
    """Index of the highlighted countdown."""

    @dataclass
    class Opened(Message):
        """A countdown's ticket was chosen."""

        ticket_id: int

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.now = now
        self.countdowns: list[Countdown] = []
        self.lines: list[CountdownLine] = []
        """What each row shows now."""

    # -- data ---------------------------------------------------------------------------------------

    def show(self, countdowns: list[Countdown]) -> None:
        """Other countdowns (after a load); the highlighted ticket stays highlighted if still here."""
        keep = self.ticket_id
        self.countdowns = list(countdowns)
        ids = [c.ticket_id for c in self.countdowns]
        if keep in ids:
            self.set_reactive(SlaCountdowns.cursor, ids.index(keep))
        self.cursor = self.cursor  # clamped to the new rows
        self.virtual_size = Size(self.size.width, max(len(self.countdowns), 1))
        self._update(self.now(), whole_lines=True)

    def tick(self) -> None:
        """Work out every countdown again; repaint only the cells that changed."""
        self._update(self.now(), whole_lines=False)

    def _update(self, now: datetime, whole_lines: bool) -> None:
        old = self.lines
        self.lines = [countdown_line(c, now) for c in self.countdowns]
        if len(old) != len(self.lines) or not self.is_mounted:
            self.refresh()
            return
        top, width = self.scroll_offset.y, self.scrollable_content_region.width
        for index, (before, after) in enumerate(zip(old, self.lines, strict=True)):
            y = index - top
            if before == after or not 0 <= y < self.size.height:
                continue
            if whole_lines or before.state != after.state or before.what != after.what:
                self.refresh(Region(0, y, width, 1))
            else:  # the usual second: only the time left moved on
                self.refresh(Region(0, y, LEFT_WIDTH, 1))
                if before.subject != after.subject:
                    self.refresh(Region(LEFT_WIDTH, y, width, 1))

    @property
    def ticket_id(self) -> int | None:
        if 0 <= self.cursor < len(self.countdowns):
            return self.countdowns[self.cursor].ticket_id
        return None

    # -- moving -------------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.countdowns) - 1))

    def watch_cursor(self) -> None:
        top, height = self.scroll_offset.y, max(self.size.height, 1)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_open(self) -> None:
        if (ticket_id := self.ticket_id) is not None:
            self.post_message(self.Opened(ticket_id))

    def on_click(self, event) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.countdowns):
            self.cursor = index
            if event.chain >= 2:
                self.action_open()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, max(len(self.countdowns), 1))

    # -- drawing ------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if not self.lines:
            if y == 0 and self.is_mounted:
                style = self._style("sla-countdowns--empty")
                return Strip([Segment(fit(f" {EMPTY}", width), style)])
            return Strip.blank(width, self._style("base"))
        if index >= len(self.lines):
            return Strip.blank(width, self._style("base"))
        line = self.lines[index]
        style = self._style("base")
        if line.state in ("warning", "breached", "paused"):
            style += self._style(f"sla-countdowns--{line.state}")
        if index == self.cursor and self.has_focus:
            style += self._style("sla-countdowns--cursor")
        rest = max(width - WHAT_WIDTH - LEFT_WIDTH, 0)
        segments = [
            Segment(line.left + "  ", style),
            Segment(line.what, style),
            Segment(fit(line.subject, rest), style),
        ]
        return Strip(segments).crop(0, width)
