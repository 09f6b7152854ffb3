"""The console as a person meets it, measured from outside in a pseudo-terminal.

- launch → first queue frame (the queue header is on screen), against a bare Textual app's first frame
- an idle console: CPU share of one core and bytes written to the terminal per second
- key → painted: End, then Home, and a search, timed until the screen shows the change

Run: python bench/bench_console.py [DB ...] [--idle SECONDS] [--runs N]
With no DB, a 1,000-ticket demo is built in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]")
BARE = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("Ticket   ready")
Bare().run()
"""


class Terminal:
    """A program on a pseudo-terminal of a given size; collects everything it writes."""

    def __init__(self, command: list[str], size: tuple[int, int] = (160, 50)) -> None:
        import fcntl
        import struct
        import termios

        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])}
        env.pop("NO_COLOR", None)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env)
        os.close(follower)
        self.output = bytearray()

    def read(self, seconds: float) -> None:
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.leader], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.leader, 65536)
                except OSError:
                    return

    def wait_for(self, pattern: bytes | re.Pattern, since: int = 0, timeout: float = 30) -> float:
        """The moment `pattern` (bytes or a regex) appears in the text written after byte `since`."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            text = ANSI.sub(b"", bytes(self.output[since:])).replace(b"\r", b"")
            if pattern.search(text) if isinstance(pattern, re.Pattern) else pattern in text:
                return time.perf_counter()
            self.read(0.005)
        raise TimeoutError(pattern)

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def send(self, keys: bytes) -> None:
        os.write(self.leader, keys)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self.leader)


def first_frame(command: list[str], marker: bytes) -> float:
    term = Terminal(command)
    try:
        return term.wait_for(marker) - term.started
    finally:
        term.close()


def console(db: Path) -> list[str]:
    return [str(BIN / "plaindesk"), "--db", str(db)]


def key_to_paint(db: Path) -> dict[str, float]:
    """Milliseconds from a key to the screen showing its result, on a settled console."""
    term = Terminal(console(db))
    try:
        term.wait_for(b"Priority")
        term.read(6)  # let the first sweep, counts and rules settle
        found = {}
        for name, keys, marker in (
            ("End", b"\x1b[F", b"paused"),
            ("Home", b"\x1b[H", b"#"),
            ("search", b"printer\r", re.compile(rb"Search: printer \xc2\xb7 [\d,]+ ticket")),
        ):
            if name == "search":
                term.send(b"/")  # opens the search box; the words are typed once it is there
                term.wait_for(b"Search tickets", len(term.output))
                term.read(0.2)
            since = len(term.output)
            sent = time.perf_counter()
            term.send(keys)
            found[name] = (term.wait_for(marker, since) - sent) * 1000
            term.read(1)
        return found
    finally:
        term.close()


def idle(db: Path, seconds: float) -> tuple[float, float, float]:
    """(CPU % of one core, bytes/s to the terminal, resident MB) of a console left alone with its SLA
    pane ticking."""
    term = Terminal(console(db))
    try:
        term.wait_for(b"Priority")
        term.read(8)
        cpu, size = term.cpu_seconds(), len(term.output)
        term.read(seconds)
        rate = (len(term.output) - size) / seconds
        return (term.cpu_seconds() - cpu) / seconds * 100, rate, term.rss_mb()
    finally:
        term.close()


def floors(db: Path) -> dict[str, float]:
    """The same work as raw sqlite3 queries, in milliseconds (median of 20): the floor no program beats."""
    import sqlite3

    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    page = (
        "SELECT t.id, t.subject, t.status, t.priority, r.name, a.name, t.next_due FROM ticket t "
        "JOIN requester r ON r.id = t.requester_id LEFT JOIN agent a ON a.id = t.assignee_id "
        "WHERE t.active = 1 ORDER BY t.next_due DESC, t.id DESC LIMIT 100"
    )
    search = "SELECT rowid FROM search_index WHERE search_index MATCH 'printer' LIMIT 100"
    found = {}
    for name, sql in (("last page", page), ("search", search)):
        times = []
        for _ in range(20):
            start = time.perf_counter()
            connection.execute(sql).fetchall()
            times.append((time.perf_counter() - start) * 1000)
        found[name] = statistics.median(times)
    connection.close()
    return found


def bare_idle(seconds: float) -> tuple[float, float]:
    program = BARE.replace("Bare().run()", "Bare().run()").replace(
        'yield Static("Ticket   ready")',
        'yield Static("Ticket   ready")\n    def on_mount(self):\n        self.set_interval(1, lambda: None)',
    )
    term = Terminal([sys.executable, "-c", program])
    try:
        term.wait_for(b"ready")
        term.read(3)
        cpu, size = term.cpu_seconds(), len(term.output)
        term.read(seconds)
        return (term.cpu_seconds() - cpu) / seconds * 100, (len(term.output) - size) / seconds
    finally:
        term.close()


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.0f} (min {min(values):.0f}, max {max(values):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("databases", nargs="*", type=Path)
    parser.add_argument("--idle", type=float, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        databases = args.databases
        if not databases:
            db = Path(folder) / "demo.db"
            subprocess.run(
                [str(BIN / "plaindesk"), "--db", str(db), "demo", "--tickets", "1000"],
                check=True,
                capture_output=True,
            )
            databases = [db]
        bare = [first_frame([sys.executable, "-c", BARE], b"ready") * 1000 for _ in range(args.runs)]
        print(f"bare Textual app, first frame: {summary(bare)} ms")
        for db in databases:
            frames = [first_frame(console(db), b"Priority") * 1000 for _ in range(args.runs)]
            ratio = statistics.median(frames) / statistics.median(bare)
            print(f"{db.name}: launch to first queue frame {summary(frames)} ms ({ratio:.1f}x the bare app)")
            keys = [key_to_paint(db) for _ in range(args.runs)]
            floor = floors(db)
            for name in keys[0]:
                raw = floor["search"] if name == "search" else floor["last page"]
                print(
                    f"{db.name}: key {name} to painted {summary([k[name] for k in keys])} ms (raw query {raw:.1f} ms)"
                )
            cpu, rate, rss = idle(db, args.idle)
            print(
                f"{db.name}: idle {args.idle:.0f} s: CPU {cpu:.2f}% of a core, {rate:.0f} bytes/s to the terminal; "
                f"resident memory {rss:.0f} MB"
            )
        cpu, rate = bare_idle(min(args.idle, 30))
        print(f"bare Textual app with a 1 s timer, idle: CPU {cpu:.2f}% of a core, {rate:.0f} bytes/s")


if __name__ == "__main__":
    main()
