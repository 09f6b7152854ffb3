"""The SLA engine against a deliberately simple minute-by-minute reference, on random input."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.sla import CLOCKS, Calendar, add_business_time, business_time_between, evaluate

MINUTE = timedelta(minutes=1)
STOP = {"solved", "closed"}
# Each zone with the days its clocks change in 2026, so random instants often straddle a change.
ZONES = {
    "UTC": [date(2026, 1, 5), date(2026, 6, 1)],
    "Europe/London": [date(2026, 3, 29), date(2026, 10, 25)],
    "America/New_York": [date(2026, 3, 8), date(2026, 11, 1)],
    "America/St_Johns": [date(2026, 3, 8), date(2026, 11, 1)],
    "Australia/Lord_Howe": [date(2026, 4, 5), date(2026, 10, 4)],  # a 30-minute change
    "Asia/Kolkata": [date(2026, 2, 2)],
}
EVENTS = [
    "status:new",
    "status:open",
    "status:pending",
    "status:solved",
    "status:closed",
    "agent_reply",
    "requester_reply",
]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Reference:
    """A calendar judged one whole minute at a time, straight from the spec's words."""

    zone: ZoneInfo
    week: list[list[tuple[int, int]]] | None
    dates: set[date]
    country: str | None
    cache: dict[datetime, bool] = field(default_factory=dict)
    years: dict[int, frozenset[date]] = field(default_factory=dict)

    def is_open(self, minute: datetime) -> bool:
        """Whether the real minute starting at `minute` is business time."""
        if self.week is None:
            return True
        if (known := self.cache.get(minute)) is not None:
            return known
        local = minute.astimezone(self.zone)
        day = local.date()
        closed = day in self.dates or day in self.public(day.year)
        wall = local.hour * 60 + local.minute
        found = not closed and any(start <= wall < end for start, end in self.week[day.weekday()])
        self.cache[minute] = found
        return found

    def public(self, year: int) -> frozenset[date]:
        if self.country is None:
            return frozenset()
        if year not in self.years:
            self.years[year] = frozenset(holidays.country_holidays(self.country, years=year))
        return self.years[year]

    def between(self, a: datetime, b: datetime) -> timedelta:
        count, minute = 0, a
        while minute < b:
            count += self.is_open(minute)
            minute += MINUTE
        return count * MINUTE

    def add(self, start: datetime, delta: timedelta) -> datetime:
        needed, minute = delta // MINUTE, start
        while needed:
            needed -= self.is_open(minute)
            minute += MINUTE
        return minute


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def calendars(draw: st.DrawFn) -> tuple[dict, Reference, date]:
    """A random calendar config, the same calendar as a Reference, and a day to centre tests on."""
    name = draw(st.sampled_from(sorted(ZONES)))
    around = draw(st.sampled_from(ZONES[name]))
    if draw(st.integers(0, 9)) == 0:
        return {"timezone": name, "hours": "24x7"}, Reference(ZoneInfo(name), None, set(), None), around
    bounds = st.one_of(
        st.sampled_from([0, 60, 90, 120, 150, 180, 540, 1020, 1410, 1439, 1440]), st.integers(0, 1440)
    )
    week: list[list[tuple[int, int]]] = []
    for _ in range(7):
        points = sorted(draw(st.sets(bounds, max_size=6)))
        points = points[: len(points) // 2 * 2]
        week.append(list(zip(points[::2], points[1::2], strict=True)))
    # At least ten open hours a week keep the reference's minute walks short.
    if sum(end - start for day in week for start, end in day) < 600:
        week[draw(st.integers(0, 6))] = [(0, 1440)]
    dates = set(draw(st.lists(st.integers(-4, 8), max_size=4)))
    holiday_dates = {around + timedelta(days=d) for d in dates}
    country = draw(st.sampled_from([None, None, "GB", "US"]))
    config: dict = {
        "timezone": name,
        "hours": {
            day: [f"{hhmm(s)}-{hhmm(e)}" for s, e in spans]
            for day, spans in zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), week, strict=True)
            if spans or draw(st.booleans())
        },
        "holidays": {"dates": [d.isoformat() for d in sorted(holiday_dates)]},
    }
    if country:
        config["holidays"]["country"] = country
    return config, Reference(ZoneInfo(name), week, holiday_dates, country), around


def instant(around: date, minutes: int) -> datetime:
    return datetime(around.year, around.month, around.day, tzinfo=UTC) + minutes * MINUTE


@given(calendars(), st.integers(-3 * 1440, 3 * 1440), st.integers(0, 4 * 1440))
@SETTINGS
def test_business_time_between_matches_the_reference(drawn, offset: int, length: int) -> None:
    config, reference, around = drawn
    cal = Calendar.from_config(config)
    a = instant(around, offset)
    b = a + length * MINUTE
    assert business_time_between(cal, a, b) == reference.between(a, b)
    zone = ZoneInfo(config["timezone"])
    assert business_time_between(cal, a.astimezone(zone), b.astimezone(zone)) == reference.between(a, b)


@given(calendars(), st.integers(-3 * 1440, 3 * 1440), st.integers(0, 900))
@SETTINGS
def test_add_business_time_matches_the_reference(drawn, offset: int, minutes: int) -> None:
    config, reference, around = drawn
    cal = Calendar.from_config(config)
    start = instant(around, offset)
    found = add_business_time(cal, start, minutes * MINUTE)
    assert found == reference.add(start, minutes * MINUTE)
    assert business_time_between(cal, start, found) == minutes * MINUTE


@st.composite
def timelines(draw: st.DrawFn, around: date) -> tuple[list[tuple[datetime, str]], datetime]:
    created = instant(around, draw(st.integers(-3 * 1440, 2 * 1440)))
    timeline, moment = [(created, "created")], created
    for _ in range(draw(st.integers(0, 12))):
        moment += draw(st.sampled_from([0, 0, 1, 30, 60]) | st.integers(0, 600)) * MINUTE
        timeline.append((moment, draw(st.sampled_from(EVENTS))))
    now = created + draw(st.integers(0, (moment - created) // MINUTE + 600)) * MINUTE
    return timeline, now


@dataclass
class RefClock:
    elapsed: int = 0
    cycle: int = 0
    reached: datetime | None = None


def reference_evaluate(
    ref: Reference,
    targets: dict[str, timedelta],
    timeline,
    now: datetime,
    paused: tuple[str, ...],
    warn_at: float,
) -> dict[str, dict]:
    """The spec's clock rules, replayed one minute at a time from creation to now."""
    goal = {name: target // MINUTE for name, target in targets.items()}
    clocks = {name: RefClock() for name in CLOCKS}
    status, replied, first_done = "", False, False
    events = [event for event in timeline if event[0] <= now]

    def start_cycle(name: str, at: datetime) -> None:
        clock = clocks[name]
        clock.elapsed, clock.cycle = 0, clock.cycle + 1
        clock.reached = at if goal.get(name) == 0 else None

    def counting(name: str) -> bool:
        if status in STOP or status in paused or not status:
            return False
        return {"first_response": not first_done, "next_update": replied, "resolution": True}[name]

    minute, position = events[0][0], 0
    while True:
        while position < len(events) and events[position][0] == minute:
            kind = events[position][1]
            if kind == "created":
                status = "new"
                start_cycle("first_response", minute)
                start_cycle("resolution", minute)
            elif kind == "agent_reply":
                first_done, replied = True, True
                start_cycle("next_update", minute)
            elif kind.startswith("status:"):
                old, status = status, kind.removeprefix("status:")
                first_done = first_done or status in STOP
                if old in STOP and status not in STOP and replied:
                    start_cycle("next_update", minute)
            position += 1
        if minute >= now:
            break
        if ref.is_open(minute):
            for name in goal:
                clock = clocks[name]
                if counting(name):
                    clock.elapsed += 1
                    if clock.elapsed == goal[name] and clock.reached is None:
                        clock.reached = minute + MINUTE
        minute += MINUTE

    result = {}
    for name, target in targets.items():
        clock = clocks[name]
        if name == "next_update" and not replied:
            state = "inactive"
        elif status in STOP or (name == "first_response" and first_done):
            state = "stopped"
        else:
            state = "paused" if status in paused else "running"
        elapsed = clock.elapsed * MINUTE
        breached = elapsed > target
        breached_at = clock.reached if breached else None
        due_at = None
        if state == "running":
            due_at = breached_at if breached else ref.add(now, target - elapsed)
        result[name] = {
            "state": state,
            "elapsed": elapsed,
            "remaining": target - elapsed,
            "breached": breached,
            "breached_at": breached_at,
            "due_at": due_at,
            "warning": state in ("running", "paused") and not breached and elapsed >= target * warn_at,
            "cycle": max(clock.cycle, 1) if name == "next_update" else 1,
            "target": target,
        }
    return result


@given(
    st.data(),
    calendars(),
    st.dictionaries(st.sampled_from(CLOCKS), st.sampled_from([0, 0, 1, 30, 90]) | st.integers(0, 480)),
    st.sampled_from([("pending",), ("pending", "new"), (), ("open",)]),
    st.sampled_from([0.75, 0.5, 0.0, 1.0]),
)
@SETTINGS
def test_evaluate_matches_the_reference(data, drawn, minutes, paused, warn_at) -> None:
    config, reference, around = drawn
    cal = Calendar.from_config(config)
    timeline, now = data.draw(timelines(around))
    targets = {name: value * MINUTE for name, value in minutes.items()}
    got = evaluate(cal, targets, timeline, now, pause_statuses=paused, warn_at=warn_at)
    expected = reference_evaluate(reference, targets, timeline, now, paused, warn_at)
    assert set(got) == set(expected)
    for name, clock in got.items():
        fields = {key: getattr(clock, key) for key in expected[name]}
        assert fields == expected[name], (name, timeline, now)
        assert clock.name == name
