"""The PlainDesk store: the only package that imports Peewee."""

from tui.store.db import Store, open_store, upgrade_store
from tui.store.errors import (
    Conflict,
    DatabaseBusy,
    DatabaseUnavailable,
    NotFound,
    SchemaTooNew,
    StoreError,
)
from tui.store.queries import (
    Page,
    View,
    count_tickets,
    get_ticket,
    list_page,
    rows_by_ids,
    search_ids,
    ticket_ids,
)
from tui.store.records import EventRecord, MessageRecord, TicketRecord, TicketRow

__all__ = [
    "Conflict",
    "DatabaseBusy",
    "DatabaseUnavailable",
    "EventRecord",
    "MessageRecord",
    "NotFound",
    "Page",
    "SchemaTooNew",
    "Store",
    "StoreError",
    "TicketRecord",
    "TicketRow",
    "View",
    "count_tickets",
    "get_ticket",
    "list_page",
    "open_store",
    "rows_by_ids",
    "search_ids",
    "ticket_ids",
    "upgrade_store",
]
