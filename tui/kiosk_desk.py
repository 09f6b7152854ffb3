"""What a visitor can do at the Genius Bar kiosk, with its limits; no Textual here.

Every text returned is for a person who is not technical, and every limit says what to do instead.
"""

from __future__ import annotations

import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tui.config import Config
from tui.plain.when import plain_when
from tui.store import NotFound, Store
from tui.store import walkup as db
from tui.store.tickets import Actor
from tui.text import clean_line, clean_text
from tui.workflow import Desk, RequesterInput, WorkflowError

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read off a screen or a slip of paper is typed right the first time."""
CODE_LENGTH = 6
LIMITS = {
    "name": 80,
    "reason": 300,
    "trying": 1000,
    "happened": 2000,
    "contact": 120,
    "reply": 2000,
    "comment": 1000,
}
LOOKUP_WINDOW = timedelta(minutes=15)
LOOKUP_TRIES = 5
"""Wrong reference-and-code tries a terminal gets in LOOKUP_WINDOW before it must wait."""
DEFAULT_VISIT = timedelta(minutes=10)
"""How long a walk-up visit is taken to last before there are any to learn from."""
STATUS_WORDS = {
    "new": "We have your request. Someone will look at it soon.",
    "open": "Someone is working on it.",
    "pending": "We are waiting for an answer from you. Add a reply below.",
    "solved": "We think this is fixed. If it isn't, add a reply and we'll look again.",
    "closed": "This request is closed. If the problem is back, please report it again.",
}
IMPACT_WORDS = {"blocked": "I can't work at all", "slowed": "It slows me down", "can_wait": "It can wait"}


class KioskError(ValueError):
    """Something the visitor can put right; the message says how, in plain words."""


@dataclass(frozen=True)
class CheckIn:
    visit_id: int
    ticket_id: int
    place: int
    """1: next to be called."""
    wait: timedelta


@dataclass(frozen=True)
class Filed:
    ticket_id: int
    ref: str
    code: str
    promise: str


@dataclass(frozen=True)
class PublicMessage:
    who: str
    when: str
    body: str


@dataclass(frozen=True)
class PublicTicket:
    ticket_id: int
    ref: str
    subject: str
    status: str
    status_words: str
    messages: list[PublicMessage]
    next_update: str | None
    rating: tuple[int, str] | None


class KioskDesk:
    """The kiosk's side of the desk for one terminal."""

    def __init__(
        self,
        store: Store,
        config: Config,
        terminal: str,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.config = config
        self.terminal = terminal
        self.now = now
        self.sleep = sleep
        self.zone = ZoneInfo(config.timezone)
        self.desk = Desk(store, config, Actor(f"Kiosk ({config.kiosk.location or terminal})"), now)

    # -- checking in --------------------------------------------------------------------------------

    def check_in(self, name: str, reason: str) -> CheckIn:
        """Join the line at the bar; the visit becomes a walk-up ticket so nothing said is lost."""
        name, reason = (
            _line(name, "name", "your name"),
            _text(reason, "reason", "a few words about the problem"),
        )
        self._allow_new_ticket()
        ticket_id = self.desk.create(
            reason.splitlines()[0][:120],
            RequesterInput(name),
            reason,
            channel="walk-up",
            group=self.config.kiosk.group,
        )
        with self.store.write():
            requester = db.requester_of(ticket_id)
            visit_id = db.add_visit(requester[0], reason, None, self.now(), ticket_id)
            db.record_attempt(self.terminal, "ticket", self.now())
        place, wait = self.place_in_line(visit_id)
        return CheckIn(visit_id, ticket_id, place, wait)

    def place_in_line(self, visit_id: int) -> tuple[int, timedelta]:
        """(place, estimated wait); place 0 means the visitor has been called."""
        with self.store.read():
            line = db.waiting()
            served = db.served_since(self.now() - timedelta(days=14))
        ids = [v.id for v in line]
        if visit_id not in ids:
            return 0, timedelta(0)
        place = ids.index(visit_id) + 1
        return place, self.estimate(place, served)

    def estimate(self, place: int, served: list[db.VisitRow]) -> timedelta:
        """How long until the visitor at `place` is called.

        A visit lasts the median gap between one agent's consecutive calls over the last fortnight (a
        gap over an hour is a break, not a visit); the bar has as many agents as called someone in the
        last hour, at least one. The wait is the visits ahead shared among them, rounded up to 5 minutes.
        """
        by_agent: dict[str, list[datetime]] = {}
        for visit in served:
            if visit.served_by and visit.served_at:
                by_agent.setdefault(visit.served_by, []).append(visit.served_at)
        gaps = []
        for times in by_agent.values():
            times.sort()
            gaps += [b - a for a, b in zip(times, times[1:], strict=False) if b - a <= timedelta(hours=1)]
        visit = statistics.median(gaps) if gaps else DEFAULT_VISIT
        hour_ago = self.now() - timedelta(hours=1)
        agents = len({v.served_by for v in served if v.served_at and v.served_at >= hour_ago}) or 1
        minutes = (place * visit / agents).total_seconds() / 60
        return timedelta(minutes=max(5, 5 * -(-int(minutes) // 5)))

    def now_serving(self, limit: int = 3) -> list[str]:
        """The visitors called in the last half hour, latest first, as "Sam L. - with Mei"."""
        with self.store.read():
            served = db.served_since(self.now() - timedelta(minutes=30))
        return [f"{_short_name(v.name)} - with {(v.served_by or 'IT').split()[0]}" for v in served[:limit]]

    def waiting_count(self) -> int:
        with self.store.read():
            return len(db.waiting())

    # -- reporting a problem --------------------------------------------------------------------------

    def report(self, trying: str, happened: str, impact: str, name: str, contact: str = "") -> Filed:
        """File a ticket in the visitor's own words; returns its reference, secret code and promise."""
        trying = _text(trying, "trying", "what you were trying to do")
        happened = _text(happened, "happened", "what happened")
        name = _line(name, "name", "your name")
        contact = clean_line(contact or "")[: LIMITS["contact"]]
        if impact not in self.config.kiosk.impact:
            raise KioskError("Please choose how much this stops your work.")
        self._allow_new_ticket()
        email = contact if "@" in contact else None
        try:
            person = RequesterInput.parse(f"{name} <{email}>") if email else RequesterInput(name)
        except WorkflowError:
            raise KioskError(
                "That e-mail address doesn't look right. Please check it, or leave it empty."
            ) from None
        body = (
            f"What I was trying to do:\n{trying}\n\nWhat happened:\n{happened}\n\nHow much it stops my work: "
        )
        body += IMPACT_WORDS[impact] + (f"\n\nHow to reach me: {contact}" if contact and not email else "")
        ticket_id = self.desk.create(
            happened.splitlines()[0][:120],
            person,
            body,
            priority=self.config.kiosk.impact[impact],
            channel="kiosk",
            group=self.config.kiosk.group,
        )
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        with self.store.write():
            db.set_code(ticket_id, code)
            db.record_attempt(self.terminal, "ticket", self.now())
        return Filed(ticket_id, f"#{ticket_id}", code, self.promise(ticket_id))

    def promise(self, ticket_id: int) -> str:
        """When the visitor will hear from us, from the SLA's first response (or next update) clock."""
        clocks = self.desk.clocks(ticket_id)
        for name, words in (
            ("first_response", "Someone will reply"),
            ("next_update", "You will hear from us"),
        ):
            clock = clocks.get(name)
            if clock is not None and clock.state == "running" and clock.due_at is not None:
                due = max(clock.due_at, self.now() + timedelta(minutes=15))
                return f"{words} {plain_when(due, self.now(), self.zone)}."
        return "Someone will reply as soon as they can."

    def _allow_new_ticket(self) -> None:
        with self.store.read():
            recent = db.attempts_since(self.terminal, "ticket", self.now() - timedelta(hours=1))
        if recent >= self.config.kiosk.tickets_per_hour:
            raise KioskError(
                "This screen has sent a lot of requests in the last hour. Please ask someone at the bar."
            )

    # -- following a ticket ---------------------------------------------------------------------------

    def find(self, reference: str, secret: str) -> int:
        """The ticket for a reference and its secret code (or the requester's e-mail, if config allows).

        Each wrong try makes the next answer slower, and after LOOKUP_TRIES in LOOKUP_WINDOW the terminal
        must wait, so codes cannot be guessed.
        """
        since = self.now() - LOOKUP_WINDOW
        with self.store.read():
            failures = db.attempts_since(self.terminal, "lookup_failed", since)
        if failures >= LOOKUP_TRIES:
            raise KioskError(
                "That was wrong too many times. Please wait 15 minutes, or ask someone at the bar to help."
            )
        self.sleep(min(2**failures - 1, 8))  # 0, 1, 3, 7, 8 seconds before each answer
        number = clean_line(reference).lstrip("#").strip()
        secret = clean_line(secret).strip()
        ticket_id = int(number) if number.isdigit() and len(number) < 10 else None
        if ticket_id is not None and secret and self._matches(ticket_id, secret):
            with self.store.write():
                db.clear_attempts(self.terminal, "lookup_failed")
            return ticket_id
        with self.store.write():
            db.record_attempt(self.terminal, "lookup_failed", self.now())
        left = LOOKUP_TRIES - failures - 1
        hint = "the code" if self.config.kiosk.lookup == "code" else "the code or your e-mail address"
        raise KioskError(
            f"We couldn't find a request with that number and {hint}. Please check both"
            + (f" ({left} tries left)." if left > 0 else ".")
        )

    def _matches(self, ticket_id: int, secret: str) -> bool:
        with self.store.read():
            if db.code_matches(ticket_id, secret):
                return True
            if self.config.kiosk.lookup == "code_or_email" and "@" in secret:
                requester = db.requester_of(ticket_id)
                return bool(requester and requester[2] and requester[2] == secret.lower())
        return False

    def public(self, ticket_id: int) -> PublicTicket:
        """What the visitor may see: status in plain words and the public conversation only."""
        try:
            ticket = self.desk.ticket(ticket_id)
        except NotFound:
            raise KioskError("We couldn't find that request.") from None
        messages = [
            PublicMessage(
                "You" if m.kind == "requester" else ("IT" if m.kind == "system" else m.author.split()[0]),
                plain_when(m.created_at, self.now(), self.zone).removeprefix("by ").replace(" on ", ", "),
                m.body,
            )
            for m in ticket.messages
            if m.kind in ("public_reply", "requester")
        ]
        clocks = self.desk.clocks(ticket_id)
        next_update = None
        for name in ("first_response", "next_update"):
            clock = clocks.get(name)
            if clock is not None and clock.state == "running" and clock.due_at is not None:
                next_update = plain_when(max(clock.due_at, self.now()), self.now(), self.zone)
                break
        with self.store.read():
            rating = db.rating(ticket_id)
        return PublicTicket(
            ticket_id,
            ticket.ref,
            ticket.subject,
            ticket.status,
            STATUS_WORDS.get(ticket.status, ticket.status),
            messages,
            next_update,
            rating,
        )

    def add_reply(self, ticket_id: int, text: str) -> None:
        body = _text(text, "reply", "your reply")
        try:
            self.desk.requester_reply(ticket_id, body, self._requester(ticket_id))
        except WorkflowError as error:
            raise KioskError(str(error)) from None

    def mark_fixed(self, ticket_id: int) -> None:
        try:
            self.desk.requester_confirms_fixed(ticket_id, self._requester(ticket_id))
        except WorkflowError as error:
            raise KioskError(str(error)) from None

    def rate(self, ticket_id: int, score: int, comment: str = "") -> None:
        if score not in range(1, 6):
            raise KioskError("Please choose from 1 (poor) to 5 (great).")
        ticket = self.desk.ticket(ticket_id)
        if ticket.status not in ("solved", "closed"):
            raise KioskError("You can rate the help once your request is fixed.")
        comment = clean_text(comment or "").strip()
        if len(comment) > LIMITS["comment"]:
            raise KioskError(f"Please keep your comment under {LIMITS['comment']} characters.")
        with self.store.write():
            db.rate(ticket_id, score, comment, self.now())

    def _requester(self, ticket_id: int) -> Actor:
        with self.store.read():
            found = db.requester_of(ticket_id)
        if found is None:
            raise KioskError("We couldn't find that request.")
        return Actor(found[1], requester_id=found[0])

    # -- announcements --------------------------------------------------------------------------------

    def announcements(self) -> list[db.AnnouncementRow]:
        with self.store.read():
            return db.announcements(self.now())


def call_next_visitor(store: Store, agent_id: int, now: datetime) -> db.VisitRow | None:
    """An agent at the bar calls the longest-waiting visitor (the console's Walk-ups view)."""
    with store.write():
        return db.call_next(agent_id, now)


def waiting_visitors(store: Store) -> list[db.VisitRow]:
    with store.read():
        return db.waiting()


def announce(
    store: Store, kind: str, title: str, body: str, starts: datetime, ends: datetime, by: str, now: datetime
) -> int:
    """Add an announcement (an outage, a training session or a notice) for the kiosk's welcome screen."""
    if kind not in ("outage", "training", "notice"):
        raise KioskError("The kind is outage, training or notice.")
    title, body = clean_line(title), clean_text(body or "").strip()
    if not title:
        raise KioskError("An announcement needs a title.")
    if ends <= starts:
        raise KioskError("An announcement must end after it starts.")
    with store.write():
        return db.add_announcement(kind, title[:200], body[:2000], starts, ends, by, now)


def _line(text: str, key: str, what: str) -> str:
    value = clean_line(text or "")
    if not value:
        raise KioskError(f"Please write {what}.")
    if len(value) > LIMITS[key]:
        raise KioskError(f"Please keep {what} under {LIMITS[key]} characters.")
    return value


def _text(text: str, key: str, what: str) -> str:
    value = clean_text(text or "").strip()
    if not value:
        raise KioskError(f"Please write {what}.")
    if len(value) > LIMITS[key]:
        raise KioskError(f"Please keep {what} under {LIMITS[key]} characters.")
    return value


def _short_name(name: str) -> str:
    """ "Sam Lee" -> "Sam L.": enough for the person to know it's them, not enough for others."""
    parts = clean_line(name).split()
    if not parts:
        return "Visitor"
    initial = next((c for c in parts[-1] if c.isalnum()), "") if len(parts) > 1 else ""
    return f"{parts[0]} {initial}." if initial else parts[0]
