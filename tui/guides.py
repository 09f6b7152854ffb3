"""Fix-it-yourself guides from data/kb/*.md: loading and finding the ones that match a few words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tui.resources import data_dir

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "get",
        "got",
        "have",
        "how",
        "i",
        "i'm",
        "if",
        "in",
        "is",
        "it",
        "it's",
        "its",
        "my",
        "me",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "the",
        "their",
        "then",
        "there",
        "this",
        "to",
        "too",
        "up",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "won't",
        "you",
        "your",
        "can't",
        "cannot",
        "any",
        "some",
        "just",
        "very",
    ]
)
_SYNONYMS = {
    "wifi": "wi-fi",
    "wireless": "wi-fi",
    "internet": "wi-fi",
    "password": "password",
    "pw": "password",
    "login": "sign",
    "log": "sign",
    "signin": "sign",
    "mail": "email",
    "e-mail": "email",
    "outlook": "email",
    "printing": "print",
    "printer": "print",
    "prints": "print",
    "sound": "audio",
    "mic": "audio",
    "microphone": "audio",
    "headset": "audio",
    "camera": "video",
    "webcam": "video",
    "slow": "slow",
    "frozen": "freeze",
    "freezes": "freeze",
    "stuck": "freeze",
    "full": "space",
    "storage": "space",
    "disk": "space",
    "code": "code",
    "authenticator": "code",
    "mfa": "code",
    "phone": "phone",
    "mobile": "phone",
    "vpn": "home",
    "remote": "home",
}


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    text: str
    """The guide in Markdown."""


def _words(text: str) -> list[str]:
    found = []
    for word in _WORD.findall(text.lower().replace("wi-fi", "wifi")):
        if word in _STOP or len(word) < 2:
            continue
        word = _SYNONYMS.get(word, word)
        found.append(word.rstrip("s") if len(word) > 4 else word)
    return found


@cache
def load_guides(folder: Path | None = None) -> tuple[Guide, ...]:
    """Every guide, by title (the first `# ` heading, else the file name)."""
    folder = folder or data_dir() / "kb"
    guides = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
        guides.append(Guide(path.stem, title, text))
    return tuple(sorted(guides, key=lambda g: g.title.lower()))


def find_guides(query: str, guides: tuple[Guide, ...] | None = None, limit: int = 5) -> list[Guide]:
    """The guides that best match the words of `query` (a title word counts three times a body word)."""
    guides = load_guides() if guides is None else guides
    wanted = set(_words(query))
    if not wanted:
        return []
    scored = []
    for guide in guides:
        title, body = set(_words(guide.title)), set(_words(guide.text))
        score = 3 * len(wanted & title) + len(wanted & body)
        if score:
            scored.append((score, guide.title.lower(), guide))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [guide for _, _, guide in scored[:limit]]
