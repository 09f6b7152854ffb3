"""The colours of the app's theme by CSS variable name, for the few styles set from Python."""

from __future__ import annotations

from textual.app import App

_BY_THEME: dict[str, dict[str, str]] = {}


def theme_colour(app: App, name: str) -> str:
    """A colour of the app's current theme, such as "accent" or "panel-lighten-2". Textual works the
    variables out afresh on each call (~1 ms), so they are kept per theme."""
    variables = _BY_THEME.get(app.theme)
    if variables is None:
        variables = _BY_THEME[app.theme] = app.get_css_variables()
    return variables[name]
