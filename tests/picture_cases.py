"""Worked examples shared by the picture and explanation tests (the seeds' lecture examples, then more)."""

from __future__ import annotations

import os
import shutil

import pytest

# (id, expression, values, {input: gradient} from the notes)
SEEDS = [
    ("add-mul", "(x+y)*z", {"x": -2, "y": 5, "z": -4}, {"x": -4, "y": -4, "z": 3}),
    (
        "sigmoid-neuron",
        "1/(1+exp(-(w0*x0+w1*x1+w2)))",
        {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3},
        {"w0": -0.1966, "x0": 0.3932, "w1": -0.3932, "x1": -0.5898, "w2": 0.1966},
    ),
    ("mul-max", "2*(x*y+max(z,w))", {"x": 3, "y": -4, "z": 2, "w": -1}, {"x": -8, "y": 6, "z": 2, "w": 0}),
]
MORE = [
    ("branch", "x*x+x", {"x": 3}),
    ("tie", "max(x, y) * x", {"x": 2, "y": 2}),
    ("kink", "relu(x) + abs(y)", {"x": 0, "y": 0}),
    ("sigmoid-op", "sigmoid(w*x + b)", {"w": 2, "x": -1, "b": 0.5}),
    ("expanded", "tanh(x) * y", {"x": 0.5, "y": 3}),
    ("program", "q = x + y; f = q * z", {"x": -2, "y": 5, "z": -4}),
    ("unicode-names", "가중치 * x_1 + μ", {"가중치": 2, "x_1": -1, "μ": 0.5}),
    ("long-numbers", "x * y / 3", {"x": 1e300, "y": 1 / 3}),
    ("tiny", "x * 1e-12 - y", {"x": 1 / 7, "y": -123456789.123}),
    ("arrays", "x*y+w", {"x": [1.0, 2.0], "y": [3.0, 4.0], "w": [[0.1, 0.2], [0.3, 0.4]]}),
]
ALL = [(c[0], c[1], c[2]) for c in SEEDS] + MORE


def run(expression: str, values: dict, **kw):
    from backcalc import grad

    kw.setdefault("expand", expression.startswith("tanh"))
    return grad(expression, dict(values), **kw)


needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed (apt-get install graphviz)"
)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium chromium-driver)"
)
needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None, reason="pdflatex is not installed (apt-get install texlive-latex-base)"
)
UPDATE_SNAPSHOTS = os.environ.get("BACKCALC_UPDATE_SNAPSHOTS") == "1"
