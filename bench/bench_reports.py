"""How long the reports take: build_report for one month, median of 5 runs, with each section alone.

Run: python bench/bench_reports.py [DATABASE] [--period 2026-11] [--now 2026-11-23T00:00:00Z] [--runs 5]
With no DATABASE, a 10,000-ticket demo is built in a temporary folder with `plaindesk demo`. A database
given is opened read-only in spirit: never created, never upgraded (an older schema is refused, so a
shared benchmark file is never changed; upgrade a copy of it instead).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tui.config import find_config, load_config
from tui.reports import (
    agents,
    backlog,
    build_report,
    plain_language,
    report_scope,
    satisfaction,
    sla_compliance,
    volume,
)
from tui.store import DatabaseUnavailable, open_store


def timed(fn, runs: int) -> tuple[float, object]:
    """Median seconds of `runs` runs, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def build_default(folder: Path, config_path: Path, tickets: int) -> Path:
    path = folder / "desk.db"
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "--config",
            str(config_path),
            "--db",
            str(path),
            "demo",
            "--tickets",
            str(tickets),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"built a {tickets}-ticket demo in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", type=Path, help="a PlainDesk database (default: a new demo)")
    parser.add_argument("--config", type=Path, default=find_config())
    parser.add_argument("--period", help="default: the month of the newest ticket")
    parser.add_argument("--now", help="judge as of this instant (default: the newest ticket, or now)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tickets", type=int, default=10_000, help="size of the demo built when no DATABASE")
    parser.add_argument("--json", type=Path, help="also write the whole report's times here")
    args = parser.parse_args()
    config = load_config(args.config)
    with tempfile.TemporaryDirectory() as folder:
        path = args.database or build_default(Path(folder), args.config, args.tickets)
        try:
            store = open_store(path, create=False, upgrade=False)
        except DatabaseUnavailable as error:
            sys.exit(f"{error}\n(The benchmark never upgrades a database; copy it and upgrade the copy.)")
        try:
            run(store, config, args)
        finally:
            store.close()


def run(store, config, args) -> None:
    with store.read():
        newest, count = store.db.execute_sql("SELECT max(created_at), count(*) FROM ticket").fetchone()
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
    if not args.period:
        last = datetime.fromisoformat(newest).replace(tzinfo=UTC).astimezone(ZoneInfo(config.timezone))
        args.period = f"{last.year:04d}-{last.month:02d}"
    scope = report_scope(config, args.period, now=now)
    print(
        f"{store.path}: {count:,} tickets; report for {scope.period.label} as of {scope.as_of:%Y-%m-%d %H:%M} UTC"
    )
    times: list[float] = []

    def whole() -> object:
        start = time.perf_counter()
        report = build_report(store, config, args.period, now=now)
        times.append(time.perf_counter() - start)
        return report

    total, report = timed(whole, args.runs)
    if args.json:
        args.json.write_text(
            json.dumps({"period": scope.period.label, "tickets": report.volume.total, "seconds": times})
        )
    print(f"  {report.volume.total:,} tickets created in the period, {report.sla.tickets:,} judged for SLA")
    print(f"  build_report (every section, one read): median {total:.2f} s of {args.runs} runs")
    sections = {
        "sla_compliance": lambda: sla_compliance(store, config, scope),
        "backlog": lambda: backlog(store, config, scope),
        "volume": lambda: volume(store, config, scope),
        "satisfaction": lambda: satisfaction(store, config, scope),
        "agents (with its backlog and SLA needs)": lambda: agents(store, config, scope),
        "plain_language": lambda: plain_language(store, config, scope),
    }
    for name, fn in sections.items():
        with store.read():
            seconds, _ = timed(fn, args.runs)
        print(f"    {name:<40} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
