"""StyleCache: a widget's styles kept between frames, for widgets that draw their own lines."""

from __future__ import annotations

from rich.style import Style


class StyleCache:
    """Mixed in before the widget class, for a widget that builds its lines from segments: its styles
    are worked out once until Textual restyles it. Textual walks every ancestor for each, and a frame
    asks on every line. Not a Widget itself: Textual takes a widget's default CSS from its first
    widget base, which must stay the real one (ScrollView's gives the scrollbars)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._style_cache: dict[str, Style] = {}

    def _style(self, name: str) -> Style:
        """The widget's own style ("base") or one of its component classes'."""
        style = self._style_cache.get(name)
        if style is None:
            style = self.rich_style if name == "base" else self.get_component_rich_style(name)
            self._style_cache[name] = style
        return style

    def notify_style_update(self) -> None:
        self._style_cache.clear()
        super().notify_style_update()
