"""A program on a pseudo-terminal, watched from outside as a person would: what it writes, when.

Textual draws by writing escape sequences; stripping them leaves the text that reached the screen, so
"the screen shows X" is "X appears in what was written after the key was sent".
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from pathlib import Path

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]")
BARE = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("Ticket   ready")
Bare().run()
"""
"""The floor for launch: a bare Textual app that shows one line."""
BARE_TIMER = BARE.replace(
    'yield Static("Ticket   ready")',
    'yield Static("Ticket   ready")\n    def on_mount(self):\n        self.set_interval(1, lambda: None)',
)
"""The floor for an idle console: the bare app with a one-second timer."""


def compile_package() -> None:
    """Compile PlainDesk's modules, as an installed program has them. With PYTHONDONTWRITEBYTECODE set
    Python never writes them, and every launch would compile the whole package again (~150 ms)."""
    import compileall

    compileall.compile_dir(Path(__file__).resolve().parent.parent / "tui", quiet=1)


class Terminal:
    """A program on a pseudo-terminal of a given size; collects everything it writes."""

    def __init__(
        self, command: list[str], size: tuple[int, int] = (160, 50), env: dict | None = None
    ) -> None:
        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])}
        environment.pop("NO_COLOR", None)
        environment.update(env or {})
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=environment,
            start_new_session=True,
            # The terminal is the program's controlling terminal, as over SSH: if the benchmark dies, the
            # hangup ends the program rather than leaving it spinning on a closed terminal.
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(follower)
        self.output = bytearray()

    def read(self, seconds: float) -> None:
        """Collect output for `seconds`."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.leader], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.leader, 65536)
                except OSError:
                    return

    def text(self, since: int = 0) -> bytes:
        """What reached the screen after byte `since`, without escape sequences."""
        return ANSI.sub(b"", bytes(self.output[since:])).replace(b"\r", b"")

    def wait_for(self, pattern: bytes | re.Pattern, since: int = 0, timeout: float = 60) -> float:
        """The moment `pattern` (bytes or a regex) appears in the text written after byte `since`."""
        start = time.perf_counter()
        checked = since
        while time.perf_counter() - start < timeout:
            # Look again only at what is new (with some overlap for a match split across reads).
            text = self.text(max(since, checked - 4096))
            if pattern.search(text) if isinstance(pattern, re.Pattern) else pattern in text:
                return time.perf_counter()
            checked = len(self.output)
            self.read(0.002)
        raise TimeoutError(f"{pattern!r} did not appear within {timeout} s")

    def send(self, keys: bytes) -> None:
        os.write(self.leader, keys)

    def key(self, keys: bytes, pattern: bytes | re.Pattern, timeout: float = 60) -> float:
        """Send `keys`; milliseconds until the screen shows `pattern`."""
        since = len(self.output)
        sent = time.perf_counter()
        self.send(keys)
        return (self.wait_for(pattern, since, timeout) - sent) * 1000

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self.leader)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
