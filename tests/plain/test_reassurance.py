"""Reassurance is not blame: "it's not your fault" must never be flagged, "it was your fault" must be."""

from __future__ import annotations

import pytest

from tui.plain.checker import default_checker


@pytest.mark.parametrize(
    "text",
    [
        "It's not your fault.",
        "This wasn't your fault at all.",
        "None of this is your fault.",
        "It is not user error; it is a bug in the update.",
        "That is not hard to fix for us, so I'll do it today.",
    ],
)
def test_reassurance_is_not_flagged(text: str) -> None:
    assert [f.text for f in default_checker().check(text, kind="text") if f.scope == "span"] == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("It was entirely your fault.", "entirely your fault"),
        ("That was user error.", "user error"),
        ("It's not difficult: press Reset.", "It's not difficult"),
        ("Please do NOT share your password.", "NOT"),
        ("Send me your pw and acct name.", "pw"),
    ],
)
def test_blame_minimising_and_shouting_are(text: str, flagged: str) -> None:
    assert flagged in [f.text for f in default_checker().check(text, kind="text") if f.scope == "span"]
