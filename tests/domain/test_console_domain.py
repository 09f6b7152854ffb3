"""What the console stands on, without Textual: views, countdowns, drafts, presence, words for times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import START

from tui.canned import fill, load_canned
from tui.countdown import clock_countdown, format_left, row_countdown
from tui.identity import sign_in
from tui.plain.replies import checklist
from tui.plain.when import plain_when
from tui.session import AgentSession
from tui.store import View, list_page, rows_by_ids
from tui.views import QUEUE_VIEWS, QueueSource, build_view
from tui.workflow import Desk, RequesterInput

LONDON = ZoneInfo("Europe/London")


def person(text: str = "Jo <jo@example.org>") -> RequesterInput:
    return RequesterInput.parse(text)


# -- plain words for a due time ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        (timedelta(hours=5, minutes=27), "by 3:30 pm today"),
        (timedelta(hours=2), "by 12 noon today"),
        (timedelta(days=1), "by 10 am tomorrow"),
        (timedelta(days=3, hours=1), "by 11 am on Thursday"),
        (timedelta(days=10), "by 10 am on Thursday 12 March"),
    ],
)
def test_a_due_time_in_plain_words(offset: timedelta, words: str) -> None:
    assert plain_when(START + offset, START, LONDON) == words


def test_plain_words_use_the_readers_timezone() -> None:
    assert plain_when(START, START - timedelta(hours=1), ZoneInfo("America/New_York")) == "by 5 am today"


# -- countdowns ---------------------------------------------------------------------------------------


def test_a_countdown_counts_business_time_and_turns_amber_then_red(desk: Desk, clock) -> None:
    ticket = desk.create("Payroll export fails", person(), priority="normal")
    row = rows_by_ids_in(desk, ticket)
    countdown = clock_countdown(desk.config, row, desk.clocks(ticket), clock())
    assert countdown is not None and countdown.clock == "first_response"
    assert countdown.state(clock()) == "ok"
    target = desk.config.sla["normal"].targets["first_response"].duration
    assert countdown.remaining(clock()) == target
    assert countdown.state(clock() + target * 0.8) == "warning"
    assert countdown.state(countdown.due_at + timedelta(minutes=1)) == "breached"
    assert countdown.remaining(countdown.due_at + timedelta(minutes=1)) == -timedelta(minutes=1)


def test_a_countdown_does_not_move_outside_business_hours(desk: Desk, clock) -> None:
    ticket = desk.create("Monitor dead", person(), priority="low")
    countdown = clock_countdown(desk.config, rows_by_ids_in(desk, ticket), desk.clocks(ticket), clock())
    evening = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
    morning = datetime(2026, 3, 3, 6, 0, tzinfo=UTC)
    assert countdown.remaining(evening) == countdown.remaining(morning)


def test_a_paused_ticket_shows_paused_in_the_queue(desk: Desk) -> None:
    ticket = desk.create("Need a photo of the error", person())
    desk.reply(ticket, "Could you send a photo of the message?", status="pending")
    row = rows_by_ids_in(desk, ticket)
    assert row_countdown(desk.config, row).state(desk.now()) == "paused"


def test_queue_rows_carry_the_cached_warning_time(desk: Desk, clock) -> None:
    ticket = desk.create("Slow laptop", person(), priority="normal")
    row = rows_by_ids_in(desk, ticket)
    countdown = row_countdown(desk.config, row)
    assert row.warn_due is not None and row.warn_due < row.next_due
    assert countdown.state(clock()) == "ok"
    assert countdown.state(row.warn_due) == "warning"


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(hours=2, minutes=5), "2h 05m"),
        (timedelta(minutes=45), "45m"),
        (timedelta(days=3, hours=4), "3d 4h"),
        (-timedelta(hours=1, minutes=10), "-1h 10m"),
        (None, "-"),
    ],
)
def test_time_left_is_short(left, text) -> None:
    assert format_left(left) == text


def test_next_breaches_lists_the_soonest_first_then_paused(desk: Desk, config, clock) -> None:
    low = desk.create("Low", person(), priority="low")
    urgent = desk.create("Urgent", person(), priority="urgent")
    waiting = desk.create("Waiting", person(), priority="normal")
    desk.reply(waiting, "Could you send a photo?", status="pending")
    session = AgentSession(desk.store, config, desk.actor.agent_id, clock)
    found = session.next_breaches()
    assert [c.ticket_id for c in found] == [urgent, low, waiting]
    assert found[-1].paused and found[-1].state(clock()) == "paused"


def test_countdowns_are_worked_out_again_only_for_tickets_that_changed(
    desk: Desk, config, clock, monkeypatch
) -> None:
    import tui.session

    first = desk.create("First", person(), priority="urgent")
    second = desk.create("Second", person(), priority="high")
    session = AgentSession(desk.store, config, desk.actor.agent_id, clock)
    worked_out = []
    real = tui.session.ticket_clocks
    monkeypatch.setattr(
        tui.session,
        "ticket_clocks",
        lambda config, priority, timeline, now: (
            worked_out.append(priority) or real(config, priority, timeline, now)
        ),
    )
    before = {c.ticket_id: c for c in session.next_breaches()}
    assert sorted(worked_out) == ["high", "urgent"]
    clock.advance(minutes=5)
    assert {c.ticket_id: c for c in session.next_breaches()} == before  # nothing changed: nothing worked out
    assert len(worked_out) == 2
    desk.reply(first, "On my way with a spare keyboard; I'll update you by noon.")
    after = {c.ticket_id: c for c in session.next_breaches()}
    assert worked_out[2:] == ["urgent"]  # only the ticket that changed
    assert before[first].clock == "first_response" and after[first].clock == "next_update"
    assert after[second] == before[second]


def test_tickets_already_late_leave_the_countdowns_and_are_counted(desk: Desk, config, clock) -> None:
    late = desk.create("Late", person(), priority="urgent")
    clock.advance(minutes=20)  # past the 15-minute first response
    soon = desk.create("Soon", person(), priority="urgent")
    session = AgentSession(desk.store, config, desk.actor.agent_id, clock)
    assert [c.ticket_id for c in session.next_breaches()] == [soon]
    assert session.late_count() == 1
    desk.reply(late, "Sorry for the wait, I'm on it and will update you by 3 pm.")
    assert session.late_count() == 0


def rows_by_ids_in(desk: Desk, ticket: int):
    with desk.store.read():
        return rows_by_ids([ticket])[0]


# -- views ------------------------------------------------------------------------------------------


def test_each_named_view_holds_the_right_tickets(desk: Desk, config, clock) -> None:
    mine = desk.create("Mine", person())
    desk.assign(mine, desk.actor.login)
    unassigned = desk.create("Nobody's", person())
    walk_up = desk.create("At the bar", person(), channel="walk-up")
    pending = desk.create("Waiting", person())
    desk.reply(pending, "Could you send a photo?", status="pending")
    solved = desk.create("Done", person())
    desk.update(solved, status="solved")
    source = QueueSource(desk.store)
    ids = {v.key: list(source.ids(build_view(v.key, desk.actor.login, clock()))) for v in QUEUE_VIEWS}
    assert ids["mine"] == [mine]
    assert set(ids["unassigned"]) == {unassigned, walk_up, pending}
    assert set(ids["open"]) == {mine, unassigned, walk_up, pending}
    assert ids["pending"] == [pending]
    assert ids["walkups"] == [walk_up]
    assert ids["solved"] == [solved]
    counts = source.counts(desk.actor.login, clock())
    assert counts == {key: len(value) for key, value in ids.items()}


def test_filters_and_search_narrow_a_view(desk: Desk, clock) -> None:
    desk.create("Printer jam", person(), priority="high", category="printing")
    other = desk.create("VPN drops", person(), priority="low", category="network")
    source = QueueSource(desk.store)
    view = build_view("open", desk.actor.login, clock(), filters={"priority": "low"})
    assert list(source.ids(view)) == [other]
    assert list(source.ids(build_view("open", "", clock(), search="vpn"))) == [other]
    # A status filter on a done status finds done tickets even in an "open" view.
    desk.update(other, status="solved")
    assert list(source.ids(build_view("open", "", clock(), filters={"status": "solved"}))) == [other]


def test_priority_order_is_most_urgent_first(desk: Desk) -> None:
    low = desk.create("Low", person(), priority="low")
    urgent = desk.create("Urgent", person(), priority="urgent")
    high = desk.create("High", person(), priority="high")
    with desk.store.read():
        page = list_page(View(sort="priority"), limit=2)
        rest = list_page(View(sort="priority"), after=page.after, limit=2)
    assert [r.id for r in page.rows + rest.rows] == [urgent, high, low]


# -- drafts and presence ----------------------------------------------------------------------------


def test_a_draft_is_kept_per_agent_and_ticket(desk: Desk, store, config, clock) -> None:
    ticket = desk.create("Teams audio", person())
    mine = AgentSession(store, config, desk.actor.agent_id, clock)
    toms = AgentSession(store, config, sign_in(store, config, "tom").agent_id, clock)
    mine.save_draft(ticket, "reply", "Hi Jo \x1b[31mred")
    assert mine.draft(ticket).body == "Hi Jo red"
    assert toms.draft(ticket) is None
    mine.save_draft(ticket, "note", "Changed my mind")
    assert (mine.draft(ticket).kind, mine.draft(ticket).body) == ("note", "Changed my mind")
    mine.save_draft(ticket, "reply", "   ")
    assert mine.draft(ticket) is None


def test_presence_shows_other_agents_until_they_leave_or_go_quiet(desk: Desk, store, config, clock) -> None:
    ticket = desk.create("Laptop", person())
    mine = AgentSession(store, config, desk.actor.agent_id, clock)
    tom = sign_in(store, config, "tom")
    toms = AgentSession(store, config, tom.agent_id, clock)
    toms.viewing(ticket)
    assert mine.other_viewers(ticket) == [tom.name]
    assert toms.other_viewers(ticket) == []
    clock.advance(minutes=5)  # Tom's console stopped marking: his connection dropped
    assert mine.other_viewers(ticket) == []
    toms.viewing(ticket)
    toms.viewing(None)
    assert mine.other_viewers(ticket) == []


def test_the_change_watcher_sees_other_connections_writes(desk: Desk, store, config, clock) -> None:
    session = AgentSession(store, config, desk.actor.agent_id, clock)
    watcher = session.watcher()
    try:
        assert not watcher.changed()
        before = session.last_event()
        desk.create("New", person())
        assert watcher.changed() and not watcher.changed()
        assert session.last_event() > before
        session.save_draft(1, "reply", "draft")  # a draft changes the file but no ticket
        assert watcher.changed() and session.last_event() > before
    finally:
        watcher.close()


# -- canned replies and the checklist ---------------------------------------------------------------


def test_canned_replies_fill_their_placeholders() -> None:
    replies = load_canned()
    assert len(replies) >= 20
    body = fill(
        "Hi {name}, about {reference}: update {next_update}. {agent}",
        name="Jo {x}",
        reference="#7",
        next_update="by 3 pm today",
        agent="Asha",
    )
    assert body == "Hi Jo {x}, about #7: update by 3 pm today. Asha"
    assert fill("Hi {name}", name="") == "Hi {name}"


def test_the_checklist_tells_which_parts_a_reply_has() -> None:
    empty = checklist("Hi Jo.")
    assert not any(empty.values())
    full = checklist(
        "Hi Jo, the printer was jammed because of a folded sheet. I've cleared it. "
        "Please try printing again, and I'll check back by 3 pm today."
    )
    assert all(full.values())
