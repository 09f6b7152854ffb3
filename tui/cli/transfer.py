"""`plaindesk export` and `plaindesk import`: tickets to and from JSON lines or CSV (tui.transfer)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import click

from tui.cli.context import EXIT_BAD_INPUT, Session, common_options, fail, progress_printer
from tui.transfer import TransferError, export_tickets, import_tickets


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="jsonl: everything, one ticket a line; csv: one row per ticket, without messages and history.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (default: standard output).",
)
@common_options
def export_command(session: Session, fmt: str, output: Path | None) -> None:
    """Write every ticket with its messages and history, to standard output or --output."""
    desk = session.desk(create=False)
    progress = progress_printer("Exporting")
    if output is None:
        export_tickets(desk.store, sys.stdout, fmt, progress)
        return
    # Written beside the target and moved into place at the end: an interrupted export leaves no half file.
    partial = output.with_name(output.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            count = export_tickets(desk.store, handle, fmt, progress)
        os.replace(partial, output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        fail(f"Cannot write {output}: {error.strerror}.", EXIT_BAD_INPUT)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    click.echo(f"Exported {count} tickets to {output}.", err=True)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    help="jsonl: a PlainDesk export; csv: a ticket CSV (columns: docs/reports.md). "
    "Default: from the file's name or first character.",
)
@common_options
def import_command(session: Session, file: str, fmt: str | None) -> None:
    """Import tickets from FILE (- for standard input); nothing is imported if any row is wrong."""
    desk = session.desk()
    spooled = None
    if file == "-":
        # Checked in one pass and written in another: standard input is kept in a file in between.
        with tempfile.NamedTemporaryFile(
            "w", suffix=f".{fmt or 'jsonl'}", delete=False, encoding="utf-8"
        ) as out:
            shutil.copyfileobj(sys.stdin, out)
        spooled = path = Path(out.name)
    else:
        path = Path(file)
    try:
        result = import_tickets(
            desk.store, desk.config, path, fmt, importer=desk.actor, progress=progress_printer("Importing")
        )
    except TransferError as error:
        fail(str(error), EXIT_BAD_INPUT)
    finally:
        if spooled:
            spooled.unlink(missing_ok=True)
    click.echo(f"Imported {result.tickets} tickets from {file} ({result.format}).")
    if result.ignored_columns:
        click.echo(f"Ignored columns PlainDesk does not use: {', '.join(result.ignored_columns)}.")
    if result.renumbered:
        click.echo("The database already had messages, so the imported ones were numbered anew.")
