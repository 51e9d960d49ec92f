"""Every op's VJP against central finite differences, parametrized over the op table.

Scalar ops (samplers giving floats) are also lifted to arrays with numpy broadcasting:
each element is one draw from the op's own sampler, and the inputs get shapes that
broadcast together, so the gradient must be summed back down to each input's shape.
Array ops (samplers giving arrays of random shapes) are checked on several draws."""

from __future__ import annotations

import numpy as np
import pytest
from tensor_helpers import numeric_grad

from backcalc import ops as O

OP_NAMES = sorted(O.OPS)
SEEDS = range(4)


def _is_scalar_op(op: O.Op) -> bool:
    return not op.array_op


def _vjp(op: O.Op, g, out, xs):
    return op.pullback(g, out, *xs)


def _check_vjp(op: O.Op, xs: tuple, rng) -> None:
    out = op.apply(*xs)
    g = rng.normal(size=np.shape(out))
    g = float(g) if np.ndim(g) == 0 else g
    downs = _vjp(op, g, out, xs)
    assert len(downs) == len(xs)
    for k, x in enumerate(xs):
        if k in op.const_args:
            continue
        assert np.shape(downs[k]) == np.shape(x), f"{op.name}: gradient {k} has the wrong shape"

        def f(v, k=k):
            args = list(xs)
            args[k] = float(v) if np.ndim(v) == 0 else v
            return float(np.sum(g * op.apply(*args)))

        want = numeric_grad(f, np.asarray(x, dtype=float))
        np.testing.assert_allclose(
            downs[k], want, rtol=1e-5, atol=1e-6, err_msg=f"{op.name} input {k} at {xs}"
        )


@pytest.mark.parametrize("name", OP_NAMES)
@pytest.mark.parametrize("seed", SEEDS)
def test_vjp_matches_finite_differences_on_the_ops_own_samples(name, seed):
    op = O.OPS[name]
    rng = np.random.default_rng(seed)
    _check_vjp(op, op.sample(rng), rng)


BROADCAST_SHAPES = {1: [(3, 4)], 2: [(3, 1), (4,)], 3: [(3, 1), (4,), (3, 4)]}


@pytest.mark.parametrize("name", [n for n in OP_NAMES if _is_scalar_op(O.OPS[n])])
def test_scalar_op_works_elementwise_on_arrays_with_broadcasting(name):
    op = O.OPS[name]
    rng = np.random.default_rng(11)
    n = len(op.sample(rng))
    shapes = BROADCAST_SHAPES[n]
    draws = [op.sample(rng) for _ in range(12)]
    full = [np.array([d[k] for d in draws]).reshape(3, 4) for k in range(n)]
    xs = []
    for arr, shape in zip(full, shapes):
        if shape == (3, 1):
            xs.append(arr[:, :1].copy())
        elif shape == (4,):
            xs.append(arr[0].copy())
        else:
            xs.append(arr)
    out = op.apply(*xs)
    assert np.shape(out) == (3, 4)
    # elementwise: each output element is the scalar op at those elements
    bx = np.broadcast_arrays(*xs)
    for i in range(3):
        for j in range(4):
            assert out[i, j] == pytest.approx(op.apply(*(float(b[i, j]) for b in bx)))
    _check_vjp(op, tuple(xs), rng)


@pytest.mark.parametrize("name", OP_NAMES)
def test_every_op_has_a_vjp_rule_text_for_each_input(name):
    op = O.OPS[name]
    n = len(op.sample(np.random.default_rng(0)))
    rules = O.vjp_rules(op, [f"a{k}" for k in range(n)])
    assert len(rules) == n and all(rules)


@pytest.mark.parametrize("name", [n for n in OP_NAMES if not _is_scalar_op(O.OPS[n])])
def test_array_op_samples_come_in_random_shapes(name):
    op = O.OPS[name]
    shapes = {tuple(np.shape(x) for x in op.sample(np.random.default_rng(s))) for s in range(12)}
    assert len(shapes) > 1


@pytest.mark.parametrize("name", OP_NAMES)
def test_array_op_flag_matches_what_the_sampler_gives(name):
    op = O.OPS[name]
    xs = op.sample(np.random.default_rng(1))
    gives_arrays = any(type(v) is not float for v in xs)
    assert op.array_op == gives_arrays


@pytest.mark.parametrize("name", [n for n in OP_NAMES if O.OPS[n].array_op and not O.OPS[n].numeric_only])
def test_array_op_has_a_sympy_counterpart_for_scalars_or_vectors(name):
    sp = pytest.importorskip("sympy")
    from backcalc.domains import SymbolicNS

    op = O.OPS[name]
    a, b = sp.symbols("a b")
    vals = {a: sp.Rational(3, 10), b: sp.Rational(-12, 10)}
    v = np.array([a, b], dtype=object)
    xp = SymbolicNS(vals)
    second = 2.0 if 1 in op.const_args else v  # reshape(v, 2): a size is a number
    got = op.forward(xp, v, second) if op.arity[0] == 2 else op.forward(xp, v)
    if isinstance(got, np.ndarray):
        got = sp.Matrix(got.tolist())
    x = np.array([0.3, -1.2])
    xs = (x, second if 1 in op.const_args else x) if op.arity[0] == 2 else (x,)
    want = op.apply(*xs)
    if hasattr(got, "subs") and not isinstance(got, sp.MatrixBase):
        assert float(got.subs(vals)) == pytest.approx(float(want))
    else:
        np.testing.assert_allclose(np.array(got.subs(vals), dtype=float).ravel(), np.ravel(want))
