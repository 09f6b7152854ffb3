"""Cleaning text people type, so it is stored as words and never reaches a terminal as control codes."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls, DEL, and the bidi overrides that can disguise text; newline and tab are kept.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


def clean_text(text: str) -> str:
    """Text as a person meant it: escape sequences and control characters removed, newlines kept.

    Escape sequences are removed whole, so `ESC[31m` leaves nothing behind rather than `[31m`.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI.sub("", text)
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


def clean_line(text: str) -> str:
    """One line of text (a subject, a name): whitespace runs, newlines included, become one space."""
    return " ".join(clean_text(text).split())
