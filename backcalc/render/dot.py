"""The computational graph as cs231n lecture 4 draws it, in Graphviz DOT.

Left to right: inputs on the left, one box per gate labelled with its op (and
its role as a colour and a small tag), the output on the right.  Every edge
carries its forward value in green above the wire and the gradient flowing
back along it in red below, as the lecture slides write them.  A node that
feeds several gates shows its gradient as the sum of its branches
(``7 = 3 + 3 + 1``).  Constants are folded into the gate they feed (``1 / x``,
``2 * x``), as the slides do.

The DOT text is written by hand: node ids are generated (``v3``, ``w5``), and
every piece of user text goes into an HTML-like label through :func:`html_text`,
so names, values and expressions cannot break the file.  SVG, PNG and PDF come
from Graphviz's ``dot`` program when it is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from ..display import DEFAULT_PRECISION, fmt, fmt_array, shape_text
from ..errors import BackcalcError, Msg, setting
from ..limits import (
    DOT_BUDGET,
    DOT_FAST_LAYOUT_GATES,
    DOT_MAX_GATES,
    DOT_NAME_MAX,
    DOT_SECONDS_PER_BEND,
    DOT_SECONDS_PER_BOX,
    DOT_SUM_PARTS,
    DOT_TIMEOUT,
    DOT_TITLE_MAX,
)
from ..result import NodeRecord, Result
from ..roles import COPY, colour_key
from ..syntax import symbol_of

GREEN = "#1a7f37"  # forward values, as the slides' green
RED = "#cf222e"  # gradients, as the slides' red
ROLE_COLOURS = {
    "distributor": "#ddeeff",
    "router": "#ffe8b0",
    "switcher": "#eadcff",
    "scaler": "#ffdff0",
    "function": "#e8ecef",
}
FILE_FORMATS = ("dot", "gv", "svg", "png", "pdf")
TAG_SIZE = 11  # the role tag under a gate's symbol: readable at a page's default zoom
INSTALL_HINT = "Debian/Ubuntu: sudo apt-get install graphviz; Fedora: sudo dnf install graphviz; macOS: brew install graphviz"


def html_text(s: str) -> str:
    """Text made safe inside a Graphviz HTML-like label (quotes, <, >, &, control characters)."""
    out = []
    for ch in s:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"':
            out.append("&quot;")
        elif ch == "'":
            out.append("&#39;")
        elif ch == "\n":
            out.append("<br/>")
        elif not ch.isprintable() and ch != " ":
            out.append("&#65533;")  # U+FFFD: a visible stand-in, never a raw control character
        else:
            out.append(ch)
    return "".join(out)


def elide(s: str, n: int) -> str:
    """``s`` with its middle replaced by '…' when it is longer than ``n`` characters."""
    if len(s) <= n:
        return s
    head = (n - 1) // 2
    return s[:head] + "…" + s[len(s) - (n - 1 - head) :]


# dot's settings for a large picture: positioning and crossing reduction stop early (their
# rounds grow with the picture; the defaults take minutes for a few hundred shared gates), and
# wires are straight lines.  Smaller pictures keep dot's defaults.
FAST_LAYOUT = "  graph [nslimit=0.02, mclimit=0.01, remincross=false, splines=line];"


FULL_ITEMS = 16  # arrays of up to this many elements are drawn in full, as the slides write them


def value_lines(v: Any, precision: int = DEFAULT_PRECISION, max_items: int = 3) -> list[str]:
    """A scalar as one line; an array as its shape, then its entries: all of them up to
    FULL_ITEMS elements, else the first and last rows (``max_items`` per axis)."""
    if type(v) is float or isinstance(v, int):
        return [fmt(v, precision)]
    import numpy as np

    arr = np.asarray(v, dtype=float)
    if arr.ndim == 0:
        return [fmt(float(arr), precision)]
    if arr.size <= FULL_ITEMS:
        max_items = max(arr.shape)
    lines = [line.strip() for line in fmt_array(arr, precision, max_items=max_items).split("\n")]
    return ["shape " + shape_text(arr.shape)] + lines[: max_items + 1]


def _font(lines: list[str], colour: str, size: float | None = None, bold: bool = False) -> str:
    body = "<br/>".join(html_text(s) for s in lines)
    if bold:
        body = f"<b>{body}</b>"
    size_attr = f' point-size="{size}"' if size else ""
    return f'<font color="{colour}"{size_attr}>{body}</font>'


def gate_symbol(node: NodeRecord, by_id: dict[str, NodeRecord]) -> str:
    """What the gate's box says: '+', '*', 'exp', 'max', or with constants folded in: '1 / x', '2 * x'."""
    from .. import ops

    op = ops.OPS.get(node.op)
    if op is None:
        return node.op
    consts = [by_id[i].is_const for i in node.inputs]
    n_vars = consts.count(False)
    if any(consts):
        var = "x" if n_vars == 1 else "·"
        args = [by_id[i].text.strip() if c else var for i, c in zip(node.inputs, consts)]
        return op.plain.format(*args, args=", ".join(args))
    if op.callable or len(node.inputs) != 2:
        if not op.callable and len(node.inputs) == 1:
            return op.plain.format("x", args="x")  # -x, +x
        return op.name
    return symbol_of(op.name) or op.name


def _sum_text(node: NodeRecord, p: int) -> str:
    parts = node.grad_parts
    shown = parts if len(parts) <= DOT_SUM_PARTS else parts[: DOT_SUM_PARTS - 1]
    text = " + ".join(
        (f"({s})" if k and s.startswith("-") else s) for k, s in enumerate(fmt(v, p) for _, v in shown)
    )
    if len(shown) < len(parts):
        text += f" + … ({len(parts):,} branches)"
    return fmt(node.grad, p) + " = " + text


def _gate_label(node: NodeRecord, by_id: dict[str, NodeRecord], m: Any, p: int) -> str:
    rows = [
        f'<tr><td><font point-size="16"><b>{html_text(elide(gate_symbol(node, by_id), DOT_TITLE_MAX))}</b></font></td></tr>'
    ]
    tag = elide(node.id, DOT_NAME_MAX)
    if node.role:
        tag += " · " + m.role_name(node.role)
    if node.expanded_from:
        tag += f" ({elide(node.expanded_from, DOT_NAME_MAX)})"
    rows.append(f"<tr><td>{_font([tag], '#57606a', TAG_SIZE)}</td></tr>")
    if node.flags:
        rows.append(f"<tr><td>{_font(['⚠ ' + ', '.join(node.flags)], '#9a6700', 9)}</td></tr>")
    if len(node.grad_parts) > 1:
        rows.append(f"<tr><td>{_font(['Σ ' + _sum_text(node, p)], RED, 10)}</td></tr>")
    return '<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">' + "".join(rows) + "</table>>"


def _end_label(node: NodeRecord, p: int, output: bool = False, m: Any = None) -> str:
    rows = [f"<tr><td>{_font([elide(node.id, DOT_NAME_MAX)], 'black', 14, bold=True)}</td></tr>"]
    if len(node.grad_parts) > 1:
        rows.append(f"<tr><td>{_font(['Σ ' + _sum_text(node, p)], RED, 10)}</td></tr>")
        if m is not None and node.role == COPY:  # --roles 2019: an input used twice is a copy gate
            rows.append(f"<tr><td>{_font([m.role_name(COPY)], '#57606a', TAG_SIZE)}</td></tr>")
    return '<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">' + "".join(rows) + "</table>>"


def _wire_label(value: Any, grad: Any, p: int) -> str:
    """Value above the wire in green, gradient below in red; the edge passes through the middle row.
    (No gradient, None, as for a network's data and targets: no red row.)"""
    below = "" if grad is None else f"<tr><td>{_font(value_lines(grad, p), RED)}</td></tr>"
    return (
        '<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">'
        f"<tr><td>{_font(value_lines(value, p), GREEN)}</td></tr>"
        '<tr><td port="w" height="2" bgcolor="#24292f"></td></tr>'
        f"{below}"
        "</table>>"
    )


def _edge_grad(src: NodeRecord, consumer: NodeRecord, k: int, seen: dict[tuple[str, str], int]) -> Any:
    """The gradient that flows back along one edge: the consumer's downstream for that input."""
    if consumer.downstream is not None:
        return consumer.downstream[k]
    # No per-input record: read it from the source's parts (the n-th time this consumer appears).
    parts = [v for c, v in src.grad_parts if c == consumer.id]
    key = (src.id, consumer.id)
    n = seen.get(key, 0)
    seen[key] = n + 1
    if n < len(parts):
        return parts[n]
    return src.grad


def dot_string(s: str) -> str:
    """A DOT double-quoted string (for tooltips), on one line: user text entity-escaped as in
    the labels (quotes, <, >, &, control characters), backslashes doubled (no \\N escapes)."""
    return '"' + html_text(" ".join(s.split())).replace("\\", "\\\\") + '"'


def node_tooltip(n: NodeRecord, m: Any, p: int) -> str:
    """What hovering a node says: its name, its formula and gate, its value and gradient."""
    name = elide(n.id, DOT_NAME_MAX)
    if n.op == "input":
        head = f"{name} ({m('graph.tip.input')})"
    else:
        gate = m.op_name(n.op)
        role = f", {m.role_name(n.role)}" if n.role else ""
        head = f"{name} = {elide(n.formula, DOT_TITLE_MAX)} ({gate}{role})"
    grad = "" if n.grad is None else f"; {m('graph.tip.grad')} {_short(n.grad, p)}"
    return f"{head}: {m('graph.tip.value')} {_short(n.value, p)}{grad}"


def _short(v: Any, p: int) -> str:
    if type(v) is float or isinstance(v, int):
        return fmt(v, p)
    from ..display import one_line

    text = one_line(v, p)
    return text if len(text) <= 80 else "shape " + shape_text(getattr(v, "shape", ()))


def wire_tooltip(src: NodeRecord, dst: NodeRecord, grad: Any, m: Any, p: int) -> str:
    """What hovering a wire says: from where to where, the value forward and the gradient back."""
    back = "" if grad is None else f"; {m('graph.tip.grad')} {_short(grad, p)}"
    ends = f"{elide(src.id, DOT_NAME_MAX)} → {elide(dst.id, DOT_NAME_MAX)}"
    return f"{ends}: {m('graph.tip.value')} {_short(src.value, p)}{back}"


def input_order(result: Result) -> list[NodeRecord]:
    """The drawn inputs in the order they first appear in the expression (w0, x0, w1, x1, w2)."""
    inputs = [n for n in result.nodes if n.op == "input" and not n.is_const]
    big = 1 << 62
    return sorted(inputs, key=lambda n: n.span[0] if n.span else big)


def to_dot(result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION, legend: bool = True) -> str:
    """The graph as DOT text (UTF-8).  ``legend``: the line under the title that says what the
    colours mean (a page that writes it as the figure's caption leaves it out)."""
    return _dot(result, lang, precision, legend)[0]


def svg_titles(svg: str, titles: dict[str, str]) -> str:
    """Graphviz's SVG with each node's and edge's <title> (what a browser shows on hover)
    replaced by its tooltip text: the node and its formula, not the generated ids (``v1``,
    ``w0:e->v3``).  An edge takes the tooltip of the wire label it passes through."""
    import html as H
    import re

    def repl(match: Any) -> str:
        head, name = match.group(1), match.group(2)
        raw = H.unescape(name)
        key = raw
        if "->" in raw:
            ends = [e.split(":")[0] for e in raw.split("->")]
            key = next((e for e in ends if e.startswith("w")), ends[0])
        tip = titles.get(key)
        if tip is None:
            return match.group(0)
        # the DOT name stays on the group (data-name), for pages that light nodes up by name
        return f'{head} data-name="{H.escape(raw)}">\n<title>{H.escape(tip, quote=False)}</title>'

    return re.sub(r'(<g id="[^"]*" class="(?:node|edge|graph)"[^>]*)>\s*<title>(.*?)</title>', repl, svg)


def _dot(result: Result, lang: str, precision: int, legend: bool) -> tuple[str, dict[str, str]]:
    """The DOT text and the tooltip of every DOT node name (for :func:`svg_titles`)."""
    from ..i18n import Messages

    m = Messages(lang)
    p = precision
    by_id = {n.id: n for n in result.nodes}
    vid = {n.id: f"v{k}" for k, n in enumerate(result.nodes)}
    title = result.expression.strip().replace("\n", "; ")
    if "=" not in title:
        title = f"{result.output} = {title}"
    title = elide(title, DOT_TITLE_MAX)
    caption = f'<tr><td align="left">{_font([m("graph.legend")], "#57606a", 10)}</td></tr>' if legend else ""
    fast = sum(1 for n in result.nodes if not n.is_const and n.op != "input") > DOT_FAST_LAYOUT_GATES
    lines = [
        "digraph backcalc {",
        '  graph [rankdir=LR, nodesep=0.25, ranksep=0.3, fontname="Helvetica,Arial,sans-serif", '
        'labelloc=t, labeljust=l, bgcolor="white", charset="UTF-8",' + ("" if fast else " ordering=in,"),
        # the slides' order: each gate's inputs top to bottom as the expression writes them
        '         label=<<table border="0" cellborder="0" cellspacing="0" cellpadding="2">'
        f'<tr><td align="left"><b>{html_text(title)}</b></td></tr>'
        f"{caption}</table>>];",
        '  node [fontname="Helvetica,Arial,sans-serif", fontsize=12];',
        '  edge [arrowsize=0.7, color="#24292f", penwidth=1.2];',
    ]
    if fast:
        lines.append(FAST_LAYOUT)
    titles: dict[str, str] = {"backcalc": title}  # the whole picture's
    for n in result.nodes:
        if n.is_const:
            continue
        tip = node_tooltip(n, m, p)
        titles[vid[n.id]] = tip
        if n.op == "input":
            lines.append(
                f"  {vid[n.id]} [shape=plaintext, label={_end_label(n, p, m=m)}, tooltip={dot_string(tip)}];"
            )
        else:
            colour = ROLE_COLOURS.get(colour_key(n.role), "white")
            pen = ', color="#9a6700", penwidth=2' if n.flags else ""
            lines.append(
                f'  {vid[n.id]} [shape=box, style="rounded,filled", fillcolor="{colour}"{pen}, '
                f'margin="0.12,0.04", label={_gate_label(n, by_id, m, p)}, tooltip={dot_string(tip)}];'
            )
    if not fast:
        # the inputs in one column on the left, in the order the expression writes them
        order = [vid[n.id] for n in input_order(result)]
        if len(order) > 1:
            lines.append("  { rank=same; " + "; ".join(order) + "; }")
            lines.append("  " + " -> ".join(order) + " [style=invis];")
    seen: dict[tuple[str, str], int] = {}
    w = 0
    for n in result.nodes:
        for k, i in enumerate(n.inputs):
            src = by_id[i]
            if src.is_const:
                continue
            g = _edge_grad(src, n, k, seen)
            tip = wire_tooltip(src, n, g, m, p)
            titles[f"w{w}"] = tip
            lines.append(
                f"  w{w} [shape=plain, label={_wire_label(src.value, g, p)}, tooltip={dot_string(tip)}];"
            )
            lines.append(f"  {vid[i]} -> w{w}:w:w [arrowhead=none, tooltip={dot_string(tip)}];")
            lines.append(f"  w{w}:w:e -> {vid[n.id]} [tooltip={dot_string(tip)}];")
            w += 1
    out = by_id[result.output]
    out_tip = node_tooltip(out, m, p)
    titles["out"] = titles[f"w{w}"] = out_tip
    lines.append(
        f"  out [shape=plaintext, label={_end_label(out, p, output=True)}, tooltip={dot_string(out_tip)}];"
    )
    lines.append(
        f"  w{w} [shape=plain, label={_wire_label(out.value, out.grad, p)}, tooltip={dot_string(out_tip)}];"
    )
    lines.append(f"  {vid[out.id]} -> w{w}:w:w [arrowhead=none, tooltip={dot_string(out_tip)}];")
    lines.append(f"  w{w}:w:e -> out [tooltip={dot_string(out_tip)}];")
    lines.append("}")
    return "\n".join(lines) + "\n", titles


# --- size ---------------------------------------------------------------------


@dataclass(frozen=True)
class PictureSize:
    """How much work a picture is for dot, counted before it runs."""

    gates: int
    boxes: int  # every node dot places: inputs, gates, the output, one label per wire
    bends: int  # estimated points of wires that span several columns (dot's virtual nodes)

    @property
    def seconds(self) -> float:
        """Estimated layout time (the model in limits.py, measured on Graphviz 2.43)."""
        return DOT_SECONDS_PER_BOX * self.boxes**2.5 + DOT_SECONDS_PER_BEND * self.bends


def picture_size(result: Result) -> PictureSize:
    """Count the picture's gates and boxes, and estimate its bends from a ranking of the nodes
    into columns, each as far right as its consumers allow (one pass, backwards)."""
    by_id = {n.id: n for n in result.nodes}
    drawn = [n for n in result.nodes if not n.is_const]
    column: dict[str, int] = {}  # columns counted from the output, two per wire (node, label)
    wires = bends = 0
    consumers: dict[str, list[str]] = {n.id: [] for n in drawn}
    for n in drawn:
        for i in n.inputs:
            if not by_id[i].is_const:
                consumers[i].append(n.id)
    for n in reversed(drawn):
        col = 2 if n.id == result.output else 0
        for c in consumers[n.id]:
            col = max(col, column[c] + 2)
        column[n.id] = col
    for i, cs in consumers.items():
        wires += len(cs)
        bends += sum(column[i] - column[c] - 2 for c in cs)
    gates = sum(1 for n in drawn if n.op != "input")
    return PictureSize(gates=gates, boxes=len(drawn) + wires + 2, bends=bends)


def check_size(result: Result, max_nodes: int | None = None) -> PictureSize:
    """Refuse, before dot runs, a picture dot would take too long to draw: more gates than the
    limit, or (without an explicit ``max_nodes``) an estimated layout over DOT_BUDGET seconds."""
    size = picture_size(result)
    limit = DOT_MAX_GATES if max_nodes is None else max_nodes
    if size.gates > limit:
        why = Msg("dot.too_many_gates", gates=size.gates, limit=limit)
    elif max_nodes is None and size.seconds > DOT_BUDGET:
        why = Msg(
            "dot.too_slow_bends" if size.bends else "dot.too_slow",
            gates=size.gates,
            seconds=f"{size.seconds:.0f}",
            budget=f"{DOT_BUDGET:g}",
            boxes=size.boxes,
            bends=size.bends,
        )
    else:
        return size
    raise BackcalcError(
        Msg("dot.too_large", why=why),
        hint=Msg("dot.too_large_hint", max_nodes=setting("max_nodes"), gates=size.gates),
    )


# --- files --------------------------------------------------------------------


def dot_program() -> str | None:
    return shutil.which("dot")


def run_dot(source: str, fmt_: str, timeout: float = DOT_TIMEOUT) -> bytes:
    """DOT text -> SVG/PNG/PDF bytes through Graphviz's dot program."""
    exe = dot_program()
    if exe is None:
        raise BackcalcError(
            Msg("dot.no_graphviz", fmt=fmt_.upper()),
            hint=Msg("dot.no_graphviz_hint", install=INSTALL_HINT),
        )
    try:
        proc = subprocess.run(
            [exe, f"-T{fmt_}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BackcalcError(
            Msg("dot.timeout", timeout=f"{timeout:g}"),
            hint=Msg("dot.timeout_hint"),
        ) from None
    except OSError as e:
        raise BackcalcError(Msg("dot.could_not_run", reason=e)) from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip()
        raise BackcalcError(Msg("dot.failed", code=proc.returncode, detail=msg))
    return proc.stdout


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once (the shared :func:`backcalc.files.atomic_write`)."""
    from ..files import atomic_write

    atomic_write(path, data)


def file_format(path: str) -> str:
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in FILE_FORMATS:
        raise BackcalcError(
            Msg("dot.format", path=path),
            hint=Msg("dot.format_hint"),
        )
    return "dot" if ext == "gv" else ext


def render_bytes(
    result: Result,
    fmt_: str,
    lang: str = "en",
    precision: int = DEFAULT_PRECISION,
    max_nodes: int | None = None,
) -> bytes:
    """The picture in ``fmt_``; DOT always, the others only within the size limit (check_size)."""
    if fmt_ == "dot":
        return to_dot(result, lang, precision).encode("utf-8")
    size = check_size(result, max_nodes)
    # asked to draw past the limit: allow three times the estimate rather than the usual limit
    timeout = DOT_TIMEOUT if max_nodes is None else max(DOT_TIMEOUT, 3 * size.seconds)
    text, titles = _dot(result, lang, precision, True)
    data = run_dot(text, fmt_, timeout=timeout)
    if fmt_ == "svg":
        data = svg_titles(data.decode("utf-8"), titles).encode("utf-8")
    return data


def write_file(
    result: Result,
    path: str,
    lang: str = "en",
    precision: int = DEFAULT_PRECISION,
    max_nodes: int | None = None,
) -> str:
    """Draw the graph into ``path`` (.dot, .svg, .png, .pdf), atomically; returns the format written."""
    fmt_ = file_format(path)
    write_atomic(path, render_bytes(result, fmt_, lang, precision, max_nodes))
    return fmt_


def svg_element(svg_text: str) -> str:
    """The <svg> element alone (no XML prolog, DOCTYPE or comments), ready to inline in a page."""
    import re

    start = svg_text.find("<svg")
    body = svg_text[start:] if start >= 0 else svg_text
    return re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL).strip()


def svg(
    result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION, legend: bool = True
) -> str | None:
    """The picture as SVG text (hovering names the node and its formula), or None when
    Graphviz is not installed.  ``legend=False`` leaves out the colours' legend (a page's caption)."""
    if dot_program() is None:
        return None
    try:
        check_size(result)  # at once, rather than after dot's time-out
    except BackcalcError as e:
        raise e.reword(hint=Msg("dot.still_written")) from None
    text, titles = _dot(result, lang, precision, legend)
    return svg_titles(run_dot(text, "svg").decode("utf-8"), titles)
