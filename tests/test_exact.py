"""--exact: rational and exact arithmetic over the same graph, with decimals, and guards against explosions."""

from __future__ import annotations

import json
import time

import pytest

from backcalc import api
from backcalc import exact as E
from backcalc.cli import app
from backcalc.errors import BackcalcError

from checking_cases import make_runner


@pytest.fixture
def runner():
    return make_runner()


def run_json(runner, *args):
    r = runner.invoke(app, ["grad", *args, "--exact", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout), r


def test_rational_example_is_exact(runner):
    doc, _ = run_json(runner, "x/3 + y**2", "x=1", "y=1/2")
    ex = doc["exact"]
    assert ex["value"]["value"] == "7/12"
    assert ex["value"]["value_latex"] == r"\frac{7}{12}"
    assert ex["value"]["value_decimal"] == pytest.approx(7 / 12, rel=1e-15)
    assert ex["gradients"]["x"]["value"] == "1/3"
    assert ex["gradients"]["y"]["value"] == "1"


def test_square_roots_stay_square_roots(runner):
    doc, _ = run_json(runner, "sqrt(x) + x/10", "x=2")
    assert doc["exact"]["value"]["value"] == "1/5 + sqrt(2)"
    assert doc["exact"]["gradients"]["x"]["value"] == "1/10 + sqrt(2)/4"


def test_decimals_and_constants_are_read_exactly(runner):
    doc, _ = run_json(runner, "0.1*x + pi", "x=0.2")
    assert doc["exact"]["value"]["value"] == "1/50 + pi"
    assert doc["exact"]["gradients"]["x"]["value"] == "1/10"


@pytest.mark.parametrize(
    ("text", "num", "den"),
    [
        ("1/3", 1, 3),
        ("-1/3", -1, 3),
        ("0.1", 1, 10),
        ("1e-3", 1, 1000),
        ("2.5E+1", 25, 1),
        (" 4 / -6 ", -2, 3),
        ("0.5/0.25", 2, 1),
    ],
)
def test_exact_scalar_reads_number_text_without_rounding(text, num, den):
    v = E.exact_scalar(text)
    assert (int(v.p), int(v.q)) == (num, den)


@pytest.mark.parametrize("text", ["x", "1/0", "1e9999", "", "2**3"])
def test_exact_scalar_refuses_what_is_not_a_number(text):
    with pytest.raises(BackcalcError):
        E.exact_scalar(text)


def test_ties_follow_the_engine_rule_not_heaviside(runner):
    doc, _ = run_json(runner, "max(x, y)", "x=1", "y=1")
    assert doc["exact"]["gradients"]["x"]["value"] == "1/2"  # split
    r = runner.invoke(app, ["grad", "max(x, y)", "x=1", "y=1", "--ties", "all", "--exact", "-f", "json"])
    assert json.loads(r.stdout)["exact"]["gradients"]["y"]["value"] == "1"
    doc, _ = run_json(runner, "relu(x) + max(x, 0, y)", "x=0", "y=-1")
    assert doc["exact"]["gradients"]["x"]["value"] == "1/2"  # relu'(0) = 0, plus half of a tie in max
    assert doc["exact"]["gradients"]["x"]["value_decimal"] == pytest.approx(doc["gradients"]["x"])


def test_exploding_power_falls_back_to_floats_with_a_warning(runner):
    t0 = time.monotonic()
    doc, r = run_json(runner, "9**9**9 + x", "x=1")
    assert time.monotonic() - t0 < 20
    assert "digits" in r.stderr and "--exact" in r.stderr
    assert doc["exact"]["fallback"]
    assert doc["exact"]["gradients"]["x"]["value"] == "1"


def test_exploding_rational_power_is_caught_before_sympy_computes_it(runner):
    t0 = time.monotonic()
    doc, r = run_json(runner, "(1 + x)**100000000", "x=1/1000000")
    assert time.monotonic() - t0 < 20
    assert doc["exact"]["fallback"] == ["f"]
    assert "digits" in r.stderr


def test_exact_table_shows_the_decimal_beside(runner):
    r = runner.invoke(
        app, ["grad", "x/3 + y**2", "x=1", "y=1/2", "--exact", "-f", "table"], env={"COLUMNS": "160"}
    )
    assert r.exit_code == 0, r.stderr
    assert "exact arithmetic" in r.stdout
    assert "f = 7/12 ≈ 0.5833" in r.stdout
    assert "∂f/∂x = 1/3 ≈ 0.3333" in r.stdout


def test_exact_takes_arrays_element_by_element(runner):
    doc, _ = run_json(runner, "sum(x/3)", "x=[1, 2]")
    assert doc["exact"]["value"]["value"] == "1"
    assert doc["exact"]["gradients"]["x"]["value"] == "[1/3, 1/3]"
    assert doc["exact"]["gradients"]["x"]["value_elements"] == ["1/3", "1/3"]


def test_exact_stops_at_the_timeout(monkeypatch):
    monkeypatch.setattr(E, "number", lambda *a, **k: time.sleep(60))
    t0 = time.monotonic()
    r = api.grad("x", {"x": "1"}, exact=True, timeout=0.5)
    assert time.monotonic() - t0 < 5
    assert r.exact.complete is False and "time limit of 0.5 s" in r.exact.stopped
    assert r.value == 1.0


def test_one_call_returns_typed_exact_and_symbolic_records():
    r = api.grad("x/3 + y**2", {"x": 1, "y": "1/2"}, exact=True, symbolic=True)
    assert r.value == pytest.approx(7 / 12, rel=1e-15)
    assert r.exact.complete and r.exact.value.text == "7/12"
    assert r.exact.gradients["x"].text == "1/3" and r.exact.gradients["y"].text == "1"
    assert r.symbolic.complete and r.symbolic.formula == "x/3 + y**2"
    assert r.symbolic.gradients["x"].formula == "1/3" and r.symbolic.gradients["y"].formula == "2*y"
    assert r.symbolic.gradients["y"].value == pytest.approx(1.0) and r.symbolic.gradients["y"].agrees


def test_exact_mode_decides_a_tie_exactly_with_the_run_tie_rule():
    r = api.grad("max(x/3, y)", {"x": "1", "y": "1/3"}, exact=True, ties="split")
    assert r.exact.gradients["x"].text == "1/6" and r.exact.gradients["y"].text == "1/2"
    r = api.grad("max(x/3, y)", {"x": "1", "y": "1/3"}, exact=True, ties="first")
    assert r.exact.gradients["x"].text == "1/3" and r.exact.gradients["y"].text == "0"
