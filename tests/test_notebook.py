"""How results show themselves (repr, HTML, markdown, LaTeX, rich) and the magics, without a
kernel (tests/test_notebook_kernel.py runs a real one)."""

from __future__ import annotations

import io
import re
import sys

import numpy as np
import pytest

import backcalc
from backcalc import BackcalcError, magics
from backcalc.render import dot
from backcalc.render import notebook_html as NH

from conftest import ROOT
from picture_cases import needs_dot

ADD_MUL = ("(x+y)*z", {"x": -2, "y": 5, "z": -4})


def lecture():
    return backcalc.grad(*ADD_MUL)


def cell_colours(page: str) -> dict[str, set[str]]:
    """Each table cell's text -> the colours it is written in."""
    out: dict[str, set[str]] = {}
    for style, text in re.findall(r'<td style="([^"]*)">([^<]*)</td>', page):
        m = re.search(r"color: (#[0-9a-f]{6})", style)
        out.setdefault(text, set()).add(m.group(1) if m else "")
    return out


def test_short_repr_is_the_summary():
    assert repr(lecture()) == "Result(f=-12, ∂f/∂x=-4, ∂f/∂y=-4, ∂f/∂z=3)"
    r = backcalc.grad("sum((W @ x)**2)", W=[[0.1, 0.5], [-0.3, 0.8]], x=[0.2, 0.4])
    assert repr(r) == "Result(f=0.116, ∂f/∂W=[[0.088, 0.176], [0.104, 0.208]], ∂f/∂x=[-0.112, 0.636])"
    big = backcalc.grad("sum(v*v)", v=np.arange(10.0))
    assert repr(big) == "Result(f=285, ∂f/∂v=<10 array>)"
    many = backcalc.grad("+".join(f"a{i}" for i in range(12)), {f"a{i}": i for i in range(12)})
    assert repr(many).endswith("∂f/∂a7=1, … 4 more)") and len(repr(many)) < 200


def test_html_table_colours_values_green_and_gradients_red():
    page = lecture()._repr_html_()
    colours = cell_colours(page)
    assert colours["-12"] == {NH.GREEN}  # f's value
    assert colours["-4"] >= {NH.GREEN, NH.RED}  # z's value (green) and x's upstream (red)
    assert NH.RED in colours["x: -4, y: -4"] and NH.RED in colours["n1: -4, z: 3"]
    assert "gradient distributor" in page and "gradient switcher" in page
    for shown in ("f = -12", "∂f/∂x = -4", "∂f/∂y = -4", "∂f/∂z = 3"):
        assert shown in page


def test_html_is_self_contained():
    page = lecture()._repr_html_()
    for outside in ("<script", "<link", " src=", "@import", "url(", "<iframe"):
        assert outside not in page


@needs_dot
def test_html_has_the_picture_as_inline_svg_scaled_to_the_cell():
    page = lecture()._repr_html_()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'style="width: 100%; max-width:' in svg and "min-width:" in svg and "viewBox" in svg
    assert "<?xml" not in page and "<!DOCTYPE" not in page


def test_html_without_graphviz_is_the_table_and_a_one_line_hint(monkeypatch):
    monkeypatch.setattr(dot, "dot_program", lambda: None)
    page = lecture()._repr_html_()
    assert "<svg" not in page and "<table" in page
    hints = re.findall(r'<p class="backcalc-hint"[^>]*>([^<]*)</p>', page)
    assert len(hints) == 1 and "Graphviz" in hints[0] and "\n" not in hints[0]
    ko = lecture().to_html(lang="ko", page=False)
    assert "그림 없음" in ko and "노드" in ko or "node" in ko


def test_a_large_graph_shows_a_summary_with_a_way_to_see_more():
    n = 400
    expr = " + ".join(f"x{i}*y{i}" for i in range(n))
    vals = {f"x{i}": i * 0.5 for i in range(n)} | {f"y{i}": 1.0 for i in range(n)}
    r = backcalc.grad(expr, vals)
    page = r._repr_html_()
    assert len(page) < 100_000  # never a multi-megabyte cell
    assert "<svg" not in page
    rows = sum(1 for nd in r.nodes if not nd.is_const)
    assert f"{rows - NH.SHOWN_ROWS:,} more nodes" in page and "r.to_html()" in page
    assert page.count("<tr>") == NH.SHOWN_ROWS + 2  # the header, the rows shown, the '…' row
    if dot.dot_program() is not None:
        assert "too many to draw in a cell" in page and "output=&quot;graph.svg&quot;" in page
    md = r._repr_markdown_()
    assert len(md) < 20_000 and "more nodes" in md
    assert r._repr_latex_() is None  # 800 gradients are no formula to read
    full = r.to_html(page=True)
    assert all(f">x{i}<" in full or f"x{i}" in full for i in (0, n - 1))


def test_markdown_and_latex():
    r = lecture()
    md = r._repr_markdown_()
    assert "| **f** | mul | n1, z | -12 |" in md and "∂f/∂z = 3" in md
    assert r._repr_latex_() == (
        r"$f = -12,\quad \frac{\partial f}{\partial x} = -4,\quad \frac{\partial f}{\partial y} = -4,"
        r"\quad \frac{\partial f}{\partial z} = 3$"
    )
    arrays = backcalc.grad("sum(W*W)", W=[[1.0, 2.0]])
    assert arrays._repr_latex_() is None
    assert r.to_latex(standalone=True).startswith(r"\documentclass")


def test_rich_renders_the_terminal_table():
    from rich.console import Console

    con = Console(file=io.StringIO(), width=120, color_system=None)
    con.print(lecture())
    text = con.file.getvalue()
    assert "distributor" in text and "-12" in text and "∂f/∂z = 3" in text


def test_steps_picture_net_train_and_class_show_themselves():
    steps = backcalc.explain(*ADD_MUL[:1], ADD_MUL[1], lang="ko")
    assert repr(steps).startswith("Steps('(x+y)*z', ") and "lang='ko'" in repr(steps)
    page = steps._repr_html_()
    assert "역방향" in page and "<ol" in page and "<table" in page
    assert "역방향" in steps._repr_markdown_()

    pic = backcalc.graph(*ADD_MUL[:1], ADD_MUL[1])
    assert repr(pic) == "Picture('(x+y)*z', 2 gates)"
    assert ("<svg" in pic._repr_html_()) == (dot.dot_program() is not None)

    ev = backcalc.net(str(ROOT / "examples/networks/mazur.toml"))
    assert repr(ev) == f"NetResult(loss={backcalc.notebook.short(ev.loss)}, layers=2)"
    page = ev._repr_html_()
    assert "δ = ∂L/∂z" in page and backcalc.notebook.short(ev.loss) in page

    tr = backcalc.train(str(ROOT / "examples/xor.toml"), epochs=30, progress=False)
    assert repr(tr).startswith("TrainResult(epochs=30, steps=30, ")
    page = tr._repr_html_()
    assert "<svg" in page and "loss: epoch 1 " in page  # the matplotlib curve, inline

    rep = backcalc.check(str(ROOT / "examples/grading/key.toml"), str(ROOT / "examples/grading/submissions"))
    assert repr(rep).startswith(f"ClassResult({rep.summary.submissions} submissions")
    page = rep._repr_html_()
    assert "Ada Lovelace" in page and "malformed" in page and "<table" in page
    assert "| student |" in rep._repr_markdown_()


def test_train_without_matplotlib_draws_the_braille_curve(monkeypatch):
    tr = backcalc.train(str(ROOT / "examples/xor.toml"), epochs=10, progress=False)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    page = tr._repr_html_()
    assert "<svg" not in page and "<pre" in page and "loss per epoch" in page  # the braille plot's heading


def test_progress_is_off_outside_a_notebook():
    from backcalc.notebook import in_notebook, progress_bar

    assert not in_notebook()
    with progress_bar(10, 1, None) as on_step:
        assert on_step is None


# --- magics, without IPython's shell -------------------------------------------------------------


def test_split_line_keeps_brackets_and_quotes_together():
    line = 'grad "sum((W @ x)**2)" W=[[ 0.1  0.5]\n [-0.3  0.8]] x=[0.2 0.4] --ties all'
    assert magics.split_line(line) == [
        "grad",
        "sum((W @ x)**2)",
        "W=[[ 0.1  0.5]  [-0.3  0.8]]",
        "x=[0.2 0.4]",
        "--ties",
        "all",
    ]
    with pytest.raises(BackcalcError, match="unclosed"):
        magics.split_line('grad "x')


@pytest.mark.parametrize(
    "text, values",
    [
        ("[[ 0.1  0.5]\n [-0.3  0.8]]", "[[0.1, 0.5], [-0.3, 0.8]]"),
        ("array([[ 0.1,  0.5],\n       [-0.3,  0.8]])", "[[0.1, 0.5], [-0.3, 0.8]]"),
        ("array([1., 2.], dtype=float32)", "[1.0, 2.0]"),
        ("[1.e-03 2.e+00 -.5]", "[1.0e-03, 2.0e+00, -0.5]"),
        ("-2", "-2"),
    ],
)
def test_numpy_printed_arrays_are_read_as_data(text, values):
    assert magics.array_text(text) == values


def test_array_text_never_turns_code_into_values():
    hostile = "[__import__('os').system('echo hi')]"
    assert magics.array_text(hostile) == hostile  # handed on unchanged: the values reader refuses it
    with pytest.raises(BackcalcError):
        magics.run(f'grad "x*2" "x={hostile}"')
    with pytest.raises(BackcalcError, match="shortened"):
        magics.array_text("[0. 1. 2. ... 7. 8. 9.]")


def test_line_magic_is_the_command_line():
    r = magics.run('grad "(x+y)*z" x=-2 y=5 z=-4')
    assert repr(r) == repr(lecture())
    assert magics.run('grad "max(x, y)*2" x=1 y=1 --ties all').gradients == {"x": 2.0, "y": 2.0}
    out = magics.run('grad "(x+y)*z" x=-2 y=5 z=-4 -f json')
    assert '"gradients"' in repr(out) and '"z": 3.0' in repr(out)
    md = magics.run('grad "(x+y)*z" x=-2 y=5 z=-4 -f markdown --lang ko')
    assert md._repr_markdown_() == lecture().to_markdown("ko")
    assert repr(magics.run('grad "(x+y)*z" x=-2 y=5 z=-4 --no-nodes')).startswith("f = -12")
    assert isinstance(magics.run('explain "(x+y)*z" x=-2 y=5 z=-4 --lang ko'), backcalc.notebook.Steps)


def test_magic_values_from_the_namespace_and_from_dollar_expansion():
    W = np.array([[0.1, 0.5], [-0.3, 0.8]])
    x = np.array([0.2, 0.4])
    by_name = magics.run('grad "sum((W @ x)**2)" W=@W x=@x', namespace={"W": W, "x": x})
    # IPython's $W puts str(W) on the line
    by_text = magics.run(f'grad "sum((W @ x)**2)" W={W} x={x}')
    for r in (by_name, by_text):
        np.testing.assert_allclose(r.gradients["W"], [[0.088, 0.176], [0.104, 0.208]], rtol=1e-12)
        np.testing.assert_allclose(r.gradients["x"], [-0.112, 0.636], rtol=1e-12)
    with pytest.raises(BackcalcError, match="no variable 'V'"):
        magics.run('grad "W*2" W=@V', namespace={})


def test_cell_magic_takes_a_program_or_a_spec():
    r = magics.run(
        "grad w0=2 x0=-1 w1=-3 x1=-2 w2=-3", "dot = w0*x0 + w1*x1 + w2\nf = 1.0 / (1 + exp(-dot))\n"
    )
    assert r.gradients["x1"] == pytest.approx(-0.5898, abs=1e-4)
    spec = (ROOT / "examples/networks/mazur.toml").read_text()
    ev = magics.run("net", spec)
    assert ev.loss == pytest.approx(backcalc.net(str(ROOT / "examples/networks/mazur.toml")).loss, rel=1e-15)
    assert magics.run("", spec).loss == ev.loss  # a spec without a command is a net
    tr = magics.run("train --epochs 3", (ROOT / "examples/xor.toml").read_text())
    assert tr.epochs_run == 3
    with pytest.raises(BackcalcError, match="no network spec"):
        magics.run("net", "this is not toml = = =")


def test_check_magic_grades_a_class_or_prints_the_report():
    key, subs = ROOT / "examples/grading/key.toml", ROOT / "examples/grading/submissions"
    rep = magics.run(f"check --key {key} {subs}")
    assert isinstance(rep, backcalc.notebook.ClassResult) and rep.summary.submissions == 3
    md = magics.run(f"check --key {key} {subs} -f markdown")
    assert "| student |" in repr(md) and "Ada Lovelace" in repr(md)


def test_magic_errors_are_the_command_lines():
    with pytest.raises(BackcalcError, match="No such option: --bogus"):
        magics.run('grad "x" x=1 --bogus')
    with pytest.raises(BackcalcError, match="say which command"):
        magics.run("frobnicate")
    with pytest.raises(BackcalcError, match="no value for 'w'"):
        magics.run('grad "x*w" x=1')


def test_load_ext_registers_the_magics_in_ipython():
    pytest.importorskip("IPython")
    from IPython.core.error import UsageError
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.run_line_magic("load_ext", "backcalc")
        assert "backcalc" in shell.magics_manager.magics["line"]
        assert "backcalc" in shell.magics_manager.magics["cell"]
        shell.user_ns["W"] = np.array([[1.0, 2.0]])
        r = shell.run_line_magic("backcalc", 'grad "sum(W*W)" W=@W')
        np.testing.assert_allclose(r.gradients["W"], [[2.0, 4.0]])
        r = shell.run_line_magic("backcalc", shell.var_expand('grad "sum(W*W)" W=$W'))
        np.testing.assert_allclose(r.gradients["W"], [[2.0, 4.0]])
        with pytest.raises(UsageError, match="expected '\\)'"):
            shell.run_line_magic("backcalc", 'grad "(x" x=1')
    finally:
        InteractiveShell.clear_instance()
