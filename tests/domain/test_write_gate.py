"""The write gate: writers in other processes go in the order they arrived, and a writer that dies
does not keep anyone waiting."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

from tui.store.sqlite import WriteGate


def _write(path: str, name: str, hold: float, log: str) -> None:
    gate = WriteGate(Path(path), timeout_ms=10_000)
    with gate.held():
        with open(log, "a") as file:
            file.write(name + "\n")
        time.sleep(hold)


def _numbers_taken(db: Path) -> int:
    """The write gate's counter: how many writers have taken a number so far."""
    return int.from_bytes(db.with_name(db.name + "-writer.lock").read_bytes()[:8].ljust(8, b"\0"), "little")


def _die_holding(path: str, ready: str) -> None:
    gate = WriteGate(Path(path), timeout_ms=10_000)
    with gate.held():
        Path(ready).write_text("holding")
        time.sleep(30)


def test_writers_enter_in_the_order_they_asked(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    db, log = tmp_path / "desk.db", tmp_path / "order.log"
    first = context.Process(target=_write, args=(str(db), "first", 3.0, str(log)))
    first.start()
    while not log.exists():
        time.sleep(0.01)
    waiting = []
    for taken, name in enumerate(("second", "third", "fourth", "fifth"), start=2):
        process = context.Process(target=_write, args=(str(db), name, 0.05, str(log)))
        process.start()
        waiting.append(process)
        # The next one starts once this one holds its number: on a busy machine a process can take
        # longer to start than the one after it.
        while _numbers_taken(db) < taken:
            time.sleep(0.01)
    for process in [first, *waiting]:
        process.join(20)
    assert log.read_text().split() == ["first", "second", "third", "fourth", "fifth"]


def test_a_writer_that_dies_holding_the_gate_lets_the_next_in(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    db, ready, log = tmp_path / "desk.db", tmp_path / "ready", tmp_path / "order.log"
    holder = context.Process(target=_die_holding, args=(str(db), str(ready)))
    holder.start()
    while not ready.exists():
        time.sleep(0.01)
    waiter = context.Process(target=_write, args=(str(db), "next", 0, str(log)))
    waiter.start()
    time.sleep(0.3)
    assert not log.exists()  # still waiting for the holder
    started = time.monotonic()
    os.kill(holder.pid, 9)
    waiter.join(10)
    assert log.read_text().split() == ["next"]
    assert time.monotonic() - started < 2


def test_the_same_process_may_enter_again_inside_its_own_write(tmp_path: Path) -> None:
    gate = WriteGate(tmp_path / "desk.db", timeout_ms=1000)
    with gate.held(), gate.held():
        pass
    with gate.held():
        pass


def test_the_lock_file_can_be_written_by_the_database_group(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    db.write_bytes(b"")
    old = os.umask(0o027)  # a umask that takes the group's write bit away
    try:
        with WriteGate(db, timeout_ms=1000).held():
            pass
    finally:
        os.umask(old)
    lock = tmp_path / "desk.db-writer.lock"
    assert lock.stat().st_mode & 0o777 == 0o660
    assert lock.stat().st_gid == db.stat().st_gid
