"""Reading grade (Flesch-Kincaid) and over-long sentences, computed here rather than with textstat:
this runs on every keystroke, and a vowel-group syllable count is fast and good enough for a warning."""

from __future__ import annotations

import re
from functools import lru_cache

from tui.plain.protect import protected_spans

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_VOWELS = re.compile(r"[aeiouy]+")
MIN_WORDS = 20
"""Below this many words a grade says little, so none is given."""


def _plain_text(text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """The text with URLs, addresses, paths and code replaced by one short word each."""
    for start, end in reversed(protected_spans(text) if spans is None else spans):
        text = text[:start] + "it" + text[end:]
    return text


@lru_cache(maxsize=8192)  # replies reuse their words; this runs for every word on every keystroke
def syllables(word: str) -> int:
    word = word.lower()
    count = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def sentences(text: str, spans: list[tuple[int, int]] | None = None) -> list[str]:
    """The sentences of `text`, protected text standing in as one word (`spans` when already known)."""
    return [s.strip() for s in _SENTENCE_END.split(_plain_text(text, spans)) if _WORD.search(s)]


def reading_grade(text: str, parts: list[str] | None = None) -> float | None:
    """Flesch-Kincaid grade of `text` (or of its `parts`, its sentences), or None when too short to judge."""
    parts = sentences(text) if parts is None else parts
    words = [w for s in parts for w in _WORD.findall(s)]
    if len(words) < MIN_WORDS or not parts:
        return None
    syllable_count = sum(syllables(w) for w in words)
    return 0.39 * len(words) / len(parts) + 11.8 * syllable_count / len(words) - 15.59


def long_sentences(text: str, limit: int, parts: list[str] | None = None) -> list[tuple[str, int]]:
    """(sentence, word count) of every sentence longer than `limit` words."""
    result = []
    for sentence in sentences(text) if parts is None else parts:
        count = len(_WORD.findall(sentence))
        if count > limit:
            result.append((sentence, count))
    return result
