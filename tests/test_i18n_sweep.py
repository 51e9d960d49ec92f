"""Korean everywhere a student reads, also in the commands and modules that came after the
catalogue: every --help text is a catalogue key, each command's help is Korean under a Korean
locale, each new module's typical error is Korean, and a Korean training run reports in Korean."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from test_i18n_messages import _runner
from typer.main import get_command

from backcalc.cli import app
from backcalc.errors import Msg
from backcalc.i18n import catalogue

from conftest import backcalc_exe

KO_ENV = {"LANG": "ko_KR.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "COLUMNS": "80"}
COMMANDS = ["grad", "explain", "graph", "check", "net", "train", "quiz", "step"]
EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "examples")
XOR = os.path.join(EXAMPLES, "xor.toml")

# four or more English words in a row: a sentence left in English
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:,? [A-Za-z]{2,}){3,}\b")
# the course's English terms and the notation the Korean text keeps on purpose
KEPT = ("swap multiplier", "gradient descent", "chain rule gradient", "copy gate")


runner = _runner()  # the same runner as test_i18n_messages' (stderr apart where typer can)


@pytest.fixture(autouse=True)
def _korean_locale(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")


def _english_runs(text: str) -> list[str]:
    """English sentences in ``text``: runs of four English words, leaving out command lines
    (examples), option lists like 'table, json, dot, markdown' and the kept course terms."""
    found = []
    for line in text.splitlines():
        body = line.strip(" │╭╮╰╯─")
        if body.startswith("backcalc ") or "Usage:" in body:
            continue
        body = re.sub(r"(?<!\S)-{1,2}[\w-]+", " ", body)  # option names: --lr, -f
        for run in (r for cell in re.split(r"\s{2,}", body) for r in ENGLISH_RUN.findall(cell)):
            words = [w for w in re.split(r"[ ,]+", run) if w]
            if any(term in run for term in KEPT):
                continue
            if "," in run and all(len(w) <= 12 for w in words):  # a list of names: sgd, adam, ...
                continue
            found.append(run)
    return found


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_help_is_a_catalogue_key(command):
    sub = get_command(app).commands[command]
    for p in sub.params:
        if p.name == "help":
            continue
        assert p.help and p.help.startswith("help."), (command, p.name, p.help)
        assert p.help in catalogue("en") and p.help in catalogue("ko"), (command, p.name, p.help)
        panel = getattr(p, "rich_help_panel", None)
        if panel is not None:
            assert panel.startswith("panel.") and panel in catalogue("ko"), (command, p.name, panel)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_korean_under_a_korean_locale(command):
    r = runner.invoke(app, [command, "--help"], env=KO_ENV)
    assert r.exit_code == 0, r.output
    assert "옵션" in r.stdout and "이 도움말을 보이고 끝낸다" in r.stdout
    assert _english_runs(r.stdout) == [], _english_runs(r.stdout)
    assert "help." not in r.stdout and "panel." not in r.stdout and "…" not in r.stdout


def test_the_english_help_keeps_its_english_texts(monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    r = runner.invoke(app, ["step", "--help"], env={"LANG": "C.UTF-8", "COLUMNS": "200"})
    assert "The update rule: sgd, sgd_momentum, rmsprop or adam." in r.stdout
    assert "The notebook's setup" in r.stdout
    g = runner.invoke(app, ["grad", "--help"], env={"LANG": "C.UTF-8", "COLUMNS": "80"})
    assert all(len(line) <= 80 for line in g.stdout.splitlines())
    assert "Fixed decimals" in g.stdout


def test_korean_grad_help_stays_short():
    en = runner.invoke(app, ["grad", "--help"], env={**KO_ENV, "LANG": "C.UTF-8"})
    ko = runner.invoke(app, ["grad", "--help"], env=KO_ENV)
    assert all(len(line) <= 80 for line in ko.stdout.splitlines())
    assert len(ko.stdout.splitlines()) <= len(en.stdout.splitlines()) + 8


def _bad_csv(tmp_path) -> str:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    return str(path)


# a typical mistake in each module that came after the catalogue, and a phrase of its Korean error
CASES = [
    ("ops", ["grad", "log(x)", "x=-1"], "log는 양수만 받는데 -1이 들어왔다"),
    ("ops.div", ["grad", "x/y", "x=1", "y=0"], "0으로 나눴다"),
    ("layers", ["grad", "affine(x, w, b)", "x=[1]", "w=[1]", "b=[1]"], "shape가 맞지 않는다"),
    ("layers.conv", ["grad", "conv(x, w, b, 1, 0)", "x=[[1]]", "w=[[1]]", "b=[1]"], "conv의 x는 shape가"),
    ("optim", ["step", "adm"], "'adm'이라는 update 규칙은 없다"),
    ("step", ["step", "sgd", "w=1", "dw=2", "zz=3"], "'zz'는 w도, dw도, sgd의 설정도 아니다"),
    ("optim.missing", ["step", "adam"], "'w'의 값이 없다"),
    ("upstream", ["grad", "x*2", "x=[1,2]", "--upstream", "d"], "--upstream에 준 'd'의 값이 없다"),
    (
        "upstream.shape",
        ["grad", "x*2", "x=[1,2]", "d=[1,2,3]", "--upstream", "d"],
        "upstream은 출력과 shape가",
    ),
    ("net", ["net", XOR, "--explain", "--notation", "foo"], "'foo'라는 표기법은 없다"),
    ("quiz", ["quiz", "-"], "퀴즈는 답을 표준 입력에서 읽으므로"),
    ("grad -o", ["grad", "x*2", "x=1", "-o", "out.xyz"], "확장자로 out.xyz의 형식을 알 수 없다"),
    ("train", ["train", XOR, "--epochs", "3", "--lr", "-1"], "양수여야 하는데 -1이다"),
]


@pytest.mark.parametrize(("module", "args", "phrase"), CASES, ids=[c[0] for c in CASES])
def test_a_typical_error_of_each_new_module_is_korean(module, args, phrase):
    r = runner.invoke(app, args, env=KO_ENV)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    first = r.stderr.splitlines()[0]
    assert first.startswith("오류: ") and phrase in r.stderr, r.stderr
    assert _english_runs(first) == [], first


def test_setup_lines_errors_are_korean():
    r = runner.invoke(app, ["grad", "x*2", "--setup", "-"], input="import numpy as np\ny = foo\n", env=KO_ENV)
    assert r.exit_code == 2
    assert r.stderr.startswith("오류: setup 2행 5열: 'foo'가 정의되지 않았다"), r.stderr
    r = runner.invoke(app, ["grad", "x*2", "--setup", "-"], input="x = np.random.randn(3\n", env=KO_ENV)
    assert "'('가 닫히지 않았다" in r.stderr


def test_training_data_errors_are_korean(tmp_path):
    r = runner.invoke(app, ["train", XOR, "--data", _bad_csv(tmp_path)], env=KO_ENV)
    assert r.exit_code == 2
    assert "target 열이 없다" in r.stderr and r.stderr.splitlines()[-1].startswith("힌트: --target")


def test_korean_training_run_reports_in_korean():
    r = runner.invoke(app, ["train", XOR, "--epochs", "5", "-f", "table"], env=KO_ENV)
    assert r.exit_code == 0, r.stderr
    out = " ".join(r.stdout.split())  # the report wraps at 80 columns
    assert "xor.toml을 spec의 x와 y (4행)으로 학습했다" in out
    assert "step 1번짜리 epoch 5번" in out and "epoch마다의 loss" in out
    assert "최종 weight로 전체 데이터에서" in out
    assert "trained" not in out and "on all the data" not in out


def test_installed_backcalc_trains_in_korean():
    env = {**os.environ, "LANG": "ko_KR.UTF-8", "COLUMNS": "80"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    p = subprocess.run(
        [backcalc_exe(), "train", XOR, "--epochs", "5", "-f", "table"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert "학습했다" in p.stdout and "epoch마다의 loss" in p.stdout
    e = subprocess.run(
        [backcalc_exe(), "grad", "log(x)", "x=-1"], capture_output=True, text=True, env=env, timeout=120
    )
    assert e.returncode == 2 and e.stderr.startswith("오류: log는 양수만 받는데 -1이 들어왔다 (log(x)에서)")


def test_the_english_text_of_converted_messages_is_unchanged():
    assert Msg("ops.positive", op="log", got="-1") == "log needs a positive input, got -1"
    assert str(Msg("engine.domain", detail=Msg("ops.division_by_zero"), text="x/y")) == (
        "division by zero: the denominator is 0 (in x/y)"
    )
    assert Msg("train.data.spec", rows=4) == "the spec's x and y (4 rows)"


def test_korean_templates_choose_particles_after_placeholders():
    """A particle written right after a placeholder would be wrong for half the values: every
    such particle goes through a spec ({x:이/가})."""
    fixed = re.compile(r"\{[a-z_]+\}'?(이|가|은|는|을|를|과|와|으로|로)(?=[\s,.;:)\]]|$)")
    bad = [(k, v) for k, v in catalogue("ko").items() if fixed.search(v)]
    assert bad == []


@pytest.mark.parametrize("value", ["x", "n1", "q3", "W", "6", "(2, 3)", "'foo'", "log(x)", "조사"])
def test_every_korean_message_renders_with_words_of_every_ending(value):
    ko = catalogue("ko")
    from backcalc.i18n import placeholders, render

    for key, template in ko.items():
        if "{}" in template:
            continue
        params = {name: value for name in placeholders(template)}
        for name in params:
            if re.search(r"\{" + name + r":[,d]", template):  # {limit:,} takes a number
                params[name] = 1234
        text = render("ko", key, params)
        assert "{" + "}" not in text and "(으)로" not in text and "이(가)" not in text, (key, text)


def test_korean_network_table_reads_korean():
    r = runner.invoke(app, ["net", XOR, "-f", "table", "--step"], env=KO_ENV)
    assert r.exit_code == 0, r.stderr
    out = " ".join(r.stdout.split())
    assert "example 4개짜리 batch" in out and "step 전의 loss" in out and "그래프: " in out
    assert "batch of" not in out and "loss before the step" not in out and "the graph:" not in out
    en = runner.invoke(app, ["net", XOR, "-f", "table", "--step"], env={**KO_ENV, "LANG": "C.UTF-8"})
    assert "batch of 4 examples" in " ".join(en.stdout.split())


def test_korean_self_check_report_reads_korean():
    wrong = os.path.join(EXAMPLES, "homework-wrong.toml")
    r = runner.invoke(app, ["check", wrong, "-f", "table"], env=KO_ENV)
    assert r.exit_code == 1
    assert "문제 2개: 1개 통과, 1개 틀림" in r.stdout and "계산한 값" in r.stdout
    assert "passed" not in r.stdout and "computed" not in r.stdout
    en = runner.invoke(app, ["check", wrong, "-f", "table"], env={**KO_ENV, "LANG": "C.UTF-8"})
    assert "2 problems: 1 passed, 1 failed" in en.stdout


def test_korean_class_grading_reads_korean():
    key = os.path.join(EXAMPLES, "grading", "key.toml")
    subs = os.path.join(EXAMPLES, "grading", "submissions")
    r = runner.invoke(app, ["check", "--key", key, subs, "-f", "table"], env={**KO_ENV, "COLUMNS": "120"})
    out = " ".join(r.stdout.split())
    assert "제출물 3개: 모두 맞음 1개, 감점 1개, 형식 오류 1개" in out and "중앙값" in out, out
    assert "19점 중 13점" in out and "submissions:" not in out and "median" not in out
    en = runner.invoke(app, ["check", "--key", key, subs, "-f", "table"], env={**KO_ENV, "LANG": "C.UTF-8"})
    assert "3 submissions: 1 passed everything, 1 lost points, 1 malformed" in " ".join(en.stdout.split())


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_catalogue_key_is_written_twice(lang):
    """A key written twice in a dict literal silently keeps the later template (and its
    placeholders): every section's keys must be new."""
    import ast

    import backcalc.i18n

    path = os.path.join(os.path.dirname(backcalc.i18n.__file__), f"{lang}.py")
    with open(path, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    keys = [
        k.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for k in node.keys
        if isinstance(k, ast.Constant)
    ]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    assert twice == []
