"""Step-by-step playback of the narration: one gate at a time, forward then backward.

:func:`frames` pairs every numbered step of the explanation (:mod:`backcalc.explanation`)
with the node it is about; :func:`drawing` is a small text drawing of the graph, gates in
columns by depth, each gate showing the wires coming into it, with what the pass knows so far
at that frame (values in the forward pass, gradients in the backward pass) and the current
gate highlighted.  The terminal loop lives in the CLI; the HTML page in
:mod:`backcalc.render.steps_html`.  Nothing here computes: every number is the Result's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .display import DEFAULT_PRECISION, one_line
from .explanation import Explanation, Step, _hanging, say
from .result import NodeRecord, Result

MAX_DRAWN = 30  # nodes drawn whole; a larger graph draws the current gate and its inputs


@dataclass
class Frame:
    """One step of the playback: the pass, the node, and the explanation's step for it."""

    number: int
    phase: str  # "forward" | "backward"
    node: str
    step: Step
    done: list[str]  # nodes whose number (value or gradient) is known at this frame, in order
    inputs: list[str]  # the wires lit with it: the gate's inputs


def frames(ex: Explanation) -> list[Frame]:
    result = ex.result
    gates = [n for n in result.nodes if n.op not in ("input", "const")]
    by_id = {n.id: n for n in result.nodes}
    inputs = [n.id for n in result.nodes if n.op == "input"]
    out: list[Frame] = []
    known = list(inputs)
    for sec in ex.sections:
        numbered = [st for st in sec.steps if st.number is not None]
        if sec.key == "forward.heading":
            for st, n in zip(numbered, gates):
                known.append(n.id)
                out.append(Frame(st.number or 0, "forward", n.id, st, list(known), _real(n, by_id)))
        elif sec.key == "backward.heading":
            grads: list[str] = []
            order = [result.output] + [n.id for n in reversed(gates)]
            for st, node in zip(numbered, order):
                n = by_id[node]
                if node == result.output and not grads:
                    grads.append(node)
                    out.append(Frame(st.number or 0, "backward", node, st, list(grads), []))
                    continue
                for i in _real(n, by_id):
                    if i not in grads:
                        grads.append(i)
                out.append(Frame(st.number or 0, "backward", node, st, list(grads), _real(n, by_id)))
    return out


def _real(n: NodeRecord, by_id: dict[str, NodeRecord]) -> list[str]:
    return [i for i in dict.fromkeys(n.inputs) if not by_id[i].is_const]


def depths(result: Result) -> dict[str, int]:
    """Each node's column: inputs 0, a gate one right of its deepest input."""
    d: dict[str, int] = {}
    for n in result.nodes:
        if n.is_const:
            continue
        ins = [d[i] for i in n.inputs if i in d]
        d[n.id] = 0 if n.op == "input" else 1 + max(ins, default=0)
    return d


def _symbol(n: NodeRecord, by_id: dict[str, NodeRecord]) -> str:
    from .render.dot import gate_symbol

    return gate_symbol(n, by_id)


def cells(
    result: Result, frame: Frame | None, precision: int = DEFAULT_PRECISION
) -> list[list[list[tuple[str, str]]]]:
    """The drawing as columns of node cells, each cell its lines as (text, style): the gate with
    its incoming wires and its value, and in the backward pass its gradient (red) below."""
    by_id = {n.id: n for n in result.nodes}
    col = depths(result)
    ncols = max(col.values(), default=0) + 1
    columns: list[list[list[tuple[str, str]]]] = [[] for _ in range(ncols)]
    done = set(frame.done) if frame is not None else {n.id for n in result.nodes}
    phase = frame.phase if frame is not None else "backward"
    out = result.output
    shown = None
    if frame is not None and len(col) > MAX_DRAWN:  # a big graph: the current gate and its wires only
        shown = {frame.node, *frame.inputs}
    for n in result.nodes:
        if n.is_const or (shown is not None and n.id not in shown):
            continue
        known = n.op == "input" or phase == "backward" or n.id in done
        value = one_line(n.value, precision) if known else "?"
        text = (
            n.id if n.op == "input" else f"{', '.join(_real(n, by_id)) or '·'} ─[{_symbol(n, by_id)}]→ {n.id}"
        )
        if frame is not None and n.id == frame.node:
            style = "reverse bold"  # the current gate
        elif frame is not None and n.id in frame.inputs:
            style = "bold"  # the wires it reads (forward) or sends to (backward)
        elif frame is not None and n.id not in done and phase == "forward":
            style = "dim"  # not reached yet
        else:
            style = ""
        lines = [(f"{text} = {value}", style)]
        if phase == "backward":
            g = one_line(n.grad, precision) if n.id in done else "?"
            pad = " " * (len(text) - len(n.id)) if n.op != "input" else ""
            lines.append(
                (
                    f"{pad}∂{out}/∂{n.id} = {g}",
                    "red"
                    + (
                        " bold"
                        if n.id in (frame.inputs if frame else []) or (frame and n.id == frame.node)
                        else ""
                    )
                    if n.id in done
                    else "dim",
                )
            )
        columns[col[n.id]].append(lines)
    return columns


def draw(result: Result, frame: Frame | None, precision: int = DEFAULT_PRECISION, width: int = 80) -> Any:
    """The drawing as a rich Text: columns side by side (one under another when they do not fit
    in ``width``), the current gate in reverse video."""
    from rich.text import Text

    columns = [[line for cell in c for line in cell] for c in cells(result, frame, precision) if c]
    widths = [max((len(t) for t, _ in c), default=0) for c in columns]
    if sum(widths) + 3 * (len(widths) - 1) > width:  # too wide: one column after another
        columns = [[line for c in columns for line in c]]
        widths = [max(widths, default=0)]
    height = max((len(c) for c in columns), default=0)
    text = Text()
    for r in range(height):
        row = Text()
        for k, c in enumerate(columns):
            if r < len(c):
                t, style = c[r]
                row.append(t, style=style or None)
                pad = widths[k] - len(t)
            else:
                pad = widths[k]
            if k < len(columns) - 1:
                row.append(" " * (pad + 3))
        row.rstrip()
        text.append_text(row)
        if r < height - 1:
            text.append("\n")
    return text


def frame_text(ex: Explanation, frame: Frame, k: int, total: int, width: int = 80) -> list[Any]:
    """What one frame shows: its heading, the drawing, the step's sentences."""
    from rich.text import Text

    m = ex.messages
    key = "steps.forward" if frame.phase == "forward" else "steps.backward"
    items: list[Any] = [Text(m(key, k=k, total=total, node=frame.node), style="bold")]
    items.append(draw(ex.result, frame, ex.precision, width))
    prefix = f"{frame.number}. "
    items.append(_hanging(prefix, [Text(say(m, frame.step.head), style="bold yellow")], len(prefix)))
    lines = [Text(say(m, ln), style="dim" if ln.key.startswith("why.") else "") for ln in frame.step.lines]
    if lines:
        items.append(_hanging("", lines, len(prefix)))
    return items


def sentences(ex: Explanation, frame: Frame) -> list[str]:
    m = ex.messages
    return [say(m, frame.step.head)] + [say(m, ln) for ln in frame.step.lines]


__all__ = ["Frame", "frames", "cells", "draw", "frame_text", "sentences"]
