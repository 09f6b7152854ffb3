"""Export and import: a demo desk survives export -> import whole, and a bad file imports nothing."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.config import Config
from tui.demo import build_demo
from tui.escalation import sweep
from tui.identity import current_login, sign_in
from tui.store import Store, get_ticket, open_store, search_ids, walkup
from tui.store.migrations import SCHEMA_VERSION
from tui.store.tickets import Actor
from tui.transfer import CSV_EXPORT_COLUMNS, TransferError, export_tickets, import_tickets
from tui.workflow import Desk, RequesterInput

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # a Monday morning
ME = current_login()


def opened(path: Path, config: Config) -> Store:
    return open_store(path, busy_timeout_ms=config.database.busy_timeout_ms)


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def enrich(store: Store, config: Config) -> None:
    """What the demo does not make: ratings, recorded breaches, reply-helper findings, a merge, a
    requester with no e-mail address, text that looks like a spreadsheet formula."""
    clock = [NOW]
    desk = Desk(store, config, sign_in(store, config), now=lambda: clock[0])
    walk_in = desk.create("=SUM(A1) printer", RequesterInput("Walk In"), "No e-mail.", channel="walk-up")
    desk.reply(walk_in, "Fixed it.", status="solved", plain_findings=0)
    desk.reply(1, "Following up.", plain_findings=3)
    desk.merge(2, 3)
    with store.read():
        solved = [
            r[0] for r in store.db.execute_sql("SELECT id FROM ticket WHERE status = 'solved'").fetchall()
        ]
    with store.write():
        for n, ticket_id in enumerate(solved[:10]):
            walkup.rate(ticket_id, n % 5 + 1, "Slow" if n % 5 < 2 else "", NOW)
    found = sweep(store, config, "sla tick", now=lambda: NOW + timedelta(hours=6))
    assert found.escalations, "the demo should have tickets that breach"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path, Config]:
    """A 200-ticket demo (enriched), and its export."""
    from conftest import config_text

    from tui.config import load_config

    folder = tmp_path_factory.mktemp("transfer")
    (folder / "config.yaml").write_text(config_text())
    config = load_config(folder / "config.yaml")
    source = folder / "source.db"
    build_demo(source, config, tickets=200, seed=4, now=NOW)
    store = opened(source, config)
    try:
        enrich(store, config)
        with (folder / "export.jsonl").open("w", encoding="utf-8") as out:
            assert export_tickets(store, out) == 201
    finally:
        store.close()
    return source, folder / "export.jsonl", config


def records(path: Path, config: Config, ids: list[int]) -> list:
    store = opened(path, config)
    try:
        with store.read():
            return [get_ticket(i) for i in ids], search_ids("printer")
    finally:
        store.close()


def test_export_then_import_loses_nothing(exported, tmp_path: Path) -> None:
    source, file, config = exported
    target = tmp_path / "target.db"
    store = opened(target, config)
    seen = []
    try:
        result = import_tickets(store, config, file, progress=lambda done, total: seen.append((done, total)))
    finally:
        store.close()
    assert (result.tickets, result.format, result.renumbered) == (201, "jsonl", False)
    assert seen[-1] == (402, 402) and seen == sorted(seen)  # checking, then writing

    ids = list(range(1, 202))
    assert records(target, config, ids) == records(source, config, ids)  # fields, thread, history, search
    # Every stored column, not only what a ticket record shows (requesters are matched, not numbered).
    for sql in (
        "SELECT t.*, r.name, r.email, r.department, r.created_at FROM ticket t JOIN requester r "
        "ON r.id = t.requester_id ORDER BY t.id",
        "SELECT m.id, m.ticket_id, m.kind, m.body, m.created_at, m.plain_findings, a.login, r.email, r.name "
        "FROM message m LEFT JOIN agent a ON a.id = m.author_agent_id "
        "LEFT JOIN requester r ON r.id = m.author_requester_id ORDER BY m.id",
        "SELECT e.id, e.ticket_id, e.at, a.login, e.actor, e.action, e.field, e.old, e.new, e.version "
        "FROM event e LEFT JOIN agent a ON a.id = e.agent_id ORDER BY e.id",
        "SELECT ticket_id, clock, cycle, breached_at, recorded_at, recorded_by FROM breach ORDER BY 1, 2, 3",
        "SELECT ticket_id, score, comment, rated_at FROM rating ORDER BY 1",
        "SELECT tt.ticket_id, tag.name FROM ticket_tag tt JOIN tag ON tag.id = tt.tag_id ORDER BY 1, 2",
        # Not in the file: judged again from the imported history, as the demo and the actions wrote it.
        "SELECT o.ticket_id, o.clock, o.cycle, o.started_us, o.stopped_us, o.reopened_us, o.over_us, "
        "o.business_us, o.on_time, a.login FROM clock_outcome o LEFT JOIN agent a ON a.id = o.agent_id "
        "ORDER BY 1, 2, 3",
    ):
        # ticket.requester_id (column 6) is the one number that may differ.
        source_rows = [r[:6] + r[7:] for r in rows(source, sql)] if "t.*" in sql else rows(source, sql)
        target_rows = [r[:6] + r[7:] for r in rows(target, sql)] if "t.*" in sql else rows(target, sql)
        assert target_rows == source_rows, sql
    assert rows(target, "SELECT count(*) FROM breach")[0][0] > 0
    assert rows(target, "SELECT count(*) FROM rating")[0][0] == 10
    assert rows(target, "SELECT count(DISTINCT ticket_id) FROM clock_outcome")[0][0] == 201
    assert rows(target, "SELECT count(*) FROM message WHERE plain_findings IS NOT NULL")[0][0] == 2


def test_the_export_file_says_what_it_holds(exported) -> None:
    _, file, _ = exported
    lines = file.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert (header["plaindesk_export"], header["schema"], header["tickets"]) == (1, SCHEMA_VERSION, 201)
    first = json.loads(lines[1])
    assert first["id"] == 1 and first["created_at"].endswith("Z")
    assert {"messages", "events", "breaches", "rating", "tags", "requester", "assignee", "sla"} <= set(first)
    merged = json.loads(lines[2])
    assert merged["merged_into"] == 3 and merged["active"] is False


def test_importing_into_a_desk_that_has_those_tickets_is_refused_whole(exported, tmp_path) -> None:
    source, file, config = exported
    copy = tmp_path / "copy.db"
    copy.write_bytes(source.read_bytes())
    before = rows(copy, "SELECT count(*) FROM ticket")
    store = opened(copy, config)
    try:
        with pytest.raises(TransferError) as refused:
            import_tickets(store, config, file)
    finally:
        store.close()
    assert len(refused.value.problems) == 201
    assert refused.value.problems[0].startswith("line 2: ticket #1 already exists in this database")
    assert "... and 101 more." in str(refused.value)
    assert rows(copy, "SELECT count(*) FROM ticket") == before


def test_numbers_are_kept_beside_other_tickets_and_messages_renumbered(store, config, desk, tmp_path) -> None:
    desk.create("First desk", RequesterInput("Jo"), "Hi.")  # ticket 1, message 1, history 1
    message = {
        "id": 1,
        "kind": "requester",
        "created_at": "2026-03-02T10:00:00Z",
        "author_agent": None,
        "author_requester": None,
        "body": "From the other desk.",
        "plain_findings": None,
    }
    path = tmp_path / "other.jsonl"
    header = json.dumps({"plaindesk_export": 1, "tickets": 1})
    path.write_text(f"{header}\n{ticket_line(id=5, messages=[message])}\n", encoding="utf-8")
    result = import_tickets(store, config, path)
    with store.read():
        moved, first = get_ticket(5), get_ticket(1)
    assert result.renumbered and moved.subject == "Printer jams"
    assert [m.body for m in moved.messages] == ["From the other desk."] and moved.messages[0].id == 2
    assert [m.body for m in first.messages] == ["Hi."]
    assert [e.action for e in moved.events] == ["created"]


# -- bad files -----------------------------------------------------------------------------------------


def ticket_line(**changes) -> str:
    ticket = {
        "id": 1,
        "subject": "Printer jams",
        "status": "open",
        "priority": "normal",
        "category": "printing",
        "channel": "email",
        "requester": {
            "key": 1,
            "name": "Jo",
            "email": "jo@example.org",
            "department": None,
            "created_at": "2026-03-02T10:00:00Z",
        },
        "assignee": None,
        "group": None,
        "tags": [],
        "created_at": "2026-03-02T10:00:00Z",
        "updated_at": "2026-03-02T10:00:00Z",
        "version": 1,
        "active": True,
        "flagged": False,
        "merged_into": None,
        "first_responded_at": None,
        "solved_at": None,
        "sla": {},
        "messages": [],
        "events": [
            {
                "id": 1,
                "at": "2026-03-02T10:00:00Z",
                "agent": None,
                "actor": "Jo",
                "action": "created",
                "field": None,
                "old": None,
                "new": "Printer jams",
                "version": 1,
            }
        ],
        "breaches": [],
        "rating": None,
    }
    ticket.update(changes)
    return json.dumps(ticket)


def test_every_bad_line_is_reported_and_nothing_is_imported(store: Store, config: Config, tmp_path) -> None:
    event = {
        "id": 9,
        "at": "2026-03-02T10:00:00Z",
        "agent": None,
        "actor": "Jo",
        "action": "created",
        "field": None,
        "old": None,
        "new": "x",
        "version": 1,
    }
    lines = [
        json.dumps({"plaindesk_export": 1, "schema": 6, "tickets": 7}),
        ticket_line(),  # line 2: good
        ticket_line(id=2, status="frozen", events=[{**event, "id": 2}]),  # 3
        '{"id": 3, "subject": ',  # 4
        ticket_line(id=1, events=[{**event, "id": 4}]),  # 5: the number of line 2
        ticket_line(id=5, created_at="yesterday", subject="", events=[{**event, "id": 5}]),  # 6
        ticket_line(id=6, merged_into=99, events=[{**event, "id": 6}]),  # 7
        ticket_line(
            id=7,
            messages=[
                {
                    "id": 1,
                    "kind": "shout",
                    "created_at": "2026-03-02T10:00:00Z",
                    "author_agent": None,
                    "author_requester": None,
                    "body": "x",
                    "plain_findings": -1,
                }
            ],
            events=[{**event, "id": 7}],
        ),  # 8
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TransferError) as refused:
        import_tickets(store, config, path)
    assert refused.value.problems == [
        "line 3: status 'frozen' is not one of this desk's: new, open, pending, solved, closed",
        "line 4: not JSON (Expecting value at column 21)",
        "line 5: ticket #1 is also on line 2",
        "line 6: subject is empty; created_at should be a time in UTC like 2026-03-02T10:00:00Z, not 'yesterday'",
        "line 7: merged_into #99 is neither in the file nor in this database",
        "line 8: messages[0].plain_findings should be a whole number of 0 or more, not -1; "
        "messages[0].kind 'shout' should be one of public_reply, internal_note, requester, system",
    ]
    assert str(refused.value).startswith(f"{path} has 6 bad rows; nothing was imported.")
    with store.read():
        assert store.db.execute_sql("SELECT count(*) FROM ticket").fetchone()[0] == 0
        assert store.db.execute_sql("SELECT count(*) FROM requester").fetchone()[0] == 0


def test_a_cut_short_export_is_refused(store, config, tmp_path) -> None:
    path = tmp_path / "short.jsonl"
    path.write_text(json.dumps({"plaindesk_export": 1, "tickets": 3}) + "\n" + ticket_line() + "\n")
    with pytest.raises(TransferError) as refused:
        import_tickets(store, config, path)
    assert refused.value.problems == [
        "line 1: the header promises 3 tickets but the file holds 1 (was it cut short?)"
    ]
    path.write_text(ticket_line() + "\n")
    with pytest.raises(TransferError, match="is not a PlainDesk export: line 1 should be its header"):
        import_tickets(store, config, path)


# -- ticket CSV from another help desk ------------------------------------------------------------------

OTHER_DESK = """\
Ticket ID,Title,State,Priority,Requester,Email,Created,Description,Category,Tags,Assigned To,SLA Plan
101,VPN keeps dropping,In Progress,High,Kim Lee,Kim.Lee@example.org,2026-03-02 09:15,"Since Monday,
every hour.",network,"vpn, remote",tom,Gold
102,Printer out of toner,Resolved,Medium,Sam Roe,sam@example.org,2026-03-01T08:00:00Z,,printing,,,Gold
,Password reset,On Hold,,Kim Lee,kim.lee@example.org,2026-03-03,Locked out.,,,,
"""


def test_a_help_desk_csv_is_mapped_column_by_column(store: Store, config: Config, tmp_path, desk) -> None:
    path = tmp_path / "other.csv"
    path.write_text(OTHER_DESK, encoding="utf-8")
    result = import_tickets(store, config, path, importer=desk.actor, now=NOW)
    assert (result.tickets, result.format, result.ignored_columns) == (3, "csv", ("SLA Plan",))
    with store.read():
        vpn, toner, reset = (
            get_ticket(101),
            get_ticket(102),
            get_ticket(103),
        )  # the row with no id: next number
    assert (vpn.subject, vpn.status, vpn.priority, vpn.category, vpn.assignee_login) == (
        "VPN keeps dropping",
        "open",
        "high",
        "network",
        "tom",
    )
    assert (vpn.requester_name, vpn.requester_email, vpn.tags, vpn.channel) == (
        "Kim Lee",
        "kim.lee@example.org",
        ("remote", "vpn"),
        "import",
    )
    assert vpn.created_at == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)  # London = UTC in early March
    assert [(m.kind, m.body, m.author) for m in vpn.messages] == [
        ("requester", "Since Monday,\nevery hour.", "Kim Lee")
    ]
    assert [(e.action, e.field, e.new, e.actor) for e in vpn.events] == [
        ("created", None, "VPN keeps dropping", "Asha Patel (import)"),
        ("changed", "status", "open", "Asha Patel (import)"),
    ]
    assert vpn.due["resolution"] is not None  # open: its SLA clocks run from created_at
    assert (toner.status, toner.priority, toner.active, toner.messages) == ("solved", "normal", False, [])
    assert (reset.status, reset.priority, reset.requester_email) == (
        "pending",
        "normal",
        "kim.lee@example.org",
    )
    with store.read():  # Kim Lee is one requester, found by e-mail address whatever its case
        assert store.db.execute_sql("SELECT count(*) FROM requester").fetchone()[0] == 2


def test_bad_csv_rows_are_reported_by_the_line_they_start_on(store: Store, config: Config, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,subject,status,priority,requester_name,requester_email,created_at,description\n"
        '1,Fine,new,normal,Jo,jo@example.org,2026-03-02 09:00,"two\nlines"\n'  # lines 2-3
        "2,Bad status,frozen,normal,Jo,jo@example.org,2026-03-02 09:00,\n"  # 4
        "3,,new,urgentish,,not-an-address,03/02/2026,\n"  # 5
        "1,Same number,new,normal,Jo,jo@example.org,2026-03-02 09:00,\n",  # 6
        encoding="utf-8",
    )
    with pytest.raises(TransferError) as refused:
        import_tickets(store, config, path)
    assert refused.value.problems == [
        "line 4: status 'frozen' is not known; use one of: new, open, pending, solved, closed (or a word in "
        "docs/reports.md)",
        "line 5: subject is empty; priority 'urgentish' is not known; use one of: low, normal, high, urgent (or a "
        "word in docs/reports.md); requester: 'not-an-address' is not an e-mail address; write it as \"Name "
        "<name@example.org>\", with one address.; created_at '03/02/2026' is not a time; write it like "
        "2026-11-03 09:15 (or with Z for UTC)",
        "line 6: ticket #1 is also on line 2",
    ]
    with store.read():
        assert store.db.execute_sql("SELECT count(*) FROM ticket").fetchone()[0] == 0


def test_a_csv_without_the_needed_columns_is_refused(store, config, tmp_path) -> None:
    path = tmp_path / "thin.csv"
    path.write_text("Title,Notes\nPrinter,x\n", encoding="utf-8")
    with pytest.raises(TransferError) as refused:
        import_tickets(store, config, path)
    assert refused.value.problems == [
        "the header has no created_at, requester_name or requester_email column (see docs/reports.md for the names)"
    ]


def test_the_csv_export_reads_back_and_never_runs_as_a_formula(exported, tmp_path) -> None:
    source, _, config = exported
    store = opened(source, config)
    buffer = io.StringIO()
    try:
        export_tickets(store, buffer, "csv")
    finally:
        store.close()
    text = buffer.getvalue()
    lines = text.splitlines()
    assert lines[0] == ",".join(CSV_EXPORT_COLUMNS)
    assert "'=SUM(A1) printer" in text  # the walk-in ticket's subject, defused
    (tmp_path / "export.csv").write_text(text, encoding="utf-8")
    target = opened(tmp_path / "from-csv.db", config)
    try:
        result = import_tickets(
            target, config, tmp_path / "export.csv", importer=Actor("Asha Patel"), now=NOW
        )
        with target.read():
            walk_in = get_ticket(201)
            first = get_ticket(1)
    finally:
        target.close()
    assert result.tickets == 201
    assert "messages" in result.ignored_columns and "rating" in result.ignored_columns
    assert (walk_in.subject, walk_in.status, walk_in.requester_name) == (
        "=SUM(A1) printer",
        "solved",
        "Walk In",
    )
    original = records(source, config, [1])[0][0]
    assert (first.subject, first.status, first.priority, first.tags, first.created_at) == (
        original.subject,
        original.status,
        original.priority,
        original.tags,
        original.created_at,
    )
    assert first.messages[0].body == original.messages[0].body
