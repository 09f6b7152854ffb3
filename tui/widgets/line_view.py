"""LineView: the base of the widgets that draw their own lines (the queue, the SLA countdowns)."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView

from tui.widgets.style_cache import StyleCache


class LineView(StyleCache, ScrollView):
    """A ScrollView with its styles kept between frames (StyleCache) and its scrollbars left alone by
    layouts."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._laid_out_size = Size(0, 0)
        """The virtual size the last layout saw."""

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
