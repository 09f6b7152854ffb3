"""Calendars: config checking, holidays, and business time across nights, weekends and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest

from tui.sla import Calendar, CalendarError, add_business_time, business_time_between, public_holidays

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OFFICE = {
    "timezone": "Europe/London",
    "hours": {
        "mon": ["09:00-12:30", "13:30-17:30"],
        "tue": ["09:00-17:30"],
        "wed": ["09:00-17:30"],
        "thu": ["09:00-17:30"],
        "fri": ["09:00-16:00"],
    },
    "holidays": {"country": "GB", "subdivision": "ENG", "dates": ["2026-12-24", "2026-12-31"]},
}


def full_days(zone: str) -> Calendar:
    """Every local minute open, written as days: unlike 24x7 it is judged on the wall clock."""
    return Calendar.from_config({"timezone": zone, "hours": {day: ["00:00-24:00"] for day in WEEK}})


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def between(cal: Calendar, a: datetime, b: datetime) -> timedelta:
    return business_time_between(cal, a, b)


@pytest.fixture(scope="module")
def office() -> Calendar:
    return Calendar.from_config(OFFICE)


# --- from_config ----------------------------------------------------------------------------


def test_the_spec_example_loads(office: Calendar) -> None:
    always = Calendar.from_config({"timezone": "UTC", "hours": "24x7"})
    assert always.always_open and not office.always_open
    assert office.zone == LONDON
    assert office.hours is not None and office.hours[0] == ((540, 750), (810, 1050))
    assert office.hours[5] == () and office.hours[6] == ()
    assert office.dates == {date(2026, 12, 24), date(2026, 12, 31)}


def test_touching_intervals_count_as_one() -> None:
    cal = Calendar.from_config({"timezone": "UTC", "hours": {"mon": ["12:00-17:00", "09:00-12:00"]}})
    assert cal.hours is not None and cal.hours[0] == ((540, 1020),)


def test_dates_may_be_date_objects_as_yaml_gives_them() -> None:
    cal = Calendar.from_config(
        {
            "timezone": "UTC",
            "hours": {"mon": ["09:00-17:00"]},
            "holidays": {"dates": [date(2026, 1, 5), "2026-01-12"]},
        }
    )
    assert cal.dates == {date(2026, 1, 5), date(2026, 1, 12)}
    assert cal.is_holiday(date(2026, 1, 5)) and not cal.is_holiday(date(2026, 1, 6))


def test_an_empty_day_is_closed() -> None:
    cal = Calendar.from_config({"timezone": "UTC", "hours": {"mon": [], "tue": ["09:00-10:00"]}})
    monday = datetime(2026, 1, 5, tzinfo=UTC)
    assert between(cal, monday, monday + timedelta(days=2)) == timedelta(hours=1)


def error(mapping: Any) -> CalendarError:
    with pytest.raises(CalendarError) as caught:
        Calendar.from_config(mapping)
    return caught.value


def hours(**days: Any) -> dict[str, Any]:
    return {"timezone": "UTC", "hours": days}


def with_holidays(**fields: Any) -> dict[str, Any]:
    return {"timezone": "UTC", "hours": {"mon": ["09:00-17:00"]}, "holidays": fields}


@pytest.mark.parametrize(
    ("mapping", "path", "fragments"),
    [
        ("office", (), ["mapping"]),
        (
            {"timezone": "UTC", "hours": "24x7", "colour": "red"},
            ("colour",),
            ["unknown key 'colour'", "timezone, hours, holidays"],
        ),
        ({"hours": "24x7"}, ("timezone",), ["required", "Europe/London"]),
        ({"timezone": "Mars/Olympus", "hours": "24x7"}, ("timezone",), ["not a timezone", "Europe/London"]),
        ({"timezone": "Europe/Londn", "hours": "24x7"}, ("timezone",), ["did you mean Europe/London"]),
        ({"timezone": 42, "hours": "24x7"}, ("timezone",), ["Europe/London"]),
        ({"timezone": "UTC"}, ("hours",), ["required", "24x7"]),
        ({"timezone": "UTC", "hours": "24/7"}, ("hours",), ["24x7", "mon:"]),
        (hours(monday=["09:00-17:00"]), ("hours", "monday"), ["not a weekday", "mon, tue"]),
        (hours(mon="09:00-17:00"), ("hours", "mon"), ["list of intervals"]),
        (hours(mon=None), ("hours", "mon"), ["list of intervals", "[]"]),
        (hours(mon=["09:00-12:00", "9-5"]), ("hours", "mon", 1), ["not an interval", "HH:MM-HH:MM"]),
        (hours(tue=[900]), ("hours", "tue", 0), ["not an interval", "HH:MM-HH:MM"]),
        (hours(mon=["25:00-26:00"]), ("hours", "mon", 0), ["does not exist"]),
        (hours(mon=["09:60-10:00"]), ("hours", "mon", 0), ["does not exist"]),
        (hours(mon=["09:00-24:30"]), ("hours", "mon", 0), ["does not exist"]),
        (hours(mon=["17:00-17:00"]), ("hours", "mon", 0), ["start must be before the end"]),
        (hours(fri=["22:00-02:00"]), ("hours", "fri", 0), ["crosses midnight", "split it over two days"]),
        (hours(fri=["22:00-00:00"]), ("hours", "fri", 0), ["24:00"]),
        (hours(mon=["09:00-12:00", "11:00-13:00"]), ("hours", "mon", 1), ["overlaps"]),
        (hours(mon=["11:00-13:00", "09:00-12:00"]), ("hours", "mon", 0), ["overlaps '09:00-12:00'"]),
        (hours(mon=["09:00-17:00", "09:00-17:00"]), ("hours", "mon", 1), ["overlaps"]),
        (hours(), ("hours",), ["never open", "24x7"]),
        (hours(mon=[], sat=[]), ("hours",), ["never open"]),
        ({"timezone": "UTC", "hours": "24x7", "holidays": ["2026-12-25"]}, ("holidays",), ["mapping"]),
        (with_holidays(region="ENG"), ("holidays", "region"), ["country, subdivision, dates"]),
        (with_holidays(country="XX"), ("holidays", "country"), ["not a country", "GB"]),
        (
            with_holidays(country="GB", subdivision="ZZZ"),
            ("holidays", "subdivision"),
            ["not a subdivision of GB", "ENG"],
        ),
        (with_holidays(subdivision="ENG"), ("holidays", "subdivision"), ["needs a country"]),
        (
            with_holidays(dates=["2026-12-24", "2026-02-30"]),
            ("holidays", "dates", 1),
            ["not a date", "YYYY-MM-DD"],
        ),
        (with_holidays(dates=["24/12/2026"]), ("holidays", "dates", 0), ["YYYY-MM-DD"]),
        (with_holidays(dates=[datetime(2026, 12, 24, 9)]), ("holidays", "dates", 0), ["has a time"]),
        (with_holidays(dates="2026-12-24"), ("holidays", "dates"), ["list"]),
    ],
)
def test_bad_config_names_the_key_and_what_is_expected(
    mapping: Any, path: tuple, fragments: list[str]
) -> None:
    problem = error(mapping)
    assert problem.path == path
    for fragment in fragments:
        assert fragment in str(problem)


def test_calendar_error_is_a_value_error() -> None:
    assert issubclass(CalendarError, ValueError)


# --- business time: ordinary weeks ----------------------------------------------------------


def test_a_week_of_office_hours(office: Calendar) -> None:
    # 7h30 on Monday, 8h30 Tuesday to Thursday, 7h on Friday.
    assert between(office, london(2026, 3, 2), london(2026, 3, 9)) == timedelta(hours=40)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (london(2026, 3, 2, 9), london(2026, 3, 2, 9), timedelta(0)),
        (london(2026, 3, 2, 10), london(2026, 3, 2, 11, 15), timedelta(hours=1, minutes=15)),
        (london(2026, 3, 2, 12), london(2026, 3, 2, 14), timedelta(hours=1)),  # lunch is closed
        (london(2026, 3, 2, 12, 40), london(2026, 3, 2, 13, 20), timedelta(0)),
        (london(2026, 3, 6, 15), london(2026, 3, 9, 10), timedelta(hours=2)),  # over the weekend
        (london(2026, 3, 2, 9, 0, 30), london(2026, 3, 2, 9, 1), timedelta(seconds=30)),
        (london(2026, 3, 2, 23), london(2026, 3, 3, 8), timedelta(0)),
    ],
)
def test_business_time_between(office: Calendar, a: datetime, b: datetime, expected: timedelta) -> None:
    assert between(office, a, b) == expected


def test_instants_in_any_timezone_are_the_same_instants(office: Calendar) -> None:
    a = london(2026, 3, 2, 10).astimezone(ZoneInfo("Asia/Tokyo"))
    b = london(2026, 3, 2, 11).astimezone(UTC)
    assert between(office, a, b) == timedelta(hours=1)


def test_a_whole_year_counts_every_working_day(office: Calendar) -> None:
    per_day = {0: 7.5, 1: 8.5, 2: 8.5, 3: 8.5, 4: 7.0}
    closed = set(holidays.country_holidays("GB", subdiv="ENG", years=2026)) | {
        date(2026, 12, 24),
        date(2026, 12, 31),
    }
    day, expected = date(2026, 1, 1), 0.0
    while day.year == 2026:
        if day not in closed:
            expected += per_day.get(day.weekday(), 0)
        day += timedelta(days=1)
    assert between(office, london(2026, 1, 1), london(2027, 1, 1)) == timedelta(hours=expected)


def test_ten_years_span_the_cached_years_consistently(office: Calendar) -> None:
    whole = between(office, london(2020, 6, 1), london(2030, 6, 1))
    parts = sum(
        (between(office, london(y, 6, 1), london(y + 1, 6, 1)) for y in range(2020, 2030)), timedelta(0)
    )
    assert whole == parts and timedelta(hours=19_000) < whole < timedelta(hours=21_000)


def test_a_start_after_the_end_is_an_error(office: Calendar) -> None:
    with pytest.raises(ValueError, match="after"):
        between(office, london(2026, 3, 3), london(2026, 3, 2))


@pytest.mark.parametrize("naive", ["a", "b"])
def test_naive_datetimes_are_refused(office: Calendar, naive: str) -> None:
    a, b = london(2026, 3, 2), london(2026, 3, 3)
    a, b = (a.replace(tzinfo=None), b) if naive == "a" else (a, b.replace(tzinfo=None))
    with pytest.raises(ValueError, match="timezone-aware"):
        between(office, a, b)


def test_24x7_counts_real_time_and_ignores_holidays() -> None:
    cal = Calendar.from_config(
        {"timezone": "Europe/London", "hours": "24x7", "holidays": {"country": "GB", "dates": ["2026-12-25"]}}
    )
    a = london(2026, 12, 24, 12)
    assert between(cal, a, a + timedelta(days=3)) == timedelta(days=3)
    assert add_business_time(cal, a, timedelta(hours=30)) == a + timedelta(hours=30)
    autumn = london(2026, 10, 25)  # a 25-hour local day
    assert between(cal, autumn, london(2026, 10, 26)) == timedelta(hours=25)


# --- holidays -------------------------------------------------------------------------------


def test_explicit_and_public_holidays_are_closed_all_day(office: Calendar) -> None:
    # Christmas week 2026: Thu 24 (explicit), Fri 25 (Christmas), Mon 28 (Boxing Day observed).
    assert between(office, london(2026, 12, 24), london(2026, 12, 29)) == timedelta(0)
    assert between(office, london(2026, 12, 29), london(2026, 12, 30)) == timedelta(hours=8, minutes=30)
    assert office.is_holiday(date(2026, 12, 25)) and office.is_holiday(date(2026, 12, 24))
    assert not office.is_holiday(date(2026, 12, 23))


def test_the_subdivision_chooses_the_public_holidays() -> None:
    config = {"timezone": "Europe/London", "hours": {"fri": ["09:00-17:00"]}}
    scotland = Calendar.from_config({**config, "holidays": {"country": "GB", "subdivision": "SCT"}})
    england = Calendar.from_config({**config, "holidays": {"country": "GB", "subdivision": "ENG"}})
    friday = london(2026, 1, 2)  # 2 January is a bank holiday in Scotland only
    assert between(scotland, friday, friday + timedelta(days=1)) == timedelta(0)
    assert between(england, friday, friday + timedelta(days=1)) == timedelta(hours=8)


def test_public_holidays_are_looked_up_once_per_year(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLAINDESK_CACHE", str(tmp_path))  # an empty cache: every year is worked out
    public_holidays.forget()
    monkeypatch.setattr(public_holidays, "_cache", None)  # and the run's own cache comes back after
    cal = Calendar.from_config(
        {"timezone": "America/New_York", "hours": {"mon": ["09:00-17:00"]}, "holidays": {"country": "US"}}
    )
    calls: list[Any] = []
    real = holidays.country_holidays

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", counting)
    start = datetime(2026, 1, 1, tzinfo=NEW_YORK)
    assert calls == []  # nothing is looked up before it is needed
    assert between(cal, start, datetime(2026, 1, 20, tzinfo=NEW_YORK)) == timedelta(hours=16)  # MLK day
    assert between(cal, start, datetime(2026, 2, 1, tzinfo=NEW_YORK)) == timedelta(hours=24)
    assert calls == [2026]
    later = datetime(2027, 1, 18, tzinfo=NEW_YORK)  # MLK day 2027
    assert between(cal, later, later + timedelta(days=1)) == timedelta(0)
    assert calls == [2026, 2027]


# --- days that end at 24:00, split days, and add_business_time ------------------------------


def test_intervals_ending_at_midnight_join_the_next_day() -> None:
    cal = Calendar.from_config(
        {"timezone": "Europe/London", "hours": {"fri": ["18:00-24:00"], "sat": ["00:00-02:00"]}}
    )
    assert between(cal, london(2026, 3, 6, 17), london(2026, 3, 7, 3)) == timedelta(hours=8)
    assert add_business_time(cal, london(2026, 3, 6, 23), timedelta(hours=2)) == london(2026, 3, 7, 1)
    assert add_business_time(cal, london(2026, 3, 7, 2), timedelta(hours=1)) == london(2026, 3, 13, 19)


@pytest.mark.parametrize(
    ("start", "delta", "expected"),
    [
        (london(2026, 3, 2, 10), timedelta(hours=2, minutes=30), london(2026, 3, 2, 12, 30)),  # not 13:30
        (london(2026, 3, 2, 10), timedelta(hours=2, minutes=31), london(2026, 3, 2, 13, 31)),
        (london(2026, 3, 2, 7), timedelta(minutes=1), london(2026, 3, 2, 9, 1)),
        (london(2026, 3, 6, 15), timedelta(hours=2), london(2026, 3, 9, 10)),
        (london(2026, 12, 23, 17), timedelta(hours=1), london(2026, 12, 29, 9, 30)),
        (london(2026, 3, 2, 9), timedelta(hours=40), london(2026, 3, 6, 16)),  # lands on an end
    ],
)
def test_add_business_time(office: Calendar, start: datetime, delta: timedelta, expected: datetime) -> None:
    found = add_business_time(office, start, delta)
    assert found == expected
    assert between(office, start, found) == delta


def test_adding_zero_is_start_even_when_closed(office: Calendar) -> None:
    sunday = london(2026, 3, 1, 3)
    assert add_business_time(office, sunday, timedelta(0)) is sunday


def test_the_result_is_in_the_timezone_of_start(office: Calendar) -> None:
    start = london(2026, 3, 2, 10).astimezone(NEW_YORK)
    found = add_business_time(office, start, timedelta(hours=1))
    assert found.tzinfo is NEW_YORK and found == london(2026, 3, 2, 11)


def test_adding_a_year_of_business_time_walks_forwards(office: Calendar) -> None:
    start = london(2026, 1, 1)
    year = between(office, start, london(2027, 1, 1))
    assert add_business_time(office, start, year) == london(2026, 12, 30, 17, 30)


def test_negative_or_naive_input_is_refused(office: Calendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_time(office, london(2026, 3, 2), timedelta(minutes=-1))
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_time(office, datetime(2026, 3, 2), timedelta(minutes=1))


# --- daylight saving ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "hours_in_day"),
    [
        ("Europe/London", date(2026, 3, 29), 23),
        ("Europe/London", date(2026, 10, 25), 25),
        ("America/New_York", date(2026, 3, 8), 23),
        ("America/New_York", date(2026, 11, 1), 25),
        ("Australia/Lord_Howe", date(2026, 4, 5), 24.5),
        ("Europe/London", date(2026, 6, 1), 24),
    ],
)
def test_a_local_day_is_real_elapsed_time(zone: str, day: date, hours_in_day: float) -> None:
    tz = ZoneInfo(zone)
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    end = start.replace(day=day.day + 1)
    assert between(full_days(zone), start, end) == timedelta(hours=hours_in_day)


def test_a_repeated_hour_counts_twice_and_a_skipped_one_not_at_all() -> None:
    london_night = Calendar.from_config({"timezone": "Europe/London", "hours": {"sun": ["01:00-02:00"]}})
    assert between(london_night, london(2026, 10, 24), london(2026, 10, 26)) == timedelta(hours=2)
    assert between(london_night, london(2026, 3, 28), london(2026, 3, 30)) == timedelta(0)
    ny_night = Calendar.from_config(
        {"timezone": "America/New_York", "hours": {"sun": ["01:00-02:00"], "sat": ["02:00-03:00"]}}
    )
    sunday = datetime(2026, 3, 8, tzinfo=NEW_YORK)  # 02:00-03:00 does not exist that night
    skipped = Calendar.from_config({"timezone": "America/New_York", "hours": {"sun": ["02:00-03:00"]}})
    assert between(skipped, sunday, sunday + timedelta(days=1)) == timedelta(0)
    autumn = datetime(2026, 11, 1, tzinfo=NEW_YORK)
    assert between(ny_night, autumn, datetime(2026, 11, 2, tzinfo=NEW_YORK)) == timedelta(hours=2)


def test_part_of_a_repeated_hour_is_met_on_both_passes() -> None:
    cal = Calendar.from_config({"timezone": "Europe/London", "hours": {"sun": ["01:30-02:00"]}})
    midnight = london(2026, 10, 25)
    assert between(cal, midnight, london(2026, 10, 26)) == timedelta(hours=1)
    found = add_business_time(cal, midnight, timedelta(minutes=45))
    # 30 minutes at 01:30-02:00 BST, then 15 more after 01:30 GMT. (Python never calls a time in
    # the repeated hour equal to one in another zone, so compare in UTC.)
    assert found.astimezone(UTC) == datetime(2026, 10, 25, 1, 45, tzinfo=UTC)
    assert found.fold == 1 and found.strftime("%H:%M %Z") == "01:45 GMT"


@pytest.mark.parametrize(
    ("zone", "start", "delta", "expected_utc"),
    [
        ("Europe/London", datetime(2026, 3, 29), timedelta(hours=3), datetime(2026, 3, 29, 3)),
        ("Europe/London", datetime(2026, 10, 25), timedelta(hours=3), datetime(2026, 10, 25, 2)),
        ("America/New_York", datetime(2026, 3, 8), timedelta(hours=3), datetime(2026, 3, 8, 8)),
        ("America/New_York", datetime(2026, 11, 1), timedelta(hours=3), datetime(2026, 11, 1, 7)),
    ],
)
def test_adding_across_a_clock_change_adds_real_time(
    zone: str, start: datetime, delta: timedelta, expected_utc: datetime
) -> None:
    tz = ZoneInfo(zone)
    found = add_business_time(full_days(zone), start.replace(tzinfo=tz), delta)
    assert found.astimezone(UTC) == expected_utc.replace(tzinfo=UTC)
    assert found - start.replace(tzinfo=tz).astimezone(UTC) == delta


def test_office_hours_on_the_changeover_weeks(office: Calendar) -> None:
    # Hours sit away from 01:00, so a week of office hours is still 40 hours.
    assert between(office, london(2026, 3, 23), london(2026, 3, 30)) == timedelta(hours=40)
    assert between(office, london(2026, 3, 30), london(2026, 4, 3)) == timedelta(hours=33)
    assert between(office, london(2026, 10, 19), london(2026, 10, 26)) == timedelta(hours=40)
