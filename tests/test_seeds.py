"""The worked examples of the source notes, number for number."""

from __future__ import annotations

import pytest

import backcalc

from conftest import SEEDS, central_diff, close


@pytest.mark.parametrize("expr, values, value, grads, tol", SEEDS)
def test_seed_example_matches_the_lecture(expr, values, value, grads, tol):
    r = backcalc.grad(expr, values)
    assert close(r.value, value, tol)
    assert set(r.gradients) == set(grads)
    for name, g in grads.items():
        assert close(r.gradients[name], g, tol), (name, r.gradients[name], g)


@pytest.mark.parametrize("expr, values, value, grads, tol", SEEDS)
def test_seed_gradients_agree_with_central_differences(expr, values, value, grads, tol):
    r = backcalc.grad(expr, values)

    def f(v):
        return backcalc.grad(expr, v).value

    for name in values:
        fd = central_diff(f, {k: float(v) for k, v in values.items()}, name)
        assert close(r.gradients[name], fd, 1e-7), (name, r.gradients[name], fd)


def test_add_mul_example_full_precision():
    r = backcalc.grad("(x+y)*z", x=-2, y=5, z=-4)
    assert r.value == -12.0
    assert r.gradients == {"x": -4.0, "y": -4.0, "z": 3.0}
    q = r.node("n1")
    assert (q.op, q.role, q.value, q.grad) == ("add", "distributor", 3.0, -4.0)
    assert q.local == [1.0, 1.0] and q.downstream == [-4.0, -4.0]
    f = r.node("f")
    assert (f.op, f.role, f.grad) == ("mul", "switcher", 1.0)
    assert f.local == [-4.0, 3.0]  # d f/d q = z, d f/d z = q


def test_sigmoid_neuron_exact_values():
    sig = 1 / (1 + 2.718281828459045**-1.0)
    r = backcalc.grad("1/(1+exp(-(w0*x0+w1*x1+w2)))", w0=2, x0=-1, w1=-3, x1=-2, w2=-3)
    assert r.value == pytest.approx(sig, rel=1e-15)
    dsig = sig * (1 - sig)
    assert r.gradients["w0"] == pytest.approx(-1 * dsig, rel=1e-14)
    assert r.gradients["x0"] == pytest.approx(2 * dsig, rel=1e-14)
    assert r.gradients["w1"] == pytest.approx(-2 * dsig, rel=1e-14)
    assert r.gradients["x1"] == pytest.approx(-3 * dsig, rel=1e-14)
    assert r.gradients["w2"] == pytest.approx(dsig, rel=1e-14)


def test_staged_sigmoid_neuron_shows_the_lecture_gates():
    r = backcalc.grad("1/(1+exp(-(w0*x0+w1*x1+w2)))", w0=2, x0=-1, w1=-3, x1=-2, w2=-3)
    gates = [(n.op, round(n.value, 2), round(n.grad, 2)) for n in r.nodes if n.op not in ("input", "const")]
    # The slide: w0*x0=-2, w1*x1=6, sum 4, +w2 = 1, *-1 = -1, exp = 0.37, +1 = 1.37, 1/x = 0.73
    assert gates == [
        ("mul", -2.0, 0.2),
        ("mul", 6.0, 0.2),
        ("add", 4.0, 0.2),
        ("add", 1.0, 0.2),
        ("neg", -1.0, -0.2),
        ("exp", 0.37, -0.53),
        ("add", 1.37, -0.53),
        ("div", 0.73, 1.0),
    ]


def test_compound_sigmoid_gate_has_local_gradient_sigma_one_minus_sigma():
    r = backcalc.grad("sigmoid(w0*x0+w1*x1+w2)", w0=2, x0=-1, w1=-3, x1=-2, w2=-3)
    s = r.node("f")
    assert s.op == "sigmoid"
    assert s.local[0] == pytest.approx(s.value * (1 - s.value), rel=1e-15)
    assert round(s.local[0], 2) == 0.20


def test_three_roles_example():
    r = backcalc.grad("2*(x*y + max(z, w))", x=3, y=-4, z=2, w=-1)
    by_formula = {n.formula: n.role for n in r.nodes if n.role}
    assert by_formula["x * y"] == "switcher"
    assert by_formula["max(z, w)"] == "router"
    assert by_formula["n1 + n2"] == "distributor"
    assert by_formula["2 * n3"] == "scaler"
    assert r.gradients == {"x": -8.0, "y": 6.0, "z": 2.0, "w": 0.0}


def test_fan_out_upstream_is_the_sum_of_the_parts():
    r = backcalc.grad("x*x + x", x=3)
    x = r.node("x")
    assert x.grad == 7.0
    assert [v for _, v in x.grad_parts] == [3.0, 3.0, 1.0]
    assert [c for c, _ in x.grad_parts] == ["n1", "n1", "f"]
