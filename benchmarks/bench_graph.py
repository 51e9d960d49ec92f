"""``backcalc graph EXPR -o x.svg`` of a 300-term expression: a picture in time, or a quick refusal.

    python benchmarks/bench_graph.py                 # 300 terms, 3 runs
    BENCH_TERMS=50 BENCH_REPEATS=1 python benchmarks/bench_graph.py   # quick

EXPRESSION is ``x0*y0+x1*y1+...+x{i%50}*y{i%37}`` (about 900 nodes at 300 terms), the
87 values on the command line; each run is one subprocess timed as the user waits
(Graphviz's ``dot`` included).  Target (issue 11): either a picture (exit 0 and a
non-empty SVG) within 10 s, or a refusal (exit 2, with a message) within 1 s.  The script
reports which happened and the median wall time.  BENCH_TIMEOUT (default 30 s) stops a
run that takes longer (its process group: Graphviz too), and then no more runs are made.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from common import find_backcalc, headline, met_text

TERMS = int(os.environ.get("BENCH_TERMS", "300"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "30"))


def main() -> int:
    exe = find_backcalc()
    if exe is None:
        print("install backcalc first: pip install -e .")
        return 1
    expr = "+".join(f"x{i % 50}*y{i % 37}" for i in range(TERMS))
    vals = [f"x{k}={0.5 + k / 100}" for k in range(50)] + [f"y{k}={1 - k / 50}" for k in range(37)]
    print(f"backcalc graph of {TERMS:,} terms ({len(expr):,} characters) -o x.svg; {REPEATS} run(s)")
    print("target: a picture within 10 s, or a refusal (exit 2) within 1 s")
    outcomes: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        svg = os.path.join(tmp, "x.svg")
        for rep in range(REPEATS):
            if os.path.exists(svg):
                os.remove(svg)
            t = time.perf_counter()
            # its own session, so a timeout kills Graphviz's dot too, not only backcalc
            proc = subprocess.Popen(
                [exe, "graph", expr, *vals, "-o", svg],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            try:
                _, raw = proc.communicate(timeout=TIMEOUT)
                code, err = proc.returncode, raw.decode(errors="replace").strip()
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                code, err = None, f"killed after {TIMEOUT:.0f} s"
            wall = time.perf_counter() - t
            size = os.path.getsize(svg) if os.path.exists(svg) else 0
            if code == 0 and size > 0:
                kind = "picture"
            elif code == 2:
                kind = "refusal"
            elif code is None:
                kind = "timeout"
            else:
                kind = "failure"
            outcomes.append((kind, wall))
            extra = f"{size:,}-byte SVG" if kind == "picture" else (err.splitlines() or [""])[-1][:200]
            print(f"  run {rep + 1}: {kind}, {wall:.2f} s, exit {code}: {extra}", flush=True)
            if code is None:
                print("  (a run hit the timeout: no more runs)")
                break
    kinds = {k for k, _ in outcomes}
    kind = kinds.pop() if len(kinds) == 1 else "mixed"
    wall = statistics.median(w for _, w in outcomes)
    limit = {"picture": 10.0, "refusal": 1.0}.get(kind)
    met = limit is not None and wall <= limit
    target = {"picture": "picture <= 10 s", "refusal": "refusal <= 1 s"}.get(
        kind, "picture <= 10 s or refusal <= 1 s"
    )
    print(f"outcome: {kind}, median {wall:.2f} s ({target}: {met_text(met)})")
    headline(f"`graph -o x.svg` of {TERMS:,} terms ({kind})", f"{wall:.2f} s", "-", None, target, met)
    return 0


if __name__ == "__main__":
    sys.exit(main())
