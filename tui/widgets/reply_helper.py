"""ReplyHelper: the reply editor with the plain-language checker running as the agent types.

Findings are listed beside the text and underlined in it; one key applies the highlighted finding's
plain wording, another dismisses it. The reading grade and the checklist of a good reply sit below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import TextAreaTheme

from tui.canned import fill
from tui.plain.findings import Finding, apply_suggestion
from tui.plain.replies import checklist
from tui.widgets.user_text import plain_line

if TYPE_CHECKING:
    from tui.plain.checker import Checker

CHECK_DELAY = 0.12
"""Seconds of quiet typing before the checker runs (it takes about 5 ms; this spares fast typists)."""
FINDING = "plain.finding"


def _editor_theme() -> TextAreaTheme:
    base = TextAreaTheme.get_builtin_theme("css")
    styles = dict(base.syntax_styles) if base else {}
    styles[FINDING] = Style(underline=True, bold=True)
    return TextAreaTheme(name="plaindesk", syntax_styles=styles)


class DraftEditor(TextArea):
    """A TextArea that underlines the spans the checker found."""

    findings: list[Finding] = []
    """Set before TextArea's own __init__ builds its first highlight map."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.findings = []
        self.register_theme(_editor_theme())
        self.theme = "plaindesk"

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        length = len(self.text)
        for finding in self.findings:
            if finding.scope != "span" or finding.end > length:
                continue  # findings of the text before this edit; fresh ones follow shortly
            start = self.document.get_location_from_index(finding.start)  # (row, column) in characters
            end = self.document.get_location_from_index(finding.end)
            for row in range(start[0], end[0] + 1):
                line = self.document.get_line(row)
                first = start[1] if row == start[0] else 0
                last = end[1] if row == end[0] else len(line)
                self._highlights[row].append((len(line[:first].encode()), len(line[:last].encode()), FINDING))

    def show_findings(self, findings: list[Finding]) -> None:
        self.findings = findings
        self._build_highlight_map()
        self.refresh()


class ReplyHelper(Vertical):
    """Write a reply or a note, with the checker's findings beside it."""

    BINDINGS = [
        Binding("ctrl+s", "send('reply')", "Send reply", tooltip="Send as a public reply", id="reply.send"),
        Binding("ctrl+n", "send('note')", "Save note", tooltip="Save as an internal note", id="reply.note"),
        Binding(
            "ctrl+g", "apply", "Use plain words", tooltip="Replace the highlighted finding", id="reply.apply"
        ),
        Binding("ctrl+r", "dismiss", "Dismiss", tooltip="Ignore the highlighted finding", id="reply.dismiss"),
        Binding("ctrl+t", "canned", "Canned", tooltip="Insert a canned reply", id="reply.canned"),
        Binding(
            "ctrl+u",
            "promise",
            "Add update time",
            tooltip="Say when the next update comes",
            id="reply.promise",
        ),
        Binding("ctrl+l", "next_finding", "Next finding", show=False, id="reply.next_finding"),
    ]

    kind: reactive[str] = reactive("reply")
    """reply or note: what Ctrl+S would send."""

    @dataclass
    class Sent(Message):
        """The agent asked to send the text as a reply or save it as a note."""

        helper: ReplyHelper
        kind: str
        body: str
        open_findings: int
        """How many findings the agent left in the text (reports count replies sent plain)."""

    @dataclass
    class Changed(Message):
        """The text changed (the screen saves it as a draft)."""

        helper: ReplyHelper
        kind: str
        body: str

    @dataclass
    class CannedWanted(Message):
        helper: ReplyHelper

    def __init__(self, checker: Checker | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.checker = checker
        self.fill_ins: dict[str, str] = {}
        """Values for {name}, {agent}, {reference} and {next_update} in suggested wording."""
        self.next_update_words: str | None = None
        """The next update time in plain words ("by 3:30 pm today"), from the ticket's clock."""
        self.findings: list[Finding] = []
        self._dismissed: set[tuple[str, str]] = set()
        self._timer = None
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Static("Open a ticket to write a reply or a note.", id="reply-title", markup=False)
        with Horizontal(id="reply-body"):
            yield DraftEditor(id="reply-text")
            yield OptionList(id="reply-findings", markup=False)
        yield Static("", id="reply-checklist", markup=False)

    @property
    def editor(self) -> DraftEditor:
        return self.query_one(DraftEditor)

    @property
    def ready(self) -> bool:
        """False until a ticket is open: until then nothing inside takes the focus."""
        return self.editor.can_focus

    @ready.setter
    def ready(self, ready: bool) -> None:
        # Rather than `disabled`, for which Textual restyles every widget inside (~7 ms, as the first
        # ticket of the day opens).
        for widget in (self.editor, self.query_one("#reply-findings")):
            widget.can_focus = ready

    @property
    def text(self) -> str:
        return self.editor.text

    def load(self, text: str, kind: str = "reply") -> None:
        """Start from a saved draft (or empty) without announcing a change."""
        self._loading = True
        self.kind = kind
        self.watch_kind(kind)  # the title also replaces the "open a ticket" hint
        self._dismissed.clear()
        self.editor.load_text(text)
        self._check()

    def insert(self, text: str) -> None:
        """Put text at the cursor (a canned reply, the update promise)."""
        self.editor.insert(text)
        self.editor.focus()

    def watch_kind(self, kind: str) -> None:
        title = "Public reply" if kind == "reply" else "Internal note (agents only)"
        self.query_one("#reply-title", Static).update(title)
        self.set_class(kind == "note", "-note")

    @on(TextArea.Changed, "#reply-text")
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.editor.findings = []  # their offsets belong to the old text
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(CHECK_DELAY, self._check)
        if self._loading:
            self._loading = False
            return
        self.post_message(self.Changed(self, self.kind, self.text))

    def _check(self) -> None:
        if self.checker is None:
            return  # the rules are still loading; they check the text as soon as they arrive
        text = self.text
        kind = "reply" if self.kind == "reply" else "text"
        found = self.checker.check(text, kind, self.next_update_words) if text.strip() else []
        self.findings = [f for f in found if (f.rule, f.text.lower()) not in self._dismissed]
        self.editor.show_findings(self.findings)
        options = self.query_one("#reply-findings", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for finding in self.findings:
            label = Text()
            label.append(plain_line(finding.text) or finding.category, style="bold")
            label.append(f" ({finding.category})\n")
            wording = _wording(finding)
            if wording is not None:
                label.append("→ " + (plain_line(wording) or "delete it") + "\n", style="italic")
            label.append(plain_line(finding.message), style="dim")
            options.add_option(Option(label))
        if self.findings:
            options.highlighted = min(highlighted or 0, len(self.findings) - 1)
        self._show_checklist(text)

    def _show_checklist(self, text: str) -> None:
        grade = self.checker.grade(text) if text.strip() else None
        line = Text()
        if grade is not None:
            target = self.checker.grade_target
            line.append(
                f"Reading grade {grade:.0f} (aim for {target:g} or lower)",
                style="bold" if grade > target else "",
            )
        if self.kind == "reply":
            for item, done in checklist(text).items():
                line.append(f"  {'✓' if done else '✗'} {item}", style="" if done else "bold")
            if self.next_update_words:
                line.append(f"\nPromise the next update {self.next_update_words} (Ctrl+U adds it).")
        line.append(f"\n{len(self.findings)} finding{'s' if len(self.findings) != 1 else ''}")
        self.query_one("#reply-checklist", Static).update(line)

    def _current(self) -> Finding | None:
        options = self.query_one("#reply-findings", OptionList)
        index = options.highlighted
        if index is None or not 0 <= index < len(self.findings):
            return self.findings[0] if self.findings else None
        return self.findings[index]

    def action_apply(self) -> None:
        finding = self._current()
        if finding is None:
            self.notify("Nothing to change: the checker found nothing here.", markup=False)
            return
        wording = _wording(finding)
        if wording is None:
            self.notify(finding.message, title="No ready wording", markup=False)
            return
        wording = fill(wording, **self.fill_ins)
        text = self.text
        if finding.scope == "reply":
            new = _add_to_reply(text, wording)
        else:
            new = apply_suggestion(text, finding, wording)
        self.editor.load_text(new)  # posts Changed, so the draft is saved
        self._check()  # the next finding is ready for the next key press
        self.editor.focus()

    def action_dismiss(self) -> None:
        finding = self._current()
        if finding is not None:
            self._dismissed.add((finding.rule, finding.text.lower()))
            self._check()

    def action_next_finding(self) -> None:
        options = self.query_one("#reply-findings", OptionList)
        if self.findings:
            options.highlighted = ((options.highlighted or 0) + 1) % len(self.findings)

    def action_canned(self) -> None:
        self.post_message(self.CannedWanted(self))

    def action_promise(self) -> None:
        if self.next_update_words:
            self.insert(f"I'll update you {self.next_update_words}.")
        else:
            self.notify("This ticket has no update time running; say when you'll be in touch.", markup=False)

    def action_send(self, kind: str) -> None:
        text = self.text
        if not text.strip():
            self.notify("Write something first.", markup=False)
            return
        spans = sum(1 for f in self.findings if f.scope == "span")
        self.post_message(self.Sent(self, kind, text, spans))

    @on(OptionList.OptionHighlighted, "#reply-findings")
    def _select_span(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        index = event.option_index
        if 0 <= index < len(self.findings) and self.findings[index].scope == "span":
            finding = self.findings[index]
            start = self.editor.document.get_location_from_index(finding.start)
            self.editor.scroll_cursor_visible() if start == self.editor.cursor_location else None
            self.editor.scroll_to(y=start[0], animate=False)

    @on(OptionList.OptionSelected, "#reply-findings")
    def _apply_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_apply()


def _wording(finding: Finding) -> str | None:
    """What one key puts in place of the finding: its first plain wording, "" to delete a word that
    only hurts (a tone or blame rule with no wording), or None when the agent must rewrite it."""
    if finding.suggestions:
        return finding.suggestions[0]
    return "" if finding.category in ("tone", "blame") and finding.scope == "span" else None


def _add_to_reply(text: str, addition: str) -> str:
    """A whole-reply suggestion: a greeting goes first, anything else at the end."""
    if addition.startswith(("Hi ", "Hello ")):
        return addition + text.lstrip()
    return text.rstrip() + ("\n\n" if text.strip() else "") + addition
