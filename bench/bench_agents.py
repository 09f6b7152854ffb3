"""Many agents, one SQLite file: writers doing workflow actions while readers page the queue.

Each writer is its own process (as each agent's console is) and does ACTIONS workflow actions: a note, a
reply, a priority change or an assignment, each against the version it just read (so conflicts are
possible and must be refused, never lost). Afterwards every write is checked: each note and reply
must be in the database with its own text, and the history must hold one row per change.

Floor: one process doing the same actions alone. Target: 0 errors surfaced, 0 lost updates,
p99 of an action <= 100 ms.

Run: python bench/bench_agents.py [--writers 10] [--readers 4] [--actions 200]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable as python bench/bench_agents.py

TICKETS = 300
READER_PAUSE = 0.1
"""A reader pages through five queue pages ten times a second: far busier than a person scrolling."""


def _desk(path: Path, login: str):
    from tui.config import find_config, load_config
    from tui.identity import sign_in
    from tui.store import open_store
    from tui.workflow import Desk

    config = load_config(find_config())
    store = open_store(path)
    return Desk(store, config, sign_in(store, config, login))


def prepare(path: Path) -> None:
    from tui.workflow import RequesterInput

    desk = _desk(path, "asha")
    for i in range(TICKETS):
        desk.create(f"Ticket {i}", RequesterInput.parse(f"Person {i} <p{i}@example.org>"), "Help please")


def writer(path: str, login: str, actions: int, seed: int, results) -> None:
    from tui.store import Conflict, StoreError
    from tui.workflow import WorkflowError

    desk = _desk(Path(path), login)
    rng = random.Random(seed)
    times, wrote, changed, conflicts, errors = [], [], [], 0, []
    for n in range(actions):
        ticket_id = rng.randint(1, TICKETS)
        kind = rng.choice(["note", "reply", "priority", "assign"])
        start = time.perf_counter()
        try:
            version = desk.ticket(ticket_id).version
            if kind == "note":
                text = f"note {login} {n}"
                desk.note(ticket_id, text, version=version)
                wrote.append((ticket_id, "internal_note", text))
            elif kind == "reply":
                text = f"reply {login} {n}"
                desk.reply(ticket_id, text, version=version)
                wrote.append((ticket_id, "public_reply", text))
            elif kind == "priority":
                priority = rng.choice(["low", "normal", "high"])
                now = desk.update(ticket_id, priority=priority, version=version)
                if now != version:  # the same priority again changes nothing
                    changed.append((ticket_id, "priority", priority, now))
            else:
                now = desk.assign(ticket_id, login, version=version)
                if now != version:
                    changed.append((ticket_id, "assignee", login, now))
        except Conflict:
            conflicts += 1  # refused, as it must be when someone else changed it first: not an error
        except (StoreError, WorkflowError) as error:
            errors.append(f"{type(error).__name__}: {error}")
        times.append((time.perf_counter() - start) * 1000)
    results.put((login, times, wrote, conflicts, errors, changed))


def reader(path: str, stop, results) -> None:
    from tui.store import View, list_page, open_store

    store = open_store(Path(path))
    pages, errors = 0, []
    while not stop.is_set():
        try:
            with store.read():
                after = None
                for _ in range(5):
                    page = list_page(View(sort="due"), after=after, limit=50)
                    after = page.after
                    pages += 1
                    if after is None:
                        break
        except Exception as error:  # noqa: BLE001 - a reader's error is a finding of this benchmark
            errors.append(str(error))
        time.sleep(READER_PAUSE)
    results.put(("reader", pages, errors))


def run(path: Path, writers: int, readers: int, actions: int) -> dict:
    context = multiprocessing.get_context("spawn")
    results, stop = context.Queue(), context.Event()
    reading = [context.Process(target=reader, args=(str(path), stop, results)) for _ in range(readers)]
    logins = ["asha", "tom", "mei", "lars", "priya"]
    writing = [
        context.Process(target=writer, args=(str(path), logins[i % len(logins)], actions, i, results))
        for i in range(writers)
    ]
    for process in reading + writing:
        process.start()
    writer_results = [results.get() for _ in writing]
    stop.set()
    reader_results = [results.get() for _ in reading]
    for process in reading + writing:
        process.join()
    times = [t for r in writer_results for t in r[1]]
    errors = [e for r in writer_results for e in r[4]] + [e for r in reader_results for e in r[2]]
    wrote = [w for r in writer_results for w in r[2]]
    changed = [c for r in writer_results for c in r[5]]
    with sqlite3.connect(path) as connection:
        present = set(connection.execute("SELECT ticket_id, kind, body FROM message").fetchall())
        history = connection.execute("SELECT ticket_id, field, new, version FROM event").fetchall()
    lost = [w for w in wrote if w not in present]
    # Every change that was accepted is in the history, at the version it made.
    landed = {(ticket, field, new, version) for ticket, field, new, version in history}
    lost += [c for c in changed if c not in landed]
    times.sort()
    return {
        "times": times,
        "actions": len(times),
        "median_ms": statistics.median(times),
        "p99_ms": times[int(len(times) * 0.99) - 1],
        "max_ms": times[-1],
        "conflicts": sum(r[3] for r in writer_results),
        "errors": errors,
        "lost": lost,
        "checked_writes": len(wrote) + len(changed),
        "pages_read": sum(r[1] for r in reader_results),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        alone_path, many_path = Path(folder) / "alone.db", Path(folder) / "many.db"
        prepare(alone_path)
        prepare(many_path)
        alone = run(alone_path, 1, 0, args.actions)
        many = run(many_path, args.writers, args.readers, args.actions)
    print(
        f"one agent alone, {alone['actions']} actions: median {alone['median_ms']:.1f} ms, "
        f"p99 {alone['p99_ms']:.1f} ms"
    )
    print(
        f"{args.writers} agents x {args.actions} actions with {args.readers} readers: "
        f"median {many['median_ms']:.1f} ms, p99 {many['p99_ms']:.1f} ms (max {many['max_ms']:.0f} ms, "
        f"{many['p99_ms'] / alone['p99_ms']:.1f}x alone); conflicts refused {many['conflicts']}; "
        f"errors {len(many['errors'])}; lost updates {len(many['lost'])}; queue pages read {many['pages_read']}"
    )
    for error in many["errors"][:5]:
        print(f"  error: {error}")
    for change in many["lost"][:5]:
        print(f"  lost: {change}")
    if args.json:
        keep = ("actions", "median_ms", "p99_ms", "max_ms", "conflicts", "pages_read", "checked_writes")
        args.json.write_text(
            json.dumps(
                {
                    "writers": args.writers,
                    "readers": args.readers,
                    "alone": {k: alone[k] for k in keep},
                    "many": {k: many[k] for k in keep}
                    | {"errors": len(many["errors"]), "lost": len(many["lost"])},
                    "alone_times_ms": alone["times"],
                    "many_times_ms": many["times"],
                }
            )
        )


if __name__ == "__main__":
    main()
