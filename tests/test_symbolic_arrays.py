"""--symbolic and --exact with vector and matrix inputs: one formula / exact number per element."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import time

import numpy as np
import pytest

from backcalc import api
from backcalc import exact as E
from backcalc import symbolic as S
from backcalc.cli import app
from backcalc.render.json import to_plain as as_dict

from checking_cases import make_runner

PKG = pathlib.Path(S.__file__).parent
EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"

W = "W=[[0.1,0.5],[-0.3,0.8]]"
X = "x=[0.2,0.4]"
W_ARR = np.array([[0.1, 0.5], [-0.3, 0.8]])
X_ARR = np.array([0.2, 0.4])


@pytest.fixture
def runner():
    return make_runner()


def _schema_valid(doc: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((PKG / "schema" / "result.schema.json").read_text())
    jsonschema.validate(doc, schema)


def _symbolic(expr: str, values: dict, timeout=None) -> dict:
    return as_dict(api.grad(expr, values, symbolic=True, timeout=timeout).symbolic)


@pytest.mark.parametrize("expr", ["sum((W @ x)**2)", "norm(W @ x)**2"])
def test_seed_wx_symbolic_gradients_are_matrices_of_formulas(expr):
    rec = _symbolic(expr, {"W": W_ARR, "x": X_ARR})
    assert rec["complete"] and rec["method"] == "elementwise"
    gw, gx = rec["gradients"]["W"], rec["gradients"]["x"]
    assert gw["shape"] == [2, 2] and gx["shape"] == [2]
    assert gw["agrees"] is True and gx["agrees"] is True
    assert np.allclose(gw["value"], [[0.088, 0.176], [0.104, 0.208]])
    assert np.allclose(gx["value"], [-0.112, 0.636])
    # d f / d W[0, 1] = 2 q_0 x_1 with q = W @ x, written over the element symbols
    assert gw["formulas"][0][1] == "2*(W[0, 0]*x[0] + W[0, 1]*x[1])*x[1]"
    assert "{W}_{0,1}" in gw["latex"] and r"\begin{matrix}" in gw["latex"]


def test_seed_wx_chain_rule_is_written_as_backprop_steps():
    rec = _symbolic("q = W @ x\nsum(q**2)", {"W": W_ARR, "x": X_ARR})
    gw = rec["gradients"]["W"]
    assert gw["chain_form"] == "steps"
    assert gw["chain"].endswith("∂f/∂W = ∂f/∂q @ xᵀ")
    # the lecture's upstream 2q, as formulas
    assert "∂f/∂q = [2*W[0, 0]*x[0] + 2*W[0, 1]*x[1], 2*W[1, 0]*x[0] + 2*W[1, 1]*x[1]]" in gw["chain_locals"]
    assert rec["gradients"]["x"]["chain"].endswith("∂f/∂x = Wᵀ @ ∂f/∂q")


def test_seed_wx_exact_decimals_become_rationals():
    expr = "sum((W @ x)**2)"
    values = {"W": W_ARR, "x": X_ARR}
    rec = as_dict(api.grad(expr, values, exact=True, timeout=None).exact)
    assert rec["complete"]
    assert rec["value"]["value"] == "29/250"
    assert rec["gradients"]["W"]["value_elements"] == [["11/125", "22/125"], ["13/125", "26/125"]]
    assert rec["gradients"]["W"]["value"] == "[[11/125, 22/125], [13/125, 26/125]]"
    assert rec["gradients"]["x"]["value_elements"] == ["-14/125", "159/250"]
    assert rec["gradients"]["x"]["value_decimal"] == pytest.approx([-0.112, 0.636])
    assert rec["gradients"]["W"]["value_shape"] == [2, 2]


def test_broadcasting_follows_numpy():
    values = {"W": np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]), "b": np.array([0.1, 0.2, 0.3]), "c": 0.5}
    rec = _symbolic("sum(exp(W + b) * c)", values)
    assert rec["gradients"]["b"]["shape"] == [3] and rec["gradients"]["c"]["shape"] == []
    for name in values:
        assert rec["gradients"][name]["agrees"] is True, name
    assert rec["gradients"]["b"]["formulas"][0] == "c*(exp(W[0, 0] + b[0]) + exp(W[1, 0] + b[0]))"


def test_two_layer_relu_net_and_axis_reductions_agree():
    rng = np.random.default_rng(3)
    values = {"W1": rng.uniform(-1, 1, (3, 2)), "W2": rng.uniform(-1, 1, (2, 3)), "x": rng.uniform(-1, 1, 2)}
    rec = _symbolic("sum(W2 @ maximum(0, W1 @ x))", values)
    assert all(r["agrees"] is True for r in rec["gradients"].values())
    values = {"Z": rng.uniform(-1, 1, (2, 3))}
    rec = _symbolic("sum(softmax(Z, 0) * Z) + mean(logsumexp(Z, -1)) + sum(norm(Z, 1))", values)
    assert rec["gradients"]["Z"]["agrees"] is True


def test_exact_tie_in_maximum_follows_the_engine_rule_per_element(runner):
    r = runner.invoke(
        app, ["grad", "sum(maximum(x, y))", "x=[1, 2, 0]", "y=[1, 0, 0]", "--exact", "-f", "json"]
    )
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["exact"]["gradients"]["x"]["value_elements"] == ["1/2", "1", "1/2"]
    assert doc["exact"]["gradients"]["y"]["value_elements"] == ["1/2", "0", "1/2"]
    r = runner.invoke(app, ["grad", "sum(relu(x))", "x=[0, 1]", "--exact", "-f", "json"])
    assert json.loads(r.stdout)["exact"]["gradients"]["x"]["value_elements"] == ["0", "1"]  # relu'(0) = 0


def test_large_arrays_are_refused_with_a_note_and_the_numbers_stay(runner):
    x = "x=" + json.dumps([0.01 * k for k in range(S.SYMBOLIC_MAX_ELEMENTS + 1)])
    r = runner.invoke(app, ["grad", "sum(x*x)", x, "--symbolic", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["symbolic"]["complete"] is False and "more than the limit" in doc["symbolic"]["too_large"]
    assert "--symbolic: formulas not built" in r.stderr
    assert len(doc["gradients"]["x"]) == S.SYMBOLIC_MAX_ELEMENTS + 1
    _schema_valid(doc)
    big = "x=" + json.dumps([0.01 * k for k in range(E.EXACT_MAX_ELEMENTS + 1)])
    r = runner.invoke(app, ["grad", "sum(x*x)", big, "--exact", "-f", "table"], env={"COLUMNS": "160"})
    assert r.exit_code == 0 and "exact values not built" in r.stdout


def test_timeout_bounds_array_work(monkeypatch):
    monkeypatch.setattr(S, "_simplify", lambda sp, d: time.sleep(60))
    t0 = time.monotonic()
    rec = _symbolic("sum(W @ x)", {"W": W_ARR, "x": X_ARR}, timeout=1.0)
    assert time.monotonic() - t0 < 10
    assert not rec["complete"] and "time limit of 1 s" in rec["stopped"]


def test_cli_json_with_arrays_validates_against_the_schema(runner):
    r = runner.invoke(
        app, ["grad", "sum((W @ x)**2)", W, X, "--symbolic", "--exact", "--check", "-f", "json"]
    )
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    _schema_valid(doc)
    assert doc["symbolic"]["gradients"]["x"]["formulas"][1].startswith("2*(W[0, 0]*x[0]")
    assert doc["exact"]["value"]["value"] == "29/250"


def test_cli_table_lists_formulas_per_element(runner):
    r = runner.invoke(
        app, ["grad", "sum((W @ x)**2)", W, X, "--symbolic", "--exact", "-f", "table"], env={"COLUMNS": "200"}
    )
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "[0, 1]: 2*(W[0, 0]*x[0] + W[0, 1]*x[1])*x[1]" in out
    assert "∂f/∂W = ∂f/∂n1 @ xᵀ" in out
    assert "f = 29/250 ≈ 0.116" in out
    assert "∂f/∂W = [[11/125, 22/125], [13/125, 26/125]] ≈ [[0.088, 0.176], [0.104, 0.208]]" in out


def test_expect_with_a_matrix_passes_and_fails(runner):
    ok = [
        "--expect",
        "W=[[0.088, 0.176], [0.104, 0.208]]",
        "--expect",
        "x=[-0.112, 0.636]",
        "--expect",
        "f=0.116",
    ]
    r = runner.invoke(app, ["grad", "sum((W @ x)**2)", W, X, *ok, "-f", "json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert all(e["passed"] for e in doc["expect"])
    _schema_valid(doc)
    r = runner.invoke(
        app, ["grad", "sum((W @ x)**2)", W, X, "--expect", "W=[[0.088, 0.176], [0.104, -0.208]]"]
    )
    assert r.exit_code == 1
    assert "∂f/∂W expected" in r.stderr
    r = runner.invoke(app, ["grad", "sum((W @ x)**2)", W, X, "--expect", "W=[0.088, 0.176]"])
    assert r.exit_code == 1 and "shape 2 expected, computed 2×2" in r.stderr


def test_answer_file_with_an_array_problem(runner, tmp_path):
    r = runner.invoke(app, ["check", str(EXAMPLES / "homework.toml"), "-f", "json"])
    assert r.exit_code == 0, r.stdout
    item = [it for it in json.loads(r.stdout)["items"] if "||W x||" in it["name"]][0]
    assert item["status"] == "pass" and [c["name"] for c in item["checks"]] == ["f", "W", "x"]
    p = tmp_path / "a.toml"
    p.write_text(
        '[[problem]]\nname = "wx"\nexpression = "sum((W @ x)**2)"\n'
        "values = { W = [[0.1, 0.5], [-0.3, 0.8]], x = [0.2, 0.4] }\n"
        "gradients = { W = [[0.088, 0.176], [0.104, 0.209]] }\n"
    )
    r = runner.invoke(app, ["check", str(p), "-f", "table"], env={"COLUMNS": "160"})
    assert r.exit_code == 1
    assert "1 failed: wx (∂f/∂W)" in r.stdout


def test_installed_backcalc_runs_symbolic_and_exact_on_arrays():
    exe = pathlib.Path(sys.executable).with_name("backcalc")
    if not exe.exists():
        pytest.skip("backcalc is not installed next to this Python")
    out = subprocess.run(
        [str(exe), "grad", "sum((W @ x)**2)", W, X, "--symbolic", "--exact", "-f", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["exact"]["gradients"]["x"]["value"] == "[-14/125, 159/250]"
    assert doc["symbolic"]["gradients"]["W"]["agrees"] is True
