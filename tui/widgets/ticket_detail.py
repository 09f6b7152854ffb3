"""TicketDetail: one ticket's header, its three SLA clocks, the conversation and the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.sla import Clock
from tui.store.records import TicketRecord
from tui.widgets.theme_colours import theme_colour
from tui.widgets.user_text import plain_line, safe_text
from tui.words import CLOCK_LABELS, KIND_LABELS, clock_line, local_time

KIND_STYLES = {
    "public_reply": "bold",
    "internal_note": "bold reverse",
    "requester": "bold underline",
    "system": "dim",
}
"""How each kind of message is told apart without colour (NO_COLOR and 16-colour terminals)."""
RECENT_MESSAGES = 12
"""A long conversation shows its first message and this many of the latest; `v` shows it whole.
Drawing every line of a 200-message thread took over half a second, and the latest are what an
agent opens a ticket to read."""
RECENT_EVENTS = 15


@dataclass(frozen=True)
class TicketPage:
    """Everything the detail pane shows, loaded together off the UI thread."""

    ticket: TicketRecord
    clocks: dict[str, Clock]
    viewers: list[str]
    """Other agents who have the ticket open now."""
    now: datetime
    zone: ZoneInfo


class TicketDetail(VerticalScroll):
    """The open ticket, read-only; actions are keys on the console screen."""

    whole = False
    """Show every message and change, not only the first and the latest (`v`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: dict[str, Text] = {}
        self._header_state = "ok"
        """ok, warning or breached: the colour of the line under the header."""

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._paint_header_line())

    def compose(self) -> ComposeResult:
        yield Static(
            "No ticket open. Choose one in the queue and press Enter.", id="detail-header", markup=False
        )
        yield Static("", id="detail-viewers", markup=False)
        yield Static("", id="detail-thread", markup=False)
        yield Static("", id="detail-history", markup=False)

    def show(self, page: TicketPage) -> None:
        ticket, zone = page.ticket, page.zone
        header = Text()
        header.append(f"{ticket.ref} ", style="bold")
        header.append(plain_line(ticket.subject), style="bold")
        header.append("\n")
        who = plain_line(ticket.requester_name)
        if ticket.requester_department:
            who += f" ({plain_line(ticket.requester_department)})"
        if ticket.requester_email:
            who += f" <{plain_line(ticket.requester_email)}>"
        header.append(f"From {who}\n")
        header.append(
            f"Status {ticket.status} · Priority {ticket.priority} · Category {ticket.category or '-'} · "
            f"Channel {ticket.channel}\n"
        )
        header.append(
            f"Assignee {plain_line(ticket.assignee) or 'nobody'} · Group {ticket.group or '-'} · "
            f"Tags {', '.join(ticket.tags) or '-'}"
        )
        if ticket.flagged:
            header.append(" · flagged for the team lead", style="bold")
        if ticket.merged_into:
            header.append(f"\nMerged into #{ticket.merged_into}", style="bold")
        for name, clock in page.clocks.items():
            line = clock_line(clock, page.now, zone)
            style = "bold" if clock.breached else ("italic" if clock.warning else "")
            header.append(f"\n{CLOCK_LABELS[name]:<15} ")
            header.append(line, style=style)
            if clock.breached:
                header.append(" ", style="")
        self._update("#detail-header", header)
        self._set_classes(page)
        viewers = self.query_one("#detail-viewers", Static)
        if page.viewers:
            names = ", ".join(plain_line(n) for n in page.viewers)
            viewers.update(Text(f"Also open by {names} right now.", style="bold"))
            viewers.display = True
        else:
            viewers.display = False
        self._update("#detail-thread", _thread(ticket, zone, self.whole))
        self._update("#detail-history", _history(ticket, zone, self.whole))

    def _update(self, selector: str, text: Text) -> None:
        """Show `text` unless it is already shown: the pane is read again after every write to the
        store (another agent opening a ticket, a draft saved), and laying out a long thread again
        cost ~40 ms for nothing."""
        if self._shown.get(selector) != text:
            self._shown[selector] = text
            self.query_one(selector, Static).update(text)

    def _set_classes(self, page: TicketPage) -> None:
        """The line under the header: amber when a promise is close to breaking, red once broken."""
        clocks = page.clocks.values()
        state = "breached" if any(c.breached for c in clocks) else "ok"
        if state == "ok" and any(c.warning for c in clocks):
            state = "warning"
        if state != self._header_state:
            self._header_state = state
            self._paint_header_line()

    def _paint_header_line(self) -> None:
        # Set on the header itself: a class on the pane would restyle all it holds (~2 ms a ticket).
        header = self.query_one("#detail-header", Static)
        if self._header_state == "ok":
            header.styles.border_bottom = None  # the stylesheet's line
            return
        line, colour = {"breached": ("heavy", "error"), "warning": ("solid", "warning")}[self._header_state]
        header.styles.border_bottom = (line, theme_colour(self.app, colour))

    def watch_has_focus(self, has_focus: bool) -> None:
        # Nothing inside the ticket looks different when the pane has the focus: restyle the pane
        # alone, not its four blocks of text as Textual would (~2 ms each time a ticket opens).
        self.app.stylesheet.update_nodes([self], animate=True)

    def clear(self) -> None:
        self.query_one("#detail-header", Static).update(
            "No ticket open. Choose one in the queue and press Enter."
        )
        for name in ("#detail-viewers", "#detail-thread", "#detail-history"):
            self.query_one(name, Static).update("")
        self._shown.clear()


def _thread(ticket: TicketRecord, zone: ZoneInfo, whole: bool) -> Text:
    text = Text()
    text.append("Conversation\n", style="bold underline")
    if not ticket.messages:
        text.append("No messages yet.\n", style="dim")
    messages = list(ticket.messages)
    hidden = 0 if whole else len(messages) - 1 - RECENT_MESSAGES
    for number, message in enumerate(messages):
        if hidden > 0 and 0 < number <= hidden:
            if number == 1:
                _hidden_line(text, hidden, "earlier message", "the whole conversation")
            continue
        label = KIND_LABELS.get(message.kind, message.kind)
        marker = {"internal_note": "▌ NOTE (agents only) ", "requester": "◆ "}.get(message.kind, "")
        text.append(
            f"{marker}{label} · {plain_line(message.author)} · {local_time(message.created_at, zone)}\n",
            style=KIND_STYLES.get(message.kind, ""),
        )
        body = safe_text(message.body).rstrip()
        prefix = "▌ " if message.kind == "internal_note" else "  "
        for line in body.splitlines() or [""]:
            text.append(prefix + line + "\n", style="italic" if message.kind == "internal_note" else "")
        text.append("\n")
    return text


def _history(ticket: TicketRecord, zone: ZoneInfo, whole: bool) -> Text:
    text = Text()
    text.append("History\n", style="bold underline")
    events = list(ticket.events)
    hidden = 0 if whole else len(events) - RECENT_EVENTS
    if hidden > 0:
        _hidden_line(text, hidden, "earlier change", "every change")
        events = events[hidden:]
    for event in events:
        text.append(
            f"{local_time(event.at, zone)}  {plain_line(event.actor)}: {plain_line(event.describe())}\n"
        )
    return text


def _hidden_line(text: Text, count: int, what: str, whole: str) -> None:
    text.append(
        f"··· {count:,} {what}{'s' if count != 1 else ''} not shown · v shows {whole} ···\n\n", style="dim"
    )
