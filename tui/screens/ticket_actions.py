"""TicketActions: what an agent can do to the open ticket, by key (mixed into ConsoleScreen).

Each action asks what it needs in a dialog, then runs the workflow in a thread worker against the
version the agent is looking at; a conflict or refusal is shown as the store worded it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding

from tui.canned import CannedError, fill, load_canned
from tui.store import Conflict, StoreError
from tui.widgets.choice_dialog import ChoiceDialog
from tui.widgets.text_dialog import TextDialog
from tui.widgets.ticket_detail import TicketDetail
from tui.workflow import WorkflowError

if TYPE_CHECKING:
    from tui.widgets.reply_helper import ReplyHelper


class TicketActions:
    """Actions on `self.page.ticket`; expects the ConsoleScreen's desk, page and reply helper."""

    ACTION_BINDINGS = [
        Binding("r", "write('reply')", "Reply", tooltip="Write a public reply", id="ticket.reply"),
        Binding("n", "write('note')", "Note", tooltip="Write an internal note", id="ticket.note"),
        Binding("a", "assign_to_me", "Take", tooltip="Assign the ticket to me", id="ticket.assign_to_me"),
        Binding("A", "assign", "Assign", tooltip="Assign to someone", id="ticket.assign"),
        Binding("g", "group", "Group", show=False, tooltip="Move to another group", id="ticket.group"),
        Binding("s", "status", "Status", tooltip="Change the status", id="ticket.status"),
        Binding("p", "priority", "Priority", show=False, tooltip="Change the priority", id="ticket.priority"),
        Binding("c", "category", "Category", show=False, tooltip="Change the category", id="ticket.category"),
        Binding("t", "tags", "Tags", show=False, tooltip="Add or remove tags", id="ticket.tags"),
        Binding("m", "merge", "Merge", show=False, tooltip="Merge into another ticket", id="ticket.merge"),
        Binding(
            "e",
            "escalate",
            "Escalate",
            show=False,
            tooltip="Raise the priority and hand to a group",
            id="ticket.escalate",
        ),
        Binding("o", "reopen", "Reopen", show=False, tooltip="Reopen a solved ticket", id="ticket.reopen"),
        Binding(
            "v",
            "whole_thread",
            "Whole thread",
            show=False,
            tooltip="Show every message and change of a long ticket, or only the latest again",
            id="ticket.whole_thread",
        ),
    ]

    def reply_helper(self) -> ReplyHelper:
        """The reply box (its module loads after the console's first frame, so it is found by id)."""
        return self.query_one("#reply")  # type: ignore[return-value]

    # -- asking -------------------------------------------------------------------------------------

    def _open_ticket_or_say(self) -> Any:
        if self.page is None:
            self.notify("Open a ticket first: highlight it in the queue and press Enter.", markup=False)
            return None
        return self.page.ticket

    def _choose(
        self, title: str, choices: list[tuple[str, str]], current: str | None, then: Callable
    ) -> None:
        def done(value: str | None) -> None:
            if value is not None and value != current:
                then(value)

        ChoiceDialog(title, choices, current).open(self, done)

    def action_whole_thread(self) -> None:
        if self._open_ticket_or_say() is None:
            return
        detail = self.query_one(TicketDetail)
        detail.whole = not detail.whole
        detail.show(self.page)

    def action_write(self, kind: str) -> None:
        if self._open_ticket_or_say() is None:
            return
        reply = self.reply_helper()
        if kind != reply.kind:
            reply.kind = kind
            reply._check()
        self.pane = "reply"
        reply.editor.focus()

    def action_assign_to_me(self) -> None:
        if (ticket := self._open_ticket_or_say()) is not None:
            self.change(ticket.id, assignee=self.login)

    def action_assign(self) -> None:
        if (ticket := self._open_ticket_or_say()) is None:
            return
        agents = [("", "Nobody (unassign)")] + [
            (a.login, f"{a.name} ({a.login})") for a in self.desk.config.agents
        ]
        if self.login and all(a.login != self.login for a in self.desk.config.agents):
            agents.append((self.login, f"{self.desk.actor.name} (me)"))
        self._choose(
            "Assign to", agents, ticket.assignee_login or "", lambda v: self.change(ticket.id, assignee=v)
        )

    def action_group(self) -> None:
        if (ticket := self._open_ticket_or_say()) is None:
            return
        groups = [(slug, name) for slug, name in self.desk.config.groups.items()]
        self._choose("Move to group", groups, ticket.group, lambda v: self.change(ticket.id, group=v))

    def action_status(self) -> None:
        if (ticket := self._open_ticket_or_say()) is None:
            return
        status = self.desk.config.statuses.get(ticket.status)
        following = list(status.next) if status else []
        if not following:
            self.notify(f"A {ticket.status} ticket cannot change status.", markup=False)
            return
        self._choose(
            f"Status (now {ticket.status})",
            [(s, s) for s in following],
            None,
            lambda v: self.change(ticket.id, status=v),
        )

    def action_priority(self) -> None:
        if (ticket := self._open_ticket_or_say()) is None:
            return
        choices = [(p, p) for p in reversed(list(self.desk.config.priorities))]
        self._choose("Priority", choices, ticket.priority, lambda v: self.change(ticket.id, priority=v))

    def action_category(self) -> None:
        if (ticket := self._open_ticket_or_say()) is None:
            return
        choices = [(c, c) for c in self.desk.config.categories]
        self._choose("Category", choices, ticket.category, lambda v: self.change(ticket.id, category=v))

    def action_tags(self) -> None:
        if (ticket := self._open_ticket_or_say()) is None:
            return

        def done(text: str | None) -> None:
            if not text or not text.strip():
                return
            words = text.split()
            adding = [w.lstrip("+") for w in words if not w.startswith("-")]
            removing = [w[1:] for w in words if w.startswith("-") and len(w) > 1]
            self.change(ticket.id, add_tags=adding, remove_tags=removing)

        now = ", ".join(ticket.tags) or "none"
        TextDialog("Tags", f"Now: {now}. Type tags to add, -tag to remove.", "").open(self, done)

    def action_merge(self) -> None:
        if (ticket := self._open_ticket_or_say()) is None:
            return

        def done(text: str | None) -> None:
            if text is None:
                return
            number = text.strip().lstrip("#")
            if not number.isdigit():
                self.notify(f"'{text.strip()}' is not a ticket number; type one like 1042.", markup=False)
                return
            self.run_action(
                lambda version: self.desk.merge(ticket.id, int(number), version=version), "Merged."
            )

        TextDialog(
            f"Merge {ticket.ref} into which ticket?", "Its messages are copied there; this one closes."
        ).open(self, done)

    def action_escalate(self) -> None:
        if (ticket := self._open_ticket_or_say()) is None:
            return
        priorities = list(self.desk.config.priorities)
        rank = priorities.index(ticket.priority) if ticket.priority in priorities else 0
        higher = priorities[min(rank + 1, len(priorities) - 1)]

        def to_group(group: str) -> None:
            self.change(ticket.id, priority=higher, group=group)

        groups = [(slug, name) for slug, name in self.desk.config.groups.items()]
        self._choose(f"Escalate to which group? (priority becomes {higher})", groups, None, to_group)

    def action_reopen(self) -> None:
        if (ticket := self._open_ticket_or_say()) is not None:
            self.run_action(lambda version: self.desk.reopen(ticket.id, version=version), "Reopened.")

    def change(self, ticket_id: int, **fields: Any) -> None:
        self.run_action(lambda version: self.desk.update(ticket_id, version=version, **fields), "Saved.")

    # -- doing --------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="action", exit_on_error=False)
    def run_action(
        self, action: Callable[[int], Any], done: str, after: Callable[[], None] | None = None
    ) -> None:
        """Run a workflow action against the version on screen; report the outcome."""
        page = self.page
        if page is None:
            return
        try:
            action(page.ticket.version)
        except Conflict as error:
            self.app.call_from_thread(self._refused, str(error), "Someone else changed this ticket")
            return
        except (WorkflowError, StoreError) as error:
            self.app.call_from_thread(self._refused, str(error), "Not saved")
            return
        self.app.call_from_thread(self._done, done, after)

    def _refused(self, message: str, title: str) -> None:
        self.notify(message, title=title, severity="error", timeout=12, markup=False)
        if self.ticket_id is not None:
            self.load_ticket(self.ticket_id, False)

    def _done(self, message: str, after: Callable[[], None] | None) -> None:
        self.notify(message, markup=False, timeout=3)
        if after is not None:
            after()
        if self.ticket_id is not None:
            self.load_ticket(self.ticket_id, False)

    def on_reply_helper_sent(self, event: ReplyHelper.Sent) -> None:
        if (ticket := self._open_ticket_or_say()) is None:
            return
        body, ticket_id, findings = event.body, ticket.id, event.open_findings

        def sent() -> None:
            reply = self.reply_helper()
            if reply.text == body:
                reply.load("", "reply")
            self._discard_draft(ticket_id)

        if event.kind == "note":
            action, message = (
                (lambda version: self.desk.note(ticket_id, body, version=version)),
                "Note saved.",
            )
        else:
            action, message = (
                (lambda version: self.desk.reply(ticket_id, body, version=version, plain_findings=findings)),
                "Reply sent.",
            )
        self.run_action(action, message, sent)

    @work(thread=True, group="drafts", exit_on_error=False)
    def _discard_draft(self, ticket_id: int) -> None:
        self.session.discard_draft(ticket_id)

    def on_reply_helper_canned_wanted(self, event: ReplyHelper.CannedWanted) -> None:
        try:
            replies = load_canned()
        except CannedError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        by_id = {r.id: r for r in replies}

        def chosen(reply_id: str | None) -> None:
            if reply_id is None:
                return
            body = fill(by_id[reply_id].body, **self.reply_helper().fill_ins)
            self.reply_helper().insert(body)

        choices = [(r.id, f"{r.title} [{r.category}]") for r in replies]
        ChoiceDialog("Canned replies", choices).open(self, chosen)
