"""SLA escalation: each breach recorded once per ticket, clock and cycle, with its actions in the history,
however many consoles and cron jobs sweep at once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from tui.escalation import sweep
from tui.store.models import Ticket
from tui.workflow import RequesterInput

JO = RequesterInput.parse("Jo Bloggs <jo@example.org>")


def breaches(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT ticket_id, clock, cycle FROM breach ORDER BY 1, 2, 3").fetchall()


def test_a_breach_is_recorded_once_with_its_actions_in_the_history(
    desk, store, config, clock, db_path
) -> None:
    ticket_id = desk.create("VPN down for the whole office", JO, priority="urgent")  # 15m first response
    clock.advance(minutes=14)
    assert sweep(store, config, "test", now=clock).escalations == []  # not yet
    clock.advance(minutes=2)
    first = sweep(store, config, "test", now=clock)
    assert [(e.ticket_id, e.clock, e.cycle) for e in first.escalations] == [(ticket_id, "first_response", 1)]
    # config.yaml: urgent -> on_breach: [flag_lead, {move_to_group: infrastructure}]
    assert first.escalations[0].actions == ("flagged for the team lead", "moved to infrastructure")
    record = desk.ticket(ticket_id)
    assert record.flagged and record.group == "infrastructure"
    history = [(e.actor, e.action, e.field) for e in record.events]
    assert ("PlainDesk (SLA)", "sla_breached", "sla") in history
    assert ("PlainDesk (SLA)", "escalated", "group") in history
    assert sweep(store, config, "test", now=clock).escalations == []  # idempotent
    assert breaches(db_path) == [(ticket_id, "first_response", 1)]


def test_raise_priority_moves_one_step_and_the_new_targets_apply(desk, store, config, clock) -> None:
    ticket_id = desk.create("Laptop will not start", JO, priority="high")  # 1h first response, office hours
    clock.advance(hours=1, minutes=1)
    result = sweep(store, config, "test", now=clock)
    assert "priority high -> urgent" in result.escalations[0].actions
    assert desk.ticket(ticket_id).priority == "urgent"
    # Urgent targets now apply to the time already counted: its 4h resolution is not yet reached, but
    # the due time is judged on the urgent policy's 24x7 calendar.
    due = desk.ticket(ticket_id).due["resolution"]
    assert due == desk.ticket(ticket_id).created_at + timedelta(hours=4)


def test_each_next_update_cycle_is_a_breach_of_its_own(desk, store, config, clock, db_path) -> None:
    ticket_id = desk.create("Printer offline", JO, priority="urgent")
    desk.reply(ticket_id, "Looking at it now.")  # first response met; next update (1h, 24x7) starts
    clock.advance(hours=1, minutes=1)
    sweep(store, config, "test", now=clock)
    desk.reply(ticket_id, "Still working on it, next update within the hour.")  # cycle 2 starts
    clock.advance(hours=1, minutes=1)
    sweep(store, config, "test", now=clock)
    assert [(c, n) for _, c, n in breaches(db_path)] == [("next_update", 1), ("next_update", 2)]


def test_a_breach_that_happened_before_a_pause_is_still_recorded(desk, store, config, clock, db_path) -> None:
    ticket_id = desk.create("Cannot print payslips", JO, priority="urgent")
    clock.advance(minutes=20)  # first response breached at 15 minutes, but nobody swept yet
    desk.update(ticket_id, status="pending")
    sweep(store, config, "test", now=clock)
    assert (ticket_id, "first_response", 1) in breaches(db_path)
    assert Ticket.get_by_id(ticket_id).escalate_at is None  # paused: nothing more can breach now


SWEEPER = """
import sys
from datetime import datetime
from tui.config import load_config
from tui.escalation import sweep
from tui.store import open_store
config = load_config(sys.argv[1])
store = open_store(sys.argv[2])
now = datetime.fromisoformat(sys.argv[3])
sys.stdin.readline()  # start together
print(len(sweep(store, config, "proc", now=lambda: now).escalations))
"""


def test_many_sweepers_at_once_record_each_breach_exactly_once(
    desk, store, config, clock, config_file, db_path
) -> None:
    ids = [desk.create(f"Outage {n}", JO, priority="urgent") for n in range(30)]
    now = clock.advance(hours=5)  # every first response and resolution target is breached
    store.close()
    sweepers = [
        subprocess.Popen(
            [sys.executable, "-c", SWEEPER, str(config_file), str(db_path), now.isoformat()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for process in sweepers:
        process.stdin.write("go\n")
        process.stdin.flush()
    outputs = [process.communicate(timeout=120) for process in sweepers]
    assert all(process.returncode == 0 for process in sweepers), [err for _, err in outputs]
    recorded = breaches(db_path)
    assert sum(int(out) for out, _ in outputs) == len(recorded) == 2 * len(ids)
    assert len(set(recorded)) == len(recorded)
    with sqlite3.connect(db_path) as connection:
        events = connection.execute("SELECT count(*) FROM event WHERE action = 'sla_breached'").fetchone()[0]
    assert events == len(recorded)


def test_sla_tick_command_reports_and_is_idempotent(run_cli) -> None:
    created = run_cli(
        "ticket", "new", "--subject", "Phones down", "--requester", "jo@example.org", "--priority", "urgent"
    )
    assert created.returncode == 0, created.stderr
    shown = json.loads(run_cli("ticket", "show", "1", "--json").stdout)
    later = shown["created_at"].replace("Z", "+00:00")
    from datetime import datetime

    at = (datetime.fromisoformat(later) + timedelta(minutes=30)).isoformat()
    first = run_cli("sla", "tick", "--now", at)
    assert first.returncode == 0, first.stderr
    assert "#1 first response (cycle 1)" in first.stdout
    assert "recorded 1 new breaches" in first.stdout
    again = run_cli("sla", "tick", "--now", at)
    assert "recorded 0 new breaches" in again.stdout


def test_ticket_show_json_has_every_clock_with_the_spec_fields(run_cli) -> None:
    run_cli(
        "ticket", "new", "--subject", "Wi-Fi slow", "--requester", "jo@example.org", "--priority", "normal"
    )
    clocks = json.loads(run_cli("ticket", "show", "1", "--json").stdout)["clocks"]
    assert set(clocks) == {"first_response", "next_update", "resolution"}
    fields = {"state", "elapsed", "remaining", "breached", "breached_at", "due_at", "warning"}
    assert all(fields <= set(c) for c in clocks.values())
    assert clocks["next_update"]["state"] == "inactive"
    assert clocks["first_response"]["target"] == 4 * 3600
    assert clocks["first_response"]["calendar"] == "office"


def test_sla_explain_says_what_counted_and_what_did_not(desk, store, clock, run_cli) -> None:
    ticket_id = desk.create("Shared drive missing", JO, priority="normal")  # Monday 10:00 UTC
    clock.advance(hours=1)
    desk.reply(ticket_id, "Could you tell me which drive letter it was?", status="pending")
    clock.advance(hours=3)
    desk.requester_reply(ticket_id, "It was the S: drive.", requester=_requester_actor(ticket_id))
    store.close()
    result = run_cli("sla", "explain", str(ticket_id))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "First response - target 4h" in text
    assert "stopped - answered by the first public reply" in text
    assert "paused - the ticket was pending" in text
    assert "Counted 1h of 4h." in text  # only the hour before the reply counted for first response


def _requester_actor(ticket_id: int):
    from tui.store.models import Ticket as T
    from tui.store.tickets import Actor

    requester = T.get_by_id(ticket_id).requester
    return Actor(requester.name, requester_id=requester.id)


def test_a_sweep_pages_through_every_due_ticket_by_its_escalation_time(
    desk, store, config, clock, monkeypatch
) -> None:
    import tui.escalation

    for n in range(5):
        desk.create(f"Badge reader {n} dead", RequesterInput.parse("Jo <jo@example.org>"), priority="urgent")
        clock.advance(minutes=1)
    desk.create("Not due yet", RequesterInput.parse("Ann <ann@example.org>"), priority="low")
    clock.advance(minutes=30)  # past every urgent first response, not the low one
    monkeypatch.setattr(tui.escalation, "BATCH", 2)
    limited = sweep(store, config, "test", now=clock, limit=2)
    assert limited.tickets_checked == 2
    rest = sweep(store, config, "test", now=clock)
    escalated = {e.ticket_id for e in limited.escalations} | {e.ticket_id for e in rest.escalations}
    assert len(escalated) == 5 and rest.tickets_checked == 3
    assert sweep(store, config, "test", now=clock).tickets_checked == 0


def test_due_tickets_are_found_through_the_escalation_index(store, clock) -> None:
    from tui.store.escalations import due_for_escalation

    with store.read():
        query = Ticket.select(Ticket.escalate_at, Ticket.id).where(Ticket.escalate_at <= clock())
        sql, params = query.order_by(Ticket.escalate_at, Ticket.id).limit(100).sql()
        plan = " ".join(row[3] for row in store.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
        assert due_for_escalation(clock(), None, 100) == []
    assert "ticket_escalate_at" in plan and "SCAN" not in plan
