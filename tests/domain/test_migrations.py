"""An upgraded first-schema database is the same database as a new one, data kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import SCHEMA_V1

from tui.store import open_store, search_ids


def objects(path: Path) -> dict[str, list[str]]:
    """Every table, index and trigger, and every table's columns."""
    with sqlite3.connect(path) as connection:
        names = connection.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        shape = {f"{kind}:{name}": [] for kind, name in names}
        for kind, name in names:
            if kind == "table" and not name.startswith("search_index_"):
                shape[f"{kind}:{name}"] = sorted(
                    r[1] for r in connection.execute(f'PRAGMA table_info("{name}")')
                )
    return shape


def test_upgraded_first_schema_matches_a_new_database(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as connection:
        connection.executescript(SCHEMA_V1.read_text())
        connection.execute(
            "INSERT INTO requester (id, name, email, created_at) VALUES (1, 'Jo', 'jo@x.org', "
            "'2026-01-05 09:00:00.000000')"
        )
        connection.execute(
            "INSERT INTO ticket (id, subject, status, priority, priority_rank, requester_id, channel, created_at, "
            "updated_at, version, active, flagged, next_due) VALUES (7, 'Scanner jams', 'open', 'normal', 1, 1, "
            "'email', '2026-01-05 09:00:00.000000', '2026-01-05 09:00:00.000000', 1, 1, 0, "
            "'9999-12-31 00:00:00.000000')"
        )
    open_store(old).close()
    open_store(tmp_path / "new.db").close()
    assert objects(old) == objects(tmp_path / "new.db")
    store = open_store(old)
    try:
        with store.read():
            assert search_ids("scanner") == [7]
    finally:
        store.close()


def test_schema_5_gains_reply_findings_and_the_message_index(tmp_path: Path) -> None:
    """Version 6 adds message.plain_findings (old replies: unknown) and an index of messages by kind and
    time (which version 7 widens)."""
    old = tmp_path / "v5.db"
    store = open_store(old)
    store.close()
    with sqlite3.connect(old) as connection:  # back to what schema 5 had (before 6's to 8's additions)
        for name in ("priority", "category"):
            connection.execute(f"DROP INDEX ticket_active_{name}_next_due_id")
        connection.execute("DROP INDEX ticket_channel_active_next_due_id")
        connection.execute("DROP INDEX message_replies")
        connection.execute("DROP INDEX event_status")
        connection.execute("DROP TABLE clock_outcome")
        connection.execute("ALTER TABLE message DROP COLUMN plain_findings")
        connection.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
        connection.execute(
            "INSERT INTO requester (id, name, email, created_at) VALUES (1, 'Jo', 'jo@x.org', "
            "'2026-01-05 09:00:00.000000')"
        )
        connection.execute(
            "INSERT INTO ticket (id, subject, status, priority, priority_rank, requester_id, channel, created_at, "
            "updated_at, version, active, flagged, next_due) VALUES (7, 'Scanner jams', 'open', 'normal', 1, 1, "
            "'email', '2026-01-05 09:00:00.000000', '2026-01-05 09:00:00.000000', 1, 1, 0, "
            "'9999-12-31 00:00:00.000000')"
        )
        connection.execute(
            "INSERT INTO message (ticket_id, kind, body, created_at) VALUES "
            "(7, 'public_reply', 'Try tray 1.', '2026-01-05 10:00:00.000000')"
        )
    assert "plain_findings" not in objects(old)["table:message"]
    store = open_store(old)
    try:
        assert store.upgraded is not None and store.upgraded[0] == 5
    finally:
        store.close()
    open_store(tmp_path / "new.db").close()
    assert objects(old) == objects(tmp_path / "new.db")
    with sqlite3.connect(old) as connection:
        assert connection.execute("SELECT body, plain_findings FROM message").fetchall() == [
            ("Try tray 1.", None)
        ]
