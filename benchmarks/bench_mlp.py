"""Benchmark (not a test): forward + backward of a 784-256-10 relu MLP with softmax
cross-entropy on a batch of 64 (float64), written as one backcalc expression over
matrix inputs, against PyTorch on the CPU with the same number of threads (1, then 2).

    python benchmarks/bench_mlp.py [--repeats 300] [--threads 1 2]

PyTorch is an optional cross-check, never a dependency of backcalc: ``pip install torch``.
Both sides compute the gradient of every input (backcalc always reports all of them), so
the PyTorch tensors all have requires_grad=True.  The headline is end to end: ``backcalc.grad``
from the text each step (parse, build, forward, backward, Result) against PyTorch's
forward + backward; the second line is backcalc's engine alone (forward + backward over a
graph built once).  The thread counts are set with threadpoolctl (numpy's BLAS) and
``torch.set_num_threads``.  Timings are medians over repeats run in blocks, the sides
taking turns block by block.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from common import headline

EXPRESSION = """
h = relu(X @ W1 + b1)
z = h @ W2 + b2
loss = mean(logsumexp(z, 1) - sum(Y * z, 1))
"""
BATCH, N_IN, N_HIDDEN, N_OUT = 64, 784, 256, 10


def make_data(seed: int = 0) -> dict:
    import numpy as np

    rng = np.random.default_rng(seed)
    labels = rng.integers(0, N_OUT, size=BATCH)
    return {
        "X": rng.standard_normal((BATCH, N_IN)),
        "W1": rng.standard_normal((N_IN, N_HIDDEN)) * (2.0 / N_IN) ** 0.5,
        "b1": np.zeros(N_HIDDEN) + 0.01,
        "W2": rng.standard_normal((N_HIDDEN, N_OUT)) * (2.0 / N_HIDDEN) ** 0.5,
        "b2": np.zeros(N_OUT),
        "Y": np.eye(N_OUT)[labels],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=300, help="timed runs per side and thread count")
    ap.add_argument("--blocks", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=10, help="untimed runs at the start of each block")
    ap.add_argument(
        "--threads", type=int, nargs="+", default=[1, 2], help="thread counts to run (both sides)"
    )
    args = ap.parse_args()
    import numpy as np

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        print("needs threadpoolctl to set numpy's BLAS threads: pip install threadpoolctl", file=sys.stderr)
        return 2

    from backcalc import grad
    from backcalc.engine import backward, build, forward
    from backcalc.parse import parse

    try:
        import torch
    except ImportError:
        torch = None

    data = make_data()
    graph = build(parse(EXPRESSION), set(data))  # parsed once

    def bc_step() -> tuple[float, object]:
        fwd = forward(graph, data)
        bwd = backward(graph, fwd)
        return fwd.values[graph.output], bwd

    def bc_end_to_end() -> object:
        return grad(EXPRESSION, data)

    if torch is not None:
        tensors = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in data.items()}
        X, W1, b1, W2, b2, Y = (tensors[k] for k in ("X", "W1", "b1", "W2", "b2", "Y"))

        def torch_step() -> float:
            for t in tensors.values():
                t.grad = None
            h = torch.relu(X @ W1 + b1)
            z = h @ W2 + b2
            loss = (torch.logsumexp(z, 1) - (Y * z).sum(1)).mean()
            loss.backward()
            return loss

        # Same numbers on both sides?
        loss_bc, bwd = bc_step()
        loss_t = torch_step()
        diffs = {
            k: float(np.max(np.abs(bwd.upstream[graph.inputs[k]] - tensors[k].grad.numpy()))) for k in data
        }
        assert abs(loss_bc - loss_t.item()) < 1e-9, (loss_bc, loss_t.item())
        assert max(diffs.values()) < 1e-9, diffs
        r = grad(EXPRESSION, data)
        assert max(float(np.max(np.abs(r.gradients[k] - tensors[k].grad.numpy()))) for k in data) < 1e-9

    def timed(fn) -> float:
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    E2E, ENGINE, TORCH = "backcalc end to end (grad)", "backcalc engine (fwd+bwd)", "pytorch forward+backward"
    runners = {E2E: bc_end_to_end, ENGINE: bc_step}
    if torch is not None:
        runners[TORCH] = torch_step
    per_block = max(1, args.repeats // args.blocks)
    print(
        f"784-{N_HIDDEN}-{N_OUT} relu MLP, softmax cross-entropy, batch {BATCH}, float64; "
        f"medians of {per_block * args.blocks} repeats in {args.blocks} blocks per side; "
        f"numpy {np.__version__}" + (f", torch {torch.__version__}" if torch is not None else "")
    )
    ratios: dict[int, tuple[float, float]] = {}
    for threads in args.threads:
        # Blocks of repeats, the sides taking turns block by block: a load spike from another
        # process hits every side alike, and one side's BLAS threads (spinning after a call) do
        # not slow the other's, as they would if the sides alternated call by call.
        times: dict[str, list[float]] = {k: [] for k in runners}
        with threadpool_limits(limits=threads, user_api="blas"):
            if torch is not None:
                torch.set_num_threads(threads)
            for _ in range(args.blocks):
                for name, fn in runners.items():
                    for _ in range(args.warmup):
                        fn()
                    times[name].extend(timed(fn) for _ in range(per_block))
        med = {k: statistics.median(v) for k, v in times.items()}
        best = {k: min(v) for k, v in times.items()}
        print(f"  {threads} thread{'s' if threads != 1 else ''}:")
        for name, m in med.items():
            print(f"    {name:30s} {m * 1e3:8.3f} ms (min {best[name] * 1e3:.3f})")
        if torch is not None:
            ratios[threads] = (med[E2E] / med[TORCH], med[ENGINE] / med[TORCH])
            e2e, eng = ratios[threads]
            th = f"{threads} thread{'s' if threads != 1 else ''}"
            headline(
                f"784-256-10 MLP step, grad() from text vs PyTorch, {th}",
                f"{med[E2E] * 1e3:.2f} ms",
                f"{med[TORCH] * 1e3:.2f} ms",
                e2e,
                "<= 1.25x",
                e2e <= 1.25,
            )
            headline(
                f"784-256-10 MLP step, engine alone vs PyTorch, {th}",
                f"{med[ENGINE] * 1e3:.2f} ms",
                f"{med[TORCH] * 1e3:.2f} ms",
                eng,
                "<= 1.0x",
                eng <= 1.0,
            )
    if ratios:
        print(
            "ratio backcalc / pytorch, end to end (medians): "
            + ", ".join(f"{e:.2f}x at {t} thread{'s' if t != 1 else ''}" for t, (e, _) in ratios.items())
            + " (target <= 1.25x)"
        )
        print(
            "  engine alone (forward+backward over a built graph): "
            + ", ".join(f"{g:.2f}x at {t} thread{'s' if t != 1 else ''}" for t, (_, g) in ratios.items())
            + " (target <= 1.0x)"
        )
    else:
        print("pytorch not installed: no ratio (pip install torch)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
