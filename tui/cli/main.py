"""The `plaindesk` command line. Only the console and kiosk commands import Textual, inside themselves."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import click

from tui import __version__
from tui.cli.context import EXIT_BAD_INPUT, PlainDeskGroup, Session, common_options, fail, progress_printer
from tui.config import ConfigError, find_config, load_config
from tui.store import open_store
from tui.store.migrations import SCHEMA_VERSION


@click.group(
    cls=PlainDeskGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    lazy={
        "ticket": "tui.cli.ticket:ticket",
        "sla": "tui.cli.sla:sla_group",
        "plain": "tui.cli.plain:plain_group",
        "report": "tui.cli.report:report",
        "export": "tui.cli.transfer:export_command",
        "import": "tui.cli.transfer:import_command",
    },
)
@click.option(
    "--db",
    "db_path",
    envvar="PLAINDESK_DB",
    metavar="PATH",
    help="Database file to use instead of the configured one ($PLAINDESK_DB).",
)
@click.option(
    "--config",
    "config_path",
    envvar="PLAINDESK_CONFIG",
    metavar="PATH",
    help="Config file to use ($PLAINDESK_CONFIG).",
)
@click.version_option(__version__, prog_name="plaindesk")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, config_path: str | None) -> None:
    """PlainDesk: the help desk in your terminal. With no command, opens the agent console."""
    session = ctx.ensure_object(Session)
    session.db_path, session.config_path = db_path, config_path
    if ctx.invoked_subcommand is None:
        _run_console(session)


FRAMES_PER_SECOND = 120
"""The most frames Textual paints in a second. At its default of 60, a key pressed soon after a frame
waited for the next slot: 8 ms on average and up to 17, on top of the work. Frames are painted only
when something changed, so the higher cap costs nothing while the screen is still."""


def before_textual() -> None:
    """Settings Textual reads when it is first imported (a person's own TEXTUAL_FPS wins)."""
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))


def _run_console(session: Session, open_ticket: int | None = None) -> None:
    desk = session.desk()
    if open_ticket is not None:
        desk.ticket(open_ticket)  # a wrong number is said here, plainly, before the screen opens
    before_textual()
    from tui.app import PlainDeskApp  # Textual loads only for the screens, never for headless commands

    PlainDeskApp(desk, open_ticket).run()


@cli.command("open")
@click.argument("ticket", type=str)
@common_options
def open_command(session: Session, ticket: str) -> None:
    """Open the console with TICKET (a number such as 1042 or #1042) already open."""
    number = ticket.strip().lstrip("#")
    if not number.isdigit():
        raise click.BadParameter(
            f"'{ticket}' is not a ticket number; write it like 1042.", param_hint="TICKET"
        )
    _run_console(session, int(number))


@cli.command("kiosk")
@common_options
def kiosk(session: Session) -> None:
    """Open the walk-up "Genius Bar" kiosk."""
    config = session.config()
    store = session.store()
    before_textual()
    from tui.kiosk.kiosk_app import KioskApp

    KioskApp(store, config, terminal_name(), log_file=kiosk_log()).run()


def terminal_name() -> str:
    """Which kiosk this is, for its rate limits: the SSH client's address, else the terminal device."""
    client = os.environ.get("SSH_CLIENT", "").split()
    if client:
        return f"ssh:{client[0]}"
    try:
        return f"tty:{os.ttyname(0)}"
    except OSError:
        return "local"


def kiosk_log() -> Path:
    """Where the kiosk writes errors for IT (the visitor sees only an apology)."""
    from platformdirs import user_log_dir

    folder = Path(user_log_dir("plaindesk"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "kiosk.log"


@cli.command("announce")
@click.argument("title")
@click.option(
    "--kind", type=click.Choice(["outage", "training", "notice"]), default="notice", show_default=True
)
@click.option("--body", default="", help="More words, shown under the title.")
@click.option("--starts", help="When it starts, e.g. 2026-11-23T09:00 (default: now).")
@click.option(
    "--ends", required=True, help="When it ends, e.g. 2026-11-23T17:00 (desk timezone unless given)."
)
@common_options
def announce_command(
    session: Session, title: str, kind: str, body: str, starts: str | None, ends: str
) -> None:
    """Show TITLE on the kiosk's welcome screen from --starts until --ends."""
    from zoneinfo import ZoneInfo

    from tui.kiosk_desk import KioskError, announce

    config = session.config()
    zone = ZoneInfo(config.timezone)
    now = datetime.now(UTC)
    start = _moment(starts, zone, "--starts") if starts else now
    end = _moment(ends, zone, "--ends")
    desk = session.desk()
    try:
        number = announce(session.store(), kind, title, body, start, end, desk.actor.name, now)
    except KioskError as error:
        raise click.BadParameter(str(error)) from None
    click.echo(
        f"Announcement {number} shows from {start.astimezone(zone):%a %d %b %H:%M} to {end.astimezone(zone):%a %d %b %H:%M}."
    )


def _moment(text: str, zone, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"'{text}' is not a time; write it like 2026-11-23T17:00.", param_hint=option
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


@cli.command("demo")
@click.option(
    "--tickets",
    type=click.IntRange(0, 5_000_000),
    default=400,
    show_default=True,
    help="How many tickets to create.",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Same seed, same database.")
@click.option("--force", is_flag=True, help="Replace the database file if it exists.")
@common_options
def demo(session: Session, tickets: int, seed: int, force: bool) -> None:
    """Create a realistic demo database (requesters, threads, SLAs, walk-up visits)."""
    from tui.demo import DemoError, build_demo

    path = session.database_path()
    if path.exists() and not force:
        fail(
            f"{path} already exists. Use --force to replace it, or --db to choose another file.",
            EXIT_BAD_INPUT,
        )
    try:
        summary = build_demo(
            path,
            session.config(),
            tickets=tickets,
            seed=seed,
            progress=progress_printer("Creating demo tickets"),
        )
    except DemoError as error:
        fail(str(error), EXIT_BAD_INPUT)
    click.echo(f"Created {path}: {summary}")


@cli.group("config")
def config_group() -> None:
    """Check the configuration."""


@config_group.command("check")
@common_options
def config_check(session: Session) -> None:
    """Check config.yaml and print every problem with its line; exit 2 if there are any."""
    path = find_config(session.config_path)
    try:
        config = load_config(path)
    except ConfigError as error:
        fail(error.report(), EXIT_BAD_INPUT)
    click.echo(
        f"{path}: OK - {len(config.agents)} agents, {len(config.groups)} groups, "
        f"{len(config.categories)} categories, {len(config.priorities)} priorities, "
        f"{len(config.statuses)} statuses, {len(config.calendars)} calendars, "
        f"{len(config.sla)} SLA policies."
    )


@cli.group("db")
def db_group() -> None:
    """Upgrade or back up the database."""


@db_group.command("upgrade")
@common_options
def db_upgrade(session: Session) -> None:
    """Upgrade an older database to this version of PlainDesk (a backup is taken first)."""
    settings = session.config().database
    store = open_store(
        session.database_path(),
        busy_timeout_ms=settings.busy_timeout_ms,
        wal_size_limit_mb=settings.wal_size_limit_mb,
        create=False,
        progress=progress_printer("Upgrading"),
    )
    session.closers.append(store.close)
    if store.upgraded is None:
        click.echo(f"{store.path} is already up to date (schema {SCHEMA_VERSION}).")
    else:
        old, backup = store.upgraded
        click.echo(
            f"Upgraded {store.path} from schema {old} to {SCHEMA_VERSION}; the old version is saved "
            f"as {backup}."
        )


@db_group.command("backup")
@click.option(
    "--to",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the copy (default: beside the database, with the time in its name).",
)
@common_options
def db_backup(session: Session, target: Path | None) -> None:
    """Copy the live database safely, while agents keep working."""
    store = session.store(create=False)
    written = store.backup(target, progress_printer("Backing up"))
    click.echo(f"Backed up {store.path} to {written}.")


def main() -> None:
    cli(prog_name="plaindesk")
