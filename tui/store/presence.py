"""Drafts saved as an agent types, and who has a ticket open right now."""

from __future__ import annotations

from datetime import datetime, timedelta

from tui.store.models import Agent, Draft, Presence


def save_draft(agent_id: int, ticket_id: int, kind: str, body: str, now: datetime) -> None:
    """Keep the agent's draft on the ticket (an empty body removes it)."""
    if not body.strip():
        delete_draft(agent_id, ticket_id)
        return
    (
        Draft.insert(agent=agent_id, ticket=ticket_id, kind=kind, body=body, updated_at=now)
        .on_conflict(
            conflict_target=[Draft.agent, Draft.ticket],
            update={Draft.kind: kind, Draft.body: body, Draft.updated_at: now},
        )
        .execute()
    )


def load_draft(agent_id: int, ticket_id: int) -> tuple[str, str] | None:
    """(kind, body) of the agent's draft on the ticket, or None."""
    row = Draft.get_or_none((Draft.agent == agent_id) & (Draft.ticket == ticket_id))
    return (row.kind, row.body) if row else None


def delete_draft(agent_id: int, ticket_id: int) -> None:
    Draft.delete().where((Draft.agent == agent_id) & (Draft.ticket == ticket_id)).execute()


def mark_viewing(agent_id: int, ticket_id: int, now: datetime) -> None:
    """Note that the agent has the ticket open (call again while it stays open)."""
    (
        Presence.insert(agent=agent_id, ticket=ticket_id, seen_at=now)
        .on_conflict(conflict_target=[Presence.ticket, Presence.agent], update={Presence.seen_at: now})
        .execute()
    )


def stop_viewing(agent_id: int, ticket_id: int | None = None) -> None:
    """The agent closed the ticket (or, with no ticket, the console)."""
    query = Presence.delete().where(Presence.agent == agent_id)
    if ticket_id is not None:
        query = query.where(Presence.ticket == ticket_id)
    query.execute()


def viewers(ticket_id: int, now: datetime, fresh: timedelta, exclude_agent: int | None = None) -> list[str]:
    """Names of the agents who have the ticket open (seen within `fresh`), but not `exclude_agent`."""
    query = (
        Agent.select(Agent.name)
        .join(Presence, on=(Presence.agent == Agent.id))
        .where((Presence.ticket == ticket_id) & (Presence.seen_at >= now - fresh))
        .order_by(Agent.name)
    )
    if exclude_agent is not None:
        query = query.where(Agent.id != exclude_agent)
    return [row.name for row in query]
