"""SLA compliance counted from the stored clock outcomes equals the engine's judgement (report_oracle).

On a real demo database (a few thousand tickets over six weeks), for past and running periods, a week,
a group and a category; again after tickets are worked through the real workflow (replies, solves,
reopens, pauses, priority changes, a merge, the escalation sweep); and after an upgrade from schema 6,
which fills the table from the history.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import FrozenClock, config_text
from report_oracle import _percentile, judge

from tui.config import Config, load_config
from tui.demo import build_demo
from tui.escalation import sweep
from tui.identity import sign_in
from tui.reports import _judge, agents, build_report, report_scope, sla_compliance
from tui.store import Store, open_store, walkup
from tui.store import tickets as db
from tui.store.tickets import Actor
from tui.workflow import Desk, WorkflowError

NOW = datetime(2026, 11, 18, 15, 30, tzinfo=UTC)
"""A Wednesday afternoon; the demo's tickets go back about six weeks from here."""
SCOPES = [
    ("2026-10", None, None),  # a past month (its start is older than the demo)
    ("2026-11", None, None),  # the current month, judged now
    ("2026-W45", None, None),  # a past week
    ("2026-W47", None, None),  # the current week
    ("2026-11", "service-desk", None),
    ("2026-10-20..2026-11-18", None, "hardware"),
    ("2026-11-18", "infrastructure", "network"),  # today, judged now
]


@pytest.fixture(scope="module")
def demo_desk(tmp_path_factory) -> tuple[Path, Config]:
    folder = tmp_path_factory.mktemp("outcomes")
    (folder / "config.yaml").write_text(config_text())
    config = load_config(folder / "config.yaml")
    path = folder / "demo.db"
    build_demo(path, config, tickets=5000, seed=5, now=NOW)
    return path, config


@pytest.fixture
def desk_copy(demo_desk, tmp_path) -> tuple[Store, Config]:
    path, config = demo_desk
    copy = tmp_path / "desk.db"
    shutil.copyfile(path, copy)
    store = open_store(copy, busy_timeout_ms=config.database.busy_timeout_ms)
    yield store, config
    store.close()


def assert_matches_the_engine(store: Store, config: Config, now: datetime) -> None:
    for period, group, category in SCOPES:
        scope = report_scope(config, period, group, category, now=now)
        expected, responders = judge(store, config, scope)
        assert sla_compliance(store, config, scope) == expected, (period, group, category)
        with store.read():
            found = _judge(store, config, scope).first_responders
        found = {a: sorted(timedelta(microseconds=us) for us in t) for a, t in found.items()}
        assert found == {a: sorted(t) for a, t in responders.items()}
        medians = {(r.first_responses, r.median_first_response) for r in agents(store, config, scope).agents}
        assert {(len(t), _percentile(t, 0.5)) for t in responders.values()} <= medians


def test_a_demo_desk_reports_what_the_engine_judges(demo_desk) -> None:
    path, config = demo_desk
    store = open_store(path, busy_timeout_ms=config.database.busy_timeout_ms)
    try:
        report = build_report(store, config, "2026-11", now=NOW).sla
        first, update, resolution = report.clocks
        # The demo is varied enough for the comparison to mean something.
        assert report.tickets > 1000
        assert min(first.met_on_time, first.met_late, first.breached_open, first.open_within_target) > 0
        assert min(update.met_on_time, update.met_late, update.breached_open, update.open_within_target) > 0
        assert min(resolution.met_on_time, resolution.met_late, resolution.breached_open) > 0
        assert_matches_the_engine(store, config, NOW)
    finally:
        store.close()


def work(store: Store, config: Config, clock: FrozenClock) -> None:
    """Work tickets of the last two weeks the way agents and requesters do, a few minutes apart."""
    desk = Desk(store, config, sign_in(store, config), now=clock)
    with store.read():
        other = Desk(store, config, Actor("Tom Okafor", agent_id=db.agent_id("tom"), login="tom"), now=clock)
        tickets = store.db.execute_sql(
            "SELECT id, status, priority FROM ticket WHERE created_at >= '2026-11-04' AND merged_into_id "
            "IS NULL ORDER BY id"
        ).fetchall()
    by_status: dict[str, list[int]] = {}
    for ticket_id, status, _ in tickets:
        by_status.setdefault(status, []).append(ticket_id)
    done = 0

    def step(action) -> None:
        nonlocal done
        clock.advance(minutes=7)
        with suppress(WorkflowError):  # a move the config does not allow: agents get the same refusal
            action()
        done += 1

    for ticket_id in by_status["new"][:25]:
        step(lambda t=ticket_id: other.reply(t, "Looking at it now."))
    for ticket_id in by_status["new"][25:35]:
        step(lambda t=ticket_id: desk.reply(t, "Sorted.", status="solved"))  # a solve by the first reply
    for ticket_id in by_status["new"][35:45]:
        step(lambda t=ticket_id: desk.update(t, status="solved"))  # solved before any reply
    for ticket_id in by_status["open"][:20]:
        step(lambda t=ticket_id: desk.update(t, status="pending"))
        step(lambda t=ticket_id: desk.requester_reply(t, "Still broken.", requester(store, t)))
        step(lambda t=ticket_id: desk.reply(t, "Trying something else."))
    for ticket_id in by_status["solved"][:30]:
        step(lambda t=ticket_id: desk.reopen(t))  # resolution runs again, a new update cycle starts
    for ticket_id in by_status["solved"][:10]:
        step(lambda t=ticket_id: desk.reply(t, "Fixed for good.", status="solved"))
    for ticket_id in by_status["solved"][30:40]:
        step(lambda t=ticket_id: desk.reply(t, "One more thing."))  # a reply on a solved ticket
    for ticket_id, _, priority in tickets[::40]:
        new = "urgent" if priority != "urgent" else "low"
        step(lambda t=ticket_id, p=new: desk.update(t, priority=p))  # targets change for all time
    step(lambda: desk.merge(by_status["open"][30], by_status["open"][31]))
    assert done > 150
    clock.advance(hours=5)
    assert sweep(store, config, "sla tick", now=clock).escalations  # raises some priorities


def requester(store: Store, ticket_id: int) -> Actor:
    with store.read():
        person = walkup.requester_of(ticket_id)
    return Actor(person[1], requester_id=person[0])


def test_the_workflow_keeps_the_outcomes_right(desk_copy) -> None:
    store, config = desk_copy
    clock = FrozenClock(NOW + timedelta(minutes=5))
    work(store, config, clock)
    assert_matches_the_engine(store, config, clock.now)
    assert_matches_the_engine(store, config, clock.now + timedelta(days=1, hours=3))  # later, no action


def test_refreshing_a_ticket_again_changes_no_row(desk_copy) -> None:
    store, config = desk_copy
    before = table(store)
    desk = Desk(store, config, sign_in(store, config), now=FrozenClock(NOW + timedelta(hours=1)))
    with store.write():
        for ticket_id in range(1, 5001, 97):
            ticket = db.lock_ticket(ticket_id)
            desk._refresh_dues(ticket, desk.now())
    assert table(store) == before


def table(store: Store) -> list[tuple]:
    with store.read():
        return store.db.execute_sql("SELECT * FROM clock_outcome ORDER BY 1, 2, 3").fetchall()


def test_an_upgrade_from_schema_6_fills_the_table_and_reports_the_same(demo_desk, tmp_path, monkeypatch):
    path, config = demo_desk
    monkeypatch.delenv("PLAINDESK_CONFIG", raising=False)  # the upgrade judges with the config found
    old = tmp_path / "v6.db"
    shutil.copyfile(path, old)
    store = open_store(old)
    try:
        expected = table(store), build_report(store, config, "2026-11", now=NOW)
    finally:
        store.close()
    with sqlite3.connect(old) as connection:  # back to what schema 6 had
        connection.execute("DROP TABLE clock_outcome")
        connection.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    steps = []
    store = open_store(old, progress=lambda done, total: steps.append((done, total)))
    try:
        assert store.upgraded is not None and store.upgraded[0] == 6
        assert steps[-1] == (5000, 5000) and len(steps) > 1
        assert (table(store), build_report(store, config, "2026-11", now=NOW)) == expected
    finally:
        store.close()
