"""Words that look technical by their shape, whatever their spelling: CamelCase product internals,
codes and ids, units, ports. These catch jargon no rule list can foresee."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tui.plain.findings import Finding

# Shapes of single words, tried on each word (cheaper than scanning the text once per shape).
_WORD_SHAPES: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"[a-z]+[A-Z][A-Za-z]*(?:['’]d)?|[A-Z][a-z]+[A-Z][A-Za-z]*[a-z](?:['’]d)?"),
        "technical name",
        "'{0}' looks like the name of a technical setting or tool; say what it does instead.",
    ),
    (
        re.compile(r"[A-Z]{2,6}(?:ed|ing|['’]d)"),
        "acronym used as a verb",
        "'{0}' turns an acronym into a verb; say what happened in everyday words.",
    ),
    (
        re.compile(r"[a-z]{3,}\d+"),
        "command or program name",
        "'{0}' looks like a program or command name; say what it does.",
    ),
]
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_CANDIDATE = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]|[a-z]\d")
"""A cheap test that a word could have one of the shapes above."""
_PIVOT = re.compile(r"[A-Z0-9](?:(?<=[a-z][A-Z])|(?<=[a-z][0-9])|(?=[A-Z][a-z]))")
"""The capital or digit of a candidate (in a word, \\d is 0-9): the engine skips lower-case text to the
next capital or digit, where a search for a candidate stopped at every letter."""
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'’")
"""What a word is made of; no word runs across anything else."""
_DIGITS = re.compile(r"\d+")

# Shapes that span several words or need the words around them, each after a quick search for a part
# every match has (five digits, a unit after a number): most replies have none, and then the shape's
# own search, which starts at every word, is not needed. Each part has a digit and reaches at most one
# character before its run of digits and five after it, so it is sought only there.
_SHAPES: list[tuple[re.Pattern[str], str, str, tuple[str, ...], re.Pattern[str]]] = [
    (
        re.compile(r"\b[A-Z]{2,5}\d{5,}\b"),
        "reference number",
        "'{0}' is an internal reference; people don't need it to follow the reply.",
        ("this",),
        re.compile(r"\d{5}"),
    ),
    (
        re.compile(r"\b\d{3} \d\.\d\.\d{1,3}\b"),
        "mail error code",
        "'{0}' is a mail-server error code; say what went wrong.",
        ("an error",),
        re.compile(r"\d\.\d"),
    ),
    (
        re.compile(
            r"\b(?:HTTP |error |an? |the |got |getting |returns? |returning |throws? |with )[45]\d\d\b",
            re.IGNORECASE,
        ),
        "web error code",
        "'{0}' is a web error number; say what went wrong (for example 'the page refused').",
        ("an error",),
        re.compile(r"[45]\d\d"),
    ),
    (
        re.compile(r"\b\d+(?:\.\d+)?\s?(?:GHz|MHz|Mbps|Gbps|Kbps|kbps|dBm|ms)\b"),
        "technical unit",
        "'{0}' is a technical measure; say what it means for the person.",
        (),
        re.compile(r"\d\s?(?:GHz|MHz|Mbps|Gbps|Kbps|kbps|dBm|ms)"),
    ),
    (
        re.compile(r"\b(?:port|ports|tcp|udp|outbound|inbound)\s+\d{2,5}\b", re.IGNORECASE),
        "port number",
        "'{0}' is a network port number; most people don't need it.",
        ("the connection",),
        re.compile(r"\s\d\d"),
    ),
]


def shape_findings(text: str, mask: bytearray, known: set[str]) -> list[Finding]:
    """Findings for technical-looking words outside protected text and not known names."""
    found = []
    for word in _candidate_words(text):
        said = word.group()
        if not _CANDIDATE.search(said):
            continue
        start, end = word.span()
        if mask.find(1, start, end) >= 0 or said.lower() in known or _known_prefix(said, known):
            continue
        for pattern, name, message in _WORD_SHAPES:
            if pattern.fullmatch(said):
                found.append(Finding(start, end, said, "jargon", message.format(said), (), "info", name))
                break
    runs = [(max(0, run.start() - 1), run.end() + 5) for run in _DIGITS.finditer(text)]
    for pattern, name, message, suggestions, part in _SHAPES:
        if not any(part.search(text, start, end) for start, end in runs):
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            said = match.group()
            if mask.find(1, start, end) >= 0 or said.lower() in known:
                continue
            found.append(Finding(start, end, said, "jargon", message.format(said), suggestions, "info", name))
    return found


def _candidate_words(text: str) -> Iterator[re.Match[str]]:
    """The words of `text` (as `_WORD.finditer` gives them) that hold a capital or digit where a
    candidate can be, in order, each once; the others cannot have a shape."""
    done = 0  # where the last word given ends: the words before it need no second look
    for pivot in _PIVOT.finditer(text):
        at = pivot.start()
        if at < done:
            continue
        # Back to the start of the run of word characters: no word crosses its edge, so the words
        # found from there are the words of the whole text.
        start = at
        while start > done and text[start - 1] in _TOKEN_CHARS:
            start -= 1
        for word in _WORD.finditer(text, start):
            yield word
            done = word.end()
            if done > at:
                break


def _known_prefix(word: str, known: set[str]) -> bool:
    """'OneDrive's' or 'iPhones' are still known names."""
    stem = re.sub(r"(['’]s|s)$", "", word)
    return stem.lower() in known
