"""BarActions: the console's keys for the walk-up bar — call the next visitor, announce on the kiosk.

Mixed into ConsoleScreen; uses its desk, notify and open_ticket.
"""

from __future__ import annotations

from datetime import timedelta

from textual import work
from textual.binding import Binding

from tui.store import StoreError
from tui.widgets.user_text import plain_line


class BarActions:
    BAR_BINDINGS = [
        Binding(
            "N",
            "call_next",
            "Call next",
            show=False,
            tooltip="Call the next walk-up visitor to the bar",
            id="console.call_next",
        ),
        Binding(
            "exclamation_mark",
            "announce",
            "Announce",
            show=False,
            tooltip="Show an outage, training or notice on the kiosk",
            id="console.announce",
        ),
    ]

    @work(thread=True, exclusive=True, group="call", exit_on_error=False)
    def action_call_next(self) -> None:
        """Call the longest-waiting visitor at the bar; the kiosk's board shows their name."""
        from tui.kiosk_desk import call_next_visitor

        called = call_next_visitor(self.desk.store, self.desk.actor.agent_id or 0, self.desk.now())
        if called is None:
            self.app.call_from_thread(self.notify, "Nobody is waiting at the bar.", markup=False)
            return
        self.app.call_from_thread(
            self.notify, f"Called {plain_line(called.name)}: {plain_line(called.reason)}", markup=False
        )
        if called.ticket_id is not None:
            self.app.call_from_thread(self.open_ticket, called.ticket_id)

    def action_announce(self) -> None:
        """Ask for a title, a kind and how long, then show it on the kiosk's welcome screen."""
        from tui.widgets.choice_dialog import ChoiceDialog
        from tui.widgets.text_dialog import TextDialog

        answers: dict[str, str] = {}

        def hours_given(text: str | None) -> None:
            if text is None:
                return
            try:
                hours = float(text.strip() or "4")
            except ValueError:
                self.notify(
                    f"'{text}' is not a number of hours; try again with a number such as 4.", markup=False
                )
                return
            self._announce(answers["kind"], answers["title"], hours)

        def kind_chosen(kind: str | None) -> None:
            if kind is not None:
                answers["kind"] = kind
                TextDialog("For how many hours, from now?", "Enter a number, e.g. 4", "4").open(
                    self, hours_given
                )

        def title_given(title: str | None) -> None:
            if title and title.strip():
                answers["title"] = title
                choices = [
                    ("outage", "A service problem (outage)"),
                    ("training", "A training session"),
                    ("notice", "A notice"),
                ]
                ChoiceDialog("What kind of announcement?", choices).open(self, kind_chosen)

        TextDialog("Announcement for the kiosk", "A short title in plain words").open(self, title_given)

    @work(thread=True, group="announce", exit_on_error=False)
    def _announce(self, kind: str, title: str, hours: float) -> None:
        from tui.kiosk_desk import KioskError, announce

        now = self.desk.now()
        try:
            announce(
                self.desk.store,
                kind,
                title,
                "",
                now,
                now + timedelta(hours=max(hours, 0.25)),
                self.desk.actor.name,
                now,
            )
        except (KioskError, StoreError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, "The kiosk shows it now.", markup=False)
