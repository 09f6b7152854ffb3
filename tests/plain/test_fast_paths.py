"""The checker's shortcuts find exactly what the plain way finds: patterns tried only at their starts,
phrases looked up by their first two words, and the quick searches before the slow ones."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
import yaml

from tui.plain import Checker, default_checker, protect, shapes
from tui.plain.readability import _SENTENCE_END
from tui.plain.starts import finder, fold, matches, starts

EVAL = Path(__file__).resolve().parent.parent / "eval"
TRICKY = [
    "",
    "Hi Sam, the VPN client (the app that links you to the office) is fixed; MFA is on. I'll call you at 3pm.",
    "WE ESCALATED IT TO P1 per SOP... ETA: TBD!!! Don't re-image; re-pair the dock. 0x80070005 on x64.",
    "İstanbul ıs ſtill KELVIN-\u212a; the Cloud’s “client” — don't—won’t 🙂client🙂 sev-1 Sev 0 pri-2",
    "as I said,as I’ve said\nas we explained\n\nlike everyone else does. The problem is on your end!",
    "a\u00a0b\u2028c\u0085d\x1ce. f? g! h\r\ni",
]


def texts() -> list[str]:
    found = list(TRICKY)
    for path in sorted(EVAL.glob("*.yaml")):
        found += [case["text"] for case in yaml.safe_load(path.read_text())]
    return found


def test_fold_takes_a_letter_as_a_case_insensitive_pattern_does() -> None:
    """Every character that an IGNORECASE pattern matches with an ASCII letter folds to that letter
    (for this Python's regex engine), and folding keeps every character in its place."""
    everything = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000)
    folded = fold(everything)
    assert len(folded) == len(everything)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for match in re.finditer(letter, everything, re.IGNORECASE):
            assert folded[match.start()] == letter, (letter, match.group())
        assert all(fold(ch) == letter for ch in re.findall(letter, everything, re.IGNORECASE))


def parsed(source: str, flags: int = re.IGNORECASE) -> object:
    from re import _parser

    return _parser.parse(source, flags)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"\bcore\s+switch\b", ("core",)),
        (r"(?:the\s+)?(?:problem|issue)\s+is", ("issue", "proble", "the")),
        (r"\b(?:P[01]|Sev[- ]?[01])\b", ("p0", "p1", "sev ", "sev-", "sev0", "sev1")),
        (r"(?<=desktop )(?<!the )client", ("client",)),
        (r"\bbump(?:ed|ing)?\b|\bbumps\b", ("bump",)),  # "bumped" begins with "bump"
        (r"it[’']s", ("it's", "it’s")),
        (r"\ba\s+quick", None),  # "a" is everywhere
        (r"(?:x)?", None),  # can match nothing
        (r"\w+ing", None),
        (r"Épée", None),  # a letter with case outside ASCII: fold does not know its other cases
    ],
)
def test_the_starts_of_a_pattern(source: str, expected: tuple[str, ...] | None) -> None:
    assert starts(parsed(source)) == expected


def test_a_search_for_several_starts_finds_each_at_its_place() -> None:
    lead = ("bump", "escala", "esc-", "hand", "pass", "sev ", "sev-")
    seek = finder(lead)
    text = "we pass it by hand, sev-1 or sev 2; escalate, esc-key; bumped handpass"
    found, hit = [], seek.search(text)
    while hit:
        found.append(hit.start())
        hit = seek.search(text, hit.start() + 1)
    assert found == sorted(i for i in range(len(text)) for s in lead if text.startswith(s, i))


def test_trying_each_pattern_only_at_its_starts_finds_what_finditer_finds() -> None:
    rules = default_checker().rules
    chosen = [(pattern, lead) for (pattern, _), lead in zip(rules.patterns, rules.leads, strict=True) if lead]
    assert len(chosen) > 500
    rng = random.Random(4)
    for text in rng.sample(texts(), 40) + TRICKY:
        folded = fold(text)
        windows = [(0, len(text))] + [tuple(sorted((rng.randint(0, len(text)), rng.randint(0, len(text)))))]
        for pattern, lead in chosen:
            there = [string for string in lead if string in folded]
            seek = there[0] if len(there) == 1 else finder(lead)
            for start, end in windows:
                expected = [m.span() for m in pattern.finditer(text, start, end)]
                assert [m.span() for m in matches(pattern, seek, text, folded, start, end)] == expected, (
                    pattern.pattern,
                    text,
                )


RULES = """
rules:
  - {term: cloud sync, category: jargon, plain: [file copying], explain: x}
  - {term: cloud sync client, category: jargon, plain: [the OneDrive app], explain: x}
  - {term: sync client, category: internal, plain: [the app], explain: x}
  - {term: SSO, category: acronym, plain: [single sign-in], explain: x}
  - {term: sso token, category: jargon, plain: [sign-in pass], explain: x}
  - {term: TCP/IP, category: acronym, plain: [network settings], explain: x}
  - {term: load balancer, category: jargon, plain: [traffic splitter], explain: x}
  - {term: health probe, category: jargon, plain: [check], explain: x}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The cloud sync client crashed.", [("cloud sync client", "cloud sync client")]),
        ("The cloud sync, client side, crashed.", [("cloud sync", "cloud sync")]),
        (
            "The sync client and the Cloud Sync Clients.",
            [("sync client", "sync client"), ("Cloud Sync Clients", "cloud sync client")],
        ),
        ("Our SSO token expired.", [("SSO token", "sso token")]),  # the longer phrase beats the acronym
        ("Use SSO today.", [("SSO", "SSO")]),
        ("the sso page", []),  # an acronym matches as written
        ("Check TCP/IP settings and tcp/ip.", [("TCP/IP", "TCP/IP")]),
        (
            "the load balancer's health probe",
            [("load balancer's", "load balancer"), ("health probe", "health probe")],
        ),
        ("a load-balancer", [("load-balancer", "load balancer")]),
        ("cloud 🙂 sync", []),  # a phrase does not run across an emoji
        ("cloud sync🙂 client", [("cloud sync", "cloud sync")]),
        ("cloud\nsync", [("cloud\nsync", "cloud sync")]),
        ("cloud. Sync client", [("Sync client", "sync client")]),
    ],
)
def test_the_longest_phrase_wins_and_phrases_stop_at_punctuation(
    tmp_path: Path, text: str, expected: list[tuple[str, str]]
) -> None:
    (tmp_path / "rules.yaml").write_text(RULES)
    checker = Checker.from_files([tmp_path])
    found = [(f.text, f.rule) for f in checker.check(text, kind="text") if f.scope == "span"]
    assert found == expected


def test_protected_text_is_found_as_one_search_for_every_kind_would() -> None:
    """Kinds whose mark is not in the text are left out of the search; nothing else changes."""
    every = re.compile("|".join(source for _, source in protect._KINDS))

    def reference(text: str) -> list[tuple[int, int]]:
        spans = []
        for match in every.finditer(text):
            start, end = match.span()
            while end > start and text[end - 1] in ".,;:!?)]'":
                if text[end - 1] in ")]" and "(" in text[start:end] and text[end - 1] == ")":
                    break
                end -= 1
            spans.append((start, end))
        return spans

    pieces = [
        "see https://x.org/a.",
        "www.example.com",
        "jo@example.org",
        "C:\\Users\\jo",
        "\\\\srv\\share",
        "%appdata%\\Teams",
        "AppData\\Roaming",
        "~/Documents/x",
        "/home/jo/f",
        "`code`",
        '"quoted"',
        "“curly”",
        "‘single’",
        "a/b",
        "100%",
        "@ home",
    ]
    rng = random.Random(5)
    for _ in range(300):
        text = " ".join(rng.sample(pieces, rng.randint(0, 5)))
        assert protect.protected_spans(text) == reference(text), text


def test_shapes_look_only_at_words_with_a_capital_or_digit_where_a_shape_can_be() -> None:
    for text in [
        *TRICKY,
        "don'tx1 abc'deF1 OneDrive's iPhones eBay x64 abc123 ABCed a1 A1 9a",
        "z" * 50 + "Q",
    ]:
        everyone = [w.span() for w in shapes._WORD.finditer(text) if shapes._CANDIDATE.search(w.group())]
        assert [
            w.span() for w in shapes._candidate_words(text) if shapes._CANDIDATE.search(w.group())
        ] == everyone


def test_sentences_split_as_the_plain_pattern_splits() -> None:
    plain = re.compile(r"(?<=[.!?])\s+|\n+")
    rng = random.Random(6)
    alphabet = ["a", "b", ".", "!", "?", " ", "  ", "\n", "\n\n", "\t", "\r", "\u00a0", "\u2028", "\x0b", "…"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert _SENTENCE_END.split(text) == plain.split(text), repr(text)
