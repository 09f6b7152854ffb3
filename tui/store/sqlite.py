"""Everything SQLite-specific: opening with the right pragmas, write locks, full-text search, backups.

The rest of the store goes through Peewee's query builder, so a PostgreSQL backend replaces this module.
"""

from __future__ import annotations

import binascii
import contextlib
import fcntl
import os
import re
import sqlite3
import sys
import threading
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from peewee import OperationalError, SqliteDatabase

NETWORK_FILESYSTEMS = (
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smb3",
    "smbfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.sshfs",
    "fuse.glusterfs",
    "fuse.cephfs",
    "lustre",
    "gpfs",
    "davfs",
    "fuse.rclone",
)


def make_database(path: Path, busy_timeout_ms: int, wal_size_limit_mb: int) -> SqliteDatabase:
    """A Peewee database for `path` that sets our pragmas on every new connection."""
    return SqliteDatabase(
        str(path),
        timeout=busy_timeout_ms / 1000,
        pragmas=(
            ("busy_timeout", busy_timeout_ms),  # first, so the pragmas below wait for a busy writer too
            ("journal_mode", "wal"),  # readers never block the writer, and the writer never blocks them
            ("synchronous", "full"),  # a reply an agent saw saved survives a power cut
            ("foreign_keys", 1),
            ("journal_size_limit", wal_size_limit_mb * 1024 * 1024),
            # 4 MB page cache per connection: a console opens one per worker thread (tui.app keeps
            # three), and at 32 MB each a console on a million tickets held three times the memory of
            # one on a thousand; the operating system caches the file for every process anyway.
            ("cache_size", -4_000),
        ),
    )


def write_transaction(db: SqliteDatabase) -> AbstractContextManager:
    """A write transaction that takes the write lock before its first read.

    A deferred BEGIN that reads and then writes cannot be retried by SQLite's busy handler when another
    writer got in first; it fails at once with "database is locked". BEGIN IMMEDIATE waits instead.
    Only the outermost atomic() chooses the lock type; nested ones become savepoints.
    """
    return db.atomic("IMMEDIATE")


def file_kind(path: Path) -> str:
    """'missing', 'empty', 'sqlite' or 'other', from the file's first bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return "missing"
    if not head:
        return "empty"
    return "sqlite" if head == b"SQLite format 3\x00" else "other"


def filesystem_type(path: Path) -> str | None:
    """The type of the filesystem that holds `path` (Linux /proc/mounts), or None if unknown."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best, kind = "", None
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, parts[2]
    return kind


def peek(path: Path) -> tuple[list[str], dict[str, str]]:
    """(table names, meta facts) of an existing file, read through a read-only connection.

    Runs before the real connection, whose pragmas (WAL mode) would change another program's file.

    Raises:
        sqlite3.DatabaseError: the file is not a usable SQLite database.
    """
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        facts = dict(connection.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
    finally:
        connection.close()
    return tables, facts


def looks_networked(path: Path) -> str | None:
    """The filesystem type when `path` sits on a network filesystem, where SQLite locking is unsafe."""
    kind = filesystem_type(path.parent if not path.exists() else path)
    if kind and (kind in NETWORK_FILESYSTEMS or kind.startswith(("nfs", "smb", "cifs"))):
        return kind
    return None


def create_shared_file(path: Path, group: str = "") -> None:
    """Create an empty database file readable and writable by its group (and owned by `group`).

    Raises:
        FileExistsError: another process created it first (harmless: it is then used as is).
        KeyError: no such Unix group.
    """
    gid = -1
    if group:
        import grp

        gid = grp.getgrnam(group).gr_gid
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o660)
    except FileExistsError:
        return
    try:
        os.fchmod(handle, 0o660)  # the umask may have taken the group's write bit away
        if gid != -1:
            os.fchown(handle, -1, gid)
    finally:
        os.close(handle)


# -- full-text search (FTS5) ------------------------------------------------------------------------

FTS_DDL = [
    # One row per subject (rowid = -ticket id) and per message (rowid = message id), so keeping it in
    # step is a lookup by rowid, never a scan.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
    "ticket_id UNINDEXED, text, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS search_ticket_insert AFTER INSERT ON ticket BEGIN "
    "INSERT INTO search_index(rowid, ticket_id, text) VALUES (-new.id, new.id, new.subject); END",
    "CREATE TRIGGER IF NOT EXISTS search_ticket_subject AFTER UPDATE OF subject ON ticket BEGIN "
    "DELETE FROM search_index WHERE rowid = -old.id; "
    "INSERT INTO search_index(rowid, ticket_id, text) VALUES (-new.id, new.id, new.subject); END",
    "CREATE TRIGGER IF NOT EXISTS search_ticket_delete AFTER DELETE ON ticket BEGIN "
    "DELETE FROM search_index WHERE rowid = -old.id; END",
    "CREATE TRIGGER IF NOT EXISTS search_message_insert AFTER INSERT ON message BEGIN "
    "INSERT INTO search_index(rowid, ticket_id, text) VALUES (new.id, new.ticket_id, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_message_delete AFTER DELETE ON message BEGIN "
    "DELETE FROM search_index WHERE rowid = old.id; END",
]

# The history is append-only: SQLite itself refuses to change or delete a recorded event.
HISTORY_DDL = [
    "CREATE TRIGGER IF NOT EXISTS event_no_update BEFORE UPDATE ON event BEGIN "
    "SELECT RAISE(ABORT, 'the ticket history is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS event_no_delete BEFORE DELETE ON event BEGIN "
    "SELECT RAISE(ABORT, 'the ticket history is append-only'); END",
]

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """Turn whatever a person typed into a safe FTS5 query, or None when it holds no words.

    Every word becomes a quoted string, so AND, NOT, NEAR, quotes, brackets and `col:` prefixes are
    searched for as text instead of being read as query syntax. Words joined by punctuation
    (covid-19, jo.smith) become a phrase; the last word matches as a prefix for search-as-you-type.
    """
    terms = []
    chunks = text.split()
    for i, chunk in enumerate(chunks):
        words = _WORD.findall(chunk)
        if not words:
            continue
        phrase = '"' + " ".join(words).replace('"', '""') + '"'
        if i == len(chunks) - 1 and len(words) == 1:
            phrase += "*"
        terms.append(phrase)
    return " ".join(terms) if terms else None


def search_sql() -> tuple[str, str]:
    """Two queries yielding matching ticket ids: subjects (rowid < 0), then messages, newest first."""
    return (
        "SELECT ticket_id FROM search_index WHERE search_index MATCH ? AND rowid < 0 ORDER BY rowid LIMIT ?",
        "SELECT ticket_id FROM search_index WHERE search_index MATCH ? AND rowid > 0 "
        "ORDER BY rowid DESC LIMIT ?",
    )


STOP_EVERY = 100_000
"""packed_ids asks whether to stop after this many steps of SQLite's virtual machine (a few milliseconds)."""
_DECODE_AT_ONCE = 1 << 20
"""Hex digits decoded between two chances for other threads to run (64k ids, under a millisecond)."""


def packed_ids(
    db: SqliteDatabase, sql: str, params: Sequence[object], stop: Callable[[], bool] | None = None
) -> array | None:
    """The ids `sql` (a SELECT of one `id` column, ordered) returns, in its order; None when `stop()`
    turned true first.

    Fetching a million ids row by row holds Python's interpreter lock for most of half a second, and
    every key the console handles meanwhile waits for it. Here SQLite writes them all as one string of
    16 hex digits per id, in its own code and without the lock, and Python decodes it in slices. The
    outer query only scans the ordered subquery, so the order is the subquery's.
    """
    connection = db.connection()
    stopped = False

    def ask() -> int:
        nonlocal stopped
        stopped = stop()
        return 1 if stopped else 0  # not 0: SQLite interrupts the query

    if stop is not None:
        connection.set_progress_handler(ask, STOP_EVERY)
    try:
        packed = db.execute_sql(
            f"SELECT CAST(group_concat(printf('%016x', id), '') AS BLOB) FROM ({sql})", params
        ).fetchone()[0]
    except OperationalError:
        if stopped:
            return None  # the read transaction goes on: only this query was interrupted
        raise
    finally:
        if stop is not None:
            connection.set_progress_handler(None, 0)
    ids = array("q")
    hex_digits = memoryview(packed or b"")
    for start in range(0, len(hex_digits), _DECODE_AT_ONCE):
        part = array("q", binascii.unhexlify(hex_digits[start : start + _DECODE_AT_ONCE]))
        if sys.byteorder == "little":
            part.byteswap()  # printf wrote each id most significant digit first
        ids.extend(part)
        if stop is not None and stop():
            return None
    return ids


def backup(db: SqliteDatabase, target: Path, progress: Callable[[int, int], None] | None = None) -> None:
    """A consistent copy of the live database, taken while others keep working (SQLite backup API)."""
    source = db.connection()
    destination = sqlite3.connect(str(target))
    try:

        def step(status: int, remaining: int, total: int) -> None:
            if progress:
                progress(total - remaining, total)

        source.backup(destination, pages=1024, progress=step)
    finally:
        destination.close()


def rebuild_search_index(
    db: SqliteDatabase, progress: Callable[[int, int], None] | None = None, step: int = 20_000
) -> None:
    """Create the search index and its triggers if missing, and fill it from every subject and message,
    in steps of `step` rows so a long upgrade can show its progress."""
    for statement in FTS_DDL:
        db.execute_sql(statement)
    db.execute_sql("DELETE FROM search_index")
    sources = [("ticket", "-id, id, subject"), ("message", "id, ticket_id, body")]
    tops = {
        table: db.execute_sql(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        for table, _ in sources
    }
    total, done = sum(tops.values()), 0
    for table, columns in sources:
        for low in range(0, tops[table], step):
            db.execute_sql(
                f"INSERT INTO search_index(rowid, ticket_id, text) SELECT {columns} FROM {table} "
                "WHERE id > ? AND id <= ?",
                (low, low + step),
            )
            done += min(step, tops[table] - low)
            if progress:
                progress(done, total)


@contextmanager
def bulk_load(db: SqliteDatabase, tables: list[str]) -> Iterator[None]:
    """Load a new, private database fast: secondary indexes are built once at the end, and the search
    index is filled by the loader (index_for_search) instead of a trigger per row.

    Only for a file nobody else has open yet (the demo builds in a side file): sorting once is far
    cheaper than updating every index row by row.
    """
    marks = ", ".join("?" * len(tables))
    saved = db.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    for name, _ in saved:
        db.execute_sql(f'DROP INDEX "{name}"')
    for (trigger,) in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%'"
    ).fetchall():
        db.execute_sql(f'DROP TRIGGER "{trigger}"')
    yield
    with db.atomic():
        for _, sql in saved:
            db.execute_sql(sql)
        for statement in FTS_DDL:
            db.execute_sql(statement)


def index_for_search(db: SqliteDatabase, first_ticket: int, after_message: int) -> None:
    """Add tickets from `first_ticket` on and messages after id `after_message` to the search index."""
    db.execute_sql(
        "INSERT INTO search_index(rowid, ticket_id, text) SELECT -id, id, subject FROM ticket WHERE id >= ?",
        (first_ticket,),
    )
    db.execute_sql(
        "INSERT INTO search_index(rowid, ticket_id, text) SELECT id, ticket_id, body FROM message "
        "WHERE id > ?",
        (after_message,),
    )


class ChangeWatcher:
    """Tells whether any connection has written to the database since the last look.

    `PRAGMA data_version` changes when another connection commits, costs microseconds, and reads no
    table, so every console can ask every second. The watcher keeps its own read-only connection: the
    number is only comparable on one connection.
    """

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._last = self._version()

    def _version(self) -> int:
        return self._connection.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        version = self._version()
        changed, self._last = version != self._last, version
        return changed

    def close(self) -> None:
        self._connection.close()


class WriteGate:
    """Writers queue here, first come first served, across threads and processes, before SQLite's
    write lock.

    SQLite's own busy handler sleeps longer and longer (up to 100 ms) between tries, and lets whoever
    tries at the right moment in first: with ten busy writers one could wait a second while others got
    in again and again. Here each writer takes a numbered ticket (a counter in a lock file, under
    flock) and holds a POSIX lock on the byte with its number until it has committed; it waits for
    the byte of the writer before it to be free, so writers go in the order they arrived. A writer
    that dies frees its byte with it, so nobody waits on a dead process. A writer that waits past
    the busy timeout goes on and lets SQLite's busy handler decide; if the lock file cannot be used
    (a read-only folder, a network filesystem without locks), writers rely on SQLite alone.
    """

    _SLOTS = 1 << 20
    """Ticket numbers wrap here; each is a byte offset past the counter."""
    _COUNTER = 8

    def __init__(self, path: Path, timeout_ms: int) -> None:
        self._path = path.with_name(path.name + "-writer.lock")
        self._database = path
        self._timeout = timeout_ms / 1000
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._usable = True
        self._slot: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        if not self._thread_lock.acquire(timeout=self._timeout):
            yield  # SQLite's busy timeout decides, and says so
            return
        try:
            if self._depth == 0:
                self._lock_file()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._unlock_file()
        finally:
            self._thread_lock.release()

    def _lock_file(self) -> None:
        if not self._usable:
            return
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o660)
                self._share(self._fd)
            fd = self._fd
            fcntl.flock(fd, fcntl.LOCK_EX)  # held for a read and a write of eight bytes
            try:
                number = int.from_bytes(os.pread(fd, 8, 0).ljust(8, b"\0"), "little")
                os.pwrite(fd, ((number + 1) % self._SLOTS).to_bytes(8, "little"), 0)
                self._slot = number
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, self._COUNTER + number)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
            self._wait_for((number - 1) % self._SLOTS)
        except OSError:
            self._usable = False

    def _share(self, fd: int) -> None:
        """Every agent who may write the database must be able to write its lock file too: the
        database's group and mode 0660 (the umask may have taken the group's write bit away)."""
        with contextlib.suppress(OSError):
            if os.fstat(fd).st_uid == os.geteuid():
                os.fchmod(fd, 0o660)
                os.fchown(fd, -1, os.stat(self._database).st_gid)

    def _wait_for(self, before: int) -> None:
        """Until the writer with ticket `before` has finished (its byte is free), or the timeout."""
        deadline = time.monotonic() + self._timeout
        pause = 0.0002
        while True:
            try:
                fcntl.lockf(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, self._COUNTER + before)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return  # let SQLite's busy handler report the busy database
                time.sleep(pause)
                pause = min(pause * 2, 0.001)
                continue
            fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, self._COUNTER + before)
            return

    def _unlock_file(self) -> None:
        if self._fd is not None and self._usable and self._slot is not None:
            try:
                fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, self._COUNTER + self._slot)
            except OSError:
                self._usable = False
            self._slot = None
