"""A due time in the words a person would use: "by 3:30 pm today", "by 10 am on Tuesday"."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo


def clock_time(moment: datetime) -> str:
    """ "3:30 pm", "10 am", "12 noon"."""
    if moment.hour == 12 and moment.minute == 0:
        return "12 noon"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour} {suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d} {suffix}"


def plain_when(moment: datetime, now: datetime, zone: tzinfo) -> str:
    """When `moment` is, seen from `now` in `zone`, as "by <time> <day>" for a promise.

    Minutes are rounded up to the next quarter hour, since a promise a little later than the clock's
    due time is still kept if the reply comes on time, and "by 3:30 pm" reads better than "by 3:27 pm".
    """
    local = moment.astimezone(zone)
    extra = (-local.minute) % 15
    if extra or local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0)
        local = local + timedelta(minutes=extra or 15)
    today = now.astimezone(zone).date()
    days = (local.date() - today).days
    at = clock_time(local)
    if days <= 0:
        return f"by {at} today"
    if days == 1:
        return f"by {at} tomorrow"
    if days < 7:
        return f"by {at} on {local:%A}"
    return f"by {at} on {local:%A} {local.day} {local:%B}"
