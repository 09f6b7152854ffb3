"""The kiosk's domain on a real database file: check-in and the wait, filing, finding, limits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tui.kiosk_desk import (
    CODE_ALPHABET,
    KioskDesk,
    KioskError,
    announce,
    call_next_visitor,
    waiting_visitors,
)
from tui.workflow import RequesterInput


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def kiosk(store, config, clock, waits) -> KioskDesk:
    return KioskDesk(store, config, "tty-test", now=clock, sleep=waits.append)


def test_check_in_joins_the_line_and_files_a_walk_up_ticket(kiosk, desk) -> None:
    first = kiosk.check_in("Sam Lee", "My laptop won't charge")
    second = kiosk.check_in("Jo Bloggs", "Printer jams")
    assert (first.place, second.place) == (1, 2)
    ticket = desk.ticket(first.ticket_id)
    assert ticket.channel == "walk-up" and ticket.requester_name == "Sam Lee"
    assert [m.body for m in ticket.messages] == ["My laptop won't charge"]


def test_the_wait_is_learned_from_recent_visits(kiosk, desk, store, clock) -> None:
    visits = [kiosk.check_in(f"Person {i}", "Help") for i in range(6)]
    assert kiosk.place_in_line(visits[0].visit_id) == (1, timedelta(minutes=10))  # nothing learned yet
    for _ in range(3):  # one agent calls a visitor every 20 minutes
        call_next_visitor(store, desk.actor.agent_id, clock())
        clock.advance(minutes=20)
    place, wait = kiosk.place_in_line(visits[4].visit_id)
    assert place == 2 and wait == timedelta(minutes=40)
    assert kiosk.place_in_line(visits[0].visit_id) == (0, timedelta(0))  # called already
    assert kiosk.now_serving()[0] == "Person 2. - with Asha"


def test_a_report_gets_a_reference_a_code_and_a_promise(kiosk, desk) -> None:
    filed = kiosk.report(
        "Print the rota", "The printer says [Error] and stops", "blocked", "Kim Park", "kim@example.org"
    )
    assert len(filed.code) == 6 and set(filed.code) <= set(CODE_ALPHABET)
    assert filed.promise.startswith("Someone will reply by ")
    ticket = desk.ticket(filed.ticket_id)
    assert (
        ticket.priority == "high"
        and ticket.channel == "kiosk"
        and ticket.requester_email == "kim@example.org"
    )
    assert "The printer says [Error] and stops" in ticket.messages[0].body


def test_finding_a_ticket_needs_its_code_and_wrong_tries_are_slowed_then_stopped(kiosk, waits) -> None:
    filed = kiosk.report("Sign in", "It says my account is locked", "slowed", "Ola")
    assert kiosk.find(filed.ref, filed.code.lower()) == filed.ticket_id
    for _ in range(5):
        with pytest.raises(KioskError, match="couldn't find"):
            kiosk.find(filed.ref, "AAAAAA")
    with pytest.raises(KioskError, match="too many times"):
        kiosk.find(filed.ref, filed.code)  # even the right code must wait now
    assert waits == [0, 0, 1, 3, 7, 8]  # each wrong try makes the next answer slower


def test_another_persons_ticket_cannot_be_opened_with_your_code(kiosk) -> None:
    mine = kiosk.report("Email", "Outlook closes", "slowed", "Ana")
    theirs = kiosk.report("VPN", "Drops", "slowed", "Ben")
    with pytest.raises(KioskError):
        kiosk.find(theirs.ref, mine.code)


def test_the_public_view_never_shows_internal_notes(kiosk, desk) -> None:
    filed = kiosk.report("Teams", "No sound", "slowed", "Ravi")
    desk.note(filed.ticket_id, "Secret: his headset is on the naughty list")
    desk.reply(filed.ticket_id, "Hi Ravi, please try the other USB port. I'll update you by 3 pm.")
    view = kiosk.public(filed.ticket_id)
    bodies = " ".join(m.body for m in view.messages)
    assert "naughty" not in bodies and "other USB port" in bodies
    assert view.status_words == "Someone is working on it."


def test_a_visitor_can_reply_say_it_is_fixed_and_rate_it(kiosk, desk) -> None:
    filed = kiosk.report("Wi-Fi", "Drops", "can_wait", "Lee")
    with pytest.raises(KioskError, match="once your request is fixed"):
        kiosk.rate(filed.ticket_id, 5)
    kiosk.add_reply(filed.ticket_id, "It happens near the kitchen.")
    kiosk.mark_fixed(filed.ticket_id)
    assert desk.ticket(filed.ticket_id).status == "solved"
    kiosk.rate(filed.ticket_id, 4, "Quick, thanks")
    assert kiosk.public(filed.ticket_id).rating == (4, "Quick, thanks")
    with pytest.raises(KioskError):
        kiosk.rate(filed.ticket_id, 9)


def test_new_tickets_are_limited_per_terminal(store, config, clock) -> None:
    kiosk = KioskDesk(store, config, "busy-tty", now=clock, sleep=lambda s: None)
    for i in range(config.kiosk.tickets_per_hour):
        kiosk.check_in(f"P{i}", "Help")
    with pytest.raises(KioskError, match="a lot of requests"):
        kiosk.report("x", "y", "slowed", "Z")
    assert KioskDesk(store, config, "other-tty", now=clock).check_in("Q", "Help").place > 0
    clock.advance(hours=1, minutes=1)
    kiosk.check_in("Later", "Help")


def test_inputs_have_limits_that_say_what_to_do(kiosk) -> None:
    with pytest.raises(KioskError, match="your name"):
        kiosk.check_in("   ", "Help")
    with pytest.raises(KioskError, match="under 300 characters"):
        kiosk.check_in("Sam", "x" * 301)
    with pytest.raises(KioskError, match="e-mail address"):
        kiosk.report("a", "b", "slowed", "Sam", "sam@@example")


def test_announcements_show_while_current(kiosk, store, clock) -> None:
    announce(
        store,
        "outage",
        "Email is down",
        "We're on it.",
        clock() - timedelta(minutes=5),
        clock() + timedelta(hours=1),
        "Asha",
        clock(),
    )
    announce(
        store,
        "training",
        "Teams tips",
        "",
        clock() + timedelta(days=1),
        clock() + timedelta(days=1, hours=1),
        "Asha",
        clock(),
    )
    assert [a.title for a in kiosk.announcements()] == ["Email is down"]
    clock.advance(hours=2)
    assert kiosk.announcements() == []
    with pytest.raises(KioskError):
        announce(store, "party", "x", "", clock(), clock() + timedelta(hours=1), "Asha", clock())


def test_waiting_visitors_are_first_come_first_served(kiosk, store, desk) -> None:
    kiosk.check_in("First", "A")
    kiosk.check_in("Second", "B")
    assert [v.name for v in waiting_visitors(store)] == ["First", "Second"]
    called = call_next_visitor(store, desk.actor.agent_id, desk.now())
    assert called.name == "First" and [v.name for v in waiting_visitors(store)] == ["Second"]


def test_a_requester_input_is_a_plain_name(desk) -> None:
    assert RequesterInput("Sam").email is None


def test_what_the_kiosk_tells_a_visitor_is_plain(kiosk, store, config, clock) -> None:
    from tui.plain.checker import default_checker

    said = []
    filed = kiosk.report("Sign in", "Locked out", "slowed", "Ola")
    said.append(filed.promise)
    for attempt in (
        lambda: kiosk.check_in("", "x"),
        lambda: kiosk.check_in("Sam", "x" * 400),
        lambda: kiosk.report("a", "b", "slowed", "Sam", "sam@@x"),
        lambda: kiosk.report("a", "b", "", "Sam"),
        lambda: kiosk.rate(filed.ticket_id, 5),
        *[lambda: kiosk.find(filed.ref, "WRONG1")] * 6,
    ):
        with pytest.raises(KioskError) as error:
            attempt()
        said.append(str(error.value))
    checker = default_checker()
    for text in said:
        assert [f.text for f in checker.check(text, kind="text") if f.scope == "span"] == [], text
