"""explain --steps: the passes played back gate by gate, in a terminal and as an HTML page."""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess

from test_html import _chrome
from typer.testing import CliRunner

from backcalc import explanation as X
from backcalc import playback as P
from backcalc.cli import app
from backcalc.render import steps_html

from picture_cases import SEEDS, needs_chromium, needs_dot, run

runner = CliRunner()
ADD_MUL = ["(x+y)*z", "x=-2", "y=5", "z=-4"]


def test_frames_go_forward_then_backward_one_gate_at_a_time():
    fr = P.frames(X.build(run(*SEEDS[0][1:3]), "en"))
    assert [(f.phase, f.node) for f in fr] == [
        ("forward", "n1"),
        ("forward", "f"),
        ("backward", "f"),  # ∂f/∂f = 1
        ("backward", "f"),
        ("backward", "n1"),
    ]
    assert fr[3].done == ["f", "n1", "z"] and fr[4].done == ["f", "n1", "z", "x", "y"]


def test_drawing_highlights_the_current_gate_and_shows_only_what_is_known():
    r = run(*SEEDS[0][1:3])
    fr = P.frames(X.build(r, "en"))
    first = P.draw(r, fr[0])
    assert "x, y ─[+]→ n1 = 3" in first.plain and "n1, z ─[*]→ f = ?" in first.plain
    lit = [first.plain[s.start : s.end] for s in first.spans if "reverse" in str(s.style)]
    assert lit == ["x, y ─[+]→ n1 = 3"]
    back = P.draw(r, fr[3])
    assert "∂f/∂n1 = -4" in back.plain and "∂f/∂x = ?" in back.plain and "∂f/∂z = 3" in back.plain


def test_cli_steps_without_a_terminal_prints_every_step():
    res = runner.invoke(app, ["explain", *ADD_MUL, "--steps", "--lang", "en"])
    assert res.exit_code == 0, res.output
    heads = re.findall(r"Step (\d) of 5 · (forward|backward) pass · (\w+)", res.stdout)
    assert heads == [
        ("1", "forward", "n1"),
        ("2", "forward", "f"),
        ("3", "backward", "f"),
        ("4", "backward", "f"),
        ("5", "backward", "n1"),
    ]
    assert "downstream to x: upstream × local = (-4) × 1 = -4" in res.stdout
    assert (
        res.stdout.index("Step 1 of 5") < res.stdout.index("1. n1 = x + y") < res.stdout.index("Step 2 of 5")
    )


def test_installed_backcalc_steps_in_korean():
    exe = shutil.which("backcalc")
    res = subprocess.run(
        [exe, "explain", *ADD_MUL, "--steps", "--lang", "ko"], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    assert "5단계 중 5단계 · 역방향 (backward pass) · n1" in res.stdout


def test_steps_page_is_self_contained():
    doc = steps_html.render(run(*SEEDS[1][1:3]), "en", svg="<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    assert doc.startswith("<!DOCTYPE html>")
    for outside in ("<link", " src=", "@import", "url(", "http://", "https://"):
        assert outside not in doc.replace("http://www.w3.org/2000/svg", "")
    assert 'id="next"' in doc and 'id="prev"' in doc and 'type="range"' in doc


def test_steps_page_data_cannot_close_its_script():
    r = run("x*y", {"x": 1, "y": 2})
    r.expression = "</script><script>alert(1)</script>"
    doc = steps_html.render(r, "en", draw=False)
    assert doc.count("<script") == 2 and "alert(1)</script>" not in doc


@needs_chromium
@needs_dot
def test_steps_page_in_headless_chromium_lights_the_gate_of_each_step(tmp_path):
    res = runner.invoke(app, ["explain", *ADD_MUL, "--steps", "--format", "html", "--lang", "en"])
    assert res.exit_code == 0, res.output
    r = run(*SEEDS[0][1:3])
    vid = {n.id: f"v{k}" for k, n in enumerate(r.nodes)}
    for clicks, node, sentence in (
        (0, "n1", "1. n1 = x + y"),
        (3, "f", "4. f = n1 * z"),
        (4, "n1", "5. n1 = x + y"),
    ):
        page = res.stdout.replace(
            "</body>",
            "<script>"
            + "document.getElementById('next').click();" * clicks
            + "document.body.setAttribute('data-lit', Array.prototype.map.call("
            "document.querySelectorAll('#graph g.node.current'), function(g){"
            "return g.getAttribute('data-name');}).join(','));"
            "document.body.setAttribute('data-lit-edges', String(document.querySelectorAll('#graph g.edge.lit').length));"
            "</script></body>",
        )
        f = tmp_path / "steps.html"
        f.write_text(page, encoding="utf-8")
        out = _chrome(tmp_path, "--dump-dom", f.as_uri())
        assert out.returncode == 0, out.stderr.decode(errors="replace")[-2000:]
        dom = htmllib.unescape(out.stdout.decode())
        body = re.search(r"<body([^>]*)>", dom).group(1)
        assert f'data-step="{clicks + 1}"' in body and f'data-node="{node}"' in body
        assert f'data-lit="{vid[node]}"' in body
        assert int(re.search(r'data-lit-edges="(\d+)"', body).group(1)) >= 4  # two wires, two segments each
        assert sentence in dom


def test_a_big_graph_draws_only_the_current_gate_and_its_inputs():
    expr = " + ".join(f"x{k}*w{k}" for k in range(20))
    r = run(expr, {**{f"x{k}": float(k) for k in range(20)}, **{f"w{k}": 1.0 for k in range(20)}})
    fr = P.frames(X.build(r, "en"))
    text = P.draw(r, fr[0]).plain
    assert "x0, w0 ─[*]→ n1 = 0" in text and "x5" not in text
    assert len(text.splitlines()) <= 3
    last = P.draw(r, fr[len(fr) // 2 - 1]).plain  # a late forward gate: no blank columns before it
    assert not last.startswith(" ")
