"""Time the plain-language checker on a 2,000-character draft, as the reply helper runs it per keystroke.

Run: python bench/bench_plain.py
"""

from __future__ import annotations

import statistics
import time

from tui.plain import default_checker

DRAFT = (
    "Hi Sam, thanks for getting in touch. I looked at your laptop this morning. The DNS cache was stale, "
    "so I flushed it and re-imaged the machine; your files on OneDrive are safe. Simply sign in again with "
    "your new password and MFA code. If Outlook asks you to rebuild the OST, say yes. As I said before, "
    "the VPN client needs an update, so please install it from https://intranet.example.org/vpn. "
    "We escalated the Wi-Fi issue to L2 per SOP; ETA is TBD pending RCA. Run `ipconfig /flushdns` if "
    'you see "DNS_PROBE_FINISHED_NXDOMAIN" again. I\'ll update you by 3pm tomorrow. '
)


def main() -> None:
    text = (DRAFT * 10)[:2000]
    checker = default_checker()
    checker.check(text)  # load rules once, as the console does at start
    times = []
    for _ in range(200):
        start = time.perf_counter()
        findings = checker.check(text)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        f"plain check of a {len(text):,}-character draft ({len(findings)} findings, {checker.rules.size} rules): "
        f"median {statistics.median(times):.2f} ms, 95th percentile {times[int(len(times) * 0.95)]:.2f} ms"
    )


if __name__ == "__main__":
    main()
