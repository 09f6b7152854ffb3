"""The store on a real SQLite file: pragmas, paging, search, history, conflicts, upgrades and bad files."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import SCHEMA_V1, FrozenClock, config_text, write_config
from hypothesis import given
from hypothesis import strategies as st

from tui.config import Config, load_config
from tui.identity import current_login, sign_in
from tui.store import (
    Conflict,
    DatabaseUnavailable,
    SchemaTooNew,
    Store,
    View,
    get_ticket,
    list_page,
    migrations,
    open_store,
    search_ids,
)
from tui.store.directory import agent_row
from tui.store.models import FAR_FUTURE, Ticket, database
from tui.store.queries import _filtered, _ordered
from tui.store.tickets import Actor
from tui.workflow import Desk, RequesterInput, WorkflowError

ME = current_login()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def requester(text: str = "Jo Bloggs <jo@example.org>") -> RequesterInput:
    return RequesterInput.parse(text)


def sql(path: Path, statement: str, params: tuple = ()) -> list[tuple]:
    """Run one statement on the file with plain sqlite3, as any other tool would."""
    connection = sqlite3.connect(path)
    try:
        with connection:
            return connection.execute(statement, params).fetchall()
    finally:
        connection.close()


# -- opening ---------------------------------------------------------------------------------------------


def test_every_connection_gets_the_pragmas(tmp_path: Path) -> None:
    store = open_store(tmp_path / "desk.db", busy_timeout_ms=4321, wal_size_limit_mb=3)
    try:
        pragmas = {
            name: database.execute_sql(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous", "journal_size_limit")
        }
    finally:
        store.close()
    assert pragmas == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 4321,
        "synchronous": 2,
        "journal_size_limit": 3 * 1024 * 1024,
    }
    # WAL is a property of the file: any other program opening it sees it too.
    assert sql(tmp_path / "desk.db", "PRAGMA journal_mode") == [("wal",)]


def test_new_database_is_group_writable(store: Store) -> None:
    mode = stat.S_IMODE(store.path.stat().st_mode)
    assert mode & 0o060 == 0o060
    assert mode & 0o007 == 0, "others must not read the desk"


def test_new_database_is_marked_as_ours(store: Store) -> None:
    meta = dict(sql(store.path, "SELECT key, value FROM meta"))
    assert meta["app"] == "plaindesk"
    assert meta["schema_version"] == str(migrations.SCHEMA_VERSION)


# -- paging ----------------------------------------------------------------------------------------------

WORDS = ["Printer", "Laptop", "Wi-Fi", "Mailbox"]
PRIORITIES = ["low", "normal", "high", "urgent"]
CATEGORIES = ["hardware", "email", "network", None]
GROUPS = ["service-desk", "security", None]
COUNT = 120


@pytest.fixture(scope="module")
def paged_desk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A database of 120 varied tickets, built once: (its path, every ticket as get_ticket saw it)."""
    folder = tmp_path_factory.mktemp("paged")
    config_path = write_config(folder, config_text())
    config = load_config(config_path)
    store = open_store(folder / "desk.db")
    clock = FrozenClock()
    try:
        desk = Desk(store, config, sign_in(store, config), now=clock)
        for i in range(COUNT):
            if i % 3 == 0:
                clock.advance(minutes=1)  # three tickets share each instant: ties are broken by id
            ticket = desk.create(
                f"{WORDS[i % 4]} problem {i}",
                requester(f"User {i % 7} <user{i % 7}@example.org>"),
                f"Details of case {i}",
                priority=PRIORITIES[i % 4],
                category=CATEGORIES[i % 4],
                group=GROUPS[i % 3],
                tags=["vpn"] if i % 5 == 0 else (),
            )
            if i % 4 == 1:
                desk.assign(ticket, ME)
            elif i % 4 == 2:
                desk.assign(ticket, "tom")
            if i % 6 == 0:
                desk.update(ticket, status="solved")
            elif i % 10 == 3:
                desk.reply(ticket, "Could you send a photo?", status="pending")
            elif i % 8 == 4:
                desk.reply(ticket, "Looking at it now.")
        for i in range(0, COUNT, 9):  # touch some old tickets later, so "updated" differs from "newest"
            clock.advance(seconds=30)
            desk.note(i + 1, "Still on it.")
        with store.read():
            records = {i: get_ticket(i) for i in range(1, COUNT + 1)}
    finally:
        store.close()
    return folder / "desk.db", records


@pytest.fixture
def paged(paged_desk: tuple[Path, dict]) -> Iterator[dict[int, object]]:
    """The paging database, open; yields every ticket as get_ticket saw it."""
    store = open_store(paged_desk[0])
    try:
        yield paged_desk[1]
    finally:
        store.close()


def _due(record) -> object:
    running = [d for d in record.due.values() if d is not None]
    return min(running) if running else FAR_FUTURE


def expected_ids(records: dict, view: View) -> list[int]:
    chosen = []
    for r in records.values():
        if view.active is not None and r.active != view.active:
            continue
        if view.status and r.status != view.status:
            continue
        if view.assignee == "" and r.assignee_login is not None:
            continue
        if view.assignee and r.assignee_login != view.assignee:
            continue
        if view.group and r.group != view.group:
            continue
        if view.priority and r.priority != view.priority:
            continue
        if view.category and r.category != view.category:
            continue
        if view.tag and view.tag not in r.tags:
            continue
        if view.requester_email and r.requester_email != view.requester_email.lower():
            continue
        if view.search and view.search.lower() not in r.subject.lower():
            continue
        chosen.append(r)
    key, reverse = {
        "due": (_due, False),
        "newest": (lambda r: r.created_at, True),
        "oldest": (lambda r: r.created_at, False),
        "updated": (lambda r: r.updated_at, True),
        "priority": (lambda r: (-PRIORITIES.index(r.priority), _due(r)), False),
    }[view.sort]
    chosen.sort(key=lambda r: (key(r), r.id), reverse=reverse)
    return [r.id for r in chosen]


FILTERS = {
    "default": {},
    "status": {"status": "pending"},
    "assignee": {"assignee": ME},
    "unassigned": {"assignee": ""},
    "group": {"group": "security"},
    "priority": {"priority": "urgent"},
    "category": {"category": "email"},
    "tag": {"tag": "vpn"},
    "requester": {"requester_email": "USER3@Example.org"},
    "done": {"active": False},
    "all": {"active": None},
    "search": {"search": "printer"},
}


@pytest.mark.parametrize("sort", ["due", "newest", "oldest", "updated", "priority"])
@pytest.mark.parametrize("name", list(FILTERS))
def test_pages_show_every_ticket_once_in_order(paged: dict, sort: str, name: str) -> None:
    view = View(sort=sort, **FILTERS[name])
    expected = expected_ids(paged, view)
    assert len(expected) >= 3, "the fixture must give this view several pages"
    seen, after, pages = [], None, 0
    while True:
        page = list_page(view, after=after, limit=7)
        pages += 1
        assert len(page.rows) <= 7
        assert page.rows, "no page is empty, and the last page has no cursor"
        seen += [row.id for row in page.rows]
        after = page.after
        if after is None:
            break
        assert pages <= COUNT
    assert seen == expected
    assert pages == -(-len(expected) // 7)


def test_page_rows_carry_what_the_queue_shows(paged: dict) -> None:
    page = list_page(View(active=None, sort="oldest"), limit=3)
    first = page.rows[0]
    assert (first.id, first.ref, first.subject) == (1, "#1", "Printer problem 0")
    assert first.requester == "User 0" and first.priority == "low" and first.group == "service-desk"
    assert first.status == "solved" and first.next_due is None  # no clock runs on a solved ticket
    second = page.rows[1]
    assert second.assignee == "Asha Patel" and second.next_due == _due(paged[2])


def test_a_page_that_holds_the_rest_has_no_cursor(paged: dict) -> None:
    total = len(expected_ids(paged, View()))
    assert list_page(View(), limit=total).after is None
    assert list_page(View(), limit=total - 1).after is not None


def test_a_forged_cursor_is_refused_with_a_message(paged: dict) -> None:
    with pytest.raises(ValueError, match="is not a page cursor"):
        list_page(View(), after="not-a-cursor")


def _plan(view: View, after: str | None) -> list[str]:
    query = _ordered(_filtered(view, (Ticket.id,)), view, after).limit(51)
    text, params = query.sql()
    return [row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + text, params).fetchall()]


def _uses_indexes_only(plan: list[str]) -> bool:
    scans = [step for step in plan if step.startswith(("SCAN", "SEARCH"))]
    return all("INDEX" in step for step in scans) and not any("TEMP B-TREE" in step for step in plan)


@pytest.mark.parametrize("sort", ["due", "newest", "oldest", "updated", "priority"])
@pytest.mark.parametrize("paged_on", [False, True])
def test_queue_page_query_reads_an_index_in_order(paged: dict, sort: str, paged_on: bool) -> None:
    after = list_page(View(sort=sort), limit=10).after if paged_on else None
    plan = _plan(View(sort=sort), after)
    assert _uses_indexes_only(plan), plan


@pytest.mark.parametrize("name", ["assignee", "unassigned", "group", "tag", "done"])
def test_filtered_page_query_reads_an_index_in_order(paged: dict, name: str) -> None:
    view = View(**FILTERS[name])
    plan = _plan(view, list_page(view, limit=2).after)
    assert _uses_indexes_only(plan), plan


@pytest.mark.parametrize("sort", ["due", "newest", "oldest", "updated", "priority"])
def test_all_tickets_page_query_reads_an_index_in_order(paged: dict, sort: str) -> None:
    view = View(active=None, sort=sort)
    for after in (None, list_page(view, limit=10).after):
        plan = _plan(view, after)
        assert _uses_indexes_only(plan), plan


# -- full-text search ------------------------------------------------------------------------------------


@pytest.fixture
def searchable(desk: Desk) -> dict[str, int]:
    ids = {
        "covid": desk.create("COVID-19 test results", requester(), "Please send my covid-19 results."),
        "2019": desk.create("covid 2019 archive request", requester(), "The old covid files from 2019."),
        "printer": desk.create("Printer AND scanner near the door", requester(), "It prints blank pages."),
        "excel": desk.create("col:x setting in Excel", requester(), "Column x is hidden."),
        "cafe": desk.create("Wifi in the café", requester(), "It drops every few minutes."),
        "vpn": desk.create("VPN drops", requester(), "AnyConnect shows error 412 at login."),
    }
    return ids


def test_search_finds_subject_words_in_any_case(searchable: dict) -> None:
    assert search_ids("printer") == [searchable["printer"]]
    assert search_ids("EXCEL") == [searchable["excel"]]


def test_search_finds_words_of_messages(desk: Desk, searchable: dict) -> None:
    assert search_ids("AnyConnect") == [searchable["vpn"]]
    desk.reply(searchable["printer"], "Please restart the spooler service.")
    assert search_ids("spooler") == [searchable["printer"]]


def test_search_matches_the_last_word_as_a_prefix(searchable: dict) -> None:
    assert search_ids("scan") == [searchable["printer"]]
    assert search_ids("door prin") == [searchable["printer"]]
    assert search_ids("prin door") == [], "only the last word (still being typed) is a prefix"


def test_search_joins_punctuated_words_into_a_phrase(searchable: dict) -> None:
    assert search_ids("covid-19") == [searchable["covid"]]
    assert set(search_ids("covid")) == {searchable["covid"], searchable["2019"]}


def test_search_ignores_accents(searchable: dict) -> None:
    assert search_ids("cafe") == [searchable["cafe"]]


def test_search_in_a_queue_view(searchable: dict) -> None:
    page = list_page(View(search="covid", sort="oldest"))
    assert [r.id for r in page.rows] == [searchable["covid"], searchable["2019"]]
    assert list_page(View(search="nothing-like-this")).rows == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "'",
        '"unbalanced',
        "AND",
        "OR",
        "NOT",
        "a OR",
        "AND AND",
        "(",
        ")",
        "[",
        "]",
        "[x]",
        "{}",
        "NEAR(",
        "NEAR(a b, 3)",
        "col:x",
        "text:printer",
        "ticket_id:1",
        "search_index:foo",
        "*",
        "-",
        "+",
        "^",
        "\\",
        ":",
        "🔥",
        "😀 printer",
        "🧯🔥",
        "\x00",
        "",
        "   ",
        "-- ; DROP TABLE ticket;",
        pytest.param("x" * 5000, id="5000-letters"),
        pytest.param("ü" * 300, id="300-umlauts"),
        "printer*",
        "*printer",
        "p*r",
        "covid-19-",
        "'; --",
        "\u202eprinter",
    ],
)
def test_whatever_a_person_types_is_searched_for_not_run(searchable: dict, text: str) -> None:
    found = search_ids(text)
    assert set(found) <= set(searchable.values())
    # The queue's search box goes through the same path (an empty box filters nothing); all six
    # tickets share one creation time.
    expected = sorted(found) if text.strip() else sorted(searchable.values())
    assert [r.id for r in list_page(View(search=text, sort="oldest")).rows] == expected
    assert Ticket.select().count() == len(searchable)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("AND", "printer"),
        ("NEAR(", "printer"),
        ("col:x", "excel"),
        ("😀 printer", "printer"),
        ('"printer', "printer"),
        ("printer)", "printer"),
        ("[excel]", "excel"),
        ("412", "vpn"),
    ],
)
def test_query_syntax_is_searched_for_as_text(searchable: dict, text: str, key: str) -> None:
    assert searchable[key] in search_ids(text)


# -- history ---------------------------------------------------------------------------------------------


def test_every_action_appends_history_with_actor_old_new_and_version(desk: Desk, clock: FrozenClock) -> None:
    ticket = desk.create("Screen flickers", requester(), "Since this morning.")
    versions = [1]
    clock.advance(minutes=1)
    versions.append(desk.note(ticket, "Probably the cable."))
    versions.append(desk.update(ticket, priority="high"))
    versions.append(desk.assign(ticket, "tom", "security"))
    versions.append(desk.reply(ticket, "We will swap the cable.", status="pending"))
    versions.append(desk.update(ticket, add_tags=["Hardware"]))
    versions.append(desk.update(ticket, status="solved"))
    versions.append(desk.reopen(ticket))
    assert versions == list(range(1, 9))

    record = desk.ticket(ticket)
    assert record.version == 8
    got = [(e.actor, e.action, e.field, e.old, e.new, e.version) for e in record.events]
    assert got == [
        ("Asha Patel", "created", None, None, "Screen flickers", 1),
        ("Asha Patel", "noted", None, None, None, 2),
        ("Asha Patel", "changed", "priority", "normal", "high", 3),
        ("Asha Patel", "changed", "assignee", None, "tom", 4),
        ("Asha Patel", "changed", "group", None, "security", 4),
        ("Asha Patel", "replied", None, None, None, 5),
        ("Asha Patel", "changed", "status", "new", "pending", 5),
        ("Asha Patel", "changed", "tags", "", "hardware", 6),
        ("Asha Patel", "changed", "status", "pending", "solved", 7),
        ("Asha Patel", "changed", "status", "solved", "open", 8),
    ]
    assert record.events[0].at < record.events[1].at


def test_a_change_that_changes_nothing_records_nothing(desk: Desk) -> None:
    ticket = desk.create("Mouse", requester())
    assert desk.update(ticket, priority="normal", add_tags=[], remove_tags=["absent"]) == 1
    assert len(desk.ticket(ticket).events) == 1


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE event SET actor = 'someone else'",
        "DELETE FROM event",
        "UPDATE event SET new = NULL WHERE id = 1",
    ],
)
def test_history_is_append_only_for_any_program(desk: Desk, store: Store, statement: str) -> None:
    ticket = desk.create("Badge reader", requester())
    before = sql(store.path, "SELECT * FROM event")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        sql(store.path, statement)
    assert sql(store.path, "SELECT * FROM event") == before
    assert desk.ticket(ticket).events[0].actor == "Asha Patel"


# -- version conflicts -----------------------------------------------------------------------------------


@pytest.fixture
def tom(store: Store, config: Config, desk: Desk, clock: FrozenClock) -> Desk:
    """Tom Okafor, a second agent, working on the same desk (desk signs in first, syncing agents)."""
    with store.read():
        row = agent_row("tom")
    assert row is not None
    return Desk(store, config, Actor(row[1], agent_id=row[0]), now=clock)


def test_stale_update_is_refused_naming_who_changed_what(desk: Desk, tom: Desk, clock: FrozenClock) -> None:
    ticket = desk.create("Cannot print", requester())
    seen = desk.ticket(ticket)
    clock.advance(minutes=3)
    tom.update(ticket, version=seen.version, priority="urgent", add_tags=["printer"])
    before = desk.ticket(ticket)

    with pytest.raises(Conflict) as caught:
        desk.update(ticket, version=seen.version, status="solved", priority="low")
    message = str(caught.value)
    assert f"Ticket #{ticket} was changed after you opened it (version 1, now 2)" in message
    assert "Tom Okafor at 2026-03-02 10:03 UTC: priority normal -> urgent" in message
    assert "tags (none) -> printer" in message
    assert "Your change was not saved" in message
    assert caught.value.changes == [
        "Tom Okafor at 2026-03-02 10:03 UTC: priority normal -> urgent",
        "Tom Okafor at 2026-03-02 10:03 UTC: tags (none) -> printer",
    ]
    assert desk.ticket(ticket) == before


def test_stale_reply_is_refused_and_not_sent(desk: Desk, tom: Desk) -> None:
    ticket = desk.create("New starter laptop", requester())
    tom.reply(ticket, "I will set it up.", version=1)
    before = desk.ticket(ticket)
    with pytest.raises(Conflict, match="Tom Okafor .*: replied"):
        desk.reply(ticket, "Me too.", version=1)
    with pytest.raises(Conflict):
        desk.note(ticket, "Duplicate effort?", version=1)
    after = desk.ticket(ticket)
    assert after == before
    assert [m.body for m in after.messages] == ["I will set it up."]


def test_current_version_goes_through(desk: Desk, tom: Desk) -> None:
    ticket = desk.create("Monitor", requester())
    version = tom.update(ticket, version=1, assignee="tom")
    assert desk.update(ticket, version=version, priority="high") == version + 1


def test_failed_action_leaves_no_trace(desk: Desk) -> None:
    ticket = desk.create("Docking station", requester())
    desk.update(ticket, status="closed")
    before = desk.ticket(ticket)
    with pytest.raises(WorkflowError):
        desk.update(ticket, status="open", priority="urgent", add_tags=["x"])
    assert desk.ticket(ticket) == before


# -- upgrades from the first schema ----------------------------------------------------------------------


def make_v1(path: Path, rows: bool = True) -> None:
    """A database as the first PlainDesk wrote it, with one ticket, its message and its history."""
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SCHEMA_V1.read_text())
        if rows:
            connection.executescript("""
                INSERT INTO "group"(id, slug, name) VALUES (1, 'service-desk', 'Service Desk');
                INSERT INTO requester(id, name, email, department, created_at)
                    VALUES (1, 'Old Requester', 'old@example.org', 'Finance', '2025-06-02 09:00:00.000000');
                INSERT INTO ticket(id, subject, status, priority, priority_rank, category, requester_id,
                                   assignee_id, group_id, channel, created_at, updated_at, version, active,
                                   merged_into_id, first_responded_at, solved_at, flagged, first_response_due,
                                   next_update_due, resolution_due, next_due)
                    VALUES (1, 'Legacy printer jams', 'open', 'normal', 1, 'printing', 1, NULL, 1, 'console',
                            '2025-06-02 09:00:00.000000', '2025-06-02 09:30:00.000000', 2, 1, NULL, NULL, NULL,
                            0, NULL, NULL, NULL, '9999-12-31 00:00:00.000000');
                INSERT INTO message(id, ticket_id, kind, author_agent_id, author_requester_id, body, created_at)
                    VALUES (1, 1, 'requester', NULL, 1, 'The toner cartridge rattles.',
                            '2025-06-02 09:00:00.000000');
                INSERT INTO event(id, ticket_id, at, agent_id, actor, action, field, old, new, version)
                    VALUES (1, 1, '2025-06-02 09:00:00.000000', NULL, 'Old Requester', 'created', NULL, NULL,
                            'Legacy printer jams', 1),
                           (2, 1, '2025-06-02 09:30:00.000000', NULL, 'Someone', 'changed', 'status', 'new',
                            'open', 2);
            """)
        connection.commit()
    finally:
        connection.close()


def version_of(path: Path) -> str:
    return dict(sql(path, "SELECT key, value FROM meta"))["schema_version"]


def test_first_schema_is_upgraded_on_open_with_a_backup(
    tmp_path: Path, config: Config, clock: FrozenClock
) -> None:
    path = tmp_path / "desk.db"
    make_v1(path)
    store = open_store(path)
    try:
        backups = list(tmp_path.glob("desk.db.*.bak"))
        assert len(backups) == 1
        assert version_of(backups[0]) == "1"
        assert sql(backups[0], "SELECT subject FROM ticket") == [("Legacy printer jams",)]
        assert version_of(path) == str(migrations.SCHEMA_VERSION)
        assert any(
            f"Upgraded the database from schema 1 to {migrations.SCHEMA_VERSION}" in w
            and str(backups[0]) in w
            for w in store.warnings
        ), store.warnings
        assert "visit" in database.get_tables()

        with store.read():
            assert search_ids("printer") == [1]
            assert search_ids("toner") == [1]
            old = get_ticket(1)
        assert old.subject == "Legacy printer jams" and old.requester_email == "old@example.org"
        assert [m.body for m in old.messages] == ["The toner cartridge rattles."]
        assert [e.describe() for e in old.events] == ["created: Legacy printer jams", "status: new -> open"]

        desk = Desk(store, config, sign_in(store, config), now=clock)
        assert desk.reply(1, "A new cartridge is on its way.", version=2) == 3
        assert desk.create("Brand new ticket", requester()) == 2
        with store.read():
            assert search_ids("cartridge") == [1]
            assert search_ids("brand") == [2]
        with pytest.raises(sqlite3.IntegrityError):
            sql(path, "DELETE FROM event")
    finally:
        store.close()


def schema_of(path: Path) -> set[tuple[str, str, str]]:
    return set(sql(path, "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


def test_upgraded_database_has_the_schema_of_a_new_one(tmp_path: Path) -> None:
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    make_v1(old)
    open_store(old).close()
    open_store(new).close()
    assert schema_of(old) == schema_of(new)
    assert {
        ("trigger", "event_no_delete", "event"),
        ("table", "visit", "visit"),
        ("index", "ticket_next_due_id", "ticket"),
    } <= schema_of(old)


def test_reopening_an_upgraded_database_takes_no_second_backup(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    make_v1(path)
    open_store(path).close()
    store = open_store(path)
    store.close()
    assert store.warnings == []
    assert len(list(tmp_path.glob("desk.db.*.bak"))) == 1


def test_old_schema_without_upgrade_says_how_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    make_v1(path)
    before = digest(path)
    with pytest.raises(DatabaseUnavailable, match=r"older schema \(1\); run `plaindesk db upgrade --db "):
        open_store(path, upgrade=False)
    assert digest(path) == before
    assert not list(tmp_path.glob("*.bak"))


def test_db_upgrade_command_upgrades_the_first_schema(tmp_path: Path, run_cli, db_path: Path) -> None:
    make_v1(db_path)
    result = run_cli("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "Upgraded" in result.stdout
    assert version_of(db_path) == str(migrations.SCHEMA_VERSION)
    assert len(list(tmp_path.glob("desk.db.*.bak"))) == 1


def test_db_upgrade_command_on_a_current_database(run_cli, store: Store) -> None:
    store.close()
    result = run_cli("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "already up to date" in result.stdout


def test_cli_upgrades_the_first_schema_when_it_opens_it(tmp_path: Path, run_cli, db_path: Path) -> None:
    make_v1(db_path)
    result = run_cli("ticket", "show", "1", "--json")
    assert result.returncode == 0, result.stderr
    assert f"Upgraded the database from schema 1 to {migrations.SCHEMA_VERSION}" in result.stderr
    assert '"subject": "Legacy printer jams"' in result.stdout
    assert version_of(db_path) == str(migrations.SCHEMA_VERSION)


def test_newer_schema_is_refused(tmp_path: Path, run_cli, db_path: Path) -> None:
    make_v1(db_path, rows=False)
    sql(db_path, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    before = digest(db_path)
    with pytest.raises(
        SchemaTooNew,
        match=rf"written by a newer PlainDesk \(schema 99; this program knows up to {migrations.SCHEMA_VERSION}\)",
    ):
        open_store(db_path)
    result = run_cli("ticket", "list")
    assert result.returncode == 2
    assert "newer PlainDesk" in result.stderr and "Install the newer PlainDesk" in result.stderr
    assert digest(db_path) == before
    assert not list(tmp_path.glob("*.bak"))


# -- files that are not (usable) PlainDesk databases ------------------------------------------------------


def test_text_file_is_refused_and_left_alone(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n- milk\n")
    before = digest(path)
    with pytest.raises(
        DatabaseUnavailable, match="is not a PlainDesk database \\(it is not an SQLite file\\)"
    ):
        open_store(path)
    result = run_cli("ticket", "new", "--subject", "x", "--requester", "a@example.org", db=path)
    assert result.returncode == 2
    assert "not an SQLite file" in result.stderr and "nothing was changed" in result.stderr
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("notes")) == ["notes.db"]


def _other_programs_database(path: Path) -> None:
    sql(path, "CREATE TABLE foo (x INTEGER)")
    sql(path, "INSERT INTO foo VALUES (42)")


def test_another_programs_database_is_refused(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "other.db"
    _other_programs_database(path)
    with pytest.raises(DatabaseUnavailable, match=r"is an SQLite database of another program \(.*foo\)"):
        open_store(path)
    result = run_cli("ticket", "list", db=path)
    assert result.returncode == 2
    assert "another program (" in result.stderr and "nothing was changed" in result.stderr
    assert sql(path, "SELECT name FROM sqlite_master") == [("foo",)]
    assert sql(path, "SELECT x FROM foo") == [(42,)]


def test_another_programs_database_is_left_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    _other_programs_database(path)
    before = digest(path)
    with pytest.raises(DatabaseUnavailable):
        open_store(path)
    assert digest(path) == before


def test_missing_folder_is_named_and_not_created(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "no" / "such" / "desk.db"
    with pytest.raises(DatabaseUnavailable, match=f"The folder {tmp_path / 'no' / 'such'} does not exist"):
        open_store(path)
    result = run_cli("ticket", "new", "--subject", "x", "--requester", "a@example.org", db=path)
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "mkdir -p" in result.stderr
    assert not (tmp_path / "no").exists()


def test_folder_given_as_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable, match="is a folder; give the path of a database file inside it"):
        open_store(tmp_path)


def test_missing_database_is_not_created_when_reading(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "fresh.db"
    result = run_cli("ticket", "list", db=path)
    assert result.returncode == 2
    assert f"There is no database at {path}" in result.stderr
    assert not path.exists()


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make `path` unwritable for this process: chmod for a normal user; root ignores modes, so for root
    the file is made immutable (chattr +i), which os.access and SQLite respect."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o660)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip(
            "running as root, where file modes do not stop writes, and chattr +i is not available here"
        )
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_read_only_database_is_refused_with_what_to_do(store: Store, desk: Desk, run_cli) -> None:
    desk.create("Before it became read-only", requester())
    store.close()
    before = digest(store.path)
    with read_only(store.path):
        assert not os.access(store.path, os.W_OK)
        with pytest.raises(DatabaseUnavailable, match=r"cannot write to .* \(it is read-only for you\)"):
            open_store(store.path)
        result = run_cli("ticket", "show", "1")
        assert result.returncode == 2
        assert "read-only for you" in result.stderr and "chmod g+w" in result.stderr
        assert digest(store.path) == before


# -- locks and concurrency -------------------------------------------------------------------------------

HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
"""


@contextmanager
def lock_held(path: Path, seconds: float = 20) -> Iterator[None]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_locked_database_gives_up_after_the_busy_timeout(
    tmp_path: Path, store: Store, desk: Desk, run_cli
) -> None:
    desk.create("Already here", requester())
    store.close()
    quick = write_config(
        tmp_path, config_text(**{"busy_timeout_ms: 10000": "busy_timeout_ms: 300"}), "quick.yaml"
    )
    with lock_held(store.path):
        result = run_cli(
            "ticket", "new", "--subject", "Written while locked", "--requester", "a@example.org", config=quick
        )
    assert result.returncode == 1, result.stderr
    assert "stayed busy for 0.3 s" in result.stderr
    assert "Nothing was changed; try again in a moment." in result.stderr
    assert "Traceback" not in result.stderr
    assert sql(store.path, "SELECT subject FROM ticket") == [("Already here",)]


WORKER = """
import sys
from tui.config import load_config
from tui.identity import sign_in
from tui.store import open_store
from tui.workflow import Desk, RequesterInput

config_path, db_path, worker = sys.argv[1], sys.argv[2], int(sys.argv[3])
config = load_config(config_path)
store = open_store(db_path, busy_timeout_ms=config.database.busy_timeout_ms)
desk = Desk(store, config, sign_in(store, config))
print("ready", flush=True)
sys.stdin.readline()
for i in range(25):
    ticket = desk.create(f"Worker {worker} ticket {i}", RequesterInput.parse(f"w{worker}@example.org"), "help")
    desk.reply(ticket, f"Reply from worker {worker}")
    desk.note(ticket, "noted")
store.close()
"""


def test_four_agents_writing_at_once_lose_nothing(store: Store, desk: Desk, config_file: Path) -> None:
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(config_file), str(store.path), str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready"
        for worker in workers:  # start together
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = [worker.communicate(timeout=120) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    for worker, (_, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err
        assert "locked" not in err
    assert sql(
        store.path, "SELECT count(*), min(version), max(version), min(status), max(status) FROM ticket"
    ) == [(100, 3, 3, "open", "open")]
    assert sql(store.path, "SELECT count(*) FROM message WHERE kind = 'public_reply'") == [(100,)]
    assert sql(store.path, "SELECT count(DISTINCT id) FROM ticket") == [(100,)]
    with store.read():
        assert len(search_ids("worker", limit=500)) == 100


CREATE_SLOWLY = """
import sys, time
from pathlib import Path
from tui.store import migrations, sqlite
from tui.store.models import database
db = sqlite.make_database(Path(sys.argv[1]), 10000, 64)
database.initialize(db)
db.connect()
with sqlite.write_transaction(db):
    migrations.create_schema(db)
    print("creating", flush=True)
    time.sleep(3)
"""


def test_two_agents_starting_a_new_desk_at_once(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    creator = subprocess.Popen(
        [sys.executable, "-c", CREATE_SLOWLY, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert creator.stdout.readline().strip() == "creating"
        store = open_store(path)  # should wait for the first process's schema, as it waits for any writer
        store.close()
    finally:
        creator.kill()
        creator.wait()
    assert version_of(path) == str(migrations.SCHEMA_VERSION)


def test_counts_can_stop_at_a_cap_and_filters_by_priority_walk_their_own_index(desk) -> None:
    from tui.store import View, count_tickets
    from tui.workflow import RequesterInput

    for n in range(5):
        desk.create(f"Ticket {n}", RequesterInput.parse("Jo <jo@example.org>"), priority="urgent")
    with desk.store.read():
        assert count_tickets(View()) == 5
        assert count_tickets(View(), cap=3) == 4  # "more than three"
        assert count_tickets(View(), cap=10) == 5
        for view in (View(priority="urgent"), View(category="printing"), View(channel="walk-up")):
            sql, params = _ordered(_filtered(view, (Ticket.id,)), view, None).sql()
            plan = " ".join(
                str(row) for row in desk.store.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)
            )
            assert "USE TEMP B-TREE" not in plan and "SCAN" not in plan, plan


@given(st.datetimes(timezones=st.timezones()))
def test_a_stored_time_reads_back_as_the_same_instant_in_utc(moment) -> None:
    from tui.store.models import UtcDateTimeField

    field = UtcDateTimeField()
    back = field.python_value(field.db_value(moment))
    assert back == moment.astimezone(UTC) and back.tzinfo is UTC


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2026-11-23 04:33:47.170804", datetime(2026, 11, 23, 4, 33, 47, 170804, tzinfo=UTC)),
        ("2026-11-23 04:33:47", datetime(2026, 11, 23, 4, 33, 47, tzinfo=UTC)),
        ("2026-11-23 05:33:47+01:00", datetime(2026, 11, 23, 4, 33, 47, tzinfo=UTC)),
        ("2026-11-23", datetime(2026, 11, 23, tzinfo=UTC)),
    ],
)
def test_times_written_by_other_tools_are_read_too(stored: str, expected: datetime) -> None:
    from tui.store.models import UtcDateTimeField

    assert UtcDateTimeField().python_value(stored) == expected


def test_the_sla_timeline_lists_replies_and_status_changes_in_order(desk: Desk, clock: FrozenClock) -> None:
    from tui.store import tickets as tickets_db

    ticket_id = desk.create("Printer jams", RequesterInput.parse("Jo <jo@example.org>"))
    desk.note(ticket_id, "Not on the timeline: notes stop no clock.")
    clock.advance(minutes=5)
    desk.reply(ticket_id, "Looking at it now.", status="pending")
    with desk.store.read():
        history = tickets_db.sla_history(ticket_id)
    kinds = [kind for _, kind, _ in history]
    assert kinds[0] == "created" and "agent_reply" in kinds and kinds[-1] == "status:pending"
    assert not any("note" in kind for kind in kinds)
    times = [at for at, _, _ in history]
    assert times == sorted(times) and all(at.tzinfo is UTC for at in times)
    reply = next(entry for entry in history if entry[1] == "agent_reply")
    assert reply[0] == clock.now and reply[2] == desk.actor.agent_id


def test_reading_a_views_ids_stops_when_asked(desk: Desk, monkeypatch) -> None:
    from tui.store import View, sqlite, ticket_ids

    for n in range(7):
        desk.create(f"Ticket {n}", RequesterInput.parse("Jo <jo@example.org>"))
    monkeypatch.setattr(sqlite, "STOP_EVERY", 1)  # ask at every step of SQLite's machine
    with desk.store.read():
        every = ticket_ids(View())
        asked = []
        stopped = ticket_ids(View(), stop=lambda: asked.append(1) or len(asked) >= 2)
        unstopped = ticket_ids(View(), stop=lambda: False)
        after = ticket_ids(View())  # the read that was stopped left the transaction usable
    assert len(every) == 7 and list(unstopped) == list(every) == list(after)
    assert stopped is None and len(asked) == 2  # it stopped when asked the second time


def test_packed_ids_keep_the_query_order_and_any_size_of_id(desk: Desk) -> None:
    from tui.store import sqlite

    wanted = [5, 4_294_967_297, 1, 9_007_199_254_740_993, 2**63 - 1, 300]
    sql = f"SELECT value AS id FROM json_each('{wanted}')"
    with desk.store.read():
        assert list(sqlite.packed_ids(desk.store.db, sql, ())) == wanted
        assert list(sqlite.packed_ids(desk.store.db, sql + " WHERE value < 0", ())) == []


def test_a_views_ids_come_in_the_order_of_its_pages(desk: Desk, clock: FrozenClock) -> None:
    from tui.store import View, list_page, ticket_ids
    from tui.store.queries import SORTS

    for n, priority in enumerate(["low", "urgent", "normal", "high", "urgent", "low", "normal"] * 2):
        ticket = desk.create(f"Ticket {n}", RequesterInput.parse("Jo <jo@example.org>"), priority=priority)
        if n % 3 == 0:
            desk.update(ticket, status="solved")
        elif n % 4 == 0:
            desk.reply(ticket, "Could you send a photo?", status="pending")  # its clock pauses
        if n % 5 == 0:
            clock.advance(minutes=7)  # the rest share their times: the id breaks the tie
    with desk.store.read():
        for sort in SORTS:
            for active in (True, False, None):
                view = View(active=active, sort=sort)
                paged, after = [], None
                while True:
                    page = list_page(view, after=after, limit=4)
                    paged += [r.id for r in page.rows]
                    if (after := page.after) is None:
                        break
                assert list(ticket_ids(view)) == paged, (sort, active)
