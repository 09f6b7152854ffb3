"""data/plain/tone_shapes.yaml: belittling, sarcastic, impatient and blaming phrasings, caught as families,
while kind replies that use the same words stay clean. Checked with the real shipped checker."""

from __future__ import annotations

import pytest

from tui.plain import default_checker

SOURCE = "tone_shapes.yaml"


def shape_rules() -> set[str]:
    return {rule.name for _, rule in default_checker().rules.patterns if rule.source.startswith(SOURCE)}


def flagged_by_shapes(text: str) -> list[tuple[str, str]]:
    names = shape_rules()
    return [(f.text, f.rule) for f in default_checker().check(text, kind="text") if f.rule in names]


UNKIND = [
    # comparisons that belittle
    "As anyone who has used a computer knows, you have to save first.",
    "Even my kids could set this up.",
    "Most people manage to do this without calling us.",
    "Everyone else in the office manages to print.",
    "You're the only person in the building who struggles with this.",
    "Nobody else has this problem.",
    # impatience and repetition
    "This is the third time you've asked about this.",
    "For the fourth time, please restart the laptop.",
    "As I keep saying, the VPN has to be on.",
    "I've explained this several times already.",
    "I'm not going to keep explaining this.",
    "Once again, you need to restart it.",
    "How many times do I have to tell you?",
    "Try to keep up.",
    # sarcasm and mock surprise
    "Shockingly, a restart fixed it.",
    "Surprise, surprise, it was the cable.",
    "Funny how it started working once you restarted.",
    "Congratulations, you've locked yourself out.",
    "Seriously?",
    # dismissing the request
    "Not sure why this needed a ticket.",
    "This didn't need a ticket.",
    "A quick search would have answered this.",
    "If you'd bothered to read the email, you'd know.",
    "What did you expect?",
    "I don't know what you want me to do.",
    "That's just the way it is.",
    # blame
    "This happened because of something you did.",
    "You somehow managed to delete the whole folder.",
    "You've forgotten your password again.",
    "We've repeatedly asked you to restart.",
    "Please be more careful next time.",
    "The problem is with you, not the computer.",
    "You only have yourself to blame.",
    "It was an error on your part.",
    "You don't seem to understand.",
    "You're overreacting.",
    # patronising softeners
    "Don't worry your pretty little head about it.",
    "It's hardly difficult.",
    "Is that clear enough for you?",
    "Let me explain it slowly.",
    "Hi hun, it's fixed.",
    "It's literally one click.",
]

KIND = [
    "I've said to the team that your laptop comes first.",
    "The third floor printer is working again.",
    "The printer is once again working.",
    "Thank you once again for your patience.",
    "You should see a sign-in box when the laptop starts.",
    "You must restart to finish the update.",
    "You'll need to sign in again after the restart.",
    "If you keep getting the error, call me.",
    "No one else has reported it, so it looks like it's just your laptop.",
    "You're the only person who can approve this, so I've sent it to you.",
    "Most people need to sign in again after the update.",
    "Even if the screen goes black, your work is saved.",
    "This is the second time the printer has jammed this week, so we're replacing it.",
    "I see this is the second time you've contacted us about this; sorry it's still not fixed.",
    "If you've forgotten your password again, use the reset page.",
    "You've reset your password, so you'll need to sign in again.",
    "This wasn't caused by you.",
    "It's not something you did; it was a fault on our side.",
    "I should have been more careful when I moved your files, sorry.",
    "There's no such thing as a stupid question.",
    "Don't worry if you don't understand the jargon; here it is in plain words.",
    "What did you expect to happen when you clicked Save?",
    "I'm not sure what you were expecting, could you tell me more?",
    "We'll deal with it first thing tomorrow.",
    "Hold your hand over the sensor for two seconds.",
    "Oh dear, that sounds frustrating.",
    "Dear Sam, thanks for getting in touch.",
    "Well done, you've fixed it!",
    "I'll go through it slowly with you on a call.",
    "It's easy enough to miss, so I've added a picture.",
]


@pytest.mark.parametrize("text", UNKIND)
def test_unkind_phrasings_are_flagged(text: str) -> None:
    assert flagged_by_shapes(text), text


@pytest.mark.parametrize("text", KIND)
def test_kind_replies_with_the_same_words_are_not(text: str) -> None:
    assert flagged_by_shapes(text) == []


def test_no_words_are_flagged_twice() -> None:
    """Neither two of these rules nor one of these and an older rule underline the same words."""
    names = shape_rules()
    for text in UNKIND:
        found = [f for f in default_checker().check(text, kind="text") if f.category in ("tone", "blame")]
        ours = [f for f in found if f.rule in names]
        twice = [(a.text, b.text) for a in ours for b in found if a is not b and a.overlaps(b.start, b.end)]
        assert twice == [], text


def test_every_alternative_has_an_anchor_word() -> None:
    """An alternative without an anchor runs over the whole draft on every keystroke."""
    rules = default_checker().rules
    loose = [
        pattern.pattern[:60]
        for (pattern, rule), anchor in zip(rules.patterns, rules.anchors, strict=True)
        if rule.source.startswith(SOURCE) and anchor is None
    ]
    assert loose == []
