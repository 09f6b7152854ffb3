"""What one agent's console keeps in the store besides tickets: drafts, and which ticket is open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tui.config import Config
from tui.countdown import Countdown, clock_countdown
from tui.sla_policy import ticket_clocks
from tui.store import Store, View, count_tickets, list_page
from tui.store import presence as db
from tui.store import tickets as tickets_db
from tui.store.sqlite import ChangeWatcher
from tui.text import clean_text

PRESENCE_FRESH = timedelta(seconds=90)
"""A console refreshes its "viewing" mark every 30 s, so 90 s without one means it has gone."""


@dataclass(frozen=True)
class Draft:
    kind: str
    """reply or note."""
    body: str


class AgentSession:
    """Drafts, presence and SLA countdowns for the signed-in agent."""

    def __init__(self, store: Store, config: Config, agent_id: int, now: Callable[[], datetime]) -> None:
        self.store = store
        self.config = config
        self.agent_id = agent_id
        self.now = now
        self._countdowns: dict[int, tuple[int, Countdown | None]] = {}
        """Each shown ticket's countdown with the ticket version it was worked out for."""

    def save_draft(self, ticket_id: int, kind: str, body: str) -> None:
        """Keep what the agent is typing (an empty body forgets the draft)."""
        with self.store.write():
            db.save_draft(self.agent_id, ticket_id, kind, clean_text(body), self.now())

    def draft(self, ticket_id: int) -> Draft | None:
        with self.store.read():
            found = db.load_draft(self.agent_id, ticket_id)
        return Draft(*found) if found else None

    def discard_draft(self, ticket_id: int) -> None:
        with self.store.write():
            db.delete_draft(self.agent_id, ticket_id)

    def viewing(self, ticket_id: int | None) -> None:
        """Mark the ticket as open in this console (None: nothing is open any more)."""
        with self.store.write():
            db.stop_viewing(self.agent_id)
            if ticket_id is not None:
                db.mark_viewing(self.agent_id, ticket_id, self.now())

    def other_viewers(self, ticket_id: int) -> list[str]:
        """Names of the other agents who have this ticket open right now."""
        with self.store.read():
            return db.viewers(ticket_id, self.now(), PRESENCE_FRESH, exclude_agent=self.agent_id)

    def next_breaches(self, limit: int = 20) -> list[Countdown]:
        """The tickets whose SLA breaches next (each judged on its clocks now), then paused ones.
        Tickets already late are not here: they have breached and been escalated (see late_count)."""
        now = self.now()
        with self.store.read():
            upcoming = View(sort="due", due_after=now)
            rows = [r for r in list_page(upcoming, limit=limit).rows if r.next_due is not None]
            for status in _pause_statuses(self.config):
                rows += list_page(View(status=status, sort="updated"), limit=5).rows
            found = []
            known, fresh = self._countdowns, {}
            for row in rows:
                if row.id in fresh:
                    continue
                cached = known.get(row.id)
                if cached is not None and cached[0] == row.version:
                    # Unchanged since it was worked out: a countdown holds instants, not time left, so
                    # it stays true as time passes. A busy desk reloads the pane after every change
                    # anywhere, and working out twenty tickets' clocks from their history took 45 ms.
                    countdown = cached[1]
                else:
                    ticket = tickets_db.lock_ticket(row.id)
                    clocks = ticket_clocks(self.config, row.priority, tickets_db.timeline(ticket), now)
                    countdown = clock_countdown(self.config, row, clocks, now)
                fresh[row.id] = (row.version, countdown)
                if countdown is not None:
                    found.append(countdown)
        self._countdowns = fresh
        return found

    def late_count(self) -> int:
        """How many open tickets are past an SLA target now (an index range count)."""
        with self.store.read():
            return count_tickets(View(due_before=self.now()))

    def last_event(self) -> int:
        """The newest history row: every change to a ticket adds one, drafts and presence do not."""
        with self.store.read():
            return tickets_db.last_event_id()

    def watcher(self) -> ChangeWatcher:
        """Tells cheaply when anyone has written to the database."""
        return ChangeWatcher(self.store.path)


def _pause_statuses(config: Config) -> list[str]:
    statuses: list[str] = []
    for policy in config.sla.values():
        statuses += [s for s in policy.pause_statuses if s not in statuses]
    return statuses
