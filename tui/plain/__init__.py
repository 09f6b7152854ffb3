"""The plain-language checker: jargon, tone and "what happens next" in replies to non-technical people.

Names are loaded on first use: the console imports the checker (and its rules engine) only once the
queue is on screen.
"""

from importlib import import_module

_WHERE = {
    "Checker": "tui.plain.checker",
    "check": "tui.plain.checker",
    "default_checker": "tui.plain.checker",
    "Finding": "tui.plain.findings",
    "apply_suggestion": "tui.plain.findings",
    "Rule": "tui.plain.rules",
    "RuleSet": "tui.plain.rules",
    "load_rules": "tui.plain.rules",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module 'tui.plain' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)
