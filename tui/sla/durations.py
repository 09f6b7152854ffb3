"""SLA target durations as written in config: `30m`, `4h`, `2h30m`, and their inverse."""

from __future__ import annotations

import re
from datetime import timedelta

__all__ = ["DurationError", "format_duration", "parse_duration"]

ACCEPTED = "write hours and minutes such as 30m, 4h or 2h30m"
"""The tail of most error messages: what a duration should look like."""

_VALID = re.compile(r"(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?", re.ASCII)
_NUMBER_UNIT = re.compile(r"(?P<num>\d+(?:[.,]\d*)?|[.,]\d+)\s*(?P<unit>[a-zA-Z]*)")
_DAY = "a day 24 hours or one working day"
_WEEK = "a week 168 hours or one working week"
_AMBIGUOUS = {"d": _DAY, "day": _DAY, "days": _DAY, "w": _WEEK, "wk": _WEEK, "week": _WEEK, "weeks": _WEEK}
_SECONDS = {"s", "sec", "secs", "second", "seconds"}
_SPELLED = {
    "min": "m",
    "mins": "m",
    "minute": "m",
    "minutes": "m",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "H": "h",
    "M": "m",
}


class DurationError(ValueError):
    """A config duration that is not one of the accepted forms; the message says what to write."""


def parse_duration(text: str) -> timedelta:
    """Read a business-time duration from config (spec: "Durations in config").

    Args:
        text: `30m`, `4h`, `2h30m`, `0m` or `90m`; surrounding spaces are ignored.

    Returns:
        The duration, in whole minutes.

    Raises:
        DurationError: any other text, with a message saying why and what to write instead.
    """
    if not isinstance(text, str):
        raise DurationError(f"{text!r} is not a duration; {ACCEPTED}")
    written = text.strip()
    if not written:
        raise DurationError(f"the duration is empty; {ACCEPTED}")
    match = _VALID.fullmatch(written)
    if match and (match["h"] or match["m"]):
        hours, minutes = int(match["h"] or 0), int(match["m"] or 0)
        if match["h"] and minutes >= 60:
            # One spelling per duration keeps config diffs and messages unambiguous.
            fixed = format_duration(timedelta(hours=hours, minutes=minutes))
            raise DurationError(f"'{written}' has {minutes} minutes after the hours; write {fixed}")
        return timedelta(hours=hours, minutes=minutes)
    raise DurationError(_explain(written))


def _explain(written: str) -> str:
    """Say what is wrong with a duration that did not parse, most specific reason first."""
    if written.startswith("-"):
        return f"'{written}' is negative; a target is a length of business time, so {ACCEPTED}"
    if written.isdigit():
        return (
            f"'{written}' has no unit; write {written}m for minutes or {written}h for hours (business time)"
        )
    parts = list(_NUMBER_UNIT.finditer(written))
    covered = "".join(part.group(0) for part in parts).replace(" ", "")
    if not parts or covered != written.replace(" ", ""):
        return f"'{written}' is not a duration; {ACCEPTED}"
    for part in parts:
        unit = part["unit"]
        if unit.lower() in _AMBIGUOUS:
            return (
                f"'{written}' is ambiguous: is {_AMBIGUOUS[unit.lower()]}? "
                "Write the business hours you mean, such as 8h or 24h"
            )
        if unit.lower() in _SECONDS:
            return (
                f"'{written}' uses seconds, but SLA targets are counted in minutes; "
                "write whole minutes such as 1m or 30m"
            )
        if unit and unit not in ("h", "m") and unit not in _SPELLED:
            return f"'{written}' has an unknown unit '{unit}'; {ACCEPTED}"
    if len(parts) == 2 and parts[0]["unit"] == "h" and not parts[1]["unit"]:
        return f"'{written}' has minutes without a unit; write {written}m"
    if any(not part["unit"] for part in parts):
        return f"'{written}' has a number without a unit; {ACCEPTED}"
    for part in parts:
        number = part["num"].replace(",", ".")
        if "." in number:
            return _explain_fraction(written, float(number), part["unit"])
    minutes = sum(
        int(part["num"]) * (60 if _SPELLED.get(part["unit"], part["unit"]) == "h" else 1) for part in parts
    )
    fixed = format_duration(timedelta(minutes=minutes))
    return f"'{written}' is not written the short way (hours, then minutes, no spaces); write {fixed}"


def _explain_fraction(written: str, number: float, unit: str) -> str:
    """Suggest whole hours and minutes for a decimal such as `1.5h`."""
    minutes = number * (60 if _SPELLED.get(unit, unit) == "h" else 1)
    if minutes == int(minutes) and _SPELLED.get(unit, unit) in ("h", "m"):
        fixed = format_duration(timedelta(minutes=int(minutes)))
        return f"'{written}' has a decimal point; write whole hours and minutes: {fixed}"
    return f"'{written}' has a decimal point; write whole hours and minutes such as 1h30m"


def format_duration(duration: timedelta) -> str:
    """Write a duration the way config does (`2h30m`, `45m`, `4h`, `0m`, `-1h5m`).

    Whole minutes only: seconds are dropped (towards zero), since targets are minutes.
    """
    total = abs(duration) // timedelta(minutes=1)
    sign = "-" if duration < timedelta(0) and total else ""
    hours, minutes = divmod(total, 60)
    if not hours:
        return f"{sign}{minutes}m"
    return f"{sign}{hours}h{minutes}m" if minutes else f"{sign}{hours}h"
