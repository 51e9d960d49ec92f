"""Shared fixtures: the worked examples from the source notes, and finite differences."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The worked examples of ../shared/seeds (cs231n lecture 4), with the lecture's numbers.
SEEDS = [
    pytest.param(
        "(x+y)*z", {"x": -2, "y": 5, "z": -4}, -12.0, {"x": -4.0, "y": -4.0, "z": 3.0}, 1e-12, id="add-mul"
    ),
    pytest.param(
        "1/(1+exp(-(w0*x0+w1*x1+w2)))",
        {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3},
        0.73,
        {"w0": -0.20, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.20},
        0.006,
        id="sigmoid-neuron-staged",
    ),
    pytest.param(
        "sigmoid(w0*x0+w1*x1+w2)",
        {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3},
        0.73,
        {"w0": -0.20, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.20},
        0.006,
        id="sigmoid-neuron-compound",
    ),
    pytest.param(
        "2*(x*y + max(z, w))",
        {"x": 3, "y": -4, "z": 2, "w": -1},
        -20.0,
        {"x": -8.0, "y": 6.0, "z": 2.0, "w": 0.0},
        1e-12,
        id="three-roles",
    ),
    pytest.param("x*x + x", {"x": 3}, 12.0, {"x": 7.0}, 1e-12, id="fan-out"),
]


def central_diff(f, values: dict, name: str, h: float = 1e-6) -> float:
    plus, minus = dict(values), dict(values)
    plus[name] = values[name] + h
    minus[name] = values[name] - h
    return (f(plus) - f(minus)) / (2 * h)


def backcalc_exe() -> str:
    exe = shutil.which("backcalc", path=os.path.dirname(sys.executable)) or shutil.which("backcalc")
    if exe is None:
        pytest.skip("the backcalc executable is not installed (pip install -e .)")
    return exe


def run_exe(*args: str, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [backcalc_exe(), *args], capture_output=True, text=True, input=input, env=full_env, timeout=120
    )


@pytest.fixture(scope="session")
def schema() -> dict:
    return json.loads((ROOT / "backcalc" / "schema" / "result.schema.json").read_text())


def close(a: float, b: float, tol: float) -> bool:
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def kink_free(result, margin: float = 1e-4) -> bool:
    """No node of the result sits within ``margin`` of a kink or a tie (where finite
    differences, or two tools' rules, may legitimately disagree)."""
    import numpy as np

    from backcalc import ops as O

    by_id = {n.id: n for n in result.nodes}
    for n in result.nodes:
        if n.flags:
            return False
        op = O.OPS.get(n.op)
        if op is None or op.kink is None:
            continue
        xs = [np.asarray(by_id[i].value, dtype=float) for i in n.inputs]
        if op.ties:
            for a in range(len(xs)):
                for b in range(a + 1, len(xs)):
                    if np.min(np.abs(xs[a] - xs[b])) < margin:
                        return False
        elif min(float(np.min(np.abs(x))) for x in xs) < margin:
            return False
    return True
