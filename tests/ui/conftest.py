"""Fixtures for the console's Pilot tests."""

from __future__ import annotations

import pytest

from tui.identity import sign_in
from tui.workflow import Desk


@pytest.fixture
def other_desk(store, config, clock) -> Desk:
    """Another agent (Tom) on the same database file, as a second console or the CLI would be."""
    return Desk(store, config, sign_in(store, config, "tom"), now=clock)
