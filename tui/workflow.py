"""The ticket workflow: every action an agent or requester takes, checked against config and recorded.

Each action is one write transaction that changes the ticket, appends its history and refreshes the
cached SLA due times. Nothing here imports Textual, so the console, the kiosk and the CLI share it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from tui import sla
from tui.config import STOP_STATUSES, Config
from tui.sla_outcomes import Judge, from_datetimes
from tui.sla_policy import cached_times, policy_inputs, ticket_clocks, warn_due
from tui.store import Store, get_ticket
from tui.store import tickets as db
from tui.store.outcomes import set_outcomes
from tui.store.records import TicketRecord
from tui.store.tickets import Actor
from tui.text import clean_line, clean_text

MAX_SUBJECT = 200
MAX_BODY = 50_000
MAX_TAG = 40


class WorkflowError(ValueError):
    """The action is not allowed or its input is wrong; the message says what to do instead."""


@dataclass(frozen=True)
class RequesterInput:
    name: str
    email: str | None = None
    department: str | None = None

    @classmethod
    def parse(cls, text: str, department: str | None = None) -> RequesterInput:
        """From "Name <email>", a bare e-mail address, or a bare name (a walk-up visitor).

        Raises:
            WorkflowError: an address that is not one e-mail address, rather than a silent guess.
        """
        text = clean_line(text)
        if match := _NAMED_ADDRESS.match(text):
            name, email = match["name"].strip().strip('"').strip(), match["email"].strip()
        elif "@" in text:
            name, email = "", text
        elif "<" in text or ">" in text:
            raise WorkflowError(
                f"'{text}' has a < or > but no e-mail address; write it as \"Name <name@example.org>\"."
            )
        else:
            name, email = text, ""
        if (email or "<" in text) and not _EMAIL.match(email):
            raise WorkflowError(
                f"'{email}' is not an e-mail address; write it as \"Name <name@example.org>\", "
                "with one address."
            )
        name = name or (email.split("@")[0] if email else "")
        if not name:
            raise WorkflowError('The requester is empty; write "Name <name@example.org>".')
        return cls(name=name[:200], email=email or None, department=department)


_NAMED_ADDRESS = re.compile(r"^(?P<name>[^<>]*)<(?P<email>[^<>]*)>$")
_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+$")


class Desk:
    """The actions one person can take on the desk."""

    def __init__(
        self,
        store: Store,
        config: Config,
        actor: Actor,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.config = config
        self.actor = actor
        self.now = now
        self.judge = Judge(config)

    # -- reading ------------------------------------------------------------------------------------

    def ticket(self, ticket_id: int) -> TicketRecord:
        with self.store.read():
            return get_ticket(ticket_id)

    def clocks(self, ticket_id: int) -> dict[str, sla.Clock]:
        """The ticket's SLA clocks now, with every field of the spec."""
        with self.store.read():
            ticket = db.lock_ticket(ticket_id)
            return ticket_clocks(self.config, ticket.priority, db.timeline(ticket), self.now())

    def explain(self, ticket_id: int) -> dict[str, sla.ClockStory]:
        """How each clock was counted, stretch by stretch (for `plaindesk sla explain`)."""
        with self.store.read():
            ticket = db.lock_ticket(ticket_id)
            timeline, priority = db.timeline(ticket), ticket.priority
        inputs = policy_inputs(self.config, priority)
        if inputs is None:
            return {}
        calendars, targets, policy = inputs
        return sla.explain(calendars, targets, timeline, self.now(), policy.pause_statuses, policy.warn_at)

    # -- creating -----------------------------------------------------------------------------------

    def create(
        self,
        subject: str,
        requester: RequesterInput,
        body: str = "",
        *,
        priority: str | None = None,
        category: str | None = None,
        group: str | None = None,
        channel: str = "console",
        tags: Iterable[str] = (),
    ) -> int:
        """Open a new ticket and return its number."""
        subject = self._subject(subject)
        body = self._body(body, required=False)
        priority = self._choice(priority or self.config.default_priority, self.config.priorities, "priority")
        if category is not None:
            category = self._choice(category, self.config.categories, "category")
        if group is not None:
            group = self._choice(group, self.config.groups, "group")
        tag_names = self._tags(tags)
        now = self.now()
        with self.store.write():
            person = db.upsert_requester(requester.name, requester.email, requester.department, now)
            ticket = db.insert_ticket(
                subject=subject,
                status="new",
                priority=priority,
                priority_rank=self.config.priority_rank(priority),
                category=category,
                requester=person.id,
                group=db.group_id(group) if group else None,
                channel=channel,
                created_at=now,
                updated_at=now,
            )
            db.record(ticket, self.actor, now, "created", new=subject)
            if body:
                db.add_message(ticket, "requester", body, now, Actor(person.name, requester_id=person.id))
            db.add_tags(ticket.id, tag_names)
            self._refresh_dues(ticket, now)
            ticket.save()
        return ticket.id

    # -- messages -----------------------------------------------------------------------------------

    def reply(
        self,
        ticket_id: int,
        body: str,
        *,
        status: str | None = None,
        version: int | None = None,
        plain_findings: int | None = None,
    ) -> int:
        """A public reply from the acting agent; `status` optionally moves the ticket in the same step.

        A first reply on a new ticket opens it. `plain_findings` is how many reply-helper findings were
        left open when it was sent (None: not checked), kept for the plain-language report. Returns the
        ticket's new version.
        """
        body = self._body(body)
        self._require_agent("reply")
        now = self.now()
        with self.store.write():
            ticket = db.lock_ticket(ticket_id, version)
            self._require_open(ticket, "reply to")
            db.touch(ticket, now)
            db.add_message(ticket, "public_reply", body, now, self.actor, plain_findings)
            db.record(ticket, self.actor, now, "replied")
            if ticket.first_responded_at is None:
                ticket.first_responded_at = now
            target = status or ("open" if ticket.status == "new" else None)
            if target and target != ticket.status:
                self._move(ticket, target, now)
            self._refresh_dues(ticket, now)
            ticket.save()
        return ticket.version

    def note(self, ticket_id: int, body: str, *, version: int | None = None) -> int:
        """An internal note, seen by agents only. Returns the ticket's new version."""
        body = self._body(body)
        self._require_agent("add a note")
        now = self.now()
        with self.store.write():
            ticket = db.lock_ticket(ticket_id, version)
            db.touch(ticket, now)
            db.add_message(ticket, "internal_note", body, now, self.actor)
            db.record(ticket, self.actor, now, "noted")
            ticket.save()
        return ticket.version

    def requester_reply(self, ticket_id: int, body: str, requester: Actor) -> int:
        """A message from the requester (kiosk, e-mail). A pending or solved ticket is reopened by it."""
        body = self._body(body)
        now = self.now()
        with self.store.write():
            ticket = db.lock_ticket(ticket_id)
            if ticket.merged_into_id:
                raise WorkflowError(
                    f"Ticket #{ticket_id} was merged into #{ticket.merged_into_id}; reply there."
                )
            if ticket.status == "closed":
                raise WorkflowError(f"Ticket #{ticket_id} is closed; open a new ticket for a follow-up.")
            db.touch(ticket, now)
            db.add_message(ticket, "requester", body, now, requester)
            db.record(ticket, requester, now, "requester_replied")
            if ticket.status in ("pending", "solved") and self.config.can_move(ticket.status, "open"):
                self._move(ticket, "open", now, actor=requester)
            self._refresh_dues(ticket, now)
            ticket.save()
        return ticket.version

    def requester_confirms_fixed(self, ticket_id: int, requester: Actor) -> int:
        """The requester says it is fixed (at the kiosk): the ticket is solved, if its status allows."""
        now = self.now()
        with self.store.write():
            ticket = db.lock_ticket(ticket_id)
            if ticket.status in STOP_STATUSES:
                return ticket.version
            if not self.config.can_move(ticket.status, "solved"):
                raise WorkflowError(
                    f"Ticket #{ticket_id} cannot be marked fixed while it is {ticket.status}."
                )
            db.touch(ticket, now)
            db.add_message(ticket, "requester", "The requester says this is fixed.", now, requester)
            db.record(ticket, requester, now, "requester_replied")
            self._move(ticket, "solved", now, actor=requester)
            self._refresh_dues(ticket, now)
            ticket.save()
        return ticket.version

    # -- changing fields ----------------------------------------------------------------------------

    def update(
        self,
        ticket_id: int,
        *,
        version: int | None = None,
        status: str | None = None,
        priority: str | None = None,
        category: str | None = None,
        assignee: str | None = None,
        group: str | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
    ) -> int:
        """Change any of a ticket's fields in one step. `assignee=""` unassigns. Returns the new version."""
        self._require_agent("change tickets")
        if priority is not None:
            self._choice(priority, self.config.priorities, "priority")
        if category is not None:
            self._choice(category, self.config.categories, "category")
        if group is not None and group != "":
            self._choice(group, self.config.groups, "group")
        if status is not None:
            self._choice(status, self.config.statuses, "status")
        adding, removing = self._tags(add_tags), self._tags(remove_tags)
        now = self.now()
        with self.store.write():
            ticket = db.lock_ticket(ticket_id, version)
            self._require_open(ticket, "change")
            changes = self._apply_fields(
                ticket, now, priority=priority, category=category, assignee=assignee, group=group
            )
            current = db.tags_of(ticket.id)
            new_tags = sorted(set(adding) - current)
            gone = sorted(set(removing) & current)
            if status is not None and status != ticket.status:
                changes.append(("status", ticket.status, status))
            if new_tags or gone:
                changes.append(
                    (
                        "tags",
                        ", ".join(sorted(current)),
                        ", ".join(sorted((current | set(new_tags)) - set(gone))),
                    )
                )
            if not changes:
                return ticket.version
            db.touch(ticket, now)
            for field, old, new in changes:
                if field == "status":
                    self._move(ticket, new, now)
                else:
                    db.record(ticket, self.actor, now, "changed", field, old, new)
            db.add_tags(ticket.id, new_tags)
            db.remove_tags(ticket.id, gone)
            self._refresh_dues(ticket, now)
            ticket.save()
        return ticket.version

    def assign(
        self,
        ticket_id: int,
        assignee: str | None = None,
        group: str | None = None,
        *,
        version: int | None = None,
    ) -> int:
        return self.update(ticket_id, version=version, assignee=assignee, group=group)

    def reopen(self, ticket_id: int, *, version: int | None = None) -> int:
        """Move a solved (or otherwise stopped) ticket back to open."""
        ticket = self.ticket(ticket_id)
        if ticket.status not in STOP_STATUSES:
            raise WorkflowError(
                f"Ticket #{ticket_id} is {ticket.status}, not solved or closed; there is nothing to reopen."
            )
        return self.update(ticket_id, version=version, status="open")

    def merge(self, source_id: int, target_id: int, *, version: int | None = None) -> None:
        """Merge a duplicate (source) into target: the source closes and points at the target, whose
        thread gets a copy of the source's messages so nothing the requester wrote is lost."""
        self._require_agent("merge tickets")
        if source_id == target_id:
            raise WorkflowError("A ticket cannot be merged into itself; give two different numbers.")
        now = self.now()
        with self.store.write():
            source = db.lock_ticket(source_id, version)
            target = db.lock_ticket(target_id)
            if source.merged_into_id:
                raise WorkflowError(f"#{source_id} was already merged into #{source.merged_into_id}.")
            if target.merged_into_id:
                raise WorkflowError(
                    f"#{target_id} was merged into #{target.merged_into_id}; merge into that one."
                )
            db.copy_thread(source, target)
            db.touch(target, now)
            db.add_message(
                target,
                "system",
                f"Ticket #{source_id} ({source.subject}) was merged into this "
                "ticket; its messages are copied above.",
                now,
                self.actor,
            )
            db.record(target, self.actor, now, "merged_from", new=f"#{source_id}")
            target.save()
            db.touch(source, now)
            source.merged_into = target.id
            db.add_message(source, "system", f"Merged into ticket #{target_id}.", now, self.actor)
            db.record(source, self.actor, now, "merged_into", "merged_into", None, f"#{target_id}")
            if source.status != "closed":
                self._move(source, "closed", now, check=False)
            source.active = False
            self._refresh_dues(source, now)
            source.save()

    # -- rules --------------------------------------------------------------------------------------

    def _apply_fields(self, ticket, now: datetime, *, priority, category, assignee, group) -> list:
        changes = []
        if priority is not None and priority != ticket.priority:
            changes.append(("priority", ticket.priority, priority))
            ticket.priority, ticket.priority_rank = priority, self.config.priority_rank(priority)
        if category is not None and category != ticket.category:
            changes.append(("category", ticket.category, category))
            ticket.category = category
        if assignee is not None:
            new_id = None
            if assignee:
                new_id = db.agent_id(assignee)
                if new_id is None:
                    raise WorkflowError(
                        f"'{assignee}' is not an agent of this desk; use one of: "
                        f"{', '.join(a.login for a in self.config.agents)}."
                    )
            if new_id != ticket.assignee_id:
                changes.append(("assignee", db.agent_login(ticket.assignee_id), assignee or None))
                ticket.assignee = new_id
        if group is not None:
            new_group = db.group_id(group) if group else None
            if new_group != ticket.group_id:
                changes.append(("group", db.group_slug(ticket.group_id), group or None))
                ticket.group = new_group
        return changes

    def _move(
        self, ticket, status: str, now: datetime, *, actor: Actor | None = None, check: bool = True
    ) -> None:
        """Change status along an allowed transition, recording it (the caller has touched the ticket)."""
        old = ticket.status
        if check and not self.config.can_move(old, status):
            allowed = ", ".join(self.config.statuses[old].next) if old in self.config.statuses else ""
            raise WorkflowError(
                f"Ticket #{ticket.id} cannot go from {old} to {status}; from {old} it can go "
                f"to: {allowed or 'nowhere (it is final)'}."
            )
        ticket.status = status
        ticket.active = status not in STOP_STATUSES and ticket.merged_into_id is None
        if status == "solved":
            ticket.solved_at = now
        db.record(ticket, actor or self.actor, now, "changed", "status", old, status)

    def _refresh_dues(self, ticket, now: datetime) -> None:
        """Cache the due times, and store how each clock stretch went (for the reports)."""
        history = db.sla_history(ticket.id)
        timeline = [(at, kind) for at, kind, _ in history]
        clocks = ticket_clocks(self.config, ticket.priority, timeline, now)
        warn = warn_due(self.config, ticket.priority, clocks, now)
        db.set_dues(ticket, cached_times(clocks, db.recorded_breaches(ticket.id), warn))
        set_outcomes(ticket.id, self.judge(ticket.id, ticket.priority, from_datetimes(history)))

    def _require_agent(self, what: str) -> None:
        if self.actor.agent_id is None:
            raise WorkflowError(f"Only agents can {what}.")

    def _require_open(self, ticket, what: str) -> None:
        if ticket.merged_into_id:
            raise WorkflowError(
                f"Ticket #{ticket.id} was merged into #{ticket.merged_into_id}; {what} that one instead."
            )

    def _choice(self, value: str, choices: dict, what: str) -> str:
        if value not in choices:
            raise WorkflowError(f"'{value}' is not a {what}; use one of: {', '.join(choices)}.")
        return value

    def _subject(self, text: str) -> str:
        subject = clean_line(text or "")
        if not subject:
            raise WorkflowError("The subject is empty; say in a few words what is wrong.")
        if len(subject) > MAX_SUBJECT:
            raise WorkflowError(
                f"The subject is {len(subject)} characters; keep it under {MAX_SUBJECT} and put "
                "the details in the message."
            )
        return subject

    def _body(self, text: str, required: bool = True) -> str:
        body = clean_text(text or "").strip()
        if required and not body:
            raise WorkflowError("The message is empty; write something to send.")
        if len(body) > MAX_BODY:
            raise WorkflowError(
                f"The message is {len(body)} characters; the limit is {MAX_BODY}. "
                "Attach long logs as a file instead."
            )
        return body

    def _tags(self, names: Iterable[str]) -> list[str]:
        result = []
        for name in names:
            tag = clean_line(name).lower().replace(" ", "-")
            if not tag:
                continue
            if len(tag) > MAX_TAG:
                raise WorkflowError(
                    f"The tag '{tag[:20]}…' is too long; keep tags under {MAX_TAG} characters."
                )
            result.append(tag)
        return result
