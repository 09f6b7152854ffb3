"""`plaindesk plain check`: run the plain-language checker over a reply, a canned answer or a guide."""

from __future__ import annotations

import json
import sys

import click

from tui.cli.context import Session, common_options
from tui.plain.checker import checker_for
from tui.text import clean_line, clean_text


@click.group("plain")
def plain_group() -> None:
    """The plain-language checker."""


@plain_group.command("check")
@click.argument("source", default="-", metavar="[FILE|-]")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--kind",
    type=click.Choice(["reply", "text"]),
    default="reply",
    show_default=True,
    help="reply: also check greeting, next steps; text: a guide or screen text.",
)
@common_options
def check(session: Session, source: str, as_json: bool, kind: str) -> None:
    """Print jargon, tone and other problems in FILE (or standard input); exit 1 if there are any."""
    if source == "-":
        text = sys.stdin.read()
    else:
        try:
            with open(source, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as error:
            raise click.BadParameter(f"cannot read {source}: {error.strerror}", param_hint="FILE") from None
        except UnicodeDecodeError:
            raise click.BadParameter(f"{source} is not UTF-8 text", param_hint="FILE") from None
    text = clean_text(text)
    findings = checker_for(session.config().plain).check(text, kind=kind)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "start": f.start,
                        "end": f.end,
                        "text": f.text,
                        "category": f.category,
                        "message": f.message,
                        "suggestions": list(f.suggestions),
                        "severity": f.severity,
                        "rule": f.rule,
                        "scope": f.scope,
                    }
                    for f in findings
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for f in findings:
            if f.scope == "span":
                line = text.count("\n", 0, f.start) + 1
                column = f.start - (text.rfind("\n", 0, f.start) + 1) + 1
                where = f"{line}:{column}"
            else:
                where = "reply"
            hint = f" Try: {clean_line(f.suggestions[0])!r}." if f.suggestions else ""
            click.echo(f"{where} {f.category}: {clean_line(f.message)}{hint}")
        if not findings:
            click.echo("No problems found.")
    sys.exit(1 if findings else 0)
