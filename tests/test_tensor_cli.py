"""The tensor features from the command line: CliRunner and the installed executable,
value files, JSON against the schema, --jacobian, the array table, errors with exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner

from backcalc.cli import app

SEED = ["grad", "sum((W @ x)**2)", "W=[[0.1,0.5],[-0.3,0.8]]", "x=[0.2,0.4]"]
runner = CliRunner()


def _schema() -> dict:
    return json.loads(resources.files("backcalc").joinpath("schema/result.schema.json").read_text())


def _run(*args: str):
    return runner.invoke(app, list(args))


def _check_seed_json(doc: dict) -> None:
    jsonschema.validate(doc, _schema())
    assert doc["value"] == pytest.approx(0.116)
    np.testing.assert_allclose(doc["gradients"]["W"], [[0.088, 0.176], [0.104, 0.208]])
    np.testing.assert_allclose(doc["gradients"]["x"], [-0.112, 0.636])
    nodes = {n["id"]: n for n in doc["nodes"]}
    assert nodes["W"]["shape"] == [2, 2] and nodes["x"]["shape"] == [2]
    q = next(n for n in doc["nodes"] if n["op"] == "matmul")
    np.testing.assert_allclose(q["grad"], [0.44, 0.52])
    assert q["shape"] == [2] and q["local"] is None and q["vjp"] == ["g @ xᵀ", "Wᵀ @ g"]


def test_seed_example_json_through_clirunner():
    r = _run(*SEED, "--format", "json")
    assert r.exit_code == 0, r.output
    _check_seed_json(json.loads(r.stdout))


def test_seed_example_table_shows_values_shapes_and_gradients():
    r = _run(*SEED, "--format", "table")
    assert r.exit_code == 0, r.output
    out = r.stdout
    for text in (
        "shape",
        "2×2",
        "f = 0.116",
        "[0.44, 0.52]",
        "[-0.112, 0.636]",
        "[[0.088, 0.176]",
        "[0.104, 0.208]]",
        "g @ xᵀ",
        "Wᵀ @ g",
    ):
        assert text in out, text


def test_matrix_rows_are_aligned_in_the_table():
    r = _run(*SEED, "--format", "table")
    lines = [line for line in r.stdout.splitlines() if "0.1, 0.5]" in line or "[-0.3, 0.8]" in line]
    assert len(lines) == 2
    assert lines[0].index("0.5]") == lines[1].index("0.8]")


def test_long_arrays_are_elided_with_a_count():
    xs = "x=[" + ",".join(str(i) for i in range(100)) + "]"
    r = _run("grad", "sum(x * x)", xs, "--format", "table")
    assert r.exit_code == 0, r.output
    assert "(100 items)" in r.stdout and "…" in r.stdout


def _executable() -> str | None:
    """The installed console script: beside this Python (a venv), or on PATH."""
    here = Path(sys.executable).parent / "backcalc"
    return str(here) if here.exists() else shutil.which("backcalc")


def test_installed_executable_prints_the_seed_numbers():
    exe = _executable()
    if exe is None:
        pytest.skip("backcalc is not installed as an executable")
    p = subprocess.run([exe, *SEED], capture_output=True, text=True, check=False)
    assert p.returncode == 0, p.stderr
    _check_seed_json(json.loads(p.stdout))  # not a terminal: JSON
    p = subprocess.run([exe, *SEED, "--format", "table"], capture_output=True, text=True, check=False)
    assert p.returncode == 0 and "f = 0.116" in p.stdout


def test_installed_executable_shape_error_exits_2_with_a_caret():
    exe = _executable()
    if exe is None:
        pytest.skip("backcalc is not installed as an executable")
    p = subprocess.run(
        [exe, "grad", "sum((W @ x)**2)", "W=[[0.1,0.5],[-0.3,0.8]]", "x=[1,2,3]"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert p.returncode == 2
    assert p.stdout == ""
    assert "Traceback" not in p.stderr
    lines = p.stderr.splitlines()
    assert lines[0].startswith("error: shape mismatch at n1 = W @ x: matmul")
    assert lines[1] == "  sum((W @ x)**2)" and lines[2] == "       ^^^^^"


@pytest.mark.parametrize("kind", ["json", "toml", "npz", "npy"])
def test_values_file_of_every_kind(tmp_path, kind):
    Wv, xv = np.array([[0.1, 0.5], [-0.3, 0.8]]), np.array([0.2, 0.4])
    args = []
    if kind == "json":
        path = tmp_path / "v.json"
        path.write_text(json.dumps({"W": Wv.tolist(), "x": xv.tolist()}))
        args = ["--values", str(path)]
    elif kind == "toml":
        path = tmp_path / "v.toml"
        path.write_text("W = [[0.1, 0.5], [-0.3, 0.8]]\nx = [0.2, 0.4]\n")
        args = ["--values", str(path)]
    elif kind == "npz":
        path = tmp_path / "v.npz"
        np.savez(path, W=Wv, x=xv)
        args = ["--values", str(path)]
    else:
        np.save(tmp_path / "W.npy", Wv)
        np.save(tmp_path / "x.npy", xv)
        args = ["--values", str(tmp_path / "W.npy"), "--values", str(tmp_path / "x.npy")]
    r = _run("grad", "sum((W @ x)**2)", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    _check_seed_json(json.loads(r.stdout))


def test_command_line_values_override_the_file(tmp_path):
    path = tmp_path / "v.json"
    path.write_text(json.dumps({"W": [[0.1, 0.5], [-0.3, 0.8]], "x": [9, 9]}))
    r = _run("grad", "sum((W @ x)**2)", "--values", str(path), "x=[0.2,0.4]", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["value"] == pytest.approx(0.116)


@pytest.mark.parametrize(
    "content, words",
    [
        ('{"W": [[1, 2], [3]]}', "ragged array"),
        ('{"W": [[1, 2], [3, "a"]]}', "'a' is not a number"),
        ('{"W": [1, 2', "not valid JSON"),
        ("[1, 2]", "expected an object"),
        ('{"W": true}', "expected a number"),
    ],
)
def test_bad_values_file_is_a_clear_error(tmp_path, content, words):
    path = tmp_path / "v.json"
    path.write_text(content)
    r = _run("grad", "sum(W)", "--values", str(path))
    assert r.exit_code == 2
    assert words in r.stderr and "Traceback" not in r.stderr


def test_bad_binary_and_missing_files(tmp_path):
    np.save(tmp_path / "W.npy", np.array(["a", "b"]))
    r = _run("grad", "sum(W)", "--values", str(tmp_path / "W.npy"))
    assert r.exit_code == 2 and "expected numbers" in r.stderr
    r = _run("grad", "sum(W)", "--values", str(tmp_path / "nope.json"))
    assert r.exit_code == 2 and "cannot read the file" in r.stderr
    r = _run("grad", "sum(W)", "--values", str(tmp_path / "v.csv"))
    assert r.exit_code == 2 and "unknown kind of file" in r.stderr


@pytest.mark.parametrize(
    "value, words",
    [("W=[[1,2],[3]]", "ragged"), ('W=[1,"a"]', "is not a number"), ("W=[1,2", "not a valid array")],
)
def test_bad_array_on_the_command_line_exits_2(value, words):
    r = _run("grad", "sum(W)", value)
    assert r.exit_code == 2 and words in r.stderr


def test_jacobian_option_shows_relu_diagonal_and_says_why_large_ones_are_not_shown():
    r = _run("grad", "sum(relu(x))", "x=[1,-2,3]", "--jacobian", "--format", "table")
    assert r.exit_code == 0, r.output
    assert "local Jacobians" in r.stdout
    assert "∂n1/∂x (3×3) = [[1, 0, 0]" in r.stdout
    big = "x=[" + ",".join(["1"] * 200) + "]"
    r = _run("grad", "sum(relu(x))", big, "--jacobian", "--format", "table")
    assert "not shown" in r.stdout and "more than the limit of 144" in r.stdout


def test_jacobian_json_validates_against_the_schema():
    r = _run(*SEED, "--jacobian", "--format", "json")
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, _schema())
    q = next(n for n in doc["nodes"] if n["op"] == "matmul")
    assert [j["input"] for j in q["jacobian"]] == ["W", "x"]
    assert q["jacobian"][0]["shape"] == [2, 4]


def test_big_matrix_in_the_table_is_elided_and_sized_by_the_shape_column(tmp_path):
    path = tmp_path / "W.npy"
    np.save(path, np.arange(2500.0).reshape(50, 50) / 7)
    r = _run("grad", "sum(W * W)", "--values", str(path), "--format", "table")
    assert r.exit_code == 0, r.output
    assert "50×50" in r.stdout and "…" in r.stdout
    assert "[  350, …, 356.9,   357]]" in r.stdout
