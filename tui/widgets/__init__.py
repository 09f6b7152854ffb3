"""Widgets shared by the console and the kiosk; each has its stylesheet beside it."""

from pathlib import Path


def widget_css() -> list[Path]:
    """Every widget stylesheet, in a stable order; both apps load these."""
    return sorted(Path(__file__).parent.glob("*.tcss"))
