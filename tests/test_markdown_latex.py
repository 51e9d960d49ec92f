"""Markdown and LaTeX write-ups: snapshots of the seed examples, escaping, and LaTeX that compiles."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcalc.cli import app
from backcalc.render import latex, markdown

from picture_cases import ALL, SEEDS, UPDATE_SNAPSHOTS, needs_pdflatex, run

SNAPSHOTS = Path(__file__).parent / "snapshots"
runner = CliRunner()


def _check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE_SNAPSHOTS or not path.exists():
        if not UPDATE_SNAPSHOTS:
            pytest.fail(f"no snapshot {path}; run with BACKCALC_UPDATE_SNAPSHOTS=1 to write it")
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} changed; BACKCALC_UPDATE_SNAPSHOTS=1 rewrites it"
    )


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("case", SEEDS, ids=[c[0] for c in SEEDS])
def test_markdown_snapshot(case, lang):
    _check_snapshot(f"{case[0]}.{lang}.md", markdown.render(run(*case[1:3]), lang))


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("case", SEEDS, ids=[c[0] for c in SEEDS])
def test_latex_snapshot(case, lang):
    _check_snapshot(f"{case[0]}.{lang}.tex", latex.render(run(*case[1:3]), lang, standalone=True))


def test_markdown_has_table_steps_and_latex_formulas():
    md = markdown.render(run(*SEEDS[0][1:3]))
    assert "| node | gate | inputs | value | role | local | upstream | downstream |" in md
    assert r"1. $n_{1} = x + y = \left(-2\right) + 5 = 3$ (add gate)" in md
    assert r"$\frac{\partial f}{\partial n_{1}} = z = -4$" in md
    assert r"$1 \times \left(-4\right) = -4$" in md


def test_markdown_escapes_text_that_would_turn_into_markup():
    assert markdown.md_text("a*b_c|d [e](f) <g> $h$") == r"a\*b\_c\|d \[e\](f) \<g\> \$h\$"
    md = markdown.render(run("가중치 * x_1 + μ", {"가중치": 2, "x_1": -1, "μ": 0.5}))
    assert "`가중치 * x_1 + μ`" in md
    assert r"x\_1" in md  # in the table, not emphasis


def test_latex_fragment_is_not_a_document_and_standalone_is():
    r = run(*SEEDS[0][1:3])
    frag = latex.render(r)
    assert r"\documentclass" not in frag and r"\section*" in frag
    doc = latex.render(r, standalone=True)
    assert doc.startswith(r"\documentclass") and doc.rstrip().endswith(r"\end{document}")
    assert r"\usepackage{kotex}" in latex.render(r, "ko", standalone=True)


def test_latex_escapes_names_and_text():
    from backcalc.explanation import latex_escape_text, latex_name

    assert latex_name("w0") == "w_{0}" and latex_name("n12") == "n_{12}" and latex_name("x_1") == "x_{1}"
    assert latex_name("loss") == r"\mathrm{loss}" and latex_name("my_var") == r"\mathrm{my\_var}"
    assert latex_escape_text("50% & $5 #1 {a} ~ ^ \\") == r"50\% \& \$5 \#1 \{a\} \~{} \^{} \textbackslash{}"


def _pdflatex(tmp_path: Path, source: str, name: str = "doc") -> subprocess.CompletedProcess:
    tex = tmp_path / f"{name}.tex"
    tex.write_text(source, encoding="utf-8")
    return subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", tex.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=180,
        check=False,
    )


@needs_pdflatex
@pytest.mark.parametrize("case", ALL, ids=[c[0] for c in ALL])
def test_standalone_latex_compiles(tmp_path, case):
    if case[0] == "unicode-names":
        pytest.skip("Hangul names need the Korean document (kotex); tested below")
    p = _pdflatex(tmp_path, latex.render(run(*case[1:3]), "en", standalone=True))
    assert p.returncode == 0, p.stdout[-3000:]
    assert (tmp_path / "doc.pdf").read_bytes().startswith(b"%PDF")


@needs_pdflatex
@pytest.mark.parametrize("case", [SEEDS[1], ALL[-4]], ids=["sigmoid-neuron", "unicode-names"])
def test_standalone_korean_latex_compiles(tmp_path, case):
    if (
        subprocess.run(["kpsewhich", "kotex.sty"], capture_output=True, text=True, check=False).stdout.strip()
        == ""
    ):
        pytest.skip("kotex is not installed (apt-get install texlive-lang-korean)")
    p = _pdflatex(tmp_path, latex.render(run(*case[1:3]), "ko", standalone=True))
    assert p.returncode == 0, p.stdout[-3000:]


def test_cli_markdown_and_latex_formats():
    args = ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4"]
    res = runner.invoke(app, args + ["--format", "markdown", "--lang", "en"])
    assert res.exit_code == 0 and res.stdout.startswith("# Backpropagation, step by step")
    res = runner.invoke(app, args + ["--format", "latex", "--standalone", "--lang", "ko"])
    assert res.exit_code == 0 and res.stdout.startswith(r"\documentclass")
    assert "역방향" in res.stdout
    res = runner.invoke(app, args + ["--format", "latex"])
    assert res.exit_code == 0 and not res.stdout.startswith(r"\documentclass")


def test_cli_markdown_matches_the_snapshot():
    res = runner.invoke(
        app, ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--format", "markdown", "--lang", "en"]
    )
    assert res.stdout == (SNAPSHOTS / "add-mul.en.md").read_text(encoding="utf-8")


def test_every_table_fills_local_of_an_array_gate_with_its_vjp_rule():
    import io

    from rich.console import Console

    from backcalc import api
    from backcalc import explanation as explain
    from backcalc.render import html, table

    res = api.grad("W@x + b", {"W": [[1.0, 2.0], [3.0, 4.0]], "x": [1.0, 1.0], "b": [0.0, 1.0]})
    buf = io.StringIO()
    Console(file=buf, width=200, color_system=None).print(table.build_table(res))
    assert "W: g @ xᵀ" in buf.getvalue() and "x: Wᵀ @ g" in buf.getvalue()
    _, rows = explain.table_rows(res)
    assert {r[0]: r[5] for r in rows}["n1"] == "W: g @ xᵀ, x: Wᵀ @ g"
    assert "| W: g @ xᵀ, x: Wᵀ @ g |" in markdown.render(res)
    assert r"W: g @ x$^{\top}$, x: W$^{\top}$ @ g" in latex.render(res)  # ᵀ is not a LaTeX character
    assert "<td>W: g @ xᵀ, x: Wᵀ @ g</td>" in html.render(res, draw=False)
