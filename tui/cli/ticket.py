"""`plaindesk ticket ...`: create, show, list, reply, note, set, merge and reopen tickets."""

from __future__ import annotations

import json
import sys

import click

from tui.cli.context import Session, common_options, parse_ref
from tui.cli.output import clock_json, print_page, print_ticket
from tui.identity import current_login
from tui.store import View, list_page
from tui.workflow import RequesterInput, WorkflowError

NONE_WORDS = ("none", "nobody", "-")


def read_body(body: str | None, words: tuple[str, ...], required: bool) -> str:
    """The message from --body, the words after the ticket number, or stdin when '-' is given."""
    if body is None and words:
        body = " ".join(words)
    if body == "-":
        body = sys.stdin.read()
    if required and not (body or "").strip():
        raise WorkflowError(
            "The message is empty; give it with --body TEXT, as words after the ticket "
            "number, or with --body - to read it from standard input."
        )
    return body or ""


@click.group("ticket")
def ticket() -> None:
    """Create, read and change tickets."""


@ticket.command("new")
@click.option("--subject", required=True, help="A few words saying what is wrong.")
@click.option("--requester", required=True, help='Who asked: "Name <email>".')
@click.option("--body", help="The requester's message; - reads it from standard input.")
@click.option("--priority", help="Priority id from config (default: the configured default).")
@click.option("--category", help="Category id from config.")
@click.option("--group", help="Group (queue) id from config.")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for more.")
@click.option("--department", help="The requester's department.")
@common_options
def new(
    session: Session,
    subject: str,
    requester: str,
    body: str | None,
    priority: str | None,
    category: str | None,
    group: str | None,
    tags: tuple[str, ...],
    department: str | None,
) -> None:
    """Open a ticket and print its reference (e.g. #1042)."""
    person = RequesterInput.parse(requester, department=department)
    ticket_id = session.desk().create(
        subject,
        person,
        read_body(body, (), required=False),
        priority=priority,
        category=category,
        group=group,
        channel="cli",
        tags=tags,
    )
    click.echo(f"#{ticket_id}")


@ticket.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@common_options
def show(session: Session, ref: str, as_json: bool) -> None:
    """Show a ticket with its thread, notes and history."""
    desk = session.desk(create=False)
    ticket_id = parse_ref(ref)
    record = desk.ticket(ticket_id)
    clocks = desk.clocks(ticket_id)
    policy = desk.config.sla.get(record.priority)
    calendars = {name: t.calendar for name, t in policy.targets.items()} if policy else {}
    if as_json:
        data = record.to_json()
        data["clocks"] = {name: clock_json(clock, calendars.get(name)) for name, clock in clocks.items()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        from tui.cli.sla import viewer_zone

        print_ticket(record, clocks, desk.now(), viewer_zone(session))


@ticket.command("list")
@click.option("--status", help="Only this status.")
@click.option("--assignee", help="Only tickets assigned to this login ('none' for unassigned).")
@click.option("--mine", is_flag=True, help="Only tickets assigned to you.")
@click.option("--group", help="Only this group (queue).")
@click.option("--priority", help="Only this priority.")
@click.option("--category", help="Only this category.")
@click.option("--tag", help="Only tickets with this tag.")
@click.option("--requester", "requester_email", help="Only tickets from this e-mail address.")
@click.option("--search", help="Words to find in subjects and messages.")
@click.option(
    "--state",
    type=click.Choice(["active", "done", "all"]),
    default="active",
    show_default=True,
    help="active: not solved/closed; done: solved, closed or merged; all: both.",
)
@click.option(
    "--sort",
    type=click.Choice(["due", "newest", "oldest", "updated", "priority"]),
    default="due",
    show_default=True,
    help="due: the ticket whose SLA breaches next first; priority: most urgent first, then by due.",
)
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option("--after", help="Cursor printed at the end of the previous page.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@common_options
def list_(
    session: Session,
    status,
    assignee,
    mine,
    group,
    priority,
    category,
    tag,
    requester_email,
    search,
    state,
    sort,
    limit,
    after,
    as_json,
) -> None:
    """List tickets, a page at a time."""
    desk = session.desk(create=False)
    if mine:
        assignee = current_login()
    elif assignee and assignee.lower() in NONE_WORDS:
        assignee = ""
    view = View(
        active={"active": True, "done": False, "all": None}[state],
        status=status,
        assignee=assignee,
        group=group,
        priority=priority,
        category=category,
        tag=tag,
        requester_email=requester_email,
        search=search,
        sort=sort,
    )
    try:
        with desk.store.read():
            page = list_page(view, after=after, limit=limit)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--after") from None
    if as_json:
        from tui.store.records import row_to_json

        click.echo(
            json.dumps(
                {"tickets": [row_to_json(r) for r in page.rows], "next": page.after},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print_page(page)


@ticket.command("reply")
@click.argument("ref")
@click.argument("words", nargs=-1)
@click.option("--body", help="The reply; - reads it from standard input.")
@click.option("--status", help="Also move the ticket to this status (e.g. pending).")
@click.option("--if-version", "version", type=int, help="Refuse if the ticket changed since this version.")
@common_options
def reply(session: Session, ref: str, words, body, status, version) -> None:
    """Send a public reply to the requester."""
    new_version = session.desk().reply(
        parse_ref(ref), read_body(body, words, True), status=status, version=version
    )
    click.echo(f"Replied on #{parse_ref(ref)} (version {new_version}).")


@ticket.command("note")
@click.argument("ref")
@click.argument("words", nargs=-1)
@click.option("--body", help="The note; - reads it from standard input.")
@click.option("--if-version", "version", type=int, help="Refuse if the ticket changed since this version.")
@common_options
def note(session: Session, ref: str, words, body, version) -> None:
    """Add an internal note (agents only see it)."""
    new_version = session.desk().note(parse_ref(ref), read_body(body, words, True), version=version)
    click.echo(f"Noted on #{parse_ref(ref)} (version {new_version}).")


@ticket.command("set")
@click.argument("ref")
@click.option("--status")
@click.option("--priority")
@click.option("--category")
@click.option("--assign", "assignee", help="Agent login, or 'none' to unassign.")
@click.option("--group", help="Group id, or 'none'.")
@click.option("--add-tag", "add_tags", multiple=True)
@click.option("--remove-tag", "remove_tags", multiple=True)
@click.option("--if-version", "version", type=int, help="Refuse if the ticket changed since this version.")
@common_options
def set_(
    session: Session, ref, status, priority, category, assignee, group, add_tags, remove_tags, version
) -> None:
    """Change status, priority, category, assignee, group or tags in one step."""
    if assignee and assignee.lower() in NONE_WORDS:
        assignee = ""
    if group and group.lower() in NONE_WORDS:
        group = ""
    ticket_id = parse_ref(ref)
    new_version = session.desk().update(
        ticket_id,
        version=version,
        status=status,
        priority=priority,
        category=category,
        assignee=assignee,
        group=group,
        add_tags=add_tags,
        remove_tags=remove_tags,
    )
    click.echo(f"Updated #{ticket_id} (version {new_version}).")


@ticket.command("merge")
@click.argument("duplicate")
@click.argument("into")
@common_options
def merge(session: Session, duplicate: str, into: str) -> None:
    """Merge the DUPLICATE ticket into INTO; the duplicate is closed."""
    source, target = parse_ref(duplicate), parse_ref(into)
    session.desk().merge(source, target)
    click.echo(f"Merged #{source} into #{target}.")


@ticket.command("reopen")
@click.argument("ref")
@common_options
def reopen(session: Session, ref: str) -> None:
    """Reopen a solved ticket."""
    ticket_id = parse_ref(ref)
    version = session.desk().reopen(ticket_id)
    click.echo(f"Reopened #{ticket_id} (version {version}).")
