"""Benchmark (not a test): one epoch of mini-batch training (batch 64, plain gradient descent)
of a 784-256-10 relu network with softmax cross-entropy on 10,000 random rows, through
``backcalc.network.train`` (the graph built once, forward/backward per mini-batch, the
update w <- w - lr * dL/dw), against the same loop in PyTorch on the CPU with the same
number of threads.  Both sides use float64, the same data, the same initial weights and
the same shuffled order; PyTorch's inputs do not require gradients (backcalc's engine
computes every input's gradient, the inputs' too: that is part of what is measured).

    python benchmarks/bench_train.py [--epochs 7] [--threads N]

PyTorch is an optional cross-check, never a dependency of backcalc (``pip install torch``).
Each side trains ``--epochs`` separate one-epoch runs from the same start, the sides taking
turns run by run; the figures are medians (minimum in brackets), and the ratio is
backcalc / PyTorch.  The first run of each side is a warm-up and is not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

from common import numpy_threads

ROWS, N_IN, N_HIDDEN, N_OUT, BATCH, LR = 10_000, 784, 256, 10, 64, 0.01


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--epochs", type=int, default=7, help="timed one-epoch runs per side (after a warm-up)")
    ap.add_argument(
        "--threads", type=int, default=None, help="threads for both sides (default: numpy's BLAS)"
    )
    args = ap.parse_args()
    if args.threads is not None:  # before numpy loads its BLAS
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    import numpy as np

    from backcalc.network import train
    from backcalc.network.spec import Layer, Network

    threads = args.threads or numpy_threads() or os.cpu_count() or 1
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed (pip install torch==2.13.0); timing backcalc only", file=sys.stderr)
        torch = None
    if torch is not None:
        torch.set_num_threads(threads)

    rng = np.random.default_rng(0)
    X = rng.standard_normal((ROWS, N_IN))
    labels = rng.integers(0, N_OUT, size=ROWS)
    Y = np.eye(N_OUT)[labels]
    W1 = rng.standard_normal((N_HIDDEN, N_IN)) * (2.0 / N_IN) ** 0.5
    W2 = rng.standard_normal((N_OUT, N_HIDDEN)) * (2.0 / N_HIDDEN) ** 0.5
    b1, b2 = np.zeros(N_HIDDEN), np.zeros(N_OUT)
    net = Network(
        loss="softmax_ce",
        layers=[Layer("relu", W=W1, b=b1), Layer("identity", W=W2, b=b2)],
        source="bench",
    )
    order = np.random.default_rng(1).permutation(ROWS)

    def run_backcalc() -> tuple[float, Any]:
        t = time.perf_counter()
        tr = train(net, X, Y, epochs=1, batch=BATCH, lr=LR, seed=1, shuffle=True)
        return time.perf_counter() - t, tr

    def run_torch() -> tuple[float, Any]:
        assert torch is not None
        t = time.perf_counter()
        Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
        p = [torch.tensor(a, requires_grad=True) for a in (W1, b1, W2, b2)]
        idx_all = torch.from_numpy(order)
        for start in range(0, ROWS, BATCH):
            idx = idx_all[start : start + BATCH]
            xb, yb = Xt[idx], Yt[idx]
            h = torch.relu(xb @ p[0].T + p[1])
            z = h @ p[2].T + p[3]
            loss = (torch.logsumexp(z, 1) - (yb * z).sum(1)).mean()
            loss.backward()
            with torch.no_grad():
                for q in p:
                    assert q.grad is not None
                    q -= LR * q.grad
                    q.grad = None
        return time.perf_counter() - t, [q.detach().numpy() for q in p]

    # the same result first: same order (train's shuffle with seed 1 is default_rng(1).permutation)
    _, tr = run_backcalc()
    if torch is not None:
        _, tp = run_torch()
        got = [tr.net.layers[0].W, tr.net.layers[0].b, tr.net.layers[1].W, tr.net.layers[1].b]
        worst = max(float(np.max(np.abs(a - b))) for a, b in zip(got, tp))
        print(f"trained weights agree with PyTorch's to {worst:.1e}")
        assert worst < 1e-9, worst
    times_b: list[float] = []
    times_t: list[float] = []
    for _ in range(args.epochs):
        times_b.append(run_backcalc()[0])
        if torch is not None:
            times_t.append(run_torch()[0])
    mb, nb = statistics.median(times_b), min(times_b)
    print(
        f"threads {threads}; one epoch = {-(-ROWS // BATCH)} steps of batch {BATCH}, 784-256-10 relu + softmax CE, float64"
    )
    print(f"backcalc train  median {mb * 1e3:8.1f} ms  (min {nb * 1e3:.1f})")
    if torch is not None:
        mt, nt = statistics.median(times_t), min(times_t)
        print(f"PyTorch loop    median {mt * 1e3:8.1f} ms  (min {nt * 1e3:.1f})")
        print(f"ratio backcalc / PyTorch: {mb / mt:.2f}x (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
