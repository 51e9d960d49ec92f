"""Every op in the table: its VJP against central finite differences on its own domain."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backcalc import ops as O

OP_NAMES = sorted(O.OPS)
# Array ops (matmul, sum, softmax ...) sample arrays of random shapes: tests/test_tensor_ops.py
SCALAR_OP_NAMES = [n for n in OP_NAMES if not O.OPS[n].array_op]


@pytest.mark.parametrize("name", SCALAR_OP_NAMES)
def test_op_vjp_matches_central_differences(name):
    op = O.OPS[name]
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    for _ in range(20):
        xs = op.sample(rng)
        assert op.domain is None or op.domain(*xs) is None, (name, xs)
        out = op.apply(*xs)
        g = 1.0 + rng.uniform(-0.5, 0.5)
        down = op.pullback(g, out, *xs)
        assert len(down) == len(xs)
        for k in range(len(xs)):
            h = 1e-6 * max(1.0, abs(xs[k]))
            plus = list(xs)
            minus = list(xs)
            plus[k] += h
            minus[k] -= h
            fd = g * (op.apply(*plus) - op.apply(*minus)) / (2 * h)
            assert math.isclose(down[k], fd, rel_tol=1e-6, abs_tol=1e-7), (name, k, xs, down[k], fd)


@pytest.mark.parametrize("name", OP_NAMES)
def test_op_entry_is_complete(name):
    op = O.OPS[name]
    assert op.role in O.ROLES
    assert op.doc and op.plain and op.latex
    lo, hi = op.arity
    n = lo
    assert op.plain.format(*["a"] * n, args="a, b")
    assert callable(op.forward) and callable(op.vjp)


@pytest.mark.parametrize("name", OP_NAMES)
def test_every_op_has_rules_in_the_exact_and_symbolic_domains(name):
    from backcalc.domains import ExactNS

    op = O.OPS[name]
    if op.numeric_only:  # the cs231n layers: their missing rule is one clear error (test_layers.py)
        pytest.skip("numeric rules only")
    xs = op.sample(np.random.default_rng(3))
    xp = ExactNS()
    from backcalc.exact import exact_number

    ex = tuple(exact_number(float(np.round(v, 3)) if np.ndim(v) == 0 else np.round(v, 3)) for v in xs)
    out = op.forward(xp, *ex)
    down = op.vjp(xp, xp.one if np.ndim(out) == 0 else out * 0 + 1, out, ex, None)
    assert len(down) == len(xs)


@pytest.mark.parametrize("name", SCALAR_OP_NAMES)
def test_op_works_on_arrays_like_on_scalars(name):
    op = O.OPS[name]
    rng = np.random.default_rng(7)
    cols = [op.sample(rng) for _ in range(5)]
    arrays = tuple(np.array(c) for c in zip(*cols))
    out = op.apply(*arrays)
    for i, xs in enumerate(cols):
        assert out[i] == pytest.approx(op.apply(*xs), rel=1e-12, abs=1e-300)


def test_relu_and_abs_have_zero_gradient_at_the_kink():
    assert O.OPS["relu"].pullback(5.0, 0.0, 0.0) == (0.0,)
    assert O.OPS["abs"].pullback(5.0, 0.0, 0.0) == (0.0,)
    assert O.OPS["relu"].kink(0.0, 0.0) == "kink"


@pytest.mark.parametrize(
    "rule, expected", [("split", (2.0, 2.0, 0.0)), ("all", (4.0, 4.0, 0.0)), ("first", (4.0, 0.0, 0.0))]
)
def test_max_tie_rules(rule, expected):
    op = O.OPS["max"]
    assert op.pullback(4.0, 3.0, 3.0, 3.0, 1.0, ties=rule) == expected
    assert op.kink(3.0, 3.0, 3.0, 1.0) == "tie"


def test_max_router_sends_everything_to_the_winner():
    assert O.OPS["max"].pullback(2.0, 5.0, 5.0, -1.0, ties="split") == (2.0, 0.0)
    assert O.OPS["min"].pullback(2.0, -1.0, 5.0, -1.0, ties="split") == (0.0, 2.0)


def test_domain_checks_name_the_problem():
    assert "positive" in O.OPS["log"].domain(-1.0)
    assert "positive" in O.OPS["log"].domain(0.0)
    assert "division by zero" in O.OPS["div"].domain(1.0, 0.0)
    assert "non-negative" in O.OPS["sqrt"].domain(-4.0)
    assert "negative base" in O.OPS["pow"].domain(-8.0, 1 / 3)
    assert "negative power" in O.OPS["pow"].domain(0.0, -1.0)
    assert O.OPS["pow"].domain(-2.0, 3.0) is None
