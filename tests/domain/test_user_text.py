"""User text on screen: as typed, minus what would drive the terminal or push a row out of line."""

from __future__ import annotations

from rich.cells import cell_len

from tui.widgets.user_text import fit, plain_line, safe_text


def test_markup_is_kept_as_text_and_escapes_are_gone() -> None:
    assert plain_line("VPN [@click=app.quit]down[/] \x1b[31mred") == "VPN [@click=app.quit]down[/] red"
    assert safe_text("line one\nline \u202etwo") == "line one\nline two"


def test_an_emoji_keeps_its_place_in_a_row() -> None:
    # With its variation selector a printer emoji is drawn two cells wide by many terminals but
    # counted as one; without it both agree, so a fitted subject is exactly as wide as its column.
    subject = plain_line("Paper jam AGAIN \U0001f5a8\ufe0f")
    assert "\ufe0f" not in subject and subject.endswith("\U0001f5a8")
    assert cell_len(fit(subject, 30)) == 30
