"""The console as a person meets it, measured from outside on a pseudo-terminal (160×50, 256 colours).

- launch → the first queue frame with ticket rows, against a bare Textual app's first frame
- key → painted: PageDown, End, a view key, a filter, a search for a common and a rare word, and
  opening a ticket with a long thread, each against the same work as a raw sqlite3 query
- idle for a minute with the SLA pane counting down (bench/run.py opens every calendar 24x7):
  CPU share of one core, bytes sent to the terminal per second and resident memory, every desk size
  and the bare app side by side

Run: python bench/bench_console.py DB [DB ...] [--runs 3] [--idle 60] [--json FILE]
Each DB should hold a ticket whose subject has the word `longthread` (bench/run.py adds one).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from terminal import BARE, BARE_TIMER, Terminal, compile_package  # noqa: E402

BIN = Path(sys.executable).parent
ROW = re.compile(rb"#\d+ [^\n]*?\b(urgent|high|normal|low)\b")
"""A painted queue row (a loading placeholder has no priority)."""
LONG_THREAD_WORD = "longthread"
KEY_ROUNDS = 3
"""Rounds of End, view keys and a filter in each run."""


def console(db: Path) -> list[str]:
    return [str(BIN / "plaindesk"), "--db", str(db)]


def bare() -> list[str]:
    return [sys.executable, "-c", BARE]


def first_frame(command: list[str], marker: bytes | re.Pattern) -> float:
    with Terminal(command) as term:
        return (term.wait_for(marker) - term.started) * 1000


def launch(databases: list[Path], runs: int) -> dict[str, list[float]]:
    """Milliseconds from exec to the first frame, the bare app and each desk taking turns."""
    found: dict[str, list[float]] = {"bare": []}
    for _ in range(runs):
        found["bare"].append(first_frame(bare(), b"ready"))
        for db in databases:
            found.setdefault(db.stem, []).append(first_frame(console(db), ROW))
    return found


def _row_with(status: bytes) -> re.Pattern:
    return re.compile(rb"#\d+ [^\n]*?\b(urgent|high|normal|low) +" + status + rb"\b")


def _settled(db: Path, env: dict | None = None) -> Terminal:
    term = Terminal(console(db), env=env)
    term.wait_for(ROW)
    term.read(4)  # the panes fill, counts and rules load, the first sweep runs
    return term


def keys(db: Path, word: dict[str, str]) -> dict[str, list[float]]:
    """Key → painted, in milliseconds, on one console that has settled."""
    found: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        found.setdefault(name, []).append(value)
        term.read(0.3)

    term = _settled(db)
    try:
        for _ in range(5):
            add("PageDown", term.key(b"\x1b[6~", ROW))
        # The keys below take 15-40 ms, and one sample of each per run would leave their medians to
        # chance: each is pressed in KEY_ROUNDS rounds.
        for _ in range(KEY_ROUNDS):
            add("End", term.key(b"\x1b[F", ROW))
            term.key(b"\x1b[H", ROW)
            # A row of the new view (the old one's rows are repainted by the clock every so often).
            add("view key (7: solved)", term.key(b"7", _row_with(rb"(solved|closed)")))
            add("view key (3: all open)", term.key(b"3", _row_with(rb"(new|open|pending)")))
            # A filter: f, the field (priority), then the value (urgent) whose Enter is timed.
            since = len(term.output)
            term.send(b"f")
            term.wait_for(b"Filter the queue by", since)
            since = len(term.output)
            term.send(b"\x1b[B\r")
            term.wait_for(b"Show only tickets with priority", since)
            term.read(0.2)
            add(
                "filter (priority urgent)",
                term.key(b"\r", re.compile(rb"Filter: priority: urgent[\s\S]*#\d+ [^\n]*?urgent")),
            )
            term.send(b"x")  # clear the filter
            term.read(1)
        for name in ("common", "rare"):
            add(f"search, {name} word", _search(term, word[name]))
            term.send(b"x")
            term.read(1)
        _search(term, LONG_THREAD_WORD)
        term.read(0.5)
        add("open a ticket with a 200-message thread", term.key(b"\r", b"Conversation"))
    finally:
        term.close()
    return found


def _search(term: Terminal, word: str) -> float:
    since = len(term.output)
    term.send(b"/")
    term.wait_for(b"Search tickets", since)
    term.read(0.2)
    term.send(word.encode())
    term.read(0.2)
    return term.key(b"\r", re.compile(rb"Search: " + re.escape(word.encode()) + rb"[\s\S]*" + ROW.pattern))


def idle(databases: list[Path], seconds: float) -> dict[str, dict[str, float]]:
    """Every desk's console and the bare app (with a 1 s timer) left alone side by side.

    Each desk's breaches are escalated first, as the consoles of a working desk do every minute: the
    runs before leave minutes of them, which the console would otherwise catch up on, 100 a minute,
    during the idle minute."""
    for db in databases:
        subprocess.run(
            [str(BIN / "plaindesk"), "--db", str(db), "sla", "tick"], check=True, stdout=subprocess.DEVNULL
        )
    terms = {"bare": Terminal([sys.executable, "-c", BARE_TIMER])}
    terms["bare"].wait_for(b"ready")
    for db in databases:
        terms[db.stem] = _settled(db)
    try:
        _read_all(terms.values(), 6)
        cpu = {name: term.cpu_seconds() for name, term in terms.items()}
        size = {name: len(term.output) for name, term in terms.items()}
        _read_all(terms.values(), seconds)
        return {
            name: {
                "cpu_percent": (term.cpu_seconds() - cpu[name]) / seconds * 100,
                "bytes_per_second": (len(term.output) - size[name]) / seconds,
                "rss_mb": term.rss_mb(),
            }
            for name, term in terms.items()
        }
    finally:
        for term in terms.values():
            term.close()


def _read_all(terms, seconds: float) -> None:
    by_fd = {term.leader: term for term in terms}
    deadline = time.perf_counter() + seconds
    while (left := deadline - time.perf_counter()) > 0:
        ready, _, _ = select.select(list(by_fd), [], [], left)
        for fd in ready:
            try:
                by_fd[fd].output += os.read(fd, 65536)
            except OSError:
                by_fd.pop(fd)


def words(db: Path) -> dict[str, str]:
    """A common word (in the most tickets) and a rare one (in the fewest, but more than one)."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    connection.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search_index, row)")
    common = connection.execute(
        "SELECT term FROM temp.vocab WHERE length(term) > 4 AND term GLOB '[a-z]*' ORDER BY doc DESC LIMIT 1"
    ).fetchone()[0]
    rare = connection.execute(
        "SELECT term FROM temp.vocab WHERE doc >= 2 AND length(term) > 5 "
        "AND term GLOB '[a-z]*' AND term NOT GLOB '*[0-9]*' ORDER BY doc, term LIMIT 1"
    ).fetchone()[0]
    connection.close()
    return {"common": common, "rare": rare}


def floors(db: Path, word: dict[str, str]) -> dict[str, list[float]]:
    """The same pages as raw sqlite3 queries, in milliseconds (20 runs each): what no program beats."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    row = (
        "SELECT t.id, t.subject, t.status, t.priority, r.name, a.name, t.next_due FROM ticket t "
        "JOIN requester r ON r.id = t.requester_id LEFT JOIN agent a ON a.id = t.assignee_id "
    )
    second = connection.execute(
        "SELECT next_due, id FROM ticket WHERE active = 1 ORDER BY next_due, id LIMIT 1 OFFSET 99"
    ).fetchone()
    queries = {
        "PageDown": (
            row + "WHERE t.active = 1 AND (t.next_due, t.id) > (?, ?) ORDER BY t.next_due, t.id LIMIT 100",
            second,
        ),
        "End": (row + "WHERE t.active = 1 ORDER BY t.next_due DESC, t.id DESC LIMIT 100", ()),
        "view key": (row + "WHERE t.active = 0 ORDER BY t.updated_at DESC, t.id DESC LIMIT 100", ()),
        "filter": (
            row + "WHERE t.active = 1 AND t.priority = 'urgent' ORDER BY t.next_due, t.id LIMIT 100",
            (),
        ),
    }
    for name in ("common", "rare"):
        queries[f"search, {name} word"] = (
            "SELECT ticket_id FROM search_index WHERE search_index MATCH ? ORDER BY rowid DESC LIMIT 100",
            (word[name],),
        )
    found = {}
    for name, (sql, args) in queries.items():
        times = []
        for _ in range(20):
            start = time.perf_counter()
            connection.execute(sql, args).fetchall()
            times.append((time.perf_counter() - start) * 1000)
        found[name] = times
    connection.close()
    return found


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.0f} (min {min(values):.0f}, max {max(values):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("databases", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=60)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    compile_package()
    result: dict = {"launch": launch(args.databases, args.runs), "keys": {}, "floors": {}, "words": {}}
    for name, values in result["launch"].items():
        print(f"launch → first frame, {name}: {summary(values)} ms", flush=True)
    for db in args.databases:
        word = result["words"][db.stem] = words(db)
        runs = [keys(db, word) for _ in range(args.runs)]
        result["keys"][db.stem] = {name: [v for run in runs for v in run[name]] for name in runs[0]}
        result["floors"][db.stem] = floors(db, word)
        for name, values in result["keys"][db.stem].items():
            print(f"{db.stem}: {name} → painted: {summary(values)} ms", flush=True)
    result["idle"] = idle(args.databases, args.idle)
    result["idle_seconds"] = args.idle
    for name, figures in result["idle"].items():
        print(
            f"idle {args.idle:.0f} s, {name}: CPU {figures['cpu_percent']:.2f}% of a core, "
            f"{figures['bytes_per_second']:.0f} B/s, {figures['rss_mb']:.0f} MB resident",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
