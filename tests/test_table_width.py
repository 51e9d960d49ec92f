"""The table never cuts a number (issue 13): at every width from 60 columns up it switches
layout (one row per edge, abbreviated roles, one block per node) instead; lecture colours;
--decimals; the table's words in --lang; grad -o FILE; the warning before a long table."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from backcalc.cli import app
from backcalc.display import Decimals, fmt
from backcalc.render import table

from picture_cases import ALL, run

WIDTHS = [60, 80, 100, 120, 200]
EXAMPLES = Path(__file__).parent.parent / "examples"
TENSOR = tomllib.loads((EXAMPLES / "tensor" / "examples.toml").read_text())["example"]
CUT = re.compile(r"[0-9.]…")  # a number cut short ('-0.19…'); an elided array is '[1, 2, …, 9]'
LECTURE = [
    ("sigmoid-expanded", "sigmoid(w0*x0+w1*x1+w2)", {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}),
    ("wx-squared", "sum((W @ x)**2)", {"W": [[0.1, 0.5], [-0.3, 0.8]], "x": [0.2, 0.4]}),
    (
        "two-layer",
        "sum(W2 @ maximum(0, W1 @ x))",
        {"W1": [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], "W2": [[1.0, -1.0]], "x": [1.0, 2.0, 3.0]},
    ),
]
CASES = [pytest.param(e, v, id=name) for name, e, v in ALL + LECTURE]


def draw(result, width: int, precision: int = 4, lang: str = "en", colour: bool = False) -> str:
    buf = io.StringIO()
    if colour:
        console = Console(file=buf, width=width, force_terminal=True, color_system="standard")
    else:
        console = Console(file=buf, width=width, color_system=None)
    table.print_result(console, result, precision, lang)
    return buf.getvalue()


def assert_whole(text: str, result, width: int, precision: int = 4) -> None:
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width, width
    assert not CUT.search(text), [line for line in lines if CUT.search(line)]
    for name in result.gradients:  # every gradient of the summary
        assert f"∂{result.output}/∂{name} = " in text
    if all(not n.shape for n in result.nodes):  # scalars: every value and upstream gradient whole
        tokens = set(re.split(r"[\s│┃,:()=+]+", text))
        for n in result.nodes:
            if not n.is_const:
                assert fmt(n.value, precision) in tokens, (n.id, fmt(n.value, precision))
                assert fmt(n.grad, precision) in tokens, (n.id, fmt(n.grad, precision))


@pytest.mark.parametrize(("expression", "values"), CASES)
@pytest.mark.parametrize("expand", [False, True], ids=["gates", "expanded"])
def test_table_never_cuts_a_number_at_any_width(expression, values, expand):
    result = run(expression, values, expand=expand)
    for width in WIDTHS:
        assert_whole(draw(result, width), result, width)


@pytest.mark.parametrize("example", TENSOR, ids=[e["name"] for e in TENSOR])
@pytest.mark.parametrize("columns", WIDTHS)
def test_tensor_examples_cut_no_number(example, columns):
    args = example["args"]
    if "--jacobian" in args:  # the Jacobians are matrices wider than a narrow terminal
        pytest.skip("explicit Jacobians")
    r = CliRunner().invoke(
        app, ["grad", *args, "-f", "table"], env={"COLUMNS": str(columns)}, catch_exceptions=False
    )
    old = os.getcwd()
    assert r.exit_code == 0 or "--values" in args, r.output
    if r.exit_code:  # values files are relative to examples/tensor
        os.chdir(EXAMPLES / "tensor")
        try:
            r = CliRunner().invoke(app, ["grad", *args, "-f", "table"], env={"COLUMNS": str(columns)})
        finally:
            os.chdir(old)
    assert r.exit_code == 0, r.output
    assert not CUT.search(r.stdout)
    assert max(len(line) for line in r.stdout.splitlines()) <= columns


def test_narrow_terminal_gets_one_row_per_edge():
    result = run("sigmoid(w0*x0+w1*x1+w2)", LECTURE[0][2], expand=True)
    text = draw(result, 80)
    assert "┃ input ┃" in text.replace(" ", " ") or "input" in text.splitlines()[2]
    row = next(line for line in text.splitlines() if line.startswith("│ n1 "))
    assert "w0" in row and "-0.1966" in row and "0.3932" not in row  # one edge a row
    assert "roles: D = gradient distributor" in text  # abbreviated, with the legend
    wide = draw(result, 200)
    assert "roles:" not in wide and "│ w0: -1, x0: 2 " in wide.replace("  ", " ")


def test_summary_and_where_break_only_between_items():
    result = run("sigmoid(w0*x0+w1*x1+w2)", LECTURE[0][2], expand=True)
    for width in (60, 80):
        lines = draw(result, width).splitlines()
        for line in lines:
            if "∂f/∂" in line:
                assert re.fullmatch(r"\s*(f = \S+)?(\s*∂f/∂\w+ = -?[0-9.]+)*", line), line
        where = [i for i, line in enumerate(lines) if line.startswith("where ")][0]
        assert lines[where + 1].startswith("      n")  # continued under the first definition


def test_colours_values_green_gradients_red():
    result = run("(x+y)*z", {"x": -2, "y": 5, "z": -4})
    for width in (60, 200):
        text = draw(result, width, colour=True)
        assert "\x1b[32m" in text and "\x1b[31m" in text  # plain ANSI green and red
        assert "\x1b[92m" not in text and "\x1b[91m" not in text  # not the bright ones
        assert "\x1b[" not in draw(result, width)


def test_no_colour_when_piped_or_no_color():
    for env in ({}, {"NO_COLOR": "1"}, {"TERM": "dumb"}):
        p = subprocess.run(
            ["backcalc", "grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "table"],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
        )
        assert p.returncode == 0 and "\x1b[" not in p.stdout and "-12" in p.stdout


def test_decimals_round_as_the_slides():
    args = ["grad", "--decimals", "2", "1/(1+exp(-(w0*x0+w1*x1+w2)))"]
    args += ["w0=2", "x0=-1", "w1=-3", "x1=-2", "w2=-3", "-f", "table"]
    for columns in ("60", "80", "200"):
        r = CliRunner().invoke(app, args, env={"COLUMNS": columns})
        assert r.exit_code == 0, r.output
        tokens = set(re.split(r"[\s│,:()=]+", r.stdout))
        for number in ("0.73", "-0.20", "0.39", "-0.39", "-0.59", "0.20", "1.37"):
            assert number in tokens, (columns, number)
    r = CliRunner().invoke(app, [*args[:-2], "-f", "json"])
    doc = json.loads(r.stdout)
    assert doc["gradients"]["w0"] == pytest.approx(-0.19661193324148185, rel=1e-15)  # full precision


def test_decimals_formatting():
    assert [fmt(v, Decimals(2)) for v in (0.7310585786, -0.196611933, 2.0, -0.001)] == [
        "0.73",
        "-0.20",
        "2.00",
        "0.00",
    ]
    assert fmt(0.7310585786, 2) == "0.73" and fmt(-0.196611933, 2) == "-0.2"  # significant digits
    r = CliRunner().invoke(
        app, ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--decimals", "1", "-f", "markdown"]
    )
    assert r.exit_code == 0 and "-12.0" in r.stdout


def test_korean_table_from_the_locale_and_lang():
    result = run("(x+y)*z", {"x": -2, "y": 5, "z": -4})
    for width in (60, 80, 120):
        text = draw(result, width, lang="ko")
        assert "값" in text and "upstream" in text and "여기서 n1 = x+y" in text
        assert_whole(text, result, width)
    for env, extra in (({"LANG": "ko_KR.UTF-8"}, []), ({"LANG": "C"}, ["--lang", "ko"])):
        p = subprocess.run(
            ["backcalc", "grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "table", *extra],
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "COLUMNS": "80", **env},
        )
        assert p.returncode == 0, p.stderr
        assert "노드" in p.stdout and "곱셈" in p.stdout and "∂f/∂z = 3" in p.stdout
    r = CliRunner().invoke(app, ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "table", "--lang", "en"])
    assert "node" in r.stdout and "노드" not in r.stdout


SPECS = [EXAMPLES / "xor.toml", *sorted((EXAMPLES / "networks").glob("*.toml"))]


@pytest.mark.parametrize("spec", SPECS, ids=[p.stem for p in SPECS])
@pytest.mark.parametrize("columns", WIDTHS)
def test_network_table_cuts_no_number(spec, columns):
    r = CliRunner().invoke(app, ["net", str(spec), "-f", "table"], env={"COLUMNS": str(columns)})
    assert r.exit_code == 0, r.output
    assert not CUT.search(r.stdout), r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= columns
    if spec.name == "xor.toml":
        assert "-0.003867" in r.stdout  # dL/db1 of the first neuron, whole


@pytest.mark.parametrize("ext", ["json", "md", "tex", "html", "dot"])
def test_grad_output_file_format_from_its_extension(tmp_path, ext):
    path = tmp_path / f"out.{ext}"
    r = CliRunner().invoke(app, ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "-o", str(path)])
    assert r.exit_code == 0, r.output
    text = path.read_text()
    if ext == "json":
        assert json.loads(text)["gradients"] == {"x": -4.0, "y": -4.0, "z": 3.0}
    else:
        assert "-12" in text
    assert {"md": "| node |", "tex": "\\", "html": "<html", "dot": "digraph"}.get(ext, "{") in text
    assert not [p for p in tmp_path.iterdir() if p != path]  # no temporary file left behind


def test_grad_output_file_unknown_extension_is_an_error(tmp_path):
    path = tmp_path / "out.txt"
    p = subprocess.run(
        ["backcalc", "grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "-o", str(path)],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2 and "error:" in p.stderr and ".json" in p.stderr and not path.exists()
    assert "Traceback" not in p.stderr


def test_long_table_warns_on_stderr_before_it_starts():
    expr = "+".join(f"x{i % 10}*y{i % 7}" for i in range(2600))  # 5,000+ rows
    values = [f"x{k}=1" for k in range(10)] + [f"y{k}=2" for k in range(7)]
    p = subprocess.run(
        ["backcalc", "grad", "-", *values, "-f", "table"],
        input=expr,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "120", "LANG": "C", "LC_ALL": ""},
    )
    assert p.returncode == 0
    assert "rows" in p.stderr and "--no-nodes" in p.stderr and "-f json" in p.stderr
    small = subprocess.run(
        ["backcalc", "grad", "x*y", "x=1", "y=2", "-f", "table"], capture_output=True, text=True
    )
    assert small.stderr == ""


def test_the_executable_is_this_venvs():
    exe = subprocess.run(["which", "backcalc"], capture_output=True, text=True).stdout.strip()
    assert Path(exe).parent == Path(sys.executable).parent, shlex.quote(exe)


CHECKING = [
    ["grad", "1/(1+exp(-(w0*x0+w1*x1+w2)))", "w0=2", "x0=-1", "w1=-3", "x1=-2", "w2=-3", "--check"],
    ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--exact", "--expect", "x=-4", "--expect", "y=-3.9"],
    ["grad", "x*y/3", "x=1", "y=2", "--symbolic", "--exact"],
    ["check", str(EXAMPLES / "homework-wrong.toml")],
    ["check", str(EXAMPLES / "homework.toml")],
]


@pytest.mark.parametrize(
    "args", CHECKING, ids=["gradcheck", "exact-expect", "symbolic", "check-wrong", "check"]
)
@pytest.mark.parametrize("columns", WIDTHS)
def test_checking_tables_cut_no_number(args, columns):
    r = CliRunner().invoke(app, [*args, "-f", "table"], env={"COLUMNS": str(columns)})
    assert r.exit_code in (0, 1), r.output
    assert not CUT.search(r.stdout), r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= columns
    if args[0] == "grad" and "--check" in args:
        for number in ("-0.1966", "0.3932", "-0.3932", "-0.5898", "0.1966"):
            assert r.stdout.count(number) >= 3  # table, summary and the check's analytic and numeric


def test_a_large_narrow_table_streams_one_row_per_edge(monkeypatch):
    monkeypatch.setattr(table, "STREAM_ROWS", 100)  # a "large" table, made small for the test
    monkeypatch.setattr(table, "SAMPLE_ROWS", 40)
    expr = "+".join(f"x{i % 50}*y{i % 37}" for i in range(300))
    values = {f"x{i}": (i % 7) - 3 + 0.5 for i in range(50)} | {
        f"y{i}": (i % 5) - 2 + 0.25 for i in range(37)
    }
    result = run(expr, values)
    text = draw(result, 80)
    assert_whole(text, result, 80)
    rows = [line for line in text.splitlines() if line.startswith("│")]
    for n in result.nodes:  # every node has its row, its id whole
        if not n.is_const:
            assert any(line.startswith(f"│ {n.id} ") for line in rows), n.id
    lines = text.splitlines()
    bottom = [i for i, line in enumerate(lines) if line.startswith("└")]
    assert len(bottom) == 1 and lines[bottom[0] - 1].startswith("│")  # one table, closed after its last row
    assert any(line.startswith("f = ") for line in lines[bottom[0] :])


def test_checking_tables_follow_the_language():
    args = ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--check", "--expect", "x=-4", "-f", "table"]
    ko = CliRunner().invoke(app, [*args, "--lang", "ko"], env={"COLUMNS": "80"})
    assert ko.exit_code == 0, ko.output
    assert "gradient check 통과" in ko.stdout and "기대한 답" in ko.stdout and "✓ 통과" in ko.stdout
    en = CliRunner().invoke(app, [*args, "--lang", "en"], env={"COLUMNS": "80"})
    assert (
        "gradient check passed" in en.stdout and "expected answers" in en.stdout and "통과" not in en.stdout
    )


def test_summary_only_breaks_between_gradients():
    args = ["grad", "dot = w0*x0 + w1*x1 + w2; f = 1.0 / (1 + exp(-dot))"]
    args += ["w0=2", "x0=-1", "w1=-3", "x1=-2", "w2=-3", "--no-nodes", "-f", "table"]
    r = CliRunner().invoke(app, args, env={"COLUMNS": "60"})
    assert r.stdout.splitlines() == [
        "f = 0.7311    ∂f/∂w0 = -0.1966    ∂f/∂x0 = 0.3932",
        "              ∂f/∂w1 = -0.3932    ∂f/∂x1 = -0.5898",
        "              ∂f/∂w2 = 0.1966",
    ]
    args = ["grad", "sum((W @ x)**2)", "W=[[0.1,0.5],[-0.3,0.8]]", "x=[0.2,0.4]", "--no-nodes", "-f", "table"]
    r = CliRunner().invoke(app, args, env={"COLUMNS": "60"})
    assert r.stdout.splitlines()[1:3] == ["∂f/∂W = [[0.088, 0.176]", "         [0.104, 0.208]]"]


@pytest.mark.parametrize("columns", [60, 80])
def test_training_report_fits_the_terminal(columns):
    r = CliRunner().invoke(
        app,
        ["train", str(EXAMPLES / "xor.toml"), "--epochs", "20", "-f", "table"],
        env={"COLUMNS": str(columns)},
    )
    assert r.exit_code == 0, r.output
    assert max(len(line) for line in r.stdout.splitlines()) <= columns
    plot = [line for line in r.stdout.splitlines() if "┤" in line or "│" in line]
    assert len(plot) == 12  # the curve's rows, none wrapped
    assert sum("┤" in line for line in plot) == 3  # the labelled ones: top, middle, bottom


def test_check_report_blocks_keep_each_problem_together_at_60_columns():
    r = CliRunner().invoke(
        app, ["check", str(EXAMPLES / "homework-wrong.toml"), "-f", "table"], env={"COLUMNS": "60"}
    )
    lines = [line.rstrip() for line in r.stdout.splitlines()]
    # one block per problem, headed by its number; each answer a field inside it
    assert [line for line in lines if line and not line.startswith(" ")][1:3] == ["1", "2"]
    assert sum(line.strip().startswith("answer:") for line in lines) == 8
    assert "  answer:   ∂f/∂x1" in lines and "  computed: -0.5898" in lines
