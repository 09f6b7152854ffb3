"""The three clocks: every rule and field of the SLA spec, on small hand-made timelines."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tui.sla import CLOCKS, Calendar, Clock, add_business_time, evaluate

LONDON = ZoneInfo("Europe/London")
ALWAYS = Calendar.from_config({"timezone": "UTC", "hours": "24x7"})
OFFICE = Calendar.from_config(
    {
        "timezone": "Europe/London",
        "hours": {
            "mon": ["09:00-12:30", "13:30-17:30"],
            "tue": ["09:00-17:30"],
            "wed": ["09:00-17:30"],
            "thu": ["09:00-17:30"],
            "fri": ["09:00-16:00"],
        },
        "holidays": {"country": "GB", "subdivision": "ENG"},
    }
)
T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)  # a Monday, 09:00 in London too
H = timedelta(hours=1)
M = timedelta(minutes=1)


def at(minutes: float) -> datetime:
    return T0 + minutes * M


def clocks(
    timeline: list[tuple[float, str]],
    now: float,
    cal: Calendar = ALWAYS,
    targets: dict[str, timedelta] | None = None,
    **options: object,
) -> dict[str, Clock]:
    """Evaluate a timeline written in minutes after T0 (all three clocks, 1h/30m/4h by default)."""
    targets = targets or {"first_response": H, "next_update": 30 * M, "resolution": 4 * H}
    events = [(at(minute), kind) for minute, kind in timeline]
    return evaluate(cal, targets, events, at(now), **options)  # type: ignore[arg-type]


def test_the_clock_has_the_spec_fields_and_is_frozen() -> None:
    clock = clocks([(0, "created")], 10)["resolution"]
    names = [f.name for f in dataclasses.fields(Clock)]
    assert names == [
        "name",
        "state",
        "elapsed",
        "remaining",
        "breached",
        "breached_at",
        "due_at",
        "warning",
        "target",
        "cycle",
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        clock.elapsed = timedelta(0)  # type: ignore[misc]
    assert CLOCKS == ("first_response", "next_update", "resolution")


def test_a_new_ticket() -> None:
    result = clocks([(0, "created")], 10)
    first, update, resolution = (result[name] for name in CLOCKS)
    assert (first.state, first.elapsed, first.remaining) == ("running", 10 * M, 50 * M)
    assert first.due_at == at(60) and first.breached_at is None and not first.breached
    assert (update.state, update.elapsed, update.due_at, update.remaining) == (
        "inactive",
        timedelta(0),
        None,
        30 * M,
    )
    assert (resolution.state, resolution.elapsed, resolution.due_at) == ("running", 10 * M, at(240))


# --- first_response -------------------------------------------------------------------------


def test_first_response_stops_at_the_first_agent_reply() -> None:
    first = clocks([(0, "created"), (20, "agent_reply"), (50, "agent_reply")], 90)["first_response"]
    assert (first.state, first.elapsed, first.due_at, first.warning) == ("stopped", 20 * M, None, False)


def test_a_late_first_response_stays_breached() -> None:
    first = clocks([(0, "created"), (75, "agent_reply")], 90)["first_response"]
    assert first.breached and first.breached_at == at(60) and first.remaining == -15 * M
    assert first.state == "stopped" and first.due_at is None


def test_first_response_stops_for_good_at_a_stop_status() -> None:
    timeline = [(0, "created"), (10, "status:solved"), (20, "status:open"), (40, "agent_reply")]
    first = clocks(timeline, 90)["first_response"]
    assert (first.state, first.elapsed) == ("stopped", 10 * M)


def test_first_response_pauses_while_pending() -> None:
    timeline = [(0, "created"), (10, "status:pending")]
    first = clocks(timeline, 30)["first_response"]
    assert (first.state, first.elapsed, first.due_at) == ("paused", 10 * M, None)
    first = clocks([*timeline, (40, "status:open")], 45)["first_response"]
    assert (first.state, first.elapsed, first.due_at) == ("running", 15 * M, at(45 + 45))


# --- next_update ----------------------------------------------------------------------------


def test_next_update_starts_at_the_first_reply_and_resets_at_each_one() -> None:
    timeline = [(0, "created"), (10, "agent_reply")]
    update = clocks(timeline, 30)["next_update"]
    assert (update.state, update.elapsed, update.cycle, update.due_at) == ("running", 20 * M, 1, at(40))
    update = clocks([*timeline, (35, "agent_reply")], 50)["next_update"]
    assert (update.state, update.elapsed, update.cycle, update.due_at) == ("running", 15 * M, 2, at(65))


def test_a_reply_ends_a_breach_and_the_next_cycle_can_breach_again() -> None:
    timeline = [(0, "created"), (10, "agent_reply")]
    update = clocks(timeline, 60)["next_update"]
    assert update.breached and update.breached_at == at(40) and update.cycle == 1
    update = clocks([*timeline, (60, "agent_reply")], 70)["next_update"]
    assert not update.breached and update.breached_at is None and update.cycle == 2
    update = clocks([*timeline, (60, "agent_reply")], 100)["next_update"]
    assert update.breached and update.breached_at == at(90) and update.cycle == 2


def test_next_update_does_not_count_when_stopped_and_restarts_at_a_reopen() -> None:
    timeline = [(0, "created"), (10, "agent_reply"), (20, "status:solved")]
    update = clocks(timeline, 100)["next_update"]
    assert (update.state, update.elapsed, update.cycle) == ("stopped", 10 * M, 1)
    update = clocks([*timeline, (100, "status:open")], 110)["next_update"]
    assert (update.state, update.elapsed, update.cycle) == ("running", 10 * M, 2)
    assert update.due_at == at(130)


def test_a_reopen_to_a_pause_status_restarts_next_update_paused() -> None:
    timeline = [(0, "created"), (10, "agent_reply"), (30, "status:solved"), (50, "status:pending")]
    update = clocks(timeline, 80)["next_update"]
    assert (update.state, update.elapsed, update.cycle, update.due_at) == ("paused", timedelta(0), 2, None)


def test_a_reopen_before_any_reply_leaves_next_update_inactive() -> None:
    timeline = [(0, "created"), (10, "status:solved"), (20, "status:open")]
    update = clocks(timeline, 50)["next_update"]
    assert (update.state, update.elapsed, update.cycle) == ("inactive", timedelta(0), 1)


def test_a_reply_to_a_solved_ticket_resets_next_update_without_running_it() -> None:
    timeline = [(0, "created"), (10, "agent_reply"), (20, "status:solved"), (30, "agent_reply")]
    update = clocks(timeline, 60)["next_update"]
    assert (update.state, update.elapsed, update.cycle) == ("stopped", timedelta(0), 2)


def test_next_update_pauses_while_pending() -> None:
    timeline = [(0, "created"), (10, "agent_reply"), (20, "status:pending"), (50, "status:open")]
    update = clocks(timeline, 60)["next_update"]
    assert (update.state, update.elapsed, update.cycle) == ("running", 20 * M, 1)


# --- resolution -----------------------------------------------------------------------------


def test_resolution_pauses_stops_and_resumes_with_its_elapsed_time() -> None:
    timeline = [(0, "created"), (30, "status:pending"), (60, "status:open"), (90, "status:solved")]
    resolution = clocks(timeline, 200)["resolution"]
    assert (resolution.state, resolution.elapsed, resolution.due_at) == ("stopped", 60 * M, None)
    resolution = clocks([*timeline, (200, "status:open")], 230)["resolution"]
    assert (resolution.state, resolution.elapsed, resolution.cycle) == ("running", 90 * M, 1)
    assert resolution.due_at == at(230 + 150)


def test_closed_stops_like_solved_and_other_statuses_are_active() -> None:
    timeline = [(0, "created"), (10, "status:on_hold"), (40, "status:closed")]
    result = clocks(timeline, 100)
    assert result["resolution"].state == "stopped" and result["resolution"].elapsed == 40 * M
    assert result["first_response"].state == "stopped"


def test_a_stop_status_wins_over_a_pause_status() -> None:
    timeline = [(0, "created"), (10, "status:solved")]
    result = clocks(timeline, 20, pause_statuses=("pending", "solved"))
    assert result["resolution"].state == "stopped"


def test_new_may_be_a_pause_status() -> None:
    result = clocks([(0, "created"), (20, "status:open")], 30, pause_statuses=("new",))
    assert result["resolution"].elapsed == 10 * M and result["first_response"].elapsed == 10 * M


def test_a_requester_reply_changes_no_clock() -> None:
    plain = [(0, "created"), (10, "agent_reply"), (20, "status:pending"), (40, "status:open")]
    chatty = [
        (0, "created"),
        (5, "requester_reply"),
        (10, "agent_reply"),
        (15, "requester_reply"),
        (20, "status:pending"),
        (30, "requester_reply"),
        (40, "status:open"),
    ]
    assert clocks(plain, 60) == clocks(chatty, 60)


# --- time and order -------------------------------------------------------------------------


def test_same_instant_events_apply_in_the_order_given() -> None:
    reopened = clocks(
        [
            (0, "created"),
            (10, "agent_reply"),
            (20, "status:solved"),
            (30, "status:open"),
            (30, "status:solved"),
        ],
        60,
    )
    assert reopened["next_update"].cycle == 2 and reopened["next_update"].state == "stopped"
    stays = clocks(
        [
            (0, "created"),
            (10, "agent_reply"),
            (20, "status:solved"),
            (30, "status:solved"),
            (30, "status:open"),
        ],
        60,
    )
    assert stays["next_update"].cycle == 2 and stays["next_update"].state == "running"
    pending_first = clocks([(0, "created"), (10, "status:pending"), (10, "agent_reply")], 20)
    assert pending_first["next_update"].state == "paused"
    reply_first = clocks([(0, "created"), (10, "agent_reply"), (10, "status:pending")], 20)
    assert reply_first["next_update"].state == "paused"


def test_an_event_at_now_applies_and_later_ones_are_ignored() -> None:
    result = clocks([(0, "created"), (30, "status:pending"), (50, "status:solved")], 30)
    assert (result["resolution"].state, result["resolution"].elapsed) == ("paused", 30 * M)
    before = clocks([(0, "created")], 5)
    assert before == clocks([(0, "created"), (6, "agent_reply")], 5)


def test_a_ticket_created_after_now_has_only_inactive_clocks() -> None:
    result = clocks([(60, "created")], 30)
    assert {clock.state for clock in result.values()} == {"inactive"}
    assert all(clock.elapsed == timedelta(0) and not clock.warning for clock in result.values())


# --- breached_at, due_at, warning, zero targets -----------------------------------------------


def test_due_at_is_now_when_elapsed_equals_the_target() -> None:
    first = clocks([(0, "created")], 60)["first_response"]
    assert (first.remaining, first.breached, first.due_at, first.breached_at) == (
        timedelta(0),
        False,
        at(60),
        None,
    )


def test_once_breached_due_at_is_breached_at() -> None:
    first = clocks([(0, "created")], 61)["first_response"]
    assert first.breached and first.due_at == first.breached_at == at(60)


def test_breached_at_skips_pauses() -> None:
    timeline = [(0, "created"), (30, "status:pending"), (50, "status:open")]
    first = clocks(timeline, 100)["first_response"]
    assert first.breached_at == at(80) and first.elapsed == 80 * M


def test_office_hours_set_breached_at_and_due_at() -> None:
    friday = datetime(2026, 1, 9, 15, 30, tzinfo=LONDON)
    targets = {"first_response": H, "resolution": 16 * H}
    result = evaluate(OFFICE, targets, [(friday, "created")], datetime(2026, 1, 12, 10, tzinfo=LONDON))
    first, resolution = result["first_response"], result["resolution"]
    assert first.breached and first.breached_at == datetime(2026, 1, 12, 9, 30, tzinfo=LONDON)
    assert first.elapsed == 90 * M
    assert resolution.elapsed == 90 * M and not resolution.breached
    assert resolution.due_at == add_business_time(
        OFFICE, datetime(2026, 1, 12, 10, tzinfo=LONDON), resolution.remaining
    )


def test_datetimes_come_back_in_the_timezone_of_now() -> None:
    now = at(90).astimezone(LONDON)
    first = evaluate(ALWAYS, {"first_response": H}, [(T0, "created")], now)["first_response"]
    assert first.breached_at is not None and first.breached_at.tzinfo is LONDON


def test_warning_from_warn_at_times_the_target() -> None:
    assert not clocks([(0, "created")], 44)["first_response"].warning
    assert clocks([(0, "created")], 45)["first_response"].warning
    assert not clocks([(0, "created")], 61)["first_response"].warning  # breached, so red not amber
    assert clocks([(0, "created")], 30, warn_at=0.5)["first_response"].warning
    assert not clocks([(0, "created")], 29, warn_at=0.5)["first_response"].warning


def test_a_clock_paused_in_warning_stays_in_warning() -> None:
    resolution = clocks([(0, "created"), (200, "status:pending")], 300)["resolution"]
    assert (resolution.state, resolution.warning, resolution.due_at) == ("paused", True, None)
    assert resolution.elapsed == 200 * M
    stopped = clocks([(0, "created"), (200, "status:solved")], 300)["resolution"]
    assert not stopped.warning


def test_a_zero_target_is_reached_when_its_clock_starts() -> None:
    zero = {"first_response": timedelta(0), "next_update": timedelta(0), "resolution": timedelta(0)}
    start = clocks([(0, "created")], 0, targets=zero)["first_response"]
    assert (start.breached, start.due_at, start.warning, start.remaining) == (
        False,
        at(0),
        True,
        timedelta(0),
    )
    later = clocks([(0, "created")], 1, targets=zero)["first_response"]
    assert later.breached and later.breached_at == at(0) and later.due_at == at(0)
    replies = [(0, "created"), (10, "agent_reply"), (30, "agent_reply")]
    update = clocks(replies, 40, targets=zero)["next_update"]
    assert update.breached and update.breached_at == at(30) and update.cycle == 2


def test_a_zero_target_waits_for_business_time() -> None:
    saturday = datetime(2026, 1, 10, 12, tzinfo=LONDON)
    targets = {"first_response": timedelta(0)}
    weekend = evaluate(OFFICE, targets, [(saturday, "created")], saturday + 3 * H)["first_response"]
    assert not weekend.breached and weekend.elapsed == timedelta(0) and weekend.due_at == saturday + 3 * H
    monday = evaluate(OFFICE, targets, [(saturday, "created")], datetime(2026, 1, 12, 9, 1, tzinfo=LONDON))[
        "first_response"
    ]
    assert monday.breached and monday.breached_at == saturday


def test_a_zero_target_in_a_paused_cycle_is_reached_at_the_cycle_start() -> None:
    timeline = [
        (0, "created"),
        (5, "agent_reply"),
        (10, "status:solved"),
        (20, "status:pending"),
        (40, "status:open"),
    ]
    update = clocks(timeline, 50, targets={"next_update": timedelta(0)})["next_update"]
    assert update.breached and update.breached_at == at(20) and update.elapsed == 10 * M


# --- targets, calendars and bad input -------------------------------------------------------


def test_only_the_given_targets_are_judged_in_clock_order() -> None:
    result = clocks([(0, "created")], 10, targets={"resolution": H})
    assert list(result) == ["resolution"]
    result = clocks([(0, "created")], 10, targets={"resolution": H, "first_response": H})
    assert list(result) == ["first_response", "resolution"]
    assert evaluate(ALWAYS, {}, [(T0, "created")], at(10)) == {}


def test_each_target_may_use_its_own_calendar() -> None:
    saturday = datetime(2026, 1, 10, 12, tzinfo=LONDON)
    targets = {"first_response": H, "resolution": 4 * H}
    result = evaluate(
        {"first_response": ALWAYS, "resolution": OFFICE}, targets, [(saturday, "created")], saturday + 2 * H
    )
    assert result["first_response"].elapsed == 2 * H and result["first_response"].breached
    assert result["resolution"].elapsed == timedelta(0)
    with pytest.raises(ValueError, match="no calendar given for resolution"):
        evaluate({"first_response": ALWAYS}, targets, [(saturday, "created")], saturday)


def test_clocks_count_real_time_across_a_clock_change() -> None:
    new_york = ZoneInfo("America/New_York")
    cal = Calendar.from_config(
        {
            "timezone": "America/New_York",
            "hours": {day: ["00:00-24:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        }
    )
    created = datetime(2026, 11, 1, tzinfo=new_york)
    resolution = evaluate(
        cal, {"resolution": 8 * H}, [(created, "created")], datetime(2026, 11, 1, 6, tzinfo=new_york)
    )["resolution"]
    assert resolution.elapsed == 7 * H and resolution.remaining == H
    assert resolution.due_at is not None and resolution.due_at.astimezone(UTC) == datetime(
        2026, 11, 1, 12, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("timeline", "message"),
    [
        ([], "starts with"),
        ([(T0, "status:open")], "starts with"),
        ([(T0, "created"), (at(-1), "agent_reply")], "time order"),
        ([(T0, "created"), (at(1), "note")], "unknown event 'note'"),
        ([(T0, "created"), (at(1), "status:")], "unknown event"),
        ([(T0, "created"), (at(1), None)], "unknown event None"),
        ([(T0, "created"), (at(1), "created")], "created only comes first"),
        ([(T0, "created"), (datetime(2026, 1, 5, 10), "agent_reply")], "timezone-aware"),
    ],
)
def test_a_bad_timeline_is_refused(timeline: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        evaluate(ALWAYS, {"resolution": H}, timeline, at(100))


def test_bad_arguments_are_refused() -> None:
    timeline = [(T0, "created")]
    with pytest.raises(ValueError, match="'resolve' is not a clock"):
        evaluate(ALWAYS, {"resolve": H}, timeline, at(1))
    with pytest.raises(ValueError, match="zero or more"):
        evaluate(ALWAYS, {"resolution": -H}, timeline, at(1))
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluate(ALWAYS, {"resolution": H}, timeline, datetime(2026, 1, 5, 10))
    with pytest.raises(TypeError, match="not one string"):
        evaluate(ALWAYS, {"resolution": H}, timeline, at(1), pause_statuses="pending")
    with pytest.raises(ValueError, match="warn_at"):
        evaluate(ALWAYS, {"resolution": H}, timeline, at(1), warn_at=75)
