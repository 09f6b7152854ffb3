"""Rules as data: loading and checking data/plain/*.yaml, compiled for fast lookup."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from re import _constants as c
from re import _parser as parser
from typing import Any

from tui.config_checker import Checker as ProblemList
from tui.config_checker import ConfigError, Problem
from tui.plain.starts import starts
from tui.yaml_lines import YamlSyntaxError, load_yaml

CATEGORIES = ("jargon", "acronym", "tone", "blame", "internal")
_COMMON = frozenset(
    [
        "the",
        "and",
        "you",
        "your",
        "our",
        "this",
        "that",
        "with",
        "for",
        "are",
        "was",
        "were",
        "have",
        "has",
        "had",
        "not",
        "but",
        "all",
        "any",
        "can",
        "will",
        "would",
        "it's",
        "its",
        "per",
        "see",
        "its",
        "his",
        "her",
        "they",
        "them",
        "their",
        "there",
        "then",
        "than",
        "from",
        "into",
        "onto",
    ]
)
"""Words too common to be a pattern's anchor: looking for them would not narrow the search."""
SEVERITIES = ("info", "warning", "error")
_RULE_KEYS = ("term", "variants", "pattern", "name", "category", "plain", "explain", "severity")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’.][A-Za-z0-9]+)*")


@dataclass(frozen=True)
class Rule:
    name: str
    """The term as written, or the pattern's name."""
    category: str
    plain: tuple[str, ...]
    explain: str
    severity: str = "warning"
    source: str = ""
    """file:line, for messages about the rule itself."""


@dataclass
class RuleSet:
    """Every rule, compiled: word sequences in dictionaries keyed by their tokens, patterns as regexes."""

    phrases: dict[tuple[str, ...], Rule] = field(default_factory=dict)
    """Lower-cased token sequences (case-insensitive rules)."""
    exact: dict[tuple[str, ...], Rule] = field(default_factory=dict)
    """Token sequences as written (acronyms match case-sensitively)."""
    patterns: list[tuple[re.Pattern[str], Rule]] = field(default_factory=list)
    anchors: list[tuple[str, ...] | None] = field(default_factory=list)
    """For each pattern, a word every match must contain (lower-cased), or None: a pattern is only run
    near its anchor, which keeps a hundred patterns fast on a long draft."""
    known_names: set[str] = field(default_factory=set)
    """Lower-cased names people know (never flagged)."""
    anchor_words: set[str] = field(default_factory=set)
    """Every anchor of every pattern."""
    leads: list[tuple[str, ...] | None] = field(default_factory=list)
    """For each pattern, strings (folded) one of which every match starts with, or None: the pattern is
    tried only where the text has one, not at every character (starts.py)."""
    starts: dict[str, list[int]] = field(default_factory=dict)
    """First word of a phrase (lower-cased, or as written for acronyms) -> the phrase lengths starting
    with it, longest first: most words start none and are skipped, the rest try only real lengths."""
    pairs: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    """First two words of a phrase of two or more -> its lengths, longest first: "the" starts phrases of
    three to five words, but "the laptop" starts none, so those are not tried."""

    @property
    def size(self) -> int:
        """How many rules (a pattern split into alternatives is still one rule)."""
        return len(
            {id(r) for r in (*self.phrases.values(), *self.exact.values(), *(r for _, r in self.patterns))}
        )

    def add(self, rule: Rule, written: Iterable[str]) -> None:
        case_sensitive = rule.category == "acronym"
        table = self.exact if case_sensitive else self.phrases
        for text in written:
            for key in _keys(text, case_sensitive):
                table.setdefault(key, rule)
                lengths = self.starts.setdefault(key[0], [])
                if len(key) not in lengths:
                    lengths.append(len(key))
                    lengths.sort(reverse=True)
                if len(key) > 1:
                    lengths = self.pairs.setdefault((key[0], key[1]), [])
                    if len(key) not in lengths:
                        lengths.append(len(key))
                        lengths.sort(reverse=True)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _keys(text: str, case_sensitive: bool) -> set[tuple[str, ...]]:
    """The token sequences that `text` matches: hyphens may also be spaces or nothing, and the last
    word may take a plural ending."""
    if not case_sensitive:
        text = text.lower()
    spaced = tokens(text.replace("-", " "))
    joined = tokens(re.sub(r"(?<=\w)-(?=\w)", "", text))
    keys = set()
    for words in (spaced, joined):
        if not words:
            continue
        keys.add(tuple(words))
        last = words[-1]
        plurals = {last + "s", last + "es"}
        if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
            plurals.add(last[:-1] + "ies")
        for plural in plurals:
            keys.add((*words[:-1], plural))
    return keys


def load_rules(paths: Iterable[Path], known_names: Iterable[str] = ()) -> RuleSet:
    """Load rule files (and known-name files: a file with `names:` instead of `rules:`).

    Raises:
        ConfigError: every malformed rule, each naming the file, the line and the rule.
    """
    rules = RuleSet(known_names={n.lower() for n in known_names})
    problems: list[Problem] = []
    for path in sorted(paths):
        problems += _load_file(Path(path), rules)
    if problems:
        raise ConfigError(problems)
    return rules


def _load_file(path: Path, rules: RuleSet) -> list[Problem]:
    try:
        loaded = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as error:
        return [Problem(str(path), None, "", f"cannot read it ({error.strerror})")]
    except YamlSyntaxError as error:
        return [Problem(str(path), error.line, "", f"this is not valid YAML: {error}")]
    check = ProblemList(str(path), loaded)
    top = check.mapping((), required=True)
    if top is None:
        return check.problems
    check.known_keys((), top, ("rules", "names"))
    for i, name in enumerate(top.get("names") or []):
        rules.known_names.add(check.string(("names", i), name).lower())
    entries = top.get("rules") or []
    if not isinstance(entries, list):
        check.fail(("rules",), "should be a list of rules, each starting with '- term:'")
        return check.problems
    for i, entry in enumerate(entries):
        _load_rule(check, ("rules", i), entry, rules, f"{path.name}:{loaded.line_of(('rules', i))}")
    return check.problems


def _load_rule(check: ProblemList, path: tuple, entry: Any, rules: RuleSet, source: str) -> None:
    body = check.mapping(path, value=entry)
    if body is None:
        check.fail(path, "should be a rule with term (or pattern), category, plain, explain and severity")
        return
    check.known_keys(path, body, _RULE_KEYS)
    label = str(body.get("term") or body.get("name") or f"rule {path[-1] + 1}")
    before = len(check.problems)
    if ("term" in body) == ("pattern" in body):
        check.fail(path, f"rule '{label}': give either term: or pattern:, not both or neither")
    category = check.string((*path, "category"), body.get("category", ""))
    if category and category not in CATEGORIES:
        check.fail(
            (*path, "category"),
            f"rule '{label}': '{category}' is not a category; write one of {', '.join(CATEGORIES)}",
        )
    severity = check.string((*path, "severity"), body.get("severity", "warning"))
    if severity and severity not in SEVERITIES:
        check.fail((*path, "severity"), f"rule '{label}': write one of {', '.join(SEVERITIES)}")
    plain = tuple(check.string_list((*path, "plain"), body.get("plain", [])))
    if not plain and category in ("jargon", "acronym", "internal"):
        check.fail((*path, "plain"), f"rule '{label}': give at least one plain alternative")
    explain = check.string((*path, "explain"), body.get("explain", ""))
    pattern = None
    if "pattern" in body:
        if not body.get("name"):
            check.fail(path, f"rule '{label}': a pattern needs a name: saying what it finds")
        try:
            flags = 0 if category == "acronym" else re.IGNORECASE
            pattern = re.compile(check.string((*path, "pattern"), body["pattern"]), flags)
        except re.error as error:
            check.fail(
                (*path, "pattern"), f"rule '{label}': the pattern is not a valid regular expression ({error})"
            )
    variants = check.string_list((*path, "variants"), body.get("variants", []))
    if len(check.problems) > before:
        return
    rule = Rule(label, category, plain, explain, severity, source)
    if pattern is not None:
        # Each top-level alternative runs on its own, so those with an anchor word run only near it.
        for part in split_alternatives(pattern):
            items = _parse(part)  # once for both: parsing is most of the cost of loading a pattern
            anchor = None if items is None else _required(items)
            rules.patterns.append((part, rule))
            rules.anchors.append(anchor)
            rules.anchor_words.update(anchor or ())
            rules.leads.append(None if items is None else starts(items))
    else:
        rules.add(rule, [str(body["term"]), *variants])


def required_literal(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Words (3+ letters, lower-cased) of which every match contains at least one, or None.

    Only literals outside optional parts, repeats and lookarounds count, so the answer is sound: a
    group of alternatives counts when each alternative starts with its own word, and for a pattern of
    alternatives each alternative must have its own.
    """
    items = _parse(pattern)
    return None if items is None else _required(items)


def _parse(pattern: re.Pattern[str]) -> Any:
    """The pattern's parse tree from the stdlib's own regex parser (stable within a Python version)."""
    try:
        return parser.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None


def _required(items: Any) -> tuple[str, ...] | None:
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is c.BRANCH else [items]
    anchors: set[str] = set()
    for branch in branches:
        options = _best_options(branch, c)
        if options is None:
            return None
        anchors.update(options)
    return tuple(sorted(anchors))


def _best_options(items: Any, c: Any) -> tuple[str, ...] | None:
    """The most selective set of words one of which every match of this sequence contains."""
    candidates: list[tuple[str, ...]] = []
    run = ""
    for op, value in items:
        if op is c.LITERAL:
            run += chr(value)
            continue
        candidates += [(word,) for word in re.findall(r"[A-Za-z]+", run)]
        run = ""
        if op is c.BRANCH:  # a non-capturing group of alternatives is inlined by the parser
            candidates.append(tuple(_leading(branch, c) for branch in value[1]))
        elif op is c.SUBPATTERN:
            inner = value[-1]
            if len(inner) == 1 and inner[0][0] is c.BRANCH:
                candidates.append(tuple(_leading(branch, c) for branch in inner[0][1][1]))
            else:
                nested = _best_options(inner, c)
                if nested:
                    candidates.append(nested)
    candidates += [(word,) for word in re.findall(r"[A-Za-z]+", run)]
    usable = [
        tuple(w.lower() for w in option)
        for option in candidates
        if option and all(len(w) >= 2 and w.isalpha() and w.lower() not in _COMMON for w in option)
    ]
    if not usable:
        return None
    return max(usable, key=lambda option: (min(len(w) for w in option) / len(option), -len(option)))


def _leading(items: Any, c: Any) -> str:
    """The letters an alternative starts with (up to its first non-letter)."""
    text = ""
    for op, value in items:
        if op is not c.LITERAL or not chr(value).isalpha():
            break
        text += chr(value)
    return text


def split_alternatives(pattern: re.Pattern[str]) -> list[re.Pattern[str]]:
    """The pattern's top-level alternatives as patterns of their own (the pattern itself if it has none)."""
    source, parts, depth, start, i = pattern.pattern, [], 0, 0, 0
    in_class = False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if source[i + 1 : i + 2] == "]":
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    if len(parts) == 1:
        return [pattern]
    try:
        return [re.compile(part, pattern.flags) for part in parts]
    except re.error:  # an inline flag or a reference across alternatives: keep it whole
        return [pattern]
