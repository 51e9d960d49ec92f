"""`backcalc check FILE`: answer files graded into a table or JSON, with exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

from backcalc import answers as C
from backcalc.cli import app

from checking_cases import make_runner

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def runner():
    return make_runner()


def write(tmp_path, text: str) -> str:
    p = tmp_path / "answers.toml"
    p.write_text(text)
    return str(p)


MIXED = """
title = "mixed"

[[problem]]
name = "right"
expression = "(x+y)*z"
values = { x = -2, y = 5, z = -4 }
value = -12
gradients = { x = -4, y = -4, z = 3 }

[[problem]]
name = "wrong"
expression = "x*y"
values = { x = 3, y = -4 }
gradients = { x = -4, y = 4 }

[[problem]]
name = "broken"
expression = "x*y"
values = { x = 3, y = -4 }
gradients = "all of them"
"""


@pytest.mark.parametrize(
    ("name", "code"), [("homework", 0), ("homework-wrong", 1), ("homework-malformed", 2)]
)
def test_examples_exit_with_the_documented_code(runner, name, code):
    r = runner.invoke(app, ["check", str(EXAMPLES / f"{name}.toml"), "-f", "json"])
    assert r.exit_code == code, r.stderr
    doc = json.loads(r.stdout)
    assert doc["summary"]["exit_code"] == code


def test_wrong_example_names_the_wrong_answer(runner):
    r = runner.invoke(
        app, ["check", str(EXAMPLES / "homework-wrong.toml"), "-f", "table"], env={"COLUMNS": "160"}
    )
    assert r.exit_code == 1
    assert "1 failed: sigmoid neuron (∂f/∂x1)" in r.stdout
    assert "✗ FAIL" in r.stdout


def test_mixed_file_table_shows_every_item(runner, tmp_path):
    r = runner.invoke(app, ["check", write(tmp_path, MIXED), "-f", "table"], env={"COLUMNS": "200"})
    assert r.exit_code == 2  # a malformed problem outranks a wrong answer
    out = r.stdout
    for text in (
        "mixed",
        "right",
        "wrong",
        "broken",
        "∂f/∂x",
        "✓ pass",
        "✗ FAIL",
        "malformed",
        "3 problems: 1 passed, 1 failed: wrong (∂f/∂y), 1 malformed: broken",
    ):
        assert text in out, text
    assert "problem 3 ('broken'): key 'gradients'" in r.stderr


def test_mixed_file_json_has_one_record_per_item(runner, tmp_path):
    r = runner.invoke(app, ["check", write(tmp_path, MIXED), "-f", "json"])
    doc = json.loads(r.stdout)
    assert doc["summary"] == {"problems": 3, "passed": 1, "failed": 1, "malformed": 1, "exit_code": 2}
    right, wrong, broken = doc["items"]
    assert [it["status"] for it in doc["items"]] == ["pass", "fail", "malformed"]
    assert [c["quantity"] for c in right["checks"]] == ["f", "∂f/∂x", "∂f/∂y", "∂f/∂z"]
    y = wrong["checks"][1]
    assert (y["name"], y["expected"], y["computed"], y["passed"]) == ("y", 4.0, 3.0, False)
    assert y["abs_error"] == 1.0 and y["rel_error"] == pytest.approx(0.25)
    assert broken["checks"] == [] and "key 'gradients'" in broken["error"]


def test_file_with_only_a_wrong_answer_exits_1(runner, tmp_path):
    text = MIXED.split('[[problem]]\nname = "broken"')[0]
    r = runner.invoke(app, ["check", write(tmp_path, text), "-f", "json"])
    assert r.exit_code == 1
    assert json.loads(r.stdout)["summary"]["failed"] == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[problem]]\nexpression = "x"\nvalues = { x = 1 }\n', "nothing to check"),
        ("[[problem]]\nvalues = { x = 1 }\nvalue = 1\n", "key 'expression' is missing"),
        ('[[problem]]\nexpression = "x"\nvalues = { x = true }\nvalue = 1\n', "key 'values.x'"),
        ('[[problem]]\nexpression = "x"\nvalues = { x = 1 }\ngradients = { q = 1 }\n', "key 'gradients.q'"),
        ('[[problem]]\nexpression = "x*"\nvalues = { x = 1 }\nvalue = 1\n', "key 'expression' or 'values'"),
        ('[[problem]]\nexpression = "x*w"\nvalues = { x = 1 }\nvalue = 1\n', "no value for 'w'"),
        ('[[problem]]\nexpression = "x"\nvalues = { x = 1 }\nvalue = 1\nrtol = "big"\n', "key 'rtol'"),
        ('[[problem]]\nexpression = "x"\nvalues = { x = 1 }\nvalue = 1\nties = "random"\n', "key 'ties'"),
        ('[[problem]]\nexpresion = "x"\n', "unknown key 'expresion'; did you mean 'expression'?"),
    ],
)
def test_malformed_problems_name_the_problem_and_the_key(runner, tmp_path, body, message):
    r = runner.invoke(app, ["check", write(tmp_path, body), "-f", "json"])
    assert r.exit_code == 2
    assert "problem 1" in r.stderr and message in r.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("this is = = not toml", "not valid TOML"),
        ('title = "nothing"\n', "no problems"),
        ('[[problems]]\nexpression = "x"\n', "unknown key 'problems'; did you mean 'problem'?"),
    ],
)
def test_broken_files_exit_2_with_a_message(runner, tmp_path, body, message):
    r = runner.invoke(app, ["check", write(tmp_path, body)])
    assert r.exit_code == 2
    assert message in r.stderr


def test_missing_file_exits_2(runner, tmp_path):
    r = runner.invoke(app, ["check", str(tmp_path / "nope.toml")])
    assert r.exit_code == 2 and "answer file not found" in r.stderr


def test_tolerances_accept_rounded_answers(tmp_path):
    base = '[[problem]]\nexpression = "1/(1+exp(-x))"\nvalues = { x = 1 }\nvalue = 0.73\n'
    assert C.grade(C.load_answers(write(tmp_path, base))).summary.exit_code == 1
    assert C.grade(C.load_answers(write(tmp_path, base + "atol = 0.01\n"))).summary.exit_code == 0
    assert C.grade(C.load_answers(write(tmp_path, "rtol = 0.01\n" + base))).summary.exit_code == 0


def test_array_values_and_answers(tmp_path):
    text = (
        '[[problem]]\nexpression = "x*x"\nvalues = { x = [1, -2] }\nvalue = [1, 4]\n'
        "gradients = { x = [2, -4] }\n"
        '[[problem]]\nexpression = "x*x"\nvalues = { x = "[1, -2]" }\ngradients = { x = [2, 4] }\n'
    )
    report = C.grade(C.load_answers(write(tmp_path, text)))
    assert [it.status for it in report.items] == ["pass", "fail"]
    doc = json.loads(C.report_json(report))
    assert doc["items"][0]["checks"][1]["computed"] == [2.0, -4.0]


def test_installed_backcalc_check(tmp_path):
    exe = pathlib.Path(sys.executable).with_name("backcalc")
    if not exe.exists():
        pytest.skip("backcalc is not installed next to this Python")
    out = subprocess.run(
        [str(exe), "check", str(EXAMPLES / "homework-wrong.toml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1
    doc = json.loads(out.stdout)  # not a terminal: JSON for autograders
    assert [it["status"] for it in doc["items"]] == ["pass", "fail"]
