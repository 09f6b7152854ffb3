"""The pure SLA engine: calendars, business time and ticket clocks (contract: shared/spec/sla.md)."""

from tui.sla.calendar import Calendar, CalendarError, add_business_time, business_time_between
from tui.sla.clocks import CLOCKS, Clock, evaluate
from tui.sla.durations import DurationError, format_duration, parse_duration

__all__ = [
    "CLOCKS",
    "Calendar",
    "CalendarError",
    "Clock",
    "DurationError",
    "add_business_time",
    "business_time_between",
    "evaluate",
    "format_duration",
    "parse_duration",
]
