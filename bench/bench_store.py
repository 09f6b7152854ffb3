"""Store timings on demo desks of two sizes: queue pages (first and deep), search, a ticket, a write.

Run: python bench/bench_store.py [--sizes 1000,1000000]
Databases are built once under bench/out/ (ignored by git) and reused.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from tui.config import load_config
from tui.demo import build_demo
from tui.identity import sign_in
from tui.resources import default_config_path
from tui.store import View, list_page, open_store, search_ids
from tui.store.records import TicketRecord
from tui.workflow import Desk

OUT = Path(__file__).parent / "out"


def timed(fn, repeat: int = 30) -> tuple[float, object]:
    """Median milliseconds of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def bench(size: int) -> dict[str, float]:
    config = load_config(default_config_path())
    path = OUT / f"desk-{size}.db"
    if not path.exists():
        start = time.perf_counter()
        build_demo(path, config, tickets=size, seed=1)
        print(f"  built {path.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    store = open_store(path)
    figures = {}
    view = View(active=None, sort="newest")
    with store.read():
        figures["first page (50 rows)"], page = timed(lambda: list_page(view, limit=50))
        cursor, depth = page.after, 1
        while depth < 200:  # walk up to 200 pages deep (or to the last page), then time the next one
            following = list_page(view, after=cursor, limit=50).after
            if following is None:
                break
            cursor, depth = following, depth + 1
        figures["deepest page walked to (<= 201)"], _ = timed(lambda: list_page(view, after=cursor, limit=50))
        figures["breaches-next page"], due_page = timed(lambda: list_page(View(sort="due"), limit=50))
        figures["search 'printer'"], _ = timed(lambda: search_ids("printer"), repeat=10)
        figures["search 'covid-19 \" AND ('"], _ = timed(lambda: search_ids('covid-19 " AND ('), repeat=10)
    desk = Desk(store, config, sign_in(store, config))
    active = due_page.rows[-1].id
    figures["open one ticket"], record = timed(lambda: desk.ticket(active))
    assert isinstance(record, TicketRecord)
    figures["public reply (write, history, SLA refresh)"], _ = timed(
        lambda: desk.reply(active, "Thanks, we are on it."), repeat=20
    )
    store.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,1000000")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {size: bench(size) for size in sizes}
    print(f"| store operation (median ms) | {' | '.join(f'{s:,} tickets' for s in sizes)} |")
    print(f"|---|{'---|' * len(sizes)}")
    for name in results[sizes[0]]:
        print(f"| {name} | {' | '.join(f'{results[s][name]:.2f}' for s in sizes)} |")


if __name__ == "__main__":
    main()
