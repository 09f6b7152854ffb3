"""The checker's mechanics, on small rule files written here (the shipped rules are measured by the
evaluation and tested in test_shipped_rules.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config_checker import ConfigError
from tui.plain import Checker, apply_suggestion

RULES = """
rules:
  - term: core switch
    category: jargon
    plain: [main network box]
    explain: Few people know what a switch is.
    severity: warning
  - term: re-image
    variants: [re-imaged, re-imaging]
    category: jargon
    plain: [set up your computer again from scratch]
    explain: Say what will happen to their files.
  - term: VLAN
    category: acronym
    plain: [network section]
    explain: Network-team jargon.
  - term: MFA
    category: acronym
    plain: [sign-in code]
    explain: Say "the code your phone shows".
  - term: simply
    category: tone
    plain: []
    explain: It tells people they should have found it easy.
  - term: user error
    category: blame
    plain: [a mix-up]
    explain: Blame makes people stop asking for help.
  - pattern: "\\\\b(?:exit|error) code \\\\d+\\\\b"
    name: error code number
    category: jargon
    plain: [an error]
    explain: A number means nothing to most people.
names: [Outlook, IT, OK, PDF]
"""


@pytest.fixture
def checker(tmp_path: Path) -> Checker:
    (tmp_path / "rules.yaml").write_text(RULES)
    return Checker.from_files([tmp_path])


def spans(checker: Checker, text: str, kind: str = "text") -> list[tuple[str, str]]:
    return [(f.text, f.category) for f in checker.check(text, kind=kind) if f.scope == "span"]


def test_terms_match_whole_words_in_any_case_and_with_plurals(checker: Checker) -> None:
    assert spans(checker, "The Core Switch and two core switches failed.") == [
        ("Core Switch", "jargon"),
        ("core switches", "jargon"),
    ]
    assert spans(checker, "The switchboard is fine.") == []


def test_hyphenated_terms_match_written_together_or_apart(checker: Checker) -> None:
    for written in ("re-image", "reimage", "re image", "re-imaged", "reimaging"):
        assert spans(checker, f"We will {written} it.") == [(written, "jargon")], written


def test_a_phrase_does_not_match_across_a_full_stop(checker: Checker) -> None:
    assert spans(checker, "We checked the core. Switch it off and on.") == []


def test_acronyms_are_case_sensitive_and_unknown_ones_are_noticed(checker: Checker) -> None:
    assert spans(checker, "Your VLAN is fine, no vlan problem.") == [("VLAN", "acronym")]
    assert spans(checker, "Escalated to T3 per SOP.") == [("T3", "acronym"), ("SOP", "acronym")]
    assert spans(checker, "IT sent the PDF to Outlook, OK?") == []  # known names


def test_an_acronym_the_reply_explains_is_fine_afterwards(checker: Checker) -> None:
    text = "We turned on multi-factor authentication (MFA). From now on MFA asks for a code. MFAs too."
    assert spans(checker, text) == []
    assert spans(checker, "MFA (the code your phone shows) is on. MFA is easy.") == []
    assert spans(checker, "MFA is on. It means multi-factor authentication (MFA).") == [("MFA", "acronym")]


def test_urls_addresses_paths_code_and_quotes_are_never_flagged(checker: Checker) -> None:
    text = (
        "See https://intranet.example.org/core-switch/VLAN, mail vlan.team@example.org, open "
        "C:\\Users\\jo\\VLAN, \\\\fs01\\VLAN and /srv/core/switch.txt, run `reimage --VLAN`, and note "
        '"Error: VLAN 12 core switch offline".'
    )
    assert spans(checker, text) == []


def test_tone_blame_shouting_and_patterns(checker: Checker) -> None:
    text = "Simply restart it. It was user error. AS I ALREADY EXPLAINED, exit code 1603 means STOP."
    assert spans(checker, text) == [
        ("Simply", "tone"),
        ("user error", "blame"),
        ("AS I ALREADY EXPLAINED", "shouting"),
        ("exit code 1603", "jargon"),
        ("STOP", "shouting"),
    ]


def test_a_lone_acronym_is_not_shouting_but_a_lone_ordinary_word_in_capitals_is(checker: Checker) -> None:
    assert spans(checker, "Please do NOT reply to the PDF.") == [("NOT", "shouting")]
    assert spans(checker, "Please send the PDF by 5 pm, OK?") == []


def test_whole_reply_checks_have_no_span(checker: Checker) -> None:
    findings = checker.check("the core switch is broken", kind="reply", next_update="by 3pm tomorrow")
    reply = {f.category: f for f in findings if f.scope == "reply"}
    assert set(reply) == {"greeting", "next_steps"}
    assert all(f.start == f.end == 0 for f in reply.values())
    assert reply["next_steps"].suggestions == ("I'll update you by 3pm tomorrow.",)
    good = (
        "Hi Sam, thanks for letting us know. I've replaced the cable on your desk. You don't need to do "
        "anything. I'll check in with you tomorrow morning."
    )
    assert [f for f in checker.check(good, kind="reply") if f.scope == "reply"] == []


def test_reading_grade_and_long_sentences(checker: Checker) -> None:
    hard = (
        "Notwithstanding considerable organisational complexities, comprehensive infrastructural "
        "modernisation necessitates multidisciplinary collaboration, standardisation, documentation and "
        "continuous operational optimisation across interdependent departmental responsibilities."
    )
    assert "reading grade" in {f.rule for f in checker.check(hard, kind="text")}
    rambling = (
        "When you get back to your desk after lunch you could try to turn the laptop off and on again "
        "and then sign in and open the app and see if the sound comes back for you."
    )
    assert "long sentence" in {f.rule for f in checker.check(rambling, kind="text")}
    easy = "Your laptop is fixed. It had a loose cable. We put a new one in. You can pick it up at the desk today."
    assert not [f for f in checker.check(easy, kind="text") if f.category == "readability"]


@pytest.mark.parametrize(
    ("text", "rule", "replacement", "expected"),
    [
        ("Simply restart it.", "simply", "", "Restart it."),
        ("You can simply restart it.", "simply", "", "You can restart it."),
        (
            "Fixed the core switch today.",
            "core switch",
            "main network box",
            "Fixed the main network box today.",
        ),
        ("Core switch is down.", "core switch", "main network box", "Main network box is down."),
        ("It was user error, sorry.", "user error", "a mix-up", "It was a mix-up, sorry."),
    ],
)
def test_applying_a_suggestion_keeps_the_case_and_the_text_around(
    checker: Checker, text: str, rule: str, replacement: str, expected: str
) -> None:
    finding = next(f for f in checker.check(text, kind="text") if f.rule == rule)
    assert apply_suggestion(text, finding, replacement) == expected


def test_hostile_text_is_checked_not_run(checker: Checker) -> None:
    for text in [
        "",
        "   ",
        "[b]core switch[/b]",
        "\x1b[31mVLAN\x1b[0m",
        "🔥" * 500,
        "(" * 300 + "MFA",
        '"unterminated quote VLAN',
        "`" * 9,
        "a" * 20000,
    ]:
        checker.check(text)


def test_a_malformed_rule_file_names_the_file_line_and_rule(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(
        "rules:\n  - term: widget\n    category: jargn\n    plain: [thing]\n    explain: x\n"
        "  - term: gizmo\n    category: jargon\n    plain: []\n    explain: y\n"
        "  - pattern: '([unclosed'\n    name: broken\n    category: jargon\n    plain: [z]\n    explain: z\n"
    )
    with pytest.raises(ConfigError) as caught:
        Checker.from_files([tmp_path])
    problems = caught.value.problems
    assert [(p.line, p.key) for p in problems] == [
        (3, "rules[0].category"),
        (8, "rules[1].plain"),
        (10, "rules[2].pattern"),
    ]
    assert all(p.file.endswith("team.yaml") for p in problems)
    assert "'widget'" in problems[0].message and "'gizmo'" in problems[1].message
    assert "not a valid regular expression" in problems[2].message


def test_windows_style_relative_paths_are_never_flagged(checker: Checker) -> None:
    text = "Look in %appdata%\\VLAN\\core switch or AppData\\Local\\VLAN, then tell me what you see."
    assert spans(checker, text) == []
