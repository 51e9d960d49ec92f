"""Pictures as the slides draw them (issue 14, item 6): inputs in the expression's order,
small arrays in full, the HTML page in one language with its caption once and tooltips that
name the node, `graph` on a terminal, and `graph SPEC.toml`."""

from __future__ import annotations

import html
import os
import pty
import re
import select
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import backcalc
from backcalc.cli import app
from backcalc.render import dot
from backcalc.render import html as H

from conftest import backcalc_exe
from picture_cases import needs_dot

ROOT = Path(__file__).resolve().parent.parent
RELU = str(ROOT / "examples" / "networks" / "relu-2layer.toml")
NEURON = ("1/(1+exp(-(w0*x0+w1*x1+w2)))", {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3})
runner = CliRunner()


def _ids(src: str) -> dict[str, str]:
    """DOT node id -> the name its label shows (inputs only)."""
    out = {}
    for vid, label in re.findall(r"^  (v\d+) \[shape=plaintext, label=(.*)$", src, flags=re.M):
        out[vid] = re.search(r"<b>(.*?)</b>", label).group(1)
    return out


def test_inputs_are_ordered_as_the_expression_writes_them():
    src = dot.to_dot(backcalc.grad(*NEURON))
    names = _ids(src)
    rank = re.search(r"\{ rank=same; (.*?); \}", src).group(1).split("; ")
    assert [names[v] for v in rank] == ["w0", "x0", "w1", "x1", "w2"]
    chain = re.search(r"^  (v\d+(?: -> v\d+)+) \[style=invis\];$", src, flags=re.M).group(1)
    assert chain.split(" -> ") == rank
    assert "ordering=in" in src
    # names first seen later in the text come later, whatever order the values were given in
    src = dot.to_dot(backcalc.grad("b*a + c", {"c": 1, "a": 2, "b": 3}))
    names = _ids(src)
    rank = re.search(r"\{ rank=same; (.*?); \}", src).group(1).split("; ")
    assert [names[v] for v in rank] == ["b", "a", "c"]


@needs_dot
def test_the_drawn_inputs_go_top_to_bottom_in_that_order():
    svg = dot.render_bytes(backcalc.grad(*NEURON), "svg").decode()
    ys = {}
    for y, text in re.findall(r'<text[^>]*y="([-\d.]+)"[^>]*>([^<]*)</text>', svg):
        if text in ("w0", "x0", "w1", "x1", "w2") and text not in ys:
            ys[text] = float(y)
    assert sorted(ys, key=ys.get) == ["w0", "x0", "w1", "x1", "w2"]


def test_arrays_of_up_to_16_elements_are_drawn_in_full():
    four = dot.value_lines([-0.85, 1.4, 0.55, 0.75])
    assert four == ["shape 4", "[-0.85, 1.4, 0.55, 0.75]"]
    sixteen = dot.value_lines([[float(4 * r + c) for c in range(4)] for r in range(4)])
    assert len(sixteen) == 5 and "…" not in "".join(sixteen)
    assert sixteen[-1].replace(" ", "") == "[12,13,14,15]]"
    wide = dot.value_lines([float(k) for k in range(16)])
    assert "…" not in wide[1] and wide[1].count(",") == 15
    big = dot.value_lines([float(k) for k in range(17)])  # larger: the first and last
    assert "…" in big[1] and "(17 items)" in big[1]
    rows = dot.value_lines([[float(c) for c in range(3)] for _ in range(6)])  # 18: first/last rows
    assert any("…" in line for line in rows)


def test_the_network_picture_shows_its_weights_in_full():
    res = runner.invoke(app, ["graph", RELU])  # piped: DOT
    assert res.exit_code == 0, res.output
    assert (
        "[[ 0.2, -0.5,  0.1]<br/>[ 0.7,  0.3, -0.2]<br/>[-0.4,  0.6,  0.5]<br/>[ 0.1,  0.1, -0.9]]"
        in res.stdout
    )
    assert "[-0.75, 1.4, 0.45, 0.95]" in res.stdout and "(4 items)" not in res.stdout  # z1, in full


def test_tooltips_name_the_node_and_its_formula_not_graphviz_ids():
    r = backcalc.grad("(x+y)*z", {"x": -2, "y": 5, "z": -4})
    src = dot.to_dot(r)
    assert 'tooltip="n1 = x + y (add, gradient distributor): value 3; gradient -4"' in src
    assert 'tooltip="x (input): value -2; gradient -4"' in src
    assert 'tooltip="x → n1: value -2; gradient -4"' in src
    assert 'tooltip="f = n1 * z (mul, gradient switcher): value -12; gradient 1"' in src


@needs_dot
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_svg_titles_are_the_tooltips(lang):
    r = backcalc.grad("(x+y)*z", {"x": -2, "y": 5, "z": -4})
    for svg in (dot.svg(r, lang), dot.render_bytes(r, "svg", lang).decode()):
        titles = [html.unescape(t) for t in re.findall(r"<title>(.*?)</title>", svg)]
        assert titles and not any(re.fullmatch(r"(v|w)\d+|out|backcalc", t) for t in titles)
        assert not any("->" in t for t in titles)
        gate = "덧셈" if lang == "ko" else "add"
        assert f"n1 = x + y ({gate}, gradient distributor)" in " ".join(titles)
        assert "f = (x+y)*z" in titles  # the whole picture's


@needs_dot
def test_html_page_is_in_one_language_with_its_caption_once():
    r = backcalc.grad(*NEURON)
    page = H.render(r, "ko")
    assert "<h2>계산 그래프 (computational graph)</h2>" in page
    legend = "edge 위의 초록색: 순방향 값, 아래의 빨간색: 뒤로 흐르는 gradient"
    assert page.count(legend) == 1 and f"<figcaption>{legend}</figcaption>" in page
    for english in ("Computational graph", "green above an edge", "(input)", ": value "):
        assert english not in page
    titles = re.findall(r"<title>(.*?)</title>", page, flags=re.S)
    assert "<title>v1</title>" not in page and not any("-&gt;" in t for t in titles)
    # role tags at 11 points, and the picture is not shrunk to the page's width
    assert 'point-size="11"' in dot.to_dot(r) and 'font-size="11' in page.split("<figure", 1)[1]
    assert "figure svg { max-width: none;" in page
    en = H.render(r, "en")
    assert en.count("green above an edge") == 1 and "<h2>Computational graph</h2>" in en


def _run_on_a_terminal(args: list[str]) -> tuple[int, str, str]:
    """Run the installed backcalc with stdout on a pseudo-terminal (stderr a pipe)."""
    main, sub = pty.openpty()
    env = dict(os.environ, COLUMNS="80", LANG="C.UTF-8")
    proc = subprocess.Popen([backcalc_exe(), *args], stdout=sub, stderr=subprocess.PIPE, env=env)
    os.close(sub)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    err = " ".join(proc.stderr.read().decode().split())  # (the message is word-wrapped)
    proc.wait(timeout=30)
    os.close(main)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace"), err


def test_graph_on_a_terminal_says_how_to_get_a_picture():
    code, out, err = _run_on_a_terminal(["graph", "(x+y)*z", "x=-2", "y=5", "z=-4"])
    assert code == 0, err
    assert "digraph" not in out and out.strip() == ""
    assert "-o graph.svg" in err and "-f dot" in err
    code, out, err = _run_on_a_terminal(["graph", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "dot"])
    assert code == 0 and "digraph backcalc {" in out
    code, out, err = _run_on_a_terminal(["graph", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "png"])
    assert code == 2 and "PNG" not in out and "binary image" in err and "-o graph.png" in err


def test_graph_into_a_pipe_still_writes_dot_and_can_write_png():
    res = runner.invoke(app, ["graph", "(x+y)*z", "x=-2", "y=5", "z=-4"])
    assert res.exit_code == 0 and res.stdout.startswith("digraph backcalc {")
    proc = subprocess.run(
        [backcalc_exe(), "graph", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "dot"],
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout.startswith(b"digraph backcalc {")


@needs_dot
def test_graph_into_a_pipe_as_png_and_svg():
    exe = backcalc_exe()
    png = subprocess.run([exe, "graph", "x*y", "x=2", "y=3", "-f", "png"], capture_output=True, timeout=60)
    assert png.returncode == 0 and png.stdout.startswith(b"\x89PNG")
    svg = subprocess.run([exe, "graph", "x*y", "x=2", "y=3", "-f", "svg"], capture_output=True, timeout=60)
    assert svg.returncode == 0 and b"<svg" in svg.stdout and b"<title>f = x*y</title>" in svg.stdout


@needs_dot
def test_graph_draws_a_network_spec(tmp_path):
    out = tmp_path / "net.svg"
    res = runner.invoke(app, ["graph", RELU, "-o", str(out)])
    assert res.exit_code == 0, res.output
    svg = out.read_text(encoding="utf-8")
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    for name in ("W1", "b1", "W2", "b2", "x", "y", "loss", "relu", "matmul"):
        assert name in texts, name
    assert "1.063" in texts  # the loss
    # the target y gets no gradient: its wire into the subtraction has no red row
    tips = [html.unescape(t) for t in re.findall(r"<title>(.*?)</title>", svg)]
    y_wire = next(t for t in tips if t.startswith("y → "))
    assert "gradient" not in y_wire and "value [0.5, -0.5]" in y_wire
    assert any(t.startswith("W1 → ") and "gradient" in t for t in tips)


def test_graph_of_a_missing_spec_is_a_clear_error(tmp_path):
    res = runner.invoke(app, ["graph", str(tmp_path / "none.toml"), "-o", str(tmp_path / "x.svg")])
    assert res.exit_code == 2 and "cannot read the spec" in res.stderr
    assert not (tmp_path / "x.svg").exists()
