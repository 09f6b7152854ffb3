"""`make eval`: how well the checker does on labelled replies (recall and false flags, per category).

Run: python -m tui.plain.evaluate [-v] FILE [FILE ...] [--held-out FILE ...]
Files after --held-out are reported but not held to the targets (sets kept apart from rule writing).
Each file is a list of {id, text, must_flag: [span...], must_not_flag: [span...]}; a reply with an
empty must_flag is plain, and any finding on a span of it is a false flag.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tui.plain.checker import Checker, default_checker
from tui.plain.findings import SPAN_CATEGORIES


@dataclass
class Scores:
    must_flag: int = 0
    caught: int = 0
    must_not: int = 0
    wrongly_flagged: int = 0
    plain: int = 0
    plain_flagged: int = 0
    categories: Counter = field(default_factory=Counter)
    """Findings on flagged spans, by category."""
    false_by_category: Counter = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.must_flag if self.must_flag else 1.0

    @property
    def false_flag_rate(self) -> float:
        """Share of must-not spans and plain replies that got a finding."""
        total = self.must_not + self.plain
        return (self.wrongly_flagged + self.plain_flagged) / total if total else 0.0


def evaluate(cases: list[dict], checker: Checker) -> Scores:
    scores = Scores()
    for case in cases:
        text = case["text"]
        findings = [f for f in checker.check(text) if f.scope == "span" and f.category in SPAN_CATEGORIES]
        for span in case.get("must_flag") or []:
            start = text.find(span)
            scores.must_flag += 1
            hits = [f for f in findings if f.overlaps(start, start + len(span))]
            if hits:
                scores.caught += 1
                scores.categories[hits[0].category] += 1
            else:
                scores.missed.append(f"{case['id']}: {span}")
        for span in case.get("must_not_flag") or []:
            start = text.find(span)
            scores.must_not += 1
            hits = [f for f in findings if f.overlaps(start, start + len(span))]
            if hits:
                scores.wrongly_flagged += 1
                scores.false_by_category[hits[0].category] += 1
                scores.false.append(f"{case['id']}: {span!r} <- {hits[0].text!r} ({hits[0].rule})")
        if not case.get("must_flag"):
            scores.plain += 1
            if findings:
                scores.plain_flagged += 1
                scores.false_by_category[findings[0].category] += 1
                scores.false.append(f"{case['id']} (plain): {findings[0].text!r} ({findings[0].rule})")
    return scores


def report(name: str, scores: Scores, verbose: bool = False) -> str:
    lines = [
        f"{name}: recall {scores.recall:.3f} ({scores.caught}/{scores.must_flag} must-flag spans); "
        f"false flags {scores.false_flag_rate:.3f} ({scores.wrongly_flagged}/{scores.must_not} must-not spans, "
        f"{scores.plain_flagged}/{scores.plain} plain replies)",
        "  caught by category: " + (", ".join(f"{c} {n}" for c, n in scores.categories.most_common()) or "-"),
        "  false flags by category: "
        + (", ".join(f"{c} {n}" for c, n in scores.false_by_category.most_common()) or "-"),
    ]
    if verbose:
        lines += [f"  missed {m}" for m in scores.missed] + [f"  false {f}" for f in scores.false]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args
    held_out = False
    checker = default_checker()
    failed = False
    for arg in args:
        if arg == "-v":
            continue
        if arg == "--held-out":
            held_out = True  # the files after it are reported, not held to the targets
            continue
        path = Path(arg)
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        scores = evaluate(cases, checker)
        print(report(path.name + (" (held out)" if held_out else ""), scores, verbose))
        if not held_out:
            failed |= scores.recall < 0.90 or scores.false_flag_rate > 0.05
    print("targets (recall >= 0.90, false flags <= 0.05):", "NOT MET" if failed else "met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
