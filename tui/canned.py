"""Canned replies: ready-made answers from data/canned.yaml, with their fill-ins."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui.resources import data_dir
from tui.yaml_lines import YamlSyntaxError, load_yaml

FILL_INS = ("name", "agent", "next_update", "reference")


@dataclass(frozen=True)
class CannedReply:
    id: str
    title: str
    category: str
    body: str


class CannedError(ValueError):
    """The canned replies file cannot be used; the message names the file and entry."""


def load_canned(path: Path | None = None) -> list[CannedReply]:
    """Every canned reply in the file (default: the shipped data/canned.yaml).

    Raises:
        CannedError: the file is missing, not YAML, or an entry lacks a title or body.
    """
    path = path or data_dir() / "canned.yaml"
    try:
        data = load_yaml(path.read_text(encoding="utf-8")).data
    except OSError as error:
        raise CannedError(f"Cannot read {path}: {error.strerror}.") from None
    except YamlSyntaxError as error:
        raise CannedError(f"{path}: {error}") from None
    entries = (data or {}).get("replies") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CannedError(f"{path}: expected a list under 'replies:'.")
    replies = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not entry.get("title") or not entry.get("body"):
            raise CannedError(f"{path}: reply {number} needs a title and a body.")
        replies.append(
            CannedReply(
                str(entry.get("id") or number),
                str(entry["title"]),
                str(entry.get("category") or "other"),
                str(entry["body"]),
            )
        )
    return replies


def fill(body: str, **values: str) -> str:
    """The body with {name}, {agent}, {next_update} and {reference} filled in.

    Plain replacement rather than str.format, so braces in a person's name cannot break it; a fill-in
    with no value stays as written for the agent to complete.
    """
    for key in FILL_INS:
        if values.get(key):
            body = body.replace("{" + key + "}", values[key])
    return body
