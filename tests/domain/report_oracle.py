"""The SLA-compliance section as it was computed before schema 7, kept as the tests' reference.

Every ticket created in the window is judged by the SLA engine (tui.sla.evaluate) at as_of, on its
history before as_of, under the policy of its current priority; each finished update cycle is judged
again at the instant it ended. Slow (about 40 µs a ticket) but straight from the engine, so the stored
outcomes that tui.reports counts with SQL can be checked against it on any desk.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tui import sla
from tui.config import STOP_STATUSES, Config
from tui.reports import ClockFigures, Scope, SlaSection, _in_scope, _parse, _rows, _t
from tui.sla_policy import policy_inputs
from tui.store import Store

_TIMELINE = {"created": "created", "replied": "agent_reply", "requester_replied": "requester_reply"}


@dataclass
class _Ticket:
    created: str
    priority: str
    assignee: int | None
    merged: bool
    events: list[tuple[str, int, str, int | None]] = field(default_factory=list)
    """(at, event id, timeline kind, agent id) before as_of, in time order once sorted."""


def _history(store: Store, scope: Scope) -> dict[int, _Ticket]:
    """Tickets created before as_of and changed since the window started (every change raises
    updated_at), with the history the SLA clocks need; two indexed queries."""
    start, as_of = _t(scope.period.start), _t(scope.as_of)
    where, args = _in_scope(scope)
    tickets = {
        row[0]: _Ticket(row[1], row[2], row[3], row[4] is not None)
        for row in _rows(
            store,
            "SELECT t.id, t.created_at, t.priority, t.assignee_id, t.merged_into_id FROM ticket t "
            f"WHERE t.updated_at >= ? AND t.created_at < ?{where}",
            [start, as_of, *args],
        )
    }
    # IN (...) walks the history index in ticket order, so its pages are read one after another; a
    # join may instead start from the history table and scan all of it.
    for ticket_id, event_id, at, action, changed, new, agent in _rows(
        store,
        "SELECT e.ticket_id, e.id, e.at, e.action, e.field, e.new, e.agent_id FROM event e "
        f"WHERE e.ticket_id IN (SELECT t.id FROM ticket t WHERE t.updated_at >= ? AND t.created_at < ?{where}) "
        "AND e.at < ? AND (e.field = 'status' OR e.action IN ('created', 'replied', 'requester_replied'))",
        [start, as_of, *args, as_of],
    ):
        kind = f"status:{new}" if changed == "status" else _TIMELINE[action]
        tickets[ticket_id].events.append((at, event_id, kind, agent))
    for ticket in tickets.values():
        ticket.events.sort()  # by time, then by id for the same instant, as tui.store.tickets.timeline
    return tickets


@dataclass
class _Cohort:
    """The window's tickets judged: outcome counts and business times per clock, first responders."""

    tickets: int = 0
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    times: dict[str, list[timedelta]] = field(default_factory=dict)
    first_responders: dict[int, list[timedelta]] = field(default_factory=dict)
    """Agent id -> first-response business time of each ticket they answered first."""


_OUTCOMES = ("met_on_time", "met_late", "breached_open", "open_within_target", "not_tracked")


def _judge(config: Config, scope: Scope, history: dict[int, _Ticket]) -> _Cohort:
    cohort = _Cohort(
        outcomes={name: dict.fromkeys(_OUTCOMES, 0) for name in sla.CLOCKS},
        times={name: [] for name in sla.CLOCKS},
    )
    start, as_of = _t(scope.period.start), scope.as_of
    policies = {priority: policy_inputs(config, priority) for priority in config.priorities}
    for ticket in history.values():
        if ticket.created < start or ticket.merged:
            continue
        cohort.tickets += 1
        inputs = policies.get(ticket.priority)
        targets = inputs[1] if inputs else {}
        for name in sla.CLOCKS:
            if name not in targets:
                cohort.outcomes[name]["not_tracked"] += 1
        if not inputs:
            continue
        calendars, targets, policy = inputs
        timeline = [(_parse(at), kind) for at, _, kind, _ in ticket.events]
        if not timeline or timeline[0][1] != "created":
            continue  # a history without its "created" row (written by another program) has no clocks
        clocks = sla.evaluate(calendars, targets, timeline, as_of, policy.pause_statuses, policy.warn_at)
        for name in ("first_response", "resolution"):
            if name in clocks:
                _count(cohort, name, clocks[name], final=True)
        if "next_update" in clocks:
            for clock, final in _update_cycles(calendars, targets, policy, timeline, clocks["next_update"]):
                _count(cohort, "next_update", clock, final)
        responder = _first_responder(ticket)
        if responder is not None and "first_response" in clocks:
            cohort.first_responders.setdefault(responder, []).append(clocks["first_response"].elapsed)
    return cohort


def _count(cohort: _Cohort, name: str, clock: sla.Clock, final: bool) -> None:
    """One clock (or a finished update cycle when not `final`) into its outcome."""
    if final and clock.state in ("running", "paused"):
        cohort.outcomes[name]["breached_open" if clock.breached else "open_within_target"] += 1
    elif clock.state != "inactive":
        cohort.outcomes[name]["met_late" if clock.breached else "met_on_time"] += 1
        cohort.times[name].append(clock.elapsed)


def _update_cycles(calendars, targets, policy, timeline, final: sla.Clock):
    """The next_update clock at the end of each update cycle (`False`) and the current one (`True`).

    A cycle starts at each public reply, and at a reopen once replies have started (the engine's rule);
    a finished cycle is judged when the next one starts, which is when its wait ended.
    """
    starts: list[datetime] = []
    status, statuses = "new", []
    for moment, kind in timeline:
        if kind == "agent_reply":
            starts.append(moment)
        elif kind.startswith("status:"):
            new = kind[7:]
            if starts and status in STOP_STATUSES and new not in STOP_STATUSES:
                starts.append(moment)
            status = new
        statuses.append((moment, status))
    only = {"next_update": targets["next_update"]}
    calendar = {"next_update": calendars["next_update"]}
    for number, moment in enumerate(starts):
        later = starts[number + 1 :]
        if later and later[0] == moment:
            continue  # another cycle started at the same instant: this one never ran
        if _status_after(statuses, moment) in STOP_STATUSES:
            continue  # began while solved or closed: nothing was awaited
        if not later:
            yield final, True
            return
        # Judged at the instant the next cycle starts, on the events before it: the wait up to then.
        before = timeline[: bisect_left(statuses, later[0], key=_moment)]
        clock = sla.evaluate(calendar, only, before, later[0], policy.pause_statuses, policy.warn_at)
        yield clock["next_update"], False


def _moment(entry: tuple[datetime, str]) -> datetime:
    return entry[0]


def _status_after(statuses: list[tuple[datetime, str]], moment: datetime) -> str:
    """The ticket's status once every event at `moment` has happened."""
    found = "new"
    for at, status in statuses:
        if at > moment:
            break
        found = status
    return found


def _first_responder(ticket: _Ticket) -> int | None:
    """The agent whose public reply stopped the first-response clock (not a solve before any reply)."""
    for _, _, kind, agent in ticket.events:
        if kind == "agent_reply":
            return agent
        if kind.startswith("status:") and kind[7:] in STOP_STATUSES:
            return None
    return None


def _percentile(values: list[timedelta], fraction: float) -> timedelta | None:
    """Linear interpolation between the closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def judge(store: Store, config: Config, scope: Scope) -> tuple[SlaSection, dict[int, list[timedelta]]]:
    """The SLA section, and each agent's first-response business times, as the engine judges them."""
    with store.read():
        cohort = _judge(config, scope, _history(store, scope))
    clocks = []
    for name in sla.CLOCKS:
        counts, times = cohort.outcomes[name], cohort.times[name]
        clocks.append(
            ClockFigures(name, **counts, median=_percentile(times, 0.5), p90=_percentile(times, 0.9))
        )
    return SlaSection(cohort.tickets, clocks), cohort.first_responders
