"""The stored clock stretches give, at any instant, what the SLA engine says there (report_oracle).

Random histories on the default config's office calendar (with instants on opening and closing times,
where "reached the target" and "past the target" part), judged at random instants: counting the rows as
tui.reports does in SQL must give the engine's outcome of every clock and cycle, the same business
times and the same first responder.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import config_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_oracle import _judge, _Ticket

from tui.config import load_config
from tui.reports import _t, report_scope
from tui.sla_outcomes import Judge, from_datetimes, to_us

BASE = datetime(2026, 3, 2, tzinfo=UTC)
"""A Monday in GMT; the office is open Mon-Thu 09:00-17:30 and Fri 09:00-16:00."""
EDGES = [timedelta(hours=h, minutes=m) for h, m in ((9, 0), (16, 0), (17, 30), (0, 0), (12, 0))]
KINDS = ["agent_reply", "requester_reply", "status:open", "status:pending", "status:solved", "status:closed"]


_CONFIGS = []


def _config(tmp_path_factory):
    if _CONFIGS:
        return _CONFIGS[0]
    folder = tmp_path_factory.mktemp("config")
    # Low has no periodic update (not tracked); high's first response is due at once.
    text = config_text(
        **{"    next_update: 16h\n": "", "    first_response: 1h\n": "    first_response: 0m\n"}
    )
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    _CONFIGS.append(load_config(path))
    return _CONFIGS[0]


instants = st.one_of(
    st.builds(lambda d, e: BASE + timedelta(days=d) + e, st.integers(0, 12), st.sampled_from(EDGES)),
    st.builds(lambda m: BASE + timedelta(minutes=m), st.integers(0, 12 * 24 * 60)),
)
steps = st.lists(
    st.tuples(
        st.one_of(st.just(timedelta(0)), st.builds(lambda m: timedelta(minutes=m), st.integers(1, 3000))),
        st.sampled_from(KINDS),
        st.sampled_from([1, 2, None]),
    ),
    max_size=10,
)


def stored_outcomes(rows: list[tuple], as_of: datetime):
    """tui.reports' SQL, row by row: outcome counts, met business times and first responders."""
    moment = to_us(as_of)
    counts, times, responders = {}, {}, {}
    for _, clock, _, started, stopped, reopened, over, business, on_time, agent in rows:
        if not (started < moment and (reopened is None or reopened >= moment)):
            continue
        if stopped is not None and stopped < moment:
            outcome = "met_on_time" if on_time else "met_late"
            times.setdefault(clock, []).append(timedelta(microseconds=business))
            if clock == "first_response" and agent is not None:
                responders.setdefault(agent, []).append(timedelta(microseconds=business))
        else:
            outcome = "breached_open" if over is not None and over <= moment else "open_within_target"
        counts[(clock, outcome)] = counts.get((clock, outcome), 0) + 1
    return counts, {k: sorted(v) for k, v in times.items()}, responders


def engine_outcomes(config, priority: str, history, as_of: datetime):
    ticket = _Ticket(_t(history[0][0]), priority, None, False)
    ticket.events = [
        (_t(at), number, kind, agent) for number, (at, kind, agent) in enumerate(history) if at < as_of
    ]
    scope = report_scope(config, "2026-02-20..2026-06-30", now=as_of)
    cohort = _judge(config, scope, {1: ticket})
    counts = {
        (clock, outcome): n
        for clock, figures in cohort.outcomes.items()
        for outcome, n in figures.items()
        if n and outcome != "not_tracked"
    }
    times = {clock: sorted(values) for clock, values in cohort.times.items() if values}
    return counts, times, cohort.first_responders


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=instants,
    moves=steps,
    priority=st.sampled_from(["low", "normal", "high", "urgent"]),
    judged=st.one_of(instants, st.integers(0, 10)),
)
def test_stored_stretches_judge_every_instant_as_the_engine(tmp_path_factory, start, moves, priority, judged):
    config = _config(tmp_path_factory)
    history, moment = [(start, "created", None)], start
    for gap, kind, agent in moves:
        moment += gap
        history.append((moment, kind, agent if kind == "agent_reply" else None))
    # Judge at a random instant, or exactly at one of the events (an event at as_of is not seen yet).
    as_of = judged if isinstance(judged, datetime) else history[min(judged, len(history) - 1)][0]
    if as_of <= start:
        as_of = start + timedelta(minutes=1)
    rows = Judge(config)(1, priority, from_datetimes(history))
    assert stored_outcomes(rows, as_of) == engine_outcomes(config, priority, history, as_of)
