"""A random scalar program from text, end to end: backcalc vs micrograd 0.1.0 vs PyTorch.

    python benchmarks/bench_text.py          # 1,000 / 10,000 / 100,000 ops
    BENCH_SIZES=1000,10000 BENCH_REPEATS=3 python benchmarks/bench_text.py   # quick

What the user waits for, per op of the program text:

* backcalc: ``backcalc.grad(text, values)`` -- parse, build, forward, backward and the
  Result (every node's record).  A second line splits the same work by stage (parse,
  build, forward, backward, Result) through the functions ``backcalc.grad`` calls; if
  those internals are renamed the stage line is dropped, never the headline.
* micrograd 0.1.0: the same statements evaluated from a prebuilt list (no text), then
  ``.backward()``; once with the garbage collector ON (as users run it) and once OFF.
  micrograd has only + * ** relu, so the other ops are written with its Value primitives
  as a user would: exp as a user-defined Value op in micrograd's own style (data and a
  ``_backward`` closure, as in the lecture that introduced micrograd), tanh(x) =
  (exp(2x) - 1) / (exp(2x) + 1), sigmoid(x) = 1 / (1 + exp(-x)), max(a, b) =
  a + relu(b - a); micrograd's own ``a - b`` is a + b*-1 and ``a / b`` is a * b**-1.
* PyTorch (CPU, 0-d float64 tensors, one thread): the same statements from the prebuilt
  list, then ``.backward()``.

"ops" always counts the ops written in the program text (``n5 = n3/(1 + n4*n4)`` is 3
ops), whatever each engine turns them into.  Times are medians over repeats in which the
engines take turns (interleaved, the order rotating each repeat); the ratios are of
medians measured in the same run.

The generator (seeded, so every run and every engine sees the same program): 50 inputs
v0..v49 drawn from [-1, 1]; then ';'-separated statements ``nK = TEMPLATE`` whose first
operand is the oldest result nobody has used yet (a queue, so every result feeds the
output) and whose second operand is drawn uniformly from everything before it (so early
results and the inputs fan out to many statements).  The templates are

    a + b   a - b   a * b   max(a, b)   tanh(a*b)   sigmoid(a - b)   exp(tanh(a))
    a/(1 + b*b)   relu(a - b)   a*sigmoid(b)   tanh(a) + b

and a template is chosen only if its interval bound (computed from the operands' bounds)
stays within [-4, 4]: no value can overflow, exp only sees tanh outputs, every
denominator is at least 1.  The generator also evaluates the program and never puts a
tie into max or a zero into relu (a kink, where engines may legitimately differ).  The
queue's last results are folded into the output ``f`` with max.  Before timing, every
engine's value and all 50 gradients are checked against backcalc's (relative 1e-9), so
the benchmark cannot silently time something different.

Targets (issue 11): backcalc end to end at least as fast as micrograd (GC on) at every
size, and at least 2x faster at 100,000 ops.
"""

from __future__ import annotations

import gc
import math
import os
import random
import statistics
import sys
import time
from collections import deque

from common import headline, met_text

sys.setrecursionlimit(1_000_000)  # micrograd's topological sort is recursive

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
NVARS = 50
CAP = 4.0
TOL = 1e-9

# name: (text, ops in the text, arity, bound(Ba, Bb), value(a, b), safe(a, b))
_sig = lambda x: 1.0 / (1.0 + math.exp(-x))
TEMPLATES = {
    "add": ("{a} + {b}", 1, 2, lambda A, B: A + B, lambda a, b: a + b, None),
    "sub": ("{a} - {b}", 1, 2, lambda A, B: A + B, lambda a, b: a - b, None),
    "mul": ("{a} * {b}", 1, 2, lambda A, B: A * B, lambda a, b: a * b, None),
    "max": ("max({a}, {b})", 1, 2, max, max, lambda a, b: abs(a - b) > 1e-6),
    "tanhmul": ("tanh({a}*{b})", 2, 2, lambda A, B: 1.0, lambda a, b: math.tanh(a * b), None),
    "sigdiff": ("sigmoid({a} - {b})", 2, 2, lambda A, B: 1.0, lambda a, b: _sig(a - b), None),
    "exptanh": ("exp(tanh({a}))", 2, 1, lambda A, B: math.e, lambda a, b: math.exp(math.tanh(a)), None),
    "div": ("{a}/(1 + {b}*{b})", 3, 2, lambda A, B: A, lambda a, b: a / (1 + b * b), None),
    "relusub": (
        "relu({a} - {b})",
        2,
        2,
        lambda A, B: A + B,
        lambda a, b: max(a - b, 0.0),
        lambda a, b: abs(a - b) > 1e-6,
    ),
    "mulsig": ("{a}*sigmoid({b})", 2, 2, lambda A, B: A, lambda a, b: a * _sig(b), None),
    "tanhadd": ("tanh({a}) + {b}", 2, 2, lambda A, B: 1.0 + B, lambda a, b: math.tanh(a) + b, None),
}
NAMES = list(TEMPLATES)


def input_values(seed: int = 1) -> dict[str, float]:
    rng = random.Random(seed)
    return {f"v{k}": rng.uniform(-1, 1) for k in range(NVARS)}


def random_program(n_ops: int, vals: dict[str, float], seed: int = 0) -> tuple[list[tuple], int]:
    """Statements (template, a, b) over node indices (0..49: the inputs; 50+k: statement k);
    returns them and the number of ops in their text."""
    rng = random.Random(seed)
    bound = [1.0] * NVARS
    value = [vals[f"v{k}"] for k in range(NVARS)]
    unused = deque(range(NVARS))
    stmts: list[tuple] = []
    ops = 0

    def add(t: str, a: int, b: int) -> None:
        nonlocal ops
        _, n, _, bnd, fn, _ = TEMPLATES[t]
        stmts.append((t, a, b))
        bound.append(bnd(bound[a], bound[b]))
        value.append(fn(value[a], value[b]))
        unused.append(len(value) - 1)
        ops += n

    while ops < n_ops - (len(unused) - 1):
        a = unused.popleft()
        b = rng.randrange(len(value) - 1) if len(value) > 1 else a
        if b >= a:
            b += 1
        for _ in range(20):
            t = rng.choice(NAMES)
            _, _, _, bnd, _, safe = TEMPLATES[t]
            if bnd(bound[a], bound[b]) <= CAP and (safe is None or safe(value[a], value[b])):
                break
        else:
            t = "tanhmul"
        add(t, a, b)
    while len(unused) > 1:  # fold the results nobody used yet into the output
        a, b = unused.popleft(), unused.popleft()
        add("max" if abs(value[a] - value[b]) > 1e-6 else "mulsig", a, b)
    return stmts, ops


def to_text(stmts: list[tuple]) -> str:
    names = [f"v{k}" for k in range(NVARS)] + [f"n{k}" for k in range(len(stmts))]
    names[-1] = "f"
    lines = []
    for k, (t, a, b) in enumerate(stmts):
        lines.append(f"{names[NVARS + k]} = " + TEMPLATES[t][0].format(a=names[a], b=names[b]))
    return " ; ".join(lines)


# --- micrograd, as a user would write the missing ops ------------------------------------


def micrograd_ops() -> dict:
    from micrograd.engine import Value

    def exp(x):
        out = Value(math.exp(x.data), (x,), "exp")

        def _backward():
            x.grad += out.data * out.grad

        out._backward = _backward
        return out

    def tanh(x):
        e = exp(x * 2)
        return (e - 1) / (e + 1)

    def sigmoid(x):
        return 1 / (1 + exp(-x))

    return {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "max": lambda a, b: a + (b - a).relu(),
        "tanhmul": lambda a, b: tanh(a * b),
        "sigdiff": lambda a, b: sigmoid(a - b),
        "exptanh": lambda a, b: exp(tanh(a)),
        "div": lambda a, b: a / (1 + b * b),
        "relusub": lambda a, b: (a - b).relu(),
        "mulsig": lambda a, b: a * sigmoid(b),
        "tanhadd": lambda a, b: tanh(a) + b,
        "_leaf": Value,
    }


def torch_ops() -> dict:
    import torch

    return {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "max": torch.maximum,
        "tanhmul": lambda a, b: torch.tanh(a * b),
        "sigdiff": lambda a, b: torch.sigmoid(a - b),
        "exptanh": lambda a, b: torch.exp(torch.tanh(a)),
        "div": lambda a, b: a / (1 + b * b),
        "relusub": lambda a, b: torch.relu(a - b),
        "mulsig": lambda a, b: a * torch.sigmoid(b),
        "tanhadd": lambda a, b: torch.tanh(a) + b,
        "_leaf": lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True),
    }


def run_micrograd(ops: dict, stmts: list[tuple], vals: list[float]) -> tuple[float, list[float]]:
    leaves = [ops["_leaf"](v) for v in vals]
    nodes = list(leaves)
    for t, a, b in stmts:
        nodes.append(ops[t](nodes[a], nodes[b]))
    nodes[-1].backward()
    return nodes[-1].data, [leaf.grad for leaf in leaves]


def run_micrograd_gc_off(ops: dict, stmts: list[tuple], vals: list[float]) -> tuple[float, list[float]]:
    was = gc.isenabled()
    gc.disable()
    try:
        return run_micrograd(ops, stmts, vals)
    finally:
        if was:
            gc.enable()


def run_torch(ops: dict, stmts: list[tuple], vals: list[float]) -> tuple[float, list[float]]:
    leaves = [ops["_leaf"](v) for v in vals]
    nodes = list(leaves)
    for t, a, b in stmts:
        nodes.append(ops[t](nodes[a], nodes[b]))
    nodes[-1].backward()
    return float(nodes[-1].detach()), [float(x.grad) if x.grad is not None else 0.0 for x in leaves]


# --- backcalc by stage (internals: any failure drops only this line) ----------------------


def stage_runner():
    """A function timing backcalc.grad's stages one by one, or None if the internals moved."""
    try:
        from backcalc import ops as O
        from backcalc.engine import backward, build, forward, gc_paused
        from backcalc.parse import parse
        from backcalc.result import make_result

        ties = O.DEFAULT_TIES
    except Exception as e:  # noqa: BLE001 - a renamed internal drops the stage line only
        print(f"(no stage line: {type(e).__name__}: {e})")
        return None

    def run(text: str, vals: dict[str, float]) -> dict[str, float]:
        out = {}
        with gc_paused():
            t0 = time.perf_counter()
            prog = parse(text)
            t1 = time.perf_counter()
            graph = build(prog, set(vals))
            t2 = time.perf_counter()
            fwd = forward(graph, {n: vals[n] for n in graph.inputs})
            t3 = time.perf_counter()
            bwd = backward(graph, fwd, ties)
            t4 = time.perf_counter()
            make_result(graph, fwd, bwd, ties=ties)
            t5 = time.perf_counter()
        out.update(parse=t1 - t0, build=t2 - t1, forward=t3 - t2, backward=t4 - t3, Result=t5 - t4)
        return out

    return run


def close(x: float, ref: float) -> bool:
    return abs(x - ref) <= TOL * max(abs(ref), 1e-300)


def check(name: str, value: float, grads: list[float], result) -> None:
    assert close(value, result.value), f"{name}: value {value!r} != backcalc {result.value!r}"
    for k, g in enumerate(grads):
        ours = result.gradients[f"v{k}"]
        assert close(g, ours), f"{name}: d/dv{k} {g!r} != backcalc {ours!r}"


def main() -> int:
    import backcalc

    peers: dict[str, tuple] = {}
    try:
        mg = micrograd_ops()
        peers["micrograd (GC on)"] = (run_micrograd, mg)
        peers["micrograd (GC off)"] = (run_micrograd_gc_off, mg)
    except ImportError:
        print("micrograd is not installed (pip install -e '.[bench]'): no micrograd columns")
    try:
        import torch

        torch.set_num_threads(1)
        peers["PyTorch"] = (run_torch, torch_ops())
    except ImportError:
        print("PyTorch is not installed (pip install torch==2.13.0): no PyTorch column")
    stages = stage_runner()

    print(
        "targets: backcalc.grad end to end at least as fast as micrograd (GC on) at every size; "
        ">= 2x faster at 100,000 ops"
    )
    print(f"median of {REPEATS} interleaved repeats; us/op = microseconds per op of the program text")
    cols = ["backcalc"] + list(peers)
    print(f"{'ops':>8} {'chars/op':>8} " + " ".join(f"{c:>18}" for c in cols))
    ratios: dict[int, dict[str, float]] = {}
    for n in SIZES:
        vals = input_values()
        stmts, n_ops = random_program(n, vals)
        text = to_text(stmts)
        vlist = [vals[f"v{k}"] for k in range(NVARS)]
        # Same numbers everywhere?
        result = backcalc.grad(text, vals)
        for name, (fn, ops) in peers.items():
            value, grads = fn(ops, stmts, vlist)
            check(name, value, grads, result)
        del result
        runners = {"backcalc": lambda: backcalc.grad(text, vals)}
        for name, (fn, ops) in peers.items():
            runners[name] = lambda fn=fn, ops=ops: fn(ops, stmts, vlist)
        times: dict[str, list[float]] = {k: [] for k in runners}
        stage_times: dict[str, list[float]] = {}
        order = list(runners)
        for rep in range(REPEATS):
            for name in order[rep % len(order) :] + order[: rep % len(order)]:
                gc.collect()
                t = time.perf_counter()
                out = runners[name]()
                times[name].append(time.perf_counter() - t)
                out = None  # noqa: F841 - freed before the next run, outside its timing
            if stages is not None:
                gc.collect()
                try:
                    for k, v in stages(text, vals).items():
                        stage_times.setdefault(k, []).append(v)
                except Exception as e:  # noqa: BLE001
                    print(f"(stage line dropped: {type(e).__name__}: {e})")
                    stages = None
                    stage_times = {}
        med = {k: statistics.median(v) for k, v in times.items()}
        print(
            f"{n_ops:>8,} {len(text) / n_ops:>8.1f} "
            + " ".join(f"{med[c] / n_ops * 1e6:>13.2f} us/op" for c in cols),
            flush=True,
        )
        if stage_times:
            parts = {k: statistics.median(v) for k, v in stage_times.items()}
            print(
                "         backcalc by stage, us/op: "
                + ", ".join(f"{k} {v / n_ops * 1e6:.2f}" for k, v in parts.items())
                + f" (sum {sum(parts.values()) / n_ops * 1e6:.2f})",
                flush=True,
            )
        ratios[n_ops] = {c: med[c] / med["backcalc"] for c in peers}
        if peers:
            print(
                "         peer time / backcalc time: "
                + ", ".join(f"{c} {r:.2f}x" for c, r in ratios[n_ops].items()),
                flush=True,
            )
        ratios[n_ops]["_bc"] = med["backcalc"]
        for c in peers:
            ratios[n_ops]["_" + c] = med[c]
    key = "micrograd (GC on)"
    if key in peers:
        every = all(r[key] >= 1.0 for r in ratios.values())
        print(f"backcalc at least as fast as micrograd (GC on) at every size: {met_text(every)}")
        big = max(ratios)
        if big >= 100_000:
            print(
                f"at {big:,} ops backcalc is {ratios[big][key]:.2f}x faster than micrograd (GC on) "
                f"(target >= 2x: {met_text(ratios[big][key] >= 2)})"
            )
        for n_ops, r in ratios.items():
            need = 2.0 if n_ops >= 100_000 else 1.0
            target = "<= 0.5x (2x faster)" if need == 2.0 else "<= 1.0x"
            headline(
                f"text program, {n_ops:,} ops: grad() vs micrograd GC on",
                f"{r['_bc'] / n_ops * 1e6:.2f} us/op",
                f"{r['_' + key] / n_ops * 1e6:.2f} us/op",
                1 / r[key],
                target,
                r[key] >= need,
            )
        if "PyTorch" in peers:
            headline(
                f"text program, {big:,} ops: grad() vs PyTorch 0-d",
                f"{ratios[big]['_bc'] / big * 1e6:.2f} us/op",
                f"{ratios[big]['_PyTorch'] / big * 1e6:.2f} us/op",
                1 / ratios[big]["PyTorch"],
                "-",
                None,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
