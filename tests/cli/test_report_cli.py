"""`plaindesk report`, `export` and `import`, run as the installed program.

The desk: ticket A (Mon 2 March 2026 10:00, normal, printing, email) answered at 11:00 with no open
finding and solved at 12:00, rated 4; ticket B (Tue 3 March 09:00, normal, no category, phone) never
answered. The report is for 2026-W10 as of Mon 9 March 00:00 (London = UTC before summer time).
"""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from tui.identity import current_login
from tui.store import walkup
from tui.workflow import RequesterInput

ME = current_login()
WEEK = ("report", "--period", "2026-W10", "--now", "2026-03-09T12:00:00Z")


@pytest.fixture
def desk_of_two(desk, store, clock) -> None:
    jo = RequesterInput.parse("Jo Bloggs <jo@example.org>")
    clock.now = datetime(2026, 3, 2, 10, tzinfo=UTC)
    a = desk.create("Printer jams", jo, "Tray 2.", category="printing", channel="email")
    clock.now = datetime(2026, 3, 2, 11, tzinfo=UTC)
    desk.reply(a, "Fixed.", plain_findings=0)
    clock.now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    desk.update(a, status="solved")
    clock.now = datetime(2026, 3, 2, 13, tzinfo=UTC)
    with store.write():
        walkup.rate(a, 4, "", clock.now)
    clock.now = datetime(2026, 3, 3, 9, tzinfo=UTC)
    desk.create("Phone dead", jo, "No tone.", channel="phone")


def run_all(run_cli, commands: list[tuple[str, ...]]) -> list:
    """Independent commands side by side (starting each program is the slow part)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda args: run_cli(*args), commands))


def test_every_format_prints_the_same_figures(run_cli, desk_of_two) -> None:
    shown = run_all(run_cli, [(*WEEK, "--format", fmt) for fmt in ("json", "csv", "table", "md")])
    for result in shown:
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
    as_json, as_csv, table, markdown = (r.stdout for r in shown)

    data = json.loads(as_json)
    assert (data["period"]["label"], data["as_of"]) == ("2026-W10", "2026-03-09T00:00:00Z")
    first = data["sla"]["clocks"]["first_response"]
    # A answered in 1h (on time); B: 4h from Tue 09:00 passed long ago and still unanswered.
    assert (first["met_on_time"], first["breached_open"], first["median_seconds"]) == (1, 1, 3600.0)
    assert first["on_time_share"] == 0.5
    resolution = data["sla"]["clocks"]["resolution"]
    assert (resolution["met_on_time"], resolution["breached_open"], resolution["median_seconds"]) == (
        1,
        1,
        7200.0,
    )
    assert data["sla"]["clocks"]["next_update"]["median_seconds"] == 3600.0  # 11:00 -> solved 12:00
    assert [d["open_at_end"] for d in data["backlog"]["days"]] == [0, 1, 1, 1, 1, 1, 1]
    assert data["backlog"]["by_age"]["3-7 days"] == 1  # B, 5 days 15 hours old
    assert (data["volume"]["total"], data["volume"]["by_channel"]["phone"]) == (2, 1)
    assert (data["satisfaction"]["ratings"], data["satisfaction"]["average"]) == (1, 4.0)
    me = next(a for a in data["agents"]["agents"] if a["login"] == ME)
    assert (me["replies_sent"], me["first_responses"], me["median_first_response_seconds"]) == (1, 1, 3600.0)
    assert data["plain"] == {"replies_sent": 1, "checked": 1, "plain": 1, "unchecked": 0, "share": 1.0}

    figures = {
        (r["section"], r["item"], r["figure"]): r["value"] for r in csv.DictReader(io.StringIO(as_csv))
    }
    assert as_csv.splitlines()[0] == "section,item,figure,value"
    for clock, numbers in data["sla"]["clocks"].items():  # the same figures as the JSON
        for name in ("met_on_time", "met_late", "breached_open", "open_within_target", "not_tracked"):
            assert figures[("sla", clock, name)] == str(numbers[name])
    assert figures[("sla", "first_response", "median")] == "3600"
    assert figures[("sla", "first_response", "on_time_share")] == "0.5000"
    assert figures[("backlog_by_day", "2026-03-03", "open_at_end")] == "1"
    assert figures[("volume_by_channel", "total", "email")] == "1"
    assert figures[("volume_by_category", "total", "none")] == "1"
    assert figures[("plain", "share", "value")] == "1.0000"
    assert figures[("report", "period", "value")] == "2026-W10"
    assert figures[("agents", ME, "median_first_response")] == "3600"

    assert table.startswith("PlainDesk report for 2026-W10 (2026-03-02 to 2026-03-08, Europe/London)")
    assert "SLA compliance: 2 tickets created" in table
    row = next(line for line in table.splitlines() if line.startswith("first_response"))
    assert row.split() == ["first_response", "1", "0", "1", "0", "0", "50.0%", "1h", "1h"]
    assert next(line for line in table.splitlines() if line.startswith("open at the end")).split()[-1] == "1"

    assert markdown.startswith("# PlainDesk report for 2026-W10")
    assert "## Backlog day by day" in markdown
    assert "| first_response | 1 | 0 | 1 | 0 | 0 | 50.0% | 1h | 1h |" in markdown
    assert "| 2026-03-03 | 1 | 0 | 0 | 1 |" in markdown


def test_report_refusals_say_what_to_write(run_cli, desk_of_two) -> None:
    month, group, future, fmt, default = run_all(
        run_cli,
        [
            ("report", "--period", "2026-13"),
            ("report", "--period", "2026-03", "--group", "helpdesk"),
            ("report", "--period", "2027-01", "--now", "2026-11-23T00:00:00Z"),
            ("report", "--format", "xml"),
            ("report", "--now", "2026-03-09T12:00:00Z", "--format", "json"),
        ],
    )
    assert month.returncode == 2 and "'2026-13' is not a period: there is no month 13" in month.stderr
    assert "write a month (2026-11), an ISO week (2026-W47)" in month.stderr
    assert group.returncode == 2 and "'helpdesk' is not a group; use one of: service-desk" in group.stderr
    assert future.returncode == 2 and "The period 2027-01 has not started yet" in future.stderr
    assert fmt.returncode == 2 and "'xml' is not one of" in fmt.stderr
    assert (
        default.returncode == 0 and json.loads(default.stdout)["period"]["label"] == "2026-03"
    )  # this month


def test_export_and_import_through_the_command_line(run_cli, desk_of_two, tmp_path) -> None:
    target = tmp_path / "copy.db"
    written = run_cli("export", "--output", tmp_path / "desk.jsonl")
    assert (written.returncode, written.stderr.strip()) == (
        0,
        f"Exported 2 tickets to {tmp_path / 'desk.jsonl'}.",
    )
    piped = run_cli("export")
    assert piped.stdout.splitlines()[1:] == (tmp_path / "desk.jsonl").read_text().splitlines()[1:]
    loaded = run_cli("import", tmp_path / "desk.jsonl", db=target)
    assert (loaded.returncode, loaded.stdout) == (
        0,
        f"Imported 2 tickets from {tmp_path / 'desk.jsonl'} (jsonl).\n",
    )
    again = run_cli("export", db=target)
    assert again.stdout.splitlines()[1:] == piped.stdout.splitlines()[1:]

    from_stdin = run_cli(
        "import",
        "-",
        "--format",
        "csv",
        input="subject,requester_email,created_at\nHi,a@b.org,2026-03-04\n",
        db=target,
    )
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert "Imported 1 tickets from - (csv)." in from_stdin.stdout

    (tmp_path / "bad.csv").write_text(
        "subject,requester_email,created_at\nFine,a@b.org,2026-03-04\n,x,soon\n"
    )
    refused = run_cli("import", tmp_path / "bad.csv", db=target)
    assert refused.returncode == 2
    assert "has 1 bad row; nothing was imported" in refused.stderr
    assert "line 3: subject is empty; requester: 'x' is not an e-mail address" in refused.stderr
    csv_out = run_cli("export", "--format", "csv", db=target)
    assert len(csv_out.stdout.splitlines()) == 1 + 3  # header, the 2 tickets and the one from stdin
