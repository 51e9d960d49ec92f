"""Property-based tests (Hypothesis) over the whole scalar grammar.

- random expressions with random inputs away from kinks: gradients agree with
  central finite differences;
- every expression the pretty-printer prints parses back to the same graph;
- random text, random bytes and random mutations of valid expressions give either
  a result or a clean BackcalcError, never another exception.

Profiles: the default keeps the suite fast; HYPOTHESIS_PROFILE=long runs 100,000
examples per property on demand.
"""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from printing import to_source

import backcalc
from backcalc import BackcalcError
from backcalc import ops as O
from backcalc.engine import compile_text

from conftest import kink_free

settings.register_profile(
    "default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "medium", max_examples=5_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "long", max_examples=100_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

NAMES = ["x", "y", "z", "w"]


def _safe(op: str, args: list[str]) -> str:
    """Wrap arguments so that every op stays inside its domain (the grammar is still all used)."""
    if op in ("log", "sqrt"):
        return f"{op}(({args[0]}) ** 2 + 0.5)"
    if op == "div":
        return f"({args[0]}) / (({args[1]}) ** 2 + 1)"
    if op == "pow":
        return f"(({args[0]}) ** 2 + 0.5) ** ({args[1]} / 4)"
    if op in ("exp", "sinh", "cosh"):
        return f"{op}(tanh({args[0]}))"
    if op == "tan":
        return f"tan(tanh({args[0]}))"
    return O.OPS[op].plain.format(*[f"({a})" for a in args], args=", ".join(args))


_SCALAR_OPS = sorted(
    n
    for n, op in O.OPS.items()
    if not op.array_op and op.arity[0] <= 2 and (op.arity[1] is None or op.arity[1] <= 3)
)


def _leaf() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NAMES), st.sampled_from(["2", "0.5", "1e-1", "3.25", "pi", "e"]))


@st.composite
def expressions(draw, max_ops: int = 12) -> str:
    """A random expression over x, y, z, w, built bottom-up (no recursion)."""
    pool = [draw(_leaf()) for _ in range(draw(st.integers(1, 4)))]
    for _ in range(draw(st.integers(1, max_ops))):
        name = draw(st.sampled_from(_SCALAR_OPS))
        op = O.OPS[name]
        hi = 3 if op.arity[1] is None else min(3, op.arity[1])
        k = op.arity[0] if op.arity[1] == op.arity[0] else draw(st.integers(op.arity[0], hi))
        args = [draw(st.sampled_from(pool)) for _ in range(k)]
        pool.append(_safe(name, args))
    return pool[-1]


values_st = st.fixed_dictionaries({n: st.floats(-2, 2, allow_nan=False) for n in NAMES})


@given(expressions(), values_st)
def test_random_expressions_match_central_differences(expr, values):
    r = backcalc.grad(expr, values)
    assume(math.isfinite(r.value) and all(math.isfinite(g) for g in r.gradients.values()))
    assume(abs(r.value) < 1e6)
    assume(kink_free(r))
    for name in r.gradients:
        h = 1e-6
        plus = backcalc.grad(expr, {**values, name: values[name] + h}).value
        minus = backcalc.grad(expr, {**values, name: values[name] - h}).value
        fd = (plus - minus) / (2 * h)
        g = r.gradients[name]
        # skip inputs whose finite difference straddles a kink somewhere inside
        assume(
            kink_free(backcalc.grad(expr, {**values, name: values[name] + h}))
            and kink_free(backcalc.grad(expr, {**values, name: values[name] - h}))
        )
        assert math.isclose(g, fd, rel_tol=1e-4, abs_tol=1e-5 * max(1.0, abs(r.value))), (name, g, fd)


def _structure(g):
    return (
        g.kinds,
        [op.name if op else None for op in g.ops],
        g.args,
        [g.consts.get(i) for i in range(len(g.kinds))],
        list(g.inputs),
        g.output,
    )


@given(expressions())
def test_printed_expressions_parse_back_to_the_same_graph(expr):
    g = compile_text(expr)
    printed = to_source(g)
    again = compile_text(printed)
    assert _structure(again) == _structure(g), printed
    assert to_source(again) == printed


@pytest.mark.parametrize(
    "expr",
    [
        "q = x + y; f = q * q",
        "(x - y) - (z - w)",
        "x ** -y ** 2",
        "-x ** 2",
        "(-x) ** 2",
        "x / (y * z)",
        "--x",
        "max(x, y, 2) * -3",
        "2 ** 3 ** 2",
    ],
)
def test_printer_round_trips_tricky_cases(expr):
    g = compile_text(expr)
    assert _structure(compile_text(to_source(g))) == _structure(g)


def _clean(expr: str, values: dict | None = None) -> None:
    try:
        backcalc.grad(expr, values if values is not None else {n: 0.7 for n in NAMES})
    except BackcalcError as e:
        assert e.message and isinstance(e.render(), str)


@given(st.text(max_size=60))
def test_random_text_gives_a_result_or_a_clean_error(text):
    _clean(text)


@given(st.binary(max_size=60))
def test_random_bytes_give_a_result_or_a_clean_error(data):
    _clean(data.decode("utf-8", errors="replace"))
    _clean(data.decode("latin-1"))


@given(
    expressions(max_ops=6),
    st.lists(
        st.tuples(
            st.integers(0, 200),
            st.sampled_from(list("()+-*/^@,;=.[]'\"x 0eE\n\x00#") + ["**", "max(", "exp", "lambda", "__"]),
            st.booleans(),
        ),
        max_size=4,
    ),
)
def test_mutated_expressions_give_a_result_or_a_clean_error(expr, edits):
    for pos, piece, insert in edits:
        pos %= len(expr) + 1
        expr = expr[:pos] + piece + expr[pos + (0 if insert else 1) :]
    _clean(expr)


@given(st.lists(st.text(max_size=12), max_size=4))
def test_random_value_arguments_give_a_result_or_a_clean_error(items):
    from backcalc.values import parse_assignments

    try:
        vals = parse_assignments(items)
    except BackcalcError:
        return
    _clean("x + 1", vals)


# --- arrays ------------------------------------------------------------------------

ARRAY_UNARY = [
    "tanh({0})",
    "sigmoid({0})",
    "exp(tanh({0}))",
    "log(({0}) ** 2 + 1)",
    "softplus({0})",
    "sqrt(({0}) ** 2 + 1)",
    "sin({0})",
    "-{0}",
    "relu({0})",
    "abs({0})",
]
ARRAY_BINARY = [
    "{0} + {1}",
    "{0} - {1}",
    "{0} * {1}",
    "{0} / ({1} ** 2 + 1)",
    "maximum({0}, {1})",
    "minimum({0}, {1})",
    "{0} @ S",
    "softmax({0}, 1)",
    "softmax({0})",
    "transpose(transpose({0}))",
    "{0} + b",
    "max({0}, {1}, C)",
]
ARRAY_REDUCE = [
    "sum({0})",
    "mean({0})",
    "norm({0})",
    "sum(logsumexp({0}, 1))",
    "dot(sum({0}, 0), v)",
    "sum({0} @ v)",
    "logsumexp({0})",
    "mean(sum({0}, 1) ** 2)",
]


@st.composite
def array_programs(draw) -> tuple[str, dict]:
    import numpy as np

    m, n = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    values = {
        "A": rng.uniform(-2, 2, (m, n)),
        "B": rng.uniform(-2, 2, (m, n)),
        "C": rng.uniform(-2, 2, (m, n)),
        "S": rng.uniform(-1, 1, (n, n)),
        "b": rng.uniform(-1, 1, n),
        "v": rng.uniform(-1, 1, n),
    }
    pool = ["A", "B", "C"]
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            pool.append("(" + draw(st.sampled_from(ARRAY_UNARY)).format(draw(st.sampled_from(pool))) + ")")
        else:
            a, b = draw(st.sampled_from(pool)), draw(st.sampled_from(pool))
            pool.append("(" + draw(st.sampled_from(ARRAY_BINARY)).format(a, b) + ")")
    return draw(st.sampled_from(ARRAY_REDUCE)).format(pool[-1]), values


@given(array_programs())
def test_random_array_programs_match_central_differences(program):
    import numpy as np

    expr, values = program
    used = {k: v for k, v in values.items() if k in compile_text(expr, set(values)).inputs}
    r = backcalc.grad(expr, used)
    assume(np.isfinite(r.value) and abs(r.value) < 1e6 and kink_free(r))
    h = 1e-6
    for name, grad in r.gradients.items():
        grad = np.asarray(grad)
        assert grad.shape == np.shape(used[name])  # every gradient has its variable's shape
        for idx in np.ndindex(*np.shape(used[name])):
            plus, minus = np.array(used[name], dtype=float), np.array(used[name], dtype=float)
            plus[idx] += h
            minus[idx] -= h
            rp = backcalc.grad(expr, {**used, name: plus})
            rm = backcalc.grad(expr, {**used, name: minus})
            assume(kink_free(rp) and kink_free(rm))
            fd = (rp.value - rm.value) / (2 * h)
            assert math.isclose(grad[idx], fd, rel_tol=1e-4, abs_tol=1e-5 * max(1.0, abs(r.value))), (
                expr,
                name,
                idx,
                grad[idx],
                fd,
            )


@given(array_programs())
def test_printed_array_programs_parse_back_to_the_same_graph(program):
    expr, values = program
    g = compile_text(expr, set(values))
    printed = to_source(g)
    assert _structure(compile_text(printed, set(values))) == _structure(g), printed
