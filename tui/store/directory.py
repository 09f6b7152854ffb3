"""Keeps the agents and groups tables in step with config.yaml, which is their source of truth."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from tui.store.models import Agent, AgentGroup, Group, Meta


@dataclass(frozen=True)
class AgentEntry:
    login: str
    name: str
    role: str
    groups: tuple[str, ...]
    timezone: str | None = None


def sync_directory(groups: dict[str, str], agents: Iterable[AgentEntry]) -> bool:
    """Write groups and agents from config; call inside Store.write(). Returns False when nothing changed.

    Agents removed from config are marked inactive, never deleted: their names stay on old replies.
    A fingerprint in the meta table makes the common case (nothing changed) one read.
    """
    agents = list(agents)
    fingerprint = hashlib.sha256(
        json.dumps([groups, [a.__dict__ for a in agents]], sort_keys=True, default=list).encode()
    ).hexdigest()
    stored = Meta.get_or_none(Meta.key == "directory")
    if stored and stored.value == fingerprint:
        return False
    for slug, name in groups.items():
        Group.insert(slug=slug, name=name).on_conflict(
            conflict_target=[Group.slug], update={Group.name: name}
        ).execute()
    group_ids = {g.slug: g.id for g in Group.select()}
    configured = set()
    for entry in agents:
        configured.add(entry.login)
        Agent.insert(
            login=entry.login, name=entry.name, role=entry.role, timezone=entry.timezone, active=True
        ).on_conflict(
            conflict_target=[Agent.login],
            update={
                Agent.name: entry.name,
                Agent.role: entry.role,
                Agent.timezone: entry.timezone,
                Agent.active: True,
            },
        ).execute()
        agent = Agent.get(Agent.login == entry.login)
        AgentGroup.delete().where(AgentGroup.agent == agent.id).execute()
        for slug in entry.groups:
            if slug in group_ids:
                AgentGroup.insert(agent=agent.id, group=group_ids[slug]).on_conflict_ignore().execute()
    demo_guests = {m.value for m in Meta.select().where(Meta.key.startswith("demo_agent:"))}
    Agent.update(active=False).where(Agent.login.not_in(configured | demo_guests)).execute()
    Meta.replace(key="directory", value=fingerprint).execute()
    return True


def add_demo_agent(login: str, name: str, groups: Iterable[str]) -> int:
    """Sign a newcomer into a demo desk as a lead (call inside Store.write()). Returns the agent id."""
    Agent.insert(login=login, name=name, role="lead", active=True).on_conflict(
        conflict_target=[Agent.login], update={Agent.active: True}
    ).execute()
    agent = Agent.get(Agent.login == login)
    Meta.replace(key=f"demo_agent:{login}", value=login).execute()
    for group in Group.select().where(Group.slug.in_(list(groups))):
        AgentGroup.insert(agent=agent.id, group=group.id).on_conflict_ignore().execute()
    return agent.id


def agent_row(login: str) -> tuple[int, str, str] | None:
    """(id, name, role) of an active agent."""
    row = Agent.get_or_none((Agent.login == login) & (Agent.active == True))  # noqa: E712
    return (row.id, row.name, row.role) if row else None
