"""Words that look technical by their shape, whatever their spelling: CamelCase product internals,
codes and ids, units, ports. These catch jargon no rule list can foresee."""

from __future__ import annotations

import re

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

# Shapes that span several words or need the words around them.
_SHAPES: list[tuple[re.Pattern[str], str, str, tuple[str, ...]]] = [
    (
        re.compile(r"\b[A-Z]{2,5}\d{5,}\b"),
        "reference number",
        "'{0}' is an internal reference; people don't need it to follow the reply.",
        ("this",),
    ),
    (
        re.compile(r"\b\d{3} \d\.\d\.\d{1,3}\b"),
        "mail error code",
        "'{0}' is a mail-server error code; say what went wrong.",
        ("an error",),
    ),
    (
        re.compile(
            r"\b(?:HTTP |error |an? |the |got |getting |returns? |returning |throws? |with )[45]\d\d\b",
            re.IGNORECASE,
        ),
        "web error code",
        "'{0}' is a web error number; say what went wrong (for example 'the page refused').",
        ("an error",),
    ),
    (
        re.compile(r"\b\d+(?:\.\d+)?\s?(?:GHz|MHz|Mbps|Gbps|Kbps|kbps|dBm|ms)\b"),
        "technical unit",
        "'{0}' is a technical measure; say what it means for the person.",
        (),
    ),
    (
        re.compile(r"\b(?:port|ports|tcp|udp|outbound|inbound)\s+\d{2,5}\b", re.IGNORECASE),
        "port number",
        "'{0}' is a network port number; most people don't need it.",
        ("the connection",),
    ),
]


def shape_findings(text: str, mask: bytearray, known: set[str]) -> list[Finding]:
    """Findings for technical-looking words outside protected text and not known names."""
    found = []
    for word in _WORD.finditer(text):
        said = word.group()
        if not _CANDIDATE.search(said):
            continue
        start, end = word.span()
        if any(mask[start:end]) or said.lower() in known or _known_prefix(said, known):
            continue
        for pattern, name, message in _WORD_SHAPES:
            if pattern.fullmatch(said):
                found.append(Finding(start, end, said, "jargon", message.format(said), (), "info", name))
                break
    for pattern, name, message, suggestions in _SHAPES:
        for match in pattern.finditer(text):
            start, end = match.span()
            said = match.group()
            if any(mask[start:end]) or said.lower() in known:
                continue
            found.append(Finding(start, end, said, "jargon", message.format(said), suggestions, "info", name))
    return found


def _known_prefix(word: str, known: set[str]) -> bool:
    """'OneDrive's' or 'iPhones' are still known names."""
    stem = re.sub(r"(['’]s|s)$", "", word)
    return stem.lower() in known
