"""`make bench`: every benchmark in bench/, one after the other. Figures go in bench/RESULTS.md.

`python bench/run.py --quick` (`make bench-quick`) runs each on small desks and short windows, to check
that they all work end to end in a few minutes; its figures are not the ones to quote.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
QUICK = {
    "bench_agents": ["--writers", "4", "--readers", "2", "--actions", "40"],
    "bench_console": ["--idle", "10", "--runs", "1"],
    "bench_reports": ["--tickets", "2000", "--runs", "2"],
    "bench_store": ["--sizes", "1000"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small desks and short runs (a smoke test)")
    args = parser.parse_args()
    started = time.perf_counter()
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"## {script.stem}", flush=True)
        extra = QUICK.get(script.stem, []) if args.quick else []
        subprocess.run([sys.executable, str(script), *extra], check=True)
    print(f"## all benchmarks took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
