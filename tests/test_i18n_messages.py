"""The message catalogue: every message renders in both languages, particles follow 받침,
errors render in the run's language, usage errors and hints are backcalc's own."""

from __future__ import annotations

import os
import subprocess

import pytest
from typer.testing import CliRunner

from backcalc.cli import app
from backcalc.errors import BackcalcError, Msg
from backcalc.i18n import LANGS, catalogue, josa, placeholders, render

from conftest import backcalc_exe

EN, KO = catalogue("en"), catalogue("ko")


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


runner = _runner()


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def test_every_message_renders_in_both_languages_with_the_same_placeholders():
    assert set(EN) == set(KO)
    for key in EN:
        assert placeholders(EN[key]) == placeholders(KO[key]), key
        params = {name: 6 for name in placeholders(EN[key])}
        for lang in LANGS:
            if "{}" in EN[key]:  # help.default: a plain str.format template typer fills
                continue
            text = render(lang, key, params)  # raises on a bad template or particle spec
            assert not any("{" + name for name in params if "{" + name in text), (lang, key, text)


def test_korean_never_writes_particle_templates():
    for key, template in KO.items():
        for bad in ("(으)로", "이(가)", "은(는)", "을(를)", "와(과)", "과(와)"):
            assert bad not in template, (key, bad)


@pytest.mark.parametrize(
    ("word", "pair", "particle"),
    [
        ("6", "은/는", "은"),  # 육
        ("2", "은/는", "는"),  # 이
        ("1", "으로/로", "로"),  # 일: ㄹ takes 로
        ("3", "으로/로", "으로"),  # 삼
        ("10", "이/가", "이"),  # 십
        ("0.5", "이/가", "가"),  # 오
        ("x", "이/가", "가"),  # 엑스
        ("m", "이/가", "이"),  # 엠
        ("l", "으로/로", "로"),  # 엘
        ("'yy'", "이/가", "가"),  # 와이와이, in quotes
        ("q", "을/를", "를"),
        ("n3", "으로/로", "으로"),
        ("sigmoid(...)", "을/를", "를"),
        ("덧셈", "은/는", "은"),
        ("게이트", "은/는", "는"),
        ("σ", "이라는/라는", "라는"),
        ("-4", "과/와", "와"),
        ("')'", "이/가", "가"),  # 괄호
        ("';'", "이/가", "이"),  # 세미콜론
    ],
)
def test_josa_picks_the_particle_by_the_final_consonant(word, pair, particle):
    assert josa(word, pair) == particle


def test_a_template_spec_appends_the_particle_and_quotes():
    assert render("ko", "values.twice", {"name": "x"}) == "x가 두 번 주어졌다"
    assert render("ko", "values.twice", {"name": "w6"}) == "w6이 두 번 주어졌다"
    assert render("ko", "engine.unknown_function", {"name": "foo"}) == "'foo'라는 함수는 없다"


def test_grading_feedback_reads_6_eun_not_6_neun():
    text = render("ko", "grade.wrong", {"quantity": "dx", "answer": "6", "correct": "2"})
    assert "6은" in text and "6는" not in text and "2가" in text


def test_msg_is_its_english_sentence_and_renders_in_korean():
    m = Msg("values.twice", name="x")
    assert m == "x is given twice" and isinstance(m, str)
    assert m.text("ko") == "x가 두 번 주어졌다"
    e = BackcalcError(m, hint=Msg("parse.empty_hint"))
    assert str(e) == "x is given twice"
    assert e.render() == 'error: x is given twice\nhint: write one, e.g. "(x+y)*z"'
    assert e.render(lang="ko") == '오류: x가 두 번 주어졌다\n힌트: 식을 하나 쓴다. 예: "(x+y)*z"'


def test_an_english_only_message_still_works_in_korean():
    e = BackcalcError("something new", hint="do this")
    assert e.render(lang="ko") == "오류: something new\n힌트: do this"


def test_msg_survives_pickling():
    import pickle

    m = pickle.loads(pickle.dumps(Msg("values.twice", name="x")))
    assert m == "x is given twice" and m.text("ko") == "x가 두 번 주어졌다"


def test_the_python_api_stays_english_after_a_korean_cli_run():
    import backcalc

    r = runner.invoke(app, ["grad", "x*y", "x=1", "--lang", "ko"])
    assert r.exit_code == 2 and "오류:" in r.stderr
    with pytest.raises(BackcalcError) as info:
        backcalc.grad("x*y", x=1)
    assert str(info.value).startswith("no value for 'y'")


# --- usage errors: one plain line and a hint, exit 2, no box --------------------------------


@pytest.mark.parametrize(
    ("args", "error", "hint"),
    [
        (["grad", "x", "--nope"], "error: no such option: --nope", "hint: did you mean --nodes?"),
        (
            ["grad", "x", "--precison", "3"],
            "error: no such option: --precison",
            "hint: did you mean --precision?",
        ),
        (["grad", "-x*y", "x=1", "y=2"], "error: no such option: -x*y", "goes after '--'"),
        (
            ["grad", "x", "x=1", "-f", "tabel"],
            "error: --format tabel: not one of table, json",
            "did you mean table?",
        ),
        (["grad"], "error: missing argument EXPRESSION", 'hint: for example: backcalc grad "(x+y)*z" x=-2'),
        (["check", "-f", "markdown", "a", "b"], None, None),
        (["grd", "x"], "error: no such command 'grd'", "hint: did you mean grad?"),
        (["grad", "x", "-p"], "error: option -p needs a value", "hint: see backcalc grad --help"),
        (["grad", "x", "-p", "40"], "error: --precision 40: must be in the range", None),
        (
            ["net", "a.toml", "b.toml"],
            "error: unexpected extra argument: b.toml",
            "hint: see backcalc net --help",
        ),
    ],
)
def test_usage_errors_are_plain_error_and_hint_lines(args, error, hint):
    r = runner.invoke(app, args)
    assert r.exit_code == 2
    assert "╭" not in r.stderr and "Usage:" not in r.stderr and r.stdout == ""
    if error is not None:
        lines = r.stderr.splitlines()
        assert lines[0].startswith(error), r.stderr
        if hint is not None:
            assert len(lines) == 2 and hint in lines[1], r.stderr


def test_an_unknown_format_for_a_command_is_an_error():
    r = runner.invoke(app, ["train", "examples/xor.toml", "-f", "markdown"])
    assert r.exit_code == 2 and r.stderr.startswith("error: --format markdown: not one of table, json")


def test_usage_errors_speak_korean_with_lang():
    r = runner.invoke(app, ["grad", "x", "--nope", "--lang", "ko"])
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["오류: 그런 옵션은 없다: --nope", "힌트: --nodes를 뜻했나?"]


def test_the_installed_command_prints_one_plain_error_line_and_a_hint():
    env = {**os.environ, "LANG": "C.UTF-8", "COLUMNS": "80"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    p = subprocess.run([backcalc_exe(), "grad", "x", "--nope"], capture_output=True, text=True, env=env)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.splitlines() == ["error: no such option: --nope", "hint: did you mean --nodes?"]


def test_a_korean_locale_gives_the_did_you_mean_in_korean_from_the_fast_path():
    env = {**os.environ, "LANG": "ko_KR.UTF-8"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    p = subprocess.run(
        [backcalc_exe(), "grad", "x*y", "x=1", "yy=2"], capture_output=True, text=True, env=env
    )
    assert p.returncode == 2
    assert p.stderr.splitlines()[0] == "오류: 'y'의 값이 없다. y=VALUE로 준다 (주어진 값: x, yy)."
    assert p.stderr.splitlines()[-1] == "힌트: y=2를 뜻했나? (yy=2라고 썼다)"


# --- hints that are right -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "hint"),
    [
        ("np.exp(x)", "write exp(...) for np.exp(...): functions are called by their own names"),
        ("math.exp(x)", "write exp(...) for math.exp(...): functions are called by their own names"),
        ("exp x", "write 'exp(x)': a function's argument goes in parentheses"),
        ("||W @ x||^2", "write norm(W @ x)**2 for ||W @ x||^2"),
        ("x·y", "write * for ·"),
        ("x×y", "write * for ×"),
        ("σ(x)", "write sigmoid(...): backcalc calls it sigmoid"),
        ("x'*y", "x' is not a name: write another name such as x2 or x_prime"),
        ("W.T @ x", "for the transpose Wᵀ write transpose(W)"),
        ("x y", "write 'x * y' for a product"),
    ],
)
def test_hints_point_to_what_to_write(expression, hint):
    r = runner.invoke(app, ["grad", expression, "x=1", "y=2", "W=1"])
    assert r.exit_code == 2
    assert r.stderr.splitlines()[-1] == f"hint: {hint}", r.stderr


def test_a_misspelt_value_name_gets_did_you_mean():
    r = runner.invoke(app, ["grad", "x*y", "x=1", "yy=2"])
    assert r.exit_code == 2
    assert r.stderr.splitlines()[0] == "error: no value for 'y'. Give one as y=VALUE (values given: x, yy)."
    assert r.stderr.splitlines()[-1] == "hint: did you mean y=2 (you wrote yy=2)?"


def test_values_separated_by_commas_are_told_to_use_spaces():
    r = runner.invoke(app, ["grad", "x*y", "x=-2,y=5"])
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        "error: cannot read 'x=-2,y=5': separate values with spaces, not commas",
        "hint: write x=-2 y=5",
    ]


def test_a_leading_minus_expression_gets_the_dash_dash_fix_that_works():
    r = runner.invoke(app, ["grad", "-x*y", "x=1", "y=2"])
    hint = r.stderr.splitlines()[-1]
    assert r.exit_code == 2 and hint.endswith(': backcalc grad -- "-x*y" x=1 y=2')
    fixed = runner.invoke(app, ["grad", "-f", "json", "--", "-x*y", "x=1", "y=2"])
    assert fixed.exit_code == 0 and '"y": -1.0' in fixed.stdout
    with_option = runner.invoke(app, ["grad", "-f", "json", "-x*y", "x=1", "y=2"])
    assert with_option.stderr.splitlines()[-1].endswith('backcalc grad -f json -- "-x*y" x=1 y=2')


def test_subscript_style_names_get_did_you_mean():
    r = runner.invoke(app, ["grad", "w_1*x_1", "w_1=2", "x1=3"])
    assert r.exit_code == 2
    assert r.stderr.splitlines()[-1] == "hint: did you mean x_1=3 (you wrote x1=3)?"


# --- help that teaches ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["grad", "graph", "explain", "check", "net", "train"])
def test_help_starts_with_examples_and_groups_options(command):
    r = runner.invoke(app, [command, "--help"], env={"COLUMNS": "80"})
    assert r.exit_code == 0
    head = r.stdout.split("╭")[0]
    assert head.count(f"backcalc {command} ") >= 2, head
    assert "Output" in r.stdout
    assert "help." not in r.stdout and "panel." not in r.stdout


def test_grad_help_is_grouped_and_fits_80_columns():
    r = runner.invoke(app, ["grad", "--help"], env={"COLUMNS": "80"})
    for panel in ("Output", "Checking", "Gradients and arrays", "Language"):
        assert f"─ {panel} ─" in r.stdout
    assert all(len(line) <= 80 for line in r.stdout.splitlines())


def test_train_help_lists_only_its_formats():
    r = runner.invoke(app, ["train", "--help"], env={"COLUMNS": "120"})
    assert "table or json" in r.stdout and "markdown" not in r.stdout


def test_help_is_korean_in_a_korean_locale(monkeypatch):
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    r = runner.invoke(app, ["grad", "--help"], env={"COLUMNS": "100", "LANG": "ko_KR.UTF-8"})
    assert r.exit_code == 0
    assert "각 노드의 순방향 값과 chain rule gradient" in r.stdout and "─ 출력 ─" in r.stdout
    top = runner.invoke(app, ["--help"], env={"COLUMNS": "100", "LANG": "ko_KR.UTF-8"})
    assert "help.cmd" not in top.stdout and "명령" in top.stdout


@pytest.mark.parametrize("command", ["grad", "graph", "explain", "check", "net", "train"])
def test_korean_help_wraps_without_cutting_words(command):
    r = runner.invoke(app, [command, "--help"], env={"COLUMNS": "80", "LANG": "ko_KR.UTF-8"})
    assert r.exit_code == 0 and "…" not in r.stdout and "help." not in r.stdout


def test_a_plain_grad_never_imports_the_catalogue():
    import sys

    code = (
        "import sys; sys.argv = ['backcalc', 'grad', '(x+y)*z', 'x=-2', 'y=5', 'z=-4', '-f', 'json']\n"
        "from backcalc.cli import main\n"
        "try:\n    main()\nfinally:\n    sys.stderr.write(repr(sorted(m for m in sys.modules if 'i18n' in m)))"
    )
    env = {**os.environ, "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert p.returncode == 0 and p.stderr.strip() == "[]", p.stderr


def test_lang_may_come_before_the_command():
    r = runner.invoke(app, ["--lang", "ko", "grad", "x*y", "x=1"])
    assert r.exit_code == 2 and r.stderr.startswith("오류: 'y'의 값이 없다")
