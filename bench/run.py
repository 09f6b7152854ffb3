"""`make bench`: every benchmark in bench/, one after the other. Figures go in bench/RESULTS.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent

for script in sorted(HERE.glob("bench_*.py")):
    print(f"## {script.stem}", flush=True)
    subprocess.run([sys.executable, str(script)], check=True)
