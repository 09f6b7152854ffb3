"""The desks the benchmarks run on: `plaindesk demo` databases of several sizes, made ready as a desk in
use would be, and the floor for building one (raw SQLite writing the same rows).

Run: python bench/desks.py SIZE [--folder bench/out] [--floor] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BIN = Path(sys.executable).parent
LONG_THREAD = 200
LONG_THREAD_WORD = "longthread"


def live_config(folder: Path) -> Path:
    """The default configuration with every calendar open 24x7. `make bench` builds and runs every
    desk with it, so clocks count whatever hour the benchmarks run at: at night the office calendar
    stops them, and an idle console would have nothing to count down."""
    import yaml

    from tui.resources import default_config_path

    config = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))
    for calendar in config["calendars"].values():
        calendar["hours"] = "24x7"
        calendar.pop("holidays", None)
    path = folder / "live-countdowns.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def demo(size: int, folder: Path) -> tuple[Path, float]:
    """`plaindesk demo --tickets SIZE` into a new file; its wall time in seconds."""
    path = folder / f"desk-{size}.db"
    for old in folder.glob(f"desk-{size}.db*"):
        old.unlink()
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "plaindesk"), "--db", str(path), "demo", "--tickets", str(size)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return path, time.perf_counter() - start


def ready(path: Path) -> None:
    """What a desk in use has: a ticket with a long thread, and every breach so far escalated (its
    consoles do that each minute; a demo just built has not had them)."""
    from tui.config import find_config, load_config
    from tui.identity import sign_in
    from tui.store import open_store
    from tui.workflow import Desk, RequesterInput

    config = load_config(find_config())  # $PLAINDESK_CONFIG, as set by bench/run.py
    store = open_store(path)
    desk = Desk(store, config, sign_in(store, config, config.agents[0].login))
    ticket_id = desk.create(
        f"Printer queue stuck again ({LONG_THREAD_WORD} for the benchmark)",
        RequesterInput.parse("Long Thread <long.thread@example.org>"),
        "The printer on floor 2 keeps holding my print jobs.",
    )
    # Agents on a working desk answer what is about to breach; a demo just built has a wave of new
    # urgent tickets breaching together minutes later, which would land in the middle of the run.
    from datetime import UTC, datetime, timedelta

    from tui.store import View, list_page

    now = datetime.now(UTC)
    with store.read():
        soon = list_page(View(due_after=now, due_before=now + timedelta(minutes=30), sort="due"), limit=500)
    for row in soon.rows:
        if row.id != ticket_id and row.status == "new":
            desk.reply(
                row.id,
                "Thanks for letting us know. I'm looking at it now and will update you within the hour.",
            )
    for n in range(LONG_THREAD - 1):
        words = f"Message {n + 2} of the long thread: the printer held the job again, here is what happened."
        if n % 3 == 2:
            desk.note(ticket_id, words)
        else:
            desk.reply(ticket_id, words)
    store.close()
    subprocess.run(
        [str(BIN / "plaindesk"), "--db", str(path), "sla", "tick"], check=True, stdout=subprocess.DEVNULL
    )


def floor(path: Path) -> float:
    """Seconds for SQLite alone to write the same rows into a new file with the same tables, indexes,
    triggers and full-text index: INSERT ... SELECT from the finished demo, no Python per row, no
    journal, as the demo itself builds."""
    target = path.with_name(path.stem + "-floor.db")
    target.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    schema = source.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    source.close()
    shadow = {f"search_index_{part}" for part in ("data", "idx", "content", "docsize", "config")}
    tables = [
        name
        for kind, name, sql in schema
        if kind == "table" and name not in shadow and name != "search_index"
    ]
    connection = sqlite3.connect(target, isolation_level=None)
    start = time.perf_counter()
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA cache_size = -200000")
    connection.execute(f"ATTACH DATABASE 'file:{path}?mode=ro' AS source")
    connection.execute("BEGIN")
    for kind, name, sql in schema:  # tables, then the full-text index, triggers and indexes
        if kind == "table" and name not in shadow:
            connection.execute(sql)
    for kind, _name, sql in schema:
        if kind in ("index", "trigger"):
            connection.execute(sql)
    for name in tables:  # the triggers fill the full-text index as rows arrive, as in the demo
        connection.execute(f'INSERT INTO main."{name}" SELECT * FROM source."{name}"')
    connection.execute("COMMIT")
    seconds = time.perf_counter() - start
    connection.close()
    target.unlink()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--folder", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--floor", action="store_true", help="also time raw SQLite writing the same rows")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    path, seconds = demo(args.size, args.folder)
    result = {"path": str(path), "demo_seconds": seconds}
    print(f"plaindesk demo --tickets {args.size:,}: {seconds:.1f} s", flush=True)
    if args.floor:
        result["floor_seconds"] = floor(path)
        print(f"raw SQLite, the same rows: {result['floor_seconds']:.1f} s", flush=True)
    ready(path)
    if args.json:
        args.json.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
