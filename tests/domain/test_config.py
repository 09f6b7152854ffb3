"""config.yaml checking: every mistake gives one message naming the file, the line, the key and a fix."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import DEFAULT_CONFIG, config_text, write_config

from tui.config import ConfigError, load_config

SMALL = """\
timezone: Europe/London
agents:
  - login: asha
    name: Asha Patel
    role: lead
    groups: [service-desk]
  - login: tom
    name: Tom Okafor
    groups: [service-desk]
groups:
  service-desk: Service Desk
  security: Security
categories:
  hardware: Computers and devices
  email: Email and calendar
priorities:
  normal: Normal
  urgent: Urgent
default_priority: normal
statuses:
  new: {label: New, next: [open, pending, solved, closed]}
  open: {label: Open, next: [pending, solved, closed]}
  pending: {label: Waiting, next: [open, solved, closed]}
  solved: {label: Solved, next: [open, closed]}
  closed: {label: Closed, next: []}
calendars:
  office:
    timezone: Europe/London
    hours:
      mon: ["09:00-17:30"]
      tue: ["09:00-17:30"]
  always:
    timezone: UTC
    hours: 24x7
sla:
  normal:
    calendar: office
    pause_statuses: [pending]
    first_response: 4h
    resolution: 24h
    on_breach: [flag_lead]
  urgent:
    calendar: always
    warn_at: 0.5
    first_response: 15m
    on_breach: [flag_lead, {move_to_group: security}]
kiosk:
  group: service-desk
  categories: [hardware, email]
"""
"""A small complete config; each test below breaks one line of it."""


def changed(old: str, new: str, base: str = SMALL) -> str:
    assert base.count(old) == 1, f"{old!r} must occur once"
    return base.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    """The 1-based number of the only line of `text` that contains `fragment`."""
    numbers = [i for i, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(numbers) == 1, (fragment, numbers)
    return numbers[0]


def only_problem(path: Path) -> str:
    """Load `path`, expecting exactly one problem; return it as the person sees it."""
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    problems = caught.value.problems
    assert len(problems) == 1, caught.value.report()
    report = caught.value.report()
    assert str(problems[0]) in report
    assert "nothing was changed" in report
    return str(problems[0])


def assert_points_at(message: str, path: Path, line: int, key: str, *guidance: str) -> None:
    assert message.startswith(f"{path}, line {line}: {key}: "), message
    for words in guidance:
        assert words in message, (words, message)


def test_small_config_is_valid(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, SMALL))
    assert [a.login for a in config.agents] == ["asha", "tom"]
    assert config.agent("tom").role == "agent"
    assert config.sla["urgent"].targets["first_response"].duration == timedelta(minutes=15)
    assert config.kiosk.categories == ("hardware", "email")


def test_default_config_loads() -> None:
    config = load_config(DEFAULT_CONFIG)
    assert config.source == DEFAULT_CONFIG
    assert {a.login for a in config.agents} == {"asha", "tom", "mei", "lars", "priya"}
    assert list(config.priorities) == ["low", "normal", "high", "urgent"]
    assert config.default_priority == "normal"
    assert config.statuses["closed"].next == ()
    assert config.can_move("solved", "open") and not config.can_move("closed", "open")
    assert set(config.sla) == set(config.priorities)
    urgent = config.sla["urgent"]
    assert urgent.targets["resolution"].duration == timedelta(hours=4)
    assert urgent.targets["resolution"].calendar == "always"
    assert [(a.kind, a.group) for a in urgent.on_breach] == [
        ("flag_lead", None),
        ("move_to_group", "infrastructure"),
    ]
    assert config.database.path is None and config.database.busy_timeout_ms == 10000


def test_mapped_default_config_loads_with_the_current_login(config) -> None:
    from tui.identity import current_login

    agent = config.agent(current_login())
    assert agent is not None and agent.role == "lead" and agent.name == "Asha Patel"


def test_relative_database_path_is_taken_from_the_config_folder(tmp_path: Path) -> None:
    text = changed("agents:\n", "database:\n  path: desk.db\nagents:\n")
    config = load_config(write_config(tmp_path, text))
    assert config.database.path == tmp_path / "desk.db"


# -- one test per kind of mistake ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key", "suggestion"),
    [
        (
            "timezone: Europe/London\nagents",
            "timezon: Europe/London\nagents",
            "timezon",
            "did you mean 'timezone'?",
        ),
        ("    name: Tom Okafor\n", "    nmae: Tom Okafor\n", "agents[1].nmae", "did you mean 'name'?"),
        ("kiosk:\n  group:", "kiosk:\n  gruop:", "kiosk.gruop", "did you mean 'group'?"),
    ],
)
def test_unknown_key_suggests_the_known_one(
    tmp_path: Path, old: str, new: str, key: str, suggestion: str
) -> None:
    text = changed(old, new)
    path = write_config(tmp_path, text)
    message = only_problem(path)
    assert_points_at(
        message,
        path,
        line_of(text, key.split(".")[-1] + ":"),
        key,
        "unknown key",
        suggestion,
        "the keys allowed here are:",
    )


@pytest.mark.parametrize(
    ("old", "new", "fragment", "key", "guidance"),
    [
        (
            "    groups: [service-desk]\n  - login: tom",
            "    groups: service-desk\n  - login: tom",
            "groups: service-desk",
            "agents[0].groups",
            "should be a list like [a, b], not text",
        ),
        (
            "agents:\n",
            "database: /srv/desk.db\nagents:\n",
            "database: /srv/desk.db",
            "database",
            "should be a mapping (key: value lines), not text",
        ),
        (
            "agents:\n",
            "database:\n  busy_timeout_ms: soon\nagents:\n",
            "busy_timeout_ms",
            "database.busy_timeout_ms",
            "should be a whole number between 0 and 600000",
        ),
        (
            "kiosk:\n",
            "kiosk:\n  idle_reset_seconds: 2.5\n",
            "idle_reset_seconds",
            "kiosk.idle_reset_seconds",
            "should be a whole number",
        ),
    ],
)
def test_wrong_type_names_the_expected_type(
    tmp_path: Path, old: str, new: str, fragment: str, key: str, guidance: str
) -> None:
    text = changed(old, new)
    path = write_config(tmp_path, text)
    assert_points_at(only_problem(path), path, line_of(text, fragment), key, guidance)


@pytest.mark.parametrize(
    ("written", "guidance"),
    [
        ("1d", "Write the business hours you mean, such as 8h or 24h"),
        ("30s", "write whole minutes such as 1m or 30m"),
        ("1.5h", "write whole hours and minutes: 1h30m"),
        ('"soon"', "write hours and minutes such as 30m, 4h or 2h30m"),
        ("90", "write 90m for minutes or 90h for hours"),
    ],
)
def test_bad_duration_says_how_to_write_it(tmp_path: Path, written: str, guidance: str) -> None:
    text = changed("    first_response: 4h\n", f"    first_response: {written}\n")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, f"first_response: {written}"),
        "sla.normal.first_response",
        guidance,
    )


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("timezone: Europe/London\nagents", "timezone: Europe/Lundon\nagents", "timezone"),
        ("    role: lead\n", "    role: lead\n    timezone: Mars/Olympus\n", "agents[0].timezone"),
        ("    timezone: UTC\n", "    timezone: Utc/Nowhere\n", "calendars.always.timezone"),
    ],
)
def test_unknown_timezone(tmp_path: Path, old: str, new: str, key: str) -> None:
    text = changed(old, new)
    path = write_config(tmp_path, text)
    bad = next(line for line in new.splitlines() if "/" in line).split(":", 1)[1].strip()
    message = only_problem(path)
    assert_points_at(
        message,
        path,
        line_of(text, bad),
        key,
        f"'{bad}' is not a timezone",
        "write an IANA name such as Europe/London",
    )
    if bad == "Europe/Lundon":
        assert "did you mean 'Europe/London'?" in message


def test_agent_in_unknown_group(tmp_path: Path) -> None:
    text = changed("    groups: [service-desk]\n  - login: tom", "    groups: [servise-desk]\n  - login: tom")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "servise-desk"),
        "agents[0].groups[0]",
        "'servise-desk' is not a group",
        "did you mean 'service-desk'?",
        "add it under groups:",
    )


def test_unknown_role(tmp_path: Path) -> None:
    text = changed("    role: lead\n", "    role: boss\n")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "role: boss"),
        "agents[0].role",
        "'boss' is not a known role",
        "write one of: agent, lead, admin",
    )


def test_duplicate_login(tmp_path: Path) -> None:
    text = changed("  - login: tom\n", "  - login: asha\n")
    path = write_config(tmp_path, text)
    second = [i for i, line in enumerate(text.splitlines(), 1) if "login: asha" in line][1]
    assert_points_at(
        only_problem(path),
        path,
        second,
        "agents[1].login",
        "'asha' is listed twice",
        "each login belongs to one agent",
    )


def test_duplicate_yaml_key_is_reported_not_silently_overwritten(tmp_path: Path) -> None:
    text = changed("default_priority: normal\n", "default_priority: normal\ndefault_priority: urgent\n")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "default_priority: urgent"),
        "default_priority",
        "written twice",
        "keep one of them",
    )


def test_yaml_syntax_error_reports_its_line(tmp_path: Path) -> None:
    text = changed("    name: Tom Okafor\n", "    name: Tom: Okafor\n")
    path = write_config(tmp_path, text)
    message = only_problem(path)
    assert message.startswith(f"{path}, line {line_of(text, 'Tom: Okafor')}: column "), message
    assert "this is not valid YAML: mapping values are not allowed here" in message
    assert "Check the indentation and quotes on this line and the one above." in message


def test_unclosed_bracket_is_reported_where_yaml_notices_it(tmp_path: Path) -> None:
    text = changed("  security: Security\n", "  security: [Security\n")
    path = write_config(tmp_path, text)
    message = only_problem(path)
    # YAML only notices on the next line, hence the advice to look at "the one above" too.
    assert message.startswith(f"{path}, line {line_of(text, '[Security') + 1}: "), message
    assert "expected ',' or ']'" in message and "and the one above" in message


def test_tab_indentation_is_a_syntax_error_with_a_line(tmp_path: Path) -> None:
    text = changed("  email: Email and calendar\n", "\temail: Email and calendar\n")
    path = write_config(tmp_path, text)
    message = only_problem(path)
    assert f"{path}, line " in message and "not valid YAML" in message


def test_missing_required_statuses(tmp_path: Path) -> None:
    statuses = SMALL[SMALL.index("statuses:") : SMALL.index("calendars:")]
    text = changed(
        statuses, "statuses:\n  new: {label: New, next: [open]}\n  open: {label: Open, next: []}\n"
    )
    text = changed("    pause_statuses: [pending]\n", "    pause_statuses: []\n", text)
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2, messages
    for status, message in zip(("solved", "closed"), messages, strict=True):
        assert_points_at(
            message,
            path,
            text.splitlines().index("statuses:") + 1,
            "statuses",
            f"the status '{status}' is missing",
            "add it with a label and its next statuses",
        )


def test_transition_to_unknown_status(tmp_path: Path) -> None:
    text = changed("next: [pending, solved, closed]", "next: [pending, solvd, closed]")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "solvd"),
        "statuses.open.next[1]",
        "'solvd' is not a known status",
        "did you mean 'solved'?",
        "write one of:",
    )


def test_status_leading_to_itself(tmp_path: Path) -> None:
    text = changed("next: [pending, solved, closed]", "next: [open, solved, closed]")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "open: {label: Open, next: [open"),
        "statuses.open.next[0]",
        "cannot lead to itself",
        "remove it",
    )


def test_default_priority_must_be_a_priority(tmp_path: Path) -> None:
    text = changed("default_priority: normal\n", "default_priority: medium\n")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "default_priority"),
        "default_priority",
        "'medium' is not one of the priorities (normal, urgent)",
        "write one of them",
    )


def test_sla_policy_for_unknown_priority(tmp_path: Path) -> None:
    text = changed("  urgent:\n    calendar", "  urgnet:\n    calendar")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "urgnet"),
        "sla.urgnet",
        "'urgnet' is not a known priority",
        "did you mean 'urgent'?",
        "write one of: normal, urgent",
    )


@pytest.mark.parametrize(
    ("old", "new", "fragment", "key"),
    [
        ("    calendar: office\n", "    calendar: offise\n", "offise", "sla.normal.calendar"),
        (
            "    resolution: 24h\n",
            "    resolution: {target: 24h, calendar: offise}\n",
            "offise",
            "sla.normal.resolution.calendar",
        ),
    ],
)
def test_unknown_calendar(tmp_path: Path, old: str, new: str, fragment: str, key: str) -> None:
    text = changed(old, new)
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, fragment),
        key,
        "'offise' is not a known calendar",
        "did you mean 'office'?",
        "write one of: office, always",
    )


@pytest.mark.parametrize(
    ("hours", "index", "guidance"),
    [
        ('["22:00-02:00"]', 0, "crosses midnight; split it over two days, e.g. 22:00-24:00 and 00:00-02:00"),
        (
            '["09:00-12:30", "12:00-17:30"]',
            1,
            "overlaps '09:00-12:30' on mon; intervals on one day must not overlap",
        ),
        ('["9-5"]', 0, "write HH:MM-HH:MM such as 09:00-17:30"),
        ('["09:00-24:30"]', 0, "does not exist"),
    ],
)
def test_bad_calendar_interval(tmp_path: Path, hours: str, index: int, guidance: str) -> None:
    text = changed('      mon: ["09:00-17:30"]\n', f"      mon: {hours}\n")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, f"mon: {hours}"),
        f"calendars.office.hours.mon[{index}]",
        guidance,
    )


def test_calendar_weekday_misspelt(tmp_path: Path) -> None:
    text = changed('      tue: ["09:00-17:30"]\n', '      tues: ["09:00-17:30"]\n')
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "tues"),
        "calendars.office.hours.tues",
        "'tues' is not a weekday",
        "did you mean tue?",
    )


@pytest.mark.parametrize(
    ("actions", "index", "guidance"),
    [
        ("[raise_priorty]", 0, "'raise_priorty' is not a breach action (did you mean 'raise_priority'?)"),
        ("[flag_lead, move_to_group]", 1, "move_to_group needs a group: write {move_to_group: service-desk}"),
    ],
)
def test_bad_breach_action(tmp_path: Path, actions: str, index: int, guidance: str) -> None:
    text = changed("    on_breach: [flag_lead]\n", f"    on_breach: {actions}\n")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path), path, line_of(text, actions), f"sla.normal.on_breach[{index}]", guidance
    )


def test_breach_action_list_written_as_text(tmp_path: Path) -> None:
    text = changed("    on_breach: [flag_lead]\n", "    on_breach: flag_lead\n")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "on_breach: flag_lead"),
        "sla.normal.on_breach",
        "should be a list such as [raise_priority, flag_lead, {move_to_group: security}]",
    )


def test_move_to_unknown_group(tmp_path: Path) -> None:
    text = changed("{move_to_group: security}", "{move_to_group: secrity}")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "secrity"),
        "sla.urgent.on_breach[1].move_to_group",
        "'secrity' is not a known group",
        "did you mean 'security'?",
        "write one of: service-desk, security",
    )


def test_pause_status_that_stops_the_clocks(tmp_path: Path) -> None:
    text = changed("    pause_statuses: [pending]\n", "    pause_statuses: [pending, solved]\n")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "pause_statuses"),
        "sla.normal.pause_statuses[1]",
        "'solved' stops the clocks already",
        "such as pending",
    )


def test_pause_status_that_does_not_exist(tmp_path: Path) -> None:
    text = changed("    pause_statuses: [pending]\n", "    pause_statuses: [waiting]\n")
    path = write_config(tmp_path, text)
    assert_points_at(
        only_problem(path),
        path,
        line_of(text, "pause_statuses"),
        "sla.normal.pause_statuses[0]",
        "'waiting' is not a known status",
        "write one of:",
    )


@pytest.mark.parametrize(
    ("old", "new", "fragment", "key", "guidance"),
    [
        (
            "  categories: [hardware, email]\n",
            "  categories: [hardwear, email]\n",
            "hardwear",
            "kiosk.categories[0]",
            "'hardwear' is not a known category (did you mean 'hardware'?)",
        ),
        (
            "  group: service-desk\n  categories",
            "  group: helpdesk\n  categories",
            "helpdesk",
            "kiosk.group",
            "'helpdesk' is not a known group",
        ),
    ],
)
def test_kiosk_names_unknown_ids(
    tmp_path: Path, old: str, new: str, fragment: str, key: str, guidance: str
) -> None:
    text = changed(old, new)
    path = write_config(tmp_path, text)
    assert_points_at(only_problem(path), path, line_of(text, fragment), key, guidance, "write one of:")


@pytest.mark.parametrize(
    ("value", "guidance"),
    [
        ("1.5", "is 1.5; write a number above 0.0 and at most 1.0, such as 0.75"),
        ("0", "is 0; write a number above 0.0 and at most 1.0"),
        ("-0.2", "is -0.2; write a number above 0.0"),
        ("high", "should be a number between 0.0 and 1.0, not text"),
    ],
)
def test_warn_at_out_of_range(tmp_path: Path, value: str, guidance: str) -> None:
    text = changed("    warn_at: 0.5\n", f"    warn_at: {value}\n")
    path = write_config(tmp_path, text)
    assert_points_at(only_problem(path), path, line_of(text, "warn_at"), "sla.urgent.warn_at", guidance)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    path = write_config(tmp_path, text)
    message = only_problem(path)
    assert message.startswith(f"{path}: "), message
    assert "is missing or empty; it must be a mapping of keys to values" in message


def test_file_that_is_a_list(tmp_path: Path) -> None:
    path = write_config(tmp_path, "- agents\n- groups\n")
    assert_points_at(
        only_problem(path), path, 1, "(top level)", "should be a mapping (key: value lines), not a list"
    )


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "config.yaml"
    message = only_problem(path)
    assert message.startswith(f"{path}: "), message
    assert "does not exist" in message and "pass --config with the right path" in message


def test_several_mistakes_are_all_reported_in_line_order(tmp_path: Path) -> None:
    text = changed("    role: lead\n", "    role: boss\n")
    text = changed("default_priority: normal\n", "default_priority: medium\n", text)
    text = changed("timezone: Europe/London\nagents", "timezone: Mars/Base\nagents", text)
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    report = caught.value.report()
    assert report.startswith("The configuration has 3 problems:")
    assert [p.line for p in caught.value.problems] == [
        1,
        line_of(text, "role: boss"),
        line_of(text, "default_priority"),
    ]


# -- the command line ------------------------------------------------------------------------------------


def test_config_check_reports_the_same_problems_and_exits_2(tmp_path: Path, run_cli) -> None:
    text = changed("    role: lead\n", "    role: boss\n")
    path = write_config(tmp_path, text, "broken.yaml")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    result = run_cli("config", "check", config=path)
    assert result.returncode == 2
    assert result.stderr.strip() == caught.value.report()
    assert result.stdout == ""


def test_config_check_ok_on_the_good_config(run_cli, config_file: Path) -> None:
    result = run_cli("config", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{config_file}: OK - 5 agents, 4 groups, 10 categories, 4 priorities")


def test_config_check_honours_plaindesk_config(tmp_path: Path, run_cli) -> None:
    broken = write_config(
        tmp_path, changed("default_priority: normal\n", "default_priority: medium\n"), "from-env.yaml"
    )
    result = run_cli("config", "check", config=None, env={"PLAINDESK_CONFIG": str(broken)})
    assert result.returncode == 2
    assert f"{broken}, line {line_of(SMALL, 'default_priority')}: default_priority:" in result.stderr

    good = write_config(tmp_path, config_text(), "good.yaml")
    result = run_cli("config", "check", config=None, env={"PLAINDESK_CONFIG": str(good)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{good}: OK")


def test_configured_database_path_is_used_when_no_db_is_given(tmp_path: Path, run_cli) -> None:
    text = config_text(**{'  path: ""': "  path: shared/desk.db"})
    (tmp_path / "shared").mkdir()
    path = write_config(tmp_path, text, "with-path.yaml")
    result = run_cli(
        "ticket",
        "new",
        "--subject",
        "Laptop will not boot",
        "--requester",
        "jo@example.org",
        config=path,
        db=None,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "shared" / "desk.db").is_file()
    assert not (tmp_path / "desk.db").exists()


def test_a_broken_section_gives_one_message_not_one_per_use(tmp_path) -> None:
    from tests.conftest import config_text, write_config

    path = write_config(
        tmp_path,
        config_text(
            **{
                "groups:\n  service-desk: Service Desk\n  field-services: Field Services\n"
                "  infrastructure: Infrastructure\n  security: Security\n": "groups: [service-desk, field-services, infrastructure, security]\n"
            }
        ),
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [p.key for p in caught.value.problems] == ["groups"]
    assert "should be a mapping" in caught.value.problems[0].message
