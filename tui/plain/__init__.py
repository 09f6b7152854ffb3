"""The plain-language checker: jargon, tone and "what happens next" in replies to non-technical people."""

from tui.plain.checker import Checker, check, default_checker
from tui.plain.findings import Finding, apply_suggestion
from tui.plain.rules import Rule, RuleSet, load_rules

__all__ = [
    "Checker",
    "Finding",
    "Rule",
    "RuleSet",
    "apply_suggestion",
    "check",
    "default_checker",
    "load_rules",
]
