"""`make bench`: every benchmark on demo desks of 1,000, 100,000 and 1,000,000 tickets, each beside the
floor it cannot beat measured in the same run; writes bench/RESULTS.md.

`python bench/run.py --quick` (`make bench-quick`) runs the same on desks of 1,000 and 20,000 tickets
with short windows, in a few minutes, to check that everything works; it writes bench/out/RESULTS-quick.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from desks import live_config  # noqa: E402
from results import current_commit, write_results  # noqa: E402

FULL = {
    "sizes": [1_000, 100_000, 1_000_000],
    "console": ["--runs", "5", "--idle", "60"],
    "agents": [],
    "plain": [],
    "sla": [],
    "reports": ["--runs", "5"],
}
QUICK = {
    "sizes": [1_000, 20_000],
    "console": ["--runs", "1", "--idle", "10"],
    "agents": ["--writers", "4", "--readers", "2", "--actions", "40"],
    "plain": ["--checks", "50"],
    "sla": ["--runs", "1"],
    "reports": ["--runs", "1"],
}


def step(name: str, command: list[str], out: Path, again: set[str] | None = None) -> dict:
    """Run one benchmark script; its figures come back through a JSON file. With `again`, a step not
    named there keeps the figures of the last run (its JSON in the out folder)."""
    target = out / f"{name}.json"
    kind = name.split("-")[0]
    if again is not None and kind not in again and target.exists():
        print(f"## {name}: figures of the last run kept", flush=True)
        return json.loads(target.read_text())
    print(f"## {name}", flush=True)
    started = time.perf_counter()
    target.unlink(missing_ok=True)
    subprocess.run([sys.executable, *command, "--json", str(target)], check=True)
    print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    return json.loads(target.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small desks and short runs (a smoke test)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where desks and raw figures go")
    parser.add_argument(
        "--again",
        help="only these steps, comma-separated (desk, console, plain, sla, agents, reports); the others "
        "keep the figures of the last run",
    )
    args = parser.parse_args()
    again = set(args.again.split(",")) if args.again else None
    plan = QUICK if args.quick else FULL
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    # Every desk is built and run with its calendars open 24x7 (desks.live_config), for every step.
    os.environ["PLAINDESK_CONFIG"] = str(live_config(out))
    started = time.perf_counter()
    figures: dict = {
        "quick": args.quick,
        "desks": {},
        "commit": current_commit(),
        "run_at": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
    }
    largest = max(plan["sizes"])
    for size in plan["sizes"]:
        extra = ["--floor"] if size == largest else []
        figures["desks"][size] = step(
            f"desk-{size}", [str(HERE / "desks.py"), str(size), "--folder", str(out), *extra], out, again
        )
    databases = [figures["desks"][size]["path"] for size in plan["sizes"]]
    figures["console"] = step(
        "console", [str(HERE / "bench_console.py"), *databases, *plan["console"]], out, again
    )
    figures["plain"] = step("plain", [str(HERE / "bench_plain.py"), *plan["plain"]], out, again)
    figures["sla"] = step("sla", [str(HERE / "bench_sla.py"), *plan["sla"]], out, again)
    figures["agents"] = step("agents", [str(HERE / "bench_agents.py"), *plan["agents"]], out, again)
    figures["reports"] = step(
        "reports",
        [str(HERE / "bench_reports.py"), figures["desks"][largest]["path"], *plan["reports"]],
        out,
        again,
    )
    figures["seconds"] = time.perf_counter() - started
    if again is not None:  # the time of a whole run is the one worth quoting
        last = out / "figures.json"
        figures["seconds"] = json.loads(last.read_text())["seconds"] if last.exists() else figures["seconds"]
    (out / "figures.json").write_text(json.dumps(figures, indent=1))
    target = out / "RESULTS-quick.md" if args.quick else HERE / "RESULTS.md"
    write_results(figures, target)
    print(f"## all benchmarks took {figures['seconds'] / 60:.1f} min; figures in {target}")


if __name__ == "__main__":
    main()
