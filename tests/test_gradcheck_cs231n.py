"""--check as cs231n's notebooks check: their relative error beside ours, the worst element named,
a warning for inputs that are not float64, and one-sided differences at kinks (svm.ipynb's question)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from backcalc import api
from backcalc.cli import app
from backcalc.engine import compile_text
from backcalc.gradcheck import between, cs231n_rel_error, gradcheck

from checking_cases import make_runner
from conftest import run_exe


@pytest.fixture
def runner():
    return make_runner()


def rel_error(x, y):
    """cs231n's rel_error, as the notebooks define it."""
    return np.max(np.abs(x - y) / (np.maximum(1e-8, np.abs(x) + np.abs(y))))


def test_cs231n_relative_error_and_the_worst_element():
    rs = np.random.RandomState(0)
    x, w = rs.randn(3, 4), rs.randn(4)
    r = api.grad("sum(tanh(x @ w))", x=x, w=w, check=True)
    for rec in r.gradcheck.inputs:
        a = np.asarray(rec.analytic)
        n = np.asarray(rec.numeric)
        assert rec.cs231n_rel_error == pytest.approx(rel_error(a, n), rel=1e-12, abs=0)
        per = cs231n_rel_error(a, n)
        k = np.unravel_index(np.argmax(per), a.shape)
        assert rec.worst.index == list(k)
        assert rec.worst.analytic == a[k] and rec.worst.numeric == n[k]
        assert rec.cs231n_rel_error < 1e-7


def test_a_wrong_gradient_names_its_worst_element():
    g = compile_text("sum(x * x)")
    x = np.array([1.0, 2.0, 3.0])
    wrong = {"x": np.array([2.0, 4.0, 5.0])}  # the last element is off
    rec = gradcheck(g, {"x": x}, wrong)
    r = rec.inputs[0]
    assert not rec.passed and r.worst.index == [2]
    assert r.worst.analytic == 5.0 and r.worst.numeric == pytest.approx(6.0, abs=1e-8)
    assert r.cs231n_rel_error == pytest.approx(1 / 11, rel=1e-8)


@pytest.mark.parametrize("rule", ["split", "first"])
def test_relu_at_its_kink_reports_the_subgradient_interval_instead_of_failing(rule):
    x = np.array([0.0, 1.0, -2.0, 3e-6])
    r = api.grad("sum(relu(x))", x=x, check=True, ties=rule)
    rec = r.gradcheck
    assert rec.passed
    [inp] = rec.inputs
    # relu'(0) = 0 (PyTorch's choice); the central difference at 0 is 0.5, at 3e-6 it is 0.65
    checks = {tuple(k.index): k for k in inp.kink_checks}
    assert set(checks) == {(0,), (3,)}
    at0 = checks[(0,)]
    assert at0.left == pytest.approx(0.0, abs=1e-9) and at0.right == pytest.approx(1.0, abs=1e-9)
    assert at0.analytic == 0.0 and at0.between
    near = checks[(3,)]
    assert near.left == pytest.approx(0.3, abs=1e-6) and near.right == pytest.approx(1.0, abs=1e-9)
    assert near.between


def test_an_analytic_value_outside_the_one_sided_differences_fails():
    g = compile_text("sum(relu(x))")
    rec = gradcheck(g, {"x": np.array([0.0, 1.0])}, {"x": np.array([2.0, 1.0])})
    assert not rec.passed
    [k] = rec.inputs[0].kink_checks
    assert k.index == [0] and not k.between and k.analytic == 2.0


def test_the_svm_hinge_at_a_kink_passes_with_its_interval():
    # a multiclass hinge whose margin is exactly 0 for one class: cs231n svm.ipynb's question
    # (cs231n's svm_loss_naive counts a margin only when it is > 0: the tie rule 'first')
    s = np.array([1.0, 2.0, 0.0])  # the correct score sy = 1: the margin of class 2 is exactly 0
    r = api.grad("sum(maximum(0, s - sy + 1)) - 1", s=s, sy=1.0, check=True, ties="first")
    assert r.gradcheck.passed
    ks, ky = r.gradcheck.inputs
    [k] = ks.kink_checks
    assert k.index == [2] and k.analytic == 0.0 and k.between
    assert k.left == pytest.approx(0.0, abs=1e-9) and k.right == pytest.approx(1.0, abs=1e-9)
    [k] = ky.kink_checks  # sy: one margin more on the left side than on the right
    assert k.left == pytest.approx(-3.0, abs=1e-9) and k.right == pytest.approx(-2.0, abs=1e-9)
    assert k.analytic == -2.0 and k.between


def test_between_widens_by_h_and_the_tolerance():
    assert between(0.5, 0.0, 1.0, 1e-5, 1e-6)
    assert between(1.0 + 5e-6, 0.0, 1.0, 1e-5, 1e-6)
    assert not between(1.1, 0.0, 1.0, 1e-5, 1e-6)
    assert not between(-0.01, 0.0, 1.0, 1e-5, 1e-6)


def test_an_input_that_is_not_float64_is_warned_about():
    r = api.grad("sum(x * x)", x=np.array([1.0, 2.0], dtype=np.float32), check=True)
    assert r.gradcheck.inputs[0].dtype == "float32"
    assert any("x was given as float32, not float64" in w for w in r.warnings)
    r = api.grad("sum(x * x)", setup="import numpy as np\nx = np.array([1, 2])", check=True)
    assert any("x was given as int64, not float64" in w for w in r.warnings)
    r = api.grad("sum(x * x)", x=np.array([1.0, 2.0]), check=True)
    assert r.gradcheck.inputs[0].dtype is None and not any("float64" in w for w in r.warnings)


def test_the_table_names_the_figure_the_worst_element_and_the_interval(runner):
    res = runner.invoke(app, ["grad", "sum(relu(x))", "x=[0, 2]", "--check", "-f", "table", "--no-nodes"])
    assert res.exit_code == 0, res.stderr
    out = res.stdout
    assert "x: cs231n relative error 1.00e+00; worst element x[0]: analytic 0, numerical 0.5" in out
    assert "x[0] sits at (or within h of) a kink: one-sided differences left 0, right 1; analytic 0" in out
    assert "a valid subgradient" in out and "gradient check passed" in out


def test_the_json_carries_the_new_fields_and_validates(runner, schema):
    jsonschema = pytest.importorskip("jsonschema")
    res = runner.invoke(app, ["grad", "sum(relu(x))", "x=[0, 2]", "--check", "-f", "json"])
    doc = json.loads(res.stdout)
    jsonschema.validate(doc, schema)
    [inp] = doc["gradcheck"]["inputs"]
    assert inp["worst"]["index"] == [0] and inp["kink_checks"][0]["between"] is True


def test_the_installed_executable_passes_relu_at_its_kink_with_the_interval():
    p = run_exe("grad", "sum(relu(x))", "x=[0, 2]", "--check", "-f", "json", "--no-nodes")
    assert p.returncode == 0, p.stderr
    [inp] = json.loads(p.stdout)["gradcheck"]["inputs"]
    [k] = inp["kink_checks"]
    assert k["index"] == [0] and k["between"] and k["left"] == pytest.approx(0, abs=1e-9)
    assert "the one-sided differences were compared instead" in p.stderr
