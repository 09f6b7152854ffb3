"""The ticket workflow: what agents and requesters can do, what it records, and what it refuses."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from conftest import START, FrozenClock

from tui.store import Store, View, list_page
from tui.store.models import Requester
from tui.store.tickets import Actor
from tui.workflow import Desk, RequesterInput, WorkflowError

ESC = "\x1b"


def person(text: str = "Jo Bloggs <jo@example.org>") -> RequesterInput:
    return RequesterInput.parse(text)


def as_requester(store: Store, email: str) -> Actor:
    with store.read():
        row = Requester.get(Requester.email == email)
    return Actor(row.name, requester_id=row.id)


# -- creating --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "email"),
    [
        ("Jo Bloggs <Jo.Bloggs@Example.org>", "Jo Bloggs", "jo.bloggs@example.org"),
        ('"Bloggs, Jo" <jo@example.org>', "Bloggs, Jo", "jo@example.org"),
        ("jo@example.org", "jo", "jo@example.org"),
        ("  Walk-up   visitor ", "Walk-up visitor", None),
    ],
)
def test_requester_forms(desk: Desk, text: str, name: str, email: str | None) -> None:
    ticket = desk.ticket(desk.create("Printer jams", RequesterInput.parse(text), "Tray 2."))
    assert (ticket.requester_name, ticket.requester_email) == (name, email)


@pytest.mark.parametrize(
    "text",
    ["Jo <jo.example.org>", "@example.org", "Jo Bloggs jo@example.org", "jo@", "<>", "", "   ", "\x1b[31m"],
)
def test_bad_requester_is_refused_with_what_to_write(text: str) -> None:
    with pytest.raises(WorkflowError, match=r'write .*"Name <name@example\.org>"'):
        RequesterInput.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "Jo <@example.org>",
        "Jo <jo@>",
        "Jo <jo@@example.org>",
        "jo@example.org, sam@example.org",
        "Jo <jo@exa mple.org>",
    ],
)
def test_a_bad_address_is_refused_not_silently_changed(text: str) -> None:
    with pytest.raises(WorkflowError, match="is not an e-mail address"):
        RequesterInput.parse(text)


@pytest.mark.parametrize("text", ["Jo <>", "Jo < >"])
def test_empty_brackets_are_refused(text: str) -> None:
    with pytest.raises(WorkflowError, match="no e-mail address|is not an e-mail address"):
        RequesterInput.parse(text)


def test_same_email_is_the_same_requester(desk: Desk) -> None:
    first = desk.create("Laptop slow", person("Jo <jo@example.org>"))
    second = desk.create("Laptop still slow", person("Jo Bloggs <JO@example.org>"))
    page = list_page(View(requester_email="jo@example.org", sort="oldest"))
    assert [r.id for r in page.rows] == [first, second]
    assert {r.requester for r in page.rows} == {"Jo Bloggs"}, "the newer name is kept for both"


def test_new_ticket_starts_new_with_defaults_and_the_requesters_message(desk: Desk) -> None:
    ticket = desk.ticket(
        desk.create(
            "VPN drops",
            person(),
            "Every ten minutes.",
            category="network",
            group="security",
            tags=["VPN", "Remote Work"],
        )
    )
    assert (ticket.status, ticket.priority, ticket.version, ticket.active) == ("new", "normal", 1, True)
    assert (ticket.category, ticket.group, ticket.tags) == ("network", "security", ("remote-work", "vpn"))
    assert ticket.created_at == START
    assert [(m.kind, m.author, m.body) for m in ticket.messages] == [
        ("requester", "Jo Bloggs", "Every ten minutes.")
    ]


@pytest.mark.parametrize(
    ("field", "value"), [("priority", "critical"), ("category", "plumbing"), ("group", "nowhere")]
)
def test_unknown_choice_is_refused_naming_the_choices(desk: Desk, field: str, value: str) -> None:
    with pytest.raises(WorkflowError, match=f"'{value}' is not a {field}; use one of: "):
        desk.create("Keyboard", person(), **{field: value})
    assert list_page(View(active=None)).rows == []


@pytest.mark.parametrize("subject", ["", "   ", "\n\t", "\x1b[2J\x1b[H", "\x07\x08"])
def test_empty_subject_is_refused(desk: Desk, subject: str) -> None:
    with pytest.raises(WorkflowError, match="The subject is empty"):
        desk.create(subject, person())


def test_overlong_subject_is_refused(desk: Desk) -> None:
    with pytest.raises(WorkflowError, match="keep it under 200"):
        desk.create("x" * 201, person())


@pytest.mark.parametrize("body", ["", "  \n\n ", "\x1b[0m"])
def test_empty_reply_and_note_are_refused(desk: Desk, body: str) -> None:
    ticket = desk.create("Headset", person())
    with pytest.raises(WorkflowError, match="The message is empty"):
        desk.reply(ticket, body)
    with pytest.raises(WorkflowError, match="The message is empty"):
        desk.note(ticket, body)
    assert desk.ticket(ticket).version == 1


def test_escape_sequences_and_control_characters_are_stored_cleaned(desk: Desk) -> None:
    subject = "Printer \x1b[31mon fire\x1b[0m\x07 again\r\n\u202etxt.exe"
    body = "Line one\x1b]0;owned\x07\r\nLine\x00 two\x1b[2J\tend\x9b"
    ticket = desk.ticket(
        desk.create(subject, person("Jo \x1b[1mBold\x1b[0m <jo@example.org>"), body, tags=["\x1b[5mblink"])
    )
    assert ticket.subject == "Printer on fire again txt.exe"
    assert ticket.messages[0].body == "Line one\nLine two\tend"
    assert ticket.requester_name == "Jo Bold"
    assert ticket.tags == ("blink",)
    desk.reply(ticket.id, "Done\x1b[1A\x1b[2K ok")
    assert desk.ticket(ticket.id).messages[-1].body == "Done ok"
    shown = json.dumps(desk.ticket(ticket.id).to_json(), ensure_ascii=False)
    assert ESC not in shown and "\\u001b" not in shown


def test_markup_like_text_is_kept_verbatim(desk: Desk) -> None:
    subject = "[bold red]Urgent[/] <b>VPN</b> {name} $(whoami) `rm -rf` **bold**"
    body = "[link=https://evil.example]click[/link]\n[dim]C:\\Users\\jo[/dim] & <script>"
    ticket = desk.ticket(desk.create(subject, person(), body))
    assert ticket.subject == subject
    assert ticket.messages[0].body == body


# -- replies and status ----------------------------------------------------------------------------------


def test_first_reply_opens_a_new_ticket_and_counts_as_first_response(desk: Desk, clock: FrozenClock) -> None:
    ticket = desk.create("Monitor flickers", person())
    clock.advance(minutes=20)
    assert desk.reply(ticket, "Which monitor?") == 2
    record = desk.ticket(ticket)
    assert record.status == "open"
    assert record.first_responded_at == START + timedelta(minutes=20)
    assert [(m.kind, m.author) for m in record.messages][-1] == ("public_reply", "Asha Patel")
    clock.advance(minutes=20)
    desk.reply(ticket, "Any news?")
    assert desk.ticket(ticket).first_responded_at == START + timedelta(minutes=20)


def test_a_note_does_not_count_as_a_response(desk: Desk) -> None:
    ticket = desk.create("Monitor flickers", person())
    desk.note(ticket, "Check the cable first.")
    record = desk.ticket(ticket)
    assert (record.status, record.first_responded_at) == ("new", None)
    assert record.messages[-1].kind == "internal_note"


@pytest.mark.parametrize(
    "path",
    [
        ["open", "pending", "open", "solved", "closed"],
        ["pending", "solved", "open"],
        ["solved", "closed"],
        ["closed"],
    ],
)
def test_allowed_transitions(desk: Desk, path: list[str]) -> None:
    ticket = desk.create("Phone", person())
    for status in path:
        desk.update(ticket, status=status)
    assert desk.ticket(ticket).status == path[-1]


@pytest.mark.parametrize(
    ("path", "refused", "allowed_next"),
    [
        (["closed"], "open", "nowhere (it is final)"),
        (["closed"], "pending", "nowhere (it is final)"),
        (["solved"], "pending", "open, closed"),
        (["open"], "new", "pending, solved, closed"),
    ],
)
def test_forbidden_transitions_say_where_the_ticket_can_go(
    desk: Desk, path: list[str], refused: str, allowed_next: str
) -> None:
    ticket = desk.create("Phone", person())
    for status in path:
        desk.update(ticket, status=status)
    before = desk.ticket(ticket)
    with pytest.raises(
        WorkflowError,
        match=re.escape(
            f"cannot go from {path[-1]} to {refused}; from {path[-1]} it can go to: {allowed_next}."
        ),
    ):
        desk.update(ticket, status=refused)
    assert desk.ticket(ticket) == before


def test_unknown_status_is_refused(desk: Desk) -> None:
    ticket = desk.create("Phone", person())
    with pytest.raises(
        WorkflowError, match="'bogus' is not a status; use one of: new, open, pending, solved, closed"
    ):
        desk.update(ticket, status="bogus")


def test_solving_stops_the_ticket_and_reopen_brings_it_back(desk: Desk, clock: FrozenClock) -> None:
    ticket = desk.create("Scanner", person())
    desk.reply(ticket, "Fixed the driver.", status="solved")
    solved = desk.ticket(ticket)
    assert (solved.status, solved.active, solved.solved_at) == ("solved", False, START)
    assert ticket not in [r.id for r in list_page(View()).rows]
    assert ticket in [r.id for r in list_page(View(active=False)).rows]

    clock.advance(hours=1)
    desk.reopen(ticket)
    reopened = desk.ticket(ticket)
    assert (reopened.status, reopened.active) == ("open", True)
    assert reopened.events[-1].describe() == "status: solved -> open"
    assert ticket in [r.id for r in list_page(View()).rows]


def test_reopen_of_an_open_ticket_says_there_is_nothing_to_reopen(desk: Desk) -> None:
    ticket = desk.create("Scanner", person())
    with pytest.raises(WorkflowError, match="is new, not solved or closed; there is nothing to reopen"):
        desk.reopen(ticket)


def test_closed_ticket_cannot_be_reopened(desk: Desk) -> None:
    ticket = desk.create("Scanner", person())
    desk.update(ticket, status="closed")
    with pytest.raises(WorkflowError, match="cannot go from closed to open"):
        desk.reopen(ticket)


@pytest.mark.parametrize("start", ["pending", "solved"])
def test_requester_reply_reopens_pending_and_solved(desk: Desk, store: Store, start: str) -> None:
    ticket = desk.create("Wi-Fi", person())
    desk.reply(ticket, "Does it work now?", status=start)
    jo = as_requester(store, "jo@example.org")
    desk.requester_reply(ticket, "No, still broken.", jo)
    record = desk.ticket(ticket)
    assert record.status == "open" and record.active
    assert (record.messages[-1].kind, record.messages[-1].author) == ("requester", "Jo Bloggs")
    assert [(e.actor, e.describe()) for e in record.events[-2:]] == [
        ("Jo Bloggs", "requester_replied"),
        ("Jo Bloggs", f"status: {start} -> open"),
    ]


def test_requester_reply_to_a_closed_ticket_is_refused(desk: Desk, store: Store) -> None:
    ticket = desk.create("Wi-Fi", person())
    desk.update(ticket, status="closed")
    with pytest.raises(WorkflowError, match="is closed; open a new ticket for a follow-up"):
        desk.requester_reply(ticket, "It broke again", as_requester(store, "jo@example.org"))


def test_requesters_cannot_do_agent_actions(store: Store, config, desk: Desk) -> None:
    ticket = desk.create("Wi-Fi", person())
    visitor = Desk(store, config, as_requester(store, "jo@example.org"))
    for action in (
        lambda: visitor.reply(ticket, "hi"),
        lambda: visitor.note(ticket, "hi"),
        lambda: visitor.update(ticket, priority="urgent"),
        lambda: visitor.merge(ticket, ticket + 1),
    ):
        with pytest.raises(WorkflowError, match="Only agents can"):
            action()


# -- fields, tags, merge ---------------------------------------------------------------------------------


def test_tags_are_added_and_removed(desk: Desk) -> None:
    ticket = desk.create("Teams crashes", person(), tags=["teams"])
    desk.update(ticket, add_tags=["Crash Report", "teams"])
    assert desk.ticket(ticket).tags == ("crash-report", "teams")
    desk.update(ticket, remove_tags=["teams"])
    record = desk.ticket(ticket)
    assert record.tags == ("crash-report",)
    assert [e.describe() for e in record.events if e.field == "tags"] == [
        "tags: teams -> crash-report, teams",
        "tags: crash-report, teams -> crash-report",
    ]
    assert [r.id for r in list_page(View(tag="crash-report")).rows] == [ticket]
    assert list_page(View(tag="teams")).rows == []


def test_overlong_tag_is_refused(desk: Desk) -> None:
    with pytest.raises(WorkflowError, match="too long"):
        desk.create("Teams", person(), tags=["t" * 41])


def test_assign_and_unassign(desk: Desk) -> None:
    ticket = desk.create("Teams crashes", person())
    desk.assign(ticket, "tom", "security")
    record = desk.ticket(ticket)
    assert (record.assignee_login, record.assignee, record.group) == ("tom", "Tom Okafor", "security")
    desk.assign(ticket, "", "")
    record = desk.ticket(ticket)
    assert (record.assignee, record.group) == (None, None)
    assert [e.describe() for e in record.events[-2:]] == [
        "assignee: tom -> (none)",
        "group: security -> (none)",
    ]


def test_unknown_assignee_is_refused_naming_the_agents(desk: Desk) -> None:
    ticket = desk.create("Teams crashes", person())
    with pytest.raises(
        WorkflowError, match="'bob' is not an agent of this desk; use one of: .*tom, mei, lars"
    ):
        desk.assign(ticket, "bob")
    assert desk.ticket(ticket).version == 1


def test_priority_change_reorders_the_breach_queue(desk: Desk) -> None:
    normal = desk.create("Slow laptop", person())
    urgent = desk.create("Server room flooding", person())
    assert [r.id for r in list_page(View(sort="due")).rows] == [normal, urgent]  # both due 14:00: by number
    desk.update(urgent, priority="urgent")
    assert [r.id for r in list_page(View(sort="due")).rows] == [urgent, normal]


def test_merge_closes_the_duplicate_and_keeps_its_messages(desk: Desk, clock: FrozenClock) -> None:
    target = desk.create("Outlook will not start", person(), "It crashes at launch.")
    clock.advance(minutes=5)
    source = desk.create("Outlook broken", person("Sam <sam@example.org>"), "Same here since the update.")
    desk.note(source, "Probably the same add-in.")
    clock.advance(minutes=5)
    desk.merge(source, target)

    merged = desk.ticket(source)
    assert (merged.status, merged.active, merged.merged_into) == ("closed", False, target)
    assert (
        merged.messages[-1].kind == "system" and f"Merged into ticket #{target}" in merged.messages[-1].body
    )
    assert [e.describe() for e in merged.events[-2:]] == [
        f"merged_into: (none) -> #{target}",
        "status: new -> closed",
    ]
    assert all(due is None for due in merged.due.values())

    kept = desk.ticket(target)
    assert [(m.kind, m.author, m.body) for m in kept.messages] == [
        ("requester", "Jo Bloggs", "It crashes at launch."),
        ("requester", "Sam", "Same here since the update."),
        ("internal_note", "Asha Patel", "Probably the same add-in."),
        (
            "system",
            "Asha Patel",
            f"Ticket #{source} (Outlook broken) was merged into this ticket; its messages are copied above.",
        ),
    ]
    assert kept.events[-1].describe() == f"merged_from: #{source}"
    assert kept.status == "new" and kept.active

    with pytest.raises(WorkflowError, match=f"was merged into #{target}; reply to that one instead"):
        desk.reply(source, "Hello?")
    with pytest.raises(WorkflowError, match=f"already merged into #{target}"):
        desk.merge(source, target)


@pytest.mark.parametrize("case", ["self", "into-merged"])
def test_merge_refusals(desk: Desk, case: str) -> None:
    a = desk.create("One", person())
    b = desk.create("Two", person())
    if case == "self":
        with pytest.raises(WorkflowError, match="cannot be merged into itself"):
            desk.merge(a, a)
    else:
        desk.merge(b, a)
        c = desk.create("Three", person())
        with pytest.raises(WorkflowError, match=f"#{b} was merged into #{a}; merge into that one"):
            desk.merge(c, b)
        assert desk.ticket(c).merged_into is None


# -- cached SLA due times --------------------------------------------------------------------------------


def test_urgent_ticket_gets_its_due_times_and_loses_them_when_solved(desk: Desk, clock: FrozenClock) -> None:
    ticket = desk.create("Payroll server down", person(), "Nobody can log in.", priority="urgent")
    due = desk.ticket(ticket).due
    assert due == {
        "first_response": START + timedelta(minutes=15),
        "next_update": None,
        "resolution": START + timedelta(hours=4),
    }
    assert list_page(View()).rows[0].next_due == START + timedelta(minutes=15)

    clock.advance(minutes=5)
    desk.reply(ticket, "On it.")
    due = desk.ticket(ticket).due
    assert due == {
        "first_response": None,
        "next_update": START + timedelta(minutes=65),
        "resolution": START + timedelta(hours=4),
    }

    desk.update(ticket, status="solved")
    assert desk.ticket(ticket).due == {"first_response": None, "next_update": None, "resolution": None}
    assert list_page(View(active=False)).rows[0].next_due is None


def test_normal_ticket_counts_office_hours(desk: Desk) -> None:
    ticket = desk.create("New mouse", person())  # Monday 10:00 in London (GMT in early March)
    due = desk.ticket(ticket).due
    assert due["first_response"] == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    # 24 business hours: Mon 7.5h + Tue 8.5h + 8h on Wednesday from 09:00.
    assert due["resolution"] == datetime(2026, 3, 4, 17, 0, tzinfo=UTC)


def test_pending_pauses_the_clocks(desk: Desk, store: Store, clock: FrozenClock) -> None:
    ticket = desk.create("New mouse", person())
    clock.advance(hours=1)
    desk.reply(ticket, "Which model?", status="pending")
    assert desk.ticket(ticket).due == {"first_response": None, "next_update": None, "resolution": None}
    clock.advance(hours=1)
    desk.requester_reply(ticket, "The wireless one.", as_requester(store, "jo@example.org"))
    # The hour spent waiting on the requester pushes resolution from Wednesday 17:00 to Thursday 09:30.
    assert desk.ticket(ticket).due["resolution"] == datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
