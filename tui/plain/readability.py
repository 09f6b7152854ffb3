"""Reading grade (Flesch-Kincaid) and over-long sentences, computed here rather than with textstat:
this runs on every keystroke, and a vowel-group syllable count is fast and good enough for a warning."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

from tui.plain.protect import protected_spans

_SENTENCE_END = re.compile(r"\s(?:(?<=[.!?]\s)\s*|(?<=\n)\n*)")
"""Spaces after . ! or ?, or line breaks: the same splits as (?<=[.!?])\\s+|\\n+, written to start with
the space itself so that the engine skips from space to space instead of trying every character."""
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
    return _grade([_WORD.findall(s) for s in parts])


def long_sentences(text: str, limit: int, parts: list[str] | None = None) -> list[tuple[str, int]]:
    """(sentence, word count) of every sentence longer than `limit` words."""
    parts = sentences(text) if parts is None else parts
    return _long(parts, [_WORD.findall(s) for s in parts], limit)


def grade_and_long_sentences(
    text: str, limit: int, spans: list[tuple[int, int]] | None = None
) -> tuple[float | None, list[tuple[str, int]]]:
    """`reading_grade` and `long_sentences` together, finding each sentence's words once for both."""
    parts = sentences(text, spans)
    words = [_WORD.findall(s) for s in parts]
    return _grade(words), _long(parts, words, limit)


def _grade(words: list[list[str]]) -> float | None:
    """The grade from each sentence's words."""
    count = sum(map(len, words))
    if count < MIN_WORDS or not words:
        return None
    syllable_count = sum(map(syllables, chain.from_iterable(words)))
    return 0.39 * count / len(words) + 11.8 * syllable_count / count - 15.59


def _long(parts: list[str], words: list[list[str]], limit: int) -> list[tuple[str, int]]:
    return [
        (sentence, len(found)) for sentence, found in zip(parts, words, strict=True) if len(found) > limit
    ]
