"""What the checker reports, and putting a suggestion into the text."""

from __future__ import annotations

from dataclasses import dataclass

SPAN_CATEGORIES = ("jargon", "acronym", "tone", "blame", "internal", "shouting")
"""Findings about words in the text; the others (greeting, next_steps, readability) are about the reply."""


@dataclass(frozen=True)
class Finding:
    """One problem: where it is, what it is, and what to write instead.

    Findings about the whole reply (no greeting, nothing about what happens next, reading grade) have
    an empty span at 0 (`start == end == 0`) and `scope == "reply"`.
    """

    start: int
    end: int
    text: str
    category: str
    message: str
    suggestions: tuple[str, ...] = ()
    severity: str = "warning"
    rule: str = ""
    """The rule's term or name, so agents and tests can tell which rule fired."""
    scope: str = "span"

    def overlaps(self, start: int, end: int) -> bool:
        return self.scope == "span" and self.start < end and start < self.end


def apply_suggestion(text: str, finding: Finding, replacement: str) -> str:
    """`text` with the finding's words replaced, keeping the case of the first letter and the text around.

    An empty replacement deletes the words and one space beside them; a word that then starts a
    sentence gets its capital back.
    """
    if finding.scope != "span":
        return text
    before, after = text[: finding.start], text[finding.end :]
    original = text[finding.start : finding.end]
    if not replacement:
        if before.endswith(" ") and (not after or after[0] in " ,.;:!?"):
            before = before[:-1]
        elif after.startswith(" "):
            after = after[1:]
        if (
            original[:1].isupper()
            and after[:1].islower()
            and (not before.strip() or before.rstrip()[-1] in ".!?")
        ):
            after = after[0].upper() + after[1:]
        return before + after
    if original[:1].isupper() and replacement[:1].islower():
        replacement = replacement[0].upper() + replacement[1:]
    return before + replacement + after
