"""data/plain/more_vocabulary.yaml through the real checker: the IT sense is flagged with a plain word that
fits the sentence, and the everyday sense of the same words is left alone."""

from __future__ import annotations

import pytest

from tui.plain import apply_suggestion, default_checker, load_rules
from tui.resources import data_dir

VOCABULARY = data_dir() / "plain" / "more_vocabulary.yaml"


def own_rule_names() -> set[str]:
    rules = load_rules([VOCABULARY])
    everything = [*rules.phrases.values(), *rules.exact.values(), *(r for _, r in rules.patterns)]
    return {r.name for r in everything}


def spans(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.rule) for f in default_checker().check(text, kind="text") if f.scope == "span"]


@pytest.mark.parametrize(
    ("sentence", "words", "rule"),
    [
        ("I've changed the setting in our tenant.", "our tenant", "in our tenant (Microsoft 365)"),
        ("Your old mailbox was purged last week.", "purged", "was purged"),
        ("The account is soft-deleted for 30 days.", "soft-deleted", "soft-deleted"),
        ("We reclaimed the licence when Sam left.", "reclaimed the licence", "reclaimed the licence"),
        ("The licence true-up is due in March.", "true-up", "true-up (licences)"),
        ("Your laptop has a pending reboot.", "pending reboot", "pending reboot"),
        ("The volume failed to mount after the update.", "failed to mount", "failed to mount"),
        ("It's an unsigned binary, so Defender blocked it.", "unsigned binary", "unsigned binary"),
        ("Please relaunch Teams once the update finishes.", "relaunch", "relaunch the app"),
        ("The tunnel dropped at 3pm.", "tunnel", "the tunnel (VPN)"),
        ("Your laptop re-associated with a weaker access point.", "re-associated", "re-associated"),
        ("Inbound calls are going to voicemail.", "Inbound", "inbound calls"),
        ("The call queue sends calls to the whole team.", "call queue", "call queue"),
        ("Your number was ported out yesterday.", "ported out", "ported out"),
        ("Your print jobs are held until you tap your badge.", "print jobs", "print jobs"),
        ("Use Follow-Me printing on any floor.", "Follow-Me printing", "Follow-Me printing"),
        ("Your password was found in a breach dump.", "breach dump", "breach dump"),
        ("We isolated the host while we checked it.", "isolated the host", "isolate the host"),
        (
            "Copilot's answers are grounded in your files.",
            "grounded in your files",
            "grounded in your data (AI)",
        ),
        ("It was a prompt injection hidden in the page.", "prompt injection", "prompt injection"),
        ("Copilot hallucinated a policy that doesn't exist.", "hallucinated", "the AI hallucinated"),
        ("I've re-routed your ticket to the network team.", "re-routed", "re-routed to a team"),
        ("It's been sent for fulfilment.", "for fulfilment", "sent for fulfilment"),
        ("I've passed it to second line.", "second line", "second line (team)"),
    ],
)
def test_the_it_sense_is_flagged(sentence: str, words: str, rule: str) -> None:
    assert (words, rule) in spans(sentence), spans(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Please share the document with your team.",
        "Turn the volume up on your headset.",
        "I've flushed out the problem with the rota.",
        "Your jobs list is on the intranet.",
        "The scope of the project has grown.",
        "We'll process your request today.",
        "The tenant in unit 4 called about the heating.",
        "There's a free seat by the window in the training room.",
        "Your sales quota for the quarter is in the dashboard.",
        "The tunnel was closed so the bus was late.",
        "The charging port was blocked with fluff, so I cleaned it.",
        "It's a binary choice between the two options.",
        "The hiring process froze when the budget changed.",
        "I'll ring back later this afternoon.",
        "The order went to the warehouse for fulfilment of the delivery.",
        "He has a sense of fulfilment in his role.",
        "The document was notarised by a solicitor.",
        "We'll relaunch the newsletter next month.",
        "Her advice was grounded in experience.",
        "Her hallucinations were a side effect of the medicine.",
        "The second line of your address needs a postcode.",
        "The dispatch team sent your parcel today.",
        "The flow of work has improved this month.",
        "From a management point of view, this is a good plan.",
        "It was a hard match against Leeds on Saturday.",
        "The plug-in heater is in the cupboard.",
        "Is the A record player in the lounge working?",
        "The stop code on the bus is 4521.",
    ],
)
def test_the_everyday_sense_is_left_alone(sentence: str) -> None:
    ours = own_rule_names()
    assert [s for s in spans(sentence) if s[1] in ours] == []


def test_the_first_plain_word_reads_well_in_place() -> None:
    text = "We reclaimed the licence and the ticket breached overnight."
    for finding in reversed([f for f in default_checker().check(text, kind="text") if f.scope == "span"]):
        text = apply_suggestion(text, finding, finding.suggestions[0])
    assert text == "We freed up the licence and the ticket went past our target time overnight."
