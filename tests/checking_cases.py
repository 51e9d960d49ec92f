"""Shared cases for the checking tests: the worked examples from the seed notes, and a CLI runner.

(A plain module rather than conftest.py, so it cannot collide with other test suites' fixtures.)"""

from __future__ import annotations

# (expression, values, value, gradients): cs231n lecture 4's worked examples.
SEEDS = [
    ("(x+y)*z", {"x": -2.0, "y": 5.0, "z": -4.0}, -12.0, {"x": -4.0, "y": -4.0, "z": 3.0}),
    (
        "1/(1+exp(-(w0*x0+w1*x1+w2)))",
        {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0},
        0.7310585786300049,
        {
            "w0": -0.19661193324148185,
            "x0": 0.3932238664829637,
            "w1": -0.3932238664829637,
            "x1": -0.5898357997244456,
            "w2": 0.19661193324148185,
        },
    ),
    (
        "2*(x*y+max(z,w))",
        {"x": 3.0, "y": -4.0, "z": 2.0, "w": -1.0},
        -20.0,
        {"x": -8.0, "y": 6.0, "z": 2.0, "w": 0.0},
    ),
]
SEED_IDS = ["add-mul", "sigmoid-neuron", "max-gate"]


def make_runner():
    from typer.testing import CliRunner

    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 keeps stderr apart already
        return CliRunner()


def argv(expr: str, values: dict) -> list[str]:
    return ["grad", expr, *[f"{k}={v!r}" for k, v in values.items()]]
