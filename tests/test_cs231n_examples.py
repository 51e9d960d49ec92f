"""Every example in examples/cs231n/examples.toml runs, and gives what numpy references (the
assignments' naive loops, in tests/test_layers.py) and central differences give; the values
files are what make_values.py writes from the notebooks' setup cells."""

from __future__ import annotations

import importlib.util
import json
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

from backcalc.cli import app
from backcalc.values import load_values_file

HERE = Path(__file__).resolve().parent.parent / "examples" / "cs231n"
EXAMPLES = tomllib.loads((HERE / "examples.toml").read_text())["example"]

# What each example computes, in plain numpy, over its named values.
REFERENCES = {
    "affine_forward": lambda v: ref_affine(v["x"], v["w"], v["b"]),
    "affine_backward": lambda v: np.sum(ref_affine(v["x"], v["w"], v["b"]) * v["dout"]),
    "relu_inline": lambda v: np.maximum(v["x"], 0),
    "relu_backward": lambda v: np.sum(np.maximum(v["x"], 0) * v["dout"]),
    "leaky_relu_inline": lambda v: np.sum(ref_leaky(v["x"], 0.1) * v["dout"]),
    "elu_inline": lambda v: np.sum(ref_elu(v["x"]) * v["dout"]),
    "svm_loss_inline": lambda v: ref_svm(v["s"], v["y"]),
    "svm_loss": lambda v: ref_svm(v["x"], v["y"]),
    "softmax_loss": lambda v: ref_softmax_loss(v["x"], v["y"]),
    "batchnorm": lambda v: np.sum(ref_bn(v["x"], v["gamma"], v["beta"]) * v["dout"]),
    "batchnorm_expand": lambda v: np.sum(ref_bn(v["x"], v["gamma"], v["beta"]) * v["dout"]),
    "layernorm": lambda v: np.sum(ref_ln(v["x"], v["gamma"], v["beta"]) * v["dout"]),
    "spatial_batchnorm": lambda v: np.sum(ref_sbn(v["x"], v["gamma"], v["beta"]) * v["dout"]),
    "dropout": lambda v: np.sum(ref_dropout(v["x"], 0.2, 123) * v["dout"]),
    "conv_forward": lambda v: ref_conv(v["x"], v["w"], v["b"], 2, 1),
    "conv_backward": lambda v: np.sum(ref_conv(v["x"], v["w"], v["b"], 1, 1) * v["dout"]),
    "maxpool_forward": lambda v: ref_pool(v["x"], 2, 2, 2),
    "maxpool_backward": lambda v: np.sum(ref_pool(v["x"], 2, 2, 2) * v["dout"]),
}
LABELS = {"y"}  # integer labels: no gradient


def _values(args: list[str]) -> dict:
    vals: dict = {}
    for i, a in enumerate(args):
        if a == "--values":
            vals.update(load_values_file(str(HERE / args[i + 1])))
        elif "=" in a and not a.startswith("-") and i > 0:
            name, text = a.split("=", 1)
            vals[name] = np.array(json.loads(text), dtype=float)
    return vals


def test_every_example_has_a_reference():
    assert sorted(e["id"] for e in EXAMPLES) == sorted(REFERENCES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_cs231n_example_matches_numpy_and_central_differences(example, monkeypatch):
    monkeypatch.chdir(HERE)
    r = CliRunner().invoke(app, ["grad", *example["args"], "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["warnings"] == []
    vals = _values(example["args"])
    ref = REFERENCES[example["id"]]
    np.testing.assert_allclose(doc["value"], ref(vals), rtol=1e-12, atol=1e-12)
    if "value" in example:  # a value the notebook prints (8 decimals)
        np.testing.assert_allclose(doc["value"], example["value"], rtol=0, atol=1e-8)
    for name, got in doc["gradients"].items():
        if name in LABELS:
            assert np.all(np.asarray(got) == 0.0)
            continue

        def f(v, name=name):
            return float(np.sum(ref({**vals, name: v})))

        want = numeric_grad(f, vals[name])
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=f"{example['id']}: {name}")


def test_values_files_are_what_make_values_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_values", HERE / "make_values.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.main(str(tmp_path))
    for name in mod.CELLS:
        assert (tmp_path / f"{name}.toml").read_text() == (HERE / f"{name}.toml").read_text(), name


def test_the_affine_example_from_the_installed_command():
    proc = subprocess.run(
        ["backcalc", "grad", "affine(x, w, b)", "--values", str(HERE / "affine.toml"), "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    value = np.array(json.loads(proc.stdout)["value"])
    want = [[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]]
    np.testing.assert_allclose(value, want, rtol=0, atol=1e-8)
