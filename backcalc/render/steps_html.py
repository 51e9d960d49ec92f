"""The step-by-step playback as one self-contained HTML page (``explain --format html --steps``).

The lecture's picture (the Graphviz SVG of :mod:`backcalc.render.dot`, inlined) with
previous/next buttons and a slider: each step lights up its gate and the wires into it, and
shows the step's sentences beside the picture.  No network access and no external script:
the few lines of JavaScript are inline, and the steps are data in the page.  Without Graphviz
the page still plays the sentences.
"""

from __future__ import annotations

import html
import json
from typing import Any

from ..display import DEFAULT_PRECISION
from ..result import Result

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK KR",
       "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; margin: 1.5rem; color: #1f2328; line-height: 1.5; }
h1 { font-size: 1.4rem; } code, .math { font-family: ui-monospace, Menlo, Consolas, monospace; }
#player { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure { margin: 0; flex: 1 1 32rem; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
#panel { flex: 1 1 24rem; max-width: 40rem; }
#controls { display: flex; gap: 0.5rem; align-items: center; margin-bottom: 0.8rem; }
button { font-size: 1rem; padding: 0.2rem 0.8rem; }
#slider { flex: 1; }
#heading { font-weight: bold; }
#sentences { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.95rem; }
#sentences p { margin: 0.2rem 0; } #sentences p.head { font-weight: bold; } #sentences p.why { color: #57606a; }
g.lit > polygon, g.lit > path, g.lit > ellipse { stroke: #bf8700 !important; stroke-width: 4px !important; }
g.lit.current > polygon, g.lit.current > path { fill: #fff1b8; }
g.lit text { font-weight: bold; }
"""

SCRIPT = r"""
(function () {
  var STEPS = JSON.parse(document.getElementById("steps-data").textContent);
  var svg = document.querySelector("#graph svg");
  var nodes = {}, edges = [];
  if (svg) {
    svg.querySelectorAll("g.node").forEach(function (g) {
      var name = g.getAttribute("data-name"), t = g.querySelector("title");
      if (!name && t) { name = t.textContent.trim(); }
      if (name) { nodes[name] = g; }
    });
    svg.querySelectorAll("g.edge").forEach(function (g) {
      var name = g.getAttribute("data-name"), t = g.querySelector("title");
      if (!name && t) { name = t.textContent; }
      if (!name) { return; }
      var m = name.replace(/\s/g, "").match(/^([^:\s]+)(?::\S*?)?->([^:\s]+)/);
      if (m) { edges.push({from: m[1], to: m[2], g: g}); }
    });
  }
  var k = 0;
  function light(names) {
    document.querySelectorAll("#graph g.lit").forEach(function (g) { g.classList.remove("lit", "current"); });
    var lit = {};
    names.forEach(function (n) { if (nodes[n]) { nodes[n].classList.add("lit", "current"); lit[n] = true; } });
    // the wires into the lit gate: an edge into it, and the label node it passes through
    edges.forEach(function (e) {
      if (lit[e.to]) {
        e.g.classList.add("lit");
        if (nodes[e.from] && e.from.charAt(0) === "w") {
          nodes[e.from].classList.add("lit");
          edges.forEach(function (f) { if (f.to === e.from) { f.g.classList.add("lit"); } });
        }
      }
    });
  }
  function show(i) {
    k = Math.max(0, Math.min(STEPS.length - 1, i));
    var s = STEPS[k];
    document.getElementById("heading").textContent = s.heading;
    var box = document.getElementById("sentences");
    box.innerHTML = "";
    s.lines.forEach(function (line, j) {
      var p = document.createElement("p");
      p.textContent = line[1];
      p.className = j === 0 ? "head" : line[0];
      box.appendChild(p);
    });
    light(s.nodes);
    document.getElementById("slider").value = k;
    document.getElementById("prev").disabled = k === 0;
    document.getElementById("next").disabled = k === STEPS.length - 1;
    document.body.setAttribute("data-step", String(k + 1));
    document.body.setAttribute("data-node", s.node);
  }
  document.getElementById("prev").addEventListener("click", function () { show(k - 1); });
  document.getElementById("next").addEventListener("click", function () { show(k + 1); });
  document.getElementById("slider").addEventListener("input", function (e) { show(parseInt(e.target.value, 10)); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight" || e.key === " ") { show(k + 1); } else if (e.key === "ArrowLeft") { show(k - 1); }
  });
  show(0);
})();
"""


def steps_data(result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION) -> list[dict[str, Any]]:
    """Each step as data: its heading, its sentences (head first), the node and the picture's names for it."""
    from .. import explanation as X
    from .. import playback as P

    ex = X.build(result, lang, precision)
    m = ex.messages
    vid = {n.id: f"v{k}" for k, n in enumerate(result.nodes)}  # the ids dot.py gives the picture's nodes
    frames = P.frames(ex)
    out = []
    for k, f in enumerate(frames, 1):
        key = "steps.forward" if f.phase == "forward" else "steps.backward"
        lines = [["head", f"{f.number}. " + X.say(m, f.step.head)]]
        lines += [["why" if ln.key.startswith("why.") else "line", X.say(m, ln)] for ln in f.step.lines]
        out.append(
            {
                "phase": f.phase,
                "node": f.node,
                "nodes": [vid[f.node], f.node],
                "heading": m(key, k=k, total=len(frames), node=f.node),
                "lines": lines,
            }
        )
    return out


def render(
    result: Result,
    lang: str = "en",
    precision: int = DEFAULT_PRECISION,
    svg: str | None = None,
    draw: bool = True,
) -> str:
    from ..i18n import Messages
    from . import dot

    esc = html.escape
    m = Messages(lang)
    if svg is None and draw:
        svg = dot.svg(result, lang, precision)
    data = steps_data(result, lang, precision)
    # JSON inside <script type="application/json">: '<' escaped so no text can close the element
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    expr = result.expression.strip()
    figure = (
        f'<figure id="graph">{dot.svg_element(svg)}</figure>'
        if svg
        else f'<p id="graph-missing">{esc(m("graph.missing"))}</p>'
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(m('steps.page_title', expr=expr))}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{esc(m('steps.page_title', expr=''))}<code>{esc(expr)}</code></h1>\n"
        f'<div id="player">\n{figure}\n<div id="panel">\n<div id="controls">'
        f'<button id="prev" type="button">{esc(m("steps.prev"))}</button>'
        f'<input id="slider" type="range" min="0" max="{len(data) - 1}" value="0" aria-label="step">'
        f'<button id="next" type="button">{esc(m("steps.next"))}</button></div>\n'
        '<div id="heading"></div>\n<div id="sentences"></div>\n</div>\n</div>\n'
        f'<script type="application/json" id="steps-data">{payload}</script>\n'
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


__all__ = ["render", "steps_data"]
