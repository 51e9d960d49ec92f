"""``backcalc grad EXPR --format table`` of a 20,000-term expression vs ``-f json`` of the same run.

    python benchmarks/bench_table.py                      # 20,000 terms, 2 repeats
    BENCH_TERMS=2000 BENCH_REPEATS=3 python benchmarks/bench_table.py   # quick

EXPRESSION is ``x0*y0+x1*y1+...+x{i%50}*y{i%37}+...`` (about 60,000 nodes at 20,000
terms), given to the executable as ``@FILE`` (one argv string is capped at 128 KB on
Linux), with the 87 values on the command line.  Each run is one subprocess, as a user
waits for it; the two formats take turns run by run.  The table is forced with
``--format table`` and a width of 80 columns (``COLUMNS=80``), stdout being a pipe the
benchmark reads incrementally, so it sees when the first bytes and the first table row
(a line starting with the box character ``│``) arrive.  Peak RSS is the child's own
``ru_maxrss`` (``os.wait4``), per run.

Targets (issue 11): table total time <= 3x the JSON run's; the first table row on stdout
within 1 s.  Peak RSS of both is printed (no target).  BENCH_TIMEOUT (default 600 s) stops
a run that takes longer, and reports it.
"""

from __future__ import annotations

import os
import selectors
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from common import find_backcalc, headline, met_text

TERMS = int(os.environ.get("BENCH_TERMS", "20000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "2"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "600"))


def expression(terms: int) -> str:
    return "+".join(f"x{i % 50}*y{i % 37}" for i in range(terms))


def values() -> list[str]:
    return [f"x{k}={0.5 + k / 100}" for k in range(50)] + [f"y{k}={1 - k / 50}" for k in range(37)]


def run(cmd: list[str], env: dict[str, str]) -> dict:
    """One run: total wall time, time to the first stdout bytes and to the first table row,
    the child's peak RSS (MB), bytes written, exit code."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, start_new_session=True)
        first = first_row = None
        size = 0
        tail = b""
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        fd = proc.stdout.fileno()
        killed = False
        while True:
            if not killed and time.perf_counter() - t0 > TIMEOUT:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
            if not sel.select(timeout=1.0):
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            now = time.perf_counter() - t0
            if first is None:
                first = now
            if first_row is None:
                lines = (tail + chunk).split(b"\n")
                if any(line.startswith("│".encode()) for line in lines[:-1]):
                    first_row = now
                tail = lines[-1][-200:]
            size += len(chunk)
        sel.close()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        total = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = err.read().decode(errors="replace")[-400:]
    return {
        "total": total,
        "first": first,
        "first_row": first_row,
        "rss": usage.ru_maxrss / 1024,
        "bytes": size,
        "code": proc.returncode,
        "killed": killed,
        "stderr": message,
    }


def main() -> int:
    exe = find_backcalc()
    if exe is None:
        print("install backcalc first: pip install -e .")
        return 1
    text = expression(TERMS)
    env = {**os.environ, "COLUMNS": "80", "LINES": "50"}
    env.pop("FORCE_COLOR", None)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "expr.txt")
        with open(path, "w") as fh:
            fh.write(text)
        base = [exe, "grad", "@" + path, *values()]
        cmds = {"table": base + ["--format", "table"], "json": base + ["-f", "json"]}
        print(
            f"{TERMS:,} terms ({len(text):,} characters, about {3 * TERMS:,} nodes); "
            f"{REPEATS} run(s) of each, interleaved"
        )
        print("targets: table total <= 3x json total; first table row on stdout < 1 s")
        runs: dict[str, list[dict]] = {k: [] for k in cmds}
        for rep in range(REPEATS):
            for name in list(cmds)[rep % 2 :] + list(cmds)[: rep % 2]:
                r = run(cmds[name], env)
                runs[name].append(r)
                state = "killed at the timeout" if r["killed"] else f"exit {r['code']}"
                first_row = "-" if r["first_row"] is None else f"{r['first_row']:.2f} s"
                print(
                    f"  {name:5s} run {rep + 1}: {r['total']:7.2f} s, first row {first_row}, "
                    f"peak RSS {r['rss']:.0f} MB, {r['bytes']:,} bytes, {state}",
                    flush=True,
                )
                if r["code"] != 0 and not r["killed"]:
                    print(f"    stderr: {r['stderr'].strip()}")
    ok = {k: [r for r in v if r["code"] == 0 and not r["killed"]] for k, v in runs.items()}
    if not ok["json"] or not ok["table"]:
        print("a format failed every run: no ratio")
        headline(f"table of {TERMS:,} terms vs json, total time", "failed", "-", None, "<= 3x", False)
        return 1
    med = {k: statistics.median(r["total"] for r in v) for k, v in ok.items()}
    rss = {k: statistics.median(r["rss"] for r in v) for k, v in ok.items()}
    rows = [r["first_row"] if r["first_row"] is not None else r["first"] for r in ok["table"]]
    rows = [t for t in rows if t is not None]
    first_row = statistics.median(rows) if rows else None
    ratio = med["table"] / med["json"]
    print(f"medians: table {med['table']:.2f} s, json {med['json']:.2f} s: ratio {ratio:.2f}x")
    print(f"  (target <= 3x: {met_text(ratio <= 3)})")
    if first_row is not None:
        print(f"time to the first table row: {first_row:.2f} s (target < 1 s: {met_text(first_row < 1)})")
    print(
        f"peak RSS: table {rss['table']:.0f} MB, json {rss['json']:.0f} MB ({rss['table'] / rss['json']:.2f}x)"
    )
    headline(
        f"`grad --format table` of {TERMS:,} terms vs `-f json`, total time",
        f"{med['table']:.2f} s",
        f"{med['json']:.2f} s",
        ratio,
        "<= 3x",
        ratio <= 3,
    )
    headline(
        f"`grad --format table` of {TERMS:,} terms, time to first row",
        "-" if first_row is None else f"{first_row:.2f} s",
        "-",
        None,
        "< 1 s",
        None if first_row is None else first_row < 1,
    )
    headline(
        f"`grad` of {TERMS:,} terms, peak RSS table vs json",
        f"{rss['table']:.0f} MB",
        f"{rss['json']:.0f} MB",
        rss["table"] / rss["json"],
        "-",
        None,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
