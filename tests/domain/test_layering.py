"""The domain and the headless command line never load the UI libraries (STYLE.md: one direction of imports)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PURE = [
    "tui.config",
    "tui.store",
    "tui.sla",
    "tui.workflow",
    "tui.identity",
    "tui.escalation",
    "tui.sla_policy",
    "tui.sla_outcomes",
    "tui.plain",
    "tui.demo",
    "tui.cli.main",
]
UI = ("textual", "rich")


@pytest.mark.parametrize("module", PURE)
def test_domain_loads_no_ui(module: str) -> None:
    probe = f"import sys, {module}; print([m for m in {UI!r} if m in sys.modules])"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_the_probe_would_notice_a_ui_import() -> None:
    probe = f"import sys, textual.app, tui.config; print([m for m in {UI!r} if m in sys.modules])"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() != "[]"


def test_a_headless_command_runs_without_the_ui(tmp_path) -> None:
    """`plaindesk config check` goes through the whole CLI: it must not pull Textual in either."""
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['plaindesk', 'config', 'check']\n"
        "try:\n    runpy.run_module('tui', run_name='__main__')\n"
        f"except SystemExit:\n    pass\nprint([m for m in {UI!r} if m in sys.modules])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLAINDESK_")}
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path, env=env
    )
    assert run.stdout.strip().splitlines()[-1] == "[]"
