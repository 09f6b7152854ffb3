"""The agent console driven with Pilot on a real database file: queue, ticket, actions, drafts."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta

from textual.widgets import OptionList, Static
from ui_helpers import choose, painted, person, queue_lines, settle

from tui.app import PlainDeskApp
from tui.widgets.reply_helper import ReplyHelper
from tui.widgets.sla_countdowns import SlaCountdowns
from tui.widgets.ticket_detail import TicketDetail


def detail_text(app: PlainDeskApp) -> str:
    detail = app.screen.query_one(TicketDetail)
    return "\n".join(str(s.render()) for s in detail.query(Static))


async def test_queue_shows_tickets_soonest_breach_first_and_text_exactly_as_typed(desk) -> None:
    later = desk.create("Printer [b]jams[/b] [/", person(), priority="low")
    sooner = desk.create("VPN [@click=app.quit]down[/]", person("Sam <sam@example.org>"), priority="urgent")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        lines = queue_lines(app)
        assert lines[0].split()[:3] == ["Ticket", "SLA", "Priority"]
        assert lines[1].split()[0] == f"#{sooner}" and lines[2].split()[0] == f"#{later}"
        # Brackets typed by a requester are shown as typed, never read as markup or actions.
        assert "VPN [@click=app.quit]down[/]" in lines[1]
        assert "Printer [b]jams[/b] [/" in lines[2]
        await pilot.press("q")
    assert app.return_code == 0


async def test_terminal_escapes_in_a_subject_never_reach_the_screen(desk) -> None:
    desk.create("Hi \x1b]52;c;ZXZpbA==\x07there \x1b[31mred\u202e", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        row = queue_lines(app)[1]
        assert "Hi there red" in row
        assert "\x1b" not in row and "\u202e" not in row


async def test_enter_opens_the_ticket_with_its_thread_notes_and_history(desk, other_desk) -> None:
    ticket = desk.create("Laptop will not charge", person(), "It stopped this morning.")
    desk.reply(ticket, "Hi Jo, thanks. Could you try another socket? I'll update you by 3 pm today.")
    desk.note(ticket, "Probably the power brick.")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = detail_text(app)
        assert f"#{ticket} Laptop will not charge" in text
        assert "From Jo Bloggs" in text
        assert "From requester" in text and "It stopped this morning." in text
        assert "Reply · Asha Patel" in text and "another socket" in text
        assert "NOTE (agents only)" in text and "power brick" in text
        assert "History" in text and "status: new -> open" in text
        assert "First response" in text and "Resolution" in text


async def test_a_reply_is_checked_as_it_is_typed_and_sent_with_ctrl_s(desk, db_path) -> None:
    ticket = desk.create("Can't get online", person(), "The internet is down.")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("r")
        await pilot.press(*"Simply flush the DNS cache.")
        helper = app.screen.query_one(ReplyHelper)
        helper._check()  # the checker runs after a short pause in typing; do it now
        rules = {f.rule for f in helper.findings}
        assert "simply" in rules and "flush the DNS cache" in rules
        assert app.screen.query_one("#reply-findings", OptionList).option_count == len(helper.findings)
        # One key puts the plain words in place of the highlighted finding.
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert helper.text == "Flush the DNS cache."
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert "clear the list your computer uses to find websites" in helper.text.lower()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert helper.text == ""
    with sqlite3.connect(db_path) as connection:
        kinds = connection.execute(
            "SELECT kind, body FROM message WHERE ticket_id = ? ORDER BY id", (ticket,)
        ).fetchall()
        drafts = connection.execute("SELECT count(*) FROM draft").fetchone()[0]
    assert kinds[-1][0] == "public_reply" and "find websites" in kinds[-1][1].lower()
    assert drafts == 0


async def test_ctrl_n_saves_an_internal_note(desk, db_path) -> None:
    ticket = desk.create("Monitor flickers", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n", *"Cable swap next visit", "ctrl+n")
        await settle(pilot)
        assert "Cable swap next visit" in detail_text(app)
    with sqlite3.connect(db_path) as connection:
        kind = connection.execute(
            "SELECT kind FROM message WHERE ticket_id = ? ORDER BY id DESC", (ticket,)
        ).fetchone()
    assert kind == ("internal_note",)


async def test_a_draft_survives_a_dropped_connection(desk, config, clock) -> None:
    ticket = desk.create("Teams audio is choppy", person())
    first = PlainDeskApp(desk)
    async with first.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("r", *"Hi Jo, I have looked at your headset")
        first.screen._flush_draft()  # what the half-second timer does after typing stops
        await settle(pilot)
    # A new console (the agent logged in again) brings the draft back when the ticket is opened.
    second = PlainDeskApp(desk, open_ticket=ticket)
    async with second.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert second.screen.query_one(ReplyHelper).text == "Hi Jo, I have looked at your headset"


async def test_status_and_assignment_change_by_key(desk, db_path) -> None:
    ticket = desk.create("Need a new mouse", person())
    app = PlainDeskApp(desk, open_ticket=ticket)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("a")  # take it
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await choose(pilot, "pending")
        assert "Status pending" in detail_text(app)
    with sqlite3.connect(db_path) as connection:
        status, assignee = connection.execute(
            "SELECT t.status, a.name FROM ticket t JOIN agent a ON a.id = t.assignee_id WHERE t.id = ?",
            (ticket,),
        ).fetchone()
    assert (status, assignee) == ("pending", "Asha Patel")


async def test_a_conflicting_save_is_refused_and_the_draft_kept(desk, other_desk, db_path) -> None:
    ticket = desk.create("Shared drive missing", person())
    app = PlainDeskApp(desk, open_ticket=ticket)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("r", *"Hi Jo, the drive is back now.")
        other_desk.update(ticket, priority="high")  # Tom changes it before the reply is sent
        await pilot.press("ctrl+s")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        print(messages)
        assert any("changed after you opened it" in m and "Tom" in m and "priority" in m for m in messages)
        assert app.screen.query_one(ReplyHelper).text == "Hi Jo, the drive is back now."
        # The ticket reloaded, so sending again now works.
        await pilot.press("ctrl+s")
        await settle(pilot)
    with sqlite3.connect(db_path) as connection:
        bodies = [r[0] for r in connection.execute("SELECT body FROM message WHERE kind = 'public_reply'")]
    assert bodies == ["Hi Jo, the drive is back now."]


async def test_changes_by_another_agent_appear_without_a_restart(desk, other_desk) -> None:
    first = desk.create("Old ticket", person())
    app = PlainDeskApp(desk, open_ticket=first)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert len([line for line in queue_lines(app) if line.strip().startswith("#")]) == 1
        second = other_desk.create("Brand new from Tom", person("Kim <kim@example.org>"), priority="urgent")
        other_desk.update(first, priority="high")
        app.screen._refreshed_at = 0.0  # as if the last refresh was long ago (the timer may have run)
        app.screen._every_second()  # the once-a-second look at PRAGMA data_version
        await settle(pilot)
        lines = queue_lines(app)
        assert any(f"#{second}" in line and "Brand new from Tom" in line for line in lines)
        assert "Priority high" in detail_text(app)


async def test_the_ticket_shows_who_else_has_it_open(desk, other_desk, config, clock) -> None:
    from tui.session import AgentSession

    ticket = desk.create("Printer offline", person())
    AgentSession(other_desk.store, config, other_desk.actor.agent_id, clock).viewing(ticket)
    app = PlainDeskApp(desk, open_ticket=ticket)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert "Also open by Tom Okafor right now." in detail_text(app) or "Also open by" in detail_text(app)
        assert other_desk.actor.name in detail_text(app)


async def test_the_view_bar_breaks_its_lines_between_views_on_a_small_terminal(desk) -> None:
    for n in range(12):
        desk.create(f"Ticket {n}", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        narrow = view_bar_lines(app)
        assert len(narrow) >= 2  # seven views do not fit on one line of 80
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        wide = view_bar_lines(app)
        assert len(wide) < len(narrow)  # broken again for the new width
        for lines in (narrow, wide):  # each line starts with a view's number and holds whole views
            assert all(re.match(r"\d [A-Z]", line) for line in lines), lines
            assert [int(n) for n in re.findall(r"(?:^|  )(\d) [A-Z]", "  ".join(lines))] == list(range(1, 8))


def view_bar_lines(app: PlainDeskApp) -> list[str]:
    return [line.strip() for line in painted(app, "#view-bar").splitlines() if line.strip()]


async def test_number_keys_switch_views_with_counts(desk) -> None:
    desk.create("Unassigned one", person())
    mine = desk.create("Mine", person())
    desk.assign(mine, desk.actor.login)
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        bar = str(app.screen.query_one("#view-bar", Static).render())
        assert "My tickets 1" in bar and "Unassigned 1" in bar and "All open 2" in bar
        assert len([line for line in queue_lines(app) if line.strip().startswith("#")]) == 2
        await pilot.press("1")
        await settle(pilot)
        rows = [line for line in queue_lines(app) if line.strip().startswith("#")]
        assert len(rows) == 1 and "Mine" in rows[0]
        await pilot.press("2")
        await settle(pilot)
        rows = [line for line in queue_lines(app) if line.strip().startswith("#")]
        assert len(rows) == 1 and "Unassigned one" in rows[0]


async def test_slash_searches_the_queue(desk) -> None:
    desk.create("Printer on floor 2", person(), "Paper jam again")
    desk.create("VPN drops", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"paper", "enter")
        await settle(pilot)
        rows = [line for line in queue_lines(app) if line.strip().startswith("#")]
        assert len(rows) == 1 and "Printer on floor 2" in rows[0]
        await pilot.press("x")
        await settle(pilot)
        assert len([line for line in queue_lines(app) if line.strip().startswith("#")]) == 2


async def test_a_small_terminal_shows_one_pane_at_a_time(desk) -> None:
    ticket = desk.create("Keyboard sticky", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = lambda: [p.id for p in app.screen.query(".pane") if p.display]  # noqa: E731
        assert shown() == ["queue-pane"]
        await pilot.press("enter")
        await settle(pilot)
        assert shown() == ["detail-pane"] and f"#{ticket}" in detail_text(app)
        await pilot.press("f4")
        assert shown() == ["sla-pane"]
        await pilot.press("f5")
        assert shown() == ["reply-pane"]
        await pilot.press("escape")
        assert shown() == ["queue-pane"]


async def test_sla_pane_counts_down_and_opens_a_ticket(desk, clock) -> None:
    urgent = desk.create("Server room too hot", person(), priority="urgent")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        sla = app.screen.query_one(SlaCountdowns)
        assert sla.countdowns[0].ticket_id == urgent
        before = sla.lines[0].text
        clock.advance(minutes=5)
        app.screen._every_second()
        await pilot.pause()
        after = sla.lines[0].text
        assert before != after and "10m" in after
        assert "10m" in painted(app, "#sla")  # painted, not only worked out
        clock.advance(minutes=20)  # past the 15-minute first response
        app.screen._every_second()
        await pilot.pause()
        assert "late" in sla.lines[0].text and sla.lines[0].state == "breached"
        assert "late" in painted(app, "#sla")
        await pilot.press("f4", "enter")
        await settle(pilot)
        assert f"#{urgent} Server room too hot" in detail_text(app)


async def test_the_command_palette_offers_the_screen_keys(desk) -> None:
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Reply", "Note", "Search", "Filter", "Status"} <= titles


async def test_the_console_escalates_breaches_when_it_starts(desk, clock, db_path) -> None:
    ticket_id = desk.create(
        "Card reader broken at the front door", person("jo@example.org"), priority="urgent"
    )
    clock.advance(minutes=30)  # past the 15-minute first response
    app = PlainDeskApp(desk)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        notes = [n.message for n in app._notifications]
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute("SELECT ticket_id, clock, recorded_by FROM breach").fetchall()
    assert rows == [(ticket_id, "first_response", "console (Asha Patel)")]
    assert any("escalated" in note for note in notes)


async def test_f_filters_the_queue_by_a_field(desk) -> None:
    desk.create("Printer jam", person(), priority="high")
    desk.create("VPN drops", person(), priority="low")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await choose(pilot, "priority")
        await choose(pilot, "low")
        rows = [line for line in queue_lines(app) if line.strip().startswith("#")]
        assert len(rows) == 1 and "VPN drops" in rows[0]
        assert "Filter: priority: low" in str(app.screen.query_one("#queue-status", Static).render())


async def test_markup_and_escapes_in_a_thread_are_shown_as_typed(desk) -> None:
    ticket = desk.create(
        "[red]Help[/red]",
        person("[b]Bold[/b] Name <bold@example.org>"),
        "Error: [/] and [@click=app.quit]x[/]",
    )
    desk.note(ticket, "Note with \x1b[2J clear-screen and \x9b31m C1 [link=file:///etc/passwd]here[/link]")
    app = PlainDeskApp(desk, open_ticket=ticket)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        text = detail_text(app)
        assert "[red]Help[/red]" in text and "[b]Bold[/b] Name" in text
        assert "Error: [/] and [@click=app.quit]x[/]" in text
        assert "[link=file:///etc/passwd]here[/link]" in text
        assert "\x1b" not in text and "\x9b" not in text
        assert app.is_running  # nothing typed by a person could act on the console


async def test_themes_cycle_dark_light_high_contrast(desk) -> None:
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        queue = app.screen.query_one("#queue")
        seen, backgrounds = [app.theme], [list(queue.render_line(1))[0].style.bgcolor]
        for _ in range(3):
            await pilot.press("T")
            await pilot.pause()
            seen.append(app.theme)
            backgrounds.append(list(queue.render_line(1))[0].style.bgcolor)
        assert seen == ["textual-dark", "textual-light", "plaindesk-high-contrast", "textual-dark"]
        # The queue draws its rows in each theme's colours (it keeps its styles until they change).
        assert len(set(backgrounds[:3])) == 3 and backgrounds[3] == backgrounds[0]


async def test_an_agent_announces_an_outage_for_the_kiosk(desk, store, config, clock) -> None:
    from tui.kiosk_desk import KioskDesk

    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("exclamation_mark", *"Email is slow", "enter")
        await settle(pilot)
        await pilot.press("enter")  # the first kind: a service problem
        await settle(pilot)
        await pilot.press("backspace", "2", "enter")
        await settle(pilot)
    shown = KioskDesk(store, config, "t", now=clock).announcements()
    assert [(a.kind, a.title) for a in shown] == [("outage", "Email is slow")]
    assert shown[0].ends_at - shown[0].starts_at == timedelta(hours=2)


async def test_r_shows_the_reports_with_charts_from_the_shared_report(desk, clock) -> None:
    from textual.widgets import Sparkline

    from tui.reports import build_report

    for hours in (1, 2, 30):
        desk.create(f"Ticket after {hours} h", person())
        clock.advance(hours=hours)
    app = PlainDeskApp(desk)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        expected = build_report(desk.store, desk.config, "2026-03", now=desk.now())
        volume = app.screen.query_one("#volume-chart", Sparkline)
        assert list(volume.data) == [d.total for d in expected.volume.days]
        figures = str(app.screen.query_one("#reports-figures", Static).render())
        assert "first response" in figures.lower()
        await pilot.press("left")
        await settle(pilot)
        assert "2026-02" in str(app.screen.query_one("#reports-title", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query("#queue")


async def test_a_long_thread_shows_its_first_and_latest_messages_and_v_shows_it_whole(desk) -> None:
    ticket = desk.create("Printer keeps holding jobs", person(), "The first message: it started on Monday.")
    for n in range(2, 31):
        desk.reply(ticket, f"Update number {n} on the printer.")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = detail_text(app)
        assert "The first message: it started on Monday." in text
        assert "Update number 30 on the printer." in text and "Update number 19 on" in text
        assert "Update number 18 on" not in text
        assert "17 earlier messages not shown · v shows the whole conversation" in text
        assert "earlier changes not shown · v shows every change" in text
        await pilot.press("v")
        await settle(pilot)
        text = detail_text(app)
        assert all(f"Update number {n} on" in text for n in range(2, 31))
        assert "not shown" not in text
        await pilot.press("v")
        assert "17 earlier messages not shown" in detail_text(app)


async def test_the_key_bar_follows_focus_and_a_click_presses_the_key(desk) -> None:
    desk.create("Mouse not working", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("KeyBar")
        shown = str(bar.render())
        assert "Search" in shown and "Reply" in shown and "Open" in shown
        start = shown.index(" / Search")
        await pilot.click("KeyBar", offset=(start + 1, 0))
        await settle(pilot)
        assert app.screen.query("TextDialog")


async def test_widening_the_terminal_shows_every_pane_again(desk) -> None:
    desk.create("Screen flickers", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = lambda: [p.id for p in app.screen.query(".pane") if p.display]  # noqa: E731
        await pilot.press("f4")
        assert shown() == ["sla-pane"]
        await pilot.resize_terminal(160, 50)
        await settle(pilot)
        assert shown() == ["queue-pane", "detail-pane", "sla-pane", "reply-pane"]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert shown() == ["sla-pane"]


async def test_the_sla_pane_counts_the_tickets_already_late(desk, clock) -> None:
    desk.create("Late one", person(), priority="urgent")
    clock.advance(minutes=30)
    soon = desk.create("Soon one", person(), priority="urgent")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert [c.ticket_id for c in app.screen.query_one(SlaCountdowns).countdowns] == [soon]
        title = app.screen.query_one("#sla-pane .pane-title", Static)
        assert "1 already late (4 lists them)" in str(title.render())


async def test_background_work_uses_a_few_threads_each_with_its_own_connection(desk) -> None:
    import threading

    from tui.app import WORKER_THREADS

    desk.create("Printer jams", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        for key in ("2", "3", "7", "3", "enter"):
            await pilot.press(key)
            await settle(pilot)
        workers = [t for t in threading.enumerate() if t.name.startswith("plaindesk-worker")]
        # Each thread keeps a SQLite connection and its page cache: the memory of a console is capped.
        assert 1 <= len(workers) <= WORKER_THREADS


async def test_the_open_thread_is_laid_out_again_only_when_it_changed(desk, other_desk) -> None:
    ticket_id = desk.create("Scanner offline", person())
    app = PlainDeskApp(desk, open_ticket=ticket_id)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        thread = app.screen.query_one("#detail-thread", Static)
        updates = []
        real_update = thread.update
        thread.update = lambda content="", **kw: updates.append(content) or real_update(content, **kw)
        app.screen.refresh_from_store(False)  # a write that changed no ticket (a draft, a presence mark)
        await settle(pilot)
        assert updates == []
        other_desk.note(ticket_id, "Rebooted the scanner from the admin page.")
        app.screen.refresh_from_store(True)
        await settle(pilot)
        assert len(updates) == 1 and "Rebooted the scanner from the admin page." in detail_text(app)


async def test_f4_highlights_a_countdown_and_arrows_move_it(desk, clock) -> None:
    first = desk.create("Server room too hot", person(), priority="urgent")
    second = desk.create("Projector broken", person(), priority="high")
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        sla = app.screen.query_one(SlaCountdowns)

        def background(y: int):
            return list(sla.render_line(y))[0].style.bgcolor

        unfocused = background(0)
        await pilot.press("f4")
        await settle(pilot)
        assert sla.has_focus and sla.ticket_id == first and background(0) != unfocused
        await pilot.press("down")
        assert sla.ticket_id == second and background(1) != background(0)


async def test_the_console_keeps_the_collector_off_what_lives_as_long_as_it(desk) -> None:
    import gc

    desk.create("Printer jam", person())
    app = PlainDeskApp(desk)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 10_000  # Textual, the console and its panes
    assert gc.get_freeze_count() == 0  # handed back when the console closes
