"""check(text) -> findings: jargon, acronyms, tone and shouting in the words; greeting, next steps and
reading grade for the reply as a whole."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, cached_property
from itertools import chain
from pathlib import Path

import ahocorasick

from tui.plain.findings import Finding
from tui.plain.phrases import Phrases
from tui.plain.protect import protected_spans
from tui.plain.readability import grade_and_long_sentences, reading_grade
from tui.plain.replies import reply_findings
from tui.plain.rules import _TOKEN, Rule, RuleSet, load_rules
from tui.plain.shapes import shape_findings
from tui.plain.starts import finder, fold, matches

_ACRONYM = re.compile(r"^(?=[A-Z0-9]*[A-Z])[A-Z][A-Z0-9]{1,5}s?$")
_ROMAN = re.compile(r"^[IVXLC]+$")
_POSSESSIVE = ("'s", "’s")  # a word's ending, dropped for matching
_EXPLAINED_AFTER = re.compile(r"\(\s*([A-Z][A-Za-z0-9]{1,7})\s*\)")  # multi-factor authentication (MFA)
_EXPLAINED_BEFORE = re.compile(r"\b([A-Z][A-Z0-9]{1,6})\s*\(([^)]{4,120})\)")  # MFA (the code on your phone)
# "the VPN, a private connection to the office" / "your VPN. That's the connection that ..."
_EXPLAINED_BY_APPOSITION = re.compile(
    r"\b([A-Z][A-Z0-9]{1,6})(?:,\s+(?:a|an|the|which|that|meaning|or)\b|\s+(?:is|means)\s+(?:a|an|the)\b|"
    r"\.\s+(?:That|This|It)(?:['’]s|\s+is|\s+means)\b)"
)
_TWO_CAPITALS = re.compile(r"[A-Z][A-Z0-9]")
_WORDS_BEFORE_EXPLANATION = 6
# Everyday words people write in capitals for emphasis; never taken for acronyms.
_EMPHASIS = frozenset(
    [
        "a",
        "all",
        "also",
        "always",
        "am",
        "an",
        "and",
        "any",
        "anything",
        "are",
        "as",
        "at",
        "be",
        "before",
        "both",
        "but",
        "by",
        "call",
        "can",
        "cannot",
        "click",
        "come",
        "do",
        "does",
        "done",
        "dont",
        "down",
        "each",
        "else",
        "end",
        "every",
        "everyone",
        "everything",
        "fix",
        "for",
        "from",
        "get",
        "go",
        "good",
        "got",
        "had",
        "has",
        "have",
        "help",
        "her",
        "here",
        "him",
        "his",
        "how",
        "if",
        "important",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "keep",
        "last",
        "least",
        "let",
        "like",
        "long",
        "look",
        "make",
        "may",
        "me",
        "more",
        "most",
        "much",
        "must",
        "my",
        "need",
        "never",
        "new",
        "next",
        "no",
        "none",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "ok",
        "on",
        "once",
        "one",
        "only",
        "or",
        "our",
        "out",
        "over",
        "please",
        "read",
        "really",
        "right",
        "same",
        "see",
        "she",
        "should",
        "so",
        "some",
        "soon",
        "start",
        "still",
        "stop",
        "sure",
        "take",
        "than",
        "thank",
        "thanks",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "today",
        "too",
        "try",
        "turn",
        "under",
        "up",
        "urgent",
        "us",
        "use",
        "very",
        "wait",
        "want",
        "was",
        "way",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "without",
        "work",
        "would",
        "yes",
        "yet",
        "you",
        "your",
    ]
)


class Checker:
    """A rule set with the desk's settings; `check` is pure and fast enough for every keystroke."""

    def __init__(self, rules: RuleSet, grade_target: float = 8.0, max_sentence_words: int = 25) -> None:
        self.rules = rules
        self.grade_target = grade_target
        self.max_sentence_words = max_sentence_words
        self._finders: dict[int, re.Pattern[str]] = {}
        """The search for each pattern's starts (starts.py), by its position."""

    @classmethod
    def from_files(
        cls, folders: Iterable[Path], known_names: Iterable[str] = (), **settings: float
    ) -> Checker:
        """Every *.yaml in `folders` (a team's own folder may follow the shipped one)."""
        files = [f for folder in folders for f in sorted(Path(folder).glob("*.yaml"))]
        return cls(load_rules(files, known_names), **settings)

    def grade(self, text: str) -> float | None:
        """The reading grade of `text` (None for text too short to judge)."""
        return reading_grade(text)

    def check(self, text: str, kind: str = "reply", next_update: str | None = None) -> list[Finding]:
        """Findings in `text`, in order.

        Args:
            kind: "reply" adds the whole-reply checks (greeting, what happens next, reading grade);
                "text" (guides, kiosk screens, canned snippets) checks the words and the grade only.
            next_update: when the person will hear next, in plain words ("by 3pm tomorrow"), offered
                when the reply does not say.
        """
        mask = bytearray(len(text))
        spans = protected_spans(text)
        for start, end in spans:
            mask[start:end] = b"\x01" * (end - start)
        words = [(m.start(), m.end(), m[0]) for m in _TOKEN.finditer(text)]
        if spans:
            words = [w for w in words if mask.find(1, w[0], w[1]) < 0]
        explained, quiet = _explanations(text)
        shouting = _shouting_runs(words, self.rules.known_names)
        findings = self._words(text, words, explained, quiet, shouting)
        findings += self._patterns(text, mask, quiet)
        covered = [(f.start, f.end) for f in findings]
        findings += [
            f
            for f in shape_findings(text, mask, self.rules.known_names)
            if not any(s < f.end and f.start < e for s, e in covered)
            and not _silenced(f.text, f.start, f.end, explained, quiet)
        ]
        findings += [_shout(text, words, run) for run in shouting]
        findings.sort(key=lambda f: (f.start, -f.end))
        findings = _one_per_span(findings)
        findings += _readability(text, spans, self.grade_target, self.max_sentence_words)
        if kind == "reply":
            findings += reply_findings(text, next_update)
        return findings

    def _words(
        self,
        text: str,
        words: list,
        explained: dict[str, int],
        quiet: list[tuple[int, int]],
        shouting: list[tuple[int, int]],
    ) -> list[Finding]:
        rules, found = self.rules, []
        # A possessive is the word itself for matching: "the load balancer's probe", "EOP's policy".
        exact = [w[2][:-2] if w[2].endswith(_POSSESSIVE) else w[2] for w in words]
        lower = [w.lower() for w in exact]
        loud = {i for first, last in shouting for i in range(first, last + 1)}
        longest = Phrases(rules, text, words, exact, lower).longest
        # Only a word that is a rule or starts a longer one with the next word, or that starts with a
        # capital (an acronym?), needs a look; most words are none of these.
        ones, pairs = self._one_word, rules.pairs
        rule_at = {
            k
            for k, (low, ex, next_low, next_ex) in enumerate(
                zip(lower, exact, lower[1:] + [""], exact[1:] + [""], strict=False)  # "": after the last
            )
            if low in ones or ex in ones or (low, next_low) in pairs or (ex, next_ex) in pairs
        }
        maybe = sorted(rule_at.union(k for k, word in enumerate(exact) if "A" <= word[0] <= "Z"))
        after = 0  # the first word not yet read (a phrase reads all its words)
        for i in maybe:
            if i < after:
                continue
            after = i + 1
            match = longest(i) if i in rule_at else None
            start = words[i][0]
            if match:
                n, rule = match
                end = words[i + n - 1][1]
                if not _silenced(text[start:end], start, end, explained, quiet):
                    found.append(_finding(text, start, end, rule))
                after = i + n
                continue
            word = exact[i]
            if (
                "A" <= word[0] <= "Z"  # as _ACRONYM's first letter must be; most words fail here
                and i not in loud
                and _ACRONYM.match(word)
                and word.lower() not in rules.known_names
                and word.lower() not in _EMPHASIS
                and word.rstrip("s").lower() not in rules.known_names
                and not _ROMAN.match(word)
                and not _silenced(word, start, words[i][1], explained, quiet)
            ):
                found.append(
                    Finding(
                        start,
                        words[i][1],
                        word,
                        "acronym",
                        f"'{word}' may be an acronym the person doesn't know: spell it out, or "
                        "say what it does in everyday words.",
                        (),
                        "info",
                        "unknown acronym",
                    )
                )
        return found

    def _patterns(self, text: str, mask: bytearray, quiet: list[tuple[int, int]]) -> list[Finding]:
        found, seen = [], set()
        lower = text.lower()
        # Which anchor words the text holds, and where, found once each: only the patterns anchored on
        # a word that is there are tried, and only around that word.
        spots: dict[str, list[int]] = {}
        if self._automaton is not None:
            for end, anchor in self._automaton.iter(lower):
                spots.setdefault(anchor, []).append(end - len(anchor) + 1)
        chosen = set(self._unanchored)
        for anchor in spots:
            chosen.update(self._by_anchor[anchor])
        patterns, anchors, leads = self.rules.patterns, self.rules.anchors, self.rules.leads
        folded = fold(text)
        starts = self._lead_automaton
        present = set() if starts is None else {string for _, string in starts.iter(folded)}
        windows: dict[tuple[str, ...] | None, list[tuple[int, int]]] = {}  # patterns share anchors
        around: dict[str, list[tuple[int, int]]] = {}
        for index in sorted(chosen):
            pattern, rule = patterns[index]
            anchor, lead = anchors[index], leads[index]
            seek = None
            if lead is not None:
                there = [string for string in lead if string in present]
                if not there:  # none of its starts is in the text: it cannot match
                    continue
                # One start there is sought with str.find; several with the search for all of them.
                seek = there[0] if len(there) == 1 else self._finders.get(index)
                if seek is None:
                    seek = self._finders[index] = finder(lead)  # made on first use: most never are
            if anchor not in windows:
                windows[anchor] = _windows(spots, anchor, len(text), around)
            for start, end in windows[anchor]:
                if seek is None:
                    found_here = pattern.finditer(text, start, end)
                else:
                    found_here = matches(pattern, seek, text, folded, start, end)
                for match in found_here:
                    a, b = match.span()
                    if (
                        b > a
                        and (a, b, id(rule)) not in seen
                        and mask.find(1, a, b) < 0
                        and not _silenced("", a, b, {}, quiet)
                    ):
                        seen.add((a, b, id(rule)))
                        found.append(_finding(text, a, b, rule))
        return found

    @cached_property
    def _one_word(self) -> set[str]:
        """Words that are a rule on their own (as written or lower-cased)."""
        return {key[0] for table in (self.rules.phrases, self.rules.exact) for key in table if len(key) == 1}

    @cached_property
    def _by_anchor(self) -> dict[str, list[int]]:
        """Pattern positions by each of their anchor words."""
        index: dict[str, list[int]] = {}
        for position, anchor in enumerate(self.rules.anchors):
            for word in anchor or ():
                index.setdefault(word, []).append(position)
        return index

    @cached_property
    def _automaton(self) -> ahocorasick.Automaton | None:
        """Every anchor word in one Aho-Corasick automaton: one pass over the text finds them all,
        overlapping ones included, where a find() per anchor cost a millisecond a check."""
        if not self.rules.anchor_words:
            return None
        automaton = ahocorasick.Automaton()
        for word in self.rules.anchor_words:
            automaton.add_word(word, word)
        automaton.make_automaton()
        return automaton

    @cached_property
    def _lead_automaton(self) -> ahocorasick.Automaton | None:
        """Every pattern's starts in one automaton: one pass tells which are in the text at all."""
        strings = {string for lead in self.rules.leads for string in lead or ()}
        if not strings:
            return None
        automaton = ahocorasick.Automaton()
        for string in strings:
            automaton.add_word(string, string)
        automaton.make_automaton()
        return automaton

    @cached_property
    def _unanchored(self) -> list[int]:
        return [position for position, anchor in enumerate(self.rules.anchors) if anchor is None]


def _one_per_span(findings: list[Finding]) -> list[Finding]:
    """Two rules that flag exactly the same words give the agent one finding, the first rule's."""
    kept, seen = [], set()
    for finding in findings:
        if (finding.start, finding.end) not in seen:
            seen.add((finding.start, finding.end))
            kept.append(finding)
    return kept


def _windows(
    spots: dict[str, list[int]],
    anchors: tuple[str, ...] | None,
    size: int,
    around: dict[str, list[tuple[int, int]]],
    reach: int = 80,
) -> list[tuple[int, int]]:
    """Stretches of text around each occurrence of an anchor (merged), or the whole text without any.

    A match contains an anchor, and no rule's match runs longer than `reach` characters either side
    of it; lookbehinds still see the text before a window's start. `around` keeps each word's own
    stretches for the next pattern anchored on it (merging those again gives the same stretches)."""
    if anchors is None:
        return [(0, size)]
    parts = []
    for anchor in anchors:
        if anchor in spots:
            if anchor not in around:
                # A word's places come in order, so its stretches do too.
                after = len(anchor) + reach
                around[anchor] = _merged(
                    [(at - reach if at > reach else 0, min(size, at + after)) for at in spots[anchor]]
                )
            parts.append(around[anchor])
    return parts[0] if len(parts) == 1 else _merged(sorted(chain.from_iterable(parts)))


def _merged(places: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted stretches, those that overlap or touch joined."""
    windows: list[tuple[int, int]] = []
    for start, end in places:
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


_LEADS = {
    "jargon": "'{}' is IT jargon",
    "acronym": "'{}' is an acronym most people don't know",
    "internal": "'{}' is help-desk speech",
    "tone": "'{}' can make people feel foolish",
    "blame": "'{}' sounds like blame",
}
"""How a finding's message starts, by the rule's category."""


def _finding(text: str, start: int, end: int, rule: Rule) -> Finding:
    said = text[start:end]
    lead = _LEADS[rule.category].format(said)
    message = f"{lead}: {rule.explain}" if rule.explain else lead + "."
    return Finding(start, end, said, rule.category, message, rule.plain, rule.severity, rule.name)


def _explanations(text: str) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """Acronyms the reply explains (and from where), and the explaining words, which are never flagged."""
    explained: dict[str, int] = {}
    quiet: list[tuple[int, int]] = []
    for match in _EXPLAINED_AFTER.finditer(text):
        acronym = match.group(1)
        before = list(_TOKEN.finditer(text, max(0, match.start() - 120), match.start()))
        if len(before) >= 2:  # "(MFA)" after the words it stands for
            explained.setdefault(acronym, match.start())
            quiet.append((before[-min(_WORDS_BEFORE_EXPLANATION, len(before))].start(), match.end()))
    for match in _EXPLAINED_BEFORE.finditer(text) if "(" in text else ():
        explained.setdefault(match.group(1), match.start())
        quiet.append((match.start(), match.end()))
    # Tried only at two capitals in a row, where every match starts: the engine skips to them.
    for match in matches(_EXPLAINED_BY_APPOSITION, _TWO_CAPITALS, text, text, 0, len(text)):
        explained.setdefault(match.group(1), match.start())
    return explained, quiet


def _silenced(
    words: str, start: int, end: int, explained: dict[str, int], quiet: list[tuple[int, int]]
) -> bool:
    """Inside the words that explain an acronym, or built on an acronym the reply explained earlier
    ("the MFA prompt" after "multi-factor authentication (MFA)")."""
    if any(s <= start and end <= e for s, e in quiet):
        return True
    for word in _TOKEN.findall(words):
        at = explained.get(word) or explained.get(word.removesuffix("s"))
        if at is not None and start >= at:
            return True
    return False


_SHOUTED = frozenset(
    [
        "not",
        "never",
        "ever",
        "please",
        "must",
        "always",
        "only",
        "now",
        "every",
        "all",
        "will",
        "cannot",
        "really",
        "again",
        "still",
        "before",
        "first",
        "after",
        "immediately",
        "stop",
        "read",
        "today",
        "do",
        "does",
        "did",
        "don't",
        "no",
        "yes",
    ]
)
"""Short words written in capitals only to raise the voice ("do NOT", "PLEASE read"); unlike
acronyms, they are ordinary words, so one on its own is shouting too."""


def _shouting_runs(words: list, known: set[str]) -> list[tuple[int, int]]:
    """Runs of words in capitals that read as shouting (not a lone acronym)."""
    caps = [k for k, w in enumerate(words) if w[2].isupper() and w[2].isalpha()]
    runs, n = [], 0
    while n < len(caps):
        m = n  # caps[n..m] are next to each other: words i..j-1
        while m + 1 < len(caps) and caps[m + 1] == caps[m] + 1:
            m += 1
        i, j = caps[n], caps[m] + 1
        run = [w[2] for w in words[i:j]]
        letters = sum(len(w) for w in run)
        unknown = [w for w in run if w.lower() not in known]
        real_words = [w for w in unknown if len(w) >= 4 or w.lower() in _EMPHASIS]
        single = run[0] if len(run) == 1 else ""
        if (
            (len(run) >= 2 and letters >= 5 and real_words and len(unknown) == len(run))
            or (single and len(single) >= 6 and single.lower() not in known)
            or (single.lower() in _SHOUTED and single.lower() not in known)
        ):
            runs.append((i, j - 1))
        n = m + 1
    return runs


def _shout(text: str, words: list, run: tuple[int, int]) -> Finding:
    start, end = words[run[0]][0], words[run[1]][1]
    said = text[start:end]
    calm = re.sub(r"\bi\b", "I", said.lower())
    if run[0] == 0 or text[:start].rstrip()[-1:] in (".", "!", "?"):
        calm = calm[:1].upper() + calm[1:]
    return Finding(
        start,
        end,
        said,
        "shouting",
        "Words in capitals read as shouting; write them normally.",
        (calm,),
        "warning",
        "capitals",
    )


def _readability(text: str, spans: list[tuple[int, int]], target: float, longest: int) -> list[Finding]:
    found = []
    grade, long = grade_and_long_sentences(text, longest, spans)
    if grade is not None and grade > target:
        found.append(
            Finding(
                0,
                0,
                "",
                "readability",
                f"Reading grade {grade:.0f} (aim for {target:g} or lower): "
                "use shorter sentences and everyday words.",
                (),
                "info",
                "reading grade",
                "reply",
            )
        )
    for sentence, count in long:
        found.append(
            Finding(
                0,
                0,
                "",
                "readability",
                f'A sentence of {count} words is hard to follow; split it: "{sentence[:60]}…"',
                (),
                "info",
                "long sentence",
                "reply",
            )
        )
    return found


@cache
def default_checker() -> Checker:
    """The shipped rules (data/plain) with default settings."""
    from tui.resources import data_dir

    return Checker.from_files([data_dir() / "plain"])


def check(text: str, kind: str = "reply", next_update: str | None = None) -> list[Finding]:
    """Check `text` with the shipped rules (spec of the issue: `tui.plain.check(text) -> list[Finding]`)."""
    return default_checker().check(text, kind, next_update)


def checker_for(settings: object) -> Checker:
    """The shipped rules plus a team's own folders and names, with its grade and sentence limits
    (`settings` is tui.config.PlainSettings)."""
    from tui.resources import data_dir

    folders = [data_dir() / "plain", *settings.rule_folders]
    return Checker.from_files(
        folders,
        settings.known_names,
        grade_target=settings.grade_target,
        max_sentence_words=settings.max_sentence_words,
    )
