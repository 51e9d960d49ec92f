"""--upstream: backpropagating cs231n's dout from a non-scalar output, checked against numpy's own
gradients and against central differences of sum(out * dout), as eval_numerical_gradient_array does."""

from __future__ import annotations

import json

import numpy as np
import pytest

from backcalc import api
from backcalc.cli import app
from backcalc.errors import BackcalcError

from checking_cases import make_runner
from conftest import ROOT, run_exe

SETUP = (ROOT / "examples" / "cs231n" / "setup-affine.txt").read_text()


@pytest.fixture
def runner():
    return make_runner()


def _notebook():
    rs = np.random.RandomState(231)
    return rs.randn(4, 5), rs.randn(3, 4), rs.randn(3, 1), rs.randn(3, 5)  # x, W, b, dout


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """cs231n's gradient_check.eval_numerical_gradient_array, written out here."""
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        pos = f(x).copy()
        x[ix] = old - h
        neg = f(x).copy()
        x[ix] = old
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
    return grad


def test_upstream_gives_dx_dw_db_of_a_matrix_layer():
    x, W, b, dout = _notebook()
    r = api.grad("W @ x + b", setup=SETUP, upstream="dout")
    assert np.allclose(r.value, W @ x + b, rtol=0, atol=1e-14)
    assert np.allclose(r.gradients["x"], W.T @ dout, rtol=0, atol=1e-13)
    assert np.allclose(r.gradients["W"], dout @ x.T, rtol=0, atol=1e-13)
    assert np.allclose(r.gradients["b"], dout.sum(axis=1, keepdims=True), rtol=0, atol=1e-13)
    assert "dout" not in r.gradients
    assert any("upstream gradient dout" in n for n in r.notes)
    assert not any("upstream of ones" in n for n in r.notes)


def test_upstream_matches_central_differences_through_relu():
    x, W, b, dout = _notebook()
    r = api.grad("maximum(0, W @ x + b)", setup=SETUP, upstream="dout")
    num = eval_numerical_gradient_array(lambda xx: np.maximum(0, W @ xx + b), x.copy(), dout)
    assert np.allclose(r.gradients["x"], num, rtol=1e-7, atol=1e-9)
    num_w = eval_numerical_gradient_array(lambda ww: np.maximum(0, ww @ x + b), W.copy(), dout)
    assert np.allclose(r.gradients["W"], num_w, rtol=1e-7, atol=1e-9)


def test_upstream_as_an_array_and_on_the_command_line(runner):
    r = api.grad("x * x", x=np.array([1.0, 2.0, 3.0]), upstream=np.array([1.0, 0.0, -1.0]))
    assert r.gradients["x"].tolist() == [2.0, 0.0, -6.0]
    res = runner.invoke(
        app, ["grad", "x * x", "x=[1, 2, 3]", "g=[1, 0, -1]", "--upstream", "g", "-f", "json"]
    )
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["gradients"] == {"x": [2.0, 0.0, -6.0]}


def test_without_upstream_a_non_scalar_output_keeps_the_ones_upstream():
    r = api.grad("x * x", x=np.array([1.0, 2.0]))
    assert r.gradients["x"].tolist() == [2.0, 4.0]
    assert any("upstream of ones" in n for n in r.notes)


def test_a_shape_mismatch_is_a_clear_error(runner):
    with pytest.raises(BackcalcError) as e:
        api.grad("x * 2", x=np.ones((2, 3)), upstream=np.ones((3, 2)))
    assert e.value.message == (
        "the upstream gradient (upstream) has shape (3, 2), but the output f has shape (2, 3); "
        "the upstream must have the output's shape"
    )
    res = runner.invoke(app, ["grad", "x * 2", "x=[1, 2]", "g=[1, 2, 3]", "--upstream", "g"])
    assert res.exit_code == 2
    assert (
        "error: the upstream gradient (--upstream) has shape (3,), but the output f has shape (2,)"
        in res.stderr
    )


def test_an_unknown_or_input_upstream_name_is_a_clear_error(runner):
    res = runner.invoke(app, ["grad", "x * 2", "x=[1, 2]", "--upstream", "dout"])
    assert res.exit_code == 2
    assert "--upstream names 'dout', which is not given (values given: x)" in res.stderr
    res = runner.invoke(app, ["grad", "x * 2", "x=[1, 2]", "--upstream", "x"])
    assert res.exit_code == 2
    assert "--upstream names 'x', which the expression uses as an input" in res.stderr


def test_check_with_upstream_checks_the_vjp(runner):
    res = runner.invoke(
        app,
        ["grad", "maximum(0, W @ x + b)", "--setup", "-", "--upstream", "dout", "--check", "-f", "json"],
        input=SETUP,
    )
    assert res.exit_code == 0, res.stderr
    gc = json.loads(res.stdout)["gradcheck"]
    assert gc["passed"] and all(i["cs231n_rel_error"] < 1e-7 for i in gc["inputs"])
    x, W, b, dout = _notebook()
    num = eval_numerical_gradient_array(lambda xx: np.maximum(0, W @ xx + b), x.copy(), dout)
    [xr] = [i for i in gc["inputs"] if i["name"] == "x"]
    assert np.allclose(xr["numeric"], num, rtol=1e-6, atol=1e-9)


def test_a_wrong_vjp_fails_the_upstream_check():
    from backcalc.engine import compile_text
    from backcalc.gradcheck import gradcheck

    x, W, b, dout = _notebook()
    g = compile_text("W @ x + b")
    values = {"x": x, "W": W, "b": b}
    wrong = {"x": W.T @ np.ones_like(dout), "W": dout @ x.T, "b": dout.sum(axis=1, keepdims=True)}
    rec = gradcheck(g, values, wrong, seed=dout)
    assert not rec.passed
    assert [i.name for i in rec.inputs if not i.passed] == ["x"]


def test_the_installed_executable_prints_dx_dw_db():
    p = run_exe("grad", "W @ x + b", "--setup", str(ROOT / "examples/cs231n/setup-affine.txt"),
                "--upstream", "dout", "-f", "table", "--no-nodes")  # fmt: skip
    assert p.returncode == 0, p.stderr
    x, W, b, dout = _notebook()
    assert "∂f/∂x" in p.stdout and "∂f/∂W" in p.stdout and "∂f/∂b" in p.stdout
    assert f"{(dout.sum(axis=1))[0]:.4g}" in p.stdout


@pytest.mark.parametrize("flag", ["--symbolic", "--exact"])
def test_symbolic_and_exact_refuse_an_upstream_rather_than_disagree(runner, flag):
    res = runner.invoke(app, ["grad", "x * x", "x=[1, 2]", "g=[1, -1]", "--upstream", "g", flag])
    assert res.exit_code == 2
    assert f"error: {flag} and --upstream cannot be combined yet" in res.stderr
