"""`backcalc net`: tables, JSON, every grad format, --step, -o (atomic, never over the input),
errors with exit 2; through CliRunner and the installed executable."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from backcalc.cli import app
from backcalc.network.spec import load_spec

from conftest import backcalc_exe

ROOT = Path(__file__).resolve().parent.parent
XOR = str(ROOT / "examples" / "xor.toml")
MAZUR = str(ROOT / "examples" / "networks" / "mazur.toml")
NET_EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.toml") if "[[layers]]" in p.read_text())
runner = CliRunner()


def _json(args: list[str]) -> dict:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.parametrize("path", NET_EXAMPLES, ids=lambda p: p.name)
def test_every_example_runs_as_table_and_json(path):
    res = runner.invoke(app, ["net", str(path), "-f", "table"])
    assert res.exit_code == 0, res.output
    assert "layer 1" in res.stdout and "loss L = data loss + regularisation" in res.stdout
    doc = _json(["net", str(path), "-f", "json"])
    assert set(doc["layers"][0]) >= {"z", "a", "delta", "dW", "db"}
    assert doc["loss"] == pytest.approx(doc["data_loss"] + doc["reg_loss"])
    assert doc["result"]["value"] == doc["loss"]


def test_json_layers_have_the_shapes_of_the_network():
    doc = _json(["net", XOR, "-f", "json"])
    l1, l2 = doc["layers"]
    assert np.shape(l1["W"]) == (4, 2) and np.shape(l1["dW"]) == (4, 2)
    assert np.shape(l1["z"]) == (4, 4) and np.shape(l1["delta"]) == (4, 4)  # 4 examples x 4 neurons
    assert np.shape(l2["db"]) == (1,)
    assert doc["batch"] == 4 and doc["loss_function"] == "mse"
    assert "W_new" not in l1


def test_step_json_has_new_weights_equal_to_w_minus_lr_grad():
    doc = _json(["net", MAZUR, "--step", "--lr", "0.5", "-f", "json"])
    for layer in doc["layers"]:
        np.testing.assert_allclose(
            layer["W_new"], np.array(layer["W"]) - 0.5 * np.array(layer["dW"]), rtol=0, atol=0
        )
        np.testing.assert_allclose(
            layer["b_new"], np.array(layer["b"]) - 0.5 * np.array(layer["db"]), rtol=0, atol=0
        )
    assert doc["layers"][1]["W_new"][0][0] == pytest.approx(0.35891648, abs=1e-8)
    assert doc["step"]["lr"] == 0.5 and doc["step"]["loss_after"] < doc["loss"]
    assert [p["name"] for p in doc["step"]["params"]] == ["W1", "b1", "W2", "b2"]


def test_step_table_shows_old_gradient_and_new():
    res = runner.invoke(app, ["net", MAZUR, "--step", "--lr", "0.5", "-f", "table"])
    assert res.exit_code == 0, res.output
    assert "gradient-descent step" in res.stdout and "0.3589" in res.stdout  # w5 after the step
    assert "loss before the step 0.2984, after" in res.stdout


@pytest.mark.parametrize("fmt", ["dot", "markdown", "latex", "html"])
def test_every_grad_format_renders_the_network_graph(fmt):
    res = runner.invoke(app, ["net", MAZUR, "-f", fmt])
    assert res.exit_code == 0, res.output
    assert "W1" in res.stdout and "z2" in res.stdout


def test_output_writes_the_updated_spec(tmp_path):
    out = tmp_path / "after.toml"
    res = runner.invoke(app, ["net", MAZUR, "--step", "--lr", "0.5", "-o", str(out), "-f", "json"])
    assert res.exit_code == 0, res.output
    assert "wrote" in res.stderr
    net = load_spec(str(out))
    np.testing.assert_allclose(
        net.layers[0].W, [[0.149780716, 0.19956143], [0.24975114, 0.29950229]], atol=1e-8
    )
    assert out.read_text().startswith("# written by backcalc net: one gradient-descent step (lr 0.5)")
    json_out = tmp_path / "after.json"
    assert (
        runner.invoke(
            app, ["net", MAZUR, "--step", "--lr", "0.5", "-o", str(json_out), "-f", "json"]
        ).exit_code
        == 0
    )
    np.testing.assert_array_equal(load_spec(str(json_out)).layers[1].W, net.layers[1].W)


def test_never_writes_over_the_input_spec_unless_in_place(tmp_path):
    spec = tmp_path / "m.toml"
    spec.write_text(Path(MAZUR).read_text())
    before = spec.read_text()
    res = runner.invoke(app, ["net", str(spec), "--step", "--lr", "0.5", "-o", str(spec)])
    assert res.exit_code == 2
    assert "refusing to write over the input spec" in res.output and "--in-place" in res.output
    assert spec.read_text() == before
    res = runner.invoke(app, ["net", str(spec), "--step", "--lr", "0.5", "--in-place", "-f", "json"])
    assert res.exit_code == 0, res.output
    assert load_spec(str(spec)).layers[1].W[0, 0] == pytest.approx(0.35891648, abs=1e-8)
    assert os.listdir(tmp_path) == ["m.toml"]


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    out = tmp_path / "after.toml"

    def fail_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail_replace)
    res = runner.invoke(app, ["net", MAZUR, "--step", "-o", str(out), "-f", "json"])
    assert res.exit_code == 2 and "No space left on device" in res.output
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            'loss = "half_sse"\nx = [1, 2]\ny = [1]\n[[layers]]\nactivation = "sigmoid"\nW = [[1, 2, 3]]\nb = [0]\n',
            "layer 1.W: has 3 columns, but there are 2 inputs",
        ),
        (
            'loss = "half_sse"\nx = [1, 2]\ny = [1]\n[[layers]]\nactivation = "sigmod"\nsize = 1\n',
            "unknown activation 'sigmod'",
        ),
        (
            'loss = "hing"\nx = [1, 2]\ny = [1]\n[[layers]]\nactivation = "sigmoid"\nsize = 1\n',
            "did you mean 'hinge'?",
        ),
        ('x = [1, 2]\ny = [1]\n[[layers]]\nactivation = "sigmoid"\nsize = 1\n', "loss: missing key"),
        (
            'loss = "mse"\ny = [1]\n[[layers]]\nactivation = "sigmoid"\nW = [[1, 2]]\nb = [0]\n',
            "x: missing key",
        ),
        ('loss = "mse"\nx = [1, 2\n', "not valid TOML"),
    ],
)
def test_spec_errors_exit_2_with_the_file_and_key_path(tmp_path, text, expected):
    spec = tmp_path / "bad.toml"
    spec.write_text(text)
    out = tmp_path / "out.toml"
    res = runner.invoke(app, ["net", str(spec), "--step", "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert "bad.toml" in res.stderr and expected in res.stderr
    assert "Traceback" not in res.output
    assert not out.exists()


def test_net_help_lists_the_options():
    res = runner.invoke(app, ["net", "--help"])
    assert res.exit_code == 0
    for opt in ("--step", "--lr", "--output", "--in-place", "--format"):
        assert opt in res.stdout


# --- the installed executable ---------------------------------------------------------------


def test_installed_backcalc_net_pipes_json(tmp_path):
    exe = backcalc_exe()
    p = subprocess.run(
        [exe, "net", MAZUR, "--step", "--lr", "0.5"], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)  # piped: JSON by default
    assert doc["loss"] == pytest.approx(0.298371109, abs=1e-9)
    p = subprocess.run(
        [exe, "net", str(tmp_path / "missing.toml")], capture_output=True, text=True, timeout=60
    )
    assert p.returncode == 2 and "cannot read the spec" in p.stderr and "Traceback" not in p.stderr


def test_plain_grad_does_not_import_the_network_modules():
    import sys

    code = (
        "import sys; from backcalc.cli import main; sys.argv=['backcalc','grad','(x+y)*z','x=-2','y=5','z=-4'];\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('backcalc.net', 'backcalc.files', 'numpy', 'matplotlib'))), file=sys.stderr)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stderr.strip().splitlines()[-1] == "[]"


def test_net_explain_narrates_layer_by_layer_in_both_languages():
    import re

    from typer.testing import CliRunner

    from backcalc.cli import app

    spec = str(Path(__file__).resolve().parent.parent / "examples" / "networks" / "mazur.toml")
    runner = CliRunner()
    en = runner.invoke(app, ["net", spec, "--explain", "--lang", "en"], env={"COLUMNS": "200"})
    ko = runner.invoke(app, ["net", spec, "--explain", "--lang", "ko"], env={"COLUMNS": "200"})
    assert en.exit_code == 0 and ko.exit_code == 0
    # forward through each layer's z and a, backward to each layer's weights
    for step in ("z1 = W1 x + b1", "a1 = σ(z1)", "z2 = W2 a1 + b2", "a2 = σ(z2)", "δ2 = ∂L/∂z2"):
        assert step in en.stdout and step in ko.stdout
    assert "0.2984" in en.stdout  # Mazur's total error 0.298371109
    assert "∂L/∂W2 = δ2 a1ᵀ = [[0.08217, 0.08267], [-0.0226, -0.02274]]" in en.stdout  # dE/dW2

    def numbers(text: str) -> list[str]:
        return sorted(re.findall(r"-?\d+\.\d+", text))

    assert numbers(en.stdout) == numbers(ko.stdout)
