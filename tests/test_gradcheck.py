"""--check: central differences through the engine's own forward; --expect: graded answers inline."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from backcalc import api
from backcalc import gradcheck as C
from backcalc import ops as O
from backcalc.cli import app
from backcalc.engine import compile_text

from checking_cases import SEED_IDS, SEEDS, argv, make_runner


@pytest.fixture
def runner():
    return make_runner()


def _check(expr, values, grads=None, **kw):
    g = compile_text(expr, set(values))
    if grads is None:
        grads = api.grad(expr, values).gradients
    return C.gradcheck(g, values, grads, **kw)


@pytest.mark.parametrize(("expr", "values", "value", "grads"), SEEDS, ids=SEED_IDS)
def test_gradient_check_passes_on_the_seed_examples(expr, values, value, grads):
    rec = _check(expr, values)
    assert rec.passed
    for r in rec.inputs:
        assert r.rel_error < 1e-7
        assert r.numeric == pytest.approx(grads[r.name], abs=1e-8)


@pytest.mark.parametrize(("expr", "values", "value", "grads"), SEEDS, ids=SEED_IDS)
def test_cli_check_exits_0_on_the_seed_examples(runner, expr, values, value, grads):
    r = runner.invoke(app, argv(expr, values) + ["--check", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["gradcheck"]["passed"] is True
    assert [x["name"] for x in doc["gradcheck"]["inputs"]] == list(grads)


def test_gradient_check_fails_on_a_deliberately_wrong_answer():
    expr, values, _, grads = SEEDS[0]
    wrong = dict(grads, y=4.0)  # the sign of dy flipped
    rec = _check(expr, values, wrong)
    assert not rec.passed
    by = {r.name: r for r in rec.inputs}
    assert by["x"].passed and not by["y"].passed
    assert by["y"].rel_error == pytest.approx(2.0)
    err = C.gradcheck_failure(rec)
    assert err.code == 1 and "y (relative error 2" in err.message


def test_cli_check_catches_a_broken_vjp_and_exits_1(runner, monkeypatch):
    bad = dataclasses.replace(
        O.OPS["mul"], vjp=lambda xp, g, out, xs, needs: (g * xs[1], g * xs[1])
    )  # d/dy should be g * x
    monkeypatch.setitem(O.OPS, "mul", bad)
    r = runner.invoke(
        app, argv("(x+y)*z", {"x": -2, "y": 5, "z": -4}) + ["--check", "-f", "table"], env={"COLUMNS": "160"}
    )
    assert r.exit_code == 1
    assert "gradient check failed for z" in r.stderr
    assert "✗ FAIL" in r.stdout and "gradient check FAILED" in r.stdout


def test_relative_error_is_per_element_for_arrays():
    rec = _check("exp(x) * 2", {"x": np.array([0.1, 0.2, -0.3])})
    r = rec.inputs[0]
    assert rec.passed and np.shape(r.numeric) == (3,) and np.shape(r.rel_error) == (3,)
    wrong = _check("exp(x) * 2", {"x": np.array([0.1, 0.2])}, {"x": np.array([2 * np.exp(0.1), 0.0])})
    assert not wrong.passed
    assert list(wrong.inputs[0].rel_error > 1e-3) == [False, True]


def test_rel_error_definition():
    assert C.rel_error(0.0, 0.0) == 0.0
    assert C.rel_error(-4.0, -4.0) == 0.0
    assert C.rel_error(1.0, 3.0) == pytest.approx(2 / 3)
    assert list(C.rel_error(np.array([1.0, 0.0]), np.array([1.0, 2.0]))) == [0.0, 1.0]


def test_a_kink_within_h_of_the_input_is_warned_about():
    rec = _check("relu(x)", {"x": 1e-6})
    assert rec.inputs[0].kinks == ["f"]
    assert any("kink lies within h=1e-05 of x" in w for w in rec.warnings)
    far = _check("relu(x)", {"x": 0.5})
    assert far.inputs[0].kinks == [] and not far.warnings and far.passed
    tie = _check("max(x, y) + abs(y)", {"x": 1.0, "y": 1.0 + 1e-6})
    assert tie.inputs[0].kinks == ["n1"]


def test_a_step_out_of_the_domain_is_a_clear_failure():
    rec = _check("sqrt(x)", {"x": 0.0}, {"x": 0.0})
    r = rec.inputs[0]
    assert not r.passed and "moving x by ±1e-05 fails" in r.error and "non-negative" in r.error


def test_h_and_tol_are_validated(runner):
    r = runner.invoke(app, ["grad", "x*2", "x=1", "--check", "--h", "0"])
    assert r.exit_code == 2 and "--h must be a positive number" in r.stderr
    r = runner.invoke(app, ["grad", "x*2", "x=1", "--check", "--tol", "-1"])
    assert r.exit_code == 2 and "--tol" in r.stderr


def test_a_large_h_fails_the_check_and_tol_can_loosen_it(runner):
    args = ["grad", "exp(x)", "x=1", "--check", "-f", "json", "--h", "0.1"]
    assert runner.invoke(app, args).exit_code == 1
    assert runner.invoke(app, args + ["--tol", "0.01"]).exit_code == 0


def test_expect_inline_passes_and_names_a_mismatch(runner):
    ok = runner.invoke(
        app,
        [
            "grad",
            "(x+y)*z",
            "x=-2",
            "y=5",
            "z=-4",
            "--expect",
            "x=-4",
            "--expect",
            "y=-4",
            "--expect",
            "f=-12",
            "-f",
            "json",
        ],
    )
    assert ok.exit_code == 0, ok.stderr
    assert [e["passed"] for e in json.loads(ok.stdout)["expect"]] == [True, True, True]
    bad = runner.invoke(
        app,
        ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--expect", "x=-4", "--expect", "z=-3", "-f", "table"],
        env={"COLUMNS": "160"},
    )
    assert bad.exit_code == 1
    assert "∂f/∂z expected -3, computed 3" in bad.stderr
    assert "expected answers" in bad.stdout and "✗ FAIL" in bad.stdout


def test_expect_accepts_fractions_and_tolerance(runner):
    base = ["grad", "x/3", "x=1", "-f", "json"]
    assert runner.invoke(app, base + ["--expect", "x=1/3"]).exit_code == 0
    assert runner.invoke(app, base + ["--expect", "x=0.33"]).exit_code == 1
    assert runner.invoke(app, base + ["--expect", "x=0.33", "--tol", "0.02"]).exit_code == 0


def test_expect_of_an_unknown_name_is_bad_input(runner):
    r = runner.invoke(app, ["grad", "x*y", "x=1", "y=2", "--expect", "z=1"])
    assert r.exit_code == 2
    assert "'z' is neither an input nor the output" in r.stderr


def test_expect_compares_arrays_elementwise():
    res = api.grad("x * 2", {"x": [1.0, 2.0]})
    [ok] = C.expectations(res, {"x": np.array([2.0, 2.0])})
    assert ok.passed
    [bad] = C.expectations(res, {"x": np.array([2.0, 2.0, 2.0])})
    assert not bad.passed and "shape 3 expected, computed 2" in bad.why


def test_check_and_expect_json_validates_against_the_schema(runner):
    import pathlib

    jsonschema = pytest.importorskip("jsonschema")
    r = runner.invoke(app, argv(*SEEDS[2][:2]) + ["--check", "--expect", "w=0", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    schema = json.loads((pathlib.Path(C.__file__).parent / "schema" / "result.schema.json").read_text())
    jsonschema.validate(json.loads(r.stdout), schema)


def test_typed_records_convert_to_the_json_keys_of_the_document():
    from backcalc.result import plain_tree

    doc = plain_tree(_check("relu(x)", {"x": 1e-6}))
    assert list(doc) == ["h", "tol", "passed", "inputs"]  # the warnings go to Result.warnings
    assert list(doc["inputs"][0]) == [
        "name",
        "analytic",
        "numeric",
        "rel_error",
        "max_rel_error",
        "pass",
        "kinks",
        "error",
        "cs231n_rel_error",
        "worst",
        "kink_checks",
        "dtype",
    ]
    [e] = plain_tree(C.expectations(api.grad("x*2", {"x": 1.0}), {"x": 2.0}))
    assert e == {
        "name": "x",
        "quantity": "∂f/∂x",
        "expected": 2.0,
        "computed": 2.0,
        "abs_error": 0.0,
        "rel_error": 0.0,
        "passed": True,
        "why": None,
    }


def test_rtol_and_atol_name_the_tolerances_as_check_key_does(runner):
    base = ["grad", "x*2", "x=1", "--expect", "x=2.01", "--no-nodes", "-f", "json"]
    assert runner.invoke(app, base).exit_code == 1  # 0.5% off: beyond the default 1e-6
    assert runner.invoke(app, base + ["--rtol", "0.01"]).exit_code == 0
    assert runner.invoke(app, base + ["--tol", "0.01"]).exit_code == 0  # the old name
    assert runner.invoke(app, base + ["--atol", "0.02"]).exit_code == 0
    assert runner.invoke(app, base + ["--atol", "0.005"]).exit_code == 1
    r = api.grad("x*2", {"x": 1}, expect={"x": 2.01}, atol=0.02)
    assert r.expect is not None and r.expect[0].passed and api.failure(r) is None
