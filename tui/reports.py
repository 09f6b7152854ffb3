"""Desk reports for a period: SLA compliance, backlog, volume, satisfaction, agents and plain language.

One function per section computes its figures; `build_report` runs them all on one consistent read of
the database. The console's Reports screen, `plaindesk report` and the tests share these functions, so a
figure cannot differ between them. Nothing here imports Textual, Rich or humanize: figures are plain
numbers, dates, datetimes and timedeltas.

What the figures mean (docs/reports.md says the same for people):

- **Period.** "2026-11" (a month), "2026-W47" (an ISO week), "2026-11-03" (a day) or
  "2026-11-01..2026-11-15" (days, both included), in the desk's timezone (`timezone:` in config). The
  report covers [start, as_of) where `as_of` is the end of the period, or now while it is still running.
  Every count below uses that window, and nothing that happened at or after `as_of` is seen, so a
  report on a finished period gives the same figures whenever it is run (until a ticket's group or
  category is changed: scope filters use the ticket's group and category now).
- **Scope.** `group` and `category` keep the tickets whose group (queue) and category are those now.
- **SLA compliance** (`sla_compliance`). The tickets created in the window, leaving out duplicates that
  were merged into another ticket (their requester is answered on the other one). Each ticket's clocks
  are judged by the SLA engine (`tui.sla`) at `as_of`, on its history before `as_of`, under the policy
  of its current priority, exactly as `plaindesk sla explain` would have shown them at that moment:
  * first response and resolution, one per ticket: **met on time** = the clock stopped (a public reply,
    or the ticket solved or closed) without passing its target; **met late** = it stopped after passing
    it; **breached and still open** = still running or paused and past its target; **open within
    target** = still running or paused, not past its target. A ticket whose priority has no target for
    the clock is **not tracked**.
  * periodic update, one per update cycle (the wait for the next public reply that the engine counts:
    a cycle starts at each public reply, and again when a solved ticket is reopened). A cycle that
    ended (by the next public reply, or by the ticket being solved or closed) is met on time or late by
    whether its business time passed the target; the current cycle of an open ticket is breached and
    still open, or open within target. A cycle that begins while the ticket is solved or closed (a reply
    sent on a solved ticket) waits for nothing and is not counted.
  * **median** and **90th percentile** of the business time of the met clocks (on time and late), by
    linear interpolation between the closest ranks (numpy's default; `statistics.quantiles(...,
    method="inclusive")`).
  * How: the engine's judgement is stored, not redone. Each time a ticket's SLA times are refreshed
    (every workflow action, a priority raised by escalation, the demo, an import, the upgrade to schema
    7), `tui.sla_outcomes` cuts its clocks into stretches (first response; each update cycle; resolution
    from creation and from each reopen) and stores each one's start, stop, business time at the stop,
    whether that was within target, and the first instant it was over its target (table
    clock_outcome). A clock's state at any `as_of` is then a comparison, so this section is three
    indexed queries over the window's tickets (a GROUP BY for the counts, one column of business times
    for the percentiles): about 0.4 s for the 50,000 tickets of a month on the 1,000,000-ticket demo,
    bounded by the tickets of the period, never by the size of the desk. tests/domain/report_oracle.py
    keeps the engine-based judging it replaced, and the tests check one against the other.
  * Why not the breach table: breaches are recorded by the escalation sweep, which may not have run
    (a demo desk, a cron job that stopped), and a breach recorded under an older priority stays
    recorded; the stored outcomes are judged again whenever the priority changes.
  * The stored outcomes follow the SLA policy in force when they were written: after changing targets
    or calendars in config.yaml, `tui.sla_outcomes.recompute` judges every ticket again.
- **Backlog** (`backlog`). A ticket is open at an instant when it was created before it and its status
  then (the last status change before it, "new" before any) is neither solved nor closed. Figures: open
  at the start of the window and at `as_of`; the tickets open at `as_of` by status and by age band
  (wall-clock age at `as_of`: under 1 day, 1-3 days, 3-7 days, 7-30 days, 30 days or more; a band holds
  its lower bound); and for each day of the window, tickets opened (created), closed (moved into
  solved or closed), reopened (moved out of solved or closed) and open at the end of the day. Tickets
  last changed before the window are counted by SQL aggregates (their status has not changed since);
  only those changed since the window started are replayed from their status changes (read from the
  event_status index alone).
- **Volume** (`volume`). Tickets created in the window, merged duplicates included, per day and in
  total, by channel (walk-up, kiosk, email, console - `plaindesk ticket new` counts as console -,
  phone, other) and by category ("none" for no category).
- **Satisfaction** (`satisfaction`). Ratings given in the window (`rated_at`), on tickets in scope: how
  many, the average score, the share scoring 4 or 5, the count of each score, and the comments of low
  ratings (1 or 2) that have one, newest first (at most LOW_COMMENTS of them; `low_comments_total` says
  how many there were).
- **Agents** (`agents`). Per agent: tickets open at `as_of` (from the backlog) assigned to the agent now;
  public replies the agent sent in the window; and the median first-response business time of the
  window's tickets (as in SLA compliance) whose first public reply came from the agent before any
  solve or close. Active agents are always listed; inactive ones when they have a figure.
- **Plain language** (`plain_language`). Public replies sent in the window on tickets in scope (merged
  duplicates left out, since merging copies their thread). `checked` are the replies sent from the
  console's reply helper, which records how many findings were still open when the agent sent it;
  `plain` are those with none; `share` = plain / checked. Replies sent from the command line (or before
  schema 6) are `unchecked`: nobody knows their findings.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tui import sla
from tui.config import STOP_STATUSES, Config
from tui.sla_outcomes import to_us
from tui.sla_policy import policy_inputs
from tui.store import Store
from tui.store.models import UtcDateTimeField

CHANNELS = ("walk-up", "kiosk", "email", "console", "phone", "other")
"""Volume columns, in this order; `other` holds any channel not named here (imports, say)."""
CHANNEL_ALIASES = {"cli": "console"}
AGE_BANDS = (
    ("under 1 day", 0, 1),
    ("1-3 days", 1, 3),
    ("3-7 days", 3, 7),
    ("7-30 days", 7, 30),
    ("30 days or more", 30, None),
)
"""(label, from days, to days): a ticket of age `a` is in the band with from <= a < to."""
LOW_SCORES = (1, 2)
LOW_COMMENTS = 100
MAX_DAYS = 366
"""The longest period a report covers (the sections' cost grows with its tickets)."""
NO_CATEGORY = "none"
_FIELD = UtcDateTimeField()


class ReportError(ValueError):
    """The report cannot be made as asked; the message says what to write instead."""


# -- periods and scope -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole local days, first_day to last_day included, in `timezone`."""

    label: str
    first_day: date
    last_day: date
    timezone: str

    @property
    def start(self) -> datetime:
        """The first instant of the period, in UTC."""
        return _midnight(self.first_day, self.timezone)

    @property
    def end(self) -> datetime:
        """The first instant after the period, in UTC."""
        return _midnight(self.last_day + timedelta(days=1), self.timezone)

    @property
    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=n) for n in range(count)]


_PERIOD_FORMS = (
    "write a month (2026-11), an ISO week (2026-W47), a day (2026-11-03) or a range of days "
    "(2026-11-01..2026-11-15)"
)


def parse_period(text: str, timezone: str = "UTC") -> Period:
    """A period from "2026-11", "2026-W47", "2026-11-03" or "2026-11-01..2026-11-15".

    Raises:
        ReportError: anything else, with the forms that work.
    """
    given = (text or "").strip()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", given):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ReportError(f"'{given}' is not a period: there is no month {month}; {_PERIOD_FORMS}.")
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return Period(f"{year:04d}-{month:02d}", first, following - timedelta(days=1), timezone)
    if match := re.fullmatch(r"(\d{4})-[Ww](\d{1,2})", given):
        year, week = int(match[1]), int(match[2])
        weeks = date(year, 12, 28).isocalendar().week  # 28 December is always in the last ISO week
        if not 1 <= week <= weeks:
            raise ReportError(
                f"'{given}' is not a period: {year} has ISO weeks 1 to {weeks}; {_PERIOD_FORMS}."
            )
        first = date.fromisocalendar(year, week, 1)
        return Period(f"{year:04d}-W{week:02d}", first, first + timedelta(days=6), timezone)
    if match := re.fullmatch(r"(\S+?)\s*\.\.\s*(\S+)", given):
        first, last = _day(match[1], given), _day(match[2], given)
        if last < first:
            raise ReportError(f"'{given}' ends before it starts; write the earlier day first.")
        if (last - first).days + 1 > MAX_DAYS:
            raise ReportError(
                f"'{given}' covers {(last - first).days + 1} days; a report covers at most {MAX_DAYS}."
            )
        return Period(f"{first}..{last}", first, last, timezone)
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", given):
        day = _day(given, given)
        return Period(day.isoformat(), day, day, timezone)
    raise ReportError(f"'{given}' is not a period; {_PERIOD_FORMS}.")


def _day(text: str, whole: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ReportError(f"'{text}' in '{whole}' is not a day; write days like 2026-11-03.") from None


def _midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


@dataclass(frozen=True)
class Scope:
    """What a report covers: the period up to `as_of`, and the group and category it keeps."""

    period: Period
    as_of: datetime
    """The end of the period, or now when the period has not ended."""
    group: str | None = None
    category: str | None = None

    def windows(self) -> list[tuple[date, datetime, datetime]]:
        """(day, start, end) of each local day of the period that began before `as_of`, cut at as_of."""
        found = []
        for day in self.period.days:
            low = _midnight(day, self.period.timezone)
            if low >= self.as_of:
                break
            found.append(
                (day, low, min(_midnight(day + timedelta(days=1), self.period.timezone), self.as_of))
            )
        return found


def report_scope(
    config: Config,
    period: Period | str,
    group: str | None = None,
    category: str | None = None,
    now: datetime | None = None,
) -> Scope:
    """Check what was asked for against the config and fix the instant the report is judged at.

    Raises:
        ReportError: an unknown group or category, a bad period, or a period that has not started.
    """
    if isinstance(period, str):
        period = parse_period(period, config.timezone)
    if group is not None and group not in config.groups:
        raise ReportError(f"'{group}' is not a group; use one of: {', '.join(config.groups)}.")
    if category is not None and category not in config.categories:
        raise ReportError(f"'{category}' is not a category; use one of: {', '.join(config.categories)}.")
    now = now or datetime.now(UTC)
    if now <= period.start:
        raise ReportError(
            f"The period {period.label} has not started yet (it starts on {period.first_day} in "
            f"{period.timezone}); choose one that has."
        )
    return Scope(period, min(now, period.end), group, category)


# -- the report --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockFigures:
    """SLA compliance of one clock over the period's tickets (or update cycles for next_update)."""

    clock: str
    met_on_time: int
    met_late: int
    breached_open: int
    """Still running or paused, and past the target."""
    open_within_target: int
    not_tracked: int
    """Tickets whose priority has no target for this clock."""
    median: timedelta | None
    """Business time of the met clocks (on time and late)."""
    p90: timedelta | None

    @property
    def counted(self) -> int:
        return self.met_on_time + self.met_late + self.breached_open + self.open_within_target

    @property
    def on_time_share(self) -> float | None:
        """met on time / (met on time + met late + breached and still open): the promises kept."""
        decided = self.met_on_time + self.met_late + self.breached_open
        return self.met_on_time / decided if decided else None


@dataclass(frozen=True)
class SlaSection:
    tickets: int
    """Tickets created in the window (merged duplicates left out)."""
    clocks: list[ClockFigures]


@dataclass(frozen=True)
class BacklogDay:
    day: date
    opened: int
    closed: int
    reopened: int
    open_at_end: int


@dataclass(frozen=True)
class BacklogSection:
    open_at_start: int
    open_at_end: int
    by_status: dict[str, int]
    by_age: dict[str, int]
    """AGE_BANDS labels, in order."""
    days: list[BacklogDay]


@dataclass(frozen=True)
class VolumeDay:
    day: date
    total: int
    by_channel: dict[str, int]
    by_category: dict[str, int]


@dataclass(frozen=True)
class VolumeSection:
    total: int
    by_channel: dict[str, int]
    by_category: dict[str, int]
    days: list[VolumeDay]


@dataclass(frozen=True)
class LowRating:
    ticket_id: int
    score: int
    comment: str
    rated_at: datetime


@dataclass(frozen=True)
class SatisfactionSection:
    ratings: int
    average: float | None
    satisfied_share: float | None
    """Share of ratings of 4 or 5."""
    by_score: dict[int, int]
    low_comments: list[LowRating]
    low_comments_total: int


@dataclass(frozen=True)
class AgentFigures:
    login: str
    name: str
    open_tickets: int
    replies_sent: int
    first_responses: int
    """The window's tickets whose first public reply was this agent's (and had a first-response target)."""
    median_first_response: timedelta | None


@dataclass(frozen=True)
class AgentSection:
    agents: list[AgentFigures]
    unassigned_open: int


@dataclass(frozen=True)
class PlainSection:
    replies_sent: int
    checked: int
    plain: int
    unchecked: int

    @property
    def share(self) -> float | None:
        """plain / checked, or None when no reply was checked."""
        return self.plain / self.checked if self.checked else None


@dataclass(frozen=True)
class Report:
    scope: Scope
    sla: SlaSection
    backlog: BacklogSection
    volume: VolumeSection
    satisfaction: SatisfactionSection
    agents: AgentSection
    plain: PlainSection


def build_report(
    store: Store,
    config: Config,
    period: Period | str,
    group: str | None = None,
    category: str | None = None,
    now: datetime | None = None,
) -> Report:
    """Every section for `period`, on one snapshot of the database.

    Raises:
        ReportError: see report_scope.
    """
    scope = report_scope(config, period, group, category, now)
    with store.read():
        cohort = _judge(store, config, scope)
        state = _backlog_state(store, config, scope, _history(store, scope))
        replies = _replies(store, scope)
        return Report(
            scope,
            sla_compliance(store, config, scope, cohort),
            backlog(store, config, scope, state),
            volume(store, config, scope),
            satisfaction(store, config, scope),
            agents(store, config, scope, state, cohort, replies),
            plain_language(store, config, scope, replies),
        )


# -- SQL helpers -------------------------------------------------------------------------------------


def _t(moment: datetime) -> str:
    """An instant as the store writes it, so text comparisons in SQL are time comparisons."""
    return _FIELD.db_value(moment)


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text + "+00:00") if len(text) == 26 else _FIELD.python_value(text)


def _in_scope(scope: Scope, alias: str = "t") -> tuple[str, list]:
    sql, args = "", []
    if scope.group is not None:
        # "+" keeps the group's index out: it holds a quarter of the desk, and the period's time range
        # is always the narrower way in (0.3 s against 0.01 s for a week of a million-ticket desk).
        sql += f' AND +{alias}.group_id = (SELECT id FROM "group" WHERE slug = ?)'
        args.append(scope.group)
    if scope.category is not None:
        sql += f" AND {alias}.category = ?"
        args.append(scope.category)
    return sql, args


def _rows(store: Store, sql: str, args: Iterable = ()) -> list[tuple]:
    return store.db.execute_sql(sql, list(args)).fetchall()


# -- history of the tickets that changed in the window ----------------------------------------------


def _history(store: Store, scope: Scope) -> dict[int, tuple[str, int | None, list[tuple[str, int, str]]]]:
    """Tickets created before as_of and changed since the window started (every change raises
    updated_at): id -> (created, assignee, status changes before as_of as (at, event id, new status),
    in time order once sorted). Two indexed queries; the second is answered from the status-history
    index alone (event_status, schema 7)."""
    start, as_of = _t(scope.period.start), _t(scope.as_of)
    where, args = _in_scope(scope)
    tickets = {
        ticket_id: (created, assignee, [])
        for ticket_id, created, assignee in _rows(
            store,
            "SELECT t.id, t.created_at, t.assignee_id FROM ticket t "
            f"WHERE t.updated_at >= ? AND t.created_at < ?{where}",
            [start, as_of, *args],
        )
    }
    # The ids go in as one sorted list, so the index is walked in ticket order, its pages read one
    # after another; a join may instead start from the history table and scan all of it.
    for ticket_id, event_id, at, new in _rows(
        store,
        "SELECT e.ticket_id, e.id, e.at, e.new FROM event e WHERE e.field = 'status' "
        "AND e.ticket_id IN (SELECT value FROM json_each(?)) AND e.at < ?",
        [json.dumps(sorted(tickets)), as_of],
    ):
        tickets[ticket_id][2].append((at, event_id, new))
    return tickets


# -- SLA compliance ----------------------------------------------------------------------------------


@dataclass
class _Cohort:
    """The window's tickets and their clocks at as_of: outcome counts and business times per clock,
    first responders."""

    tickets: int = 0
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    times: dict[str, list[int]] = field(default_factory=dict)
    """Business time of the met clocks, in microseconds."""
    first_responders: dict[int, list[int]] = field(default_factory=dict)
    """Agent id -> first-response business time (microseconds) of each ticket they answered first."""


_OUTCOMES = ("met_on_time", "met_late", "breached_open", "open_within_target", "not_tracked")
# The stretch of each clock (each update cycle) that stands at as_of: begun before it and, for
# resolution, not yet followed by a reopen. Met if it stopped before as_of; else open, and breached if
# it was over its target by then (tui.sla_outcomes).
_STANDING = "o.started_us < ? AND (o.reopened_us IS NULL OR o.reopened_us >= ?)"
_OUTCOME_SQL = "CASE WHEN o.stopped_us < ? THEN 1 - o.on_time WHEN o.over_us <= ? THEN 2 ELSE 3 END"


def _judge(store: Store, config: Config, scope: Scope) -> _Cohort:
    """The window's tickets judged at as_of from their stored clock outcomes: three indexed queries."""
    cohort = _Cohort(
        outcomes={name: dict.fromkeys(_OUTCOMES, 0) for name in sla.CLOCKS},
        times={name: [] for name in sla.CLOCKS},
    )
    where, args = _in_scope(scope)
    # "+": no index for merged_into_id, which almost every ticket leaves NULL; the creation time is it.
    cohort_sql = f"t.created_at >= ? AND t.created_at < ? AND +t.merged_into_id IS NULL{where}"
    window = [_t(scope.period.start), _t(scope.as_of), *args]
    as_of = to_us(scope.as_of)
    for priority, count in _rows(
        store, f"SELECT t.priority, count(*) FROM ticket t WHERE {cohort_sql} GROUP BY 1", window
    ):
        cohort.tickets += count
        inputs = policy_inputs(config, priority)
        for name in sla.CLOCKS:
            if inputs is None or name not in inputs[1]:
                cohort.outcomes[name]["not_tracked"] += count
    standing = f"FROM ticket t JOIN clock_outcome o ON o.ticket_id = t.id WHERE {cohort_sql} AND {_STANDING}"
    standing_args = [*window, as_of, as_of]
    for name, outcome, count in _rows(
        store,
        f"SELECT o.clock, {_OUTCOME_SQL}, count(*) {standing} GROUP BY 1, 2",
        [as_of, as_of, *standing_args],
    ):
        cohort.outcomes[name][_OUTCOMES[outcome]] += count
    responders = cohort.first_responders
    for name, agent, business in _rows(
        store,
        f"SELECT o.clock, o.agent_id, o.business_us {standing} AND o.stopped_us < ?",
        [*standing_args, as_of],
    ):
        cohort.times[name].append(business)
        if agent is not None and name == "first_response":
            responders.setdefault(agent, []).append(business)
    return cohort


def _percentile(values: list[int], fraction: float) -> timedelta | None:
    """Linear interpolation between the closest ranks (numpy's default), of business times in
    microseconds; the fraction of the step is taken in timedelta arithmetic (rounded to the µs)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    below, above = timedelta(microseconds=ordered[low]), timedelta(microseconds=ordered[high])
    return below + (above - below) * (position - low)


def sla_compliance(store: Store, config: Config, scope: Scope, cohort: _Cohort | None = None) -> SlaSection:
    """SLA compliance per clock for the tickets created in the window (see the module docstring)."""
    if cohort is None:
        with store.read():
            cohort = _judge(store, config, scope)
    clocks = []
    for name in sla.CLOCKS:
        counts, times = cohort.outcomes[name], cohort.times[name]
        clocks.append(
            ClockFigures(name, **counts, median=_percentile(times, 0.5), p90=_percentile(times, 0.9))
        )
    return SlaSection(cohort.tickets, clocks)


# -- backlog -----------------------------------------------------------------------------------------


@dataclass
class _BacklogState:
    open_at_start: int = 0
    days: list[BacklogDay] = field(default_factory=list)
    at_end: dict[tuple[str, int, int | None], int] = field(default_factory=dict)
    """(status, age band, assignee id) -> tickets open at as_of."""


def _band_edges(as_of: datetime) -> list[str]:
    """Creation times (store text) below which a ticket is at least each band's lower age at as_of."""
    return [_t(as_of - timedelta(days=low)) for _, low, _ in AGE_BANDS[1:]]


def _band(created: str, edges: list[str]) -> int:
    for index, edge in enumerate(edges):
        if created > edge:
            return index
    return len(edges)


def _backlog_state(store: Store, config: Config, scope: Scope, history: dict) -> _BacklogState:
    state = _BacklogState()
    start = _t(scope.period.start)
    edges = _band_edges(scope.as_of)
    where, args = _in_scope(scope)
    # Open tickets untouched since before the window: open all through it, in the status they have now.
    band_sql = " ".join(f"WHEN t.created_at > ? THEN {i}" for i in range(len(edges)))
    for status, band, assignee, count in _rows(
        store,
        f"SELECT t.status, CASE {band_sql} ELSE {len(edges)} END, t.assignee_id, count(*) FROM ticket t "
        f"WHERE t.active = 1 AND t.updated_at < ?{where} GROUP BY 1, 2, 3",
        [*edges, start, *args],
    ):
        state.at_end[(status, band, assignee)] = count
        state.open_at_start += count
    windows = scope.windows()
    highs = [_t(high) for _, _, high in windows]
    moves = [[0, 0, 0] for _ in windows]  # opened, closed, reopened, per day
    for created, assignee, statuses in history.values():
        # Walk the ticket's status changes through the window's days (`highs`: each day's end).
        statuses.sort()  # by time, then by id for the same instant, as tui.store.tickets.timeline
        status, later = "new", 0
        for at, _, new in statuses:
            if at >= start:
                break
            status, later = new, later + 1
        was_open = status not in STOP_STATUSES
        if created < start:
            state.open_at_start += was_open
        else:
            moves[bisect_right(highs, created)][0] += 1
        for at, _, status in statuses[later:]:
            now_open = status not in STOP_STATUSES
            if was_open != now_open:
                moves[bisect_right(highs, at)][1 if was_open else 2] += 1
            was_open = now_open
        if was_open:
            key = (status, _band(created, edges), assignee)
            state.at_end[key] = state.at_end.get(key, 0) + 1
    running = state.open_at_start
    for (day, _, _), (opened, closed, reopened) in zip(windows, moves, strict=True):
        running += opened - closed + reopened
        state.days.append(BacklogDay(day, opened, closed, reopened, running))
    return state


def backlog(store: Store, config: Config, scope: Scope, state: _BacklogState | None = None) -> BacklogSection:
    """Open tickets at the start and end of the window, by status and age, and day by day."""
    if state is None:
        with store.read():
            state = _backlog_state(store, config, scope, _history(store, scope))
    by_status = {s: 0 for s in config.statuses if s not in STOP_STATUSES}
    by_age = {label: 0 for label, _, _ in AGE_BANDS}
    for (status, band, _), count in state.at_end.items():
        by_status[status] = by_status.get(status, 0) + count
        by_age[AGE_BANDS[band][0]] += count
    return BacklogSection(state.open_at_start, sum(by_status.values()), by_status, by_age, state.days)


# -- volume ------------------------------------------------------------------------------------------


def _days_cte(windows: list[tuple[date, datetime, datetime]]) -> tuple[str, list]:
    values = ", ".join("(?, ?, ?)" for _ in windows)
    args = [value for day, low, high in windows for value in (day.isoformat(), _t(low), _t(high))]
    return f"WITH days(day, low, high) AS (VALUES {values})", args


def volume(store: Store, config: Config, scope: Scope) -> VolumeSection:
    """New tickets per day, by channel and category (one GROUP BY over the creation-time index)."""
    windows = scope.windows()
    categories = [*config.categories, NO_CATEGORY]
    totals = {day: 0 for day, _, _ in windows}
    channels = {day: dict.fromkeys(CHANNELS, 0) for day, _, _ in windows}
    kinds = {day: dict.fromkeys(categories, 0) for day, _, _ in windows}
    all_channels, all_categories = dict.fromkeys(CHANNELS, 0), dict.fromkeys(categories, 0)
    if windows:
        cte, args = _days_cte(windows)
        where, scope_args = _in_scope(scope)
        rows = _rows(
            store,
            f"{cte} SELECT days.day, t.channel, t.category, count(*) FROM days "
            "JOIN ticket t ON t.created_at >= days.low AND t.created_at < days.high "
            f"WHERE 1 = 1{where} GROUP BY 1, 2, 3",
            [*args, *scope_args],
        )
        for day_text, channel, category, count in rows:
            day = date.fromisoformat(day_text)
            channel = CHANNEL_ALIASES.get(channel, channel)
            channel = channel if channel in CHANNELS else "other"
            category = category or NO_CATEGORY
            totals[day] += count
            for bucket in (channels[day], all_channels):
                bucket[channel] += count
            for bucket in (kinds[day], all_categories):
                bucket[category] = bucket.get(category, 0) + count
    days = [VolumeDay(day, totals[day], channels[day], kinds[day]) for day in totals]
    return VolumeSection(sum(totals.values()), all_channels, all_categories, days)


# -- satisfaction ------------------------------------------------------------------------------------


def satisfaction(store: Store, config: Config, scope: Scope) -> SatisfactionSection:
    """Ratings given in the window on tickets in scope."""
    where, args = _in_scope(scope)
    window = [_t(scope.period.start), _t(scope.as_of)]
    base = "FROM rating r JOIN ticket t ON t.id = r.ticket_id WHERE r.rated_at >= ? AND r.rated_at < ?"
    with store.read():
        scores = dict(_rows(store, f"SELECT r.score, count(*) {base}{where} GROUP BY 1", [*window, *args]))
        marks = ", ".join("?" * len(LOW_SCORES))
        low = f"{base} AND r.score IN ({marks}) AND r.comment != ''{where}"
        low_args = [*window, *LOW_SCORES, *args]
        low_total = _rows(store, f"SELECT count(*) {low}", low_args)[0][0]
        comments = [
            LowRating(ticket_id, score, comment, _parse(rated))
            for ticket_id, score, comment, rated in _rows(
                store,
                f"SELECT r.ticket_id, r.score, r.comment, r.rated_at {low} "
                "ORDER BY r.rated_at DESC, r.id DESC LIMIT ?",
                [*low_args, LOW_COMMENTS],
            )
        ]
    by_score = {score: scores.get(score, 0) for score in range(1, 6)}
    count = sum(scores.values())
    average = sum(score * n for score, n in scores.items()) / count if count else None
    satisfied = (by_score[4] + by_score[5]) / count if count else None
    return SatisfactionSection(count, average, satisfied, by_score, comments, low_total)


# -- agents and plain language -----------------------------------------------------------------------


def _replies(store: Store, scope: Scope) -> dict[int | None, tuple[int, int, int]]:
    """Author agent id -> (public replies, checked by the reply helper, sent with no open finding)."""
    where, args = _in_scope(scope)
    rows = _rows(
        store,
        "SELECT m.author_agent_id, count(*), count(m.plain_findings), "
        "coalesce(sum(m.plain_findings = 0), 0) FROM message m JOIN ticket t ON t.id = m.ticket_id "
        "WHERE m.kind = 'public_reply' AND m.created_at >= ? AND m.created_at < ? "
        f"AND t.merged_into_id IS NULL{where} GROUP BY 1",
        [_t(scope.period.start), _t(scope.as_of), *args],
    )
    return {agent: (sent, checked, plain) for agent, sent, checked, plain in rows}


def agents(
    store: Store,
    config: Config,
    scope: Scope,
    state: _BacklogState | None = None,
    cohort: _Cohort | None = None,
    replies: dict[int | None, tuple[int, int, int]] | None = None,
) -> AgentSection:
    """Open tickets, replies sent and median first-response time per agent."""
    with store.read():
        state = state or _backlog_state(store, config, scope, _history(store, scope))
        cohort = cohort or _judge(store, config, scope)
        replies = _replies(store, scope) if replies is None else replies
        people = _rows(store, "SELECT id, login, name, active FROM agent ORDER BY name, login")
        members = None
        if scope.group is not None:
            members = {
                row[0]
                for row in _rows(
                    store,
                    'SELECT agent_id FROM agent_group WHERE group_id = (SELECT id FROM "group" WHERE slug = ?)',
                    [scope.group],
                )
            }
    open_by: dict[int | None, int] = {}
    for (_, _, assignee), count in state.at_end.items():
        open_by[assignee] = open_by.get(assignee, 0) + count
    rows = []
    for agent_id, login, name, active in people:
        answered = cohort.first_responders.get(agent_id, [])
        figures = AgentFigures(
            login,
            name,
            open_by.get(agent_id, 0),
            replies.get(agent_id, (0, 0, 0))[0],
            len(answered),
            _percentile(answered, 0.5),
        )
        listed = active and (members is None or agent_id in members)
        if listed or figures.open_tickets or figures.replies_sent or figures.first_responses:
            rows.append(figures)
    return AgentSection(rows, open_by.get(None, 0))


def plain_language(
    store: Store, config: Config, scope: Scope, replies: dict[int | None, tuple[int, int, int]] | None = None
) -> PlainSection:
    """Public replies sent in the window, and how many left the reply helper with no open finding."""
    if replies is None:
        with store.read():
            replies = _replies(store, scope)
    sent = sum(r[0] for r in replies.values())
    checked = sum(r[1] for r in replies.values())
    plain = sum(r[2] for r in replies.values())
    return PlainSection(sent, checked, plain, sent - checked)
