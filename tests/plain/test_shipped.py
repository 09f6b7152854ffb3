"""The shipped rules: enough of them, measured against labelled replies, and every text PlainDesk shows
to people (canned replies, fix-it-yourself guides) passes them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tui.plain import default_checker
from tui.plain.evaluate import evaluate, report
from tui.resources import data_dir

REPO = Path(__file__).resolve().parents[2]
LABELLED = [
    REPO.parent / "shared" / "eval" / "plain_public.yaml",
    REPO / "tests" / "eval" / "plain_labelled.yaml",
    REPO / "tests" / "eval" / "plain_heldout.yaml",
    REPO / "tests" / "eval" / "plain_heldout2.yaml",
    REPO / "tests" / "eval" / "plain_heldout3.yaml",
]


def test_at_least_300_jargon_rules_cover_every_area() -> None:
    rules = default_checker().rules
    everything = {id(r): r for r in (*rules.phrases.values(), *rules.exact.values())}
    everything.update({id(r): r for _, r in rules.patterns})
    categories = Counter(r.category for r in everything.values())
    assert categories["jargon"] + categories["acronym"] + categories["internal"] >= 300
    assert categories["tone"] + categories["blame"] >= 30
    files = {r.source.split(":")[0] for r in everything.values()}
    assert len(files) >= 10


# Issue 5's targets are recall >= 0.90 and false flags <= 0.05 on the public set and ours (`make eval`
# reports them); both meet them. The two held-out sets (written apart from the rules, to see how the
# checker does on words nobody wrote a rule for) are held to what was last measured, so no change slides.
FLOORS = {
    "plain_public.yaml": 0.90,
    "plain_labelled.yaml": 0.90,
    "plain_heldout.yaml": 0.87,
    "plain_heldout2.yaml": 0.69,
    "plain_heldout3.yaml": 0.77,
}


@pytest.mark.parametrize("path", [p for p in LABELLED if p.exists()], ids=lambda p: p.name)
def test_recall_and_false_flags_hold(path: Path) -> None:
    scores = evaluate(yaml.safe_load(path.read_text(encoding="utf-8")), default_checker())
    summary = report(path.name, scores, verbose=True)
    assert scores.recall >= FLOORS[path.name], summary
    assert scores.false_flag_rate <= 0.05, summary


def canned_replies() -> list[dict]:
    path = data_dir() / "canned.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["replies"] if path.exists() else []


@pytest.mark.parametrize("reply", canned_replies(), ids=lambda r: r["id"])
def test_every_canned_reply_is_plain(reply: dict) -> None:
    body = (
        reply["body"]
        .replace("{name}", "Sam")
        .replace("{agent}", "Asha")
        .replace("{next_update}", "3pm tomorrow")
    )
    findings = default_checker().check(body, kind="reply")
    assert findings == [], [(f.category, f.text, f.message) for f in findings]


@pytest.mark.parametrize("guide", sorted((data_dir() / "kb").glob("*.md")), ids=lambda p: p.stem)
def test_every_guide_is_plain(guide: Path) -> None:
    findings = default_checker().check(guide.read_text(encoding="utf-8"), kind="text")
    assert findings == [], [(f.category, f.text, f.message) for f in findings]


def test_plain_check_command(run_cli) -> None:
    bad = run_cli("plain", "check", "-", input="Simply flush the DNS cache. Escalated to L2 per SOP.")
    assert bad.returncode == 1
    assert "tone" in bad.stdout and "acronym" in bad.stdout
    good = run_cli(
        "plain", "check", "-", "--kind", "text", input="Your laptop is fixed. You can pick it up today."
    )
    assert good.returncode == 0, good.stdout
    assert "No problems found." in good.stdout
    data = json.loads(run_cli("plain", "check", "--json", "-", input="Reboot the VLAN.").stdout)
    assert {"start", "end", "text", "category", "message", "suggestions"} <= set(data[0])


def kiosk_texts() -> list[str]:
    from tui.kiosk import texts
    from tui.kiosk_desk import IMPACT_WORDS, STATUS_WORDS

    found = []
    for value in texts.ALL:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            found += list(value.values())
        else:  # the menu: (id, title, hint)
            found += [part for item in value for part in item[1:]]
    return found + list(STATUS_WORDS.values()) + list(IMPACT_WORDS.values())


@pytest.mark.parametrize("text", kiosk_texts())
def test_every_kiosk_text_is_plain(text: str) -> None:
    spans = [f for f in default_checker().check(text, kind="text") if f.scope == "span"]
    assert spans == [], [(f.text, f.message) for f in spans]
