"""backcalc quiz: blanks in backward order, each answer marked at once with grading's diagnoses, a score."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from backcalc import quizzing
from backcalc.cli import app

from picture_cases import SEEDS, run

runner = CliRunner()
ADD_MUL = ["(x+y)*z", "x=-2", "y=5", "z=-4"]


def _quiz(answers, expr="(x+y)*z", values=None, lang="en", decimals=None):
    r = run(expr, values or {"x": -2.0, "y": 5.0, "z": -4.0})
    lines = iter(answers)
    out: list[str] = []
    score = quizzing.run(r, lambda: next(lines, None), out.append, lang, decimals, echo=True)
    return score, "".join(out)


def test_blanks_are_forward_values_then_gradients_in_backward_order():
    bl = quizzing.blanks(run(*SEEDS[0][1:3]))
    assert [b.key for b in bl] == ["value:n1", "value:f", "grad:n1", "grad:z", "grad:x", "grad:y"]
    assert [b.correct for b in bl] == [3.0, -12.0, -4.0, 3.0, -4.0, -4.0]


def test_a_branch_point_asks_each_part_then_the_sum():
    bl = quizzing.blanks(run("x*x + x", {"x": 3.0}))
    parts = [(b.key, b.correct) for b in bl if b.what != "value"]
    assert parts == [("grad:n1", 1.0), ("part:x<-f", 1.0), ("part:x<-n1", 6.0), ("grad:x", 7.0)]


def test_one_wrong_gradient_then_the_right_ones_marks_each_and_scores():
    score, text = _quiz(["3", "-12", "4", "-4", "3", "-4", "-4"])
    assert text.count("✓ right") == 6 and text.count("✗ not right") == 1
    assert "Hint: check the sign." in text
    assert text.rstrip().endswith("Score: 6/6 right (5 at the first try)")
    assert score.right == 6 and score.first_try == 5


def test_second_miss_shows_the_correct_value():
    score, text = _quiz(["3", "-12", "3", "5"])
    assert "Hint: that is a forward value" in text  # 3 is n1's value, not its gradient
    assert "✗ not right: the answer is -4" in text
    assert score.marks[2].right is False


@pytest.mark.parametrize(
    "answers,hint",
    [
        (["9", "12", "1", "1", "6", "1"], "add the parts from every branch"),  # 1 is only f's part
        (["3", "-12", "-4", "3", "1"], "that is only the local gradient; multiply it by the upstream arriving at n1"),
    ],
)
def test_hints_reuse_the_grading_diagnoses(answers, hint):
    expr, values = ("x*x + x", {"x": 3.0}) if answers[0] == "9" else ("(x+y)*z", None)
    _, text = _quiz(answers, expr, values)
    assert hint in text


def test_the_hint_is_grading_s_own_diagnosis():
    """The quiz asks feedback.explain_mistake, as grading does: the kinds agree."""
    from backcalc import feedback

    calls = []
    real = feedback.explain_mistake

    def spy(*a, **k):
        res = real(*a, **k)
        calls.append(res[0])
        return res

    feedback.explain_mistake = spy
    try:
        _quiz(["3", "-12", "4"])
    finally:
        feedback.explain_mistake = real
    assert calls == ["sign"]


def test_decimals_accepts_rounded_answers():
    vals = {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0}
    expr = SEEDS[1][1]
    bl = quizzing.blanks(run(expr, vals))
    rounded = [f"{round(b.correct, 2):.2f}" for b in bl]
    score, text = _quiz(rounded, expr, vals, decimals=2)
    assert score.right == len(bl) == score.first_try
    score, text = _quiz(["0.5"], expr, vals, decimals=2)  # a wrong first value, then the end of input
    assert "Stopped after 1 of" in text


def test_korean_quiz():
    score, text = _quiz(["3", "-12", "4", "-4"], lang="ko")
    assert "✓ 정답" in text and "힌트: 부호를 확인해 보자." in text and "점수: 6개 중 3개 정답" in text
    assert "(으)" not in text and "이(가)" not in text


def test_unreadable_answer_is_asked_again_without_counting():
    score, text = _quiz(["three", "3", "q"])
    assert "cannot read that answer" in text and score.marks[0].right and score.stopped
    assert "Score: 1/6 right" in text


def test_cli_quiz_reads_answers_from_piped_stdin():
    res = runner.invoke(app, ["quiz", *ADD_MUL], input="3\n-12\n4\n-4\n3\n-4\n-4\n")
    assert res.exit_code == 0, res.output
    assert res.stdout.count("✓ right") == 6 and "Score: 6/6 right (5 at the first try)" in res.stdout


def test_cli_quiz_bad_expression_is_an_error():
    res = runner.invoke(app, ["quiz", "(x+", "x=1"], input="")
    assert res.exit_code == 2 and "error" in res.stderr.lower()


def test_installed_backcalc_quiz():
    exe = shutil.which("backcalc")
    assert exe is not None
    res = subprocess.run(
        [exe, "quiz", *ADD_MUL, "--lang", "ko"], input="3\n-12\n4\n-4\n3\n-4\n-4\n", capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    assert re.search(r"점수: 6개 중 6개 정답 \(처음에 맞힌 답 5개\)", res.stdout)
