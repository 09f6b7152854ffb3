"""The console's named queue views and filters, as store Views (no Textual here)."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from tui.store import Store, View, count_tickets, list_page, rows_by_ids, ticket_ids
from tui.store.records import TicketRow

SOON = timedelta(hours=4)
""""Breaching soon": due within this wall-clock time (or already late)."""


@dataclass(frozen=True)
class QueueView:
    key: str
    """Also the number key that picks it (its position, from 1)."""
    title: str
    build: Callable[[str, datetime, str], View]
    """(agent login, now, sort) -> View."""
    default_sort: str = "due"


QUEUE_VIEWS: tuple[QueueView, ...] = (
    QueueView("mine", "My tickets", lambda login, now, sort: View(assignee=login, sort=sort)),
    QueueView("unassigned", "Unassigned", lambda login, now, sort: View(assignee="", sort=sort)),
    QueueView("open", "All open", lambda login, now, sort: View(sort=sort)),
    QueueView("soon", "Breaching soon", lambda login, now, sort: View(due_before=now + SOON, sort=sort)),
    QueueView("pending", "Pending", lambda login, now, sort: View(status="pending", sort=sort)),
    QueueView("walkups", "Walk-ups", lambda login, now, sort: View(channel="walk-up", sort=sort)),
    QueueView("solved", "Solved", lambda login, now, sort: View(active=False, sort=sort), "updated"),
)
SORT_NAMES = {"due": "next SLA due", "updated": "last updated", "newest": "newest", "priority": "priority"}
FILTER_FIELDS = ("status", "priority", "assignee", "group", "category", "tag")


def queue_view(key: str) -> QueueView:
    for view in QUEUE_VIEWS:
        if view.key == key:
            return view
    raise KeyError(key)


def build_view(
    key: str,
    login: str,
    now: datetime,
    sort: str = "due",
    filters: dict[str, str] | None = None,
    search: str = "",
) -> View:
    """The store View for a named view, its sort, the agent's filters and a search.

    A status filter on the Solved view looks at done tickets; on the others it replaces "open only".
    """
    named = queue_view(key)
    view = named.build(login, now, sort or named.default_sort)
    for name, value in (filters or {}).items():
        if name not in FILTER_FIELDS or value is None:
            continue
        if name == "status":
            view = replace(view, status=value, active=None)
        elif name == "assignee" and view.assignee is not None and key in ("mine", "unassigned"):
            continue  # the view already decides whose tickets these are
        else:
            view = replace(view, **{name: value})
    if search.strip():
        view = replace(view, search=search)
    return view


def describe_filters(filters: dict[str, str]) -> str:
    return ", ".join(f"{name}: {value or 'none'}" for name, value in filters.items())


COUNT_CAP = 10_000
"""The view bar counts up to here and then says "10,000+": counting a million solved tickets every
few seconds cost each console a tenth of a second, for a figure nobody reads to the last digit."""


def count_label(count: int) -> str:
    return f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"


class QueueSource:
    """What the queue widget reads: the ordered ids of a view, rows by id, and counts per view."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def ids(self, view: View, stop: Callable[[], bool] | None = None) -> array | None:
        """The view's ids in order; None if `stop()` turned true while they were read."""
        with self.store.read():
            return ticket_ids(view, stop)

    def first_page(self, view: View, limit: int) -> list[TicketRow]:
        """The first rows of a view, to draw before all its ids have arrived."""
        with self.store.read():
            return list_page(view, limit=limit).rows

    def rows(self, ids: list[int]) -> list[TicketRow]:
        with self.store.read():
            return rows_by_ids(ids)

    def counts(self, login: str, now: datetime) -> dict[str, int]:
        """How many tickets each named view holds (for the view bar; run off the UI thread)."""
        with self.store.read():
            return {v.key: count_tickets(build_view(v.key, login, now), COUNT_CAP) for v in QUEUE_VIEWS}
