"""KeyBar: the keys of the focused widget and screen on one line, as Textual's Footer shows them.

Textual's Footer is a grid of one widget per key, rebuilt whenever focus moves; in the console that
rebuild cost over 100 ms each time a ticket opened. This bar is one widget that redraws one line.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.style_cache import StyleCache


class KeyBar(StyleCache, Widget):
    """The keys that work now; click one to press it. Disabled keys are dimmed."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []
        """(start, end, key) of each key on the line, for clicks."""
        self._drawn: tuple[tuple, Strip] | None = None
        """((keys, width), the line drawn for them)."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def keys(self) -> list[tuple[str, str, str, bool]]:
        """(key, shown key, description, enabled) of each key to show, one per action."""
        found: dict[str, tuple[str, str, str, bool]] = {}
        active = self.screen.active_bindings  # worked out anew on each call: every binding's check
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in found:
                found[binding.action] = (
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    enabled,
                )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            _node, binding, enabled, _tooltip = palette
            found.setdefault(
                binding.action, (binding.key, self.app.get_key_display(binding), binding.description, enabled)
            )
        return list(found.values())

    def render_line(self, y: int) -> Strip:
        """The bar as one line of segments, drawn again only when the keys or the width change: each
        move of the focus changes the bindings, and Textual's path from Text to a line cost ~3 ms."""
        width = self.size.width
        if y != 0:
            return Strip.blank(width, self._style("base"))
        keys = tuple(self.keys())
        if self._drawn is None or self._drawn[0] != (keys, width):
            segments, self._spans = self._segments(keys)
            strip = Strip(segments).extend_cell_length(width, self._style("base")).crop(0, width)
            self._drawn = ((keys, width), strip)
        return self._drawn[1]

    def render(self) -> Text:
        """The bar as Text (what it says, for a reader of the code or a test)."""
        return Text.assemble(*((seg.text, seg.style) for seg in self._segments(tuple(self.keys()))[0]))

    def _segments(self, keys: tuple[tuple[str, str, str, bool], ...]) -> tuple[list[Segment], list]:
        base = self._style("base")
        key_style, words_style = (
            base + self._style("key-bar--key"),
            base + self._style("key-bar--description"),
        )
        disabled = self._style("key-bar--disabled")
        segments: list[Segment] = []
        spans: list[tuple[int, int, str]] = []
        at = 0
        for key, shown, description, enabled in keys:
            start = at
            for text, style in ((f" {shown} ", key_style), (f"{description} ", words_style)):
                segments.append(Segment(text, style if enabled else style + disabled))
                at += cell_len(text)
            spans.append((start, at, key))
        return segments, spans

    def notify_style_update(self) -> None:
        self._drawn = None
        super().notify_style_update()

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
