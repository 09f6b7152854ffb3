"""The tables of a PlainDesk database, as Peewee models bound to one database per process."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    CompositeKey,
    DatabaseProxy,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()
"""Bound to the real database by tui.store.db.open_store."""

FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)
"""`next_due` of a ticket with no running clock, so "breaches next" sorts it last with a plain index."""


class UtcDateTimeField(DateTimeField):
    """Timezone-aware UTC datetimes, stored as sortable naive-UTC text."""

    def db_value(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")

    def python_value(self, value: object) -> datetime | None:
        # fromisoformat reads our own stored form ~20x faster than Peewee's strptime over its list of
        # formats, and ~5x faster again when told the offset rather than given it after; a long
        # thread or a page of tickets converts hundreds of these.
        if isinstance(value, str) and len(value) > 10:  # a date alone would be read as naive
            with contextlib.suppress(ValueError):  # not our form: the general path below
                return datetime.fromisoformat(value + "+00:00")
        try:
            result = datetime.fromisoformat(value) if isinstance(value, str) else super().python_value(value)
        except ValueError:
            result = super().python_value(value)
        if isinstance(result, datetime):
            return result.replace(tzinfo=UTC) if result.tzinfo is None else result.astimezone(UTC)
        return result


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value facts about the database itself: app, schema_version, demo."""

    key = CharField(primary_key=True)
    value = TextField()


class Group(BaseModel):
    slug = CharField(unique=True)
    name = TextField()


class Agent(BaseModel):
    login = CharField(unique=True)
    name = TextField()
    role = CharField(default="agent")
    timezone = CharField(null=True)
    active = BooleanField(default=True)


class AgentGroup(BaseModel):
    agent = ForeignKeyField(Agent, backref="memberships", on_delete="CASCADE")
    group = ForeignKeyField(Group, backref="memberships", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("agent", "group")


class Requester(BaseModel):
    name = TextField()
    email = CharField(unique=True, null=True)
    department = TextField(null=True)
    created_at = UtcDateTimeField()


FILTER_INDEXES = (
    (("active", "priority", "next_due", "id"), False),
    (("active", "category", "next_due", "id"), False),
    (("channel", "active", "next_due", "id"), False),
)


class Ticket(BaseModel):
    id = AutoField()
    subject = TextField()
    status = CharField()
    priority = CharField()
    priority_rank = IntegerField()
    """Position of `priority` in config order, so "most urgent first" sorts with an index."""
    category = CharField(null=True)
    requester = ForeignKeyField(Requester, backref="tickets")
    assignee = ForeignKeyField(Agent, null=True, backref="tickets")
    group = ForeignKeyField(Group, null=True, backref="tickets")
    channel = CharField(default="console")
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField()
    version = IntegerField(default=1)
    """Raised by every change; a change based on an older version is refused (optimistic locking)."""
    active = BooleanField(default=True)
    """False once solved, closed or merged: the queue's default view."""
    merged_into = ForeignKeyField("self", null=True, backref="merged")
    first_responded_at = UtcDateTimeField(null=True)
    solved_at = UtcDateTimeField(null=True)
    flagged = BooleanField(default=False)
    """Flagged for the team lead (an SLA breach action)."""
    first_response_due = UtcDateTimeField(null=True)
    next_update_due = UtcDateTimeField(null=True)
    resolution_due = UtcDateTimeField(null=True)
    next_due = UtcDateTimeField(default=FAR_FUTURE)
    """The soonest due time of the running clocks (FAR_FUTURE when none runs)."""
    escalate_at = UtcDateTimeField(null=True, index=True)
    """When the escalation sweep must next look at this ticket: the soonest breach not yet recorded."""
    warn_due = UtcDateTimeField(null=True)
    """When the soonest running clock enters its warning (at or before now: warning already), so a
    queue row can turn amber without judging the clocks."""

    class Meta:
        # An action writes the columns it changed: compiling and writing all 24 each time was a
        # third of the time a change holds the write lock.
        only_save_dirty = True
        indexes = (
            # Keyset pages: each sort has an index that starts with the view's equality filters and
            # ends with the sort column and id, so page N costs the same on any size of desk.
            (("active", "next_due", "id"), False),
            (("active", "updated_at", "id"), False),
            (("active", "created_at", "id"), False),
            (("active", "priority_rank", "next_due", "id"), False),
            (("status", "next_due", "id"), False),
            (("assignee", "active", "next_due", "id"), False),
            (("group", "active", "next_due", "id"), False),
            (("requester", "created_at"), False),
            (("next_due", "id"), False),
            (("created_at", "id"), False),
            (("updated_at", "id"), False),
            # Schema 8: the filters by priority and category, and the walk-up view, page like the others.
            *FILTER_INDEXES,
        )

    @property
    def ref(self) -> str:
        """The short reference people quote, e.g. #1042."""
        return f"#{self.id}"


# "Most urgent first, then soonest due" mixes directions, which only an index in that order serves.
URGENCY_INDEXES = [
    "CREATE INDEX IF NOT EXISTS ticket_urgency ON ticket (active, priority_rank DESC, next_due, id)",
    "CREATE INDEX IF NOT EXISTS ticket_urgency_all ON ticket (priority_rank DESC, next_due, id)",
]


REPORT_INDEXES = [
    # The backlog replays status changes, read from this index alone.
    "CREATE INDEX IF NOT EXISTS event_status ON event (ticket_id, at, new) WHERE field = 'status'",
    # Reports count the replies sent in a period (by author, checked, plain) from this index alone.
    "CREATE INDEX IF NOT EXISTS message_replies "
    "ON message (kind, created_at, ticket_id, author_agent_id, plain_findings)",
]
"""Indexes for the reports (schema 7), written as SQL: one is partial, which model indexes are not."""


class Message(BaseModel):
    KINDS = ("public_reply", "internal_note", "requester", "system")

    ticket = ForeignKeyField(Ticket, backref="messages", on_delete="CASCADE")
    kind = CharField()
    author_agent = ForeignKeyField(Agent, null=True)
    author_requester = ForeignKeyField(Requester, null=True)
    body = TextField()
    created_at = UtcDateTimeField()
    plain_findings = IntegerField(null=True)
    """Public replies: how many reply-helper findings the agent left in the text when sending (None:
    sent without the helper, e.g. from the command line). Reports count replies sent plain."""

    class Meta:
        indexes = ((("ticket", "created_at", "id"), False),)
        # The reports' index on (kind, created_at, ...) is in REPORT_INDEXES.


class Tag(BaseModel):
    name = CharField(unique=True)


class TicketTag(BaseModel):
    ticket = ForeignKeyField(Ticket, backref="ticket_tags", on_delete="CASCADE")
    tag = ForeignKeyField(Tag, backref="ticket_tags", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("ticket", "tag")
        indexes = ((("tag", "ticket"), False),)


class Event(BaseModel):
    """One row of a ticket's history: who did what, when, old -> new. Never updated or deleted."""

    ticket = ForeignKeyField(Ticket, backref="events", on_delete="CASCADE")
    at = UtcDateTimeField()
    agent = ForeignKeyField(Agent, null=True)
    actor = TextField()
    """Who did it, as shown: an agent's name, a requester's, or "PlainDesk" for automatic actions."""
    action = CharField()
    field = CharField(null=True)
    old = TextField(null=True)
    new = TextField(null=True)
    version = IntegerField()
    """The ticket version this change produced, so a conflict can say what changed since."""

    class Meta:
        indexes = ((("ticket", "id"), False),)


class Breach(BaseModel):
    """One SLA breach, recorded once per ticket, clock and cycle however many processes notice it."""

    ticket = ForeignKeyField(Ticket, backref="breaches", on_delete="CASCADE")
    clock = CharField()
    cycle = IntegerField()
    breached_at = UtcDateTimeField()
    recorded_at = UtcDateTimeField()
    recorded_by = TextField()
    """Which process recorded it: "console (login)" or "sla tick"."""

    class Meta:
        indexes = ((("ticket", "clock", "cycle"), True),)


class ClockOutcome(BaseModel):
    """One stretch of one SLA clock of a ticket and how it went (tui.sla_outcomes says what each means).

    Written whenever the ticket's SLA times are refreshed, so the reports count outcomes with SQL.
    Instants are microseconds since 1970-01-01 UTC (the engine's own arithmetic), which keeps rows small
    for the reports' scans. Stored in primary key order (WITHOUT ROWID): a ticket's rows sit together,
    and the reports' join from the tickets of a period reads them with no second lookup.
    """

    ticket = ForeignKeyField(Ticket, on_delete="CASCADE", index=False)
    clock = CharField()
    cycle = IntegerField()
    """first_response: 1; next_update: the engine's cycle (as in Breach); resolution: 1, then one
    more after each reopen."""
    started_us = IntegerField()
    stopped_us = IntegerField(null=True)
    """When the stretch stopped (reply, solved or closed, next cycle); None while it runs or pauses."""
    reopened_us = IntegerField(null=True)
    """Resolution: when a reopen started the next stretch, which stands from then on."""
    over_us = IntegerField(null=True)
    """The first instant the clock was over its target (or will be, for one running now)."""
    business_us = IntegerField(null=True)
    """Business time at the stop (resolution: since the ticket was created)."""
    on_time = BooleanField(null=True)
    agent = ForeignKeyField(Agent, null=True, index=False)
    """first_response: the agent whose public reply stopped it (None when a solve did)."""

    class Meta:
        primary_key = CompositeKey("ticket", "clock", "cycle")
        without_rowid = True


class Visit(BaseModel):
    """A walk-up visit to the Genius Bar: checked in, then served."""

    requester = ForeignKeyField(Requester, backref="visits")
    reason = TextField()
    category = CharField(null=True)
    checked_in_at = UtcDateTimeField()
    served_at = UtcDateTimeField(null=True)
    served_by = ForeignKeyField(Agent, null=True)
    outcome = TextField(null=True)
    ticket = ForeignKeyField(Ticket, null=True, backref="visits")

    class Meta:
        indexes = ((("served_at", "checked_in_at"), False),)


class Draft(BaseModel):
    """What an agent is writing on a ticket, saved as they type so a dropped connection loses nothing."""

    agent = ForeignKeyField(Agent, on_delete="CASCADE")
    ticket = ForeignKeyField(Ticket, on_delete="CASCADE")
    kind = CharField(default="reply")
    """reply or note: what the agent meant to send."""
    body = TextField()
    updated_at = UtcDateTimeField()

    class Meta:
        indexes = ((("agent", "ticket"), True),)


class Presence(BaseModel):
    """Who has a ticket open right now: each console refreshes its row while the ticket stays open."""

    agent = ForeignKeyField(Agent, on_delete="CASCADE")
    ticket = ForeignKeyField(Ticket, on_delete="CASCADE")
    seen_at = UtcDateTimeField()

    class Meta:
        indexes = ((("ticket", "agent"), True),)


class TicketAccess(BaseModel):
    """The secret code a visitor uses at the kiosk to see their own ticket (only a hash is kept)."""

    ticket = ForeignKeyField(Ticket, on_delete="CASCADE", unique=True)
    code_hash = CharField()
    salt = CharField()


class Rating(BaseModel):
    """How a requester rated the help on a solved ticket (1-5, with an optional comment)."""

    ticket = ForeignKeyField(Ticket, on_delete="CASCADE", unique=True)
    score = IntegerField()
    comment = TextField(default="")
    rated_at = UtcDateTimeField()


class Announcement(BaseModel):
    """An outage or a training session, shown on the kiosk's welcome screen while current."""

    kind = CharField()
    """outage, training or notice."""
    title = TextField()
    body = TextField(default="")
    starts_at = UtcDateTimeField()
    ends_at = UtcDateTimeField()
    created_by = TextField()
    created_at = UtcDateTimeField()

    class Meta:
        indexes = ((("ends_at", "starts_at"), False),)


class KioskAttempt(BaseModel):
    """Something a kiosk terminal did that is limited: a failed ticket lookup or a new ticket."""

    terminal = CharField()
    kind = CharField()
    """lookup_failed or ticket."""
    at = UtcDateTimeField()

    class Meta:
        indexes = ((("terminal", "kind", "at"), False),)


SCHEMA_V1 = [Meta, Group, Agent, AgentGroup, Requester, Ticket, Message, Tag, TicketTag, Event]
"""The tables of the first schema; later versions add to it (see tui.store.migrations)."""
ALL_MODELS = [
    *SCHEMA_V1,
    Visit,
    Breach,
    Draft,
    Presence,
    TicketAccess,
    Rating,
    Announcement,
    KioskAttempt,
    ClockOutcome,
]
