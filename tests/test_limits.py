"""Depth and size: no recursion anywhere, so deep and long expressions work (or hit a clean limit)."""

from __future__ import annotations

import pytest

import backcalc
from backcalc import BackcalcError
from backcalc import parse as P


def test_a_100000_term_sum_works():
    n = 100_000
    expr = "+".join(f"x{i % 100}" for i in range(n))
    r = backcalc.grad(expr, {f"x{i}": i for i in range(100)})
    assert r.value == sum(i % 100 for i in range(n))
    assert r.gradients["x7"] == n // 100
    assert len(r.node("x7").grad_parts) == n // 100


def test_10000_nested_parentheses_work():
    depth = 10_000
    expr = "(" * depth + "x" + "+1)" * depth
    r = backcalc.grad(expr, x=1)
    assert r.value == depth + 1 and r.gradients == {"x": 1.0}


def test_deep_chain_of_unary_gates_works():
    expr = "sin(" * 5000 + "x" + ")" * 5000
    r = backcalc.grad(expr, x=0.5)
    assert 0 < r.value < 0.5 and 0 < r.gradients["x"] < 1


def test_nesting_limit_is_clean_and_adjustable(monkeypatch):
    monkeypatch.setattr(P.LIMITS, "max_depth", 1000)
    backcalc.grad("(" * 1000 + "x" + ")" * 1000, x=1)
    with pytest.raises(BackcalcError, match="nesting deeper than 1,000 levels"):
        backcalc.grad("(" * 1001 + "x" + ")" * 1001, x=1)


def test_node_limit_is_clean(monkeypatch):
    monkeypatch.setattr(P.LIMITS, "max_nodes", 1000)
    with pytest.raises(BackcalcError, match="more than 1,000 nodes"):
        backcalc.grad("+".join(["x"] * 1001), x=1)  # x and 1,000 additions
    backcalc.grad("+".join(["x"] * 1000), x=1)  # one node per name: 1,000 nodes, at the limit


def test_length_limit_is_clean(monkeypatch):
    monkeypatch.setattr(P.LIMITS, "max_chars", 100)
    with pytest.raises(BackcalcError, match="the limit is 100"):
        backcalc.grad("x" + "+x" * 100, x=1)


def test_default_limits_are_documented_minimums():
    assert P.LIMITS.max_depth >= 1_000 and P.LIMITS.max_nodes >= 1_000_000


def test_limits_module_holds_the_same_limits_as_the_modules_that_use_them():
    from backcalc import api, chainrule, engine, exact, jacobian, limits, symbolic
    from backcalc.network import data as netdata
    from backcalc.render import json as render_json

    assert P.LIMITS is limits.LIMITS
    for module, names in (
        (engine, ["TEXT_MAX"]),
        (jacobian, ["JACOBIAN_MAX_ENTRIES"]),
        (api, ["DEFAULT_TIMEOUT"]),
        (exact, ["EXACT_MAX_BITS", "EXACT_MAX_ELEMENTS"]),
        (render_json, ["PRETTY_MAX"]),
        (netdata, ["MAX_ROWS"]),
        (
            symbolic,
            [
                "SYMBOLIC_MAX_ELEMENTS",
                "LARGE_GATES",
                "SIMPLIFY_MAX_OPS",
                "SIMPLIFY_BUDGET",
            ],
        ),
        (chainrule, ["MAX_PATHS", "MAX_CHAIN_FACTORS", "MAX_STEPS", "MAX_STEP_TEXT"]),
    ):
        for name in names:  # the modules read their limits from limits.py: one place
            assert getattr(module, name) is getattr(limits, name), name
