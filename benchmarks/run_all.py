"""Run every benchmark and print one headline table.

    python benchmarks/run_all.py            # default sizes: about 10 minutes on 2 cores (today)
    python benchmarks/run_all.py --quick    # small sizes, a few repeats: about 3 minutes
    BENCH_STARTUP_PYTHON=/path/to/regular-venv/bin/python python benchmarks/run_all.py

Each script runs as its own subprocess (the environment variables below set its sizes) and
prints its own figures, shown as they come; the rows of the final table are the
``@@headline`` lines the scripts print.  The table: workload | backcalc | peer | ratio (backcalc / peer, time
or memory: below 1 is backcalc ahead) | target | met?, with the machine and the date.

Start-up should be measured on a regular install: BENCH_STARTUP_PYTHON names the Python of
a venv where ``pip install .`` (not -e) was run; without it the current Python is used and
bench_startup.py warns if that install is editable.  A script that fails or runs past
its time limit gets a row saying so; the others still run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HEADLINE = "@@headline "

# script: (default env, quick env, time limit in seconds)
PLAN: list[tuple[str, dict[str, str], dict[str, str], float]] = [
    ("bench_startup.py", {"BENCH_RUNS": "20"}, {"BENCH_RUNS": "20"}, 300),
    ("bench_text.py", {"BENCH_REPEATS": "3"}, {"BENCH_SIZES": "1000,10000", "BENCH_REPEATS": "3"}, 900),
    ("bench_bigtext.py", {"BENCH_REPEATS": "3"}, {"BENCH_CHARS": "200000", "BENCH_REPEATS": "1"}, 600),
    ("bench_table.py", {"BENCH_REPEATS": "1"}, {"BENCH_TERMS": "1000", "BENCH_REPEATS": "1"}, 900),
    ("bench_graph.py", {"BENCH_REPEATS": "3"}, {"BENCH_TERMS": "300", "BENCH_REPEATS": "1"}, 300),
    ("bench_mlp.py", {"_ARGS": "--repeats 100 --blocks 10"}, {"_ARGS": "--repeats 20 --blocks 4"}, 300),
    ("bench_train.py", {"_ARGS": "--epochs 3"}, {"_ARGS": "--epochs 2"}, 600),
    ("bench_grading.py", {}, {"BENCH_SIZES": "200"}, 300),
]


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        model = platform.processor() or model
    return f"{os.cpu_count()} CPUs (nproc), {model}; Python {platform.python_version()} ({sys.executable})"


def row(workload, backcalc, peer, ratio, target, met) -> dict:
    return {
        "workload": workload,
        "backcalc": backcalc,
        "peer": peer,
        "ratio": ratio,
        "target": target,
        "met": met,
    }


def run(script: str, extra: dict[str, str], limit: float) -> tuple[list[dict], float]:
    env = {**os.environ, **{k: v for k, v in extra.items() if not k.startswith("_")}}
    args = extra.get("_ARGS", "").split()
    python = sys.executable
    if script == "bench_startup.py":
        python = os.environ.get("BENCH_STARTUP_PYTHON", sys.executable)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    cmd = [python, os.path.join(HERE, script), *args]
    print(f"\n=== {script} {' '.join(f'{k}={v}' for k, v in extra.items())}", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=HERE,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    rows: list[dict] = []
    try:
        import threading

        timer = threading.Timer(limit, lambda: os.killpg(proc.pid, 9))
        timer.start()
        for line in proc.stdout:
            lines.append(line)
            if line.startswith(HEADLINE):
                rows.append(json.loads(line[len(HEADLINE) :]))
            else:
                print("  " + line, end="", flush=True)
        proc.wait()
        timer.cancel()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait()
    took = time.perf_counter() - t0
    if proc.returncode != 0 and not rows:
        why = "killed at its time limit" if proc.returncode < 0 else f"exit {proc.returncode}"
        rows.append(row(f"{script}: {why}", "-", "-", None, "-", None))
    return rows, took


def fmt_ratio(r) -> str:
    return "-" if r is None else f"{r:.2f}x"


def main() -> int:
    ap = argparse.ArgumentParser(description="Run every benchmark; print one headline table.")
    ap.add_argument("--quick", action="store_true", help="small sizes and few repeats (a few minutes)")
    ap.add_argument("--only", default="", help="comma-separated script names to run (default: all)")
    args = ap.parse_args()
    only = {s if s.endswith(".py") else s + ".py" for s in args.only.split(",") if s}
    started = datetime.datetime.now(datetime.UTC)
    rows: list[dict] = []
    durations: list[str] = []
    for script, default, quick, limit in PLAN:
        if only and script not in only:
            continue
        if not os.path.exists(os.path.join(HERE, script)):
            continue
        got, took = run(script, quick if args.quick else default, limit)
        rows += got
        durations.append(f"{script} {took:.0f} s")
    header = ["workload", "backcalc", "peer", "ratio", "target", "met?"]
    table = [
        [
            r["workload"],
            str(r["backcalc"]),
            str(r["peer"]),
            fmt_ratio(r["ratio"]),
            str(r["target"]),
            "-" if r["met"] is None else ("yes" if r["met"] else "NO"),
        ]
        for r in rows
    ]
    widths = [max(len(x) for x in col) for col in zip(header, *table)] if table else [len(h) for h in header]
    print()
    print(f"backcalc benchmarks, {started:%Y-%m-%d %H:%M} UTC{' (quick mode)' if args.quick else ''}")
    print(f"machine: {machine()}")
    print("ratio = backcalc / peer (time or memory): below 1.0x backcalc is ahead")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-|-".join("-" * w for w in widths))
    for cells in table:
        print(" | ".join(c.ljust(w) for c, w in zip(cells, widths)))
    print("took: " + ", ".join(durations))
    return 0


if __name__ == "__main__":
    sys.exit(main())
