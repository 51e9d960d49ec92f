"""The typer-free path of a plain ``backcalc grad`` gives exactly what the typer app gives:
the same stdout, stderr and exit status, on the same command lines."""

from __future__ import annotations

import subprocess
import sys

import pytest

from backcalc.cli.fast import plain_grad_args

CASES = [
    ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4"],
    ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "table"],
    ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--format", "json", "--no-nodes"],
    ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--no-nodes", "-f", "table"],
    ["grad", "sigmoid(w0*x0+w1*x1+w2)", "w0=2", "x0=-1", "w1=-3", "x1=-2", "w2=-3", "-f", "table"],
    ["grad", "sum((W @ x)**2)", "W=[[0.1,0.5],[-0.3,0.8]]", "x=[0.2,0.4]", "-f", "table"],
    ["grad", "x/3", "x=1/3", "y=2"],  # an unused value: a warning
    ["grad", "(x+y)*z", "x=-2", "y=5"],  # a missing value: exit 2
    ["grad", "(x+", "x=1", "-f", "table"],  # a syntax error
    ["grad", "log(x)", "x=-1"],  # a domain error
    ["grad", "x*y", "x=1", "y=[1,2", "-f", "json"],  # a bad value
    ["grad", "exp(x)", "x=1000", "-f", "json"],  # overflow: warnings and strict JSON
]


def _run(argv: list[str], fast: bool) -> subprocess.CompletedProcess:
    code = (
        "import sys\n"
        f"sys.argv = {['backcalc', *argv]!r}\n"
        "from backcalc import cli\n"
        + ("" if fast else "import backcalc.cli.fast as F; F.run_plain_grad = lambda argv: False\n")
        + "cli.main()\n"
    )
    env = {"COLUMNS": "80", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(c[1:3]) for c in CASES])
def test_the_fast_path_prints_what_the_typer_app_prints(argv):
    assert plain_grad_args(argv) is not None
    fast, slow = _run(argv, True), _run(argv, False)
    assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr)
    assert "Traceback" not in fast.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["grad", "-x*y", "x=1", "y=2"],  # starts with '-': typer's option handling
        ["grad", "@expr.txt", "x=1"],
        ["grad", "x", "x=1", "--wrt", "x"],
        ["grad", "x", "x=1", "-p", "3"],
        ["grad", "x", "x=1", "-f", "dot"],
        ["grad", "x", "x=1", "-f"],
        ["grad", "x", "x=1", "--help"],
        ["grad", "x", "-x=1"],
        ["grad", "x", "x"],
        ["graph", "x", "x=1"],
        ["grad"],
    ],
)
def test_anything_else_goes_to_the_typer_app(argv):
    assert plain_grad_args(argv) is None
