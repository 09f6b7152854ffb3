"""The three SLA clocks of a ticket, evaluated at a moment from the ticket's timeline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tui.sla.calendar import _EPOCH, Calendar, from_us, to_us

__all__ = ["CLOCKS", "STOP_STATUSES", "Clock", "evaluate"]

CLOCKS = ("first_response", "next_update", "resolution")
"""The clock names, in the order they are shown."""
STOP_STATUSES = frozenset({"solved", "closed"})
"""Spec: "`solved` and `closed` are the stop statuses"."""
EVENTS = ("created", "agent_reply", "requester_reply", "status:<name>")
"""The event kinds a timeline may hold."""

_US = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Clock:
    """One clock of one ticket at one moment (spec: the table under "Targets and clocks")."""

    name: str
    """first_response, next_update or resolution."""
    state: str
    """inactive, running, paused or stopped."""
    elapsed: timedelta
    """Business time counted so far; for next_update, in the current cycle."""
    remaining: timedelta
    """target - elapsed; negative when overdue."""
    breached: bool
    """elapsed > target."""
    breached_at: datetime | None
    """When breached: the instant elapsed reached the target."""
    due_at: datetime | None
    """Running only: when the target is reached if the clock keeps running."""
    warning: bool
    """Running or paused, not breached, and elapsed >= warn_at x target."""
    target: timedelta
    """The target this clock was judged against."""
    cycle: int = 1
    """next_update: the current cycle, from 1 (also 1 before the first reply); others: 1.

    Escalation records one breach per ticket, clock and cycle (spec: Escalation)."""


@dataclass(slots=True)
class _Track:
    """Where one clock stands while the timeline is replayed; all instants in UTC µs."""

    state: str = "inactive"
    cycle: int = 1
    cycle_start: int | None = None
    since: int | None = None
    """Start of the run that is counting now, if any."""
    runs: list[tuple[int, int]] = field(default_factory=list)
    """Finished counting runs of the current cycle."""

    def move(self, state: str, at: int, new_cycle: bool = False) -> None:
        if new_cycle:
            if self.cycle_start is not None:
                self.cycle += 1
            self.cycle_start, self.runs, self.since = at, [], None
        if self.since is not None and state != "running":
            self.runs.append((self.since, at))
            self.since = None
        elif self.since is None and state == "running":
            self.since = at
        self.state = state


def evaluate(
    cal: Calendar | Mapping[str, Calendar],
    targets: Mapping[str, timedelta],
    timeline: Sequence[tuple[datetime, str]],
    now: datetime,
    pause_statuses: Iterable[str] = ("pending",),
    warn_at: float = 0.75,
) -> dict[str, Clock]:
    """Judge a ticket's clocks at `now` (spec: "Targets and clocks").

    Args:
        cal: one Calendar for every clock, or a mapping clock name -> Calendar when targets use
            their own calendars (spec: "A target may name its own calendar").
        targets: any subset of first_response, next_update, resolution; a missing one is not
            tracked and is not in the result.
        timeline: (instant, event) pairs in time order, the first one "created"; events are
            "agent_reply" (public), "requester_reply" and "status:<name>". The ticket is `new`
            when created. Same-instant events apply in the order given; events after `now` are
            ignored.
        now: the moment of judgement; aware, like every instant in the timeline.
        pause_statuses: statuses in which no clock counts. A stop status wins over a pause one.
        warn_at: the fraction of a target at which a clock is in warning.

    Returns:
        A Clock per target, by name, in CLOCKS order. Its datetimes are shown in now's timezone.

    Raises:
        ValueError: an unknown clock, a negative target, a missing calendar, a naive datetime, or a
            timeline that is empty, out of order, not started by "created" or has an unknown event.
    """
    now_us = to_us(now, "now")
    calendars = _calendars(cal, targets)
    if isinstance(pause_statuses, str):
        raise TypeError("pause_statuses is a collection of statuses, not one string")
    paused = frozenset(pause_statuses)
    if not 0 <= warn_at <= 1:
        raise ValueError(f"warn_at is a fraction of the target between 0 and 1, not {warn_at}")
    tracks = _replay(timeline, now_us, paused)
    return {
        name: _clock(name, tracks[name], targets[name], calendars[name], now_us, now, warn_at)
        for name in CLOCKS
        if name in targets
    }


def _calendars(
    cal: Calendar | Mapping[str, Calendar], targets: Mapping[str, timedelta]
) -> dict[str, Calendar]:
    for name, target in targets.items():
        if name not in CLOCKS:
            raise ValueError(f"'{name}' is not a clock; targets may name {', '.join(CLOCKS)}")
        if not isinstance(target, timedelta) or target < timedelta(0):
            raise ValueError(f"the {name} target should be a timedelta of zero or more, not {target!r}")
    if isinstance(cal, Calendar):
        return dict.fromkeys(targets, cal)
    missing = [name for name in targets if not isinstance(cal.get(name), Calendar)]
    if missing:
        raise ValueError(f"no calendar given for {', '.join(missing)}")
    return {name: cal[name] for name in targets}


def _replay(
    timeline: Sequence[tuple[datetime, str]], now_us: int, paused: frozenset[str]
) -> dict[str, _Track]:
    """Move every clock through the timeline up to `now`, checking it against the API's rules.

    Spec: the three clock rules under "Targets and clocks". One tight loop, because a ticket with a
    year of history has thousands of events and the queue evaluates thousands of tickets.
    """
    if not timeline or timeline[0][1] != "created":
        raise ValueError('a timeline starts with a "created" event')
    first, update, resolution = _Track(), _Track(), _Track()
    status, last = "", None
    for position, (moment, kind) in enumerate(timeline):
        try:
            at = (moment - _EPOCH) // _US  # inline to_us: this loop runs for every event of every ticket
        except TypeError:
            at = to_us(moment, f"timeline[{position}]")  # raises the helpful error
        if last is not None and at < last:
            raise ValueError(
                f"timeline[{position}] ({kind}) is earlier than the event before it; "
                "give the events in time order"
            )
        last = at
        if kind == "requester_reply":
            continue  # spec: a requester's reply changes no clock by itself
        if kind == "agent_reply":
            if at <= now_us:
                if first.state != "stopped":
                    first.move("stopped", at)
                # The first public reply starts next_update; each later one resets it (new cycle).
                update.move(_state(status, paused), at, new_cycle=True)
        elif isinstance(kind, str) and kind.startswith("status:") and len(kind) > 7:
            if at <= now_us:
                new = kind[7:]
                state = _state(new, paused)
                if first.state != "stopped" and first.state != state:
                    first.move(state, at)  # entering a stop status stops it for good
                reopened = status in STOP_STATUSES and new not in STOP_STATUSES
                if update.state != "inactive" and (reopened or update.state != state):
                    update.move(state, at, new_cycle=reopened)
                if resolution.state != state:
                    resolution.move(state, at)  # keeps its elapsed time across a reopen
                status = new
        elif kind == "created" and not position:
            if at <= now_us:
                status = "new"  # a ticket is new when created; `new` may be a pause status
                first.move(_state(status, paused), at, new_cycle=True)
                resolution.move(_state(status, paused), at, new_cycle=True)
        else:
            raise ValueError(
                f"timeline[{position}] has unknown event {kind!r}; events are "
                f"{', '.join(EVENTS)}, and created only comes first"
            )
    # Spec: events after `now` are ignored; they were still checked, so a bad timeline fails early.
    return dict(zip(CLOCKS, (first, update, resolution), strict=True))


def _state(status: str, paused: frozenset[str]) -> str:
    if status in STOP_STATUSES:
        return "stopped"
    return "paused" if status in paused else "running"


def _clock(
    name: str, track: _Track, target: timedelta, cal: Calendar, now_us: int, now: datetime, warn_at: float
) -> Clock:
    """Read one clock off its track at `now` (spec: the field table)."""
    runs = track.runs + ([(track.since, now_us)] if track.since is not None else [])
    counted = [cal.between_us(start, end) for start, end in runs]
    elapsed, goal = sum(counted), target // _US
    breached = elapsed > goal
    breached_at: int | None = None
    due_at: datetime | None = None
    if breached:
        breached_at = track.cycle_start if goal == 0 else _reached(cal, runs, counted, goal)
    zone = now.tzinfo
    shown_breach = None if breached_at is None else from_us(breached_at, zone)
    if track.state == "running":
        # Spec: due_at is breached_at once breached, now when elapsed equals the target.
        due_at = shown_breach if breached else from_us(cal.add_us(now_us, goal - elapsed), zone)
    warning = track.state in ("running", "paused") and not breached and elapsed * _US >= target * warn_at
    return Clock(
        name,
        track.state,
        elapsed * _US,
        (goal - elapsed) * _US,
        breached,
        shown_breach,
        due_at,
        warning,
        target,
        track.cycle,
    )


def _reached(cal: Calendar, runs: list[tuple[int, int]], counted: list[int], goal: int) -> int:
    """The first instant at which the runs' business time adds up to `goal` (> 0)."""
    done = 0
    for (start, _end), amount in zip(runs, counted, strict=True):
        if done + amount >= goal:
            return cal.add_us(start, goal - done)
        done += amount
    raise AssertionError("only called when the runs exceed the goal")
