"""What every match of a rule's pattern starts with, read from the pattern itself, so the checker tries
a pattern only where the text has one of those starts instead of at every character.

Python's regex engine cannot skip ahead for a pattern that opens with \\b, a lookbehind or a
case-insensitive word: it tries a match at each position of the window, which was most of a check's
time. The search for the starts is a plain-text search (a fast scan), and each match is then tried
exactly where the engine would have found it, so the matches are the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _constants as c  # the stdlib's own regex parser's codes, as rules.py reads them
from typing import Any

_ENOUGH = 6
"""Characters of a start that make it rare enough; longer starts are not worked out."""
_MOST = 64
"""Starts per pattern at most; beyond that a pattern keeps the starts it had so far."""
_SHORTEST = 2
"""A one-character start ("a", "I") is everywhere: such a pattern is run over the window as before."""
_WIDEST = 10
"""Characters of a class ([01], [- ]) spelled out one by one at most."""
_ZERO_WIDTH = (c.AT, c.ASSERT, c.ASSERT_NOT)
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)


def fold(text: str) -> str:
    """`text` as the starts are written, position for position: lower case, with the non-ASCII letters
    that a case-insensitive pattern takes for an ASCII one (İ ı ſ K) as that letter."""
    lower = text.lower()
    if text.isascii():
        return lower
    if len(lower) != len(text):  # "İ".lower() is "i" and a combining dot, the one letter that grows
        lower = "".join("i" if ch == "İ" else ch.lower() for ch in text)
    return lower.replace("ı", "i").replace("ſ", "s")


def starts(items: Any) -> tuple[str, ...] | None:
    """Folded strings one of which every match of the parsed pattern `items` starts with, or None when
    they would be too short to narrow the search (or the pattern can match nothing at all).

    None of them begins with another: "bump" is enough where "bumped" is found, at the same place."""
    try:
        found = _starts(list(items), {""})
    except RecursionError:
        return None
    if min(map(len, found)) < _SHORTEST:
        return None
    kept: list[str] = []
    for string in sorted(found):  # a string sorts right after those it begins with
        if not kept or not string.startswith(kept[-1]):
            kept.append(string)
    return tuple(kept)


def finder(lead: tuple[str, ...]) -> re.Pattern[str]:
    """One search for any of `lead`, written as a tree of their letters: the engine tries one branch
    per next letter, not every string."""
    return re.compile(_tree(list(lead)))


def matches(
    pattern: re.Pattern[str], seek: str | re.Pattern[str], text: str, folded: str, start: int, end: int
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text, start, end)`, trying a match only where `seek` finds one of the pattern's
    starts in `folded` (the text as the starts are written): the one start in the text, or a search for
    any of them (`finder`).

    finditer tries each position in turn and takes the first that matches, and a match can only begin
    at a start; a start is never empty, so no match is, and the next try is where a match ends, as
    finditer's is."""
    at = start
    while True:
        if isinstance(seek, str):
            place = folded.find(seek, at, end)
        else:
            hit = seek.search(folded, at, end)
            place = -1 if hit is None else hit.start()
        if place < 0:
            return
        match = pattern.match(text, place, end)
        if match is None:
            at = place + 1
        else:
            yield match
            at = match.end()


def _tree(strings: list[str]) -> str:
    """One regex for `strings` (none a prefix of another), branching on each next character."""
    if len(strings) == 1:
        return re.escape(strings[0])
    by_first: dict[str, list[str]] = {}
    for s in sorted(strings):
        by_first.setdefault(s[0], []).append(s[1:])
    return "|".join(
        re.escape(first) + (f"(?:{_tree(rest)})" if len(rest) > 1 else re.escape(rest[0]))
        for first, rest in by_first.items()
    )


def _starts(items: list, found: set[str]) -> set[str]:
    """`found` (what the text matched so far starts with) extended by what `items` must start with.

    Every string returned extends one in `found`, so stopping early is always sound."""
    for i, (op, value) in enumerate(items):
        if min(map(len, found)) >= _ENOUGH:
            return found
        if op in _ZERO_WIDTH:  # \b and lookarounds consume nothing
            continue
        chars = _chars(op, value)
        if chars is not None:
            if len(found) * len(chars) > _MOST:
                return found
            found = {s + ch for s in found for ch in chars}
            continue
        rest = items[i + 1 :]
        if op is c.SUBPATTERN:
            return _starts(list(value[-1]) + rest, found)
        if op is c.ATOMIC_GROUP:
            return _starts(list(value) + rest, found)
        if op is c.BRANCH:
            extended = set().union(*(_starts(list(branch) + rest, found) for branch in value[1]))
        elif op in _REPEATS:
            least, _, item = value
            extended = _starts(list(item), found)  # one time round, whatever follows
            if least == 0:
                extended |= _starts(rest, found)
        else:  # any character, a class, a back-reference: the start ends here
            return found
        return extended if len(extended) <= _MOST else found
    return found


def _chars(op: object, value: object) -> set[str] | None:
    """The folded characters a literal or a small class matches, or None."""
    if op is c.LITERAL:
        return {ch} if (ch := _plain(value)) else None
    if op is not c.IN:
        return None
    chars: set[str] = set()
    for kind, item in value:
        if kind is c.LITERAL and (ch := _plain(item)):
            chars.add(ch)
        elif kind is c.RANGE and item[1] < 128 and item[1] - item[0] < _WIDEST:
            chars.update(chr(code).lower() for code in range(item[0], item[1] + 1))
        else:  # negated, a category (\s, \w) or wide
            return None
    return chars if len(chars) <= _WIDEST else None


def _plain(code: int) -> str:
    """The folded character, for ASCII and for characters without case (’), whose case-insensitive
    matches `fold` knows; "" for other letters."""
    ch = chr(code)
    if code < 128:
        return ch.lower()
    return ch if ch.lower() == ch == ch.upper() else ""
