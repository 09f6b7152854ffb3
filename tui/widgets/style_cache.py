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
        self._style_cache: dict[tuple[str, bool], Style] = {}

    def _style(self, name: str, *, overlay: bool = False) -> Style:
        """The widget's own style ("base") or one of its component classes'. An `overlay` holds only
        what the component's CSS sets (its colour, say, without the widget's background), to be added
        on top of another style such as the cursor's."""
        style = self._style_cache.get((name, overlay))
        if style is None:
            if name == "base":
                style = self.rich_style
            else:
                style = self.get_component_rich_style(name, partial=overlay)
            self._style_cache[name, overlay] = style
        return style

    def notify_style_update(self) -> None:
        self._style_cache.clear()
        super().notify_style_update()
