"""Business calendars: open hours and holidays, and business time between real instants."""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from tui.sla import public_holidays

__all__ = ["WEEKDAYS", "Calendar", "CalendarError", "add_business_time", "business_time_between"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The keys of `hours:`, in `date.weekday()` order."""

_KEYS = ("timezone", "hours", "holidays")
_HOLIDAY_KEYS = ("country", "subdivision", "dates")
_INTERVAL = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")
_US = timedelta(microseconds=1)
_SECOND_US = 1_000_000
_MINUTE_US = 60 * _SECOND_US
_DAY_US = 24 * 60 * _MINUTE_US
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = _EPOCH.date().toordinal()
# UTC offsets are sampled this often to find daylight-saving changes (then pinned by bisection);
# no zone changes its offset and changes it back within half a day.
_PROBE_US = 12 * 3600 * _SECOND_US

Interval = tuple[int, int]
"""Open local wall-clock time on one weekday, as minutes since local midnight: [start, end)."""


class CalendarError(ValueError):
    """A calendar mapping that cannot be used; `path` locates the bad key inside that mapping."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = tuple(path)
        """Keys and list indexes relative to the calendar, e.g. ("hours", "mon", 1)."""


@dataclass(frozen=True, slots=True)
class _Index:
    """The open spans of whole UTC years [low, high), in UTC µs, with running totals to bisect."""

    low: int
    high: int
    starts: list[int]
    ends: list[int]
    totals: list[int]
    """totals[i]: business time from `low` to ends[i]."""

    @property
    def total(self) -> int:
        return self.totals[-1] if self.totals else 0

    def before(self, instant: int) -> int:
        """Business time from `low` to `instant`, for low <= instant <= high."""
        i = bisect_right(self.starts, instant) - 1
        if i < 0:
            return 0
        end = self.ends[i]
        return self.totals[i] - end + instant if instant < end else self.totals[i]

    def reach(self, amount: int) -> int:
        """The earliest instant with business time `amount` (0 < amount <= total) since `low`."""
        i = bisect_left(self.totals, amount)
        return self.ends[i] - (self.totals[i] - amount)


@dataclass(frozen=True)
class Calendar:
    """When the clocks may count: weekly open hours in a timezone, minus holidays (spec: Calendars).

    Build one with `Calendar.from_config`. Computed years are cached on the instance, so share it.
    """

    zone: ZoneInfo
    """The calendar's timezone; open hours are read on its wall clock."""
    hours: tuple[tuple[Interval, ...], ...] | None
    """Sorted, merged open intervals for mon..sun; None for `24x7`."""
    country: str | None = None
    subdivision: str | None = None
    dates: frozenset[date] = frozenset()
    """Extra closed local dates from `holidays.dates`."""
    _index: list[_Index] = field(default_factory=list, init=False, repr=False, compare=False)
    _public: dict[int, frozenset[date]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_config(cls, mapping: Mapping[str, Any]) -> Calendar:
        """Check one entry under `calendars:` fully and build it.

        Raises:
            CalendarError: with `path` relative to `mapping` and a message saying what is expected.
        """
        if not isinstance(mapping, Mapping):
            raise CalendarError(
                "a calendar should be a mapping with timezone:, hours: and optionally holidays:"
            )
        for key in mapping:
            if key not in _KEYS:
                raise CalendarError(
                    f"unknown key '{key}'{_suggest(key, _KEYS)}; the keys allowed "
                    f"here are: {', '.join(_KEYS)}",
                    (key,),
                )
        if "timezone" not in mapping:
            raise CalendarError(
                "a timezone is required; write an IANA name such as Europe/London or UTC", ("timezone",)
            )
        if "hours" not in mapping:
            raise CalendarError(
                "opening hours are required; write 24x7 or a mapping of weekdays "
                'such as mon: ["09:00-17:30"]',
                ("hours",),
            )
        zone = _parse_zone(mapping["timezone"])
        hours = _parse_hours(mapping["hours"])
        country, subdivision, dates = _parse_holidays(mapping.get("holidays"))
        return cls(zone, hours, country, subdivision, dates)

    @property
    def always_open(self) -> bool:
        """True for `24x7`: every real minute counts and holidays are ignored."""
        return self.hours is None

    def is_holiday(self, day: date) -> bool:
        """Whether the local date `day` is closed all day (spec: "A local date that is a holiday")."""
        if self.hours is None:
            return False
        if day in self.dates:
            return True
        if self.country is None:
            return False
        if (public := self._public.get(day.year)) is None:
            public = self._public[day.year] = public_holidays.dates(self.country, self.subdivision, day.year)
        return day in public

    def between_us(self, start: int, end: int) -> int:
        """Business time in [start, end), all as UTC microseconds; the engine's fast path."""
        if start > end:
            raise ValueError("the start is after the end; business time runs forwards")
        if self.hours is None:
            return end - start
        index = self._index_for(start, end)
        return index.before(end) - index.before(start)

    def open_spans_us(self, start: int, end: int) -> list[tuple[int, int]]:
        """The open stretches inside [start, end), as UTC µs pairs; for explaining a count."""
        if start >= end:
            return []
        if self.hours is None:
            return [(start, end)]
        index = self._index_for(start, end)
        i = max(0, bisect_right(index.starts, start) - 1)
        spans = []
        while i < len(index.starts) and index.starts[i] < end:
            low, high = max(index.starts[i], start), min(index.ends[i], end)
            if low < high:
                spans.append((low, high))
            i += 1
        return spans

    def add_us(self, start: int, amount: int) -> int:
        """The earliest instant t >= start with `amount` business time in [start, t), as UTC µs."""
        if amount < 0:
            raise ValueError("the business time to add is negative")
        if amount == 0 or self.hours is None:
            return start + amount
        horizon = start
        while True:
            # from_config insists on open time every week, so each added year brings some: this ends.
            index = self._index_for(start, horizon)
            goal = index.before(start) + amount
            if goal <= index.total:
                return index.reach(goal)
            horizon = index.high + 1

    def _index_for(self, start: int, end: int) -> _Index:
        """The cached index, first grown by whole UTC years to cover [start, end]."""
        index = self._index[0] if self._index else None
        if index is not None and index.low <= start and end <= index.high:
            return index
        low, high = _year_start(_year_of(start)), _year_start(_year_of(end) + 1)
        spans: list[Interval] = []
        if index is None:
            spans.extend(self._spans(low, high))
        else:
            low, high = min(low, index.low), max(high, index.high)
            spans.extend(self._spans(low, index.low))
            spans.extend(zip(index.starts, index.ends, strict=True))
            spans.extend(self._spans(index.high, high))
        starts: list[int] = []
        ends: list[int] = []
        for open_, close in spans:
            if ends and ends[-1] == open_:
                ends[-1] = close  # touching spans (across midnight or years) are one
            else:
                starts.append(open_)
                ends.append(close)
        index = _Index(
            low, high, starts, ends, list(accumulate(e - s for s, e in zip(starts, ends, strict=True)))
        )
        # One assignment, so a thread reading the old index meanwhile still sees a whole one.
        self._index[:] = [index]
        return index

    def _spans(self, start: int, end: int) -> Iterator[Interval]:
        """Open spans in [start, end) in UTC µs, in order, walked interval by interval.

        Spec: business time is real elapsed time judged by the local wall clock. Between two offset
        changes the wall clock is UTC plus a constant, so each such stretch maps open wall-clock
        intervals back to UTC by one subtraction: a repeated hour is met twice, a skipped one never.
        """
        assert self.hours is not None
        for low, high, offset in _stretches(self.zone, start, end):
            wall_low, wall_high = low + offset, high + offset
            for day_number in range(wall_low // _DAY_US, (wall_high - 1) // _DAY_US + 1):
                day = date.fromordinal(_EPOCH_ORDINAL + day_number)
                intervals = self.hours[day.weekday()]
                if not intervals or self.is_holiday(day):
                    continue
                base = day_number * _DAY_US
                for open_, close in intervals:
                    a = max(base + open_ * _MINUTE_US, wall_low)
                    b = min(base + close * _MINUTE_US, wall_high)
                    if a < b:
                        yield a - offset, b - offset


def business_time_between(cal: Calendar, a: datetime, b: datetime) -> timedelta:
    """Business time within [a, b) by `cal` (spec: Calendars).

    Raises:
        ValueError: a or b is naive, or a is after b.
    """
    return cal.between_us(to_us(a, "a"), to_us(b, "b")) * _US


def add_business_time(cal: Calendar, start: datetime, delta: timedelta) -> datetime:
    """The earliest t >= start with business time [start, t) == delta, in start's timezone.

    Raises:
        ValueError: start is naive or delta is negative.
    """
    instant = to_us(start, "start")
    if delta < timedelta(0):
        raise ValueError(f"cannot add a negative business time ({delta})")
    if not delta:
        return start
    return from_us(cal.add_us(instant, delta // _US), start.tzinfo)


def to_us(moment: datetime, name: str = "instant") -> int:
    """A timezone-aware datetime as microseconds since 1970 UTC (real time, never wall time)."""
    try:
        return (moment - _EPOCH) // _US
    except TypeError:  # naive, or not a datetime at all
        raise ValueError(f"{name} must be a timezone-aware datetime, got {moment!r}") from None


def from_us(instant: int, zone: Any = UTC) -> datetime:
    """The inverse of `to_us`, shown in `zone`."""
    return (_EPOCH + instant * _US).astimezone(zone)


def _year_of(instant: int) -> int:
    return date.fromordinal(_EPOCH_ORDINAL + instant // _DAY_US).year


def _year_start(number: int) -> int:
    return (date(number, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY_US


def _offset_us(zone: ZoneInfo, instant: int) -> int:
    local = zone.fromutc((_EPOCH + instant * _US).replace(tzinfo=zone))
    return local.utcoffset() // _US  # type: ignore[operator]  # a ZoneInfo always has one


def _stretches(zone: ZoneInfo, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """Split [start, end) where the UTC offset changes: (low, high, offset) in µs."""
    low = start
    while low < end:
        offset, probe_low, probe_high = _offset_us(zone, low), low, min(low + _PROBE_US, end)
        while probe_high < end and _offset_us(zone, probe_high) == offset:
            probe_low, probe_high = probe_high, min(probe_high + _PROBE_US, end)
        if _offset_us(zone, probe_high) != offset:
            while probe_high - probe_low > 1:  # to the first microsecond of the new offset
                middle = (probe_low + probe_high) // 2
                probe_low, probe_high = (
                    (middle, probe_high) if _offset_us(zone, middle) == offset else (probe_low, middle)
                )
        yield low, probe_high, offset
        low = probe_high


def _suggest(word: Any, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _parse_zone(value: Any) -> ZoneInfo:
    example = "write an IANA name such as Europe/London, America/New_York or UTC"
    if not isinstance(value, str) or not value.strip():
        raise CalendarError(f"the timezone should be a name, not {value!r}; {example}", ("timezone",))
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        hint = _suggest(value, available_timezones())
        raise CalendarError(f"'{value}' is not a timezone{hint}; {example}", ("timezone",)) from None


def _parse_hours(value: Any) -> tuple[tuple[Interval, ...], ...] | None:
    if isinstance(value, str) and value.strip().lower() == "24x7":
        return None
    if not isinstance(value, Mapping):
        raise CalendarError(
            f"hours should be 24x7 or a mapping of weekdays to intervals such as "
            f'mon: ["09:00-17:30"], not {value!r}',
            ("hours",),
        )
    week: list[tuple[Interval, ...]] = [()] * 7
    for key, intervals in value.items():
        if key not in WEEKDAYS:
            raise CalendarError(
                f"'{key}' is not a weekday{_suggest(key, WEEKDAYS)}; write one of {', '.join(WEEKDAYS)}",
                ("hours", key),
            )
        week[WEEKDAYS.index(key)] = _parse_day(key, intervals)
    if not any(week):
        raise CalendarError(
            "these hours are never open, so no clock could ever run; give at least "
            'one interval such as mon: ["09:00-17:30"], or write 24x7',
            ("hours",),
        )
    return tuple(week)


def _parse_day(key: str, value: Any) -> tuple[Interval, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise CalendarError(
            f'{key} should be a list of intervals such as ["09:00-12:30", '
            f'"13:30-17:30"] (or [] when closed), not {value!r}',
            ("hours", key),
        )
    parsed = [(_parse_interval(text, ("hours", key, i)), i) for i, text in enumerate(value)]
    merged: list[Interval] = []
    previous = 0
    for (start, end), i in sorted(parsed):
        if merged and start < merged[-1][1]:
            raise CalendarError(
                f"'{value[i]}' overlaps '{value[previous]}' on {key}; intervals on one day must not overlap",
                ("hours", key, i),
            )
        previous = i
        if merged and start == merged[-1][1]:
            merged[-1] = (merged[-1][0], end)  # touching intervals count the same as one
        else:
            merged.append((start, end))
    return tuple(merged)


def _parse_interval(text: Any, path: tuple[str | int, ...]) -> Interval:
    shape = "write HH:MM-HH:MM such as 09:00-17:30 (the end may be 24:00)"
    match = _INTERVAL.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise CalendarError(f"{text!r} is not an interval; {shape}", path)
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
        raise CalendarError(f"'{text}' has a time that does not exist; {shape}", path)
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if end == 0 and start > 0:
        raise CalendarError(f"'{text}' ends at midnight; write the end of the day as 24:00", path)
    if end < start:
        raise CalendarError(
            f"'{text}' crosses midnight; split it over two days, e.g. "
            f"{text.split('-')[0].strip()}-24:00 and 00:00-{text.split('-')[1].strip()} "
            "on the next day",
            path,
        )
    if end == start:
        raise CalendarError(f"'{text}' is empty; the start must be before the end", path)
    return start, end


def _parse_holidays(value: Any) -> tuple[str | None, str | None, frozenset[date]]:
    if value is None:
        return None, None, frozenset()
    if not isinstance(value, Mapping):
        raise CalendarError(
            "holidays should be a mapping with country:, subdivision: and/or dates:", ("holidays",)
        )
    for key in value:
        if key not in _HOLIDAY_KEYS:
            raise CalendarError(
                f"unknown key '{key}'{_suggest(key, _HOLIDAY_KEYS)}; the keys allowed "
                f"here are: {', '.join(_HOLIDAY_KEYS)}",
                ("holidays", key),
            )
    country, subdivision = value.get("country"), value.get("subdivision")
    _check_country(country, subdivision)
    country = None if country is None else str(country)
    subdivision = None if subdivision is None else str(subdivision)
    dates = value.get("dates", [])
    if isinstance(dates, str) or not isinstance(dates, list | tuple):
        raise CalendarError('dates should be a list of dates such as ["2026-12-24"]', ("holidays", "dates"))
    return country, subdivision, frozenset(_parse_date(d, i) for i, d in enumerate(dates))


def _check_country(country: Any, subdivision: Any) -> None:
    if country is None:
        if subdivision is not None:
            raise CalendarError(
                "a subdivision needs a country; add country: such as GB", ("holidays", "subdivision")
            )
        return
    if isinstance(country, bool):  # YAML reads an unquoted NO (Norway) as false
        raise CalendarError('quote the country code, e.g. country: "NO"', ("holidays", "country"))
    try:
        public_holidays.check_region(str(country), None if subdivision is None else str(subdivision))
    except public_holidays.UnknownRegion as unknown:
        supported = unknown.supported
        if unknown.part == "country":
            raise CalendarError(
                f"'{country}' is not a country the holidays package knows"
                f"{_suggest(country, supported)}; write an ISO 3166 code such as GB, "
                "US or DE",
                ("holidays", "country"),
            ) from None
        known = ", ".join(supported.get(str(country), ())) or "(none)"
        raise CalendarError(
            f"'{subdivision}' is not a subdivision of {country}; write one of: {known}",
            ("holidays", "subdivision"),
        ) from None


def _parse_date(value: Any, index: int) -> date:
    path = ("holidays", "dates", index)
    if isinstance(value, datetime):
        raise CalendarError(f"'{value}' has a time; a holiday is a whole local date such as 2026-12-24", path)
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        with suppress(ValueError):
            return date.fromisoformat(value.strip())
    raise CalendarError(f"{value!r} is not a date; write YYYY-MM-DD such as 2026-12-24", path)
