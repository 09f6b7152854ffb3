"""A realistic, reproducible demo desk built from the text in data/demo (same seed, same desk)."""

from __future__ import annotations

import multiprocessing
import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from tui.config import Config
from tui.resources import data_dir
from tui.sla_outcomes import Judge, from_datetimes
from tui.sla_policy import cached_times, ticket_clocks, warn_due
from tui.store import open_store
from tui.store.bulk import bulk_insert
from tui.store.directory import AgentEntry, sync_directory
from tui.store.models import (
    FAR_FUTURE,
    Agent,
    AgentGroup,
    Breach,
    Event,
    Group,
    Message,
    Meta,
    Requester,
    Tag,
    Ticket,
    TicketTag,
    Visit,
)
from tui.store.outcomes import insert_outcomes
from tui.store.sqlite import bulk_load, index_for_search

BATCH = 2000
HOT_MOST = 40
"""The most brand-new urgent tickets a demo desk has (those whose first response is about to be late)."""
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: the demo text is big
CHANNELS = (("email", 50), ("phone", 15), ("kiosk", 10), ("walk-up", 10), ("console", 15))
# Final status by age of the ticket: (max age in days, {status: weight}); most old tickets are done.
STATUS_BY_AGE = (
    (2, {"new": 25, "open": 35, "pending": 15, "solved": 25}),
    (10, {"new": 4, "open": 16, "pending": 12, "solved": 38, "closed": 30}),
    (None, {"open": 2, "pending": 1, "solved": 2, "closed": 95}),
)


# Ids of messages and history rows are left to the database: they rise in insertion order.
MESSAGE_COLUMNS = ("ticket", "kind", "body", "created_at", "author_agent", "author_requester")
EVENT_COLUMNS = ("ticket", "at", "agent", "actor", "action", "field", "old", "new", "version")
TICKET_COLUMNS = (
    "id",
    "subject",
    "status",
    "priority",
    "priority_rank",
    "category",
    "requester",
    "assignee",
    "group",
    "channel",
    "created_at",
    "updated_at",
    "version",
    "active",
    "first_responded_at",
    "solved_at",
    "first_response_due",
    "next_update_due",
    "resolution_due",
    "next_due",
    "escalate_at",
    "warn_due",
    "flagged",
    "merged_into",
)


@lru_cache(maxsize=256)  # a reply, its history row and its status change share one instant
def _stamp(moment: datetime) -> str:
    """A UTC datetime as UtcDateTimeField stores it, without a field call per value."""
    return moment.isoformat(sep=" ", timespec="microseconds")[:26]


class DemoError(Exception):
    """The demo cannot be built (missing or broken data files)."""


@dataclass
class _Batch:
    tickets: list[dict] = field(default_factory=list)
    messages: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    tags: list[tuple] = field(default_factory=list)
    breaches: list[tuple] = field(default_factory=list)
    outcomes: list[tuple] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=lambda: {"active": 0, "overdue": 0, "pending": 0})


def load_demo_text(folder: Path | None = None) -> dict[str, Any]:
    folder = folder or data_dir() / "demo"
    text = {}
    for name in ("people", "tickets", "visits"):
        path = folder / f"{name}.yaml"
        try:
            text[name] = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        except (OSError, yaml.YAMLError) as error:
            raise DemoError(f"Cannot read the demo text {path}: {error}") from None
    return text


def build_demo(
    path: Path,
    config: Config,
    *,
    tickets: int = 400,
    seed: int = 7,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """Write a demo database at `path` (replacing it) and return a one-line summary.

    It is built in a side file and moved into place at the end, so an interrupted run leaves no
    half-made desk behind.
    """
    text = load_demo_text()
    rng = random.Random(seed)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    building = path.with_name(path.name + ".building")
    for leftover in (
        building,
        Path(f"{building}-wal"),
        Path(f"{building}-shm"),
        Path(f"{building}-writer.lock"),
    ):
        leftover.unlink(missing_ok=True)
    settings = config.database
    store = open_store(
        building, busy_timeout_ms=settings.busy_timeout_ms, wal_size_limit_mb=settings.wal_size_limit_mb
    )
    try:
        # Nobody else can see this file yet and a failed build is thrown away, so neither a journal
        # nor durability per batch buys anything; a big cache keeps index building in memory.
        store.db.execute_sql("PRAGMA journal_mode = off")
        store.db.execute_sql("PRAGMA synchronous = off")
        store.db.execute_sql("PRAGMA cache_size = -1000000")
        store.db.execute_sql("PRAGMA temp_store = memory")  # index builds sort in memory
        builder = _Builder(config, text, rng, now, tickets)
        with store.write():
            entries = [AgentEntry(a.login, a.name, a.role, a.groups, a.timezone) for a in config.agents]
            sync_directory(config.groups, entries)
            Meta.replace(key="demo", value="1").execute()
            Meta.replace(key="demo_seed", value=str(seed)).execute()
            builder.prepare()
        with bulk_load(store.db, ["ticket", "message", "event", "ticket_tag", "visit"]):
            done = 0
            for batch in _batches(builder, tickets, seed):
                with store.write():
                    builder.write_batch(store.db, batch)
                done += len(batch.tickets)
                if progress:
                    progress(done, tickets)
            with store.write():
                builder.write_visits(seed)
        store.db.execute_sql("PRAGMA journal_mode = wal")  # back to what every agent's process expects
    finally:
        store.close()
        Path(f"{building}-writer.lock").unlink(missing_ok=True)  # only this builder used it
    for old in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        old.unlink(missing_ok=True)
    os.replace(building, path)
    return builder.summary()


_TO_DB = {name: Ticket._meta.fields[name].db_value for name in TICKET_COLUMNS}
_WORKER_BUILDER: _Builder | None = None
PARALLEL_FROM = 20_000
"""Below this many tickets, starting worker processes costs more than it saves."""


def _batches(builder: _Builder, count: int, seed: int) -> Iterator[_Batch]:
    """Generated batches in order: in worker processes (forked, sharing the prepared builder) for a
    big desk, so SQLite's writing in this process overlaps Python's generating in the others."""
    ranges = [(start, min(start + BATCH, count)) for start in range(0, count, BATCH)]
    workers = min(2, os.cpu_count() or 1)
    if count < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for start, end in ranges:
            yield builder.generate(start, end, seed)
        return
    global _WORKER_BUILDER
    _WORKER_BUILDER = builder
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_generate, [(start, end, seed) for start, end in ranges])


def _generate(job: tuple[int, int, int]) -> _Batch:
    assert _WORKER_BUILDER is not None
    return _WORKER_BUILDER.generate(*job)


class _Builder:
    def __init__(self, config: Config, text: dict, rng: random.Random, now: datetime, count: int) -> None:
        self.config, self.text, self.rng, self.now, self.count = config, text, rng, now, count
        self.scenarios = [s for s in text["tickets"]["scenarios"] if s["category"] in config.categories]
        if not self.scenarios:
            raise DemoError(
                "No demo scenario matches the configured categories; check data/demo/tickets.yaml."
            )
        self.span = timedelta(days=min(3 * 365, max(21, count / 120)))
        self.stats = {"active": 0, "overdue": 0, "pending": 0}
        self.judge = Judge(config)

    def prepare(self) -> None:
        people = self.text["people"]
        self.group_ids = {g.slug: g.id for g in Group.select()}
        members: dict[str, list[tuple[int, str]]] = {}
        for link in AgentGroup.select(AgentGroup, Agent, Group).join(Agent).switch(AgentGroup).join(Group):
            members.setdefault(link.group.slug, []).append((link.agent.id, link.agent.name))
        self.members = members
        self.all_agents = [(a.id, a.name) for a in Agent.select()]
        self.logins = {a.id: a.login for a in Agent.select()}
        count = max(40, min(200_000, self.count // 5))
        rows = []
        for i in range(count):
            first, last = self.rng.choice(people["first_names"]), self.rng.choice(people["last_names"])
            department = self.rng.choice(people["departments"])["name"]
            local = "".join(ch for ch in f"{first}.{last}".lower() if ch.isalnum() or ch == ".")
            rows.append(
                {
                    "id": i + 1,
                    "name": f"{first} {last}",
                    "email": f"{local}{i + 1}@{people['email_domain']}",
                    "department": department,
                    "created_at": self.now - self.span,
                }
            )
        for chunk in range(0, len(rows), 500):
            Requester.insert_many(rows[chunk : chunk + 500]).execute()
        self.requesters = rows
        names = sorted({t for s in self.scenarios for t in s.get("tags", [])})
        Tag.insert_many([{"name": n} for n in names]).execute()
        self.tag_ids = {t.name: t.id for t in Tag.select()}
        # Creation times, oldest first, so ticket numbers rise with time as on a real desk.
        self.created = sorted(self._created_at() for _ in range(self.count))
        # The newest few are urgent and untouched: their first-response clocks are about to run out.
        # A few dozen at most: a desk of a million tickets had 6,666 arrive in ten minutes, and its
        # consoles spent the quarter of an hour after the demo escalating them, ~700 a minute.
        self.hot = set(range(max(0, self.count - min(HOT_MOST, max(2, self.count // 150))), self.count))

    def _created_at(self) -> datetime:
        moment = self.now - self.span * self.rng.random() ** 1.3
        if self.rng.random() < 0.85:  # most tickets arrive in working hours
            office = moment.replace(hour=self.rng.randint(8, 17), minute=self.rng.randint(0, 59))
            # Not later today: clamped to one instant, a big desk's "today" arrived all at once.
            moment = office if office <= self.now else moment
        return min(moment, self.now - timedelta(minutes=2))

    def generate(self, start: int, end: int, seed: int) -> _Batch:
        """Tickets start..end-1 as database rows; pure Python, so it runs in worker processes.

        Each batch has its own random stream, so the desk is the same however many workers build it.
        """
        self.rng = random.Random(f"{seed}:{start}")
        batch = _Batch()
        for index in range(start, end):
            self._ticket(index, batch)
        return batch

    def write_batch(self, db: Any, batch: _Batch) -> None:
        if not batch.tickets:
            return
        first_message = db.execute_sql("SELECT coalesce(max(id), 0) FROM message").fetchone()[0]
        bulk_insert(Ticket, TICKET_COLUMNS, batch.tickets, convert=False)
        bulk_insert(Message, MESSAGE_COLUMNS, batch.messages, convert=False)
        bulk_insert(Event, EVENT_COLUMNS, batch.events, convert=False)
        bulk_insert(TicketTag, ("ticket", "tag"), batch.tags, convert=False)
        bulk_insert(
            Breach,
            ("ticket", "clock", "cycle", "breached_at", "recorded_at", "recorded_by"),
            batch.breaches,
            convert=False,
        )
        insert_outcomes(batch.outcomes)
        index_for_search(db, batch.tickets[0][0], first_message)
        for key, value in batch.stats.items():
            self.stats[key] += value

    def _ticket(self, index: int, batch: _Batch) -> None:
        rng, now = self.rng, self.now
        ticket_id = index + 1
        scenario = rng.choice(self.scenarios)
        person = rng.choice(self.requesters)
        created = self.created[index]
        priority = self._priority(scenario)
        status = self._status(now - created)
        if index in self.hot:
            created = now - timedelta(seconds=rng.randint(3 * 60, 12 * 60))
            priority, status = "urgent" if "urgent" in self.config.priorities else priority, "new"
        group = scenario.get("group") if scenario.get("group") in self.group_ids else None
        staff = self.members.get(group or "", []) or self.all_agents
        agent_id, agent_name = rng.choice(staff) if staff else (None, "")
        assigned = status != "new" or rng.random() < 0.4
        words = {
            "{name}": person["name"].split()[0],
            "{agent}": agent_name.split()[0] if agent_name else "",
            "{department}": person["department"],
        }

        def fill(variants: list[str]) -> str:
            return self._fill(variants, words)

        actions = self._story(status, created, now)
        timeline: list[tuple[datetime, str, int | None]] = [(created, "created", None)]
        version = 1
        current = "new"
        first_reply = solved_at = None
        self._event(
            batch,
            ticket_id,
            created,
            None,
            person["name"],
            "created",
            new=fill(scenario["subjects"]),
            version=version,
        )
        subject = batch.events[-1][7]
        self._message(
            batch, ticket_id, "requester", fill(scenario["bodies"]), created, requester=person["id"]
        )
        replies = iter(scenario.get("agent_replies") or ["Thanks, we're looking into it."])
        for at, kind, target in actions:
            version += 1
            if kind == "reply":
                if assigned and first_reply is None and agent_id:
                    self._event(
                        batch,
                        ticket_id,
                        at,
                        agent_id,
                        agent_name,
                        "changed",
                        "assignee",
                        None,
                        self.logins[agent_id],  # as the workflow records it
                        version,
                    )
                self._message(
                    batch,
                    ticket_id,
                    "public_reply",
                    fill([next(replies, "Any news on this?")]),
                    at,
                    agent=agent_id,
                )
                self._event(batch, ticket_id, at, agent_id, agent_name, "replied", version=version)
                timeline.append((at, "agent_reply", agent_id))
                first_reply = first_reply or at
            elif kind == "note":
                self._message(
                    batch,
                    ticket_id,
                    "internal_note",
                    fill(scenario.get("internal_notes") or ["Checked."]),
                    at,
                    agent=agent_id,
                )
                self._event(batch, ticket_id, at, agent_id, agent_name, "noted", version=version)
            elif kind == "requester":
                self._message(
                    batch,
                    ticket_id,
                    "requester",
                    fill(scenario.get("requester_replies") or ["Thanks."]),
                    at,
                    requester=person["id"],
                )
                self._event(batch, ticket_id, at, None, person["name"], "requester_replied", version=version)
                timeline.append((at, "requester_reply", None))
            if target and target != current:
                actor = (None, "PlainDesk") if target == "closed" else (agent_id, agent_name)
                self._event(
                    batch, ticket_id, at, actor[0], actor[1], "changed", "status", current, target, version
                )
                timeline.append((at, f"status:{target}", actor[0]))
                current = target
                solved_at = at if target == "solved" else solved_at
        active = current not in ("solved", "closed")
        # Done tickets are history: their clocks are stopped and their breaches long dealt with.
        clocks = ticket_clocks(self.config, priority, [e[:2] for e in timeline], now) if active else {}
        # A desk that has been running has recorded its past breaches (the sweep ran every minute), so
        # the first console on the demo is not left to escalate thousands of old ones at once.
        recorded = set()
        for name, clock in clocks.items():
            if clock.breached and clock.breached_at is not None:
                recorded.add((name, clock.cycle))
                at = _stamp(clock.breached_at)
                batch.breaches.append((ticket_id, name, clock.cycle, at, at, "sla tick"))
        times = cached_times(clocks, recorded, warn_due(self.config, priority, clocks, now))
        dues = times.due
        running = [d for d in dues.values() if d]
        next_due = min(running) if running else FAR_FUTURE
        batch.stats["active"] += active
        batch.stats["pending"] += current == "pending"
        batch.stats["overdue"] += bool(running) and next_due <= now
        row = {
            "id": ticket_id,
            "subject": subject,
            "status": current,
            "priority": priority,
            "priority_rank": self.config.priority_rank(priority),
            "category": scenario["category"],
            "requester": person["id"],
            "assignee": agent_id if assigned else None,
            "group": self.group_ids.get(group) if group else None,
            "channel": self._channel(),
            "created_at": created,
            "updated_at": timeline[-1][0] if actions else created,
            "version": version,
            "active": active,
            "first_responded_at": first_reply,
            "solved_at": solved_at,
            "first_response_due": dues.get("first_response"),
            "next_update_due": dues.get("next_update"),
            "resolution_due": dues.get("resolution"),
            "next_due": next_due,
            "escalate_at": times.escalate_at,
            "warn_due": times.warn_due,
            "flagged": False,
            "merged_into": None,
        }
        batch.tickets.append(tuple(_TO_DB[c](row[c]) for c in TICKET_COLUMNS))
        batch.outcomes += self.judge(ticket_id, priority, from_datetimes(timeline))
        for tag in scenario.get("tags", [])[:3]:
            batch.tags.append((ticket_id, self.tag_ids[tag]))

    def _story(self, status: str, created: datetime, now: datetime) -> list[tuple[datetime, str, str | None]]:
        """What happened after the ticket was opened: (time, action, status it moved to)."""
        rng = self.rng
        steps: list[tuple[str, str | None]] = []
        if status == "new":
            if rng.random() < 0.2:
                steps.append(("note", None))
        elif status in ("solved", "closed") and rng.random() < 0.6:
            # Most tickets are answered and solved in one reply.
            steps.append(("reply", "solved"))
            if status == "closed":
                steps.append(("close", "closed"))
        else:
            steps.append(("reply", "open"))
            if rng.random() < 0.4:
                steps.append(("note", None))
            if rng.random() < 0.5:
                steps += [("requester", None), ("reply", None)]
            if status == "open" and rng.random() < 0.4:
                steps.append(("requester", None))
            elif status in ("pending", "solved"):
                steps.append(("reply", status))
            elif status == "closed":
                steps += [("reply", "solved"), ("close", "closed")]
        if not steps:
            return []
        age = now - created - timedelta(minutes=1)
        window = age if status in ("open", "pending", "new") else min(age, timedelta(days=6))
        marks = sorted(rng.random() for _ in steps)
        return [
            (created + window * mark, kind, target) for mark, (kind, target) in zip(marks, steps, strict=True)
        ]

    def _status(self, age: timedelta) -> str:
        for limit, weights in STATUS_BY_AGE:
            if limit is None or age <= timedelta(days=limit):
                names = [s for s in weights if s in self.config.statuses]
                return self.rng.choices(names, [weights[s] for s in names])[0]
        raise AssertionError("unreachable")

    def _priority(self, scenario: dict) -> str:
        priorities = list(self.config.priorities)
        wanted = scenario.get("priority", self.config.default_priority)
        index = (
            priorities.index(wanted)
            if wanted in priorities
            else priorities.index(self.config.default_priority)
        )
        index += self.rng.choices((-1, 0, 1), (10, 75, 15))[0]
        return priorities[max(0, min(index, len(priorities) - 1))]

    def _channel(self) -> str:
        return self.rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]

    def _message(
        self,
        batch: _Batch,
        ticket_id: int,
        kind: str,
        body: str,
        at: datetime,
        agent: int | None = None,
        requester: int | None = None,
    ) -> None:
        batch.messages.append((ticket_id, kind, body, _stamp(at), agent, requester))

    def _event(
        self,
        batch: _Batch,
        ticket_id: int,
        at: datetime,
        agent: int | None,
        actor: str,
        action: str,
        field: str | None = None,
        old: str | None = None,
        new: str | None = None,
        version: int = 1,
    ) -> None:
        batch.events.append((ticket_id, _stamp(at), agent, actor, action, field, old, new, version))

    def write_visits(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:visits")
        reasons, outcomes = self.text["visits"]["reasons"], self.text["visits"]["outcomes"]
        count = max(12, min(50_000, self.count // 20))
        rows = []
        for i in range(count):
            reason = self.rng.choice(reasons)
            waiting = i >= count - 3  # three people are at the bar right now
            checked_in = (
                self.now - timedelta(minutes=self.rng.randint(1, 25))
                if waiting
                else self.now - timedelta(days=60) * self.rng.random()
            )
            staff = self.rng.choice(self.all_agents) if self.all_agents else (None, "")
            rows.append(
                {
                    "requester": self.rng.choice(self.requesters)["id"],
                    "reason": reason["text"],
                    "category": reason.get("category"),
                    "checked_in_at": checked_in,
                    "served_at": None if waiting else checked_in + timedelta(minutes=self.rng.randint(3, 40)),
                    "served_by": None if waiting else staff[0],
                    "outcome": None if waiting else self.rng.choice(outcomes),
                }
            )
        for chunk in range(0, len(rows), 400):
            Visit.insert_many(rows[chunk : chunk + 400]).execute()
        self.stats["visits"] = count

    def _fill(self, variants: list[str], words: dict[str, str]) -> str:
        """One variant with {name}, {agent} and {department} filled in (not str.format: text may hold braces)."""
        text = self.rng.choice(variants)
        if "{" in text:
            for key, value in words.items():
                text = text.replace(key, value)
        return text

    def summary(self) -> str:
        s = self.stats
        return (
            f"{self.count} tickets ({s['active']} active, {s['overdue']} overdue, {s['pending']} waiting "
            f"on requesters), {len(self.requesters)} requesters, {s.get('visits', 0)} walk-up visits."
        )
