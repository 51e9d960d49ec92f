"""Forward+backward of random scalar expressions: backcalc vs micrograd vs PyTorch (0-d float64).

Target (issue 2b): at least 2x faster than micrograd per node at 100,000 nodes, with
time growing linearly in the number of nodes.

The same random expression (a random binary tree over 50 shared variables, ops
+ - * relu) is given to every engine.  backcalc is timed twice: the engine alone
(forward + backward over a graph built once: what micrograd's build-and-backward
does) and end to end from text (parse + build + forward + backward + Result).
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import time

sys.setrecursionlimit(1_000_000)  # micrograd's topological sort is recursive

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
NVARS = 50


def random_program(n_nodes: int, seed: int = 0) -> list[tuple]:
    """A random expression as a post-order list: ('var', k) | ('bin', op, i, j) | ('un', op, i).

    Leaves are references to NVARS shared variables (so variables fan out); subtrees
    are merged in random pairs, round by round, so the depth stays near log2(n)."""
    rng = random.Random(seed)
    prog: list[tuple] = [("var", k) for k in range(NVARS)]
    n_leaves = max(2, int((n_nodes - NVARS) / 1.15))
    pool = [rng.randrange(NVARS) for _ in range(n_leaves)]
    while len(pool) > 1:
        rng.shuffle(pool)
        nxt = []
        for k in range(0, len(pool) - 1, 2):
            prog.append(("bin", rng.choice("+-*"), pool[k], pool[k + 1]))
            if rng.random() < 0.15:
                prog.append(("un", "relu", len(prog) - 1))
            nxt.append(len(prog) - 1)
        if len(pool) % 2:
            nxt.append(pool[-1])
        pool = nxt
    return prog


def to_text(prog: list[tuple]) -> str:
    texts: list[str] = []
    for node in prog:
        if node[0] == "var":
            texts.append(f"v{node[1]}")
        elif node[0] == "un":
            texts.append(f"relu({texts[node[2]]})")
        else:
            texts.append(f"({texts[node[2]]} {node[1]} {texts[node[3]]})")
    return texts[-1]


def values(seed: int = 1) -> dict[str, float]:
    rng = random.Random(seed)
    return {f"v{k}": rng.uniform(-1, 1) for k in range(NVARS)}


def run_micrograd(prog, vals):
    from micrograd.engine import Value

    leaves = [Value(vals[f"v{k}"]) for k in range(NVARS)]
    nodes = []
    for node in prog:
        if node[0] == "var":
            nodes.append(leaves[node[1]])
        elif node[0] == "un":
            nodes.append(nodes[node[2]].relu())
        else:
            a, b = nodes[node[2]], nodes[node[3]]
            nodes.append(a + b if node[1] == "+" else a - b if node[1] == "-" else a * b)
    nodes[-1].backward()
    return nodes[-1].data, [leaf.grad for leaf in leaves]


def run_torch(prog, vals):
    import torch

    leaves = [torch.tensor(vals[f"v{k}"], dtype=torch.float64, requires_grad=True) for k in range(NVARS)]
    nodes = []
    for node in prog:
        if node[0] == "var":
            nodes.append(leaves[node[1]])
        elif node[0] == "un":
            nodes.append(torch.relu(nodes[node[2]]))
        else:
            a, b = nodes[node[2]], nodes[node[3]]
            nodes.append(a + b if node[1] == "+" else a - b if node[1] == "-" else a * b)
    nodes[-1].backward()
    return float(nodes[-1].detach()), [float(leaf.grad) if leaf.grad is not None else 0.0 for leaf in leaves]


def median_time(fn, *args) -> tuple[float, object]:
    times, out = [], None
    for _ in range(REPEATS):
        gc.collect()
        t = time.perf_counter()
        out = fn(*args)
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    import backcalc
    from backcalc.engine import backward, build, forward, gc_paused
    from backcalc.parse import parse

    try:
        import micrograd  # noqa: F401

        have_micrograd = True
    except ImportError:
        have_micrograd = False
        print("micrograd is not installed (pip install -e '.[bench]'): no micrograd column")
    try:
        import torch

        torch.set_num_threads(1)
        have_torch = True
    except ImportError:
        have_torch = False
        print("PyTorch is not installed (pip install torch==2.13.0): no PyTorch column")

    print(f"median of {REPEATS} runs; us/node = microseconds per graph node")
    header = f"{'nodes':>8} {'engine us/node':>15} {'end-to-end':>11} {'micrograd':>10} {'torch':>8} {'micrograd/engine':>17} {'torch/engine':>13}"
    print(header)
    ratios = {}
    per_node = {}
    for n in SIZES:
        prog = random_program(n)
        text = to_text(prog)
        vals = values()
        graph = build(parse(text), set(vals))
        nodes = len(graph)

        def engine():
            with gc_paused():
                fwd = forward(graph, vals)
                bwd = backward(graph, fwd)
            return fwd.values[graph.output], bwd

        t_engine, (value, bwd) = median_time(engine)
        t_full, result = median_time(lambda: backcalc.grad(text, vals))
        row = f"{nodes:>8} {t_engine / nodes * 1e6:>15.2f} {t_full / nodes * 1e6:>11.2f}"
        per_node[n] = t_engine / nodes
        t_mg = t_torch = None
        if have_micrograd:
            t_mg, (mg_value, mg_grads) = median_time(run_micrograd, prog, vals)
            assert abs(mg_value - value) <= 1e-9 * max(1.0, abs(value)), (mg_value, value)
            for k in range(NVARS):
                ours = result.gradients.get(f"v{k}", 0.0)
                assert abs(mg_grads[k] - ours) <= 1e-8 * max(1.0, abs(ours)), (k, mg_grads[k], ours)
            row += f" {t_mg / nodes * 1e6:>10.2f}"
        else:
            row += f" {'-':>10}"
        if have_torch:
            t_torch, (t_value, _) = median_time(run_torch, prog, vals)
            row += f" {t_torch / nodes * 1e6:>8.2f}"
        else:
            row += f" {'-':>8}"
        row += f" {t_mg / t_engine:>16.2f}x" if t_mg else f" {'-':>17}"
        row += f" {t_torch / t_engine:>12.2f}x" if t_torch else f" {'-':>13}"
        print(row, flush=True)
        if t_mg:
            ratios[n] = t_mg / t_engine
    if ratios:
        big = max(ratios)
        print(
            f"at {big:,} nodes backcalc's engine is {ratios[big]:.2f}x faster than micrograd per node "
            f"(target >= 2x: {'met' if ratios[big] >= 2 else 'MISSED'})"
        )
    if len(per_node) > 1:
        small, big = min(per_node), max(per_node)
        growth = per_node[big] / per_node[small]
        print(f"time per node at {big:,} nodes / at {small:,} nodes = {growth:.2f} (1.0 = exactly linear)")


if __name__ == "__main__":
    main()
