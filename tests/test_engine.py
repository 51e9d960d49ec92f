"""The graph engine: chain rule, branch sums, ties and kinks, expansion, purity, domain errors."""

from __future__ import annotations

import math

import pytest

import backcalc
from backcalc import BackcalcError
from backcalc.engine import backward, compile_text, forward


def test_add_gate_distributes_upstream_gradient():
    r = backcalc.grad("(x + y) * 3", x=1, y=2)
    add = r.node("n1")
    assert add.role == "distributor" and add.grad == 3.0 and add.downstream == [3.0, 3.0]


def test_sub_gate_distributes_with_a_sign():
    r = backcalc.grad("(x - y) * 3", x=1, y=2)
    assert r.gradients == {"x": 3.0, "y": -3.0}
    assert r.node("n1").role == "distributor"


def test_mul_gate_switches_the_inputs():
    r = backcalc.grad("x * y", x=3, y=-4)
    assert r.node("f").local == [-4.0, 3.0] and r.gradients == {"x": -4.0, "y": 3.0}


def test_mul_by_constant_is_a_scaler():
    assert backcalc.grad("2 * x", x=3).node("f").role == "scaler"
    assert backcalc.grad("-x", x=3).node("f").role == "scaler"


def test_max_gate_routes_to_the_winner():
    r = backcalc.grad("max(z, w)", z=2, w=-1)
    assert r.node("f").role == "router" and r.gradients == {"z": 1.0, "w": 0.0}


@pytest.mark.parametrize(
    "ties, expected", [("split", (0.5, 0.5)), ("all", (1.0, 1.0)), ("first", (1.0, 0.0))]
)
def test_tie_rule_is_selectable_and_flagged(ties, expected):
    r = backcalc.grad("max(x, y)", x=2, y=2, ties=ties)
    assert (r.gradients["x"], r.gradients["y"]) == expected
    assert r.node("f").flags == ["tie"]
    assert any(f"rule '{ties}'" in n for n in r.notes)


def test_relu_kink_is_zero_and_flagged():
    r = backcalc.grad("relu(x) + abs(y)", x=0, y=0)
    assert r.gradients == {"x": 0.0, "y": 0.0}
    assert r.node("n1").flags == ["kink"] and r.node("n2").flags == ["kink"]
    assert any("kink" in n for n in r.notes)


def test_no_flags_away_from_kinks():
    r = backcalc.grad("relu(x) + max(x, y)", x=1, y=2)
    assert all(not n.flags for n in r.nodes) and r.notes == []


@pytest.mark.parametrize("expr", ["sigmoid(w0*x0+w1*x1+w2)", "tanh(w0*x0 - x1)", "softplus(x0 * w1)"])
def test_expand_splits_compound_gates_with_the_same_gradients(expr):
    values = dict(w0=2, x0=-1, w1=-3, x1=-2, w2=-3)
    compound = backcalc.grad(expr, values)
    staged = backcalc.grad(expr, values, expand=True)
    assert len(staged.nodes) > len(compound.nodes)
    assert staged.value == pytest.approx(compound.value, rel=1e-14)
    for k, g in compound.gradients.items():
        assert staged.gradients[k] == pytest.approx(g, rel=1e-12, abs=1e-15)
    assert {n.expanded_from for n in staged.nodes} - {None} == {compound.node("f").op}


def test_expanded_sigmoid_has_the_lecture_gates():
    r = backcalc.grad("sigmoid(x)", x=1.0, expand=True)
    assert [n.op for n in r.nodes if n.op not in ("input", "const")] == ["neg", "exp", "add", "div"]


def test_backward_is_pure_and_repeatable():
    g = compile_text("x*x + x*y", {"x", "y"})
    fwd = forward(g, {"x": 3.0, "y": 2.0})
    b1 = backward(g, fwd)
    b2 = backward(g, fwd)
    assert b1.upstream == b2.upstream and b1.upstream[g.inputs["x"]] == 8.0


def test_a_plus_a_keeps_both_edges():
    r = backcalc.grad("a + a", a=5)
    assert r.node("f").inputs == ["a", "a"] and r.gradients == {"a": 2.0}


@pytest.mark.parametrize(
    "expr, values, message",
    [
        ("log(x)", {"x": -1}, "log needs a positive input, got -1 (in log(x))"),
        ("log(x)", {"x": 0}, "log needs a positive input, got 0 (in log(x))"),
        ("x / y", {"x": 1, "y": 0}, "division by zero: the denominator is 0 (in x / y)"),
        ("sqrt(x - 5)", {"x": 1}, "sqrt needs a non-negative input, got -4 (in sqrt(x - 5))"),
        (
            "x ** 0.5",
            {"x": -2},
            "a negative base (-2) to a non-integer power (0.5) is not a real number (in x ** 0.5)",
        ),
        ("0 ** x", {"x": -1}, "0 raised to a negative power (-1) divides by zero (in 0 ** x)"),
    ],
)
def test_domain_errors_name_the_node(expr, values, message):
    with pytest.raises(BackcalcError) as e:
        backcalc.grad(expr, values)
    assert e.value.message == message
    assert e.value.span is not None


def test_overflow_is_a_warning_not_a_crash():
    r = backcalc.grad("exp(x) * 2", x=1000)
    assert r.value == math.inf
    assert any("overflowed to infinity" in w for w in r.warnings)
    r = backcalc.grad("x ** y", x=10, y=400)
    assert r.value == math.inf and r.warnings
    r = backcalc.grad("exp(x) - exp(x)", x=1000)
    assert math.isnan(r.value)
    assert r.warnings[0].startswith("n1 = exp(x) at column 1 overflowed to infinity")
    assert r.warnings[1].startswith("n2 = exp(x) at column 10 overflowed")
    assert r.warnings[2] == "the output f is not a number (nan)"
    assert "NaN" in r.to_json()


def test_unused_value_is_a_warning():
    r = backcalc.grad("x * 2", x=1, y=5)
    assert r.warnings == ["y=5 was given but the expression does not use 'y'"]


def test_wrt_restricts_the_reported_gradients():
    r = backcalc.grad("(x+y)*z", x=-2, y=5, z=-4, wrt=["z", "x"])
    assert r.gradients == {"z": 3.0, "x": -4.0}
    with pytest.raises(BackcalcError, match="does not use"):
        backcalc.grad("x", x=1, wrt=["q"])


def test_values_from_python_api_are_checked():
    with pytest.raises(BackcalcError):
        backcalc.grad("x", x=True)
    with pytest.raises(BackcalcError):
        backcalc.grad("x", x=float("nan"))
    assert backcalc.grad("x * 2", x="1/3").value == pytest.approx(2 / 3, rel=1e-15)


def test_unreachable_intermediate_gets_zero_gradient():
    r = backcalc.grad("q = x * 2; f = y + 1", x=1, y=2)
    assert r.node("q").grad == 0.0 and r.gradients["x"] == 0.0


def test_to_json_is_strict():
    import json

    r = backcalc.grad("exp(x)", x=1000)
    doc = json.loads(r.to_json(), parse_constant=lambda c: pytest.fail(f"non-strict token {c}"))
    assert doc["value"] == "Infinity"
