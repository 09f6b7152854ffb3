"""SlaCountdowns: the tickets that breach next, counting down live in business time.

The rows come from one load (after a change in the store); each second only the countdown texts are
worked out again, from the calendar, and only the ones whose text changed are redrawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from tui.countdown import CLOCK_LABELS, Countdown, format_left
from tui.widgets.user_text import plain_line

SECONDS_SHOWN = timedelta(minutes=10)


class CountdownRow(Widget, can_focus=True):
    """One ticket: reference and what is promised, the time left, the subject.

    The time left is a widget of its own, so each second only its few cells are sent to the terminal:
    whole rows were ~130 bytes each over SSH, and twenty rows a second 2.6 KB/s per console.
    """

    BINDINGS = [Binding("enter", "open", "Open", tooltip="Open this ticket", id="sla.open")]

    def __init__(self, countdown: Countdown) -> None:
        super().__init__()
        self.countdown = countdown
        self._parts = ("", "", "")
        self._state = ""

    def compose(self) -> ComposeResult:
        yield Static("", classes="countdown-what", markup=False)
        yield Static("", classes="countdown-left", markup=False)
        yield Static("", classes="countdown-subject", markup=False)

    @property
    def text(self) -> str:
        """The row as shown."""
        what, left, subject = self._parts
        return f"{what} {left}  {subject}"

    def show(self, countdown: Countdown, now: datetime) -> None:
        """Another countdown in this row (the pane was reloaded)."""
        self.countdown = countdown
        self.tick(now)

    def tick(self, now: datetime) -> None:
        state = self.countdown.state(now)
        remaining = self.countdown.remaining(now)
        # Seconds only in the last ten minutes either side of the target, where they matter.
        close = remaining is not None and abs(remaining) < SECONDS_SHOWN
        left = format_left(remaining, seconds=close)
        what = CLOCK_LABELS.get(self.countdown.clock, "due")
        label = {
            "breached": f"late {left.lstrip('-')}",
            "paused": f"paused {left}",
            "warning": f"! {left}",
        }.get(state, left)
        parts = (f"{self.countdown.ref:>7} {what:<12}", label, plain_line(self.countdown.subject))
        if self.is_mounted:
            for widget, old, new in zip(self.query(Static), self._parts, parts, strict=True):
                if old != new:  # a fixed size: no layout pass, only these cells are redrawn
                    widget.update(Text(new, no_wrap=True, overflow="ellipsis"), layout=False)
            self._parts = parts
        else:
            self._parts = parts
        if state != self._state:
            self.remove_class(f"-{self._state}") if self._state else None
            self._state = state
            self.add_class(f"-{state}")

    def on_mount(self) -> None:
        for widget, part in zip(self.query(Static), self._parts, strict=True):
            widget.update(Text(part, no_wrap=True, overflow="ellipsis"))

    def action_open(self) -> None:
        self.post_message(SlaCountdowns.Opened(self.countdown.ticket_id))


class SlaCountdowns(VerticalScroll):
    """The pane of live countdowns."""

    BINDINGS = [
        Binding("down,j", "focus_next_row(1)", "Down", show=False, id="sla.down"),
        Binding("up,k", "focus_next_row(-1)", "Up", show=False, id="sla.up"),
    ]

    @dataclass
    class Opened(Message):
        """A countdown's ticket was chosen."""

        ticket_id: int

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.now = now
        self.can_focus = False

    def show(self, countdowns: list[Countdown]) -> None:
        """Replace the rows (after a load); keeps the focused ticket focused."""
        focused = self.screen.focused
        keep = focused.countdown.ticket_id if isinstance(focused, CountdownRow) else None
        existing = list(self.query(CountdownRow))
        if countdowns and len(existing) == len(countdowns):
            # The same number of rows (the usual case after someone's change): each row takes its new
            # countdown and redraws only if its line changed; rebuilding twenty widgets cost ~50 ms.
            now = self.now()
            for row, countdown in zip(existing, countdowns, strict=True):
                row.show(countdown, now)
                if countdown.ticket_id == keep and row is not focused:
                    row.focus()
            return
        self.remove_children()
        rows = [CountdownRow(c) for c in countdowns]
        if not rows:
            self.mount(Static("No open ticket has a running SLA clock.", markup=False, classes="empty"))
            return
        self.mount_all(rows)
        now = self.now()
        for row in rows:
            row.tick(now)
            if row.countdown.ticket_id == keep:
                self.call_after_refresh(row.focus)

    def tick(self) -> None:
        now = self.now()
        for row in self.query(CountdownRow):
            row.tick(now)

    def action_focus_next_row(self, step: int) -> None:
        rows = list(self.query(CountdownRow))
        if not rows:
            return
        focused = self.screen.focused
        index = rows.index(focused) if focused in rows else -step
        rows[max(0, min(index + step, len(rows) - 1))].focus()
