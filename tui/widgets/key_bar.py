"""KeyBar: the keys of the focused widget and screen on one line, as Textual's Footer shows them.

Textual's Footer is a grid of one widget per key, rebuilt whenever focus moves; in the console that
rebuild cost over 100 ms each time a ticket opened. This bar is one widget that redraws one line.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """The keys that work now; click one to press it. Disabled keys are dimmed."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []
        """(start, end, key) of each key on the line, for clicks."""

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

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        words_style = self.get_component_rich_style("key-bar--description")
        disabled = self.get_component_rich_style("key-bar--disabled")
        line, self._spans = Text(no_wrap=True, overflow="crop"), []
        for key, shown, description, enabled in self.keys():
            start = len(line)
            line.append(f" {shown} ", key_style if enabled else key_style + disabled)
            line.append(f"{description} ", words_style if enabled else words_style + disabled)
            self._spans.append((start, len(line), key))
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
