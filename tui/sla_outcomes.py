"""What each SLA clock came to, kept per ticket so the reports count outcomes with SQL, not the engine.

A ticket's clocks are cut into stretches, judged by the engine's rules (tui.sla, spec: "Targets and
clocks") under the policy of the ticket's current priority, and stored one row per stretch:

- first_response: one stretch, from creation to the first public reply or to solved/closed.
- next_update: one per update cycle, numbered as the engine and the breach table number them. A cycle
  ends at the next cycle's start or when the ticket is solved or closed, whichever is first. A cycle
  the reports do not count gets no row: one that begins while the ticket is solved or closed (a reply
  sent on a solved ticket, or a reply that solves it), or one replaced by another at the same instant.
- resolution: one stretch from creation and one more from each reopen. Business time adds up across
  them, as the engine's clock does, so a stretch carries the total at its stop.

A row holds when its stretch started and stopped (None while it still runs), when the next stretch took
over (resolution: the reopen), the business time at the stop, whether that was within the target, and
`over`: the first instant the clock was over its target (elapsed > target, the engine's `breached`;
one microsecond of business time after it reached the target, so a target reached at closing time is
passed only when the office opens again), or, for a clock running now, when it will be if nothing
happens first (every action judges the ticket again). So the state of a clock at any instant `as_of`
is a few comparisons: the stretch with started < as_of (and not reopened before as_of) stopped before
as_of: met, on time or not; otherwise still open at as_of, breached if over <= as_of. (The engine
ignores what happens at or after as_of, so a stop at as_of leaves the clock open.)

Rows are judged under the SLA policy in force when they were written, as breaches are recorded: after
a change to the targets or calendars in config.yaml, `recompute` judges every ticket again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta

from tui.config import Config
from tui.sla.clocks import STOP_STATUSES
from tui.sla_policy import policy_inputs
from tui.store import outcomes as store

History = Sequence[tuple[int, str, int | None]]
"""(instant in UTC microseconds, timeline kind, agent id) in the order things happened; kinds as in
tui.sla.evaluate's timeline (created, agent_reply, requester_reply, status:<name>)."""

_EPOCH = datetime(1970, 1, 1)
_AWARE_EPOCH = _EPOCH.replace(tzinfo=UTC)
_US = timedelta(microseconds=1)


class Judge:
    """Turns a ticket's history into its rows; keeps each priority's policy so bulk work is cheap."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._policies: dict[str, tuple | None] = {}

    def __call__(self, ticket_id: int, priority: str, history: History) -> list[tuple]:
        """The ticket's rows (none for a priority without targets), in tui.store.outcomes.COLUMNS order:
        (ticket, clock, cycle, started_us, stopped_us, reopened_us, over_us, business_us, on_time,
        agent), instants in microseconds since 1970 UTC.

        Raises:
            ValueError: a history the engine would refuse (not started by "created", out of order).
        """
        if priority not in self._policies:
            inputs = policy_inputs(self.config, priority)
            self._policies[priority] = (
                None
                if inputs is None
                else (
                    inputs[0],
                    {n: t // _US for n, t in inputs[1].items()},
                    frozenset(inputs[2].pause_statuses),
                )
            )
        policy = self._policies[priority]
        if policy is None:
            return []
        calendars, goals, paused = policy
        return _rows(ticket_id, calendars, goals, _replay(history, paused))


def from_datetimes(entries: Iterable[tuple[datetime, str, int | None]]) -> list[tuple[int, str, int | None]]:
    """A History from aware datetimes (tui.store.tickets.sla_history, the demo's timelines)."""
    return [(to_us(at), kind, agent) for at, kind, agent in entries]


def from_text(at: str) -> int:
    """An instant as the store writes it ("2026-11-03 09:00:00.000000", UTC) in microseconds."""
    return (datetime.fromisoformat(at[:26]) - _EPOCH) // _US


def to_us(moment: datetime) -> int:
    """An aware instant in microseconds since 1970 UTC, as the rows keep instants."""
    return (moment - _AWARE_EPOCH) // _US


def recompute(
    config: Config,
    ticket_ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Judge tickets again from their history and replace their rows (every ticket when `ticket_ids` is
    None); inside the caller's write transaction. Returns how many tickets were judged."""
    judge = Judge(config)

    def rows_of(ticket_id: int, priority: str, events: list[tuple[str, str, int | None]]) -> list[tuple]:
        history = [(from_text(at), kind, agent) for at, kind, agent in events]
        history.sort(key=_instant)  # stable: history order for the same instant, as timeline() does
        try:
            return judge(ticket_id, priority, history)
        except ValueError:
            return []  # a history written by another program, without its "created" row: no clocks

    return store.rejudge(rows_of, ticket_ids, progress)


def _instant(entry: tuple) -> int:
    return entry[0]


# -- the replay --------------------------------------------------------------------------------------


class _Track:
    """One clock's runs (counting intervals, all stretches) and stretches, replayed in time order."""

    __slots__ = ("agent", "runs", "since", "state", "stretches")

    def __init__(self) -> None:
        self.state = "inactive"
        self.since: int | None = None
        """Start of the run counting now."""
        self.runs: list[tuple[int, int]] = []
        self.stretches: list[list] = []
        """[start, stop or None, index of its first run, skipped]."""
        self.agent: int | None = None

    def start(self, at: int, state: str) -> None:
        """A new stretch at `at`: the current one ends there if nothing ended it before."""
        if self.stretches:
            if self.since is not None:
                self.runs.append((self.since, at))
                self.since = None
            if self.stretches[-1][1] is None:
                self.stretches[-1][1] = at
        self.stretches.append([at, None, len(self.runs), False])
        self.go(state, at)

    def go(self, state: str, at: int) -> None:
        if self.since is not None and state != "running":
            self.runs.append((self.since, at))
            self.since = None
        elif self.since is None and state == "running":
            self.since = at
        if state == "stopped" and self.stretches[-1][1] is None:
            self.stretches[-1][1] = at
        self.state = state


def _replay(history: History, paused: frozenset[str]) -> tuple[_Track, _Track, _Track]:
    """The three clocks through the whole history, move for move as tui.sla.clocks._replay."""
    if not history or history[0][1] != "created":
        raise ValueError('a timeline starts with a "created" event')
    first, update, resolution = _Track(), _Track(), _Track()
    status, last, waiting = "", None, []
    for position, (at, kind, agent) in enumerate(history):
        if last is not None and at != last:
            if at < last:
                raise ValueError(f"timeline[{position}] ({kind}) is earlier than the event before it")
            _settle(waiting, status)
        last = at
        if kind == "requester_reply":
            continue
        if kind == "agent_reply":
            if first.state != "stopped":
                first.go("stopped", at)
                first.agent = agent
            if update.stretches and update.stretches[-1][0] == at:
                update.stretches[-1][3] = True  # replaced at the same instant: it never ran
            update.start(at, _state(status, paused))
            waiting.append(update.stretches[-1])
        elif kind.startswith("status:") and len(kind) > 7:
            new = kind[7:]
            state = _state(new, paused)
            if first.state != "stopped" and first.state != state:
                first.go(state, at)
            reopened = status in STOP_STATUSES and new not in STOP_STATUSES
            if update.state != "inactive":
                if reopened:
                    if update.stretches[-1][0] == at:
                        update.stretches[-1][3] = True
                    update.start(at, state)
                    waiting.append(update.stretches[-1])
                elif update.state != state:
                    update.go(state, at)
            if resolution.state != state:
                if resolution.state == "stopped":
                    resolution.start(at, state)  # a reopen: a new stretch, the time so far kept
                else:
                    resolution.go(state, at)
            status = new
        elif kind == "created" and not position:
            status = "new"
            first.start(at, _state(status, paused))
            resolution.start(at, _state(status, paused))
        else:
            raise ValueError(f"timeline[{position}] has unknown event {kind!r}")
    _settle(waiting, status)
    return first, update, resolution


def _settle(waiting: list[list], status: str) -> None:
    """Cycles begun at the instant just finished: one that began while solved or closed (the status
    once every event of that instant happened) waited for nothing."""
    if status in STOP_STATUSES:
        for stretch in waiting:
            stretch[3] = True
    waiting.clear()


def _state(status: str, paused: frozenset[str]) -> str:
    if status in STOP_STATUSES:
        return "stopped"
    return "paused" if status in paused else "running"


# -- rows ------------------------------------------------------------------------------------------


def _rows(ticket_id: int, calendars: dict, goals: dict[str, int], tracks: tuple[_Track, ...]) -> list[tuple]:
    rows = []
    first, update, resolution = tracks
    if "first_response" in goals:
        rows += _clock_rows(ticket_id, "first_response", first, calendars, goals, cumulative=False)
    if "next_update" in goals:
        rows += _clock_rows(ticket_id, "next_update", update, calendars, goals, cumulative=False)
    if "resolution" in goals:
        rows += _clock_rows(ticket_id, "resolution", resolution, calendars, goals, cumulative=True)
    return rows


def _clock_rows(
    ticket_id: int, name: str, track: _Track, calendars: dict, goals: dict[str, int], cumulative: bool
) -> list[tuple]:
    calendar, goal = calendars[name], goals[name]
    stretches, runs = track.stretches, track.runs
    rows = []
    for number, (start, stop, low, skipped) in enumerate(stretches, start=1):
        following = stretches[number] if number < len(stretches) else None
        if skipped:
            continue
        high = following[2] if following else len(runs)
        since = None if following else track.since
        business, over = _measure(calendar, runs, 0 if cumulative else low, high, since, goal)
        rows.append(
            (
                ticket_id,
                name,
                number,
                start,
                stop,
                following[0] if cumulative and following else None,
                over,
                None if stop is None else business,
                None if stop is None else int(business <= goal),
                track.agent if name == "first_response" else None,
            )
        )
    return rows


def _measure(
    calendar, runs: list[tuple[int, int]], low: int, high: int, since: int | None, goal: int
) -> tuple[int, int | None]:
    """(business time of runs[low:high], the first instant it exceeded `goal`, or will while the run
    from `since` goes on; None if it never does)."""
    counted, over, need = 0, None, goal + 1
    for start, end in runs[low:high]:
        amount = calendar.between_us(start, end)
        if over is None and counted + amount >= need:
            over = calendar.add_us(start, need - counted)
        counted += amount
    if over is None and since is not None:
        over = calendar.add_us(since, need - counted)
    return counted, over
