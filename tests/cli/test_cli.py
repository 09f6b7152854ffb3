"""The `plaindesk` command, run as the installed program: output, JSON, exit codes and refusals."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import config_text, write_config

import tui
from tui.identity import current_login
from tui.store import Store
from tui.store.directory import agent_row
from tui.store.tickets import Actor
from tui.workflow import Desk, RequesterInput

ME = current_login()
ESC = "\x1b"


def jo() -> RequesterInput:
    return RequesterInput.parse("Jo Bloggs <jo@example.org>")


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_all(run_cli, commands: list[list[str]], **options) -> list[subprocess.CompletedProcess]:
    """Run independent commands side by side (each is a separate process start-up, the slow part)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda args: run_cli(*args, **options), commands))


# -- creating and reading --------------------------------------------------------------------------------


def test_new_prints_the_reference_and_show_json_has_the_ticket(run_cli) -> None:
    created = run_cli(
        "ticket",
        "new",
        "--subject",
        "Printer jams on tray 2",
        "--requester",
        "Jo Bloggs <Jo@Example.org>",
        "--body",
        "Since Monday.",
        "--priority",
        "high",
        "--category",
        "printing",
        "--tag",
        "Printer",
        "--department",
        "Finance",
    )
    assert (created.returncode, created.stdout, created.stderr) == (0, "#1\n", "")
    assert run_cli("ticket", "new", "--subject", "Second", "--requester", "sam@example.org").stdout == "#2\n"

    shown = run_cli("ticket", "show", "#1", "--json")
    assert shown.returncode == 0, shown.stderr
    ticket = json.loads(shown.stdout)
    assert {
        k: ticket[k]
        for k in (
            "id",
            "ref",
            "subject",
            "status",
            "priority",
            "category",
            "channel",
            "version",
            "requester_name",
            "requester_email",
            "requester_department",
            "tags",
            "active",
            "merged_into",
            "assignee",
        )
    } == {
        "id": 1,
        "ref": "#1",
        "subject": "Printer jams on tray 2",
        "status": "new",
        "priority": "high",
        "category": "printing",
        "channel": "cli",
        "version": 1,
        "requester_name": "Jo Bloggs",
        "requester_email": "jo@example.org",
        "requester_department": "Finance",
        "tags": ["printer"],
        "active": True,
        "merged_into": None,
        "assignee": None,
    }
    assert [(m["kind"], m["author"], m["body"]) for m in ticket["messages"]] == [
        ("requester", "Jo Bloggs", "Since Monday.")
    ]
    assert [(e["actor"], e["action"], e["new"], e["version"]) for e in ticket["events"]] == [
        ("Asha Patel", "created", "Printer jams on tray 2", 1)
    ]
    assert set(ticket["due"]) == {"first_response", "next_update", "resolution"}
    assert ticket["due"]["first_response"].endswith("Z") and ticket["due"]["next_update"] is None
    assert ticket["created_at"].endswith("Z")


def test_show_as_text(run_cli, desk: Desk) -> None:
    ticket = desk.create("Laptop will not charge", jo(), "The light stays off.", category="hardware")
    desk.note(ticket, "Try another charger.")
    shown = run_cli("ticket", "show", str(ticket))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == f"#{ticket}  Laptop will not charge"
    assert "Status: new   Priority: normal   Category: hardware   Version: 2" in lines[1]
    assert "Requester: Jo Bloggs <jo@example.org>" in shown.stdout
    assert "--- Internal note from Asha Patel" in shown.stdout and "Try another charger." in shown.stdout
    assert "History:" in shown.stdout and "Asha Patel: created: Laptop will not charge" in shown.stdout


def test_list_json_pages_with_a_cursor(run_cli, desk: Desk) -> None:
    ids = [desk.create(f"Ticket {i}", jo()) for i in range(5)]
    seen, after, pages = [], None, 0
    while True:
        args = ["ticket", "list", "--json", "--limit", "2", "--sort", "oldest"]
        result = run_cli(*args, *(["--after", after] if after else []))
        assert result.returncode == 0, result.stderr
        page = json.loads(result.stdout)
        assert set(page) == {"tickets", "next"}
        seen += [t["id"] for t in page["tickets"]]
        assert all(t["ref"] == f"#{t['id']}" and t["requester"] == "Jo Bloggs" for t in page["tickets"])
        pages += 1
        after = page["next"]
        if after is None:
            break
    assert seen == ids and pages == 3


def test_list_as_text_says_how_to_get_more(run_cli, desk: Desk) -> None:
    for i in range(3):
        desk.create(f"Ticket {i}", jo())
    result = run_cli("ticket", "list", "--limit", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Ticket ") == 2
    assert "More: add --after " in result.stdout.splitlines()[-1]


def test_list_searches_for_whatever_is_typed(run_cli, desk: Desk) -> None:
    covid = desk.create("COVID-19 test results", jo())
    desk.create("covid 2019 archive", jo())
    result = run_cli("ticket", "list", "--json", "--search", "covid-19")
    assert [t["id"] for t in json.loads(result.stdout)["tickets"]] == [covid]
    texts = ['"', "NEAR(col:x *", "🔥"]  # the store's tests try many more; here: through the command
    for text, hostile in zip(
        texts, run_all(run_cli, [["ticket", "list", "--json", "--search", t] for t in texts]), strict=True
    ):
        assert hostile.returncode == 0, (text, hostile.stderr)
        assert json.loads(hostile.stdout)["tickets"] == []


# -- exit codes ------------------------------------------------------------------------------------------


EXIT_CODES = [
    (["ticket", "show", "999"], 1, "There is no ticket #999."),
    (["ticket", "set", "999", "--status", "open"], 1, "There is no ticket #999."),
    (["ticket", "show", "abc"], 2, "'abc' is not a ticket number; write it as 1042 or #1042."),
    (
        ["ticket", "set", "1", "--status", "bogus"],
        2,
        "'bogus' is not a status; use one of: new, open, pending, solved, closed.",
    ),
    (["ticket", "set", "1", "--assign", "bob"], 2, "'bob' is not an agent of this desk"),
    (["ticket", "set", "1", "--status", "new"], 2, "cannot go from open to new"),
    (["ticket", "reply", "1"], 2, "The message is empty"),
    (
        ["ticket", "new", "--subject", "x", "--requester", "Jo <jo.example.org>"],
        2,
        "is not an e-mail address",
    ),
    (["ticket", "list", "--after", "not-a-cursor"], 2, "is not a page cursor"),
    (["ticket", "list", "--sort", "random"], 2, "Invalid value for '--sort'"),
]
"""Command, exit code (0 ok, 1 not found or conflict, 2 bad input or configuration), what stderr says."""


def test_exit_codes(run_cli, desk: Desk) -> None:
    ticket = desk.create("Keyboard sticky", jo())
    desk.reply(ticket, "Cleaning kit on its way.")
    results = run_all(run_cli, [args for args, _, _ in EXIT_CODES])
    wrong = [
        (args, result.returncode, result.stderr)
        for (args, code, message), result in zip(EXIT_CODES, results, strict=True)
        if result.returncode != code or message not in result.stderr or "Traceback" in result.stderr
    ]
    assert wrong == []
    assert desk.ticket(ticket).version == 2, "a refused command changes nothing"


def test_stale_if_version_names_the_change_and_exits_1(run_cli, store: Store, config, desk: Desk) -> None:
    ticket = desk.create("Projector flickers", jo())
    with store.read():
        tom_id, tom_name, _ = agent_row("tom")
    Desk(store, config, Actor(tom_name, agent_id=tom_id)).update(ticket, version=1, priority="urgent")

    result = run_cli("ticket", "set", str(ticket), "--status", "solved", "--if-version", "1")
    assert result.returncode == 1
    assert f"Ticket #{ticket} was changed after you opened it (version 1, now 2)" in result.stderr
    assert "Tom Okafor at " in result.stderr and "priority normal -> urgent" in result.stderr
    assert "Your change was not saved" in result.stderr
    assert desk.ticket(ticket).status == "new"

    ok = run_cli("ticket", "set", str(ticket), "--status", "solved", "--if-version", "2")
    assert (ok.returncode, ok.stdout) == (0, f"Updated #{ticket} (version 3).\n")


def test_reply_reads_the_body_from_stdin(run_cli, desk: Desk) -> None:
    ticket = desk.create("Password expired", jo())
    result = run_cli("ticket", "reply", str(ticket), "--body", "-", input="Line one\nLine two\n")
    assert (result.returncode, result.stdout) == (0, f"Replied on #{ticket} (version 2).\n"), result.stderr
    words = run_cli("ticket", "note", str(ticket), "Reset", "via", "the", "portal")
    assert words.returncode == 0, words.stderr
    record = desk.ticket(ticket)
    assert [(m.kind, m.body) for m in record.messages[-2:]] == [
        ("public_reply", "Line one\nLine two"),
        ("internal_note", "Reset via the portal"),
    ]
    assert record.status == "open"


def test_merge(run_cli, desk: Desk) -> None:
    first = desk.create("Outlook crashes", jo())
    second = desk.create("Outlook crashes again", jo())
    merged = run_cli("ticket", "merge", f"#{second}", f"#{first}")
    assert (merged.returncode, merged.stdout) == (0, f"Merged #{second} into #{first}.\n"), merged.stderr
    assert desk.ticket(second).merged_into == first
    assert desk.ticket(second).status == "closed"


# -- who and where ---------------------------------------------------------------------------------------


def test_unmapped_login_is_told_how_to_be_added(tmp_path: Path, run_cli, db_path: Path) -> None:
    text = config_text(login="asha")
    if f"login: {ME}" in text:
        pytest.skip(f"the login {ME} is one of the default agents")
    unmapped = write_config(tmp_path, text, "unmapped.yaml")
    result = run_cli("ticket", "new", "--subject", "Hello", "--requester", "jo@example.org", config=unmapped)
    assert result.returncode == 2
    assert f"Your login '{ME}' is not an agent of this desk" in result.stderr
    assert f"under agents: in {unmapped}" in result.stderr
    assert (
        f"  - login: {ME}\n    name: Your Name\n    role: agent\n    groups: [service-desk]" in result.stderr
    )
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM ticket").fetchone() == (0,)


def test_malformed_config_exits_2_before_creating_the_database(
    tmp_path: Path, run_cli, db_path: Path
) -> None:
    text = config_text(**{"default_priority: normal": "default_priority: medium"})
    broken = write_config(tmp_path, text, "broken.yaml")
    line = text.splitlines().index("default_priority: medium") + 1
    result = run_cli("ticket", "new", "--subject", "Hello", "--requester", "jo@example.org", config=broken)
    assert result.returncode == 2
    assert f"{broken}, line {line}: default_priority: 'medium' is not one of the priorities" in result.stderr
    assert "nothing was changed" in result.stderr
    assert result.stdout == ""
    assert not db_path.exists()
    assert files_in(tmp_path) == {"config.yaml", "broken.yaml"}


def test_malformed_config_leaves_an_existing_database_alone(
    tmp_path: Path, run_cli, store: Store, desk: Desk
) -> None:
    ticket = desk.create("Docking station", jo())
    store.close()
    before, names = digest(store.path), files_in(tmp_path)
    broken = write_config(tmp_path, config_text(**{"    role: agent\n": "    role: boss\n"}), "broken.yaml")
    result = run_cli("ticket", "set", str(ticket), "--status", "solved", config=broken)
    assert result.returncode == 2
    assert "agents[1].role: 'boss' is not a known role" in result.stderr
    assert digest(store.path) == before
    assert files_in(tmp_path) == names | {"broken.yaml"}


def test_plaindesk_db_is_honoured(tmp_path: Path, run_cli) -> None:
    from_env = tmp_path / "from-env.db"
    result = run_cli(
        "ticket",
        "new",
        "--subject",
        "Via env",
        "--requester",
        "jo@example.org",
        db=None,
        env={"PLAINDESK_DB": str(from_env)},
    )
    assert result.returncode == 0, result.stderr
    assert sqlite3.connect(from_env).execute("SELECT subject FROM ticket").fetchall() == [("Via env",)]


def test_db_option_wins_over_plaindesk_db(tmp_path: Path, run_cli) -> None:
    from_env, explicit = tmp_path / "from-env.db", tmp_path / "explicit.db"
    result = run_cli(
        "ticket",
        "new",
        "--subject",
        "Via option",
        "--requester",
        "jo@example.org",
        db=explicit,
        env={"PLAINDESK_DB": str(from_env)},
    )
    assert result.returncode == 0, result.stderr
    assert not from_env.exists(), "the ticket went to the database named by $PLAINDESK_DB"
    assert explicit.is_file()


def test_config_option_wins_over_plaindesk_config(tmp_path: Path, run_cli, config_file: Path) -> None:
    broken = write_config(tmp_path, "- not a config\n", "broken.yaml")
    result = run_cli("config", "check", env={"PLAINDESK_CONFIG": str(broken)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{config_file}: OK")


def test_options_may_follow_the_command(tmp_path: Path, run_cli, config_file: Path) -> None:
    path = tmp_path / "after.db"
    result = run_cli(
        "ticket",
        "new",
        "--subject",
        "Late options",
        "--requester",
        "jo@example.org",
        "--db",
        str(path),
        "--config",
        str(config_file),
        config=None,
        db=None,
    )
    assert result.returncode == 0, result.stderr
    assert path.is_file()


# -- terminal safety -------------------------------------------------------------------------------------


def test_typed_escape_sequences_never_reach_the_terminal(run_cli) -> None:
    created = run_cli(
        "ticket",
        "new",
        "--subject",
        "Screen \x1b[2J\x1b[H\x1b]0;pwned\x07 flickers \x1b[31mred",
        "--requester",
        "Jo \x1b[1mBloggs\x1b[0m <jo@example.org>",
        "--body",
        "See \x1b]8;;http://evil.example\x1b\\this\x1b]8;;\x1b\\ \x9b31m now",
        "--tag",
        "\x1b[5mblink",
        terminal=True,
    )
    assert created.returncode == 0, created.stdout
    commands = [["ticket", "show", "1"], ["ticket", "show", "1", "--json"], ["ticket", "list"]]
    for args, shown in zip(commands, run_all(run_cli, commands, terminal=True), strict=True):
        assert shown.returncode == 0, shown.stdout
        assert ESC not in shown.stdout and "\x9b" not in shown.stdout, (args, shown.stdout)
        assert "Screen flickers red" in shown.stdout


def _write_behind_our_back(path: Path, **columns: str) -> None:
    connection = sqlite3.connect(path)
    with connection:
        for table_column, value in columns.items():
            table, column = table_column.split("__")
            connection.execute(f'UPDATE "{table}" SET "{column}" = ?', (value,))
    connection.close()


def test_escape_sequences_written_by_another_program_are_not_shown(run_cli, store: Store, desk: Desk) -> None:
    desk.create("Fine subject", jo(), "Fine body")
    store.close()
    _write_behind_our_back(
        store.path,
        ticket__subject="Evil \x1b[2Jsubject",
        message__body="Evil \x1b]0;t\x07body",
        requester__name="Evil \x1b[31mname",
        requester__department="Evil \x1b[1mdept",
    )
    commands = [["ticket", "show", "1"], ["ticket", "list"]]
    for args, shown in zip(commands, run_all(run_cli, commands, terminal=True), strict=True):
        assert shown.returncode == 0, shown.stdout
        assert ESC not in shown.stdout, (args, shown.stdout)


def test_tags_and_addresses_written_by_another_program_are_not_shown(
    run_cli, store: Store, desk: Desk
) -> None:
    desk.create("Fine subject", jo(), tags=["fine"])
    store.close()
    _write_behind_our_back(store.path, tag__name="t\x1b[5mblink", requester__email="jo\x1b[2J@example.org")
    shown = run_cli("ticket", "show", "1", terminal=True)
    assert shown.returncode == 0, shown.stdout
    assert ESC not in shown.stdout, shown.stdout


# -- the program itself ----------------------------------------------------------------------------------


def test_version(run_cli) -> None:
    result = run_cli("--version", config=None, db=None)
    assert (result.returncode, result.stdout) == (0, f"plaindesk, version {tui.__version__}\n")


def test_help_lists_the_commands(run_cli) -> None:
    result, tickets = run_all(run_cli, [["--help"], ["ticket", "--help"]], config=None, db=None)
    assert result.returncode == 0 and tickets.returncode == 0
    commands = result.stdout.split("Commands:")[1].split()
    for name in ("ticket", "demo", "config", "db", "kiosk"):
        assert name in commands
    for name in ("new", "show", "list", "reply", "note", "set", "merge", "reopen"):
        assert f"  {name} " in tickets.stdout


def test_open_refuses_a_ticket_that_is_not_there_before_the_screen_starts(run_cli) -> None:
    run_cli("ticket", "new", "--subject", "Printer", "--requester", "Jo <jo@example.org>")
    missing = run_cli("open", "999")
    assert missing.returncode == 1 and "There is no ticket #999" in missing.stderr
    wrong = run_cli("open", "abc")
    assert wrong.returncode == 2 and "not a ticket number" in wrong.stderr


def test_announce_puts_a_notice_on_the_kiosk(run_cli, db_path, config) -> None:
    run_cli("ticket", "new", "--subject", "x", "--requester", "Jo <jo@example.org>")  # creates the database
    done = run_cli("announce", "Email is slow [/]", "--kind", "outage", "--ends", "2099-01-01T17:00")
    assert done.returncode == 0, done.stderr
    assert "shows from" in done.stdout
    wrong = run_cli("announce", "Oops", "--ends", "yesterday")
    assert wrong.returncode == 2 and "is not a time" in wrong.stderr
    backwards = run_cli("announce", "Oops", "--starts", "2099-01-02T09:00", "--ends", "2099-01-01T09:00")
    assert backwards.returncode == 2 and "must end after it starts" in backwards.stderr
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT kind, title FROM announcement").fetchall() == [
            ("outage", "Email is slow [/]")
        ]


@pytest.mark.parametrize(("given", "expected"), [(None, 120), ("30", 30)])
def test_the_screens_paint_up_to_120_frames_a_second_unless_told_otherwise(given, expected) -> None:
    # Textual reads the cap once, when it is first imported: the console and the kiosk set it first.
    environment = {name: value for name, value in os.environ.items() if name != "TEXTUAL_FPS"}
    if given is not None:
        environment["TEXTUAL_FPS"] = given
    code = (
        "from tui.cli.main import before_textual; before_textual(); "
        "import textual.screen; print(round(1 / textual.screen.UPDATE_PERIOD))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert int(found.stdout) == expected
