"""Benchmark (not a test): one epoch of mini-batch training (batch 64, plain gradient descent)
of a 784-256-10 relu network with softmax cross-entropy on 10,000 random rows, through
``backcalc.network.train`` (the graph built once, forward/backward per mini-batch, the
update w <- w - lr * dL/dw), against the loop a PyTorch user writes: ``nn.Linear`` layers,
``torch.relu``, ``F.cross_entropy`` and ``torch.optim.SGD``, on the CPU with the same number
of threads (1, then 2).  Both sides use float64, the same data, the same initial weights and
the same shuffled order; PyTorch's data does not require a gradient, and backcalc's training
asks only for the parameters' gradients.

    python benchmarks/bench_train.py [--epochs 7] [--threads 1 2]

PyTorch is an optional cross-check, never a dependency of backcalc (``pip install torch``);
the thread counts are set with threadpoolctl (numpy's BLAS) and ``torch.set_num_threads``.
For each thread count the sides take turns epoch by epoch (one warm-up epoch each first);
the figures are medians (minimum in brackets), the ratio backcalc / PyTorch of the medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any

from common import headline

ROWS, N_IN, N_HIDDEN, N_OUT, BATCH, LR = 10_000, 784, 256, 10, 64, 0.01


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--epochs", type=int, default=7, help="timed one-epoch runs per side (after a warm-up)")
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

    from backcalc.network import train
    from backcalc.network.spec import Layer, Network

    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("PyTorch is not installed (pip install torch==2.13.0); timing backcalc only", file=sys.stderr)
        torch = None

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
    order = np.random.default_rng(1).permutation(ROWS)  # what train's shuffle with seed 1 visits

    def run_backcalc() -> tuple[float, Any]:
        t = time.perf_counter()
        tr = train(net, X, Y, epochs=1, batch=BATCH, lr=LR, seed=1, shuffle=True)
        return time.perf_counter() - t, tr

    def run_torch() -> tuple[float, Any]:
        assert torch is not None
        t = time.perf_counter()
        l1 = torch.nn.Linear(N_IN, N_HIDDEN, dtype=torch.float64)
        l2 = torch.nn.Linear(N_HIDDEN, N_OUT, dtype=torch.float64)
        with torch.no_grad():
            for layer, W, b in ((l1, W1, b1), (l2, W2, b2)):
                layer.weight.copy_(torch.from_numpy(W))
                layer.bias.copy_(torch.from_numpy(b))
        params = [*l1.parameters(), *l2.parameters()]
        opt = torch.optim.SGD(params, lr=LR)
        Xt, Lt = torch.from_numpy(X), torch.from_numpy(labels)
        idx_all = torch.from_numpy(order)
        for start in range(0, ROWS, BATCH):
            idx = idx_all[start : start + BATCH]
            loss = F.cross_entropy(l2(torch.relu(l1(Xt[idx]))), Lt[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        return time.perf_counter() - t, [q.detach().numpy() for q in (l1.weight, l1.bias, l2.weight, l2.bias)]

    # the same result first
    _, tr = run_backcalc()
    if torch is not None:
        _, tp = run_torch()
        got = [tr.net.layers[0].W, tr.net.layers[0].b, tr.net.layers[1].W, tr.net.layers[1].b]
        worst = max(float(np.max(np.abs(a - b))) for a, b in zip(got, tp))
        print(f"trained weights agree with PyTorch's to {worst:.1e}")
        assert worst < 1e-9, worst
    print(
        f"one epoch = {-(-ROWS // BATCH)} steps of batch {BATCH}, 784-256-10 relu + softmax CE, float64; "
        f"medians of {args.epochs} epochs per side, taking turns; numpy {np.__version__}"
        + (f", torch {torch.__version__}" if torch is not None else "")
    )
    ratios: dict[int, float] = {}
    for threads in args.threads:
        with threadpool_limits(limits=threads, user_api="blas"):
            if torch is not None:
                torch.set_num_threads(threads)
            run_backcalc()  # warm-up at this thread count
            if torch is not None:
                run_torch()
            times_b: list[float] = []
            times_t: list[float] = []
            for _ in range(args.epochs):
                times_b.append(run_backcalc()[0])
                if torch is not None:
                    times_t.append(run_torch()[0])
        mb, nb = statistics.median(times_b), min(times_b)
        line = f"  {threads} thread{'s' if threads != 1 else ' '}: backcalc train {mb * 1e3:7.1f} ms ({nb * 1e3:.1f})"
        if torch is not None:
            mt, nt = statistics.median(times_t), min(times_t)
            ratios[threads] = mb / mt
            headline(
                f"one training epoch, 784-256-10, 10k rows vs PyTorch, {threads} thread{'s' if threads != 1 else ''}",
                f"{mb * 1e3:.0f} ms",
                f"{mt * 1e3:.0f} ms",
                mb / mt,
                "<= 1.0x",
                mb / mt <= 1.0,
            )
            line += f"   PyTorch loop {mt * 1e3:7.1f} ms ({nt * 1e3:.1f})   ratio {mb / mt:.2f}x"
        print(line)
    if ratios:
        print(
            "ratio backcalc / PyTorch, one epoch (medians): "
            + ", ".join(f"{r:.2f}x at {t} thread{'s' if t != 1 else ''}" for t, r in ratios.items())
            + " (target <= 1.0x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
