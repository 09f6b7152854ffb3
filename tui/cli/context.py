"""What every command shares: finding the config and the database, signing in, and exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from tui.config import Config, ConfigError, find_config, load_config
from tui.identity import NotAnAgent, sign_in
from tui.store import Conflict, DatabaseBusy, DatabaseUnavailable, NotFound, Store, StoreError, open_store
from tui.store.tickets import Actor
from tui.workflow import Desk, WorkflowError

EXIT_OK, EXIT_NOT_FOUND, EXIT_BAD_INPUT = 0, 1, 2


@dataclass
class Session:
    """Lazily loaded config, store and acting agent for one command."""

    config_path: str | None = None
    db_path: str | None = None
    _config: Config | None = None
    _store: Store | None = None
    _actor: Actor | None = None
    closers: list[Callable[[], None]] = field(default_factory=list)

    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(find_config(self.config_path))
        return self._config

    def database_path(self) -> Path:
        if self.db_path:
            return Path(self.db_path).expanduser()
        configured = self.config().database.path
        if configured:
            return configured
        import platformdirs

        folder = platformdirs.user_data_path("plaindesk", ensure_exists=True)
        return folder / "plaindesk.db"

    def store(self, create: bool = True, upgrade: bool = True) -> Store:
        if self._store is None:
            settings = self.config().database
            self._store = open_store(
                self.database_path(),
                busy_timeout_ms=settings.busy_timeout_ms,
                wal_size_limit_mb=settings.wal_size_limit_mb,
                shared_group=settings.shared_group,
                create=create,
                upgrade=upgrade,
                progress=progress_printer("Upgrading the database"),
            )
            self.closers.append(self._store.close)
            for warning in self._store.warnings:
                click.echo(f"Note: {warning}", err=True)
        return self._store

    def actor(self) -> Actor:
        if self._actor is None:
            self._actor = sign_in(self.store(), self.config())
        return self._actor

    def desk(self, create: bool = True) -> Desk:
        return Desk(self.store(create=create), self.config(), self.actor())

    def close(self) -> None:
        for close in self.closers:
            close()


def progress_printer(label: str) -> Callable[[int, int], None]:
    """A progress callback that draws a bar on stderr when it is a terminal."""
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)
        if done >= total:
            bar.__exit__(None, None, None)
            state.pop("bar")

    return update


def common_options(command: Callable) -> Callable:
    """--db and --config on every command (they may also be given before the command).

    The environment variables are read once, by the top-level options, so an option given before the
    command is never replaced by $PLAINDESK_DB or $PLAINDESK_CONFIG.
    """

    @click.option(
        "--db",
        "db_path",
        metavar="PATH",
        help="Database file to use instead of the configured one ($PLAINDESK_DB).",
    )
    @click.option("--config", "config_path", metavar="PATH", help="Config file to use ($PLAINDESK_CONFIG).")
    @click.pass_context
    @functools.wraps(command)
    def wrapper(ctx: click.Context, db_path: str | None, config_path: str | None, **kwargs: Any) -> Any:
        session = ctx.ensure_object(Session)
        session.db_path = db_path or session.db_path
        session.config_path = config_path or session.config_path
        return command(session, **kwargs)

    return wrapper


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print `message` to stderr and exit with `code`."""
    click.echo(message, err=True)
    sys.exit(code)


class PlainDeskGroup(click.Group):
    """Turns the errors a person can act on into a message and an exit code, never a traceback.

    `lazy` names commands by "module:attribute"; a command's module is imported only when that
    command runs (or help lists it), so opening the console never loads the report or export code.
    """

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            import importlib

            module, attribute = self.lazy[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            fail(error.report(), EXIT_BAD_INPUT)
        except (NotFound, Conflict, DatabaseBusy) as error:
            fail(str(error), EXIT_NOT_FOUND)
        except (DatabaseUnavailable, WorkflowError, NotAnAgent, StoreError) as error:
            fail(str(error), EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            fail("Interrupted; whatever was saved before stays saved.", 130)
        finally:
            session = ctx.find_object(Session)
            if session:
                session.close()


def parse_ref(text: str) -> int:
    """'#1042' or '1042' -> 1042."""
    cleaned = text.strip().lstrip("#")
    if not cleaned.isdigit() or int(cleaned) <= 0:
        raise click.BadParameter(f"'{text}' is not a ticket number; write it as 1042 or #1042.")
    return int(cleaned)
