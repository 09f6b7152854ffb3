"""Text the checker never flags: URLs, e-mail addresses, file paths, `code` and quoted messages."""

from __future__ import annotations

import re

_PROTECTED = re.compile(
    r"""
      (?:https?|ftp)://[^\s<>"]+             # URLs
    | \bwww\.[^\s<>"]+
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+           # e-mail addresses
    | \b[A-Za-z]:\\[^\s"'<>|]*               # C:\Users\...
    | \\\\[^\s"'<>|]+                        # \\server\share
    | %\w+%(?:\\[^\s"'<>|\\]+)*               # %appdata%\Microsoft\Teams
    | \b\w[\w.-]*(?:\\[\w.-]+)+\\?              # AppData\Roaming, Documents\Reports
    | (?<![\w/])~?/(?:[\w.-]+/)+[\w.-]*      # /home/jo/file, ~/Documents/x (two parts at least)
    | `[^`\n]+`                              # code spans
    | "[^"\n]{1,300}"                        # "quoted messages the person needs to recognise"
    | “[^”\n]{1,300}”
    | ‘[^’\n]{1,300}’(?!\w)
    """,
    re.VERBOSE,
)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Sorted (start, end) spans of `text` that are quoted, code, addresses or paths."""
    spans = []
    for match in _PROTECTED.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in ".,;:!?)]'":  # a sentence's full stop is not part of a URL
            if text[end - 1] in ")]" and "(" in text[start:end] and text[end - 1] == ")":
                break
            end -= 1
        spans.append((start, end))
    return spans


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps any of `spans`."""
    return any(s < end and start < e for s, e in spans)
