"""`backcalc net SPEC --explain`: the layer-by-layer story (issue 14, item 2), its numbers
checked against finite differences, both notations and languages; and the rule that the data
x and the targets y get no gradient in any output."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from backcalc.cli import app
from backcalc.network import evaluate, narrate
from backcalc.network.spec import load_spec

from conftest import backcalc_exe

ROOT = Path(__file__).resolve().parent.parent
NETS = ROOT / "examples" / "networks"
RELU = str(NETS / "relu-2layer.toml")
SPECS = sorted(str(p) for p in NETS.glob("*.toml")) + [str(ROOT / "examples" / "xor.toml")]
runner = CliRunner()


def _story(spec: str, lang: str = "en", notation: str = "lecture", precision: int = 4) -> str:
    return narrate.render_text(narrate.build(evaluate(load_spec(spec)), lang, precision, notation))


def _array_after(text: str, lhs: str) -> np.ndarray:
    """The numbers written after '<lhs> = ... = ' on its line (the last '= [...]')."""
    line = next(ln for ln in text.splitlines() if ln.strip().startswith(lhs + " "))
    tail = line.rsplit(" = ", 1)[1]
    tail = re.sub(r"\s*\(\d+(×\d+)*\).*$", "", tail).strip()
    return np.array(json.loads(tail), dtype=float)


def _finite_difference(spec: str, layer: int, key: str, h: float = 1e-6) -> np.ndarray:
    net = evaluate(load_spec(spec)).net
    base = getattr(net.layers[layer], key)
    grad = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        vals = []
        for sign in (1, -1):
            moved = net.copy()
            arr = getattr(moved.layers[layer], key).copy()
            arr[idx] += sign * h
            setattr(moved.layers[layer], key, arr)
            vals.append(evaluate(moved).loss)
        grad[idx] = (vals[0] - vals[1]) / (2 * h)
    return grad


def test_relu_example_reads_layer_by_layer_output_to_input():
    text = _story(RELU)
    lines = [ln.strip() for ln in text.splitlines()]
    fwd, bwd = text.index("Forward pass"), text.index("Backward pass")
    assert fwd < bwd
    # forward: layer 1 then 2; backward: layer 2 then 1
    assert text.index("layer 1:", fwd) < text.index("layer 2:", fwd) < bwd
    back = lines[lines.index("Backward pass (loss → input)") :]
    assert back.index("layer 2") < back.index("layer 1")
    for expected in (
        "z1 = W1 x + b1 = [-0.75, 1.4, 0.45, 0.95]",
        "a1 = relu(z1) = [0, 1.4, 0.45, 0.95]",
        "L = ½ Σ (y − a2)² = 1.063   (half_sse)",
        "∂L/∂a2 = a2 − y = [-0.775, 1.235]",
        "∂L/∂a1 = W2ᵀ δ2 = [-0.356, 0.959, 0.833, -0.758]",
        "δ1 = ∂L/∂z1 = ∂L/∂a1 ⊙ relu'(z1) = [-0.356, 0.959, 0.833, -0.758] ⊙ [0, 1, 1, 1] = [0, 0.959, 0.833, -0.758]",
        "∂L/∂b1 = δ1 = [0, 0.959, 0.833, -0.758]",
    ):
        assert expected in lines, expected
    assert any(ln.startswith("∂L/∂W2 = δ2 a1ᵀ = ") for ln in lines)
    assert any(ln.startswith("∂L/∂W1 = δ1 xᵀ = ") for ln in lines)
    assert "the ReLU's derivative" in text and "the derivative of the loss (half_sse)" in text


def test_no_output_mentions_a_gradient_of_the_data_or_the_targets():
    ev = evaluate(load_spec(RELU))
    assert set(ev.result.gradients) == {"W1", "b1", "W2", "b2"}
    assert ev.result.node("y").grad is None and ev.result.node("x").grad is None
    outputs = {
        "explain": runner.invoke(app, ["net", RELU, "--explain"]).stdout,
        "explain-ko": runner.invoke(app, ["net", RELU, "--explain", "--lang", "ko"]).stdout,
        "3b1b": runner.invoke(app, ["net", RELU, "--explain", "--notation", "3b1b"]).stdout,
        "markdown": runner.invoke(app, ["net", RELU, "-f", "markdown"]).stdout,
        "latex": runner.invoke(app, ["net", RELU, "-f", "latex"]).stdout,
        "html": runner.invoke(app, ["net", RELU, "-f", "html"]).stdout,
        "dot": runner.invoke(app, ["net", RELU, "-f", "dot"]).stdout,
        "table": runner.invoke(app, ["net", RELU, "-f", "table"]).stdout,
    }
    for name, out in outputs.items():
        assert out, name
        for bad in ("∂loss/∂y", "∂L/∂y", "∂C0/∂y", "∂loss/∂x", "∂L/∂x", "partial y", "{y}}", "nan"):
            assert bad not in out, (name, bad)
    assert "0.775, -1.235" not in outputs["explain"].split("∂L/∂a2")[0]  # not before its own line
    doc = json.loads(runner.invoke(app, ["net", RELU, "-f", "json"]).stdout)
    nodes = {n["id"]: n for n in doc["result"]["nodes"]}
    assert nodes["y"]["grad"] is None and nodes["x"]["grad"] is None
    assert set(doc["result"]["gradients"]) == {"W1", "b1", "W2", "b2"}
    for n in nodes.values():  # no edge carries a gradient back to x or y
        for i, d in zip(n["inputs"], n["downstream"] or []):
            if i in ("x", "y"):
                assert d is None


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: Path(s).stem)
def test_every_spec_narrates_and_its_numbers_are_the_engines(spec):
    ev = evaluate(load_spec(spec))
    text = _story(spec, precision=12)
    assert "Traceback" not in text and "nan" not in text
    for li, rec in enumerate(ev.layers):
        layer = ev.net.layers[li]
        n = li + 1
        if layer.pieces == 1 and layer.activation != "identity" and np.size(rec.delta) <= narrate.FULL:
            np.testing.assert_allclose(_array_after(text, f"δ{n}"), rec.delta, rtol=1e-9, atol=1e-12)
            slope = narrate.activation_slope(layer, rec.z, rec.a)
            if slope is not None and not (n == len(ev.layers) and ev.net.loss == "softmax_ce"):
                # δ = ∂L/∂a ⊙ act'(z): the engine's δ is the product the story writes
                np.testing.assert_allclose(rec.da * slope, rec.delta, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "spec", [RELU, str(NETS / "mazur.toml"), str(NETS / "activations.toml")], ids=lambda s: Path(s).stem
)
def test_the_stories_weight_gradients_match_finite_differences(spec):
    text = _story(spec, precision=12)
    ev = evaluate(load_spec(spec))
    for li, layer in enumerate(ev.net.layers):
        if layer.pieces > 1:
            continue
        n = li + 1
        lhs = f"∂L/∂W{n}"
        if np.size(layer.W) <= narrate.FULL:
            np.testing.assert_allclose(_array_after(text, lhs), _finite_difference(spec, li, "W"), atol=1e-6)
        if np.size(layer.b) <= narrate.FULL:
            np.testing.assert_allclose(
                _array_after(text, f"∂L/∂b{n}"), _finite_difference(spec, li, "b"), atol=1e-6
            )


def test_3blue1brown_notation_writes_the_seeds_formula():
    text = _story(str(NETS / "notes-16-8-4.toml"), notation="3b1b")
    assert "∂C0/∂w(L) = a(L-1) σ'(z(L)) 2(a(L) − y)" in text
    assert "C0 = Σ (a(L) − y)²" in text
    assert "layer 2, written (L)" in text and "layer 1, written (L-1)" in text
    # one weight written out: its three factors multiply to the engine's gradient
    ev = evaluate(load_spec(str(NETS / "notes-16-8-4.toml")))
    line = next(ln for ln in text.splitlines() if "one weight: ∂C0/∂w_" in ln and "(L)" in ln)
    j, k = (int(c) - 1 for c in re.search(r"w_(\d)(\d)\(L\)", line).group(1, 2))
    assert float(line.rsplit(" = ", 1)[1]) == pytest.approx(ev.layers[1].dW[j, k], rel=1e-3)


def test_korean_story():
    text = _story(RELU, lang="ko")
    assert "순방향 (입력 → 출력)" in text and "backward pass (loss → 입력)" in text
    assert "ReLU의 도함수" in text and "layer 1에 보냄" in text
    assert "데이터 x와 target y는 gradient를 받지 않는다" in text
    for english in ("Forward pass", "the derivative", "sent back", "no gradient"):
        assert english not in text


def test_a_batch_story_sums_over_the_examples():
    text = _story(str(NETS / "softmax-classifier.toml"))
    assert "δ2 = ∂L/∂z2 = (softmax(z2) − y) / N" in text
    assert "softmax and cross-entropy together" in text
    assert "∂L/∂W1 = δ1ᵀ x + 2λ W1" in text and "summed over the examples" in text
    assert "each example's δ carries 1/6" in text


def test_maxout_story_routes_to_the_winning_piece():
    text = _story(str(NETS / "activations.toml"))
    assert "a3 = max(z3_1, z3_2)" in text
    assert "δ3_1 = ∂L/∂a3 · [z3_1 = a3]" in text and "+ 2λ W3_2" in text


def test_net_explain_cli_in_process_and_installed():
    res = runner.invoke(app, ["net", RELU, "--explain", "--notation", "nope"])
    assert res.exit_code == 2 and "unknown notation 'nope'" in res.stderr
    proc = subprocess.run(
        [backcalc_exe(), "net", RELU, "--explain"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "∂L/∂a1 = W2ᵀ δ2 = [-0.356, 0.959, 0.833, -0.758]" in proc.stdout
    assert "n1" not in proc.stdout  # layers, not gates
    assert len(proc.stdout.splitlines()) < 60


def test_a_step_is_told_after_the_backward_pass():
    res = runner.invoke(
        app, ["net", str(NETS / "mazur.toml"), "--explain", "--step", "--lr", "0.5"], env={"COLUMNS": "200"}
    )
    assert res.exit_code == 0, res.output
    text = res.stdout
    assert text.index("Backward pass") < text.index("One gradient-descent step") < text.index("W2 ← W2 − 0.5")
    # Mazur's w5..w8 after the step: 0.35891648, 0.408666186, 0.511301270, 0.561370121
    assert "W2 ← W2 − 0.5 · ∂L/∂W2 = [[0.3589, 0.4087], [0.5113, 0.5614]]" in text
    assert "0.2984 before the step, 0.2805 after it" in text
