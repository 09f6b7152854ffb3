"""Text the checker never flags: URLs, e-mail addresses, file paths, `code` and quoted messages."""

from __future__ import annotations

import re
from functools import cache

# Each kind of protected text, with a string every match of it contains. A kind whose string is not in
# the text cannot match, and leaving it out of the search changes no match (the others are still tried
# in the same order); most replies have no @, backslash, % or quotes, and those kinds were the slow ones.
_KINDS: tuple[tuple[str, str], ...] = (
    ("://", r"""(?:https?|ftp)://[^\s<>"]+"""),  # URLs
    ("www.", r"""\bwww\.[^\s<>"]+"""),
    ("@", r"""[\w.+-]+@[\w-]+(?:\.[\w-]+)+"""),  # e-mail addresses
    (":\\", r"""\b[A-Za-z]:\\[^\s"'<>|]*"""),  # C:\Users\...
    ("\\\\", r"""\\\\[^\s"'<>|]+"""),  # \\server\share
    ("%", r"""%\w+%(?:\\[^\s"'<>|\\]+)*"""),  # %appdata%\Microsoft\Teams
    ("\\", r"""\b\w[\w.-]*(?:\\[\w.-]+)+\\?"""),  # AppData\Roaming, Documents\Reports
    ("/", r"""(?<![\w/])~?/(?:[\w.-]+/)+[\w.-]*"""),  # /home/jo/file, ~/Documents/x (two parts at least)
    ("`", r"""`[^`\n]+`"""),  # code spans
    ('"', r'''"[^"\n]{1,300}"'''),  # "quoted messages the person needs to recognise"
    ("“", r"""“[^”\n]{1,300}”"""),
    ("‘", r"""‘[^’\n]{1,300}’(?!\w)"""),
)


@cache
def _search(present: tuple[bool, ...]) -> re.Pattern[str] | None:
    """One search for the kinds that can occur (flags as `present`), or None for none."""
    kinds = [source for (_, source), there in zip(_KINDS, present, strict=True) if there]
    return re.compile("|".join(kinds)) if kinds else None


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Sorted (start, end) spans of `text` that are quoted, code, addresses or paths."""
    search = _search(tuple(mark in text for mark, _ in _KINDS))
    if search is None:
        return []
    spans = []
    for match in search.finditer(text):
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
