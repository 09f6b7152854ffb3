"""Time the SLA engine: one ticket with a year of history, and 10,000 open tickets."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as python bench/bench_sla.py

from tui.sla import Calendar, evaluate  # noqa: E402

OFFICE = {
    "timezone": "Europe/London",
    "hours": {
        "mon": ["09:00-12:30", "13:30-17:30"],
        "tue": ["09:00-17:30"],
        "wed": ["09:00-17:30"],
        "thu": ["09:00-17:30"],
        "fri": ["09:00-16:00"],
    },
    "holidays": {"country": "GB", "subdivision": "ENG", "dates": ["2026-12-24", "2026-12-31"]},
}
TARGETS = {
    "first_response": timedelta(hours=1),
    "next_update": timedelta(hours=4),
    "resolution": timedelta(hours=16),
}
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 20, 15, 7, tzinfo=LONDON)
Timeline = list[tuple[datetime, str]]


def year_long_history(rng: random.Random, most_minutes_apart: int) -> Timeline:
    """A ticket that bounced between agent and requester for a year, events at random gaps."""
    moment = NOW - timedelta(days=365)
    timeline: Timeline = [(moment, "created")]
    status = "new"
    while True:
        moment += timedelta(minutes=rng.randint(5, most_minutes_apart))
        if moment > NOW:
            return timeline
        kind = rng.choice(
            ["agent_reply", "requester_reply", "status:pending", "status:open", "status:solved"]
        )
        if kind.startswith("status:"):
            if kind == f"status:{status}":
                continue
            status = kind.removeprefix("status:")
        timeline.append((moment, kind))


def open_tickets(rng: random.Random, count: int) -> list[Timeline]:
    """Open tickets created in the last 30 days, some answered, some waiting on the requester."""
    tickets = []
    for _ in range(count):
        created = NOW - timedelta(minutes=rng.randint(1, 30 * 24 * 60))
        timeline: Timeline = [(created, "created")]
        if rng.random() < 0.7:
            replied = created + (NOW - created) * rng.random()
            timeline.append((replied, "agent_reply"))
            if rng.random() < 0.3:
                timeline.append((replied, "status:pending"))
                if rng.random() < 0.5:
                    back = replied + (NOW - replied) * rng.random()
                    timeline += [(back, "requester_reply"), (back, "status:open")]
        tickets.append(timeline)
    return tickets


def _utc(timeline: Timeline) -> Timeline:
    return [(moment.astimezone(UTC), kind) for moment, kind in timeline]


def timed(action: Callable[[], object], repeat: int = 1) -> float:
    """Seconds per call of `action`, averaged over `repeat` calls."""
    started = time.perf_counter()
    for _ in range(repeat):
        action()
    return (time.perf_counter() - started) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of the 10,000-ticket batch")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    rng = random.Random(2026)
    # About one event a day, as on a long-running ticket; then one every three hours, as a stress.
    # The store hands timelines over in UTC, as here; local-time datetimes cost ~1 µs more an event.
    histories = [_utc(year_long_history(rng, 48 * 60)), _utc(year_long_history(rng, 6 * 60))]
    tickets = [_utc(t) for t in open_tickets(rng, 10_000)]

    for history in histories:
        cold = Calendar.from_config(OFFICE)

        def once(cal: Calendar = cold, history: Timeline = history) -> object:
            return evaluate(cal, TARGETS, history, NOW)

        first = timed(once)
        warm = timed(once, repeat=50)
        print(
            f"one ticket, {len(history):,} events over a year: {first * 1e3:.2f} ms first call "
            f"(builds the calendar's years), {warm * 1e3:.3f} ms after "
            f"({warm / len(history) * 1e6:.2f} µs an event)"
        )

    batches = []
    for _ in range(args.runs):  # each run with a fresh calendar, as a new console would have
        fresh = Calendar.from_config(OFFICE)
        batches.append(timed(lambda cal=fresh: [evaluate(cal, TARGETS, t, NOW) for t in tickets]))
    print(
        f"{len(tickets):,} open tickets, 3 clocks each, fresh calendar: "
        f"median {sorted(batches)[len(batches) // 2] * 1e3:.0f} ms "
        f"(min {min(batches) * 1e3:.0f}, max {max(batches) * 1e3:.0f})"
    )
    if args.json:
        args.json.write_text(json.dumps({"tickets": len(tickets), "batch_seconds": batches}))


if __name__ == "__main__":
    main()
