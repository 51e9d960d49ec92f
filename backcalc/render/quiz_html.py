"""The quiz as one self-contained HTML page: the graph with numbered blanks, an input box per blank.

Each box turns green when its answer is right and red when it is not, as the student types
(the Coursera backprop lab's style).  The picture is drawn here from the Result with the
blanks' numbers where the values and gradients would be (the lecture's picture would give the
answers away); without Graphviz the page still has every blank.  No network, no external
script: the checking is a few lines of inline JavaScript over the correct answers, under the
rule ``backcalc quiz`` marks with (within 0.1%, or rounded to ``decimals``).
"""

from __future__ import annotations

import html
import json
from typing import Any

from ..result import Result

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK KR",
       "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; color: #1f2328; line-height: 1.5; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 1.5rem; }
code, .q, input { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
figure { margin: 0; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
ol { padding-left: 2.5rem; } li { margin: 0.4rem 0; }
input { font-size: 1rem; width: 12rem; padding: 0.15rem 0.4rem; border: 2px solid #d0d7de; border-radius: 4px; }
input.right { background: #dafbe1; border-color: #1a7f37; }
input.wrong { background: #ffebe9; border-color: #cf222e; }
#score { font-weight: bold; }
"""

SCRIPT = r"""
(function () {
  var NUM = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*(?:\/\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?))?\s*$/i;
  function read(text) {
    var m = text.match(NUM);
    if (m) { return m[2] === undefined ? [parseFloat(m[1])] : [parseFloat(m[1]) / parseFloat(m[2])]; }
    try { var v = JSON.parse(text); } catch (e) { return null; }
    var flat = [];
    (function walk(x) { if (Array.isArray(x)) { x.forEach(walk); } else { flat.push(x); } })(v);
    return flat.every(function (x) { return typeof x === "number"; }) ? flat : null;
  }
  function close(a, c, decimals) {
    var d = Math.abs(a - c);
    if (d <= 1e-9 || d <= 1e-6 * Math.max(Math.abs(a), Math.abs(c))) { return true; }
    if (decimals !== null) { return d <= 0.5 * Math.pow(10, -decimals) * (1 + 1e-9) + 1e-12; }
    return d <= RTOL * Math.max(Math.abs(a), Math.abs(c)) || d <= ATOL;
  }
  function check(box) {
    var correct = JSON.parse(box.getAttribute("data-correct"));
    var decimals = box.hasAttribute("data-decimals") ? parseInt(box.getAttribute("data-decimals"), 10) : null;
    box.classList.remove("right", "wrong");
    if (box.value.trim() === "") { return; }
    var a = read(box.value);
    var ok = a !== null && a.length === correct.length && a.every(function (x, k) { return close(x, correct[k], decimals); });
    box.classList.add(ok ? "right" : "wrong");
    box.setAttribute("aria-invalid", ok ? "false" : "true");
  }
  function score() {
    var boxes = document.querySelectorAll("input.blank");
    var right = document.querySelectorAll("input.blank.right").length;
    document.getElementById("score").textContent = SCORE.replace("{right}", right).replace("{total}", boxes.length);
  }
  document.querySelectorAll("input.blank").forEach(function (box) {
    box.addEventListener("input", function () { check(box); score(); });
  });
  score();
})();
"""


def _flat(v: Any) -> list[float]:
    import numpy as np

    return [float(x) for x in np.asarray(v, dtype=float).ravel().tolist()]


def quiz_dot(result: Result, numbers: dict[str, int], parts: dict[tuple[str, str], int]) -> str:
    """The graph with the blanks' numbers: [k] in green for a value, in red for a gradient."""
    from .dot import GREEN, RED, gate_symbol, html_text

    by_id = {n.id: n for n in result.nodes}
    vid = {n.id: f"v{k}" for k, n in enumerate(result.nodes)}
    out = result.output

    def font(text: str, colour: str, size: int = 11) -> str:
        if not text:
            return " "
        return f'<font color="{colour}" point-size="{size}">{html_text(text)}</font>'

    lines = [
        "digraph quiz {",
        '  graph [rankdir=LR, nodesep=0.3, ranksep=0.35, fontname="Helvetica,Arial,sans-serif", bgcolor="white"];',
        '  node [fontname="Helvetica,Arial,sans-serif", fontsize=12];',
        '  edge [arrowsize=0.7, color="#24292f", penwidth=1.2, fontname="Helvetica,Arial,sans-serif"];',
    ]
    for n in result.nodes:
        if n.is_const:
            continue
        if n.op == "input":
            from ..display import one_line

            label = f"<<b>{html_text(n.id)}</b><br/>{font(one_line(n.value, 4), GREEN)}>"
            lines.append(f"  {vid[n.id]} [shape=plaintext, label={label}];")
        else:
            label = f'<<font point-size="15"><b>{html_text(gate_symbol(n, by_id))}</b></font><br/>{font(n.id, "#57606a", 9)}>'
            lines.append(
                f'  {vid[n.id]} [shape=box, style="rounded,filled", fillcolor="#f6f8fa", label={label}];'
            )
    for n in result.nodes:
        for i in dict.fromkeys(n.inputs):
            src = by_id[i]
            if src.is_const:
                continue
            top = f"[{numbers[f'value:{i}']}]" if f"value:{i}" in numbers else ""
            k = parts.get((i, n.id), numbers.get(f"grad:{i}"))
            below = f"[{k}]" if k is not None else ""
            label = f"<{font(top, GREEN)}<br/>{font(below, RED)}>"
            lines.append(f"  {vid[i]} -> {vid[n.id]} [label={label}];")
    lines.append('  out [shape=plaintext, label=""];')
    top = f"[{numbers[f'value:{out}']}]" if f"value:{out}" in numbers else ""
    lines.append(f"  {vid[out]} -> out [label=<{font(top, GREEN)}<br/>{font('1', RED)}>];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(result: Result, lang: str = "en", decimals: int | None = None, draw: bool = True) -> str:
    from .. import quizzing
    from ..i18n import Messages
    from .dot import dot_program, run_dot, svg_element

    esc = html.escape
    m = Messages(lang)
    q = quizzing.Quiz(result, lang, decimals)
    numbers = {b.key: k for k, b in enumerate(q.blanks, 1)}
    parts = {(b.node, b.consumer): k for k, b in enumerate(q.blanks, 1) if b.what == "part"}
    expr = result.expression.strip()
    svg = ""
    if draw and dot_program() is not None:
        raw = run_dot(quiz_dot(result, numbers, parts), "svg").decode("utf-8")
        svg = svg_element(raw)
    items = []
    section = None
    for k, b in enumerate(q.blanks, 1):
        sec = "value" if b.what == "value" else "grad"
        if sec != section:
            if section is not None:
                items.append("</ol>")
            section = sec
            heading = m("quiz.forward") if sec == "value" else m("quiz.backward", out=result.output)
            items.append(f"<h2>{esc(heading)}</h2>")
            items.append(f'<ol start="{k}">')
        label = q.prompt(b).rstrip(" ?").rstrip("= ").rstrip()
        dec = f' data-decimals="{decimals}"' if decimals is not None else ""
        items.append(
            f'<li><label for="b{k}"><span class="q">{esc(label)}</span> = </label>'
            f'<input class="blank" id="b{k}" data-key="{esc(b.key)}" autocomplete="off" '
            f"data-correct='{esc(json.dumps(_flat(b.correct)))}'{dec}></li>"
        )
    if section is not None:
        items.append("</ol>")
    script = (
        SCRIPT.replace("RTOL", repr(quizzing.DEFAULT_RTOL))
        .replace("ATOL", repr(quizzing.DEFAULT_ATOL))
        .replace("SCORE", json.dumps(m.table["quiz.page_score"]))
    )
    decimals_note = f"<p>{esc(m('quiz.decimals', decimals=decimals))}</p>" if decimals is not None else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(m('quiz.page_title', expr=expr))}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{esc(m('quiz.page_title', expr=''))}<code>{esc(expr)}</code></h1>\n"
        f"<p>{esc(m('quiz.page_help'))}</p>\n{decimals_note}"
        + (f'<figure id="graph">{svg}</figure>\n' if svg else "")
        + "\n".join(items)
        + f'\n<p id="score"></p>\n<script>{script}</script>\n</body>\n</html>\n'
    )


__all__ = ["render", "quiz_dot"]
