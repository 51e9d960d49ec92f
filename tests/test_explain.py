"""The step-by-step explanation, its message catalogues (en, ko) and the Korean table's alignment."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from collections import Counter

import pytest
from typer.testing import CliRunner

from backcalc import explanation as X
from backcalc.cli import app
from backcalc.i18n import LANGS, catalogue, default_lang, placeholders

from picture_cases import ALL, SEEDS, run

runner = CliRunner()


def test_catalogues_have_the_same_keys_and_placeholders():
    en, ko = catalogue("en"), catalogue("ko")
    assert set(en) == set(ko)
    for key in en:
        assert placeholders(en[key]) == placeholders(ko[key]), key


def test_every_role_in_the_op_table_has_a_name_and_a_why_in_every_language():
    from backcalc import ops

    for lang in LANGS:
        cat = catalogue(lang)
        for role in ops.ROLES:
            assert f"role.{role}" in cat and f"why.{role}" in cat


def test_no_explanation_sentence_is_hard_coded_outside_the_catalogue():
    """Every line of the explanation is a catalogue template filled in."""
    r = run(*SEEDS[1][1:3])
    ex = X.build(r, "ko")
    cat = catalogue("ko")
    lines = [ex.title] + [ln for s in ex.sections for st in s.steps for ln in [st.head, *st.lines]]
    assert all(ln.key in cat for ln in lines)


@pytest.mark.parametrize("case", ALL, ids=[c[0] for c in ALL])
def test_korean_and_english_explanations_carry_the_same_numbers(case):
    _, expr, values = case
    r = run(expr, values)
    en, ko = X.explain(r, "en"), X.explain(r, "ko")
    assert set(X.numbers_in(en)) == set(X.numbers_in(ko))
    assert Counter(X.numbers_in(en)) == Counter(X.numbers_in(ko))
    # and the formulas: everything written with ∂ is the same
    assert re.findall(r"∂\S+", en) == re.findall(r"∂\S+", ko)


def test_add_mul_example_narrates_gate_local_upstream_downstream_and_why():
    text = X.explain(run(*SEEDS[0][1:3]), "en")
    assert "1. n1 = x + y = (-2) + 5 = 3 (add gate)" in text
    assert "2. f = n1 * z = 3 * (-4) = -12 (mul gate)" in text
    assert "3. ∂f/∂f = 1" in text
    assert "4. f = n1 * z (mul gate, gradient switcher)" in text
    assert "local gradient: ∂f/∂n1 = z = -4" in text
    assert "downstream to n1: upstream × local = 1 × (-4) = -4" in text
    assert "upstream: ∂f/∂n1 = -4" in text
    assert "downstream to x: upstream × local = (-4) × 1 = -4" in text
    assert "gradient distributor" in text and "gradient switcher" in text
    assert "∂f/∂x = -4" in text and "∂f/∂y = -4" in text and "∂f/∂z = 3" in text
    # forward steps come before backward steps
    assert text.index("Forward pass") < text.index("Backward pass") < text.index("Gradients of the inputs")


def test_sigmoid_neuron_explanation_follows_the_slide():
    text = X.explain(run(*SEEDS[1][1:3]), "en")
    assert "local gradient: ∂f/∂n7 = -1/n7**2 = -0.5344" in text  # d(1/x)/dx = -1/x^2, as the notes
    assert "downstream to n7: upstream × local = 1 × (-0.5344) = -0.5344" in text
    assert "local gradient: ∂n6/∂n5 = exp(n5) = 0.3679" in text
    assert "downstream to n5: upstream × local = (-0.5344) × 0.3679 = -0.1966" in text
    for name, g in SEEDS[1][3].items():
        assert f"∂f/∂{name} = {g}" in text


def test_sigmoid_gate_local_gradient_is_written_as_the_lecture_writes_it():
    text = X.explain(run("sigmoid(w*x + b)", {"w": 2, "x": -1, "b": 0.5}), "en")
    assert "∂f/∂n2 = f*(1 - f) = 0.1491" in text


def test_router_explains_the_selected_input_and_the_zero():
    text = X.explain(run(*SEEDS[2][1:3]), "en")
    assert "n2 = max(z, w) (max gate, gradient router)" in text
    assert "downstream to w: upstream × local = 2 × 0 = 0" in text
    assert "gradient scaler" in text  # 2 * (...) multiplies by a constant


def test_branch_points_sum_in_the_explanation():
    for lang, phrase in (
        ("en", "the gradients from its branches add"),
        ("ko", "각 branch의 gradient를 더한다"),
    ):
        text = X.explain(run("x*x+x", {"x": 3}), lang)
        assert "∂f/∂x = 3 + 3 + 1 = 7" in text and phrase in text
    text = X.explain(run("q = x*2; f = q*q + q", {"x": 1}), "en")
    assert "upstream: ∂f/∂q = 2 + 2 + 1 = 5, the sum over its 3 branches (n1, n1, f)" in text


def test_ties_and_kinks_are_explained():
    text = X.explain(run("max(x, y) * x", {"x": 2, "y": 2}), "en")
    assert "rule 'split' applied" in text
    text = X.explain(run("relu(x) + abs(y)", {"x": 0, "y": 0}), "ko")
    assert "꺾이는 점" in text


def test_korean_wording_matches_the_course_notes():
    text = X.explain(run(*SEEDS[2][1:3]), "ko")
    assert "뒤에서부터 오는 gradient를 각 입력에 똑같이 나눠준다" in text  # add gate
    assert "gradient distributor" in text and "gradient router" in text and "gradient switcher" in text
    assert "덧셈 게이트" in text and "곱셈 게이트" in text
    assert "upstream × local = downstream" in text


def test_explanation_reads_numbers_from_the_result_and_never_recomputes():
    r = run(*SEEDS[0][1:3])
    n1 = r.node("n1")
    n1.grad = 12345.0  # a renderer that recomputed would not show this
    n1.downstream = [777.0, 888.0]
    text = X.explain(r, "en")
    assert "upstream: ∂f/∂n1 = 12345" in text
    assert "downstream to x: upstream × local = 12345 × 1 = 777" in text


def test_arrays_are_explained_without_crashing():
    r = run("x*y+w", {"x": [1.0, 2.0], "y": [3.0, 4.0], "w": [[0.1, 0.2], [0.3, 0.4]]})
    text = X.explain(r, "en")
    assert "downstream to w (shape 2×2): ∂f/∂w = ∂f/∂f = [[1, 1], [1, 1]]" in text
    assert "downstream to n1 (shape 2): ∂f/∂n1 = ∂f/∂f = Σ([[1, 1], [1, 1]]) = [2, 2]" in text
    assert "∂f/∂x = [6, 8]" in text


# --- the language setting -----------------------------------------------------


@pytest.mark.parametrize(
    "env,lang",
    [
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "ko_KR.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "ko_KR.UTF-8", "LC_ALL": ""}, "ko"),
    ],
)
def test_default_language_comes_from_the_locale(env, lang):
    assert default_lang(env) == lang


def _clean_env(monkeypatch, **env):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)


def test_cli_explain_defaults_to_korean_under_a_korean_locale(monkeypatch):
    _clean_env(monkeypatch, LANG="ko_KR.UTF-8")
    res = runner.invoke(app, ["explain", "(x+y)*z", "x=-2", "y=5", "z=-4"])
    assert res.exit_code == 0, res.output
    assert "덧셈 게이트" in res.stdout


def test_cli_explain_lang_option_wins(monkeypatch):
    _clean_env(monkeypatch, LANG="ko_KR.UTF-8")
    res = runner.invoke(app, ["explain", "(x+y)*z", "x=-2", "y=5", "z=-4", "--lang", "en"])
    assert res.exit_code == 0
    assert "add gate" in res.stdout and "덧셈" not in res.stdout


def test_cli_explain_rejects_an_unknown_language():
    res = runner.invoke(app, ["explain", "x", "x=1", "--lang", "fr"])
    assert res.exit_code == 2


def test_cli_explain_reports_bad_input_as_an_error():
    res = runner.invoke(app, ["explain", "(x+y", "x=1", "y=2"])
    assert res.exit_code == 2 and "error:" in res.output


def test_installed_backcalc_explain_in_korean():
    exe = shutil.which("backcalc", path=os.path.dirname(sys.executable)) or shutil.which("backcalc")
    if exe is None:
        pytest.skip("the backcalc executable is not installed (pip install -e .)")
    p = subprocess.run(
        [exe, "explain", SEEDS[1][1], *[f"{k}={v}" for k, v in SEEDS[1][2].items()], "--lang", "ko"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "120"},
        check=False,
    )
    assert p.returncode == 0, p.stderr
    assert "역방향" in p.stdout and "-0.5344" in p.stdout and "∂f/∂x1 = -0.5898" in p.stdout


# --- rich rendering of Korean text --------------------------------------------


def _render(renderable, width: int = 140) -> str:
    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, force_terminal=False, legacy_windows=False).print(
        renderable
    )
    return buf.getvalue()


@pytest.mark.parametrize("case", SEEDS, ids=[c[0] for c in SEEDS])
def test_korean_table_keeps_its_columns_aligned(case):
    from rich.cells import cell_len

    out = _render(X.rich_table(run(*case[1:3]), "ko"))
    lines = [ln for ln in out.splitlines() if ln.strip()]
    assert any("게이트" in ln for ln in lines) and any("덧셈" in ln or "곱셈" in ln for ln in lines)
    widths = {cell_len(ln) for ln in lines}
    assert len(widths) == 1, widths  # every row as wide as the border, counting a Hangul syllable as 2 cells

    def bars(ln: str) -> list[int]:  # display columns of the vertical rules
        cols, pos = [], 0
        for ch in ln:
            if ch in "│┃┏┓┗┛┡┩┣┫╇╋┳┻┯┷└┘┌┐├┤┼┬┴":
                cols.append(pos)
            pos += cell_len(ch)
        return cols

    positions = {tuple(bars(ln)) for ln in lines if ln.lstrip()[0] in "│┃"}
    assert len(positions) == 1, positions


def test_korean_explanation_renders_with_rich_at_a_narrow_width():
    out = _render(X.render_rich(X.build(run(*SEEDS[1][1:3]), "ko")), width=100)
    assert "역방향 (backward pass)" in out and "chain rule 표" in out


def test_a_negative_base_of_a_power_is_bracketed_as_the_operator_table_binds_it():
    text = X.explain(run("x**2", {"x": -2.0}))
    assert "(-2) ** 2 = 4" in text and "= -2 ** 2" not in text


# --- array gates: the rule as the lecture writes it, then its numbers (issue 14) ---

WX = ("sum((W @ x)**2)", {"W": [[0.1, 0.5], [-0.3, 0.8]], "x": [0.2, 0.4]})


def test_matmul_step_states_the_rule_then_the_numbers():
    text = X.explain(run(*WX), "en")
    assert (
        "downstream to W (shape 2×2): ∂f/∂W = ∂f/∂n1 · xᵀ = 2·n1 · xᵀ = [0.44, 0.52]ᵀ · [0.2, 0.4] "
        "= [[0.088, 0.176], [0.104, 0.208]]" in text
    )
    assert (
        "∂f/∂x = Wᵀ · ∂f/∂n1 = Wᵀ · 2·n1 = [[ 0.1, 0.5], [-0.3, 0.8]]ᵀ · [0.44, 0.52]ᵀ = [-0.112, 0.636]"
        in text
    )
    assert "∂f/∂n1 = ∂f/∂n2·2·n1 = 2·n1 = [1, 1]·2·[0.22, 0.26] = [0.44, 0.52]" in text


def test_the_numbers_in_the_rule_are_the_results_own():
    """The substituted product really is the downstream: outer(2q, x) and Wᵀ 2q."""
    import numpy as np

    r = run(*WX)
    W, x = np.array(WX[1]["W"]), np.array(WX[1]["x"])
    q = W @ x
    grads = {n.id: n.grad for n in r.nodes}
    assert np.allclose(grads["W"], np.outer(2 * q, x)) and np.allclose(grads["x"], W.T @ (2 * q))
    text = X.explain(run(*WX), "en")
    assert f"[{2 * q[0]:.2f}, {2 * q[1]:.2f}]ᵀ · [0.2, 0.4]" in text


def test_named_program_reads_2q_xT_in_english_and_korean():
    r = run("q = W @ x; f = sum(q**2)", WX[1])
    en, ko = X.explain(r, "en"), X.explain(r, "ko")
    for text in (en, ko):
        assert "= 2·q · xᵀ = [0.44, 0.52]ᵀ · [0.2, 0.4] = [[0.088, 0.176], [0.104, 0.208]]" in text
    assert "W 쪽으로 가는 downstream gradient (shape 2×2): ∂f/∂W = ∂f/∂q · xᵀ" in ko


def test_vector_jacobian_boilerplate_is_said_once_at_the_top_of_the_pass():
    for lang, phrase in (("en", "the Jacobian is never built"), ("ko", "Jacobian은 만들지 않는다")):
        text = X.explain(run(*WX), lang)
        assert text.count(phrase) == 1
        assert text.index(phrase) < text.index("∂f/∂f = 1")


def test_a_large_array_step_gives_the_rule_alone():
    import numpy as np

    W = np.arange(36.0).reshape(6, 6) / 10
    r = run("sum(W @ x)", {"W": W.tolist(), "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    text = X.explain(r, "en")
    line = next(ln for ln in text.splitlines() if "downstream to W" in ln)
    assert "∂f/∂W = ∂f/∂n1 · xᵀ = 1 · xᵀ = [[1, 2, 3, 4, 5, 6], [1, 2" in line
    assert "]ᵀ · [" not in line  # the 6×6 numbers are not written into the rule


def test_explanation_table_fills_local_for_array_gates_as_grad_does():
    headers, rows = X.table_rows(run(*WX), "en")
    local = {r[0]: r[headers.index("local")] for r in rows}
    assert local["n1"] == "W: g @ xᵀ, x: Wᵀ @ g"


def test_wrapped_step_lines_continue_under_their_text():
    from rich.console import Console

    con = Console(file=io.StringIO(), width=60, color_system=None)
    con.print(X.render_rich(X.build(run(*WX), "en")))
    out = con.file.getvalue().splitlines()
    start = next(k for k, ln in enumerate(out) if "downstream to W" in ln)
    assert out[start].startswith("   downstream to W")
    assert out[start + 1].startswith("   ") and out[start + 1].strip()
    steps = [ln for ln in out[: out.index("Chain-rule table")] if ln[:1].isdigit() or ln.startswith("   ")]
    assert steps and all(ln == ln.rstrip() for ln in steps)


def test_cli_explain_shows_the_matmul_rule_with_numbers_in_both_languages():
    for lang in ("en", "ko"):
        res = runner.invoke(
            app,
            ["explain", WX[0], "W=[[0.1,0.5],[-0.3,0.8]]", "x=[0.2,0.4]", "--lang", lang],
            env={"COLUMNS": "200"},
        )
        assert res.exit_code == 0, res.output
        assert "2·n1 · xᵀ = [0.44, 0.52]ᵀ · [0.2, 0.4] = [[0.088, 0.176], [0.104, 0.208]]" in res.stdout


def test_cli_explain_writes_the_narration_as_a_document_and_refuses_json():
    res = runner.invoke(app, ["explain", *WX_ARGS, "--format", "markdown", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert (
        r"\frac{\partial f}{\partial W} = \frac{\partial f}{\partial n_{1}} \cdot x^{\top} = "
        r"2 \cdot n_{1} \cdot x^{\top} = \begin{bmatrix} 0.44 \\ 0.52 \end{bmatrix} \cdot" in res.stdout
    )
    res = runner.invoke(app, ["explain", *WX_ARGS, "--format", "json"])
    assert res.exit_code == 2 and "explain writes" in res.stderr


WX_ARGS = [WX[0], "W=[[0.1,0.5],[-0.3,0.8]]", "x=[0.2,0.4]"]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_matrix_rules_compile_in_a_standalone_latex_write_up(tmp_path):
    """ᵀ in the rules and in the table's local column is LaTeX, not a raw Unicode character."""
    from backcalc.render import latex

    doc = latex.render(run("sum(relu(W @ x + b))", {**WX[1], "b": [0.1, -0.5]}), "en", standalone=True)
    assert "ᵀ" not in doc and r"x^{\top}" in doc
    (tmp_path / "doc.tex").write_text(doc, encoding="utf-8")
    p = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=180,
        check=False,
    )
    assert p.returncode == 0, p.stdout[-3000:]


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize("lang", LANGS)
def test_explain_table_cuts_no_number_at_narrow_widths(columns, lang):
    # explain shares grad's table: at 60 and 80 columns it switches layout instead of cutting
    args = ["explain", "sigmoid(w0*x0+w1*x1+w2)", "w0=2", "x0=-1", "w1=-3", "x1=-2", "w2=-3"]
    r = runner.invoke(app, [*args, "--expand", "--lang", lang], env={"COLUMNS": str(columns)})
    assert r.exit_code == 0, r.output
    assert "…" not in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= columns
    for number in ("-0.1966", "0.3932", "-0.3932", "-0.5898", "0.7311"):
        assert number in r.stdout
