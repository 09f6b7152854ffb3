"""The one way user text reaches the screen: as Text, never markup, with control characters gone.

Subjects, messages and names can hold `[@click=app.quit]`, a stray `[/]`, ESC sequences, OSC 52
clipboard writes or bidi overrides. Parsed as markup they become actions or crash the render; written
raw they drive the terminal. Everything typed by people goes through these helpers.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from tui.text import clean_line, clean_text

_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufe0e\ufe0f]")
"""Bidi controls: they reorder what follows and can make text read differently from what it is.
Emoji variation selectors: a terminal may draw "🖨️" two cells wide where the layout counts one, which
pushes the rest of the row (and the pane's border) out of line."""


def safe_text(text: str | None) -> str:
    """User text ready to show: control characters and bidi overrides removed, newlines kept."""
    return _INVISIBLE.sub("", clean_text(text or ""))


def user_text(text: str | None, style: str = "") -> Text:
    """Multi-line user text as a Text (never parsed as markup)."""
    return Text(safe_text(text), style=style)


def plain_line(text: str | None) -> str:
    """One line of user text (a subject, a name) ready to draw: one line, nothing that drives the terminal."""
    return _INVISIBLE.sub("", clean_line(text or ""))


def user_line(text: str | None, style: str = "") -> Text:
    """One line of user text as a Text."""
    return Text(plain_line(text), style=style, no_wrap=True, overflow="ellipsis")


def fit(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` cells (wide characters and emoji count as two)."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
