"""Config durations: the accepted forms, and errors that say what to write instead."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tui.sla import DurationError, parse_duration
from tui.sla.durations import format_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("4h", timedelta(hours=4)),
        ("2h30m", timedelta(hours=2, minutes=30)),
        ("0m", timedelta(0)),
        ("0h", timedelta(0)),
        ("90m", timedelta(minutes=90)),
        ("1h5m", timedelta(hours=1, minutes=5)),
        ("  45m ", timedelta(minutes=45)),
        ("120h", timedelta(hours=120)),
    ],
)
def test_accepted_forms(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("1d", ["ambiguous", "24 hours", "working day", "8h"]),
        ("2 days", ["ambiguous", "working day"]),
        ("1w", ["ambiguous", "week"]),
        ("30s", ["seconds", "counted in minutes"]),
        ("1h30s", ["seconds", "minutes"]),
        ("1.5h", ["decimal", "1h30m"]),
        ("0.25h", ["decimal", "15m"]),
        ("1,5h", ["decimal", "1h30m"]),
        ("1.33h", ["decimal", "1h30m"]),
        ("", ["empty", "30m, 4h or 2h30m"]),
        ("   ", ["empty", "30m, 4h or 2h30m"]),
        ("-30m", ["negative", "30m, 4h or 2h30m"]),
        ("soon", ["not a duration", "30m, 4h or 2h30m"]),
        ("h", ["not a duration", "30m, 4h or 2h30m"]),
        ("30", ["no unit", "30m", "30h"]),
        ("1h30", ["without a unit", "1h30m"]),
        ("2h 30m", ["write 2h30m"]),
        ("30m2h", ["write 2h30m"]),
        ("30 minutes", ["write 30m"]),
        ("2 hours", ["write 2h"]),
        ("4H", ["write 4h"]),
        ("2h90m", ["90 minutes", "3h30m"]),
        ("10x", ["unknown unit 'x'", "30m, 4h or 2h30m"]),
    ],
)
def test_rejected_forms_say_why_and_what_to_write(text: str, fragments: list[str]) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_duration_error_is_a_value_error() -> None:
    assert issubclass(DurationError, ValueError)


def test_a_number_that_is_not_text_is_rejected() -> None:
    with pytest.raises(DurationError, match="30m, 4h or 2h30m"):
        parse_duration(30)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(hours=2, minutes=30), "2h30m"),
        (timedelta(minutes=45), "45m"),
        (timedelta(hours=4), "4h"),
        (timedelta(0), "0m"),
        (timedelta(minutes=90), "1h30m"),
        (timedelta(days=1, hours=1), "25h"),
        (-timedelta(hours=1, minutes=5), "-1h5m"),
        (timedelta(minutes=5, seconds=59), "5m"),
        (-timedelta(seconds=30), "0m"),
    ],
)
def test_format_duration(duration: timedelta, text: str) -> None:
    assert format_duration(duration) == text


@pytest.mark.parametrize("minutes", [0, 1, 59, 60, 61, 150, 600, 1439, 10_000])
def test_format_is_the_inverse_of_parse(minutes: int) -> None:
    duration = timedelta(minutes=minutes)
    assert parse_duration(format_duration(duration)) == duration
