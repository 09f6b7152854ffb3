"""Reports on a desk built by hand: every figure checked against a value worked out in the comments.

The desk's default config: London time (= UTC in early March 2026, before summer time), office hours
Mon-Thu 09:00-17:30 and Fri 09:00-16:00; priority targets (first response / next update / resolution):
low 8h/16h/40h, normal 4h/8h/24h, high 1h/4h/8h on office hours, urgent 15m/1h/4h around the clock;
`pending` pauses the clocks. The report is for ISO week 2026-W10, Mon 2 March to Sun 8 March, made on
Mon 9 March 12:00, so it is judged as of Mon 9 March 00:00 (the end of the week).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tui.config import Config
from tui.identity import current_login
from tui.reports import (
    AGE_BANDS,
    ReportError,
    build_report,
    parse_period,
    report_scope,
)
from tui.store import Store, walkup
from tui.store.tickets import Actor
from tui.workflow import Desk, RequesterInput

ME = current_login()
"""Signed in as Asha Patel (the config maps the real login to her)."""
H, M = timedelta(hours=1), timedelta(minutes=1)


def at(clock, text: str) -> None:
    clock.now = datetime.fromisoformat(text).replace(tzinfo=UTC)


def jo() -> RequesterInput:
    return RequesterInput.parse("Jo Bloggs <jo@example.org>")


def requester(store: Store, ticket_id: int) -> Actor:
    with store.read():
        person = walkup.requester_of(ticket_id)
    return Actor(person[1], requester_id=person[0])


def rate(store: Store, clock, ticket_id: int, score: int, comment: str = "") -> None:
    with store.write():
        walkup.rate(ticket_id, score, comment, clock.now)


@pytest.fixture
def week(desk: Desk, other_desk: Desk, store: Store, clock) -> dict[str, int]:
    """The desk of the module docstring, built in time order. Returns ticket ids by name."""
    me, tom = desk, other_desk
    t = {}
    # Before the week ------------------------------------------------------------------------------
    at(clock, "2026-02-25 09:00")
    t["stable"] = me.create(
        "Laptop slow", jo(), "It is slow.", category="software", group="service-desk", channel="email"
    )
    at(clock, "2026-02-25 10:00")
    me.reply(t["stable"], "Looking at it.", plain_findings=0)
    at(clock, "2026-02-25 10:05")
    me.update(t["stable"], assignee=ME)  # never touched again: counted by the SQL aggregate
    at(clock, "2026-02-26 09:00")
    t["done_before"] = me.create("Old", jo(), "Old one.", channel="email")
    at(clock, "2026-02-26 12:00")
    me.update(t["done_before"], status="solved")
    at(clock, "2026-02-27 09:00")
    rate(store, clock, t["done_before"], 1, "Bad")  # before the week: not counted
    at(clock, "2026-02-27 10:00")
    t["carried"] = me.create("Monitor flickers", jo(), "Flicker.", category="hardware", channel="email")
    at(clock, "2026-02-27 11:00")
    me.reply(t["carried"], "We'll swap it.", plain_findings=0)
    # Monday 2 March -------------------------------------------------------------------------------
    at(clock, "2026-03-02 10:00")
    t["quick"] = me.create(
        "Printer jams", jo(), "Tray 2.", category="printing", group="service-desk", channel="email"
    )
    at(clock, "2026-03-02 11:00")
    me.reply(t["quick"], "Fixed the tray.", plain_findings=0)
    at(clock, "2026-03-02 12:00")
    t["slow"] = me.create(
        "Wi-Fi drops",
        jo(),
        "All day.",
        priority="high",
        category="network",
        group="service-desk",
        channel="phone",
    )
    at(clock, "2026-03-02 14:30")
    tom.reply(t["slow"], "Checking the access point.", plain_findings=2)
    at(clock, "2026-03-02 15:00")
    me.update(t["quick"], status="solved")
    # Tuesday 3 March ------------------------------------------------------------------------------
    at(clock, "2026-03-03 09:00")
    t["ignored"] = me.create(
        "Scanner broken", jo(), "No scans.", category="printing", group="service-desk", channel="walk-up"
    )
    at(clock, "2026-03-03 09:05")
    rate(store, clock, t["quick"], 5, "Great")
    at(clock, "2026-03-03 11:00")
    tom.reply(t["slow"], "Can you try again?", status="pending")  # sent from the command line: unchecked
    # Wednesday 4 March ----------------------------------------------------------------------------
    at(clock, "2026-03-04 09:30")
    me.requester_reply(t["slow"], "Still dropping.", requester(store, t["slow"]))  # pending -> open
    at(clock, "2026-03-04 10:00")
    tom.reply(t["slow"], "New access point fitted.", plain_findings=0)
    me.update(t["carried"], status="solved")
    at(clock, "2026-03-04 11:00")
    rate(store, clock, t["carried"], 4)
    at(clock, "2026-03-04 12:00")
    me.update(t["slow"], status="solved")
    at(clock, "2026-03-04 13:00")
    rate(store, clock, t["slow"], 2, "Took two days")
    at(clock, "2026-03-04 16:00")
    t["low"] = me.create(
        "New starter account",
        jo(),
        "For Sam.",
        priority="low",
        category="accounts",
        group="field-services",
        channel="kiosk",
    )
    # Thursday 5 March -----------------------------------------------------------------------------
    at(clock, "2026-03-05 09:00")
    t["duplicate"] = me.create("Account for Sam", jo(), "Again.", channel="console")
    at(clock, "2026-03-05 09:10")
    me.reply(t["duplicate"], "On it.", plain_findings=0)  # copied onto "low" by the merge
    at(clock, "2026-03-05 09:30")
    me.merge(t["duplicate"], t["low"])
    at(clock, "2026-03-05 10:00")
    me.reply(t["low"], "Account made.", plain_findings=1)
    at(clock, "2026-03-05 10:05")
    me.update(t["low"], assignee="mei")
    # Friday 6 to Sunday 8 March -------------------------------------------------------------------
    at(clock, "2026-03-06 15:00")
    t["reopened"] = me.create("Mouse dead", jo(), "Dead.", category="hardware", channel="cli")
    at(clock, "2026-03-06 15:10")
    me.update(t["reopened"], assignee="tom")
    at(clock, "2026-03-06 15:30")
    me.reply(t["reopened"], "New battery.", status="solved", plain_findings=0)
    at(clock, "2026-03-06 16:00")
    rate(store, clock, t["reopened"], 1)
    at(clock, "2026-03-07 10:00")
    me.requester_reply(t["reopened"], "Dead again.", requester(store, t["reopened"]))  # solved -> open
    at(clock, "2026-03-08 23:30")
    t["urgent"] = me.create(
        "Phishing mail", jo(), "Clicked it.", priority="urgent", category="security", channel="sms"
    )
    # After the week (Monday 9 March): none of this may show -----------------------------------------
    at(clock, "2026-03-09 10:00")
    t["after"] = me.create("Next week", jo(), "Later.", channel="email")
    at(clock, "2026-03-09 10:30")
    me.reply(t["low"], "Anything else?", plain_findings=0)
    at(clock, "2026-03-09 12:00")
    return t


def test_every_figure_of_a_hand_built_week(store: Store, config: Config, week: dict[str, int], clock) -> None:
    report = build_report(store, config, "2026-W10", now=clock.now)
    scope = report.scope
    assert (scope.period.first_day, scope.period.last_day) == (date(2026, 3, 2), date(2026, 3, 8))
    assert scope.as_of == datetime(2026, 3, 9, tzinfo=UTC)  # the end of the week, not now

    # SLA: the week's tickets are quick, slow, ignored, low, reopened and urgent (6); the duplicate
    # was merged away and "after" came after the week.
    assert report.sla.tickets == 6
    first, update, resolution = report.sla.clocks
    # First response: quick 1h (<= 4h, on time); slow (high, 1h) replied Mon 12:00 -> 14:30 = 2h30m,
    # late; low (8h) Wed 16:00-17:30 + Thu 09:00-10:00 = 2h30m on time; reopened 15:00 -> 15:30 = 30m
    # on time; ignored (4h from Tue 09:00) and urgent (15m of 30m by midnight) are breached and open.
    assert (first.clock, first.met_on_time, first.met_late, first.breached_open) == (
        "first_response",
        3,
        1,
        2,
    )
    assert (first.open_within_target, first.not_tracked) == (0, 0)
    # Met times 30m, 1h, 2h30m, 2h30m: median (1h + 2h30m) / 2; p90 at rank 2.7 of 0..3 = 2h30m.
    assert (first.median, first.p90) == (1 * H + 45 * M, 2 * H + 30 * M)
    assert first.on_time_share == 3 / 6
    # Periodic update, per cycle. quick: Mon 11:00 -> solved 15:00 = 4h (<= 8h) on time. slow (4h):
    # Mon 14:30 -> Tue 11:00 = 3h + 2h = 5h late; Tue 11:00 (pending at once) -> Wed 10:00 counts only
    # Wed 09:30-10:00 = 30m on time; Wed 10:00 -> solved 12:00 = 2h on time. low (16h): Thu 10:00 to
    # the end of the week = 7h30m + Fri 7h = 14h30m, open within target. reopened: the cycle begun by
    # the reply that solved it awaits nothing (not counted); the reopen on Saturday starts one with 0
    # counted, open within target. ignored and urgent have had no reply: no cycle.
    assert (update.met_on_time, update.met_late, update.breached_open, update.open_within_target) == (
        3,
        1,
        0,
        2,
    )
    # Met 30m, 2h, 4h, 5h: median (2h + 4h) / 2 = 3h; p90 at rank 2.7 = 4h + 0.7 x 1h = 4h42m.
    assert (update.median, update.p90) == (3 * H, 4 * H + 42 * M)
    assert update.on_time_share == 3 / 4
    # Resolution. quick 10:00 -> 15:00 = 5h on time. slow (8h): Mon 12:00-17:30 5h30m + Tue 09:00-11:00
    # 2h (then pending) + Wed 09:30-12:00 2h30m = 10h, late. ignored (24h): Tue-Thu 3 x 8h30m + Fri 7h
    # = 32h30m, breached and open. low (40h): 1h30m + 8h30m + 7h = 17h, reopened 30m (the weekend
    # counts nothing), urgent 30m (of 4h): open within target.
    assert (resolution.met_on_time, resolution.met_late, resolution.breached_open) == (1, 1, 1)
    assert resolution.open_within_target == 3
    # Met 5h, 10h: median 7h30m; p90 = 5h + 0.9 x 5h = 9h30m.
    assert (resolution.median, resolution.p90) == (7 * H + 30 * M, 9 * H + 30 * M)
    assert resolution.on_time_share == 1 / 3

    # Backlog. Open at Mon 00:00: stable and carried (2). Mon: quick and slow opened, quick solved -> 3.
    # Tue: ignored opened -> 4 (slow going pending is still open). Wed: low opened, carried and slow
    # solved -> 3. Thu: the duplicate opened and merged (closed) -> 3. Fri: reopened opened and solved
    # -> 3. Sat: reopened reopened -> 4. Sun: urgent opened -> 5.
    b = report.backlog
    assert (b.open_at_start, b.open_at_end) == (2, 5)
    assert [(d.day.day, d.opened, d.closed, d.reopened, d.open_at_end) for d in b.days] == [
        (2, 2, 1, 0, 3),
        (3, 1, 0, 0, 4),
        (4, 1, 2, 0, 3),
        (5, 1, 1, 0, 3),
        (6, 1, 1, 0, 3),
        (7, 0, 0, 1, 4),
        (8, 1, 0, 0, 5),
    ]
    # Open at the end: ignored and urgent are new; stable, low and reopened are open.
    assert b.by_status == {"new": 2, "open": 3, "pending": 0}
    # Ages at Mon 9 March 00:00: urgent 30m; reopened 2d9h; low 4d8h and ignored 5d15h; stable 11d15h.
    assert b.by_age == {"under 1 day": 1, "1-3 days": 1, "3-7 days": 2, "7-30 days": 1, "30 days or more": 0}
    assert list(b.by_age) == [label for label, _, _ in AGE_BANDS]

    # Volume: the week's 7 new tickets, the duplicate included. `cli` counts as console; `sms` is other.
    v = report.volume
    assert v.total == 7
    assert v.by_channel == {"walk-up": 1, "kiosk": 1, "email": 1, "console": 2, "phone": 1, "other": 1}
    assert {k: n for k, n in v.by_category.items() if n} == {
        "printing": 2,
        "network": 1,
        "accounts": 1,
        "hardware": 1,
        "security": 1,
        "none": 1,
    }
    assert [(d.day.day, d.total) for d in v.days] == [(2, 2), (3, 1), (4, 1), (5, 1), (6, 1), (7, 0), (8, 1)]
    monday = v.days[0]
    assert {k: n for k, n in monday.by_channel.items() if n} == {"email": 1, "phone": 1}
    assert {k: n for k, n in monday.by_category.items() if n} == {"printing": 1, "network": 1}
    assert {k: n for k, n in v.days[4].by_channel.items() if n} == {"console": 1}  # Friday's cli ticket

    # Satisfaction: ratings given in the week: quick 5 "Great", carried 4, slow 2 "Took two days",
    # reopened 1 (no comment); the 1 given before the week is left out. Average 12 / 4 = 3; 4-5: 2 of 4.
    s = report.satisfaction
    assert (s.ratings, s.average, s.satisfied_share) == (4, 3.0, 0.5)
    assert s.by_score == {1: 1, 2: 1, 3: 0, 4: 1, 5: 1}
    assert [(r.ticket_id, r.score, r.comment) for r in s.low_comments] == [(week["slow"], 2, "Took two days")]
    assert s.low_comments_total == 1
    assert s.low_comments[0].rated_at == datetime(2026, 3, 4, 13, 0, tzinfo=UTC)

    # Agents. Open at the end by assignee: stable (me), low (mei), reopened (tom); ignored and urgent
    # unassigned. Replies in the week: me on quick, the duplicate's copy on low, low, reopened (4; the
    # one on the merged duplicate itself is left out, and Monday 9's is after the week); tom 3 on slow.
    # First responses: me on quick 1h, low 2h30m, reopened 30m (median 1h); tom on slow 2h30m.
    a = report.agents
    rows = {
        r.login: (r.open_tickets, r.replies_sent, r.first_responses, r.median_first_response)
        for r in a.agents
    }
    assert rows == {
        ME: (1, 4, 3, 1 * H),
        "tom": (1, 3, 1, 2 * H + 30 * M),
        "mei": (1, 0, 0, None),
        "lars": (0, 0, 0, None),
        "priya": (0, 0, 0, None),
    }
    assert a.unassigned_open == 2

    # Plain language: the 7 replies above; 6 from the reply helper (tom's pending one came from the
    # command line); with no open finding: quick, slow's third, the duplicate's copy, reopened = 4.
    p = report.plain
    assert (p.replies_sent, p.checked, p.plain, p.unchecked) == (7, 6, 4, 1)
    assert p.share == 4 / 6


def test_the_day_by_day_walk_ends_where_the_snapshot_does(store, config, week, clock) -> None:
    for period in ("2026-W10", "2026-02-20..2026-03-10", "2026-03", "2026-03-04"):
        b = build_report(store, config, period, now=clock.now).backlog
        assert b.days[-1].open_at_end == b.open_at_end == sum(b.by_status.values()) == sum(b.by_age.values())


def test_a_period_still_running_sees_nothing_after_now(store, config, week, clock) -> None:
    # Made on Wednesday 4 March at 12:00 exactly: slow's solve at 12:00 is not seen yet.
    report = build_report(store, config, "2026-W10", now=datetime(2026, 3, 4, 12, tzinfo=UTC))
    assert report.scope.as_of == datetime(2026, 3, 4, 12, tzinfo=UTC)
    # Mon: quick and slow; Tue: ignored; Wed until noon: nothing new.
    assert [(d.day.day, d.total) for d in report.volume.days] == [(2, 2), (3, 1), (4, 0)]
    b = report.backlog
    # Open at start: stable, carried. Mon +2 -1 = 3; Tue +1 = 4; Wed: carried solved at 10:00 -> 3.
    assert [(d.day.day, d.open_at_end) for d in b.days] == [(2, 3), (3, 4), (4, 3)]
    assert b.by_status == {"new": 1, "open": 2, "pending": 0}  # ignored new; stable and slow open
    first, update, resolution = report.sla.clocks
    assert report.sla.tickets == 3
    assert (first.met_on_time, first.met_late, first.breached_open) == (1, 1, 1)
    # slow: 5h30m + 2h + Wed 09:30-12:00 2h30m = 10h of 8h and still open; ignored: Tue 8h30m + Wed
    # 09:00-12:00 3h = 11h30m of 24h.
    assert (resolution.met_on_time, resolution.breached_open, resolution.open_within_target) == (1, 1, 1)
    # slow's cycles: 5h late, 30m on time, and the current one from Wed 10:00 (2h of 4h).
    assert (update.met_on_time, update.met_late, update.open_within_target) == (2, 1, 1)
    assert report.satisfaction.ratings == 2  # quick, carried; slow's comes at 13:00
    assert (report.plain.replies_sent, report.plain.plain) == (4, 2)  # slow's 3 and quick's 1


def test_group_and_category_keep_only_their_tickets(store, config, week, clock) -> None:
    printing = build_report(store, config, "2026-W10", category="printing", now=clock.now)
    # quick (solved Monday) and ignored (still new).
    assert printing.volume.total == 2 and printing.sla.tickets == 2
    assert (printing.sla.clocks[0].met_on_time, printing.sla.clocks[0].breached_open) == (1, 1)
    assert (printing.backlog.open_at_start, printing.backlog.open_at_end) == (0, 1)
    assert [d.open_at_end for d in printing.backlog.days] == [0, 1, 1, 1, 1, 1, 1]
    assert (printing.plain.replies_sent, printing.satisfaction.ratings) == (1, 1)

    desk_group = build_report(store, config, "2026-W10", group="service-desk", now=clock.now)
    # stable (untouched since February), quick, slow, ignored.
    assert desk_group.volume.total == 3
    assert (desk_group.backlog.open_at_start, desk_group.backlog.open_at_end) == (1, 2)
    agents = {r.login: (r.open_tickets, r.replies_sent) for r in desk_group.agents.agents}
    # Members of service-desk are listed (me, tom, mei); lars and priya have nothing here.
    assert agents == {ME: (1, 1), "tom": (0, 3), "mei": (0, 0)}
    assert desk_group.agents.unassigned_open == 1  # ignored


def test_days_are_the_desk_s_local_days(store, config, desk, clock) -> None:
    # In summer time London is UTC+1: 22:30 UTC is 23:30 on the 5th, 23:30 UTC is 00:30 on the 6th.
    at(clock, "2026-10-05 22:30")
    late = desk.create("Late", jo(), "x.")
    at(clock, "2026-10-05 23:30")
    desk.create("Later", jo(), "x.")
    at(clock, "2026-10-06 10:00")
    desk.update(late, status="solved")
    report = build_report(store, config, "2026-10-05..2026-10-06", now=datetime(2026, 10, 7, tzinfo=UTC))
    assert [(d.day.day, d.total) for d in report.volume.days] == [(5, 1), (6, 1)]
    days = [(d.day.day, d.opened, d.closed, d.open_at_end) for d in report.backlog.days]
    assert days == [(5, 1, 0, 1), (6, 1, 1, 1)]
    assert report.scope.as_of == datetime(2026, 10, 6, 23, tzinfo=UTC)  # midnight in London


def test_an_empty_desk_reports_zeros_and_no_averages(store, config) -> None:
    report = build_report(store, config, "2026-03", now=datetime(2026, 4, 2, tzinfo=UTC))
    assert report.sla.tickets == 0
    assert all(c.median is None and c.on_time_share is None for c in report.sla.clocks)
    assert report.satisfaction.average is None and report.plain.share is None
    assert len(report.backlog.days) == 31 and report.backlog.open_at_end == 0


# -- periods -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "2026-11"),
        ("2026-2", date(2026, 2, 1), date(2026, 2, 28), "2026-02"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31), "2026-12"),
        ("2026-W47", date(2026, 11, 16), date(2026, 11, 22), "2026-W47"),
        ("2026-w1", date(2025, 12, 29), date(2026, 1, 4), "2026-W01"),
        ("2026-W53", date(2026, 12, 28), date(2027, 1, 3), "2026-W53"),
        ("2026-11-01..2026-11-15", date(2026, 11, 1), date(2026, 11, 15), "2026-11-01..2026-11-15"),
        (" 2026-11-03 ", date(2026, 11, 3), date(2026, 11, 3), "2026-11-03"),
    ],
)
def test_periods(text: str, first: date, last: date, label: str) -> None:
    period = parse_period(text, "Europe/London")
    assert (period.first_day, period.last_day, period.label) == (first, last, label)


def test_a_period_is_whole_local_days() -> None:
    # Summer time ends on Sunday 25 October 2026: London is UTC+1 until then.
    october = parse_period("2026-10", "Europe/London")
    assert october.start == datetime(2026, 9, 30, 23, tzinfo=UTC)
    assert october.end == datetime(2026, 11, 1, 0, tzinfo=UTC)
    assert len(october.days) == 31


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-13", "there is no month 13"),
        ("2025-W53", "2025 has ISO weeks 1 to 52"),
        ("2026-11-15..2026-11-01", "ends before it starts"),
        ("2026-11-31..2026-12-02", "'2026-11-31' in '2026-11-31..2026-12-02' is not a day"),
        ("2025-01-01..2026-06-01", "a report covers at most 366"),
        ("november", "write a month (2026-11), an ISO week (2026-W47)"),
        ("", "is not a period"),
    ],
)
def test_bad_periods_say_what_to_write(text: str, words: str) -> None:
    with pytest.raises(ReportError, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_period(text)


def test_scope_refuses_what_the_config_does_not_know(config: Config) -> None:
    now = datetime(2026, 11, 23, tzinfo=UTC)
    with pytest.raises(ReportError, match="'helpdesk' is not a group; use one of: service-desk"):
        report_scope(config, "2026-11", group="helpdesk", now=now)
    with pytest.raises(ReportError, match="'printers' is not a category; use one of: hardware"):
        report_scope(config, "2026-11", category="printers", now=now)
    with pytest.raises(ReportError, match="2026-12 has not started yet"):
        report_scope(config, "2026-12", now=now)
    assert report_scope(config, "2026-11", now=now).as_of == now
