"""Time the plain-language checker on a 2,000-character draft, as the reply helper runs it per keystroke.

Run: python bench/bench_plain.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from tui.plain import default_checker

DRAFT = (
    "Hi Sam, thanks for getting in touch. I looked at your laptop this morning. The DNS cache was stale, "
    "so I flushed it and re-imaged the machine; your files on OneDrive are safe. Simply sign in again with "
    "your new password and MFA code. If Outlook asks you to rebuild the OST, say yes. As I said before, "
    "the VPN client needs an update, so please install it from https://intranet.example.org/vpn. "
    "We escalated the Wi-Fi issue to L2 per SOP; ETA is TBD pending RCA. Run `ipconfig /flushdns` if "
    'you see "DNS_PROBE_FINISHED_NXDOMAIN" again. I\'ll update you by 3pm tomorrow. '
)


# A long, ordinary reply: mostly plain, a little jargon, as agents write them.
TYPICAL = (
    "Hi Priya, thanks for getting back to me so quickly, and sorry this has taken a few days. I came by your "
    "desk this morning while you were in the budget meeting and had a proper look at the laptop. The reason "
    "it kept freezing in the afternoons is that the fan underneath was full of dust, so it was getting too hot "
    "and slowing itself down to cool off. I cleaned it out and ran it for an hour with Excel and Teams open, "
    "and it stayed cool the whole time. I also installed the updates that were waiting, and restarted it "
    "twice to make sure they finished. Your files and your desktop are exactly as you left them. "
    "There is one more thing I would like to do. The battery is quite old now and only holds about half its "
    "charge, which is why the laptop goes flat so quickly when you are away from your desk. A new battery is on "
    "order and should arrive on Thursday. When it comes in, I will bring it up to you and fit it at your desk; "
    "it takes about ten minutes and you can keep working on something else while I do it. If Thursday "
    "afternoon does not suit you, just reply to this message with a better time. In the meantime, please keep "
    "the laptop on a hard surface rather than on your lap or a cushion, so air can get to the fan. If it "
    "freezes again before then, hold the power button down for ten seconds, wait a moment, and switch it back "
    "on. Then let me know, and I will come straight over. I noticed the VPN client asked you to sign in twice "
    "this morning; that was a hiccup on our side with the SSO token and it is fixed now. "
    "I will check in with you on Thursday by 3pm either way. Thanks again for your patience, Asha."
)


def measure(label: str, text: str, checks: int = 200) -> list[float]:
    checker = default_checker()
    checker.check(text)  # rules are loaded once, as the console does at start
    times = []
    for _ in range(checks):
        start = time.perf_counter()
        findings = checker.check(text)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        f"plain check, {label} ({len(text):,} characters, {len(findings)} findings, {checker.rules.size} rules): "
        f"median {statistics.median(times):.2f} ms, min {times[0]:.2f} ms, "
        f"95th percentile {times[int(len(times) * 0.95)]:.2f} ms"
    )
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    found = {
        "typical": measure("a typical long reply", (TYPICAL + " " + TYPICAL)[:2000], args.checks),
        "jargon": measure("jargon on every line (worst case)", (DRAFT * 10)[:2000], args.checks),
        "rules": default_checker().rules.size,
    }
    if args.json:
        args.json.write_text(json.dumps(found))


if __name__ == "__main__":
    main()
