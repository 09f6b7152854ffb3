"""Errors from the store, each worded for the person who has to act on it."""

from __future__ import annotations


class StoreError(Exception):
    """The database cannot be used as asked; the message says why and what to do."""


class DatabaseUnavailable(StoreError):
    """The file is missing, unreadable, read-only, corrupt or not a PlainDesk database."""


class DatabaseBusy(StoreError):
    """Another process held the write lock for longer than the busy timeout."""


class SchemaTooNew(DatabaseUnavailable):
    """The database was written by a newer PlainDesk."""


class NotFound(StoreError):
    """A ticket, agent or requester that does not exist."""


class Conflict(StoreError):
    """A change was based on an old version of a ticket; `changes` says who changed what since."""

    def __init__(self, message: str, changes: list[str] | None = None) -> None:
        super().__init__(message)
        self.changes = changes or []
