"""Benchmark: `backcalc grad --symbolic` on a random 1,000-node expression (target: under 10 s on 2 cores).

    python benchmarks/bench_symbolic.py [--nodes 1000] [--runs 3] [--seed 0]

Builds a random expression over 8 inputs from the op table's smooth ops (add, sub, mul,
sin, cos, tanh, sigmoid, exp of a bounded argument), checks the graph's size, then times
(1) ``backcalc.grad(..., symbolic=True)`` in-process (parse, build, the float run, then the
symbolic run of the same interpreter, cse, numeric confirmation) and (2) the whole command through the installed executable, and prints the
median of each.  Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time


def random_expression(target_nodes: int, seed: int, n_inputs: int = 8) -> str:
    """Grow an expression from a pool of subexpressions until its graph has ~target_nodes nodes."""
    from backcalc.engine import compile_text

    rng = random.Random(seed)
    names = [f"x{k}" for k in range(n_inputs)]
    pool = list(names)
    binary = ["({a} + {b})", "({a} - {b})", "({a} * {b})"]
    unary = ["sin({a})", "cos({a})", "tanh({a})", "sigmoid({a})", "exp(sin({a}))"]
    gates = 0
    while True:
        if rng.random() < 0.6 and len(pool) > 1:
            a = pool.pop(rng.randrange(len(pool)))
            b = pool.pop(rng.randrange(len(pool)))
            pool.append(rng.choice(binary).format(a=a, b=b))
            gates += 1
        else:
            a = pool.pop(rng.randrange(len(pool)))
            pool.append(rng.choice(unary).format(a=a))
            gates += 1
        if rng.random() < 0.3:
            pool.append(rng.choice(names))
        if gates >= target_nodes - n_inputs - len(pool):
            break
    expr = " + ".join(pool)
    g = compile_text(expr, set(names))
    return expr, len(g), {n: round(rng.uniform(-1, 1), 3) for n in names}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from backcalc import api

    expr, size, values = random_expression(args.nodes, args.seed)
    print(f"expression: {len(expr):,} characters, graph of {size:,} nodes, {len(values)} inputs")

    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        rec = api.grad(expr, values, symbolic=True, timeout=None).symbolic
        times.append(time.perf_counter() - t0)
        assert rec.complete and all(g.agrees for g in rec.gradients.values()), "formula disagrees"
    print(
        f"in-process grad(symbolic=True): median {statistics.median(times):.2f} s over {args.runs} runs "
        f"({', '.join(f'{t:.2f}' for t in times)}); method {rec.method}, "
        f"{len(rec.cse.replacements) if rec.cse else 0:,} common subexpressions"
    )

    exe = shutil.which("backcalc") or os.path.join(os.path.dirname(sys.executable), "backcalc")
    if os.path.exists(exe):
        cmd = [exe, "grad", expr, *[f"{k}={v}" for k, v in values.items()], "--symbolic", "-f", "json"]
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            out = subprocess.run(cmd, capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            assert out.returncode == 0, out.stderr[-2000:]
        print(
            f"`backcalc grad ... --symbolic` end to end: median {statistics.median(times):.2f} s over "
            f"{args.runs} runs ({', '.join(f'{t:.2f}' for t in times)})"
        )


if __name__ == "__main__":
    main()
