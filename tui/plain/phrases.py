"""The phrase rule at each word of a draft: terms and acronyms looked up by their words."""

from __future__ import annotations

import re

from tui.plain.rules import Rule, RuleSet

_JOIN = re.compile(r"^\s*[-/]?\s*$")  # words of a phrase are apart by spaces, a hyphen or a slash (TCP/IP)


class Phrases:
    """Phrase rules looked up in a draft's words: the longest phrase wins, an acronym (as written)
    before a phrase of the same length."""

    def __init__(self, rules: RuleSet, text: str, words: list, exact: list[str], lower: list[str]) -> None:
        self.rules, self.text, self.words, self.exact, self.lower = rules, text, words, exact, lower
        self.joins: dict[int, bool] = {}

    def joined(self, k: int) -> bool:
        """Whether words k and k+1 are apart by spaces or hyphens only (a phrase cannot cross
        punctuation); worked out only for words that start a phrase, once."""
        if k not in self.joins:
            gap = self.text[self.words[k][1] : self.words[k + 1][0]]
            self.joins[k] = gap == " " or _JOIN.match(gap) is not None
        return self.joins[k]

    def longest(self, i: int) -> tuple[int, Rule] | None:
        """(length, rule) of the longest phrase at word i. A phrase of n words is looked up only when
        its first two words start one of n words, so "the laptop" tries none of the phrases of "the"."""
        rules, exact, lower = self.rules, self.exact, self.lower
        if i + 1 < len(exact) and self.joined(i):
            lengths = rules.pairs.get((lower[i], lower[i + 1]), [])
            if exact[i] != lower[i] or exact[i + 1] != lower[i + 1]:
                extra = rules.pairs.get((exact[i], exact[i + 1]))
                if extra:
                    lengths = sorted({*lengths, *extra}, reverse=True)
            for n in lengths:
                if i + n <= len(exact) and all(self.joined(k) for k in range(i + 1, i + n - 1)):
                    rule = rules.exact.get(tuple(exact[i : i + n])) or rules.phrases.get(
                        tuple(lower[i : i + n])
                    )
                    if rule is not None:
                        return n, rule
        rule = rules.exact.get((exact[i],)) or rules.phrases.get((lower[i],))
        return None if rule is None else (1, rule)
