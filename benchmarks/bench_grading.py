"""Grading a class: 200 and 10,000 generated submissions against examples/grading/key.toml.

    python benchmarks/bench_grading.py                 # 200 and 10,000 submissions
    BENCH_SIZES=200,1000 python benchmarks/bench_grading.py

For each size, a temporary directory of generated submissions (right answers, each kind of
mistake, missing problems, a tolerance-loosening attempt, malformed files) is graded twice:

* in-process: ``backcalc.grading`` (key computed once, each file read and graded, the JSON
  document streamed to a null stream), timed with ``time.perf_counter``;
* through the executable: ``backcalc check --key KEY DIR -f json`` in a subprocess, stdout
  drained, wall time as the user waits, and the child's peak resident memory.

Targets (issue 12): 200 submissions in under 1 s, 10,000 in under 30 s, through the
executable; peak memory about the same for both sizes (the report is streamed).
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time

from common import find_backcalc, headline, met_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY = os.path.join(ROOT, "examples", "grading", "key.toml")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "200,10000").split(",")]

RIGHT = """student = "student {k}"

[[problem]]
name = "add-mul"
value = -12
gradients = {{ x = {x}, y = -4, z = 3 }}
nodes = {{ q = -4 }}

[[problem]]
name = "sigmoid-neuron"
value = 0.73
gradients = {{ w0 = {w0}, x0 = 0.39, w1 = -0.39, x1 = -0.59, w2 = 0.20 }}

[[problem]]
name = "max-gate"
gradients = {{ x = {mx}, y = 6, z = 2, w = 0 }}
{fan}"""
FAN = '\n[[problem]]\nname = "fan-out"\ngradients = {{ x = {fx} }}\n'


def make(directory: str, n: int) -> None:
    rng = random.Random(12)
    for k in range(n):
        kind = rng.random()
        if kind < 0.05:
            text = "this is [[ not toml" if k % 2 else ""
        else:
            text = RIGHT.format(
                k=k,
                x=rng.choice(["-4", "4", '"−4"']),
                w0=rng.choice(["-0.20", "-0.19", "-0.1966"]),
                mx=rng.choice(["-8", "-4"]),
                fan="" if kind < 0.1 else FAN.format(fx=rng.choice(["7", "6", "1"])),
            )
            if kind > 0.95:
                text = "atol = 1000\n" + text
        sub = os.path.join(directory, f"group{k % 10}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"s{k:05d}.toml"), "w", encoding="utf-8") as fh:
            fh.write(text)


def in_process(directory: str) -> float:
    from backcalc import grading as G
    from backcalc.render.grade_json import JsonWriter

    t = time.perf_counter()
    key = G.load_key(KEY)
    tally = G.Tally(key)
    with open(os.devnull, "w", encoding="utf-8") as out:
        w = JsonWriter(out)
        w.begin(key)
        for r in G.grade_all(key, (G.read_source(s) for s in G.sources([directory])), "en", tally):
            w.add(r)
        w.end(tally.summary())
    return time.perf_counter() - t


def executable(exe: str, directory: str) -> tuple[float, float]:
    """Wall seconds and the child's peak RSS in MB (a fresh measuring process per run)."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "wall = time.perf_counter() - t\n"
        "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, exe, "check", "--key", KEY, directory, "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    wall, rss = out.stdout.split()
    return float(wall), float(rss)


def main() -> None:
    exe = find_backcalc()
    if exe is None:
        sys.exit("backcalc is not installed (pip install -e .)")
    targets = {200: 1.0, 10_000: 30.0}
    for n in SIZES:
        with tempfile.TemporaryDirectory() as d:
            make(d, n)
            inproc = min(in_process(d) for _ in range(3 if n <= 1000 else 1))
            runs = [executable(exe, d) for _ in range(3 if n <= 1000 else 1)]
            wall = min(r[0] for r in runs)
            rss = max(r[1] for r in runs)
        target = targets.get(n)
        met = None if target is None else wall < target
        print(
            f"{n:>6,} submissions: in-process {inproc:.2f} s, executable {wall:.2f} s "
            f"(target {'-' if target is None else f'< {target:g} s'}: {met_text(met)}), peak memory {rss:.0f} MB"
        )
        headline(
            f"grade {n:,} submissions", f"{wall:.2f} s", "-", None, f"< {target:g} s" if target else "-", met
        )
    print(
        f"(peak memory through the executable; self: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )


if __name__ == "__main__":
    main()
