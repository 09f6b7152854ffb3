"""Whole-reply checks: a greeting or thanks, and what happens next (done, your part, when you'll hear)."""

from __future__ import annotations

import re

from tui.plain.findings import Finding

_GREETING = re.compile(r"^\W*(hi|hello|hey|dear|good (morning|afternoon|evening))\b|\bthank(s| you)\b", re.I)
_DONE = re.compile(
    r"\b(i|we)(['’]ve| have)\s+\w+|\b(i|we)( just)?\s+(\w+ed|set up|put|sent|made|got|found|gave|took|ran|"
    r"built|rebuilt|swapped|reset|wrote|spoke)\b|\b(is|are|was|were) (now )?(fixed|working|back|sorted|done|"
    r"ready|on order|booked)\b|\b(has|have) been\b|\b(we|they)['’]re (in touch|working|looking)|"
    r"\bis working on\b",
    re.I,
)
_YOUR_PART = re.compile(
    r"\b(please|could you|can you|would you|you(['’]ll| will)? need to|you can|you could|try|"
    r"you don['’]t need to|no need to|nothing (else )?for you to do|you won['’]t need|let (me|us) know|"
    r"reply|tell (me|us)|bring|pop (in|by|over)|come (to|by)|restart|sign in|keep|use|open|click|choose)\b",
    re.I,
)
_WHEN = re.compile(
    r"\b(today|tonight|tomorrow|this (morning|afternoon|evening|week)|next (week|update|time)|"
    r"by (\d|noon|midday|monday|tuesday|wednesday|thursday|friday|the end)|on (monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)|within (\d+|an?|the next)|in (\d+|an?|ten|two|three) (minutes?|hours?|days?)|"
    r"(i|we)['’]ll (update|let you know|get back|be in touch|check|call|email|message|come|send|fit|contact)|"
    r"you['’]ll (hear|get|receive|be asked)|keep you (posted|updated)|if (it|this) happens again|"
    r"before|after|as soon as|at \d|won['’]t hear|unless you reply|closing this)\b",
    re.I,
)


_CAUSE = re.compile(
    r"\b(because|caused by|the (problem|issue|fault|reason) (was|is)|it (was|is) (down|broken|full|"
    r"blocked|locked|out of date|expired)|turned out|was (down|broken|full|blocked|locked|expired|stuck)|"
    r"had (expired|run out|stopped|filled up|been)|wasn['’]t|isn['’]t|didn['’]t|stopped|looks like|"
    r"seems? (to be|like)|we found|i found|you (reported|mentioned|told us|said)|you['’]re having|"
    r"about your|your (message|request|question|ticket) about)\b",
    re.I,
)

CHECKLIST = ("what was wrong", "what we did", "what you need to do", "when we'll update")


def checklist(text: str) -> dict[str, bool]:
    """Which parts of a good reply the text already has (the reply helper's checklist)."""
    return {
        "what was wrong": bool(_CAUSE.search(text)),
        "what we did": bool(_DONE.search(text)),
        "what you need to do": bool(_YOUR_PART.search(text)),
        "when we'll update": bool(_WHEN.search(text)),
    }


def reply_findings(text: str, next_update: str | None = None) -> list[Finding]:
    """Findings about the reply as a whole (empty span at 0, scope "reply")."""
    found = []
    if text.strip() and not _GREETING.search(text):
        found.append(
            Finding(
                0,
                0,
                "",
                "greeting",
                "There is no greeting or thanks; start with the person's "
                "name and thank them for getting in touch.",
                ("Hi {name}, thanks for getting in touch. ",),
                "info",
                "greeting",
                "reply",
            )
        )
    missing = []
    if not _DONE.search(text):
        missing.append("what was done")
    if not _YOUR_PART.search(text):
        missing.append("what they need to do (or that they need do nothing)")
    if not _WHEN.search(text):
        missing.append("when they will hear next")
    if missing:
        when = next_update or "by [day and time]"
        found.append(
            Finding(
                0,
                0,
                "",
                "next_steps",
                f"Say {', '.join(missing)}.",
                (f"I'll update you {when}.",) if "when they will hear next" in missing else (),
                "warning" if len(missing) > 1 else "info",
                "what happens next",
                "reply",
            )
        )
    return found
