"""Who is at the keyboard: the Unix login, mapped to an agent of the desk through config.yaml."""

from __future__ import annotations

import os
import pwd

from tui.config import Config
from tui.store import Store
from tui.store.directory import AgentEntry, add_demo_agent, agent_row, sync_directory
from tui.store.tickets import Actor


class NotAnAgent(Exception):
    """The login is not an agent of this desk; the message says how to add it."""


def current_login() -> str:
    """The login of the real user id, not $USER, which anyone can set to another agent's name."""
    return pwd.getpwuid(os.getuid()).pw_name


def _full_name(login: str) -> str:
    try:
        gecos = pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
    except KeyError:
        gecos = ""
    return gecos or login


def sign_in(store: Store, config: Config, login: str | None = None) -> Actor:
    """The acting agent for `login` (default: the current user).

    Config is the source of truth for agents, so it is written to the database first (a single read
    when nothing changed). A demo database signs in anyone, as a lead, so `make run` works for everyone.

    Raises:
        NotAnAgent: an unmapped login on a real desk.
    """
    login = login or current_login()
    entries = [AgentEntry(a.login, a.name, a.role, a.groups, a.timezone) for a in config.agents]
    with store.write():
        sync_directory(config.groups, entries)
        row = agent_row(login)
        if row is None and config.agent(login) is None and store.is_demo():
            agent_id = add_demo_agent(login, _full_name(login), config.groups)
            return Actor(_full_name(login), agent_id=agent_id, login=login)
    if row is None:
        first_group = next(iter(config.groups), "service-desk")
        raise NotAnAgent(
            f"Your login '{login}' is not an agent of this desk. Ask an admin to add it under agents: in "
            f"{config.source}, for example:\n"
            f"  - login: {login}\n    name: Your Name\n    role: agent\n    groups: [{first_group}]\n"
            "then run the command again."
        )
    return Actor(row[1], agent_id=row[0], login=login)
