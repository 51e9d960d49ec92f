"""The command line, in-process (typer's CliRunner) and as the installed executable."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from typer.testing import CliRunner

from backcalc.cli import app

from conftest import SEEDS, close, run_exe

runner = CliRunner()


def invoke(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env)


def test_grad_json_is_the_default_when_piped():
    r = invoke("grad", "(x+y)*z", "x=-2", "y=5", "z=-4")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["gradients"] == {"x": -4.0, "y": -4.0, "z": 3.0}
    assert doc["value"] == -12.0 and doc["output"] == "f" and doc["expression"] == "(x+y)*z"
    assert r.stderr == ""


@pytest.mark.parametrize("expr, values, value, grads, tol", SEEDS)
def test_seed_json_validates_against_the_schema(expr, values, value, grads, tol, schema):
    r = invoke("grad", expr, *[f"{k}={v}" for k, v in values.items()], "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, schema)
    assert close(doc["value"], value, tol)
    for k, g in grads.items():
        assert close(doc["gradients"][k], g, tol)


def test_json_nodes_carry_local_and_downstream():
    doc = json.loads(invoke("grad", "(x+y)*z", "x=-2", "y=5", "z=-4").stdout)
    f = doc["nodes"][-1]
    assert f == {
        **f,
        "id": "f",
        "op": "mul",
        "role": "switcher",
        "inputs": ["n1", "z"],
        "value": -12.0,
        "grad": 1.0,
        "local": [-4.0, 3.0],
        "downstream": [-4.0, 3.0],
    }


def test_table_shows_every_node_with_its_gradients():
    r = invoke("grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--format", "table", env={"COLUMNS": "120"})
    assert r.exit_code == 0
    out = r.stdout
    for header in ("node", "gate", "inputs", "value", "role", "local", "upstream", "downstream"):
        assert header in out
    assert "distributor" in out and "switcher" in out
    assert "f = -12    ∂f/∂x = -4    ∂f/∂y = -4    ∂f/∂z = 3" in out
    row = next(line for line in out.splitlines() if line.startswith("│ n1"))
    assert [c.strip() for c in row.split("│")[1:-1]] == [
        "n1",
        "add",
        "x, y",
        "3",
        "distributor",
        "x: 1, y: 1",
        "-4",
        "x: -4, y: -4",
    ]


def test_table_shows_branch_sums_and_tie_flags():
    r = invoke("grad", "x*x + x", "x=3", "-f", "table", env={"COLUMNS": "120"})
    assert "7 = 3 + 3 + 1" in r.stdout
    r = invoke("grad", "max(x, y)", "x=2", "y=2", "-f", "table", "--ties", "all", env={"COLUMNS": "160"})
    assert "router ⚠ tie" in r.stdout
    assert "note: tie at f: rule 'all' applied" in r.stdout


def test_precision_option():
    r = invoke("grad", "1/(1+exp(-x))", "x=1", "-f", "table", "--precision", "8", env={"COLUMNS": "160"})
    assert "0.73105858" in r.stdout
    r = invoke("grad", "1/(1+exp(-x))", "x=1", "-f", "table", env={"COLUMNS": "160"})
    assert "0.7311" in r.stdout and "0.73105" not in r.stdout


def test_wrt_option():
    doc = json.loads(invoke("grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--wrt", "x,z").stdout)
    assert doc["gradients"] == {"x": -4.0, "z": 3.0}


def test_expand_and_ties_options_reach_the_engine():
    doc = json.loads(invoke("grad", "sigmoid(x)", "x=1", "--expand").stdout)
    assert [n["op"] for n in doc["nodes"] if n["op"] not in ("input", "const")] == [
        "neg",
        "exp",
        "add",
        "div",
    ]
    assert doc["settings"] == {"ties": "split", "expand": True}
    doc = json.loads(invoke("grad", "max(x, y)", "x=1", "y=1", "--ties", "first").stdout)
    assert doc["gradients"] == {"x": 1.0, "y": 0.0}


@pytest.mark.parametrize(
    "args, message",
    [
        (["grad", "(x + y * z", "x=1", "y=2", "z=3"], "error: expected ')' to close '(' at column 1"),
        (["grad", "foo(x)", "x=1"], "error: unknown function 'foo'"),
        (["grad", "x * w", "x=1"], "error: no value for 'w'. Give one as w=VALUE (values given: x)."),
        (
            ["grad", "x", "x=abc"],
            "error: cannot read x='abc': expected a number such as -2, 0.5, 1e-3 or 1/3",
        ),
        (["grad", "x", "x"], "error: cannot read 'x': values are given as NAME=VALUE, e.g. x=-2"),
        (["grad", "x", "x=1/0"], "error: cannot read x=1/0: the denominator is 0"),
        (["grad", "log(x)", "x=-1"], "error: log needs a positive input, got -1 (in log(x))"),
        (["grad", "x / y", "x=1", "y=0"], "error: division by zero: the denominator is 0 (in x / y)"),
        (["grad", "x", "x=1", "x=2"], "error: x is given twice"),
        (["grad", "x", "x=1", "--wrt", "y"], "error: --wrt names 'y', which the expression does not use"),
    ],
)
def test_bad_input_exits_2_with_a_message_on_stderr(args, message):
    r = invoke(*args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith(message)
    assert "Traceback" not in r.stderr


def test_unused_value_and_overflow_warn_on_stderr():
    r = invoke("grad", "exp(x)", "x=1000", "y=1")
    assert r.exit_code == 0
    assert "warning: y=1 was given but the expression does not use 'y'" in r.stderr
    assert "overflowed to infinity" in r.stderr
    assert 'non-finite numbers are written in JSON as the strings "Infinity"' in r.stderr
    assert json.loads(r.stdout)["value"] == "Infinity"


def test_bad_option_is_a_usage_error_with_status_2():
    r = invoke("grad", "x", "x=1", "--ties", "sometimes")
    assert r.exit_code == 2


def test_version():
    r = invoke("--version")
    assert r.exit_code == 0 and r.stdout.startswith("backcalc ")


# --- the installed executable --------------------------------------------------


def test_executable_pipes_json():
    p = run_exe("grad", "(x+y)*z", "x=-2", "y=5", "z=-4")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["gradients"] == {"x": -4.0, "y": -4.0, "z": 3.0}


def test_executable_error_has_caret_and_status_2():
    p = run_exe("grad", "(x + y * z", "x=1", "y=2", "z=3")
    assert p.returncode == 2
    assert p.stdout == ""
    assert p.stderr == (
        "error: expected ')' to close '(' at column 1\n  (x + y * z\n  ^         ^ expression ended here\n"
    )


def test_executable_table_respects_no_color():
    p = run_exe(
        "grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "table", env={"NO_COLOR": "1", "TERM": "dumb"}
    )
    assert p.returncode == 0
    assert "\x1b[" not in p.stdout
    assert "distributor" in p.stdout


def test_python_dash_m_works():
    p = subprocess.run(
        [sys.executable, "-m", "backcalc", "grad", "x*y", "x=2", "y=3"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 0 and json.loads(p.stdout)["gradients"] == {"x": 3.0, "y": 2.0}


def test_broken_pipe_is_quiet():
    exe = run_exe.__globals__["backcalc_exe"]()
    expr = "+".join(f"x{i % 50}" for i in range(20000))
    p = subprocess.run(
        f"'{exe}' grad '{expr}' " + " ".join(f"x{i}=1" for i in range(50)) + " | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in p.stderr and "BrokenPipe" not in p.stderr


def test_scalar_grad_imports_neither_numpy_nor_sympy():
    code = (
        "import sys; from backcalc.cli import main; sys.argv=['backcalc','grad','(x+y)*z','x=-2','y=5','z=-4'];\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('numpy' in sys.modules, 'sympy' in sys.modules, file=sys.stderr)"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stderr.strip().splitlines()[-1] == "False False"


def test_no_nodes_keeps_only_the_value_and_gradients(schema):
    r = invoke("grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--no-nodes")
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, schema)
    assert doc["nodes"] == [] and doc["gradients"] == {"x": -4.0, "y": -4.0, "z": 3.0}
    r = invoke("grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--no-nodes", "-f", "table", env={"COLUMNS": "120"})
    assert r.stdout.strip() == "f = -12    ∂f/∂x = -4    ∂f/∂y = -4    ∂f/∂z = 3"
