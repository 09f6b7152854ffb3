"""Public holidays from the `holidays` package, remembered on disk between runs.

Importing `holidays` and working out one country's year costs about 0.2 s, which every console and
command would pay at launch. The answers only change when the package does, so they are kept in a
small JSON file in the user's cache folder, keyed by where the installed package lives and when it
was installed. A missing, unreadable or stale file is simply worked out again.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from datetime import date
from importlib.util import find_spec
from pathlib import Path

_cache: dict | None = None


class UnknownRegion(ValueError):
    """The holidays package knows no such country, or no such subdivision of it."""

    def __init__(self, part: str, supported: dict[str, list[str]]) -> None:
        super().__init__(f"unknown {part}")
        self.part = part
        """"country" or "subdivision": which one the package does not know."""
        self.supported = supported


def cache_file() -> Path:
    """Where the remembered holidays live ($PLAINDESK_CACHE overrides the user's cache folder)."""
    folder = os.environ.get("PLAINDESK_CACHE")
    if not folder:
        from platformdirs import user_cache_dir

        folder = user_cache_dir("plaindesk")
    return Path(folder) / "holidays.json"


def _package_key() -> str:
    """Changes whenever the holidays package is installed again (a new version brings new rules)."""
    spec = find_spec("holidays")
    origin = spec.origin if spec and spec.origin else ""
    with contextlib.suppress(OSError):
        return f"{origin}:{os.stat(origin).st_mtime_ns}"
    return origin


def _load() -> dict:
    global _cache
    if _cache is None:
        key, found = _package_key(), {}
        with contextlib.suppress(OSError, ValueError):
            found = json.loads(cache_file().read_text(encoding="utf-8"))
        if not isinstance(found, dict) or found.get("package") != key:
            found = {"package": key}
        found.setdefault("years", {})
        found.setdefault("regions", [])
        _cache = found
    return _cache


def _save() -> None:
    """Write the cache atomically; a folder we may not write to only costs the next launch time."""
    path = cache_file()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".holidays-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(_cache, file)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def check_region(country: str, subdivision: str | None) -> None:
    """Raise UnknownRegion unless the holidays package knows this country (and subdivision)."""
    cache = _load()
    region = f"{country}/{subdivision or ''}"
    if region in cache["regions"]:
        return
    import holidays

    for part, subdiv in (("country", None), ("subdivision", subdivision)):
        try:
            # The package says "unknown" with NotImplementedError, for countries and subdivisions.
            holidays.country_holidays(country, subdiv=subdiv)
        except NotImplementedError:
            raise UnknownRegion(part, holidays.list_supported_countries()) from None
        if subdivision is None:
            break
    cache["regions"].append(region)
    _save()


def dates(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """The public holidays of one year in a country (and subdivision), as local dates."""
    cache = _load()
    key = f"{country}/{subdivision or ''}/{year}"
    if (known := cache["years"].get(key)) is None:
        import holidays

        found = holidays.country_holidays(country, subdiv=subdivision, years=year)
        known = cache["years"][key] = sorted(day.isoformat() for day in found)
        _save()
    return frozenset(date.fromisoformat(day) for day in known)


def forget() -> None:
    """Drop what this process has read (tests point PLAINDESK_CACHE elsewhere and start again)."""
    global _cache
    _cache = None
