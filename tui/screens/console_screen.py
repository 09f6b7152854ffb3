"""ConsoleScreen: the agent's four panes — queue, ticket, SLA countdowns and the reply helper.

Wide terminals show all four; below 120 columns one pane shows at a time (F2–F5 switch). The screen
loads everything in thread workers and watches the database for other agents' changes once a second.
"""

from __future__ import annotations

import contextlib
import gc
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Self
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Vertical
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from tui.config import ConfigError
from tui.countdown import Countdown
from tui.plain.when import plain_when
from tui.screens.bar_actions import BarActions
from tui.screens.ticket_actions import TicketActions
from tui.session import AgentSession
from tui.store import StoreError
from tui.views import (
    QUEUE_VIEWS,
    SORT_NAMES,
    QueueSource,
    build_view,
    count_label,
    describe_filters,
    queue_view,
)
from tui.widgets.dialog import Dialog
from tui.widgets.key_bar import KeyBar
from tui.widgets.sla_countdowns import SlaCountdowns
from tui.widgets.theme_colours import theme_colour
from tui.widgets.ticket_detail import TicketDetail, TicketPage
from tui.widgets.ticket_queue import TicketQueue
from tui.widgets.user_text import plain_line
from tui.workflow import Desk

if TYPE_CHECKING:
    from tui.plain.checker import Checker
    from tui.widgets.reply_helper import ReplyHelper

PANES = ("queue", "detail", "sla", "reply")
PRESENCE_SECONDS = 30
REFRESH_GAP = 1.0
"""Least seconds between two refreshes after other agents' changes."""
BIG_VIEW = 10_000
BIG_REFRESH_GAP = 5.0
"""Seconds between refreshes when the queue shows more than BIG_VIEW tickets."""
COUNTS_GAP = 15
"""Least seconds between two recounts of every view (counting a big desk's views takes a moment)."""
QUEUE_TICK_SECONDS = 30
"""Queue countdowns show minutes, so redrawing them twice a minute is enough."""


@dataclass
class CountsLoaded(Message):
    counts: dict[str, int]


@dataclass
class CheckerLoaded(Message):
    checker: Checker


@dataclass
class CountdownsLoaded(Message):
    countdowns: list[Countdown]
    late: int
    """Open tickets already past a target (not in the countdowns)."""


@dataclass
class TicketLoaded(Message):
    page: TicketPage
    draft: tuple[str, str] | None
    """(kind, body) of a saved draft, on first opening only."""
    first: bool


class ConsoleScreen(TicketActions, BarActions, Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("f2", "pane('queue')", "Queue", tooltip="Show the ticket queue", id="console.queue"),
        Binding("f3", "pane('detail')", "Ticket", tooltip="Show the open ticket", id="console.ticket"),
        Binding("f4", "pane('sla')", "SLA", tooltip="Show the tickets that breach next", id="console.sla"),
        Binding("f5", "pane('reply')", "Reply box", tooltip="Show the reply helper", id="console.reply_box"),
        Binding("escape", "back", "Back", show=False, tooltip="Back to the queue", id="console.back"),
        *[
            Binding(
                str(i),
                f"view('{v.key}')",
                v.title,
                show=False,
                tooltip=f"Queue view: {v.title}",
                id=f"console.view_{v.key}",
            )
            for i, v in enumerate(QUEUE_VIEWS, 1)
        ],
        Binding("slash", "search", "Search", tooltip="Find tickets by words in them", id="console.search"),
        Binding("f", "filter", "Filter", tooltip="Filter the queue by a field", id="console.filter"),
        Binding(
            "x", "clear_filters", "Clear", show=False, tooltip="Clear filters and search", id="console.clear"
        ),
        Binding("S", "sort", "Sort", tooltip="Change the queue order", id="console.sort"),
        Binding(
            "T", "theme", "Theme", show=False, tooltip="Dark, light or high-contrast", id="console.theme"
        ),
        Binding(
            "R",
            "reports",
            "Reports",
            tooltip="SLA, backlog, volume and satisfaction figures",
            id="console.reports",
        ),
        *BarActions.BAR_BINDINGS,
        *TicketActions.ACTION_BINDINGS,
    ]

    pane: reactive[str] = reactive("queue", repaint=False, always_update=True)
    """The pane shown on a narrow terminal (all show on a wide one). Its watcher shows and focuses
    it, even when it is the pane already chosen (Tab may have moved the focus away); a repaint of
    the whole screen besides would cost a frame of ~25 ms at 160×50."""
    focused: reactive[Widget | None] = reactive(None, repaint=False)
    """Screen's own, without the repaint: Textual would redraw the whole screen on every change of
    focus (36 KB at 160×50); the widgets whose look depends on the focus restyle themselves."""

    def __init__(
        self,
        desk: Desk,
        session: AgentSession,
        checker: Checker | None,
        zone: ZoneInfo,
        open_ticket: int | None = None,
    ) -> None:
        super().__init__()
        self.desk = desk
        self.checker = checker
        self.session = session
        self.zone = zone
        self.login = desk.actor.login or ""
        self.view_key = "open"  # what breaches next across the desk; 1 shows my own
        self.sort: str | None = None
        """None: the view's own order (soonest due; solved tickets newest first)."""
        self.filters: dict[str, str] = {}
        self.search = ""
        self.ticket_id: int | None = open_ticket
        self.page: TicketPage | None = None
        self.counts: dict[str, int] = {}
        self._watcher = None
        self._last_event = 0
        self._draft_timer = None
        self._changed = False
        self._refreshed_at = 0.0
        self._counts_stale = False
        self._counted_at = 0.0
        self._focused_pane: Widget | None = None
        self.panes_ready = False
        """False until the ticket, SLA and reply panes are mounted, just after the first frame."""
        self._detail_when_loaded = False
        """Move to the ticket pane once the ticket chosen has loaded: moving first would make the
        screen redraw twice, and the second drawing wait for the first."""

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        # Textual lays the screen out and repaints all of it when a widget (a dialog) is mounted on
        # it or leaves it; the layout alone repaints every widget that appeared, moved or went.
        if layout and not regions:
            repaint = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def compose(self) -> ComposeResult:
        yield Static("", id="top-bar", markup=False)
        with Vertical(id="panes"):
            with Vertical(id="queue-pane", classes="pane"):
                yield Static("", id="view-bar", markup=False)
                yield Static("", id="queue-status", markup=False)
                yield TicketQueue(QueueSource(self.desk.store), self.desk.config, self.desk.now, id="queue")
            # The other panes fill in once the queue is on screen (see _fill_panes).
            yield Vertical(id="detail-pane", classes="pane")
            with Vertical(id="sla-pane", classes="pane"):
                yield Static("Breaching next (business time left)", classes="pane-title", markup=False)
            yield Vertical(id="reply-pane", classes="pane")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_top_bar()
        self.show_queue()
        self.query_one(TicketQueue).focus()
        self.call_after_refresh(self._fill_panes)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._mark_focused_pane(anew=True))

    @on(events.DescendantFocus)
    @on(events.DescendantBlur)
    def _focus_moved(self) -> None:
        self._mark_focused_pane()

    def _mark_focused_pane(self, anew: bool = False) -> None:
        """Give the pane holding the focus the accent border, set on the pane itself: a :focus-within
        rule would have Textual restyle every widget in the pane the focus left and in the one it
        entered (~6 ms each time a ticket opens or a dialog closes)."""
        focused = self.focused
        pane = (
            next((n for n in focused.ancestors_with_self if n.has_class("pane")), None) if focused else None
        )
        if pane is self._focused_pane and not anew:
            return
        changed = self.query(".pane") if anew else [p for p in (self._focused_pane, pane) if p is not None]
        self._focused_pane = pane
        for each in changed:
            colour = Color.parse(theme_colour(self.app, "accent" if each is pane else "panel-lighten-2"))
            for edge in ("border_top", "border_right", "border_bottom", "border_left"):
                each.styles.set_rule(edge, ("round", colour))
            # Only the border's cells: `styles.border = …` would repaint the whole pane (~7 KB).
            (width, height), (x, y) = each.outer_size, -each.content_offset  # refresh() counts from inside
            each.refresh(
                Region(x, y, width, 1),
                Region(x, y + height - 1, width, 1),
                Region(x, y, 1, height),
                Region(x + width - 1, y, 1, height),
            )

    async def _fill_panes(self) -> None:
        """The ticket, SLA and reply panes, and all background reading, wait for the first frame:
        the queue a person came for is on screen sooner, and nothing there is lost meanwhile."""
        from tui.widgets.reply_helper import ReplyHelper  # its editor loads after the first frame

        reply = ReplyHelper(self.checker, id="reply")
        await self.query_one("#detail-pane").mount(TicketDetail(id="detail"))
        await self.query_one("#sla-pane").mount(SlaCountdowns(self.desk.now, id="sla"))
        await self.query_one("#reply-pane").mount(reply)
        reply.ready = False
        reply.query_one("#reply-title", Static).update("Open a ticket to write a reply or a note (r or n).")
        self.panes_ready = True
        self.load_counts()
        self.load_countdowns()
        if self.checker is None:
            self.load_checker()
        self.start_watching()
        self.set_interval(1, self._every_second)
        self.set_interval(QUEUE_TICK_SECONDS, self.query_one(TicketQueue).tick)
        self.set_interval(PRESENCE_SECONDS, self._still_viewing)
        if self.ticket_id is not None:
            self.open_ticket(self.ticket_id)
        # Python's full garbage collections scan every object it tracks: ~110,000 once Textual and
        # the console are up, 50-100 ms that fell on whichever key was pressed. What is alive now
        # lives as long as the console, so the collector is told to leave it be.
        gc.freeze()

    # -- the queue ----------------------------------------------------------------------------------

    def current_view(self):
        return build_view(self.view_key, self.login, self.desk.now(), self.sort, self.filters, self.search)

    def show_queue(self, keep_id: int | None = None) -> None:
        self.query_one(TicketQueue).show_view(self.current_view(), keep_id)
        self._show_view_bar()

    def _show_view_bar(self) -> None:
        bar = Text()
        # Lines are broken between views, never inside one ("5" at the end of a line, "Pending"
        # at the start of the next); before the first layout the width is 0 and Rich wraps it.
        width, used = self.query_one("#view-bar", Static).content_region.width, 0
        for number, view in enumerate(QUEUE_VIEWS, 1):
            count = self.counts.get(view.key)
            label = f" {number} {view.title}" + (f" {count_label(count)}" if count is not None else "") + " "
            if used and width and used + cell_len(label) > width:
                bar.append("\n")
                used = 0
            bar.append(label, style="reverse bold" if view.key == self.view_key else "")
            used += cell_len(label)
        self.query_one("#view-bar", Static).update(bar)
        status = f"Order: {SORT_NAMES[self.sort or queue_view(self.view_key).default_sort]}"
        if self.filters:
            status += f" · Filter: {describe_filters(self.filters)}"
        if self.search:
            status += f" · Search: {plain_line(self.search)}"
        queue = self.query_one(TicketQueue)
        if not queue.loading_ids:
            status += f" · {queue.count:,} ticket{'s' if queue.count != 1 else ''}"
        status += "   (/ search, f filter, x clear, S sort)"
        self.query_one("#queue-status", Static).update(status)

    def _show_top_bar(self) -> None:
        name = plain_line(self.desk.actor.name)
        self.query_one("#top-bar", Static).update(
            Text.assemble(("PlainDesk", "bold"), f"  ·  {name}  ·  {self.desk.store.path.name}  ·  F1 help")
        )

    @on(TicketQueue.Loaded)
    def _queue_loaded(self, event: TicketQueue.Loaded) -> None:
        if not self.filters and not self.search:
            self.counts[self.view_key] = event.count
        self._show_view_bar()

    @on(TicketQueue.Opened)
    def _queue_opened(self, event: TicketQueue.Opened) -> None:
        self.open_ticket(event.ticket_id)
        self._detail_when_loaded = True

    @on(SlaCountdowns.Opened)
    def _countdown_opened(self, event: SlaCountdowns.Opened) -> None:
        self.open_ticket(event.ticket_id)
        self._detail_when_loaded = True

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def load_counts(self) -> None:
        self._counted_at = time.monotonic()
        counts = QueueSource(self.desk.store).counts(self.login, self.desk.now())
        if not get_current_worker().is_cancelled:
            self.post_message(CountsLoaded(counts))

    @on(CountsLoaded)
    def _counts_loaded(self, event: CountsLoaded) -> None:
        self.counts = event.counts
        self._show_view_bar()

    @work(thread=True, exclusive=True, group="countdowns", exit_on_error=False)
    def load_countdowns(self) -> None:
        countdowns, late = self.session.next_breaches(), self.session.late_count()
        if not get_current_worker().is_cancelled:
            self.post_message(CountdownsLoaded(countdowns, late))

    @on(CountdownsLoaded)
    def _countdowns_loaded(self, event: CountdownsLoaded) -> None:
        self.query_one(SlaCountdowns).show(event.countdowns)
        title = "Breaching next (business time left)"
        if event.late:
            title += f" · {event.late:,} already late (4 lists them)"
        self.query_one("#sla-pane .pane-title", Static).update(title)

    @work(thread=True, exclusive=True, group="checker", exit_on_error=False)
    def load_checker(self) -> None:
        """Read the plain-language rules (a second or so) after the queue is on screen."""
        from tui.plain.checker import checker_for

        try:
            checker = checker_for(self.desk.config.plain)
        except ConfigError as error:
            self.app.call_from_thread(
                self.notify,
                f"The reply helper is off: {error}",
                title="Plain-language rules",
                severity="error",
                timeout=30,
                markup=False,
            )
            return
        self.post_message(CheckerLoaded(checker))

    @on(CheckerLoaded)
    def _checker_loaded(self, event: CheckerLoaded) -> None:
        self.checker = event.checker
        reply = self.reply_helper()
        reply.checker = event.checker
        if self.page is not None:  # with no ticket open there is nothing to check yet
            reply._check()

    # -- the open ticket ----------------------------------------------------------------------------

    def open_ticket(self, ticket_id: int) -> None:
        if not self.panes_ready:
            self.ticket_id = ticket_id  # opened as soon as its pane is there
            return
        first = ticket_id != (self.page.ticket.id if self.page else None)
        if first:
            self._flush_draft()
        self.ticket_id = ticket_id
        self.load_ticket(ticket_id, first)

    @work(thread=True, exclusive=True, group="ticket", exit_on_error=False)
    def load_ticket(self, ticket_id: int, first: bool) -> None:
        try:
            page = TicketPage(
                self.desk.ticket(ticket_id),
                self.desk.clocks(ticket_id),
                self.session.other_viewers(ticket_id),
                self.desk.now(),
                self.zone,
            )
            draft = self.session.draft(ticket_id) if first else None
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        if get_current_worker().is_cancelled:
            return
        self.post_message(TicketLoaded(page, (draft.kind, draft.body) if draft else None, first))
        if first and not get_current_worker().is_cancelled:  # after the page: this is a write (~40 ms)
            try:
                self.session.viewing(ticket_id)
            except StoreError as error:
                self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)

    @on(TicketLoaded)
    def _ticket_loaded(self, event: TicketLoaded) -> None:
        if event.page.ticket.id != self.ticket_id:
            return
        self.page = event.page
        detail = self.query_one(TicketDetail)
        if event.first:
            detail.whole = False  # each ticket opens showing its first and latest messages
        detail.show(event.page)
        if self._detail_when_loaded:
            self._detail_when_loaded = False
            self.pane = "detail"
        reply = self.reply_helper()
        reply.ready = True
        reply.next_update_words = self._next_update_words(event.page)
        ticket = event.page.ticket
        reply.fill_ins = {
            "name": (plain_line(ticket.requester_name).split() or [""])[0],
            "agent": (plain_line(self.desk.actor.name).split() or [""])[0],
            "reference": ticket.ref,
            "next_update": (reply.next_update_words or "").removeprefix("by "),
        }
        if event.first:
            kind, body = event.draft or ("reply", "")
            reply.load(body, kind)
            if event.draft:
                self.notify("Your unsent draft is back in the reply box.", markup=False)
        else:
            reply._check()

    def _next_update_words(self, page: TicketPage) -> str | None:
        for name in ("next_update", "first_response"):
            clock = page.clocks.get(name)
            if clock is not None and clock.state == "running" and clock.due_at is not None:
                # An update already late is promised within the hour rather than in the past.
                due = max(clock.due_at, page.now + timedelta(hours=1)) if clock.breached else clock.due_at
                return plain_when(due, page.now, self.zone)
        return None

    def _still_viewing(self) -> None:
        if self.ticket_id is not None:
            self._mark_viewing(self.ticket_id)

    @work(thread=True, group="presence", exit_on_error=False)
    def _mark_viewing(self, ticket_id: int) -> None:
        with contextlib.suppress(StoreError):  # presence is a courtesy; the next mark will do
            self.session.viewing(ticket_id)

    # -- drafts -------------------------------------------------------------------------------------

    def on_reply_helper_changed(self, event: ReplyHelper.Changed) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(0.5, self._flush_draft)

    def _flush_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.page is None:
            return
        reply = self.reply_helper()
        self._save_draft(self.page.ticket.id, reply.kind, reply.text)

    @work(thread=True, group="drafts", exit_on_error=False)
    def _save_draft(self, ticket_id: int, kind: str, body: str) -> None:
        try:
            self.session.save_draft(ticket_id, kind, body)
        except StoreError as error:
            self.app.call_from_thread(
                self.notify, f"Your draft could not be saved: {error}", severity="error", markup=False
            )

    # -- live updates -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def start_watching(self) -> None:
        self._last_event = self.session.last_event()
        self._watcher = self.session.watcher()

    def _every_second(self) -> None:
        self.query_one(SlaCountdowns).tick()
        if self._watcher is not None and self._watcher.changed():
            self._changed = True
        now = time.monotonic()
        # A busy desk changes many times a second: refresh at most every REFRESH_GAP seconds, so other
        # agents' work shows within two seconds but never keeps this console busy reloading.
        # A view of many thousands costs tens of ms to read again: on a big, busy desk every few seconds.
        big = self.query_one(TicketQueue).count > BIG_VIEW
        if self._changed and now - self._refreshed_at >= (BIG_REFRESH_GAP if big else REFRESH_GAP):
            self._changed, self._refreshed_at = False, now
            self._look_for_changes()
        if self._counts_stale and now - self._counted_at >= COUNTS_GAP:
            self._counts_stale = False
            self.load_counts()

    @work(thread=True, exclusive=True, group="changes", exit_on_error=False)
    def _look_for_changes(self) -> None:
        last = self.session.last_event()
        tickets_changed = last != self._last_event
        self._last_event = last
        self.app.call_from_thread(self.refresh_from_store, tickets_changed)

    def refresh_from_store(self, tickets_changed: bool) -> None:
        """Someone wrote to the database: refresh what may have changed."""
        if tickets_changed:
            self.query_one(TicketQueue).reload()
            self._counts_stale = True
            self.load_countdowns()
        if self.ticket_id is not None:
            self.load_ticket(self.ticket_id, False)

    def on_unmount(self) -> None:
        gc.unfreeze()  # another console in this process (the tests) starts from a clean slate
        if self._watcher is not None:
            self._watcher.close()

    # -- panes and keys -----------------------------------------------------------------------------

    def watch_pane(self, pane: str) -> None:
        self._show_panes()
        target = {
            "queue": "#queue",
            "detail": "#detail",
            "sla": "#sla",
            "reply": "#reply-text",
        }[pane]
        found = self.query(target)
        if self.query(Dialog):  # a dialog keeps the keys until it is answered (a ticket loading meanwhile)
            return
        if found and not (pane == "reply" and not self.reply_helper().ready):
            found.first().focus()

    def on_resize(self) -> None:
        self._show_panes()  # after Textual has set -narrow or -wide for the new width
        self.call_after_refresh(self._show_view_bar)  # its lines break at the new width

    def _show_panes(self) -> None:
        """On a narrow terminal only the chosen pane shows. Set on each pane rather than as a class on
        their parent, which would make Textual restyle every widget below it (over 100 ms)."""
        narrow = self.has_class("-narrow")
        for name in PANES:
            self.query_one(f"#{name}-pane").display = not narrow or name == self.pane

    def action_pane(self, pane: str) -> None:
        if pane == "reply" and self.page is None:
            self.notify("Open a ticket first (Enter in the queue).", markup=False)
            return
        self.pane = pane

    def action_back(self) -> None:
        self.pane = "queue"
        self.query_one(TicketQueue).focus()

    def action_view(self, key: str) -> None:
        self.view_key = key
        self.show_queue()
        self.action_back()

    def action_search(self) -> None:
        from tui.widgets.text_dialog import TextDialog

        def done(text: str | None) -> None:
            if text is not None:
                self.search = text.strip()
                self.show_queue()

        TextDialog("Search tickets", "Words in the subject or messages · Enter searches", self.search).open(
            self, done
        )

    def action_filter(self) -> None:
        from tui.screens.filter_flow import ask_filter

        def done(result: tuple[str, str] | None) -> None:
            if result is not None:
                field, value = result
                self.filters[field] = value
                self.show_queue()

        ask_filter(self, self.desk.config, done)

    def action_clear_filters(self) -> None:
        self.filters.clear()
        self.search = ""
        self.show_queue()

    def action_sort(self) -> None:
        names = list(SORT_NAMES)
        current = self.sort or queue_view(self.view_key).default_sort
        self.sort = names[(names.index(current) + 1) % len(names)]
        self.show_queue(self.query_one(TicketQueue).ticket_id)

    def action_reports(self) -> None:
        from tui.screens.reports_screen import ReportsScreen

        self.app.push_screen(ReportsScreen(self.desk))

    def action_theme(self) -> None:
        themes = ["textual-dark", "textual-light", "plaindesk-high-contrast"]
        current = self.app.theme if self.app.theme in themes else themes[-1]
        self.app.theme = themes[(themes.index(current) + 1) % len(themes)]
        self.notify(f"Theme: {self.app.theme}", markup=False)
