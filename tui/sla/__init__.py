"""The pure SLA engine: calendars, business time and ticket clocks (contract: shared/spec/sla.md)."""

from tui.sla.calendar import Calendar, CalendarError, add_business_time, business_time_between
from tui.sla.clocks import CLOCKS, Clock, evaluate
from tui.sla.durations import DurationError, format_duration, parse_duration
from tui.sla.explain import ClockStory, Stretch, explain

__all__ = [
    "CLOCKS",
    "Calendar",
    "CalendarError",
    "Clock",
    "ClockStory",
    "Stretch",
    "DurationError",
    "add_business_time",
    "business_time_between",
    "evaluate",
    "explain",
    "format_duration",
    "parse_duration",
]
