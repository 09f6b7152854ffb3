"""Schema versions: creating a new database and upgrading an older one step by step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from peewee import Database

from tui.store import sqlite
from tui.store.models import (
    ALL_MODELS,
    FAR_FUTURE,
    FILTER_INDEXES,
    REPORT_INDEXES,
    URGENCY_INDEXES,
    Announcement,
    Breach,
    ClockOutcome,
    Draft,
    KioskAttempt,
    Message,
    Meta,
    Presence,
    Rating,
    Ticket,
    TicketAccess,
    Visit,
)

APP_NAME = "plaindesk"
SCHEMA_VERSION = 8
"""Version 1: tickets, messages, history. Version 2 adds walk-up visits, full-text search and indexes
for queue views over all tickets. Version 3 adds SLA breach records and the escalation schedule.
Version 4 adds reply drafts, who is viewing a ticket, and when a ticket's SLA warning starts.
Version 5 adds the kiosk's secret codes, ratings, announcements and its rate limits.
Version 6 records the reply helper's open findings on each public reply, and indexes messages by
kind and time for the reports. Version 7 stores how each SLA clock stretch went (clock_outcome), so
the reports count SLA compliance with SQL, and indexes status changes and replies for the reports.
Version 8 indexes the queue filters by priority and category and the walk-up view."""

Progress = Callable[[int, int], None]


def create_schema(db: Database) -> None:
    """Create every table of the current schema in an empty database (inside the caller's transaction)."""
    db.create_tables(ALL_MODELS)
    for statement in sqlite.HISTORY_DDL + sqlite.FTS_DDL + URGENCY_INDEXES + REPORT_INDEXES:
        db.execute_sql(statement)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    Meta.insert_many(
        [
            {"key": "app", "value": APP_NAME},
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "created_at", "value": now},
        ]
    ).on_conflict_replace().execute()


def read_version(db: Database) -> tuple[str | None, int | None]:
    """(app, schema_version) from the meta table, or (None, None) if there is none."""
    tables = set(db.get_tables())
    if "meta" not in tables:
        return None, None
    facts = {row.key: row.value for row in Meta.select()}
    try:
        version = int(facts.get("schema_version", ""))
    except ValueError:
        version = None
    return facts.get("app"), version


def _v1_to_v2(db: Database, progress: Progress | None) -> None:
    from playhouse.migrate import SchemaMigrator, migrate

    db.create_tables([Visit])
    migrator = SchemaMigrator.from_database(db)  # the queue indexes for views over all tickets
    migrate(
        *(
            migrator.add_index("ticket", columns, False)
            for columns in (("next_due", "id"), ("created_at", "id"), ("updated_at", "id"))
        )
    )
    sqlite.rebuild_search_index(db, progress)  # fills the new search index with what the database holds


def _v2_to_v3(db: Database, progress: Progress | None) -> None:
    from playhouse.migrate import SchemaMigrator, migrate

    db.create_tables([Breach])
    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.add_column("ticket", "escalate_at", Ticket.escalate_at))  # indexed, as the model says
    # Every active ticket already past due is looked at by the next escalation sweep.
    Ticket.update(escalate_at=Ticket.next_due).where(
        Ticket.active & (Ticket.next_due != FAR_FUTURE)
    ).execute()


def _v3_to_v4(db: Database, progress: Progress | None) -> None:
    from playhouse.migrate import SchemaMigrator, migrate

    db.create_tables([Draft, Presence])
    migrator = SchemaMigrator.from_database(db)
    # Empty until each ticket's next change or sweep: a queue row then shows no amber, never a false one.
    migrate(migrator.add_column("ticket", "warn_due", Ticket.warn_due))
    for statement in URGENCY_INDEXES:
        db.execute_sql(statement)


def _v4_to_v5(db: Database, progress: Progress | None) -> None:
    db.create_tables([TicketAccess, Rating, Announcement, KioskAttempt])


def _v5_to_v6(db: Database, progress: Progress | None) -> None:
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    # Replies sent before this version were not checked on record: they stay NULL ("not known").
    migrate(
        migrator.add_column("message", "plain_findings", Message.plain_findings),
        migrator.add_index("message", ("kind", "created_at"), False),
    )


def _v6_to_v7(db: Database, progress: Progress | None) -> None:
    db.create_tables([ClockOutcome])
    db.execute_sql("DROP INDEX IF EXISTS message_kind_created_at")  # message_replies starts with it
    for statement in REPORT_INDEXES:
        db.execute_sql(statement)
    if db.execute_sql("SELECT 1 FROM ticket LIMIT 1").fetchone() is None:
        return
    # Judging the stored history needs the SLA policies: the one import from the store upwards. The
    # config is the one found without --config (PLAINDESK_CONFIG, /etc/plaindesk, the packaged one);
    # after a change of targets, tui.sla_outcomes.recompute judges the tickets again.
    from tui.config import find_config, load_config
    from tui.sla_outcomes import recompute

    recompute(load_config(find_config()), progress=progress)


def _v7_to_v8(db: Database, progress: Progress | None) -> None:
    for columns, _unique in FILTER_INDEXES:  # named as Peewee names the model's indexes
        name = "ticket_" + "_".join(columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "ticket" ({", ".join(columns)})')


STEPS: dict[int, Callable[[Database, Progress | None], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
    7: _v7_to_v8,
}
"""STEPS[n] upgrades a database from version n to n + 1."""


def upgrade(db: Database, from_version: int, progress: Progress | None = None) -> int:
    """Apply every step from `from_version` to SCHEMA_VERSION (inside the caller's transaction)."""
    version = from_version
    while version < SCHEMA_VERSION:
        STEPS[version](db, progress)
        version += 1
        Meta.replace(key="schema_version", value=str(version)).execute()
    return version
