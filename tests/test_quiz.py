"""backcalc quiz: blanks in backward order, each answer marked at once with grading's diagnoses, a score."""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess

import pytest
from test_html import _chrome
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
        (
            ["3", "-12", "-4", "3", "1"],
            "that is only the local gradient; multiply it by the upstream arriving at n1",
        ),
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


def test_cli_quiz_refuses_the_expression_from_stdin_where_the_answers_come_from():
    res = runner.invoke(app, ["quiz", "-", "x=1"], input="x*x\n2\n")
    assert res.exit_code == 2 and "standard input" in res.stderr


def test_installed_backcalc_quiz():
    exe = shutil.which("backcalc")
    assert exe is not None
    res = subprocess.run(
        [exe, "quiz", *ADD_MUL, "--lang", "ko"],
        input="3\n-12\n4\n-4\n3\n-4\n-4\n",
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert re.search(r"점수: 6개 중 6개 정답 \(처음에 맞힌 답 5개\)", res.stdout)


# --- the HTML quiz page -----------------------------------------------------------------

from backcalc.render import quiz_html  # noqa: E402

from picture_cases import needs_chromium, needs_dot  # noqa: E402


def test_quiz_page_is_self_contained_with_a_box_per_blank():
    r = run(*SEEDS[0][1:3])
    doc = quiz_html.render(r, "en", draw=False)
    assert doc.startswith("<!DOCTYPE html>")
    for outside in ("<link", " src=", "@import", "url(", "http://", "https://"):
        assert outside not in doc
    assert doc.count('<input class="blank"') == len(quizzing.blanks(r)) == 6
    assert doc.count("<script>") == 1  # inline only


@needs_dot
def test_quiz_page_picture_hides_the_answers():
    doc = quiz_html.render(run(*SEEDS[0][1:3]), "en")
    svg = doc[doc.index("<svg") : doc.index("</svg>")]
    texts = [htmllib.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert "[3]" in texts and "-2" in texts  # numbered blanks, the given inputs
    assert "-12" not in texts and "3" not in texts and "-4" in texts  # z=-4 given; no answer to copy
    assert texts.count("-4") == 1


def _typed_page(tmp_path, doc: str, answers: dict[int, str]) -> str:
    """The page with a script that types the answers into the boxes, as a student would, and
    writes each box's colour into the DOM; Chromium's --dump-dom then reads it."""
    typing = "".join(
        f"(function(){{var b=document.getElementById('b{k}');b.focus();b.value={text!r};"
        "b.dispatchEvent(new Event('input',{bubbles:true}));})();"
        for k, text in answers.items()
    )
    report = (
        "document.querySelectorAll('input.blank').forEach(function(b){"
        "b.setAttribute('data-colour', getComputedStyle(b).backgroundColor);});"
    )
    f = tmp_path / "quiz.html"
    f.write_text(doc.replace("</body>", f"<script>{typing}{report}</script></body>"), encoding="utf-8")
    res = _chrome(tmp_path, "--dump-dom", f.as_uri())
    assert res.returncode == 0, res.stderr.decode(errors="replace")[-2000:]
    return res.stdout.decode()


def _colours(dom: str) -> dict[int, str]:
    out = {}
    for tag in re.findall(r"<input [^>]*>", dom):
        k = int(re.search(r'id="b(\d+)"', tag).group(1))
        out[k] = re.search(r'data-colour="([^"]*)"', tag).group(1)
    return out


@needs_chromium
def test_quiz_page_in_headless_chromium_turns_right_green_and_wrong_red(tmp_path):
    res = runner.invoke(app, ["quiz", *ADD_MUL, "--format", "html", "--lang", "ko"])
    assert res.exit_code == 0, res.output
    dom = _typed_page(tmp_path, res.stdout, {1: "3", 2: "12", 3: "-4", 5: "-8/2"})
    colours = _colours(dom)
    green, red = "rgb(218, 251, 225)", "rgb(255, 235, 233)"
    assert colours[1] == green and colours[3] == green and colours[5] == green  # -8/2 is -4
    assert colours[2] == red  # the sign of f is flipped
    assert colours[4] not in (green, red)  # nothing typed yet
    assert "6개 중 3개 정답" in dom


@needs_chromium
def test_quiz_page_decimals_and_arrays(tmp_path):
    r = run("sum((W @ x)**2)", {"W": [[0.1, 0.5], [-0.3, 0.8]], "x": [0.2, 0.4]})
    doc = quiz_html.render(r, "en", decimals=2, draw=False)
    bl = quizzing.blanks(r)
    k_w = next(k for k, b in enumerate(bl, 1) if b.key == "grad:W")
    k_x = next(k for k, b in enumerate(bl, 1) if b.key == "grad:x")
    dom = _typed_page(tmp_path, doc, {k_w: "[[0.09, 0.18], [0.10, 0.21]]", k_x: "[0.11, 0.64]"})
    colours = _colours(dom)
    assert colours[k_w] == "rgb(218, 251, 225)" and colours[k_x] == "rgb(255, 235, 233)"


def test_cli_quiz_output_file_writes_the_page(tmp_path):
    f = tmp_path / "quiz.html"
    res = runner.invoke(app, ["quiz", *ADD_MUL, "-o", str(f)])
    assert res.exit_code == 0, res.output
    assert f.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") and res.stdout == ""
