"""Start-up: wall time of ``backcalc grad "(x+y)*z" x=-2 y=5 z=-4`` vs ``python -c "import numpy"``.

    python benchmarks/bench_startup.py            # 30 interleaved runs of each command
    BENCH_RUNS=20 python benchmarks/bench_startup.py

Two paths of the same command, each a separate subprocess timed as the user waits:

* the table path: ``--format table`` with ``COLUMNS=80`` (what a terminal shows; stdout
  is a pipe the benchmark drains, so no pseudo-terminal's own cost is counted).
  Target (issue 11): <= 1.0x numpy's import.
* the JSON path: ``-f json`` (what a script reading the output gets).  Target: <= 0.8x.

The three commands take turns run by run (the order rotating), BENCH_RUNS (default 30,
at least 20) times each after one untimed warm-up each; the figures are medians.

Measure on a regular install (``pip install .`` in its own venv), whose modules were
compiled to .pyc at install time: an editable install with PYTHONDONTWRITEBYTECODE=1
recompiles backcalc's sources on every run.  The script warns when it sees either.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from common import find_backcalc, headline, met_text

N = max(20, int(os.environ.get("BENCH_RUNS", "30")))


def wall(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - t


def editable() -> bool | None:
    try:
        from importlib.metadata import distribution

        text = distribution("backcalc").read_text("direct_url.json")
    except Exception:  # noqa: BLE001 - not installed, or no direct_url: unknown
        return None
    if not text:
        return False
    return bool(json.loads(text).get("dir_info", {}).get("editable"))


def main() -> int:
    exe = find_backcalc()
    if exe is None:
        print("install backcalc first: pip install .")
        return 1
    env = {**os.environ, "COLUMNS": "80"}
    if editable():
        print("warning: backcalc is an editable install; measure start-up on a regular one (pip install .)")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("warning: PYTHONDONTWRITEBYTECODE is set: sources without a .pyc are compiled on every run")
    base = [exe, "grad", "(x+y)*z", "x=-2", "y=5", "z=-4"]
    cmds = {
        "table": base + ["--format", "table"],
        "json": base + ["-f", "json"],
        "numpy": [sys.executable, "-c", "import numpy"],
    }
    for cmd in cmds.values():  # warm the file cache
        wall(cmd, env)
    times: dict[str, list[float]] = {k: [] for k in cmds}
    order = list(cmds)
    for i in range(N):
        for name in order[i % 3 :] + order[: i % 3]:
            times[name].append(wall(cmds[name], env))
    med = {k: statistics.median(v) for k, v in times.items()}
    labels = {
        "table": 'backcalc grad "(x+y)*z" ... --format table',
        "json": 'backcalc grad "(x+y)*z" ... -f json',
        "numpy": 'python -c "import numpy"',
    }
    print(f"medians of {N} interleaved runs each")
    for k, v in times.items():
        print(f"  {labels[k]:44s} {med[k] * 1e3:7.1f} ms  (min {min(v) * 1e3:.1f}, max {max(v) * 1e3:.1f})")
    for k, target in (("table", 1.0), ("json", 0.8)):
        r = med[k] / med["numpy"]
        print(f"  {k} path / numpy import: {r:.2f}x (target <= {target}x: {met_text(r <= target)})")
        headline(
            f"start-up, `grad (x+y)*z` {k} path vs `python -c 'import numpy'`",
            f"{med[k] * 1e3:.0f} ms",
            f"{med['numpy'] * 1e3:.0f} ms",
            r,
            f"<= {target}x",
            r <= target,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
