"""Public holidays remembered between runs: the same dates as the holidays package, without it."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import holidays
import pytest

from tui.sla import Calendar, CalendarError, public_holidays


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("PLAINDESK_CACHE", str(tmp_path))
    monkeypatch.setattr(public_holidays, "_cache", None)
    return tmp_path / "holidays.json"


def test_dates_are_the_packages_and_are_remembered_on_disk(cache: Path) -> None:
    found = public_holidays.dates("GB", "ENG", 2026)
    assert found == frozenset(holidays.country_holidays("GB", subdiv="ENG", years=2026))
    assert date(2026, 12, 25) in found and date(2026, 1, 2) not in found  # 2 Jan is Scotland's
    assert "GB/ENG/2026" in json.loads(cache.read_text())["years"]


def test_a_later_run_reads_the_file_and_never_asks_the_package(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public_holidays.check_region("US", None)
    first = public_holidays.dates("US", None, 2027)
    public_holidays.forget()  # as a new process would start

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the holidays package was asked again")

    monkeypatch.setattr(holidays, "country_holidays", refuse)
    public_holidays.check_region("US", None)
    assert public_holidays.dates("US", None, 2027) == first


def test_a_reinstalled_package_or_a_damaged_file_means_working_it_out_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.write_text("{not json", encoding="utf-8")
    assert date(2026, 7, 3) in public_holidays.dates("US", None, 2026)  # the 4th is a Saturday
    stored = json.loads(cache.read_text())
    stored["package"] = "an older install"
    stored["years"]["US//2026"] = []  # what it said would be wrong now
    cache.write_text(json.dumps(stored), encoding="utf-8")
    public_holidays.forget()
    assert date(2026, 7, 3) in public_holidays.dates("US", None, 2026)


def test_a_cache_folder_that_cannot_be_written_costs_only_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("PLAINDESK_CACHE", str(blocked / "cache"))
    monkeypatch.setattr(public_holidays, "_cache", None)
    assert date(2026, 12, 25) in public_holidays.dates("GB", "ENG", 2026)


def test_unknown_countries_and_subdivisions_are_still_refused(cache: Path) -> None:
    base = {"timezone": "Europe/London", "hours": {"mon": ["09:00-17:00"]}}
    with pytest.raises(CalendarError, match="'XX' is not a country"):
        Calendar.from_config({**base, "holidays": {"country": "XX"}})
    with pytest.raises(CalendarError, match="'ZZZ' is not a subdivision of GB; write one of: .*ENG"):
        Calendar.from_config({**base, "holidays": {"country": "GB", "subdivision": "ZZZ"}})
    Calendar.from_config({**base, "holidays": {"country": "GB", "subdivision": "ENG"}})
    assert "GB/ENG" in json.loads(cache.read_text())["regions"]


def test_a_cached_console_never_imports_the_package(cache: Path) -> None:
    import subprocess

    program = (
        "import sys\n"
        "from tui.sla import Calendar\n"
        "c = Calendar.from_config({'timezone': 'Europe/London', 'hours': {'mon': ['09:00-17:00']},"
        " 'holidays': {'country': 'GB', 'subdivision': 'ENG'}})\n"
        "import datetime\n"
        "assert c.is_holiday(datetime.date(2026, 12, 25))\n"
        "print('holidays' in sys.modules)\n"
    )
    env = {"PLAINDESK_CACHE": str(cache.parent), "PATH": ""}
    runs = [
        subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["True", "False"], runs[-1].stderr
