"""`backcalc check --key KEY SUBMISSION...`: grading a class against an answer key.

The key holds the lecture's problems (add/mul with a named intermediate, the sigmoid neuron
with rounded answers, the max gate, a fan-out); a class of generated submissions covers
each feedback kind, each malformed kind and each cheating attempt."""

from __future__ import annotations

import csv
import io
import json
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema
import pytest

import backcalc
from backcalc import grading as G
from backcalc.cli import app

from checking_cases import make_runner

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "grading"
SCHEMA = json.loads((ROOT / "backcalc" / "schema" / "grading.schema.json").read_text())

KEY = """
title = "lecture 4"

[[problem]]
name = "add-mul"
expression = "q = x + y; f = q * z"
values = { x = -2, y = 5, z = -4 }
ask = ["value", "x", "y", "z", "q"]
points = 5

[[problem]]
name = "sigmoid"
expression = "1/(1+exp(-(w0*x0+w1*x1+w2)))"
values = { w0 = 2, x0 = -1, w1 = -3, x1 = -2, w2 = -3 }
decimals = 2
points = 6

[[problem]]
name = "max"
expression = "2*(x*y + max(z, w))"
values = { x = 3, y = -4, z = 2, w = -1 }
ask = ["x", "y", "z", "w"]
points = { x = 1, y = 1, z = 2, w = 2 }

[[problem]]
name = "fan-out"
expression = "x*x + x"
values = { x = 3 }
ask = ["x"]
points = 2
"""

RIGHT = {
    "add-mul": {"value": -12, "gradients": {"x": -4, "y": -4, "z": 3}, "nodes": {"q": -4}},
    "sigmoid": {"value": 0.73, "gradients": {"w0": -0.20, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.20}},
    "max": {"gradients": {"x": -8, "y": 6, "z": 2, "w": 0}},
    "fan-out": {"gradients": {"x": 7}},
}


def toml_value(v):
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return repr(v)


def submission(answers=None, student=None, extra_top="", extra=None) -> str:
    """A submission's TOML text: the right answers changed by ``answers`` ({problem: {...}})."""
    data = json.loads(json.dumps(RIGHT))
    for prob, change in (answers or {}).items():
        if change is None:
            data.pop(prob)
            continue
        for k, v in change.items():
            if isinstance(v, dict) and isinstance(data[prob].get(k), dict):
                data[prob][k].update(v)
            elif v is None:
                data[prob].pop(k, None)
            else:
                data[prob][k] = v
    lines = [f"student = {json.dumps(student)}"] if student else []
    lines.append(extra_top)
    for prob, body in data.items():
        lines.append(f"[[problem]]\nname = {json.dumps(prob)}")
        for k, v in {**body, **((extra or {}).get(prob, {}))}.items():
            lines.append(f"{k} = {toml_value(v)}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def key(tmp_path):
    p = tmp_path / "key.toml"
    p.write_text(KEY)
    return G.load_key(str(p))


def graded(key, text, name="s.toml", lang="en"):
    return G.grade(key, G.read_submission(name, text=text), lang)


def item(report, problem, quantity):
    for p in report.problems:
        if p.name == problem:
            for it in p.items:
                if it.quantity == quantity:
                    return it
    raise KeyError((problem, quantity))


@pytest.fixture
def runner():
    return make_runner()


# --- the key ------------------------------------------------------------------------------


def test_key_computes_the_lecture_answers_and_points(key):
    add, sig, mx, fan = key.problems
    assert [(i.key, i.correct) for i in add.items] == [
        ("value", -12.0),
        ("x", -4.0),
        ("y", -4.0),
        ("z", 3.0),
        ("q", -4.0),
    ]
    assert [i.points for i in add.items] == [1.0] * 5
    assert sig.rule.decimals == 2 and sig.items[1].correct == pytest.approx(-0.19661193324148185)
    assert [i.points for i in mx.items] == [1.0, 1.0, 2.0, 2.0] and mx.points == 6
    assert fan.items[0].correct == 7.0
    assert key.max_score == 19


def test_each_key_problem_is_computed_once_for_the_whole_class(tmp_path, monkeypatch):
    import backcalc.api as api

    calls = []
    real = api.grad

    def counting(*a, **k):
        calls.append(a[0])
        return real(*a, **k)

    monkeypatch.setattr(api, "grad", counting)
    (tmp_path / "key.toml").write_text(KEY)
    subs = tmp_path / "subs"
    subs.mkdir()
    for k in range(30):
        (subs / f"s{k}.toml").write_text(submission())
    report = backcalc.check(str(tmp_path / "key.toml"), [str(subs)])
    assert report.summary.submissions == 30 and report.summary.passed == 30
    assert len(calls) == 4


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "no problems"),
        ('[[problem]]\nexpression = "x"\nvalues = { x = 1 }\n', "key 'name' is missing"),
        ('[[problem]]\nname = "a"\nexpression = "x*"\nvalues = { x = 1 }\n', "problem 1 ('a')"),
        ('[[problem]]\nname = "a"\nexpression = "x"\nvalues = { x = 1 }\nask = ["y"]\n', "key 'ask'"),
        ('[[problem]]\nname = "a"\nexpresion = "x"\n', "did you mean 'expression'?"),
        ('[[problem]]\nname = "a"\nexpression = "x"\nvalues = { x = 1 }\nrtol = -1\n', "key 'rtol'"),
        ('[[problem]]\nname = "a"\nexpression = "x"\nvalues = { x = 1 }\ndecimals = 2.5\n', "key 'decimals'"),
        (
            '[[problem]]\nname = "a"\nexpression = "x"\nvalues = { x = 1 }\n'
            '[[problem]]\nname = "a"\nexpression = "x"\nvalues = { x = 1 }\n',
            "two problems are named 'a'",
        ),
        ("not = = toml", "not valid TOML"),
    ],
)
def test_an_unusable_key_exits_2_with_a_message(runner, tmp_path, body, message):
    (tmp_path / "key.toml").write_text(body)
    (tmp_path / "s.toml").write_text(submission())
    r = runner.invoke(
        app, ["check", "--key", str(tmp_path / "key.toml"), str(tmp_path / "s.toml"), "-f", "json"]
    )
    assert r.exit_code == 2, r.stdout
    assert message in r.stderr
    assert r.stdout == ""


# --- cheating attempts: nothing in a submission changes the key ---------------------------


def test_a_submission_cannot_loosen_the_tolerance(key):
    text = submission(
        {"add-mul": {"value": 100, "gradients": {"x": 50}}}, extra_top="atol = 1000\nrtol = 1\n"
    )
    r = graded(key, text)
    assert item(r, "add-mul", "f").status == "failed" and item(r, "add-mul", "f").points == 0
    assert item(r, "add-mul", "∂f/∂x").points == 0
    assert r.score == 17
    assert any("'atol'" in s for s in r.ignored) and any("'rtol'" in s for s in r.ignored)


def test_a_submission_cannot_change_an_expression_or_values(key):
    text = submission(
        {"add-mul": {"value": -36}},
        extra={"add-mul": {"expression": "(x+y)*z*3", "values": {"x": -2, "y": 5, "z": -4}, "points": 100}},
    )
    r = graded(key, text)
    assert item(r, "add-mul", "f").status == "failed"
    assert r.max_score == 19
    assert {"expression", "values", "points"} <= {s.split("'")[3] for s in r.ignored if s.count("'") >= 4}


def test_dropped_problems_and_answers_score_zero_and_say_so(key):
    text = submission({"max": None, "fan-out": None, "add-mul": {"gradients": None, "nodes": None}})
    r = graded(key, text)
    assert r.score == 6 + 1  # the sigmoid, and add-mul's value
    mx = r.problems[2]
    assert mx.status == "missing" and mx.score == 0
    assert all(it.status == "missing" and "no answers for problem 'max'" in it.feedback for it in mx.items)
    assert item(r, "add-mul", "∂f/∂x").feedback == "no answer for ∂f/∂x: it scores 0"
    assert r.status == "failed"


def test_an_answer_not_asked_is_a_warning(key):
    r = graded(key, submission({"max": {"value": -20}}))
    assert r.status == "passed"
    assert any("problem 'max': f is not graded" in w for w in r.warnings)


def test_an_unknown_problem_is_a_warning_with_a_suggestion(key):
    r = graded(key, submission() + '[[problem]]\nname = "fanout"\ngradients = { x = 7 }\n')
    assert r.status == "passed"
    assert any("'fanout' is not in the answer key" in w and "'fan-out'" in w for w in r.warnings)


# --- feedback: every kind, confirmed by the key's numbers ----------------------------------


@pytest.mark.parametrize(
    ("change", "problem", "quantity", "kind", "words"),
    [
        ({"add-mul": {"gradients": {"x": 4}}}, "add-mul", "∂f/∂x", "sign", "the sign is flipped"),
        ({"max": {"gradients": {"x": 6, "y": -8}}}, "max", "∂f/∂x", "swapped", "swapped with ∂f/∂y"),
        ({"fan-out": {"gradients": {"x": 6}}}, "fan-out", "∂f/∂x", "branch", "3 + 3 + 1"),
        ({"fan-out": {"gradients": {"x": 1}}}, "fan-out", "∂f/∂x", "branch", "from f"),
        ({"max": {"gradients": {"x": -4}}}, "max", "∂f/∂x", "upstream", "local gradient ∂n1/∂x"),
        ({"sigmoid": {"gradients": {"w0": -0.19}}}, "sigmoid", "∂f/∂w0", "rounding", "-0.20"),
        ({"add-mul": {"nodes": {"q": 3}}}, "add-mul", "∂f/∂q", "forward", "forward value of q"),
        ({"add-mul": {"gradients": {"z": -12}}}, "add-mul", "∂f/∂z", "forward", "forward value of f"),
        ({"add-mul": {"gradients": {"z": 7}}}, "add-mul", "∂f/∂z", None, "the answer 7 is not the correct 3"),
    ],
)
def test_feedback_names_the_likely_mistake(key, change, problem, quantity, kind, words):
    r = graded(key, submission(change))
    it = item(r, problem, quantity)
    assert it.status == "failed" and it.points == 0
    assert it.mistake == kind
    assert words in it.feedback


def test_rounding_feedback_under_a_tight_tolerance(tmp_path):
    p = tmp_path / "k.toml"
    p.write_text(
        '[[problem]]\nname = "s"\nexpression = "1/(1+exp(-x))"\nvalues = { x = 1 }\nask = ["value"]\n'
    )
    k = G.load_key(str(p))
    r = graded(k, '[[problem]]\nname = "s"\nvalue = 0.73\n')
    it = r.problems[0].items[0]
    assert it.mistake == "rounding" and "0.73105858" in it.feedback and "0.73" in it.feedback
    assert graded(k, '[[problem]]\nname = "s"\nvalue = 0.7310585786\n').status == "passed"


def test_feedback_in_korean(key):
    r = graded(key, submission({"add-mul": {"gradients": {"x": 4}}, "max": None}), lang="ko")
    assert "부호가 반대다" in item(r, "add-mul", "∂f/∂x").feedback
    assert "답이 없다" in item(r, "max", "∂f/∂x").feedback


def test_every_feedback_message_exists_in_both_languages():
    from backcalc.i18n import catalogue, placeholders

    en, ko = catalogue("en"), catalogue("ko")
    keys = [k for k in en if k.startswith(("grade.", "mistake."))]
    assert len(keys) >= 14
    for k in keys:
        assert placeholders(en[k]) == placeholders(ko[k]), k


# --- tolerances and rounding --------------------------------------------------------------


@pytest.mark.parametrize(
    ("w0", "ok"),
    [
        (-0.20, True),
        ("-0.20", True),
        (-0.2, True),
        (-0.1966, True),  # a correct rounding to more decimals
        (-0.19661193, True),
        (-0.19, False),
        (-0.21, False),
        (-0.197, True),
        (-0.196, False),  # cut off, not rounded
        (-0.1967, False),
    ],
)
def test_decimals_rule_accepts_what_a_correct_rounding_gives(key, w0, ok):
    it = item(graded(key, submission({"sigmoid": {"gradients": {"w0": w0}}})), "sigmoid", "∂f/∂w0")
    assert it.passed is ok


def test_decimals_rule_at_a_tie_accepts_either_rounding():
    assert G.accepts(G.Rule(decimals=1), 0.2, 0.25) and G.accepts(G.Rule(decimals=1), 0.3, 0.25)
    assert G.accepts(G.Rule(decimals=2), 1.37, 1.3654) and not G.accepts(G.Rule(decimals=2), 1.36, 1.3654)


def test_command_line_tolerances_override_the_key(runner, tmp_path):
    (tmp_path / "key.toml").write_text(KEY)
    (tmp_path / "s.toml").write_text(submission({"add-mul": {"value": -12.5}}))
    base = ["check", "--key", str(tmp_path / "key.toml"), str(tmp_path / "s.toml"), "-f", "json"]
    assert runner.invoke(app, base).exit_code == 1
    r = runner.invoke(app, [*base, "--atol", "0.6"])
    assert r.exit_code == 0, r.stdout
    assert runner.invoke(app, [*base, "--rtol", "0.05"]).exit_code == 0
    assert runner.invoke(app, [*base, "--decimals", "0"]).exit_code == 1  # -12.5 is not -12 rounded
    assert runner.invoke(app, [*base, "--rtol", "-1"]).exit_code == 2


# --- points, partial credit, class statistics ---------------------------------------------


def test_partial_credit_totals_and_class_mean_and_median(tmp_path):
    (tmp_path / "key.toml").write_text(KEY)
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a.toml").write_text(submission())
    (subs / "b.toml").write_text(submission({"max": {"gradients": {"z": 1}}}))  # -2 of 6
    (subs / "c.toml").write_text(submission({"add-mul": {"gradients": {"x": 0, "y": 0}}}))  # -2 of 5
    (subs / "d.toml").write_text("broken = = =")
    report = backcalc.check(str(tmp_path / "key.toml"), str(subs))
    assert [s.score for s in report.submissions] == [19, 17, 17, 0]
    s = report.summary
    assert (s.submissions, s.passed, s.failed, s.malformed, s.exit_code) == (4, 1, 2, 1, 1)
    assert s.mean == pytest.approx(53 / 4) and s.median == 17
    add, _, mx, _ = s.problems
    assert add.mean == pytest.approx((5 + 5 + 3 + 0) / 4) and add.median == 4 and add.full_marks == 2
    assert mx.mean == pytest.approx((6 + 4 + 6 + 0) / 4) and mx.median == 5


def test_median_of_counts():
    from collections import Counter

    assert G._median(Counter({1.0: 1, 2.0: 1, 10.0: 1})) == 2
    assert G._median(Counter({1.0: 2, 3.0: 2})) == 2
    assert G._median(Counter()) == 0


# --- reading what students write ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7/12", 7 / 12),
        ("\u22124", -4.0),
        ("\uff10.\uff13\uff19", 0.39),
        ("\uff0d\uff14", -4.0),
        (" -1/3 ", -1 / 3),
        (3, 3.0),
        ([1, "−2"], [1.0, -2.0]),
        ("[[1, 2], [3, 4]]", [[1.0, 2.0], [3.0, 4.0]]),
    ],
)
def test_answers_are_read_as_data(text, value):
    import numpy as np

    got = G.read_answer(text, "x")
    assert (
        np.asarray(got).tolist() == pytest.approx(np.asarray(value).tolist())
        if np.ndim(value) < 2
        else (np.allclose(got, value))
    )


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('true')", "eval('1')", True, {"a": 1}, "1/0", "inf", [[1, 2], [3]], "x+1"],
)
def test_unreadable_answers_are_refused_without_running_anything(text):
    with pytest.raises(ValueError):
        G.read_answer(text, "x")


def test_unreadable_answer_scores_zero_and_the_rest_is_graded(key):
    r = graded(key, submission({"add-mul": {"value": "__import__('os')"}}))
    it = item(r, "add-mul", "f")
    assert it.status == "unreadable" and "cannot be read" in it.feedback
    assert r.score == 18


def test_array_answers_are_shape_checked(tmp_path):
    p = tmp_path / "k.toml"
    p.write_text(
        '[[problem]]\nname = "v"\nexpression = "sum((W @ x)**2)"\n'
        'values = { W = [[0.1, 0.5], [-0.3, 0.8]], x = [0.2, 0.4] }\nask = ["W", "x"]\n'
    )
    k = G.load_key(str(p))
    ok = graded(
        k,
        '[[problem]]\nname = "v"\ngradients = { W = [[0.088, 0.176], [0.104, 0.208]], x = [-0.112, 0.636] }\n',
    )
    assert ok.status == "passed"
    bad = graded(k, '[[problem]]\nname = "v"\ngradients = { W = [0.088, 0.176], x = ["−0.112", "0.636"] }\n')
    w = item(bad, "v", "∂f/∂W")
    assert w.status == "failed" and "shape 2," in w.feedback and "shape 2×2" in w.feedback
    assert item(bad, "v", "∂f/∂x").passed


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"this = = not toml", "not valid TOML"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'student = "\xff\xfe"', "not UTF-8"),
        (b'student = "x"\n', "no problems"),
        (b"problem = 3\n", "no problems"),
        (b"problem = [1, 2]\n", "expected a table"),
        (b'[[problem]]\nname = "fan-out"\n[[problem]]\nname = "fan-out"\n', "answered twice"),
        (b'[[problem]]\nname = "max"\ngradients = 3\n', "key 'gradients'"),
        (b"student = 3\n[[problem]]\nname = 'max'\n", "key 'student'"),
        (b"a = " + b"[" * 200 + b"]" * 200, "nested"),
    ],
)
def test_malformed_submissions_score_zero_with_their_reason(key, content, reason):
    r = G.grade(key, G.read_submission("s.toml", text=content))
    assert r.status == "malformed" and r.score == 0 and r.max_score == 19
    assert reason in r.error


def test_a_too_large_submission_is_malformed(key, tmp_path, monkeypatch):
    monkeypatch.setattr(G, "MAX_SUBMISSION_BYTES", 100)
    p = tmp_path / "big.toml"
    p.write_text(submission())
    r = G.grade(key, G.read_submission(str(p)))
    assert r.status == "malformed" and "larger than the limit of 100 bytes" in r.error


def test_json_submissions_and_the_student_name(key, tmp_path):
    doc = {"student": "  Kim   Min-ji ", "problem": [{"name": n, **a} for n, a in RIGHT.items()]}
    p = tmp_path / "kim.json"
    p.write_text(json.dumps(doc))
    r = G.grade(key, G.read_submission(str(p)))
    assert r.status == "passed" and r.student == "Kim Min-ji"
    q = tmp_path / "lee.toml"
    q.write_text(submission())
    assert G.grade(key, G.read_submission(str(q))).student == "lee"


# --- the command line ---------------------------------------------------------------------


def test_example_class_prints_the_class_table_and_exits_1(runner):
    r = runner.invoke(
        app,
        ["check", "--key", str(EXAMPLE / "key.toml"), str(EXAMPLE / "submissions"), "-f", "table"],
        env={"COLUMNS": "200"},
    )
    assert r.exit_code == 1
    out = r.stdout
    for text in (
        "Ada Lovelace",
        "19 of 19 points",
        "Bob",
        "the sign is flipped",
        "a branch not summed",
        "the upstream gradient was not multiplied",
        "off only by rounding",
        "malformed",
        "mean",
        "median",
        "3 submissions: 1 passed everything, 1 lost points, 1 malformed",
    ):
        assert text in out, text
    assert "key 'atol' is set by the answer key; ignored" in r.stderr
    assert "carol.toml: malformed submission" in r.stderr


def test_json_is_one_valid_document_also_with_malformed_files(runner):
    r = runner.invoke(
        app, ["check", "--key", str(EXAMPLE / "key.toml"), str(EXAMPLE / "submissions"), "-f", "json"]
    )
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    assert [s["status"] for s in doc["submissions"]] == ["passed", "failed", "malformed"]
    assert doc["submissions"][2]["error"].startswith("not valid TOML")
    assert doc["summary"]["exit_code"] == 1 and doc["summary"]["max_score"] == 19
    bob = doc["submissions"][1]
    x = bob["problems"][0]["items"][1]
    assert (x["answer"], x["correct"], x["passed"], x["mistake"]) == (4.0, -4.0, False, "sign")


def test_json_with_only_malformed_files_is_still_one_document(runner, tmp_path):
    (tmp_path / "a.toml").write_bytes(b"\xff\xfe")
    (tmp_path / "b.toml").write_text("")
    r = runner.invoke(app, ["check", "--key", str(EXAMPLE / "key.toml"), str(tmp_path), "-f", "json"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    assert [s["status"] for s in doc["submissions"]] == ["malformed", "malformed"]


def test_directories_recursively_stdin_and_files_in_one_run(runner, tmp_path):
    (tmp_path / "key.toml").write_text(KEY)  # the key beside the submissions is not one of them
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "s1.toml").write_text(submission(student="one"))
    (deep / "s2.json").write_text(json.dumps({"student": "two", "problem": [{"name": "max"}]}))
    (deep / "notes.txt").write_text("not a submission")
    (tmp_path / ".hidden.toml").write_text("x")
    (tmp_path / "single.toml").write_text(submission(student="three"))
    r = runner.invoke(
        app,
        ["check", "--key", str(tmp_path / "key.toml"), str(tmp_path), "-", "-f", "csv"],
        input=submission(student="four"),
    )
    assert r.exit_code == 1, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["student"], x["status"], x["score"]) for x in rows] == [
        ("three", "passed", "19"),  # a directory's own files first, then its subdirectories
        ("one", "passed", "19"),
        ("two", "failed", "0"),
        ("four", "passed", "19"),
    ]
    assert list(rows[0]) == [
        "student",
        "file",
        "status",
        "score",
        "max_score",
        "add-mul",
        "sigmoid",
        "max",
        "fan-out",
        "error",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "a.toml", "b.toml"], "check takes one answer file"),
        (["check", "a.toml", "--rtol", "0.1"], "--rtol applies to grading with an answer key"),
        (["check", "--key", "KEY", "nope.toml"], "no such file or directory: nope.toml"),
        (["check", "--key", "KEY", "EMPTY"], "no submissions found"),
        (["check", "--key", "missing-key.toml", "SUB"], "answer key not found"),
        (["check", "--key", "KEY", "-", "-"], "standard input (-) can be read once"),
        (["check", "--key", "KEY", "SUB", "-f", "dot"], "--format dot: not one of table, json"),
    ],
)
def test_unusable_command_lines_exit_2(runner, tmp_path, args, message):
    (tmp_path / "empty").mkdir()
    subs = {
        "KEY": str(EXAMPLE / "key.toml"),
        "EMPTY": str(tmp_path / "empty"),
        "SUB": str(EXAMPLE / "submissions"),
    }
    args = [subs.get(a, a) for a in args]
    r = runner.invoke(app, args)
    assert r.exit_code == 2
    assert message in r.stderr or message in r.stdout


def test_exit_0_when_every_submission_passes(runner):
    r = runner.invoke(
        app,
        [
            "check",
            "--key",
            str(EXAMPLE / "key.toml"),
            str(EXAMPLE / "submissions" / "ada.toml"),
            "-f",
            "json",
        ],
    )
    assert r.exit_code == 0
    assert json.loads(r.stdout)["summary"]["exit_code"] == 0


# --- the reports graders read -------------------------------------------------------------

GRADESCOPE_TEST_FIELDS = {
    "name": str,
    "score": float,
    "max_score": float,
    "status": str,
    "output": str,
    "visibility": str,
}


def check_gradescope(doc):
    assert isinstance(doc["score"], float) and isinstance(doc["output"], str)
    assert doc["visibility"] in ("hidden", "after_due_date", "after_published", "visible")
    assert isinstance(doc["tests"], list) and doc["tests"]
    for t in doc["tests"]:
        for k, typ in GRADESCOPE_TEST_FIELDS.items():
            assert isinstance(t[k], typ), (k, t)
        assert t["status"] in ("passed", "failed") and 0 <= t["score"] <= t["max_score"]
        assert t["visibility"] in ("hidden", "after_due_date", "after_published", "visible")
    assert doc["score"] == pytest.approx(sum(t["score"] for t in doc["tests"]))


def test_gradescope_directory_gets_one_results_json_per_student(runner, tmp_path):
    out = tmp_path / "results"
    r = runner.invoke(
        app,
        [
            "check",
            "--key",
            str(EXAMPLE / "key.toml"),
            str(EXAMPLE / "submissions"),
            "-f",
            "gradescope",
            "-o",
            str(out),
        ],
    )
    assert r.exit_code == 1
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert files == ["Ada_Lovelace/results.json", "Bob/results.json", "carol/results.json"]
    docs = {f.split("/")[0]: json.loads((out / f).read_text()) for f in files}
    for doc in docs.values():
        check_gradescope(doc)
    assert (
        docs["Ada_Lovelace"]["score"] == 19.0
        and docs["Bob"]["score"] == 13.0
        and docs["carol"]["score"] == 0.0
    )
    sign = next(t for t in docs["Bob"]["tests"] if t["name"] == "add-mul: ∂f/∂x")
    assert (
        sign["status"] == "failed"
        and "answer 4, correct -4" in sign["output"]
        and "sign is flipped" in sign["output"]
    )
    assert "could not be read" in docs["carol"]["output"]
    assert "'atol'" in docs["Bob"]["output"]


def test_gradescope_on_stdout_one_document_per_submission(runner):
    one = runner.invoke(
        app,
        [
            "check",
            "--key",
            str(EXAMPLE / "key.toml"),
            str(EXAMPLE / "submissions" / "bob.toml"),
            "-f",
            "gradescope",
        ],
    )
    check_gradescope(json.loads(one.stdout))
    many = runner.invoke(
        app, ["check", "--key", str(EXAMPLE / "key.toml"), str(EXAMPLE / "submissions"), "-f", "gradescope"]
    )
    lines = many.stdout.strip().split("\n")
    assert len(lines) == 3
    for line in lines:
        check_gradescope(json.loads(line))


def test_gradescope_folder_names_are_safe_and_unique():
    from backcalc.render.gradescope import folder_name

    used: set[str] = set()
    assert folder_name("../../etc/passwd", used) == "etc_passwd"
    assert folder_name("Kim Min-ji", used) == "Kim_Min-ji"
    assert folder_name("kim min-ji", used) == "kim_min-ji-2"
    assert folder_name("...", used) == "student"


def test_junit_parses_with_the_right_counts(runner):
    r = runner.invoke(
        app, ["check", "--key", str(EXAMPLE / "key.toml"), str(EXAMPLE / "submissions"), "-f", "junit"]
    )
    assert r.exit_code == 1
    root = ET.fromstring(r.stdout)
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["Ada Lovelace", "Bob", "carol"]
    counts = {
        n: (int(s.get("tests")), int(s.get("failures")), int(s.get("errors"))) for n, s in suites.items()
    }
    assert counts == {"Ada Lovelace": (16, 0, 0), "Bob": (16, 5, 0), "carol": (1, 0, 1)}
    for s in suites.values():
        assert len(s.findall("testcase")) == int(s.get("tests"))
        assert len(s.findall("testcase/failure")) == int(s.get("failures"))
        assert len(s.findall("testcase/error")) == int(s.get("errors"))
    fail = suites["Bob"].find("testcase/failure")
    assert fail.get("type") == "sign" and "answer 4, correct -4" in fail.text


def test_junit_escapes_hostile_names(key, tmp_path):
    from backcalc.render.junit import JunitWriter

    out = io.StringIO()
    w = JunitWriter(out)
    w.begin(key)
    w.add(graded(key, submission(student='<x a="1"> & \x01', answers={"max": {"gradients": {"x": 1}}})))
    w.end(None)
    suite = ET.fromstring(out.getvalue()).find("testsuite")
    assert suite.get("name") == '<x a="1"> & ?'


def test_markdown_report_for_posting_feedback(runner):
    r = runner.invoke(
        app,
        [
            "check",
            "--key",
            str(EXAMPLE / "key.toml"),
            str(EXAMPLE / "submissions"),
            "-f",
            "markdown",
            "--lang",
            "ko",
        ],
    )
    assert r.exit_code == 1
    out = r.stdout
    assert "## Bob: 13 / 19" in out and "부호가 반대다" in out and "## Class" in out
    assert "| **median** |" in out and "Malformed submission" in out


def test_output_file_is_written_atomically(runner, tmp_path):
    target = tmp_path / "grades.csv"
    target.write_text("old")
    args = [
        "check",
        "--key",
        str(EXAMPLE / "key.toml"),
        str(EXAMPLE / "submissions"),
        "-f",
        "csv",
        "-o",
        str(target),
    ]
    r = runner.invoke(app, args)
    assert r.exit_code == 1 and r.stdout == ""
    assert target.read_text().startswith("student,file,status")
    assert [p.name for p in tmp_path.iterdir()] == ["grades.csv"]  # no temporary file left


def test_output_file_keeps_the_old_one_when_grading_fails(runner, tmp_path, monkeypatch):
    target = tmp_path / "grades.json"
    target.write_text("old")

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(G, "grade", boom)
    args = [
        "check",
        "--key",
        str(EXAMPLE / "key.toml"),
        str(EXAMPLE / "submissions"),
        "-f",
        "json",
        "-o",
        str(target),
    ]
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "internal error" in r.stderr
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["grades.json"]


# --- the Python API -----------------------------------------------------------------------


def test_python_api_returns_typed_records():
    import dataclasses

    report = backcalc.check(str(EXAMPLE / "key.toml"), [str(EXAMPLE / "submissions")])
    assert dataclasses.is_dataclass(report) and isinstance(report, G.ClassReport)
    assert [(s.student, s.score, s.status) for s in report.submissions] == [
        ("Ada Lovelace", 19.0, "passed"),
        ("Bob", 13.0, "failed"),
        ("carol", 0.0, "malformed"),
    ]
    bob = report.submissions[1]
    assert isinstance(bob.problems[0], G.ProblemGrade) and isinstance(bob.problems[0].items[0], G.ItemGrade)
    assert report.summary.exit_code == 1


def test_python_api_takes_mappings():
    key = {
        "problem": [{"name": "p", "expression": "(x+y)*z", "values": {"x": -2, "y": 5, "z": -4}, "points": 3}]
    }
    subs = [
        {"student": "a", "problem": [{"name": "p", "value": -12, "gradients": {"x": -4, "y": -4, "z": 3}}]},
        {"student": "b", "problem": [{"name": "p", "value": -12, "gradients": {"x": -4, "y": 4, "z": 3}}]},
    ]
    report = backcalc.check(key, subs, atol=0.5)
    assert [s.score for s in report.submissions] == [3.0, 2.25]
    assert report.submissions[1].problems[0].items[2].mistake == "sign"


# --- the installed executable -------------------------------------------------------------


def _exe():
    exe = pathlib.Path(sys.executable).with_name("backcalc")
    if not exe.exists():
        pytest.skip("backcalc is not installed next to this Python")
    return str(exe)


@pytest.mark.parametrize(
    ("subs", "code"),
    [(["ada.toml"], 0), (["bob.toml"], 1), (["carol.toml"], 1), (["ada.toml", "bob.toml", "carol.toml"], 1)],
)
def test_exit_codes_through_the_installed_executable(subs, code):
    out = subprocess.run(
        [
            _exe(),
            "check",
            "--key",
            str(EXAMPLE / "key.toml"),
            *(str(EXAMPLE / "submissions" / s) for s in subs),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == code, out.stderr
    doc = json.loads(out.stdout)  # not a terminal: JSON
    assert len(doc["submissions"]) == len(subs)


def test_unusable_key_through_the_installed_executable(tmp_path):
    (tmp_path / "key.toml").write_text('[[problem]]\nname = "a"\nexpression = "x*"\nvalues = { x = 1 }\n')
    out = subprocess.run(
        [_exe(), "check", "--key", str(tmp_path / "key.toml"), str(EXAMPLE / "submissions")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and out.stdout == "" and out.stderr.startswith("error: answer key")


def test_self_check_writes_only_table_or_json(runner):
    r = runner.invoke(app, ["check", str(ROOT / "examples" / "homework.toml"), "-f", "csv"])
    assert r.exit_code == 2 and "self-check writes table or json" in r.stderr


MARKER_CODE = "__import__('os').system('touch {marker}')"


def test_no_text_of_a_key_or_a_submission_is_executed(runner, tmp_path):
    marker = tmp_path / "marker"
    code = MARKER_CODE.format(marker=marker)
    (tmp_path / "key.toml").write_text(
        f'[[problem]]\nname = "a"\nexpression = {json.dumps(code)}\nvalues = {{ x = 1 }}\n'
    )
    r = runner.invoke(app, ["check", "--key", str(tmp_path / "key.toml"), str(EXAMPLE / "submissions")])
    assert r.exit_code == 2
    (tmp_path / "key.toml").write_text(KEY)
    sub = tmp_path / "s.toml"
    sub.write_text(
        submission({"add-mul": {"value": code, "gradients": {"x": [code]}}}, student=code)
        + f"expression = {json.dumps(code)}\n"
    )
    r = runner.invoke(app, ["check", "--key", str(tmp_path / "key.toml"), str(sub), "-f", "json"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    items = doc["submissions"][0]["problems"][0]["items"]
    assert [it["status"] for it in items[:2]] == ["unreadable", "unreadable"]
    assert not marker.exists()


def test_korean_feedback_through_every_format(runner):
    base = [
        "check",
        "--key",
        str(EXAMPLE / "key.toml"),
        str(EXAMPLE / "submissions" / "bob.toml"),
        "--lang",
        "ko",
    ]
    for fmt in ("table", "json", "gradescope", "junit", "markdown"):
        r = runner.invoke(app, [*base, "-f", fmt], env={"COLUMNS": "250"})
        assert r.exit_code == 1
        assert "부호가 반대다" in r.stdout, fmt


HOSTILE_NAME = '=HYPERLINK("http://x") [bold red]big[/] <script>|*'


def test_hostile_student_names_stay_text_in_every_report(runner, tmp_path):
    (tmp_path / "s.toml").write_text(submission({"max": {"gradients": {"x": 1}}}, student=HOSTILE_NAME))
    base = ["check", "--key", str(EXAMPLE / "key.toml"), str(tmp_path / "s.toml")]
    rows = list(csv.reader(io.StringIO(runner.invoke(app, [*base, "-f", "csv"]).stdout)))
    assert rows[1][0] == "'" + HOSTILE_NAME  # a spreadsheet does not run it as a formula
    table = runner.invoke(app, [*base, "-f", "table"], env={"COLUMNS": "250"}).stdout
    assert "[bold red]big[/]" in table  # shown as written, not as rich markup
    md = runner.invoke(app, [*base, "-f", "markdown"]).stdout
    assert "<script>" not in md and "&lt;script&gt;" in md and "\\|" in md
    out = tmp_path / "gs"
    runner.invoke(app, [*base, "-f", "gradescope", "-o", str(out)])
    [path] = list(out.rglob("results.json"))
    assert path.parent.parent == out and ".." not in path.parent.name


@pytest.mark.parametrize(
    "flag", [["--rtol", "nan"], ["--atol", "inf"], ["--decimals", "-1"], ["--rtol", "big"]]
)
def test_unusable_tolerances_on_the_command_line_exit_2(runner, flag):
    r = runner.invoke(app, ["check", "--key", str(EXAMPLE / "key.toml"), str(EXAMPLE / "submissions"), *flag])
    assert r.exit_code == 2 and r.stdout == ""


def test_json_key_and_feedback_on_array_answers(tmp_path):
    key = {
        "problem": [
            {
                "name": "v",
                "expression": "sum((W @ x)**2)",
                "values": {"W": [[0.1, 0.5], [-0.3, 0.8]], "x": [0.2, 0.4]},
                "ask": ["W", "x"],
                "rtol": 0.01,
            }
        ]
    }
    (tmp_path / "key.json").write_text(json.dumps(key))
    k = G.load_key(str(tmp_path / "key.json"))
    r = graded(
        k,
        '[[problem]]\nname = "v"\ngradients = { W = [[-0.088, -0.176], [-0.104, -0.208]], x = [0.2, 0.4] }\n',
    )
    w, x = r.problems[0].items
    assert (w.mistake, x.mistake) == ("sign", "forward")
    assert "[[0.088, 0.176], [0.104, 0.208]]" in w.feedback and "[0.2, 0.4]" in x.feedback


def test_a_large_class_gets_the_class_table_as_aligned_text(runner, monkeypatch):
    from backcalc.render import grade_table

    monkeypatch.setattr(grade_table, "RICH_ROWS", 1)
    r = runner.invoke(
        app, ["check", "--key", str(EXAMPLE / "key.toml"), str(EXAMPLE / "submissions"), "-f", "table"]
    )
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    head = next(k for k, line in enumerate(lines) if line.startswith("student "))
    assert "add-mul /5" in lines[head] and "total /19" in lines[head]
    assert lines[head + 1].split()[-3:] == ["19", "✓", "passed"]
    assert lines[head + 4].split() == ["mean", "3", "3.667", "3.333", "0.667", "10.667"]
    assert "3 submissions: 1 passed everything" in r.stdout


def test_self_check_reads_standard_input(runner):
    text = (ROOT / "examples" / "homework-wrong.toml").read_text()
    r = runner.invoke(app, ["check", "-", "-f", "json"], input=text)
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["file"] == "-" and doc["summary"]["failed"] == 1
    bad = runner.invoke(app, ["check", "-"], input="x = = ")
    assert bad.exit_code == 2 and "the answer file on standard input is not valid TOML" in bad.stderr
