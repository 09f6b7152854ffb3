"""LineView: the base of the widgets that draw their own lines (the queue, the SLA countdowns)."""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView


class LineView(ScrollView):
    """A ScrollView with its styles kept between frames and its scrollbars left alone by layouts."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._style_cache: dict[str, Style] = {}
        self._laid_out_size = Size(0, 0)
        """The virtual size the last layout saw."""

    def _style(self, name: str) -> Style:
        """The widget's style ("base") or a component's, worked out once until the styles change:
        Textual walks every ancestor for each, and a frame asks for them on every line."""
        style = self._style_cache.get(name)
        if style is None:
            style = self.rich_style if name == "base" else self.get_component_rich_style(name)
            self._style_cache[name] = style
        return style

    def notify_style_update(self) -> None:
        self._style_cache.clear()
        super().notify_style_update()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Textual hands a ScrollView the layout's virtual size, never the one it set itself, and
        # repaints its scrollbars whenever the two differ: on every layout of the screen (a dialog
        # opening, a pane showing), ~100 µs a line. Only a change of its own size is passed on.
        if self.virtual_size == self._laid_out_size:
            virtual_size = self.virtual_size
        self._laid_out_size = self.virtual_size
        return super()._size_updated(size, virtual_size, container_size, layout)
