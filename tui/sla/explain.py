"""Why a clock stands where it does: the stretches of a ticket's life and what each one counted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tui.sla.calendar import Calendar, from_us, to_us
from tui.sla.clocks import Clock, _calendars, _replay, evaluate

_US = timedelta(microseconds=1)


@dataclass(frozen=True)
class Stretch:
    """A stretch of time in which one clock stayed in one state."""

    start: datetime
    end: datetime
    state: str
    """running, paused, stopped or inactive."""
    status: str
    """The ticket's status during the stretch (why a clock was paused or stopped)."""
    cycle: int
    counted: timedelta
    """Business time the clock counted in this stretch (zero unless running)."""
    open_spans: tuple[tuple[datetime, datetime], ...]
    """The parts that counted, inside the calendar's open hours (running stretches only)."""


@dataclass(frozen=True)
class ClockStory:
    clock: Clock
    stretches: tuple[Stretch, ...]


def explain(
    cal: Calendar | Mapping[str, Calendar],
    targets: Mapping[str, timedelta],
    timeline: Sequence[tuple[datetime, str]],
    now: datetime,
    pause_statuses: Iterable[str] = ("pending",),
    warn_at: float = 0.75,
) -> dict[str, ClockStory]:
    """Each clock as evaluate() judges it, with the stretches that led there.

    The stretches come from replaying the timeline up to each of its instants with the same rules as
    evaluate(), so the story can never disagree with the verdict. Meant for one ticket on request.
    """
    clocks = evaluate(cal, targets, timeline, now, pause_statuses, warn_at)
    calendars = _calendars(cal, targets)
    paused = frozenset(pause_statuses)
    now_us = to_us(now, "now")
    instants = sorted({to_us(moment) for moment, _ in timeline if to_us(moment) <= now_us})
    statuses = _statuses(timeline, now_us)
    zone = now.tzinfo
    stories = {}
    for name, clock in clocks.items():
        calendar = calendars[name]
        stretches: list[Stretch] = []
        for k, start in enumerate(instants):
            end = instants[k + 1] if k + 1 < len(instants) else now_us
            track = _replay(timeline, start, paused)[name]
            status = statuses[start]
            if (
                stretches
                and stretches[-1].state == track.state
                and stretches[-1].cycle == track.cycle
                and stretches[-1].status == status
            ):
                last = stretches.pop()
                start = to_us(last.start)
            spans = calendar.open_spans_us(start, end) if track.state == "running" else []
            counted = sum(high - low for low, high in spans) * _US
            stretches.append(
                Stretch(
                    from_us(start, zone),
                    from_us(end, zone),
                    track.state,
                    status,
                    track.cycle,
                    counted,
                    tuple((from_us(a, zone), from_us(b, zone)) for a, b in spans),
                )
            )
        stories[name] = ClockStory(
            clock, tuple(s for s in stretches if s.end > s.start or len(stretches) == 1)
        )
    return stories


def _statuses(timeline: Sequence[tuple[datetime, str]], now_us: int) -> dict[int, str]:
    """The ticket's status after all events at each instant."""
    status, result = "new", {}
    for moment, kind in timeline:
        at = to_us(moment)
        if at > now_us:
            break
        if kind.startswith("status:"):
            status = kind[7:]
        result[at] = status
    return result
