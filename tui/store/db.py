"""Opening a PlainDesk database safely: checks, pragmas, schema version, upgrades and backups."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from peewee import Database, DatabaseError, IntegrityError, OperationalError

from tui.store import migrations, sqlite
from tui.store.errors import DatabaseBusy, DatabaseUnavailable, SchemaTooNew, StoreError
from tui.store.models import Meta, database

Progress = Callable[[int, int], None]


@dataclass
class Store:
    """An open PlainDesk database. One per process: the models are bound to it."""

    path: Path
    db: Database
    busy_timeout_ms: int
    warnings: list[str] = field(default_factory=list)
    """Things the person should know (a network filesystem, an upgrade that just ran)."""
    upgraded: tuple[int, Path] | None = None
    """(old schema version, backup file) when opening upgraded the database."""
    gate: sqlite.WriteGate | None = None
    """Where writers queue before SQLite's write lock (see WriteGate)."""

    def __post_init__(self) -> None:
        if self.gate is None:
            self.gate = sqlite.WriteGate(self.path, self.busy_timeout_ms)

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction that holds the write lock from its start; errors become StoreErrors."""
        with self.gate.held(), self.translate_errors(), sqlite.write_transaction(self.db):
            yield

    @contextmanager
    def read(self) -> Iterator[None]:
        """A consistent read (one snapshot) with errors translated."""
        with self.translate_errors(), self.db.atomic():
            yield

    @contextmanager
    def translate_errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as error:
            raise _explain(error, self.path, self.busy_timeout_ms) from None
        except IntegrityError:
            raise
        except DatabaseError as error:
            raise _explain(error, self.path, self.busy_timeout_ms) from None

    def is_demo(self) -> bool:
        with self.translate_errors():
            row = Meta.get_or_none(Meta.key == "demo")
        return bool(row and row.value == "1")

    def backup(self, target: Path | None = None, progress: Progress | None = None) -> Path:
        """Copy the live database to `target` (default: beside it, stamped with the time)."""
        if target is None:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            target = self.path.with_name(f"{self.path.name}.{stamp}.bak")
        if target.exists():
            raise DatabaseUnavailable(f"{target} already exists; choose another name for the backup.")
        try:
            with self.translate_errors():
                sqlite.backup(self.db, target, progress)
            os.chmod(target, 0o640)
        except OSError as error:
            raise DatabaseUnavailable(f"Cannot write the backup {target}: {error.strerror}.") from None
        except sqlite3.Error as error:
            raise DatabaseUnavailable(f"Cannot write the backup {target}: {error}.") from None
        return target

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def _explain(error: Exception, path: Path, busy_ms: int) -> StoreError:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            f"The database {path} stayed busy for {busy_ms / 1000:g} s (another PlainDesk "
            "process was writing). Nothing was changed; try again in a moment."
        )
    if "malformed" in text or "corrupt" in text:
        return DatabaseUnavailable(
            f"The database {path} is damaged ({error}). Stop every PlainDesk process "
            "and restore the latest backup (plaindesk db backup makes them)."
        )
    if "not a database" in text or "encrypted" in text:
        return DatabaseUnavailable(
            f"{path} is not a PlainDesk database (it is not an SQLite file). "
            "Check the path given to --db or in config.yaml."
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseUnavailable(
            f"PlainDesk cannot write to {path} (it is read-only for you). Make it "
            "group-writable (chmod g+w) and add yourself to its group; see docs/operations.md."
        )
    if "unable to open" in text or "disk i/o" in text:
        return DatabaseUnavailable(
            f"PlainDesk cannot open {path} ({error}). Check that the folder exists "
            "and that you can read and write it."
        )
    return DatabaseUnavailable(f"The database {path} gave an error: {error}.")


def _check_path(path: Path, create: bool) -> str:
    """Refuse paths that cannot work, with a message saying what to do. Returns sqlite.file_kind."""
    folder = path.parent
    if path.is_dir():
        raise DatabaseUnavailable(
            f"{path} is a folder; give the path of a database file inside it, "
            f"such as {path / 'plaindesk.db'}."
        )
    if not folder.is_dir():
        raise DatabaseUnavailable(
            f"The folder {folder} does not exist. Create it (mkdir -p {folder}) or "
            "choose another database file with --db."
        )
    try:
        kind = sqlite.file_kind(path)
    except PermissionError:
        raise DatabaseUnavailable(
            f"PlainDesk cannot read {path} (permission denied). Ask whoever runs the "
            "desk to add you to the database's group; see docs/operations.md."
        ) from None
    if kind == "other":
        raise DatabaseUnavailable(
            f"{path} is not a PlainDesk database (it is not an SQLite file). "
            "Check the path given to --db or in config.yaml; nothing was changed."
        )
    if kind == "missing" and not create:
        raise DatabaseUnavailable(
            f"There is no database at {path}. Create a demo one with "
            f"`plaindesk demo --db {path}`, or start `plaindesk` to create an empty desk."
        )
    if kind in ("sqlite", "empty") and not os.access(path, os.W_OK):
        raise DatabaseUnavailable(
            f"PlainDesk cannot write to {path} (it is read-only for you). Make it "
            "group-writable (chmod g+w) and add yourself to its group; see docs/operations.md."
        )
    if not os.access(folder, os.W_OK | os.X_OK) and not Path(f"{path}-wal").exists():
        raise DatabaseUnavailable(
            f"PlainDesk cannot write in the folder {folder}, which it needs for the "
            "database's -wal and -shm files. Make the folder group-writable."
        )
    return kind


def open_store(
    path: str | os.PathLike[str],
    *,
    busy_timeout_ms: int = 10000,
    wal_size_limit_mb: int = 64,
    shared_group: str = "",
    create: bool = True,
    upgrade: bool = True,
    progress: Progress | None = None,
) -> Store:
    """Open (or create) the database at `path` and bind the models to it.

    Raises:
        DatabaseUnavailable: the path cannot be used; the message says why and what to do.
        SchemaTooNew: a newer PlainDesk wrote it.
    """
    path = Path(path).expanduser()
    kind = _check_path(path, create)
    if kind == "sqlite":
        kind = _peek(path, upgrade)
    warnings = []
    if fs := sqlite.looks_networked(path):
        warnings.append(
            f"{path} is on a network filesystem ({fs}). SQLite's locking is not safe there and "
            "the database can be damaged: keep it on the server's local disk."
        )
    if kind == "missing":
        # Create the file group-writable before SQLite opens it: SQLite gives the -wal and -shm files
        # the database file's permissions, and every agent's process must write all three.
        try:
            sqlite.create_shared_file(path, shared_group)
        except KeyError:
            raise DatabaseUnavailable(
                f"The group '{shared_group}' (database.shared_group) does not exist; "
                "create it or fix the name in config.yaml."
            ) from None
        except OSError as error:
            raise DatabaseUnavailable(f"Cannot create {path}: {error.strerror}.") from None
    db = sqlite.make_database(path, busy_timeout_ms, wal_size_limit_mb)
    database.initialize(db)
    store = Store(path, db, busy_timeout_ms, warnings)
    try:
        with store.translate_errors():
            db.connect(reuse_if_open=True)
        if kind in ("missing", "empty"):
            with store.write():
                app, _ = migrations.read_version(db)
                if app is None:  # another process may have created it while we waited for the lock
                    migrations.create_schema(db)
        else:
            _upgrade_if_older(store, progress)
    except BaseException:
        store.close()
        raise
    return store


def _peek(path: Path, upgrade: bool) -> str:
    """Check an existing file is a PlainDesk database this program can use, without changing it.

    Returns "empty" for an SQLite file with no tables yet (another agent's process is creating the
    desk right now, or someone touched the file), else "sqlite".
    """
    try:
        tables, facts = sqlite.peek(path)
    except sqlite3.Error as error:
        raise _explain(error, path, 0) from None
    if not tables:
        return "empty"
    try:
        version = int(facts.get("schema_version", ""))
    except ValueError:
        version = None
    if facts.get("app") != migrations.APP_NAME or version is None:
        shown = ", ".join(tables[:6])
        raise DatabaseUnavailable(
            f"{path} is an SQLite database of another program ({shown}), not a "
            "PlainDesk database. Choose another file with --db; nothing was changed."
        )
    if version > migrations.SCHEMA_VERSION:
        raise SchemaTooNew(
            f"{path} was written by a newer PlainDesk (schema {version}; this program knows up "
            f"to {migrations.SCHEMA_VERSION}). Install the newer PlainDesk to use it; nothing "
            "was changed."
        )
    if version < migrations.SCHEMA_VERSION and not upgrade:
        raise DatabaseUnavailable(
            f"{path} uses an older schema ({version}); run `plaindesk db upgrade --db {path}` to upgrade it."
        )
    return "sqlite"


def _upgrade_if_older(store: Store, progress: Progress | None) -> None:
    with store.translate_errors():
        _, version = migrations.read_version(store.db)
    if version is not None and version < migrations.SCHEMA_VERSION:
        backup = upgrade_store(store, progress)
        if backup:
            store.upgraded = (version, backup)
            store.warnings.append(
                f"Upgraded the database from schema {version} to "
                f"{migrations.SCHEMA_VERSION}; the old one is saved as {backup}."
            )


def upgrade_store(store: Store, progress: Progress | None = None) -> Path | None:
    """Back the database up, then upgrade it to the current schema. Returns the backup, or None if current.

    The version is read again under the write lock, so two processes starting at once upgrade once.
    """
    with store.translate_errors():
        _, version = migrations.read_version(store.db)
    if version is None or version >= migrations.SCHEMA_VERSION:
        return None
    backup = store.backup()
    with store.write():
        _, version = migrations.read_version(store.db)
        if version is not None and version < migrations.SCHEMA_VERSION:
            migrations.upgrade(store.db, version, progress)
    return backup
