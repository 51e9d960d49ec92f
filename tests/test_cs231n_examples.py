"""Every example in examples/cs231n/examples.toml runs, in-process and as the installed
`backcalc`, and gives what plain numpy references (the assignments' naive loops, in
tests/test_layers.py) and central differences give.  The setup-*.txt files are the notebooks'
own setup cells: backcalc's reading of them gives the arrays numpy gives for the same cells
(make_values.py) bit for bit.  The READMEs print what the commands print."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import tomllib
from pathlib import Path

import numpy as np
import pytest
from tensor_helpers import numeric_grad
from test_layers import (
    ref_affine,
    ref_bn,
    ref_conv,
    ref_dropout,
    ref_elu,
    ref_leaky,
    ref_ln,
    ref_pool,
    ref_sbn,
    ref_softmax_loss,
    ref_svm,
)
from typer.testing import CliRunner

import backcalc
from backcalc.cli import app
from backcalc.setup_lines import read_setup

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "examples" / "cs231n"
EXAMPLES = tomllib.loads((HERE / "examples.toml").read_text())["example"]
IDS = [e["id"] for e in EXAMPLES]


def _make_values():
    spec = importlib.util.spec_from_file_location("make_values", HERE / "make_values.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


CELLS = _make_values()

# What each example computes, in plain numpy, over its named values: the layer's output.
REFERENCES = {
    "affine_forward": lambda v: ref_affine(v["x"], v["w"], v["b"]),
    "affine_backward": lambda v: ref_affine(v["x"], v["w"], v["b"]),
    "relu_forward": lambda v: np.maximum(v["x"], 0),
    "relu_backward": lambda v: np.maximum(v["x"], 0),
    "relu_kink": lambda v: np.maximum(v["x"], 0),
    "leaky_relu_inline": lambda v: ref_leaky(v["x"], 0.1),
    "elu_inline": lambda v: ref_elu(v["x"]),
    "svm_loss_inline": lambda v: ref_svm(v["s"], v["y"]),
    "svm_loss_kink": lambda v: ref_svm(v["s"], v["y"]),
    "svm_loss": lambda v: ref_svm(v["x"], v["y"]),
    "softmax_loss": lambda v: ref_softmax_loss(v["x"], v["y"]),
    "batchnorm": lambda v: ref_bn(v["x"], v["gamma"], v["beta"]),
    "batchnorm_expand": lambda v: ref_bn(v["x"], v["gamma"], v["beta"]),
    "layernorm": lambda v: ref_ln(v["x"], v["gamma"], v["beta"]),
    "spatial_batchnorm": lambda v: ref_sbn(v["x"], v["gamma"], v["beta"]),
    "dropout": lambda v: ref_dropout(v["x"], 0.2, 123),
    "conv_forward": lambda v: ref_conv(v["x"], v["w"], v["b"], 2, 1),
    "conv_backward": lambda v: ref_conv(v["x"], v["w"], v["b"], 1, 1),
    "maxpool_forward": lambda v: ref_pool(v["x"], 2, 2, 2),
    "maxpool_backward": lambda v: ref_pool(v["x"], 2, 2, 2),
}
LABELS = {"y"}  # integer labels: no gradient
KINKS = {
    "relu_kink",
    "svm_loss_kink",
}  # inputs on a kink: the check warns about them, and central differences do not apply


def _values(example: dict) -> dict:
    """The example's values as numpy computes them: the notebook's cell run by numpy
    (make_values.py), or the NAME=VALUE arguments."""
    if "cell" in example:
        return CELLS.CELLS[example["cell"]]()
    vals: dict = {}
    for a in example["args"][1:]:
        if "=" in a and not a.startswith("-"):
            name, text = a.split("=", 1)
            vals[name] = np.array(json.loads(text), dtype=int if name in LABELS else float)
    return vals


def _json(args: list[str], monkeypatch) -> dict:
    monkeypatch.chdir(HERE)
    r = CliRunner().invoke(app, ["grad", *args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_every_example_has_a_reference():
    assert sorted(IDS) == sorted(REFERENCES)


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_cs231n_example_matches_numpy_and_central_differences(example, monkeypatch):
    doc = _json(example["args"], monkeypatch)
    if example["id"] not in KINKS:
        assert doc["warnings"] == []
    vals = _values(example)
    ref = REFERENCES[example["id"]]
    out = ref(vals)
    np.testing.assert_allclose(doc["value"], out, rtol=1e-12, atol=1e-12)
    if "value" in example:  # what the notebook prints (8 decimals)
        np.testing.assert_allclose(doc["value"], example["value"], rtol=0, atol=1e-8)
    upstream = vals["dout"] if "--upstream" in example["args"] else np.ones(np.shape(out))
    assert sorted(doc["gradients"]) == sorted(
        n for n in vals if n != "dout" or "--upstream" not in example["args"]
    )
    for name, got in doc["gradients"].items():
        if name in LABELS:
            assert np.all(np.asarray(got) == 0.0)
            continue
        if example["id"] in KINKS:
            continue  # test_relu_at_a_kink_reports_the_one_sided_differences_and_passes

        def f(v, name=name):
            return float(np.sum(ref({**vals, name: v}) * upstream))

        want = numeric_grad(f, vals[name])
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=f"{example['id']}: {name}")
    if "--check" in example["args"]:
        assert doc["gradcheck"]["passed"] is True
    if "dx_error" in example:  # the notebook's printed rel_error(dx_num, dx), from the same h
        (x,) = [i for i in doc["gradcheck"]["inputs"] if i["name"] == "x"]
        assert x["cs231n_rel_error"] == pytest.approx(example["dx_error"], rel=1e-6)


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_cs231n_example_from_the_installed_command(example, monkeypatch):
    """The installed executable, run from examples/cs231n as the README says, prints what the
    command does in-process, to the last bit."""
    proc = subprocess.run(
        ["backcalc", "grad", *example["args"], "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=HERE,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    inproc = _json(example["args"], monkeypatch)
    assert doc["value"] == inproc["value"] and doc["gradients"] == inproc["gradients"]
    np.testing.assert_allclose(
        doc["value"], REFERENCES[example["id"]](_values(example)), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("path, cell", sorted(CELLS.SETUP_FILES.items()))
def test_a_pasted_setup_cell_gives_the_notebooks_arrays_bit_for_bit(path, cell):
    got = read_setup((HERE / path).read_text()).values
    want = CELLS.CELLS[cell]()
    for name, value in want.items():
        assert got[name].dtype == value.dtype, name
        assert np.array_equal(got[name], value), f"{path}: {name}"


def test_every_layer_setup_file_is_a_cell_of_make_values():
    layer_files = {p.name for p in HERE.glob("setup-*.txt")} - {
        "setup-adam.txt",
        "setup-rmsprop.txt",
        "setup-sgd-momentum.txt",
        "setup-affine.txt",
    }
    assert layer_files == set(CELLS.SETUP_FILES)
    used = {a for e in EXAMPLES for a in e["args"] if a.startswith("setup-")}
    assert used == set(CELLS.SETUP_FILES)


def test_values_files_are_what_make_values_writes(tmp_path):
    CELLS.main(str(tmp_path))
    for name in CELLS.CELLS:
        assert (tmp_path / f"{name}.toml").read_text() == (HERE / f"{name}.toml").read_text(), name


def test_labels_from_randint_reach_the_losses_as_labels():
    text = (HERE / "setup-losses.txt").read_text()
    y = read_setup(text).values["y"]
    assert y.dtype == np.int64 and y.shape == (50,) and 0 <= y.min() and y.max() <= 9
    x = CELLS.CELLS["losses"]()["x"]
    for gate, ref in (("svm_loss", ref_svm), ("softmax_loss", ref_softmax_loss)):
        r = backcalc.grad(f"{gate}(x, y)", setup=text)
        assert r.value == pytest.approx(ref(x, y), rel=1e-13, abs=0)
        assert np.all(np.asarray(r.gradients["y"]) == 0.0)
        # a label off by one moves the loss: the labels are read as labels, not as numbers near them
        other = backcalc.grad(f"{gate}(x, y)", {"y": (y + 1) % 10}, setup=text)
        assert other.value == pytest.approx(ref(x, (y + 1) % 10), rel=1e-13, abs=0)
        assert other.value != pytest.approx(r.value, rel=1e-6)


def test_relu_at_a_kink_reports_the_one_sided_differences_and_passes(monkeypatch):
    (example,) = [e for e in EXAMPLES if e["id"] == "relu_kink"]
    doc = _json(example["args"], monkeypatch)
    check = doc["gradcheck"]
    assert check["passed"] is True
    (x,) = check["inputs"]
    kinks = {tuple(k["index"]): k for k in x["kink_checks"]}
    assert set(kinks) == {(0, 1), (1, 1)}  # the two zeros of x
    dout = np.array([[1, 2], [3, 4]])
    for at, k in kinks.items():
        assert k["analytic"] == 0.0 and k["between"] is True
        assert k["left"] == pytest.approx(0.0, abs=1e-9)
        assert k["right"] == pytest.approx(dout[at], rel=1e-6)  # relu's slope 1 times dout
    r = CliRunner().invoke(app, ["grad", *example["args"], "--no-nodes", "-f", "table"])
    assert r.exit_code == 0
    text = " ".join(r.stdout.split())
    assert "x[0, 1] sits at (or within h of) a kink: one-sided differences left 0, right 2" in text
    assert "analytic 0 lies between them: a valid subgradient" in text
    assert "gradient check passed" in text


def test_the_svm_hinge_at_its_kink_passes_on_its_one_sided_differences(monkeypatch):
    (example,) = [e for e in EXAMPLES if e["id"] == "svm_loss_kink"]
    doc = _json(example["args"], monkeypatch)
    assert doc["gradcheck"]["passed"] is True
    (s,) = [i for i in doc["gradcheck"]["inputs"] if i["name"] == "s"]
    assert np.abs(np.asarray(s["numeric"])).max() == pytest.approx(0.25, rel=1e-6)  # the central difference
    assert {tuple(k["index"]) for k in s["kink_checks"]} == {(0, 0), (0, 1), (1, 0), (1, 1)}
    for k in s["kink_checks"]:
        assert k["between"] is True and k["analytic"] == 0.0
        assert min(k["left"], k["right"]) <= 0.0 <= max(k["left"], k["right"])
        assert abs(k["left"] - k["right"]) == pytest.approx(0.5, rel=1e-6)  # one margin's slope, 1/N


@pytest.mark.parametrize("ties, analytic", [("split", 0.5), ("all", 1.0), ("first", 0.0)])
def test_maximum_of_zero_and_x_at_its_kink_passes_the_check(ties, analytic):
    r = backcalc.grad("maximum(0, x)", x=np.array([-1.0, 0.0, 2.0]), check=True, ties=ties)
    (x,) = r.gradcheck.inputs
    assert r.gradcheck.passed
    assert np.asarray(r.gradients["x"]).tolist() == [0.0, analytic, 1.0]
    if analytic != 0.5:  # the central difference (0.5) disagrees: the one-sided differences decide
        (k,) = x.kink_checks
        assert tuple(k.index) == (1,) and k.between
        assert k.left == pytest.approx(0.0, abs=1e-9) and k.right == pytest.approx(1.0, rel=1e-6)


def test_batchnorm_compound_and_expanded_give_the_same_gradients():
    text = (HERE / "setup-batchnorm-backward.txt").read_text()
    one = backcalc.grad("batchnorm(x, gamma, beta)", setup=text, upstream="dout")
    staged = backcalc.grad("batchnorm(x, gamma, beta)", setup=text, upstream="dout", expand=True)
    assert [n.op for n in one.nodes].count("batchnorm") == 1
    ops = [n.op for n in staged.nodes]
    assert "batchnorm" not in ops and {"mean", "sub", "pow", "sqrt", "div", "mul", "add"} <= set(ops)
    np.testing.assert_allclose(staged.value, one.value, rtol=1e-13, atol=1e-13)
    for name in ("x", "gamma", "beta"):
        np.testing.assert_allclose(staged.gradients[name], one.gradients[name], rtol=1e-10, atol=1e-13)
    # x branches (into the mean and the centring): its gradient is shown as the sum of its parts
    (x,) = [n for n in staged.nodes if n.id == "x"]
    assert len(x.grad_parts) == 2
    np.testing.assert_allclose(
        sum(np.asarray(part) for _, part in x.grad_parts), staged.gradients["x"], atol=1e-15
    )


def test_upstream_dout_gives_the_gradients_of_sum_of_output_times_dout():
    text = (HERE / "setup-affine-backward.txt").read_text()
    r = backcalc.grad("affine(x, w, b)", setup=text, upstream="dout")
    s = backcalc.grad("sum(affine(x, w, b) * dout)", setup=text, wrt=["x", "w", "b"])
    for name in ("x", "w", "b"):
        np.testing.assert_allclose(r.gradients[name], s.gradients[name], rtol=1e-13, atol=1e-14)
    v = CELLS.CELLS["affine_backward"]()
    dx = (v["dout"] @ v["w"].T).reshape(v["x"].shape)  # affine_backward, as the assignment writes it
    np.testing.assert_allclose(r.gradients["x"], dx, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(r.gradients["w"], v["x"].reshape(10, -1).T @ v["dout"], rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(r.gradients["b"], v["dout"].sum(axis=0), rtol=1e-13, atol=1e-14)


def test_the_published_affine_value_through_setup_in_the_installed_command():
    proc = subprocess.run(
        [
            "backcalc",
            "grad",
            "affine(x, w, b)",
            "--setup",
            str(HERE / "setup-affine-forward.txt"),
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    want = [[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]]
    np.testing.assert_allclose(json.loads(proc.stdout)["value"], want, rtol=0, atol=1e-8)
    r = backcalc.grad("affine(x, w, b)", setup=(HERE / "setup-affine-forward.txt").read_text())
    np.testing.assert_allclose(r.value, want, rtol=0, atol=1e-8)


def test_the_api_step_gives_the_notebooks_expected_next_w():
    # FullyConnectedNets.ipynb's expected_next_w for adam, row 0 (8 decimals)
    s = backcalc.step("adam", setup=(HERE / "setup-adam.txt").read_text())
    np.testing.assert_allclose(
        s.next_w[0], [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977], rtol=0, atol=1e-8
    )
    assert s.state["t"] == 6 and s.config["learning_rate"] == 0.01
    # the same step from arrays and the notebook's dictionary, as a notebook calls it
    w = np.linspace(-0.4, 0.6, num=20).reshape(4, 5)
    dw = np.linspace(-0.6, 0.4, num=20).reshape(4, 5)
    m = np.linspace(0.6, 0.9, num=20).reshape(4, 5)
    v = np.linspace(0.7, 0.5, num=20).reshape(4, 5)
    t = backcalc.step("adam", w=w, dw=dw, config={"learning_rate": 1e-2, "m": m, "v": v, "t": 5})
    assert np.array_equal(t.next_w, s.next_w) and np.array_equal(t.state["m"], s.state["m"])
    # a setting by name overrides the config
    u = backcalc.step("adam", w=w, dw=dw, config={"learning_rate": 1e-2, "m": m, "v": v, "t": 5}, t=0)
    assert u.state["t"] == 1 and not np.array_equal(u.next_w, s.next_w)
    with pytest.raises(backcalc.BackcalcError, match="'lr' is not a setting of adam"):
        backcalc.step("adam", w=w, dw=dw, lr=1e-3)
    with pytest.raises(backcalc.BackcalcError, match="config must be a dictionary"):
        backcalc.step("adam", w=w, dw=dw, config=3)  # type: ignore[arg-type]
    with pytest.raises(backcalc.BackcalcError, match="no value for 'w'"):
        backcalc.step("sgd", dw=dw)


# --- the READMEs print what the commands print --------------------------------------------


def _shown(args: list[str]) -> str:
    """The command as the READMEs write it: arguments with spaces or brackets in double quotes."""
    return " ".join(f'"{a}"' if re.search(r"[\s()\[\]*]", a) else a for a in args)


def test_the_examples_readme_lists_every_command_and_what_the_notebook_prints():
    text = (HERE / "README.md").read_text()
    for e in EXAMPLES:
        assert f"backcalc grad {_shown(e['args'])}" in text, e["id"]
        if isinstance(e.get("value"), float):
            assert repr(e["value"]) in text or f"{e['value']:.4g}" in text, e["id"]
        if "dx_error" in e:
            assert f"dx error: {e['dx_error']:.2e}" in text, e["id"]
    (affine,) = [e for e in EXAMPLES if e["id"] == "affine_forward"]
    assert str(affine["value"]) in text


def _blocks(text: str) -> list[str]:
    return re.findall(r"```\n(\$ .*?)```", text, re.DOTALL)


def test_the_readme_walkthrough_prints_what_it_says():
    """Each `$ backcalc ...` of the README's cs231n section, run at 80 columns from the
    repository's root, prints the lines pasted under it."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Checking your cs231n homework", 1)[1].split("\n## ", 1)[0]
    blocks = _blocks(section)
    assert blocks
    env = {**os.environ, "COLUMNS": "80", "LANG": "C.UTF-8", "NO_COLOR": "1"}
    env.pop("LC_ALL", None)
    checked = 0
    for block in blocks:
        for cmd, shown in re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n)*)", block, re.MULTILINE):
            if cmd.startswith("cat "):  # the setup cell, as the file has it
                lines = (ROOT / cmd[4:]).read_text().splitlines()
                assert all(line in lines for line in shown.splitlines() if line != "..."), cmd
                continue
            args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', cmd)]
            proc = subprocess.run(
                [*args, "-f", "table"], capture_output=True, text=True, check=False, cwd=ROOT, env=env
            )
            assert proc.returncode == 0, proc.stderr
            out = (proc.stdout + proc.stderr).splitlines()
            for line in shown.rstrip("\n").splitlines():
                if line.strip() == "...":
                    continue
                assert line.rstrip() in [o.rstrip() for o in out], f"{cmd}: {line!r} not in\n" + "\n".join(
                    out
                )
            checked += 1
    assert checked >= 2


def test_the_api_reads_a_setup_file_given_as_a_path():
    path = HERE / "setup-affine-backward.txt"
    by_path = backcalc.grad("affine(x, w, b)", setup=path, upstream="dout")
    by_text = backcalc.grad("affine(x, w, b)", setup=path.read_text(), upstream="dout")
    for name in ("x", "w", "b"):
        assert np.array_equal(by_path.gradients[name], by_text.gradients[name])
    assert backcalc.step("adam", setup=HERE / "setup-adam.txt").state["t"] == 6
    with pytest.raises(backcalc.BackcalcError, match="cannot read the setup file"):
        backcalc.grad("x", setup=HERE / "no-such-setup.txt")
    # a str is always the text itself: a file's name is not read
    with pytest.raises(backcalc.BackcalcError, match="setup line 1, column 1"):
        backcalc.grad("x", setup="setup-affine-backward.txt")
