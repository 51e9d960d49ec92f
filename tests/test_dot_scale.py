"""Large pictures: sized before Graphviz runs, refused at once past the limit (with a hint),
drawn with quick layout settings, and never carrying a label Graphviz cannot read."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

import backcalc
from backcalc.cli import app
from backcalc.limits import DOT_FAST_LAYOUT_GATES, DOT_NAME_MAX, DOT_TITLE_MAX
from backcalc.render import dot

from conftest import run_exe

runner = CliRunner()
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
GRAPHVIZ_STRING_MAX = 16384  # Graphviz refuses a quoted or HTML string longer than this


def shared(n: int) -> tuple[str, dict[str, float]]:
    """n products of inputs shared across the sum: the wires fan out far, dot's slow case."""
    expr = "+".join(f"x{i % 50}*y{i % 37}" for i in range(n))
    values = {**{f"x{i}": i / 10 for i in range(50)}, **{f"y{i}": i / 5 - 1 for i in range(37)}}
    return expr, values


def distinct(n: int) -> tuple[str, dict[str, float]]:
    expr = "+".join(f"a{i}*b{i}" for i in range(n))
    return expr, {**{f"a{i}": i / 10 for i in range(n)}, **{f"b{i}": 1 - i / 100 for i in range(n)}}


def args(expr: str, values: dict[str, float]) -> list[str]:
    return [expr, *(f"{k}={v}" for k, v in values.items())]


def long_constant_sum(n: int = 1000) -> str:
    """A 1,000-term expression over 16 KB long, whose picture is quick to lay out."""
    return "x + " + " + ".join(f"{i * 1e-9 + 0.0001:.12f}" for i in range(1, n))


def test_elide_keeps_both_ends_within_the_length():
    assert dot.elide("abc", 3) == "abc"
    s = dot.elide("a" * 100 + "MIDDLE" + "z" * 100, 21)
    assert len(s) == 21 and s.startswith("a" * 10) and s.endswith("z" * 10) and "…" in s


def test_the_title_of_a_1000_term_expression_is_elided_and_every_label_fits():
    expr = long_constant_sum()
    assert len(expr) > GRAPHVIZ_STRING_MAX
    text = dot.to_dot(backcalc.grad(expr, x=1))
    title = re.search(r"<b>(.*?)</b>", text)
    assert title is not None
    assert title.group(1).startswith("f = x + 0.000100001000 + ") and "…" in title.group(1)
    assert len(title.group(1)) <= DOT_TITLE_MAX
    assert max(len(line.encode("utf-8")) for line in text.splitlines()) < GRAPHVIZ_STRING_MAX // 4


@needs_dot
def test_the_dot_of_a_1000_term_expression_is_accepted_by_graphviz():
    expr = long_constant_sum()
    text = dot.to_dot(backcalc.grad(expr, x=1))
    p = subprocess.run(["dot", "-Tsvg"], input=text.encode(), capture_output=True, timeout=600, check=False)
    assert p.returncode == 0, p.stderr.decode()
    assert b"<svg" in p.stdout


def test_long_names_and_long_branch_sums_are_elided():
    name = "w" * 5000
    expr = f"{name} * x + " + " + ".join(["x"] * 40)
    text = dot.to_dot(backcalc.grad(expr, {name: 2, "x": 3}))
    assert name not in text and "w" * (DOT_NAME_MAX // 2 - 1) + "…" in text
    assert "… (41 branches)" in text  # x's gradient: the first parts, then how many
    assert max(len(line) for line in text.splitlines()) < 2000


def test_small_pictures_keep_dots_default_layout():
    expr, values = distinct(DOT_FAST_LAYOUT_GATES // 2)
    assert "nslimit" not in dot.to_dot(backcalc.grad(expr, values))
    expr, values = distinct(DOT_FAST_LAYOUT_GATES)
    assert dot.FAST_LAYOUT in dot.to_dot(backcalc.grad(expr, values)).splitlines()


def test_picture_size_counts_gates_boxes_and_the_bends_of_long_wires():
    size = dot.picture_size(backcalc.grad(*distinct(300)))
    assert (size.gates, size.boxes, size.bends) == (599, 2399, 0)  # dot -v: 2399 nodes
    size = dot.picture_size(backcalc.grad(*shared(100)))
    assert (size.gates, size.boxes) == (199, 686)  # dot -v: 686 nodes
    assert size.bends > 10_000  # x0 feeds products 50 terms apart, y0 37 apart


def test_a_300_term_picture_is_within_the_limit():
    for expr, values in (shared(300), distinct(300)):
        size = dot.check_size(backcalc.grad(expr, values))
        assert size.gates == 599 and size.seconds < 10


def test_a_too_large_picture_is_refused_before_graphviz_runs(tmp_path, monkeypatch):
    def no_dot(*a, **k):
        raise AssertionError("dot ran")

    monkeypatch.setattr(dot, "run_dot", no_dot)
    out = tmp_path / "big.svg"
    r = runner.invoke(app, ["graph", *args(*shared(500)), "-o", str(out)])
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("error: the picture is too large to draw: its 999 gates")
    assert "s to lay out" in r.stderr
    assert "--max-nodes 999" in r.stderr and "--format dot" in r.stderr and ".dot" in r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_the_refusal_from_the_program(tmp_path):
    out = tmp_path / "big.svg"
    p = run_exe("graph", *args(*shared(500)), "-o", str(out))
    assert p.returncode == 2, p.stderr
    assert "too large to draw" in p.stderr and "--max-nodes" in p.stderr and "--format dot" in p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""
    assert not out.exists()


def test_the_gate_limit_and_max_nodes(tmp_path, monkeypatch):
    monkeypatch.setattr(dot, "run_dot", lambda source, fmt_, timeout=None: b"<svg/>")
    out = tmp_path / "g.svg"
    r = runner.invoke(app, ["graph", "x*y+x", "x=1", "y=2", "-o", str(out), "--max-nodes", "1"])
    assert r.exit_code == 2
    assert "it has 2 gates, more than the limit of 1" in r.stderr and "--max-nodes 2" in r.stderr
    assert not out.exists()
    monkeypatch.setattr(dot, "DOT_MAX_GATES", 1)
    r = runner.invoke(app, ["graph", "x*y+x", "x=1", "y=2", "-o", str(out)])
    assert r.exit_code == 2 and "more than the limit of 1" in r.stderr
    r = runner.invoke(app, ["graph", "x*y+x", "x=1", "y=2", "-o", str(out), "--max-nodes", "2"])
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes() == b"<svg/>"


def test_max_nodes_draws_past_the_time_estimate(tmp_path, monkeypatch):
    monkeypatch.setattr(dot, "run_dot", lambda source, fmt_, timeout=None: b"<svg/>")
    monkeypatch.setattr(dot, "DOT_BUDGET", 1e-12)
    out = tmp_path / "g.svg"
    r = runner.invoke(app, ["graph", "x*y+x", "x=1", "y=2", "-o", str(out)])
    assert r.exit_code == 2 and "s to lay out" in r.stderr and "--max-nodes 2" in r.stderr
    r = runner.invoke(app, ["graph", "x*y+x", "x=1", "y=2", "-o", str(out), "--max-nodes", "2"])
    assert r.exit_code == 0, r.stderr


def test_dot_text_is_written_whatever_the_size(tmp_path):
    out = tmp_path / "big.dot"
    r = runner.invoke(app, ["graph", *args(*shared(500)), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith("digraph backcalc {")
    r = runner.invoke(app, ["grad", *args(*shared(500)), "--format", "dot"])
    assert r.exit_code == 0 and r.stdout.startswith("digraph backcalc {")


@needs_dot
def test_a_write_up_with_a_too_large_picture_is_refused_at_once():
    r = runner.invoke(app, ["grad", *args(*shared(500)), "--format", "html"])
    assert r.exit_code == 2
    assert "too large to draw" in r.stderr and "--format dot" in r.stderr
    assert "--max-nodes" not in r.stderr  # not an option of grad
