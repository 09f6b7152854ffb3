"""bench/RESULTS.md from the figures of one `make bench` run: the machine, each figure beside its floor
and target, then the notes in bench/NOTES.md (why a target is missed, what made things fast)."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def _fine(values: list[float]) -> str:
    return f"{statistics.median(values):,.2f} ({min(values):,.2f}–{max(values):,.2f})"


def _size(size: int | str) -> str:
    size = int(size)
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def machine(figures: dict) -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = 0
    commit = figures.get("commit") or current_commit()
    packages = ", ".join(f"{name} {version(name)}" for name in ("textual", "rich", "peewee", "pyahocorasick"))
    return [
        f"- Machine: {cpu}, {os.cpu_count()} cores, {memory:,} MB memory; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; {packages}",
        f"- PlainDesk commit {commit}; run on {figures.get('run_at') or f'{datetime.now(UTC):%Y-%m-%d %H:%M}'} UTC",
    ]


def current_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_results(figures: dict, target: Path) -> None:
    desks = figures["desks"]
    sizes = list(desks)
    names = [Path(desks[s]["path"]).stem for s in sizes]
    small, large = names[0], names[-1]
    console = figures["console"]
    launch, keys, floors, idle = console["launch"], console["keys"], console["floors"], console["idle"]
    head = (
        "| figure | "
        + " | ".join(f"{_size(s)} tickets" for s in sizes)
        + " | floor (same run) | target | met |"
    )
    rule = "|---" * (len(sizes) + 4) + "|"
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`bench/run.py`{' --quick' if figures['quick'] else ''}) in "
        f"{figures['seconds'] / 60:.1f} minutes; do not edit by hand: the notes at the end come from "
        "`bench/NOTES.md`. Times are milliseconds unless marked, as median (least–most) of every run; "
        "the demo desks are `plaindesk demo --tickets N`.",
        "",
        *machine(figures),
        "",
        "## The figures",
        "",
        head,
        rule,
    ]

    bare = launch["bare"]
    ratios = [statistics.median(launch[n]) / statistics.median(bare) for n in names]
    lines.append(
        "| launch → first queue frame with rows (pty, 160×50) | "
        + " | ".join(f"{_ms(launch[n])} = {r:.1f}×" for n, r in zip(names, ratios, strict=True))
        + f" | bare Textual app showing one line: {_ms(bare)} | ≤ 2× the floor | {_met(max(ratios) <= 2)} |"
    )
    floor_of = {
        "PageDown": "PageDown",
        "End": "End",
        "view key (7: solved)": "view key",
        "view key (3: all open)": "PageDown",
        "filter (priority urgent)": "filter",
    }
    for key in keys[small]:
        if key.startswith("search") or key.startswith("open"):
            continue
        medians = [statistics.median(keys[n][key]) for n in names]
        growth = medians[-1] / medians[0]
        raw = floors[large][floor_of.get(key, "PageDown")]
        lines.append(
            f"| key {key} → page painted | "
            + " | ".join(_ms(keys[n][key]) for n in names)
            + f" | raw sqlite3 query of the page, {_size(sizes[-1])}: {_fine(raw)} | ≤ 50 median; "
            f"{_size(sizes[-1])} ≤ 1.2× {_size(sizes[0])} (is {growth:.2f}×) | "
            f"{_met(max(medians) <= 50 and growth <= 1.2)} |"
        )
    for key in keys[small]:
        if not key.startswith("search"):
            continue
        kind = "common" if "common" in key else "rare"
        shown = [f"{_ms(keys[n][key])} «{console['words'][n][kind]}»" for n in names]
        raw = floors[large][f"search, {kind} word"]
        lines.append(
            f"| search, {kind} word → first results painted | "
            + " | ".join(shown)
            + f" | raw FTS5 query, {_size(sizes[-1])}: {_fine(raw)} | ≤ 150 at the largest | "
            f"{_met(statistics.median(keys[large][key]) <= 150)} |"
        )
    key = next(k for k in keys[small] if k.startswith("open"))
    lines.append(
        "| Enter → a ticket with a 200-message thread painted | "
        + " | ".join(_ms(keys[n][key]) for n in names)
        + f" | — | ≤ 100 | {_met(max(statistics.median(keys[n][key]) for n in names) <= 100)} |"
    )
    seconds = console["idle_seconds"]
    lines.append(
        f"| idle {seconds:.0f} s, SLA pane counting down: CPU of one core | "
        + " | ".join(f"{idle[n]['cpu_percent']:.2f} %" for n in names)
        + f" | bare app with a 1 s timer: {idle['bare']['cpu_percent']:.2f} % | ≤ 1 % | "
        f"{_met(max(idle[n]['cpu_percent'] for n in names) <= 1)} |"
    )
    lines.append(
        f"| idle {seconds:.0f} s: bytes to the terminal per second | "
        + " | ".join(f"{idle[n]['bytes_per_second']:,.0f}" for n in names)
        + f" | bare app: {idle['bare']['bytes_per_second']:,.0f} | ≤ 1,024 | "
        f"{_met(max(idle[n]['bytes_per_second'] for n in names) <= 1024)} |"
    )
    memory = [idle[n]["rss_mb"] for n in names]
    lines.append(
        "| resident memory after the idle minute, MB | "
        + " | ".join(f"{m:,.0f}" for m in memory)
        + f" | the console on {_size(sizes[0])} tickets; bare app {idle['bare']['rss_mb']:,.0f} | "
        f"{_size(sizes[-1])} ≤ 1.3× {_size(sizes[0])} (is {memory[-1] / memory[0]:.2f}×) | "
        f"{_met(memory[-1] <= 1.3 * memory[0])} |"
    )
    blank = " | ".join("" for _ in names[1:])
    plain = figures["plain"]
    lines.append(
        f"| plain-language check of a 2,000-character reply ({plain['rules']:,} rules) | "
        f"typical: {_fine(plain['typical'])}; jargon on every line: {_fine(plain['jargon'])} | {blank} | — | ≤ 5 | "
        f"{_met(statistics.median(plain['typical']) <= 5)} |"
    )
    batches = [s * 1000 for s in figures["sla"]["batch_seconds"]]
    lines.append(
        f"| SLA evaluation of {figures['sla']['tickets']:,} open tickets (3 clocks each) | {_ms(batches)} | {blank} "
        f"| — | ≤ 1,000 | {_met(statistics.median(batches) <= 1000)} |"
    )
    agents = figures["agents"]
    many, alone = agents["many"], agents["alone"]
    lines.append(
        f"| {agents['writers']} agents × {many['actions'] // agents['writers']} workflow actions while "
        f"{agents['readers']} read the queue: p99 of an action (median) | {many['p99_ms']:,.0f} "
        f"({many['median_ms']:,.0f}); errors {many['errors']}, lost {many['lost']} of {many['checked_writes']:,} "
        f"writes checked, {many['conflicts']} conflicts refused | {blank} | one agent alone: p99 "
        f"{alone['p99_ms']:,.0f} ({alone['median_ms']:,.1f}) | 0 errors, 0 lost, p99 ≤ 100 | "
        f"{_met(many['errors'] == 0 and many['lost'] == 0 and many['p99_ms'] <= 100)} |"
    )
    demo, raw = desks[sizes[-1]]["demo_seconds"], desks[sizes[-1]]["floor_seconds"]
    lines.append(
        "| `plaindesk demo --tickets N`, seconds | "
        + " | ".join(f"{desks[s]['demo_seconds']:,.1f}" for s in sizes)
        + f" | raw SQLite writing the same rows, {_size(sizes[-1])}: {raw:,.1f} s | ≤ 3× the floor "
        f"(is {demo / raw:.1f}×) | {_met(demo <= 3 * raw)} |"
    )
    reports = figures.get("reports")
    if reports:
        lines.append(
            f"| Reports for {reports['period']} ({reports['tickets']:,} tickets created in it), seconds | "
            f"{blank} | {_fine(reports['seconds'])} | — | < 2 | {_met(statistics.median(reports['seconds']) < 2)} |"
        )
    lines += ["", "## Every key, every run", ""]
    for n in names:
        lines.append(
            f"- {n}: " + "; ".join(f"{k} {', '.join(f'{v:.0f}' for v in vs)}" for k, vs in keys[n].items())
        )
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").strip()]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
