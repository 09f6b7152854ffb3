"""Plain dataclasses the store hands out, so screens and the CLI never touch Peewee models."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class TicketRow:
    """One line of the queue."""

    id: int
    subject: str
    status: str
    priority: str
    category: str | None
    requester: str
    assignee: str | None
    group: str | None
    created_at: datetime
    updated_at: datetime
    next_due: datetime | None
    version: int
    flagged: bool
    warn_due: datetime | None = None
    """When the soonest clock starts its warning (amber in the queue)."""
    priority_rank: int = 0

    @property
    def ref(self) -> str:
        return f"#{self.id}"


@dataclass(frozen=True)
class MessageRecord:
    id: int
    kind: str
    """public_reply, internal_note, requester or system."""
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class EventRecord:
    id: int
    at: datetime
    actor: str
    action: str
    field: str | None
    old: str | None
    new: str | None
    version: int

    def describe(self) -> str:
        """The change in words, e.g. "status: open -> pending"."""
        if self.field:
            return f"{self.field}: {self.old or '(none)'} -> {self.new or '(none)'}"
        return self.action if not self.new else f"{self.action}: {self.new}"


@dataclass(frozen=True)
class TicketRecord:
    """A ticket with its thread, notes and history."""

    id: int
    subject: str
    status: str
    priority: str
    category: str | None
    channel: str
    requester_name: str
    requester_email: str | None
    requester_department: str | None
    assignee_login: str | None
    assignee: str | None
    group: str | None
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    version: int
    active: bool
    flagged: bool
    merged_into: int | None
    first_responded_at: datetime | None
    solved_at: datetime | None
    due: dict[str, datetime | None]
    messages: list[MessageRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"#{self.id}"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready: datetimes as ISO 8601 UTC strings."""
        return _jsonable({**asdict(self), "ref": self.ref})


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def row_to_json(row: TicketRow) -> dict[str, Any]:
    return _jsonable({**asdict(row), "ref": row.ref})
