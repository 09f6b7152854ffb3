"""Shared fixtures: a config that maps the real login, a store on a real SQLite file, a signed-in Desk,
a frozen clock, and the installed `plaindesk` command run as a subprocess."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.config import Config, load_config
from tui.identity import current_login, sign_in
from tui.store import Store, open_store
from tui.workflow import Desk

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO / "config.yaml"
SCHEMA_V1 = Path(__file__).resolve().parent / "fixtures" / "schema_v1.sql"
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
"""A Monday, 10:00 UTC (11:00 is not yet British Summer Time): inside office hours."""


def config_text(login: str | None = None, **replacements: str) -> str:
    """The documented default config with `login` (default: the real login) in asha's place.

    `replacements` maps text of the default config to what it becomes, e.g. to make it wrong.
    """
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    assert "login: asha " in text
    text = text.replace("login: asha ", f"login: {login or current_login()} ", 1)
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


async def settle(pilot) -> None:
    """Let every worker finish and every message it posted be handled (Pilot tests and snapshots)."""
    await pilot.pause()
    while pilot.app.workers:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture(autouse=True, scope="session")
def holiday_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Public holidays remembered in a folder of the test run's own, never the user's cache."""
    from tui.sla import public_holidays

    folder = tmp_path_factory.mktemp("cache")
    os.environ["PLAINDESK_CACHE"] = str(folder)  # commands run as subprocesses share it
    public_holidays.forget()
    yield folder
    public_holidays.forget()


def write_config(folder: Path, text: str, name: str = "config.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


class FrozenClock:
    """A clock for Desk(now=...) that moves only when told to."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The default config, with the current login as asha's entry (a lead)."""
    return write_config(tmp_path, config_text())


@pytest.fixture
def config(config_file: Path) -> Config:
    return load_config(config_file)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.db"


@pytest.fixture
def store(db_path: Path, config: Config) -> Iterator[Store]:
    opened = open_store(
        db_path,
        busy_timeout_ms=config.database.busy_timeout_ms,
        wal_size_limit_mb=config.database.wal_size_limit_mb,
    )
    yield opened
    opened.close()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def desk(store: Store, config: Config, clock: FrozenClock) -> Desk:
    """The current login, signed in as the lead Asha Patel, on a frozen clock."""
    return Desk(store, config, sign_in(store, config), now=clock)


_DEFAULT = object()


@pytest.fixture
def run_cli(tmp_path: Path, config_file: Path, db_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run the real installed command line: python -m tui --config CONFIG --db DB ARGS.

    `config=None` or `db=None` leaves that option out (to test the environment variables); `env` adds
    variables. PLAINDESK_* from the caller's environment never leak in, and the per-user data folder
    points into tmp_path, so a test can never touch a real desk.
    """

    def run(
        *args: str,
        input: str | None = None,
        config: object = _DEFAULT,
        db: object = _DEFAULT,
        env: dict[str, str] | None = None,
        timeout: float = 60,
        terminal: bool = False,
    ) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "tui"]
        config = config_file if config is _DEFAULT else config
        db = db_path if db is _DEFAULT else db
        if config is not None:
            command += ["--config", str(config)]
        if db is not None:
            command += ["--db", str(db)]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("PLAINDESK_")}
        environment.update(XDG_DATA_HOME=str(tmp_path / "xdg-data"), NO_COLOR="1", PYTHONIOENCODING="utf-8")
        environment.update(env or {})
        command += [str(arg) for arg in args]
        if terminal:
            return _in_terminal(command, environment, tmp_path, timeout)
        return subprocess.run(
            command,
            input=input,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=environment,
            timeout=timeout,
        )

    return run


def _in_terminal(
    command: list[str], env: dict[str, str], cwd: Path, timeout: float
) -> subprocess.CompletedProcess:
    """Run with stdout and stderr on a pseudo-terminal, as a person sees it: click strips some escape
    sequences when output goes to a pipe, never on a terminal. stdout holds both streams."""
    import pty

    env = {**env, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, cwd=cwd, env=env
    )
    os.close(follower)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise subprocess.TimeoutExpired(command, timeout, bytes(output))
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the command closed the terminal
                break
            if not chunk:
                break
            output += chunk
        code = process.wait(timeout=timeout)
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
            process.wait()
    return subprocess.CompletedProcess(command, code, output.decode("utf-8", "replace"), "")


@pytest.fixture
def other_desk(store: Store, config: Config, clock: FrozenClock) -> Desk:
    """Another agent (Tom) on the same database file, as a second console or the CLI would be."""
    return Desk(store, config, sign_in(store, config, "tom"), now=clock)
