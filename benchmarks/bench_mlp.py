"""Benchmark (not a test): forward + backward of a 784-256-10 relu MLP with softmax
cross-entropy on a batch of 64 (float64), written as one backcalc expression over
matrix inputs, against PyTorch on the CPU with the same number of threads.

    python benchmarks/bench_mlp.py [--repeats 300] [--threads N]

PyTorch is an optional cross-check, never a dependency of backcalc:
``pip install torch``.  Both sides compute the gradient of every input (backcalc
always reports all of them), so the PyTorch tensors all have requires_grad=True.
Timings are medians over repeats run in blocks, the sides taking turns block by block.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from common import numpy_threads

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
    ap.add_argument("--repeats", type=int, default=300)
    ap.add_argument("--blocks", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=10, help="untimed runs at the start of each block")
    ap.add_argument(
        "--threads", type=int, default=None, help="threads for both sides (default: what numpy's BLAS uses)"
    )
    args = ap.parse_args()

    if args.threads is not None:  # must happen before numpy loads its BLAS
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    import numpy as np

    from backcalc import grad
    from backcalc.graph import backward, build, forward
    from backcalc.parse import parse

    threads = args.threads or numpy_threads() or os.cpu_count() or 1
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(threads)

    data = make_data()
    graph = build(parse(EXPRESSION), set(data))  # parsed once

    def bc_step() -> float:
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

    def timed(fn) -> float:
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    runners = {"backcalc forward+backward": bc_step, "backcalc end-to-end (api.grad)": bc_end_to_end}
    if torch is not None:
        runners["pytorch forward+backward"] = torch_step
    # Blocks of repeats, the sides taking turns block by block: a load spike from another
    # process hits every side alike, and one side's BLAS threads (spinning after a call) do
    # not slow the other's, as they would if the sides alternated call by call.
    times: dict[str, list[float]] = {k: [] for k in runners}
    per_block = max(1, args.repeats // args.blocks)
    for _ in range(args.blocks):
        for name, fn in runners.items():
            for _ in range(args.warmup):
                fn()
            times[name].extend(timed(fn) for _ in range(per_block))
    med = {k: statistics.median(v) for k, v in times.items()}
    best = {k: min(v) for k, v in times.items()}

    print(
        f"784-{N_HIDDEN}-{N_OUT} relu MLP, softmax cross-entropy, batch {BATCH}, float64; "
        f"medians of {per_block * args.blocks} repeats in {args.blocks} blocks per side"
    )
    print(
        f"threads: numpy BLAS {numpy_threads() or 'unknown'}, "
        f"torch {torch.get_num_threads() if torch is not None else '-'}; "
        f"numpy {np.__version__}" + (f", torch {torch.__version__}" if torch is not None else "")
    )
    print(f"  {'':34s} {'median':>8s}    {'min':>8s}")
    for name, m in med.items():
        print(f"  {name:34s} {m * 1e3:8.3f} ms {best[name] * 1e3:8.3f} ms")
    if torch is not None:
        base = med["pytorch forward+backward"]
        ratio = med["backcalc forward+backward"] / base
        e2e = med["backcalc end-to-end (api.grad)"] / base
        ratio_min = best["backcalc forward+backward"] / best["pytorch forward+backward"]
        print(
            f"ratio backcalc / pytorch (medians): {ratio:.2f}x forward+backward (target <= 1.25x), "
            f"{e2e:.2f}x end-to-end; of the minimums: {ratio_min:.2f}x"
        )
    else:
        print("pytorch not installed: no ratio (pip install torch)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
