"""Dialog: a small box drawn over the screen it opens on, holding the keys until it closes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget

ResultType = TypeVar("ResultType")


class Dialog(Vertical, Generic[ResultType]):
    """The base of the choice and text dialogs: `open()` it on a screen, `dismiss()` it with the answer.

    Not a ModalScreen: a modal screen draws a tinted copy of the whole screen beneath it when it
    opens and the screen beneath is drawn again in full when it closes (~25 ms each at 160×50, and
    36 KB to the terminal). On the screen's `dialog` layer a dialog paints only its own cells, and
    closing it repaints only the cells it covered. It is modal all the same: while it has the focus,
    the screen's and the app's keys are cut off (`is_modal`) and Tab stays inside (`trap_focus`).
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything", id="dialog.cancel")
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog")
        self._done: Callable[[ResultType | None], object] = lambda _value: None
        self._return_focus: Widget | None = None
        self._answered = False  # not `_closed`: Textual's message pump has one, and drops messages
        self._handed_on = False

    @property
    def is_modal(self) -> bool:
        return True

    def open(self, screen: Screen, done: Callable[[ResultType | None], object]) -> None:
        """Show the dialog on `screen`; `done` gets the answer, or None when cancelled."""
        self._done = done
        self._return_focus = screen.focused
        opener = _dialog_of(screen.focused)
        if opener is not None:  # asked from another dialog's answer: focus goes back where that one came from
            self._return_focus = opener._return_focus
            opener._handed_on = True
        # First among the screen's children: Textual numbers siblings' paint order from the last one,
        # and a dialog mounted last would renumber every widget and have them all repainted.
        screen.mount(self, before=0)

    def on_mount(self) -> None:
        self.trap_focus()
        self.watch(self.screen, "focused", self._focus_moved, init=False)

    def dismiss(self, value: ResultType | None) -> None:
        """Close with `value` (None: cancelled) and give the focus back to where it was."""
        if self._answered:
            return
        self._answered = True
        try:
            self._done(value)
        finally:
            back = self._return_focus
            if not self._handed_on and back is not None and back.is_attached:
                # At once, not later as `focus()` would: removing the focused dialog first would
                # have Textual pick some other widget to focus in between.
                self.screen.set_focus(back, scroll_visible=False)
            self.remove()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _focus_moved(self, focused: Widget | None) -> None:
        # A click outside the dialog moves the focus away: that cancels it, as Escape would.
        if focused is not None and not self._answered and _dialog_of(focused) is not self:
            self._return_focus = focused  # where the click put it
            self.dismiss(None)


def _dialog_of(widget: Widget | None) -> Dialog | None:
    if widget is None:
        return None
    return next((node for node in widget.ancestors_with_self if isinstance(node, Dialog)), None)
