"""The graph picture: DOT text, escaping, files written atomically, the CLI's graph command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from backcalc.cli import app
from backcalc.errors import BackcalcError
from backcalc.render import dot
from backcalc.result import NodeRecord, Result

from picture_cases import ALL, SEEDS, needs_dot, run

runner = CliRunner()


def _dot_svg(source: str) -> str:
    proc = subprocess.run(
        ["dot", "-Tsvg"], input=source.encode(), capture_output=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert not proc.stderr.strip(), proc.stderr.decode()  # no warnings either
    return proc.stdout.decode()


def _svg_texts(svg: str) -> list[str]:
    import html

    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


@needs_dot
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("case", ALL, ids=[c[0] for c in ALL])
def test_dot_parses_for_every_example(case, lang):
    _, expr, values = case
    svg = _dot_svg(dot.to_dot(run(expr, values), lang))
    assert "<svg" in svg


@needs_dot
def test_sigmoid_neuron_svg_shows_the_lecture_values_and_gradients():
    r = run(SEEDS[1][1], SEEDS[1][2])
    texts = _svg_texts(_dot_svg(dot.to_dot(r)))
    # forward values (green) and gradients (red) of the slide, as the lecture rounds them
    for shown in [
        "2",
        "-1",
        "-3",
        "-2",
        "6",
        "4",
        "1",
        "0.3679",
        "1.368",
        "0.7311",
        "-0.1966",
        "0.3932",
        "-0.3932",
        "-0.5898",
        "0.1966",
        "-0.5344",
    ]:
        assert shown in texts, shown
    for gate in ["*", "+", "-x", "exp", "1 + x", "1 / x"]:
        assert gate in texts, gate


def test_every_edge_carries_the_forward_value_above_in_green_and_the_gradient_below_in_red():
    r = run("(x+y)*z", {"x": -2, "y": 5, "z": -4})
    src = dot.to_dot(r)
    wires = re.findall(r"w\d+ \[shape=plain, label=(.*)\];", src)
    assert len(wires) == 5  # x, y, n1, z into gates, and f out
    pairs = [
        (
            re.search(rf'color="{dot.GREEN}">([^<]*)<', w).group(1),
            re.search(rf'color="{dot.RED}">([^<]*)<', w).group(1),
        )
        for w in wires
    ]
    assert pairs == [("-2", "-4"), ("5", "-4"), ("3", "-4"), ("-4", "3"), ("-12", "1")]
    for w in wires:  # green row, then the wire, then red row
        assert w.index(dot.GREEN) < w.index('port="w"') < w.index(dot.RED)
    assert "rankdir=LR" in src


def test_branch_point_sums_its_gradients_visibly():
    src = dot.to_dot(run("x*x+x", {"x": 3}))
    assert "Σ 7 = 3 + 3 + 1" in src
    # each of the three edges leaving x carries its own part
    reds = re.findall(rf'color="{dot.RED}">([^<]*)<', src)
    assert sorted(reds[:3]) == ["1", "3", "3"]


def test_gate_boxes_show_op_and_role_as_colour_and_tag():
    src = dot.to_dot(run("2*(x*y+max(z,w))", {"x": 3, "y": -4, "z": 2, "w": -1}))
    for role in ("switcher", "router", "distributor", "scaler"):
        assert dot.ROLE_COLOURS[role] in src
        assert f"gradient {role}" in src
    assert "2 * x" in src  # the constant folded into its gate, as the slides draw it
    assert "max" in src


def test_korean_graph_uses_the_korean_legend():
    src = dot.to_dot(run("exp(x)", {"x": 0}), "ko")
    assert "초록색" in src and "함수" in src


def test_ties_and_kinks_are_flagged_on_the_gate():
    src = dot.to_dot(run("max(x, y) * x", {"x": 2, "y": 2}))
    assert "⚠ tie" in src


def test_arrays_show_their_shape_and_a_few_entries():
    r = run("x*y+w", {"x": [1.0, 2.0], "y": [3.0, 4.0], "w": [[0.1, 0.2], [0.3, 0.4]]})
    src = dot.to_dot(r)
    assert "shape 2×2" in src and "shape 2" in src
    assert "[[0.1, 0.2]" in src
    long = run("x*2", {"x": [float(i) for i in range(100)]})
    src = dot.to_dot(long)
    assert "shape 100" in src and "(100 items)" in src
    assert len(src) < 5000  # a few entries, never the whole array


def _nasty_result() -> Result:
    names = ['a"b', "back\\slash", "<b>&amp;</b>", "가중치", "line\nbreak", "tab\there", "}{];"]
    nodes = [
        NodeRecord(
            id=n,
            op="input",
            role=None,
            inputs=[],
            value=float(k) / 3 * 1e300 ** (k % 2),
            grad=-1.0 / 7,
            grad_parts=[],
            local=None,
            downstream=None,
            flags=[],
            text=n,
            formula=n,
            span=None,
        )
        for k, n in enumerate(names)
    ]
    nodes.append(
        NodeRecord(
            id='out"\\',
            op="max",
            role="router",
            inputs=names,
            value=1e300,
            grad=1.0,
            grad_parts=[],
            local=[1.0] + [0.0] * 6,
            downstream=[1.0] + [0.0] * 6,
            flags=['tie "quoted" \\ <x>'],
            text="",
            formula="",
            span=None,
        )
    )
    return Result(
        expression='max("weird" \\ <names> & 가중치)\n; next',
        output='out"\\',
        value=1e300,
        gradients={n: -1.0 / 7 for n in names},
        nodes=nodes,
    )


def test_escaping_keeps_quotes_backslashes_markup_and_control_characters_inside_labels():
    src = dot.to_dot(_nasty_result())
    assert "\t" not in src
    for line in src.splitlines()[1:-1]:
        # every user string sits inside an HTML-like label, entity-escaped
        assert '"weird"' not in line and "<names>" not in line and "<b>&amp;" not in line
    assert "&quot;weird&quot;" in src and "&lt;names&gt;" in src and "가중치" in src


@needs_dot
def test_escaping_cases_parse_with_dot():
    svg = _dot_svg(dot.to_dot(_nasty_result()))
    texts = " ".join(_svg_texts(svg))
    assert 'a"b' in texts and "back\\slash" in texts and "<b>&amp;</b>" in texts and "가중치" in texts
    assert "1e300" in texts


def test_html_text_escapes_everything_that_could_end_a_label():
    assert dot.html_text('<a href="x">&\'\n') == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;<br/>"
    assert dot.html_text("\x00\x1b") == "&#65533;&#65533;"


# --- files --------------------------------------------------------------------


@needs_dot
@pytest.mark.parametrize("ext,magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_graph_command_writes_svg_png_pdf(tmp_path, ext, magic):
    out = tmp_path / f"graph.{ext}"
    res = runner.invoke(app, ["graph", "(x+y)*z", "x=-2", "y=5", "z=-4", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes().startswith(magic)
    assert os.listdir(tmp_path) == [out.name]  # no temporary file left behind


def test_graph_command_writes_dot_without_graphviz(tmp_path, monkeypatch):
    monkeypatch.setattr(dot, "dot_program", lambda: None)
    out = tmp_path / "graph.dot"
    res = runner.invoke(app, ["graph", "(x+y)*z", "x=-2", "y=5", "z=-4", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").startswith("digraph backcalc {")


def test_svg_without_graphviz_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(dot, "dot_program", lambda: None)
    out = tmp_path / "graph.svg"
    res = runner.invoke(app, ["graph", "(x+y)*z", "x=-2", "y=5", "z=-4", "-o", str(out)])
    assert res.exit_code == 2
    assert "Graphviz" in res.output and "apt-get install graphviz" in res.output and ".dot" in res.output
    assert not out.exists()


def test_unknown_picture_extension_is_a_clear_error(tmp_path):
    res = runner.invoke(app, ["graph", "x", "x=1", "-o", str(tmp_path / "g.jpg")])
    assert res.exit_code == 2
    assert "end the file name with .dot, .svg, .png or .pdf" in res.output


def test_graph_without_output_prints_dot():
    res = runner.invoke(app, ["graph", "(x+y)*z", "x=-2", "y=5", "z=-4"])
    assert res.exit_code == 0
    assert res.stdout.startswith("digraph backcalc {")


def test_grad_format_dot_prints_dot():
    res = runner.invoke(app, ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--format", "dot"])
    assert res.exit_code == 0
    assert res.stdout.startswith("digraph backcalc {") and res.stdout.rstrip().endswith("}")


def test_failed_render_leaves_the_old_file_untouched(tmp_path, monkeypatch):
    out = tmp_path / "graph.svg"
    out.write_text("old picture")

    def boom(source, fmt_, timeout=120):
        raise BackcalcError("Graphviz's dot failed (exit 1): simulated")

    monkeypatch.setattr(dot, "run_dot", boom)
    res = runner.invoke(app, ["graph", "x*y", "x=1", "y=2", "-o", str(out)])
    assert res.exit_code == 2 and "simulated" in res.output
    assert out.read_text() == "old picture"
    assert os.listdir(tmp_path) == ["graph.svg"]


def test_write_atomic_never_leaves_a_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "g.dot"
    target.write_text("old")

    def fail_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail_replace)
    with pytest.raises(BackcalcError, match="No space left on device"):
        dot.write_atomic(str(target), b"new contents")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["g.dot"]


def test_write_atomic_replaces_and_keeps_permissions(tmp_path):
    target = tmp_path / "g.dot"
    target.write_text("old")
    target.chmod(0o640)
    dot.write_atomic(str(target), b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_write_into_missing_directory_is_a_clear_error(tmp_path):
    res = runner.invoke(app, ["graph", "x", "x=1", "-o", str(tmp_path / "nope" / "g.dot")])
    assert res.exit_code == 2 and "does not exist" in res.output


# --- the installed executable ------------------------------------------------


def _exe() -> str:
    exe = shutil.which("backcalc", path=os.path.dirname(sys.executable)) or shutil.which("backcalc")
    if exe is None:
        pytest.skip("the backcalc executable is not installed (pip install -e .)")
    return exe


@needs_dot
def test_installed_backcalc_graph_and_pipe_to_dot(tmp_path):
    exe = _exe()
    out = tmp_path / "graph.svg"
    p = subprocess.run(
        [exe, "graph", "(x+y)*z", "x=-2", "y=5", "z=-4", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert p.returncode == 0, p.stderr
    assert "<svg" in out.read_text()
    src = subprocess.run(
        [exe, "grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--format", "dot"],
        capture_output=True,
        timeout=60,
        check=True,
    ).stdout
    png = subprocess.run(["dot", "-Tpng"], input=src, capture_output=True, timeout=60, check=True).stdout
    assert png.startswith(b"\x89PNG")


def test_plain_grad_imports_no_renderer_sympy_or_numpy():
    code = (
        "import sys\n"
        "from backcalc.cli import app\n"
        "try:\n"
        "    app(['grad', '(x+y)*z', 'x=-2', 'y=5', 'z=-4', '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('sympy', 'numpy', 'backcalc.render.dot', 'backcalc.render.markdown',\n"
        "         'backcalc.render.latex', 'backcalc.render.html', 'backcalc.explanation', 'backcalc.i18n')\n"
        "         if m in sys.modules]\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert "HEAVY=" in p.stderr
    assert p.stderr.split("HEAVY=")[1].strip() == ""


EXAMPLES = __import__("pathlib").Path(__file__).parent.parent / "examples" / "pictures"
EXAMPLE_COMMANDS = {
    "add-mul.dot": ("(x+y)*z", {"x": -2, "y": 5, "z": -4}),
    "sigmoid-neuron.dot": (SEEDS[1][1], SEEDS[1][2]),
    "mul-max.dot": ("2*(x*y+max(z,w))", {"x": 3, "y": -4, "z": 2, "w": -1}),
    "branch.dot": ("x*x+x", {"x": 3}),
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_COMMANDS))
def test_example_pictures_are_current(name, monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    expr, values = EXAMPLE_COMMANDS[name]
    assert (EXAMPLES / name).read_text(encoding="utf-8") == dot.to_dot(run(expr, values), "en")
    if name == "sigmoid-neuron.dot":
        assert "<svg" in (EXAMPLES / "sigmoid-neuron.svg").read_text(encoding="utf-8")
