"""The demo desk: realistic (every category, status and priority; breaching, nearly breaching, waiting,
walk-up visits) and reproducible (same seed and clock, same database)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import tui.demo as demo
from tui.config import Config
from tui.store import View, list_page, open_store, search_ids
from tui.store.models import FAR_FUTURE, UtcDateTimeField

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # a Monday morning, office hours


def dump(path: Path) -> list[list[tuple]]:
    with sqlite3.connect(path) as connection:
        return [
            connection.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2').fetchall()
            for table in ("ticket", "message", "event", "requester", "visit", "ticket_tag", "tag")
        ]


@pytest.fixture(scope="module")
def built(tmp_path_factory, request) -> Path:
    from conftest import config_text  # the default config with the real login mapped

    folder = tmp_path_factory.mktemp("demo")
    (folder / "config.yaml").write_text(config_text())
    from tui.config import load_config

    path = folder / "demo.db"
    demo.build_demo(path, load_config(folder / "config.yaml"), tickets=600, seed=11, now=NOW)
    return path


def test_demo_covers_every_category_status_and_priority(built: Path, config: Config) -> None:
    with sqlite3.connect(built) as connection:

        def values(column: str) -> set[str]:
            return {row[0] for row in connection.execute(f"SELECT DISTINCT {column} FROM ticket")}

        assert values("category") == set(config.categories)
        assert values("status") == set(config.statuses)
        assert values("priority") == set(config.priorities)
        kinds = {row[0] for row in connection.execute("SELECT DISTINCT kind FROM message")}
        assert {"requester", "public_reply", "internal_note"} <= kinds
        assert connection.execute("SELECT count(*) FROM visit WHERE served_at IS NULL").fetchone()[0] >= 1
        assert connection.execute("SELECT count(*) FROM visit WHERE outcome IS NOT NULL").fetchone()[0] >= 10


def test_demo_has_breaching_nearly_breaching_and_waiting_tickets(built: Path) -> None:
    stamp = UtcDateTimeField().db_value
    with sqlite3.connect(built) as connection:

        def count(where: str, *args: object) -> int:
            return connection.execute(
                f"SELECT count(*) FROM ticket WHERE active = 1 AND {where}", args
            ).fetchone()[0]

        assert count("next_due < ?", stamp(NOW)) >= 5  # already breached
        assert count("next_due BETWEEN ? AND ?", stamp(NOW), stamp(NOW + timedelta(hours=1))) >= 1  # about to
        assert count("status = 'pending'") >= 5
        assert count("next_due = ?", stamp(FAR_FUTURE)) >= 1  # waiting on the requester: clocks paused


def test_demo_database_is_a_normal_desk(built: Path) -> None:
    store = open_store(built)
    try:
        assert store.is_demo()
        with store.read():
            page = list_page(View(sort="due"), limit=10)
            assert page.rows and page.rows[0].next_due is not None
            subject_word = page.rows[0].subject.split()[0]
            assert page.rows[0].id in search_ids(subject_word, limit=100_000)
        mode = store.db.execute_sql("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        # The history names an assignee by login, as the workflow writes it ("assignee: -> tom").
        logins = {login for (login,) in store.db.execute_sql("SELECT login FROM agent")}
        assigned = {new for (new,) in store.db.execute_sql("SELECT new FROM event WHERE field = 'assignee'")}
        assert assigned and assigned <= logins
    finally:
        store.close()


def test_same_seed_same_desk_however_many_processes_build_it(
    tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "PARALLEL_FROM", 1000)
    demo.build_demo(tmp_path / "parallel.db", config, tickets=4500, seed=5, now=NOW)
    monkeypatch.setattr(demo, "PARALLEL_FROM", 10**9)
    demo.build_demo(tmp_path / "serial.db", config, tickets=4500, seed=5, now=NOW)
    demo.build_demo(tmp_path / "other-seed.db", config, tickets=4500, seed=6, now=NOW)
    assert dump(tmp_path / "parallel.db") == dump(tmp_path / "serial.db")
    assert dump(tmp_path / "other-seed.db") != dump(tmp_path / "serial.db")
    assert not list(tmp_path.glob("*.building*"))  # the side file was moved into place


def test_demo_command_refuses_to_overwrite_without_force(run_cli, db_path: Path) -> None:
    first = run_cli("demo", "--tickets", "50", "--seed", "1")
    assert first.returncode == 0, first.stderr
    assert "50 tickets" in first.stdout
    again = run_cli("demo", "--tickets", "50")
    assert again.returncode == 2
    assert "--force" in again.stderr
    forced = run_cli("demo", "--tickets", "60", "--force")
    assert forced.returncode == 0, forced.stderr
    listed = run_cli("ticket", "list", "--state", "all", "--limit", "1000", "--json")
    import json

    assert len(json.loads(listed.stdout)["tickets"]) == 60


def test_anyone_running_a_demo_desk_is_signed_in_as_a_lead(tmp_path: Path, run_cli) -> None:
    from conftest import config_text, write_config

    stranger = write_config(tmp_path, config_text(login="someone-else"), "stranger.yaml")
    made = run_cli("demo", "--tickets", "30", config=stranger)
    assert made.returncode == 0, made.stderr
    replied = run_cli("ticket", "note", "1", "--body", "looking", config=stranger)
    assert replied.returncode == 0, replied.stderr
    shown = run_cli("ticket", "show", "1", "--json", config=stranger)
    import json

    events = json.loads(shown.stdout)["events"]
    from tui.identity import _full_name, current_login

    assert events[-1]["action"] == "noted"
    assert events[-1]["actor"] == _full_name(current_login())  # the newcomer, recorded like any agent


def test_a_big_demo_desk_has_no_crowd_arriving_at_one_moment(tmp_path: Path, config: Config) -> None:
    # At a million tickets the newest 6,666 arrived within ten minutes, ~700 at each whole minute,
    # and the consoles then spent a quarter of an hour escalating their first responses.
    path = tmp_path / "big.db"
    demo.build_demo(path, config, tickets=9_000, seed=5, now=NOW)
    stamp = UtcDateTimeField().db_value
    with sqlite3.connect(path) as connection:
        crowd = connection.execute(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM ticket GROUP BY created_at)"
        ).fetchone()[0]
        recent = connection.execute(
            "SELECT count(*) FROM ticket WHERE created_at > ?", (stamp(NOW - timedelta(minutes=15)),)
        ).fetchone()[0]
    assert crowd <= 3
    assert 2 <= recent <= demo.HOT_MOST + 5
