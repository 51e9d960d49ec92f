"""Every tensor example in examples/tensor/examples.toml runs and gives its stated numbers."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from backcalc.cli import app

HERE = Path(__file__).resolve().parent.parent / "examples" / "tensor"
EXAMPLES = tomllib.loads((HERE / "examples.toml").read_text())["example"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["name"] for e in EXAMPLES])
def test_tensor_example_runs_and_matches(example, monkeypatch):
    monkeypatch.chdir(HERE)
    r = CliRunner().invoke(app, ["grad", *example["args"], "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    if "value" in example:
        assert doc["value"] == pytest.approx(example["value"])
    for name, want in example.get("gradients", {}).items():
        np.testing.assert_allclose(doc["gradients"][name], want, atol=1e-12)
    r = CliRunner().invoke(app, ["grad", *example["args"], "--format", "table"])
    assert r.exit_code == 0, r.output
