"""TicketQueue: a virtual list of tickets that reads one page at a time, whatever the size of the desk.

It holds the ordered ids of its view (8 bytes each) and the rows of the pages it has drawn; a missing
page is fetched by a thread worker and drawn when it arrives (the Toolong pattern, see STYLE.md).
"""

from __future__ import annotations

import contextlib
from array import array
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Self

from rich.segment import Segment
from textual import events, on, work
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.worker import get_current_worker

from tui.config import Config
from tui.countdown import format_left, row_countdown
from tui.store import StoreError
from tui.store.records import TicketRow
from tui.views import QueueSource
from tui.widgets.line_view import LineView
from tui.widgets.user_text import fit, plain_line

PAGE_SIZE = 100
CACHED_PAGES = 40
"""At most 4,000 rows kept: a million-ticket view costs its ids and these pages, nothing more."""


@dataclass
class _Column:
    title: str
    width: int
    """0: takes the space left."""
    min_screen: int = 0
    """Shown only when the queue is at least this wide."""


COLUMNS = (
    _Column("Ticket", 8),
    _Column("SLA", 10),
    _Column("Priority", 8),
    _Column("Status", 8),
    _Column("Subject", 0),
    _Column("Requester", 14, min_screen=76),
    _Column("Assignee", 12, min_screen=98),
)


class TicketQueue(LineView, can_focus=True):
    """Tickets of one view, one line each, with the nearest SLA as a coloured countdown."""

    COMPONENT_CLASSES = {
        "ticket-queue--header",
        "ticket-queue--cursor",
        "ticket-queue--breached",
        "ticket-queue--warning",
        "ticket-queue--paused",
        "ticket-queue--loading",
    }
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="queue.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="queue.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="queue.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="queue.page_down"),
        Binding("home,g", "jump(0)", "First", show=False, id="queue.first"),
        Binding("end,G", "jump(-1)", "Last", show=False, id="queue.last"),
        Binding("enter", "open", "Open", tooltip="Open the highlighted ticket", id="queue.open"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the highlighted row."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another ticket."""

        queue: TicketQueue
        ticket_id: int | None

        @property
        def control(self) -> TicketQueue:
            return self.queue

    @dataclass
    class Opened(Message):
        """The highlighted ticket was chosen."""

        queue: TicketQueue
        ticket_id: int

        @property
        def control(self) -> TicketQueue:
            return self.queue

    @dataclass
    class Loaded(Message):
        """A view's ids arrived; `count` is how many tickets it holds."""

        queue: TicketQueue
        count: int

        @property
        def control(self) -> TicketQueue:
            return self.queue

    @dataclass
    class _IdsLoaded(Message):
        generation: int
        ids: array
        keep_id: int | None
        first_page: list[TicketRow] | None = None
        """Set on the quick first answer: the first page's rows, before every id has arrived."""

    @dataclass
    class _PageLoaded(Message):
        generation: int
        page: int
        rows: list[TicketRow]

    def __init__(
        self, source: QueueSource, config: Config, now: Callable[[], datetime], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.source = source
        self.config = config
        self.now = now
        self._ids = array("q")
        self._pages: OrderedDict[int, list[TicketRow]] = OrderedDict()
        self._wanted: set[int] = set()
        self._generation = 0
        self._view = None
        self.loading_ids = True
        self._quick_shown = False
        self._jump_to_end = False
        self._stale: dict[int, TicketRow] = {}
        """The rows shown before the view was read again: drawn until their fresh page arrives."""
        self._drawn: dict[int, Strip] = {}
        """Each line of the widget as last drawn, so a refresh can repaint only what changed."""

    # -- data ---------------------------------------------------------------------------------------

    def show_view(self, view: object, keep_id: int | None = None) -> None:
        """Show another view (or the same one again after a change), keeping `keep_id` highlighted."""
        self._view = view
        self._generation += 1
        self.loading_ids = True
        # The ids of the view being left stop being read: on a big desk they would hold the
        # interpreter for half a second while this view is drawn.
        self.workers.cancel_group(self, "queue-ids")
        quick = keep_id is None
        if quick and not getattr(view, "search", None):
            # A new view's first page (one indexed query, 3-10 ms on a million tickets) is read here, so
            # the next frame already holds its rows; a worker reads the ids of the rest. A search can
            # take longer (a common word on a big desk) and stays in the worker, as does a page the
            # busy store would not give at once.
            with contextlib.suppress(StoreError):
                rows = self.source.first_page(view, PAGE_SIZE)
                self._ids_loaded(
                    self._IdsLoaded(self._generation, array("q", (r.id for r in rows)), None, rows)
                )
                # The rest of the ids are read once this page is painted: a worker turning a million
                # rows into ids holds the interpreter half the time and would slow the paint twofold.
                self.call_after_refresh(self._load_rest, view, self._generation)
                return
        self._load_ids(view, self._generation, keep_id, quick=quick)

    def _load_rest(self, view: object, generation: int) -> None:
        if generation == self._generation:  # not if another view was chosen meanwhile
            self._load_ids(view, generation, None, quick=False)

    def reload(self) -> None:
        """Read the view again (someone changed tickets), keeping the highlighted ticket."""
        if self._view is not None:
            self.show_view(self._view, keep_id=self.ticket_id)

    @work(thread=True, exclusive=True, group="queue-ids", exit_on_error=False)
    def _load_ids(self, view: object, generation: int, keep_id: int | None, quick: bool = True) -> None:
        if keep_id is None and quick:  # a new view: draw its first page at once, however many tickets follow
            rows = self.source.first_page(view, PAGE_SIZE)
            if get_current_worker().is_cancelled:
                return
            self.post_message(self._IdsLoaded(generation, array("q", (r.id for r in rows)), None, rows))
        worker = get_current_worker()
        ids = self.source.ids(view, stop=lambda: worker.is_cancelled)
        if ids is not None and not worker.is_cancelled:
            self.post_message(self._IdsLoaded(generation, ids, keep_id))

    @on(_IdsLoaded)
    def _ids_loaded(self, event: _IdsLoaded) -> None:
        event.stop()
        if event.generation != self._generation:
            return
        quick = event.first_page is not None
        kept = self._pages.get(0) if not quick and self._quick_shown else None
        keep_id = self.ticket_id if kept is not None else event.keep_id  # where the person moved to
        same_view = event.keep_id is not None or kept is not None
        self._stale = {r.id: r for rows in self._pages.values() for r in rows} if same_view else {}
        previous = self.ticket_id
        self._ids = event.ids
        self._pages.clear()
        self._wanted.clear()
        if quick:
            self._pages[0] = event.first_page
        elif kept is not None and list(self._ids[: len(kept)]) == [r.id for r in kept]:
            self._pages[0] = kept  # the same first page: no need to read it again
        self._quick_shown = quick
        self.loading_ids = quick
        self._set_rows(len(self._ids))
        index = 0
        if keep_id is not None:
            try:
                index = self._ids.index(keep_id)
            except ValueError:
                index = min(self.cursor, max(len(self._ids) - 1, 0))
        if not quick and self._jump_to_end:
            index, self._jump_to_end = len(self._ids) - 1, False
        if same_view and index == self.cursor:
            self._repaint_changed()  # the same view read again: most lines are as they were
            if self.ticket_id != previous:
                self._announce()
        else:
            self.cursor = index
        if not quick:
            self.post_message(self.Loaded(self, len(self._ids)))
            if self._ids:  # End is a common key: its page is read before it is pressed
                self._request_page((len(self._ids) - 1) // PAGE_SIZE)

    def _request_page(self, page: int) -> None:
        if page in self._wanted:
            return
        self._wanted.add(page)
        self._load_page(page, self._generation, list(self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]))

    @work(thread=True, group="queue-page", exit_on_error=False)
    def _load_page(self, page: int, generation: int, ids: list[int]) -> None:
        self.post_message(self._PageLoaded(generation, page, self.source.rows(ids)))

    @on(_PageLoaded)
    def _page_loaded(self, event: _PageLoaded) -> None:
        event.stop()
        if event.generation != self._generation:
            return
        self._wanted.discard(event.page)
        self._pages[event.page] = event.rows
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        if event.page == self.cursor // PAGE_SIZE:
            self._announce()
        self._repaint_changed()

    def _row(self, index: int) -> TicketRow | None:
        if not 0 <= index < len(self._ids):
            return None
        page, offset = divmod(index, PAGE_SIZE)
        rows = self._pages.get(page)
        if rows is None:
            self._request_page(page)
            return self._stale.get(self._ids[index])
        self._pages.move_to_end(page)
        wanted = self._ids[index]
        if offset < len(rows) and rows[offset].id == wanted:
            return rows[offset]
        # A ticket deleted between the ids and the page: find by id rather than show a neighbour.
        return next((r for r in rows if r.id == wanted), None)

    @property
    def count(self) -> int:
        return len(self._ids)

    @property
    def ticket_id(self) -> int | None:
        return self._ids[self.cursor] if 0 <= self.cursor < len(self._ids) else None

    @property
    def highlighted_row(self) -> TicketRow | None:
        return self._row(self.cursor)

    # -- moving -------------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self._announce()

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._ids) - 1)) if len(self._ids) else 0

    def _announce(self) -> None:
        self.post_message(self.Highlighted(self, self.ticket_id))

    def _scroll_to_cursor(self) -> None:
        rows_visible = max(self.size.height - 1, 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows_visible:
            self.scroll_to(y=self.cursor - rows_visible + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(self.size.height - 2, 1)

    def action_jump(self, where: int) -> None:
        self._jump_to_end = where < 0 and self.loading_ids  # honoured again when every id is in
        self.cursor = where if where >= 0 else len(self._ids) - 1

    def action_open(self) -> None:
        if (ticket_id := self.ticket_id) is not None:
            self.post_message(self.Opened(self, ticket_id))

    def on_click(self, event) -> None:
        index = self.scroll_offset.y + event.y - 1
        if event.y >= 1 and 0 <= index < len(self._ids):
            self.cursor = index
            if event.chain >= 2:
                self.action_open()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._ids) + 1)

    def _set_rows(self, count: int) -> None:
        """Make room to scroll through `count` rows. Only the scrollbar is repainted (by itself): a view
        growing from its first page to every id shows the same lines, and whatever else changed is
        repainted by the cursor or by _repaint_changed."""
        self._sizing = True
        try:
            self.virtual_size = Size(self.size.width, count + 1)
        finally:
            self._sizing = False

    # -- drawing ------------------------------------------------------------------------------------

    def _columns(self) -> list[tuple[_Column, int]]:
        return _columns_for(self.scrollable_content_region.width)

    _restyling = False
    """True while Textual restyles the queue for a change of focus."""
    _sizing = False
    """True while the rows' count changes (_set_rows)."""

    # Textual repaints a widget whole when it gains or loses the focus, twice over: in its focus
    # handlers and when the restyle changes a component's style. Only the cursor's line looks
    # different, so only that line is repainted (a whole queue is ~4 ms of a frame).

    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()  # Widget's own handler would repaint everything
        self.has_focus = True
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self))

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self.has_focus = False
        if self.parent is not None:
            self.parent.post_message(events.DescendantBlur(self))

    def watch_has_focus(self, has_focus: bool) -> None:
        self._restyling = True
        try:
            super().watch_has_focus(has_focus)
        finally:
            self._restyling = False
        self._style_cache.clear()
        y = self.cursor - self.scroll_offset.y + 1  # under the header
        if 0 < y < self.scrollable_content_region.height:
            self.refresh(Region(0, y, self.scrollable_content_region.width, 1))

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        if self._restyling and not (regions or layout or recompose):
            return self  # watch_has_focus repaints what changed
        if self._sizing and not regions:
            repaint = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def render_line(self, y: int) -> Strip:
        strip = self._drawn[y] = self._line(y)
        return strip

    def _repaint_changed(self) -> None:
        """Repaint only the cells that changed since the last frame. Textual sends a refreshed widget
        whole: ~480 bytes per queue line on a wide terminal, every time a minute moved on or another
        agent changed a ticket. Now an idle console sends the few cells of the countdowns that moved."""
        if not self.is_mounted:
            return
        width = self.scrollable_content_region.width
        for y in range(self.scrollable_content_region.height):
            old, new = self._drawn.get(y), self._line(y)
            if old == new:
                continue
            start, end = _changed_cells(old, new, width)
            self.refresh(Region(start, y, end - start, 1))

    def _line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header_strip(width)
        index = self.scroll_offset.y + y - 1
        if index >= len(self._ids):
            if index == 0 and not self.loading_ids:
                text = fit(" No tickets in this view.", width)
                return Strip([Segment(text, self._style("ticket-queue--loading"))])
            return Strip.blank(width, self.rich_style)
        row = self._row(index)
        if row is None:
            style = self._style("ticket-queue--loading")
            return Strip([Segment(fit(f" #{self._ids[index]} …", width), style)])
        return self._row_strip(row, width, index == self.cursor)

    def _header_strip(self, width: int) -> Strip:
        style = self._style("ticket-queue--header")
        text = " ".join(fit(c.title, w) for c, w in self._columns())
        return Strip([Segment(fit(" " + text, width), style)])

    def _row_strip(self, row: TicketRow, width: int, highlighted: bool) -> Strip:
        base = self._style("ticket-queue--cursor") if highlighted else self._style("base")
        countdown = row_countdown(self.config, row)
        now = self.now()
        state = countdown.state(now)
        sla_text = {"paused": "paused", "ok": "", "warning": "!", "breached": ""}[state]
        if state != "paused" and row.next_due is not None:
            sla_text += format_left(countdown.remaining(now))
        elif state == "ok":
            sla_text = "-"
        values = {
            "Ticket": row.ref,
            "SLA": sla_text,
            "Priority": row.priority,
            "Status": row.status,
            "Subject": row.subject,
            "Requester": row.requester,
            "Assignee": row.assignee or "-",
        }
        segments = [Segment(" ", base)]
        for column, cell_width in _columns_for(width):
            style = base
            if column.title == "SLA" and state in ("breached", "warning", "paused"):
                style = base + self._style(f"ticket-queue--{state}", overlay=True)
            if len(segments) > 1:
                segments.append(Segment(" ", base))
            segments.append(Segment(_cell(values[column.title], cell_width), style))
        used = sum(s.cell_length for s in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        elif used > width:  # a terminal too narrow for the columns
            return Strip(segments).crop(0, width)
        return Strip(segments, width)

    def tick(self) -> None:
        """Redraw the countdowns (the minutes move on; nothing is read)."""
        self._repaint_changed()


@lru_cache(maxsize=4096)
def _cell(text: str | None, width: int) -> str:
    """A value as its cell shows it: one clean line, cut or padded to the width. The same subjects,
    names and statuses are drawn frame after frame."""
    return fit(plain_line(text), width)


@lru_cache(maxsize=8)
def _columns_for(width: int) -> list[tuple[_Column, int]]:
    """The columns a queue this wide shows, each with its width."""
    shown = [c for c in COLUMNS if width >= c.min_screen]
    fixed = sum(c.width + 1 for c in shown if c.width)  # each with the space before the next
    return [(c, c.width or max(width - fixed - 1, 8)) for c in shown]


def _changed_cells(old: Strip | None, new: Strip, width: int) -> tuple[int, int]:
    """The span of cells [start, end) where two lines differ; the whole line unless only text moved."""
    if old is None or old.cell_length != new.cell_length:
        return 0, width
    old_segments, new_segments = list(old), list(new)
    if [(s.style, s.cell_length) for s in old_segments] != [(s.style, s.cell_length) for s in new_segments]:
        return 0, width
    start = end = None
    x = 0
    for before, after in zip(old_segments, new_segments, strict=True):
        if before.text != after.text:
            start = x if start is None else start
            end = x + after.cell_length
        x += after.cell_length
    return (start or 0, end or width)
