"""Differential test against PyTorch's float64 autograd (optional: skipped without torch).

A few hundred random scalar expressions and matrix programs, each evaluated by backcalc
and by PyTorch from backcalc's own parsed graph, compared at relative tolerance 1e-9.
Install the CPU build to run it: pip install torch==2.13.0 (or any CPU build from
PyTorch's site).
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import backcalc
from backcalc import ops as O
from backcalc.engine import CONST, INPUT, compile_text

from conftest import kink_free

torch = pytest.importorskip("torch", reason="PyTorch is an optional cross-check: pip install torch==2.13.0")
F = torch.nn.functional

RTOL = 1e-9


def _axis(rest: list) -> int | None:
    return int(rest[0]) if rest else None


def _t(x):
    return x if isinstance(x, torch.Tensor) else torch.tensor(float(x), dtype=torch.float64)


# How each op of the table is computed in PyTorch.  Ops not listed use torch.<name>;
# test_every_op_has_a_torch_counterpart fails when a new op has neither.
TORCH = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: _t(a) ** b,
    "neg": lambda a: -a,
    "pos": lambda a: a,
    "max": lambda *xs: _fold(torch.maximum, xs),
    "min": lambda *xs: _fold(torch.minimum, xs),
    "softplus": lambda a: F.softplus(_t(a)),
    "sum": lambda x, *r: x.sum() if not r else x.sum(dim=_axis(r), keepdim=len(r) > 1 and bool(r[1])),
    "mean": lambda x, *r: x.mean() if not r else x.mean(dim=_axis(r), keepdim=len(r) > 1 and bool(r[1])),
    "leaky_relu": lambda x, a=0.01: torch.where(_t(x) > 0, _t(x), a * _t(x)),
    "elu": lambda x, a=1.0: torch.where(_t(x) > 0, _t(x), a * (torch.exp(torch.clamp(_t(x), max=0)) - 1)),
    "reshape": lambda x, *d: x.reshape(*[int(v) for v in d]),
    "norm": lambda x, *r: torch.linalg.vector_norm(x, dim=_axis(r)),
    "transpose": lambda x: x.permute(*reversed(range(x.dim()))),
    "softmax": lambda x, *r: torch.softmax(x, dim=_axis(r) if r else -1),
    "logsumexp": lambda x, *r: torch.logsumexp(x.reshape(-1), 0) if not r else torch.logsumexp(x, _axis(r)),
}


def _fold(fn, xs):
    out = _t(xs[0])
    for x in xs[1:]:
        out = fn(out, _t(x))
    return out


def _torch_fn(name: str):
    if name in TORCH:
        return TORCH[name]
    return lambda *a: getattr(torch, name)(*[_t(x) for x in a])


def test_every_op_has_a_torch_counterpart():
    # the cs231n layer gates (numeric_only) are checked against numpy references in test_layers.py
    missing = [n for n in O.OPS if n not in TORCH and not hasattr(torch, n) and not O.OPS[n].numeric_only]
    assert missing == []


def torch_run(expr: str, values: dict) -> tuple[float, dict]:
    g = compile_text(expr, set(values))
    leaves = {
        name: torch.tensor(np.asarray(values[name], dtype=float), dtype=torch.float64, requires_grad=True)
        for name in g.inputs
    }
    vals: list = [None] * len(g.kinds)
    for i, kind in enumerate(g.kinds):
        if kind == INPUT:
            vals[i] = leaves[g.names[i]]
        elif kind == CONST:
            vals[i] = g.consts[i]
        else:
            op = g.ops[i]
            vals[i] = _torch_fn(op.name)(*[vals[j] for j in g.args[i]])
    out = _t(vals[g.output])
    if out.requires_grad:
        out.backward()
    grads = {n: (t.grad.numpy() if t.grad is not None else np.zeros(t.shape)) for n, t in leaves.items()}
    return float(out.detach()), grads


def _close(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=RTOL * scale))


# --- random scalar expressions ---------------------------------------------------

SAFE = {
    "log": "log(({0}) ** 2 + 0.5)",
    "sqrt": "sqrt(({0}) ** 2 + 0.5)",
    "exp": "exp(tanh({0}))",
    "tan": "tan(tanh({0}))",
    "div": "({0}) / (({1}) ** 2 + 1)",
    "pow": "(({0}) ** 2 + 0.5) ** ({1} / 4)",
}


def random_scalar_expr(rng: random.Random, n_ops: int) -> str:
    names = ["x", "y", "z", "w"]
    pool = [rng.choice(names) for _ in range(3)] + [str(rng.choice([2, 0.5, 3.25]))]
    scalar_ops = [n for n, op in O.OPS.items() if not op.array_op]
    for _ in range(n_ops):
        name = rng.choice(scalar_ops)
        op = O.OPS[name]
        lo, hi = op.arity
        k = lo if hi == lo else rng.randint(lo, 3 if hi is None else min(3, hi))
        args = [rng.choice(pool) for _ in range(k)]
        if name in SAFE:
            pool.append(SAFE[name].format(*args))
        else:
            pool.append(op.plain.format(*[f"({a})" for a in args], args=", ".join(args)))
    return pool[-1]


SCALAR_CASES = 250


@pytest.mark.parametrize("seed", range(SCALAR_CASES))
def test_random_scalar_expression_matches_pytorch(seed):
    rng = random.Random(seed)
    expr = random_scalar_expr(rng, rng.randint(2, 14))
    for _ in range(TRIES):  # fresh values until none sits on a kink or overflows
        values = {n: rng.uniform(-2, 2) for n in "xyzw"}
        r = backcalc.grad(expr, values)
        if np.isfinite(r.value) and kink_free(r, 1e-6):
            break
    else:
        pytest.skip("no kink-free finite point found (the two tools may legitimately differ there)")
    _compare(expr, {k: v for k, v in values.items() if k in r.gradients}, r)


def _compare(expr: str, values: dict, r: backcalc.Result) -> None:
    t_value, t_grads = torch_run(expr, values)
    assert _close(r.value, t_value), (expr, r.value, t_value)
    for name, g in r.gradients.items():
        assert _close(g, t_grads[name]), (expr, name, g, t_grads[name])


TRIES = 20


# --- random matrix programs --------------------------------------------------------

ELEMENTWISE = [
    "tanh({0})",
    "sigmoid({0})",
    "relu({0})",
    "exp(tanh({0}))",
    "log(({0}) ** 2 + 1)",
    "softplus({0})",
    "abs({0})",
    "sqrt(({0}) ** 2 + 1)",
    "sin({0})",
    "-({0})",
]
BINARY = [
    "({0}) + ({1})",
    "({0}) - ({1})",
    "({0}) * ({1})",
    "({0}) / (({1}) ** 2 + 1)",
    "maximum({0}, {1})",
    "minimum({0}, {1})",
    "({0}) @ S",
    "softmax({0}, 1)",
    "softmax({0}, 0)",
    "transpose(transpose({0}))",
    "({0}) + b",
    "max({0}, {1}, C)",
]
REDUCE = [
    "sum({0})",
    "mean({0})",
    "norm({0})",
    "sum(logsumexp({0}, 1))",
    "sum(logsumexp({0}, 0))",
    "dot(sum({0}, 0), v)",
    "sum(({0}) @ v)",
    "logsumexp({0})",
    "mean(sum({0}, 1) ** 2)",
    "sum(mean({0}, 0) * v)",
]

MATRIX_CASES = 150


def random_matrix_program(rng: random.Random) -> tuple[str, dict]:
    m, n = rng.randint(1, 4), rng.randint(1, 4)
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    values = {
        "A": nrng.uniform(-2, 2, (m, n)),
        "B": nrng.uniform(-2, 2, (m, n)),
        "C": nrng.uniform(-2, 2, (m, n)),
        "S": nrng.uniform(-1, 1, (n, n)),
        "b": nrng.uniform(-1, 1, (n,)),
        "v": nrng.uniform(-1, 1, (n,)),
    }
    pool = ["A", "B", "C"]
    for _ in range(rng.randint(1, 6)):
        if rng.random() < 0.5:
            pool.append(rng.choice(ELEMENTWISE).format(rng.choice(pool)))
        else:
            pool.append(rng.choice(BINARY).format(rng.choice(pool), rng.choice(pool)))
    expr = rng.choice(REDUCE).format(pool[-1])
    used = {k: v for k, v in values.items() if k in compile_text(expr, set(values)).inputs}
    return expr, used


@pytest.mark.parametrize("seed", range(MATRIX_CASES))
def test_random_matrix_program_matches_pytorch(seed):
    rng = random.Random(10_000 + seed)
    for _ in range(TRIES):  # a fresh program and values until none sits on a kink or overflows
        expr, values = random_matrix_program(rng)
        r = backcalc.grad(expr, values)
        if np.isfinite(r.value) and kink_free(r, 1e-6):
            break
    else:
        pytest.skip("no kink-free finite program found (the two tools may legitimately differ there)")
    _compare(expr, values, r)


def test_mlp_with_softmax_cross_entropy_matches_pytorch():
    rng = np.random.default_rng(0)
    values = {
        "X": rng.normal(size=(8, 5)),
        "W1": rng.normal(size=(5, 7)) * 0.3,
        "b1": rng.normal(size=7) * 0.1,
        "W2": rng.normal(size=(7, 3)) * 0.3,
        "b2": rng.normal(size=3) * 0.1,
        "Y": np.eye(3)[rng.integers(0, 3, 8)],
    }
    expr = "h = relu(X @ W1 + b1); z = h @ W2 + b2; loss = mean(logsumexp(z, 1) - sum(Y * z, 1))"
    r = backcalc.grad(expr, values)
    t_value, t_grads = torch_run(expr, values)
    assert _close(r.value, t_value)
    for name in values:
        assert _close(r.gradients[name], t_grads[name]), name
