"""The chain-rule table, as the lecture slides lay it out, as a rich renderable.

Arrays: a 'shape' column appears when any node is an array; values and gradients
print compactly (matrix rows aligned, long axes elided with a count).  For array
gates the 'local' column shows the rule that turns the upstream g into each
downstream (the vector-Jacobian product, e.g. 'W: g @ xᵀ'): the Jacobian itself is
never built.  ``--jacobian`` adds the explicit local Jacobians under the table.
"""

from __future__ import annotations

from typing import Any, cast

from rich.console import Group, JustifyMethod
from rich.table import Table
from rich.text import Text

from ..display import DEFAULT_PRECISION, fmt, shape_text
from ..result import NodeRecord, Result

BIG = 36  # larger arrays show their first and last two rows and columns (the shape column has the size)


def _fmt(v: Any, p: int) -> str:
    if type(v) is float:
        return fmt(v, p)
    import numpy as np

    big = np.size(v) > BIG
    return fmt(v, p, max_items=3 if big else 6, shape_note=False)


HEADERS = ("node", "gate", "inputs", "value", "role", "local", "upstream", "downstream")


def _block(text: str) -> str | Text:
    """A multi-line number (a matrix) as a left-aligned block, even in a right-aligned
    column: its rows then keep their columns lined up."""
    if "\n" not in text:
        return text
    return Text(text, justify="left")


def _labelled(name: str, text: str) -> str:
    """'x: 3', or for a multi-line array 'W:' and the array on the lines below."""
    return f"{name}:\n{text}" if "\n" in text else f"{name}: {text}"


def _pairs(node: NodeRecord, nodes: dict[str, NodeRecord], values: list[Any] | None, p: int) -> str:
    if values is None:
        if node.vjp is not None:
            return "\n".join(
                f"{name}: {rule}" for name, rule in zip(node.inputs, node.vjp) if not nodes[name].is_const
            )
        return ""
    shown = [(name, v) for name, v in zip(node.inputs, values) if not nodes[name].is_const]
    if not shown:
        shown = list(zip(node.inputs, values))
    texts = [_labelled(name, _fmt(v, p)) for name, v in shown]
    sep = "\n" if any(type(v) is not float for _, v in shown) else ", "
    return sep.join(texts)


def _upstream(node: NodeRecord, p: int) -> str | Text:
    total = _fmt(node.grad, p)
    if node.grad_parts:
        if "\n" in total or node.shape:
            total += "\n(sum of the parts from " + ", ".join(c for c, _ in node.grad_parts) + ")"
        else:
            total += " = " + " + ".join(_fmt(v, p) for _, v in node.grad_parts)
    return _block(total)


def build_table(result: Result, precision: int = DEFAULT_PRECISION) -> Table:
    p = precision
    by_id = {n.id: n for n in result.nodes}
    arrays = any(n.shape for n in result.nodes if not n.is_const)
    headers = HEADERS[:3] + ("shape",) + HEADERS[3:] if arrays else HEADERS
    table = Table(title=_title(result), title_justify="center", header_style="bold")
    for h in headers:
        justify = "right" if h in ("value", "upstream") else "left"
        # with arrays the VJP rules in 'local' wrap, leaving the width to the numbers
        max_width = 24 if arrays and h == "local" else None
        table.add_column(
            h,
            justify=cast("JustifyMethod", justify),
            no_wrap=h in ("node", "gate", "shape"),
            max_width=max_width,
        )
    for n in result.nodes:
        if n.is_const:
            continue
        gate = n.op if n.expanded_from is None else f"{n.op} ({n.expanded_from})"
        role = n.role or ""
        if n.flags:
            role = (role + " " if role else "") + "⚠ " + ", ".join(n.flags)
        style = "bold" if n.id == result.output else None
        cells: list[Any] = [n.id, gate, ", ".join(n.inputs)]
        if arrays:
            cells.append(shape_text(n.shape))
        cells += [
            _block(_fmt(n.value, p)),
            Text(role, style="yellow" if n.flags else ""),
            _pairs(n, by_id, n.local, p),
            _upstream(n, p),
            _pairs(n, by_id, n.downstream, p),
        ]
        table.add_row(*cells, style=style)
    return table


def _title(result: Result) -> str:
    src = result.expression.strip()
    if "\n" in src or ";" in src or "=" in src:
        return src.replace("\n", "; ")
    return f"{result.output} = {src}"


def legend(result: Result) -> list[str]:
    """Generated names mapped back to the source text they stand for."""
    lines = []
    for n in result.nodes:
        if n.op in ("input", "const") or n.id == result.output:
            continue
        if n.id.startswith("n") and n.id[1:].isdigit():
            same = n.formula.replace(" ", "") == n.text.replace(" ", "")
            lines.append(f"{n.id} = {n.text}" + ("" if same else f"  ({n.formula})"))
    return lines


def _hanging(prefix: str, text: str) -> str:
    return prefix + text.replace("\n", "\n" + " " * len(prefix))


def summary(result: Result, precision: int = DEFAULT_PRECISION) -> str:
    parts = [f"{result.output} = {fmt(result.value, precision)}"]
    for name, g in result.gradients.items():
        parts.append(_hanging(f"∂{result.output}/∂{name} = ", fmt(g, precision)))
    if any("\n" in part for part in parts) or any(type(g) is not float for g in result.gradients.values()):
        return "\n".join(parts)
    return "    ".join(parts)


def jacobian_lines(result: Result, precision: int = DEFAULT_PRECISION) -> list[str]:
    """The explicit local Jacobians (with --jacobian): rows are the gate's output elements,
    columns the input's elements, both in row-major order."""
    lines: list[str] = []
    for n in result.nodes:
        for jac in n.jacobian or []:
            rows, cols = jac["shape"]
            head = f"∂{n.id}/∂{jac['input']} ({rows}×{cols})"
            if jac["value"] is None:
                lines.append(f"{head}: not shown: {jac['omitted']}")
            else:
                lines.append(_hanging(head + " = ", fmt(_as_matrix(jac["value"]), precision)))
    return lines


def _as_matrix(v: Any) -> Any:
    import numpy as np

    return np.asarray(v, dtype=float).reshape(np.shape(v))


def render(result: Result, precision: int = DEFAULT_PRECISION) -> Group:
    items: list[Any] = [build_table(result, precision)]
    leg = legend(result)
    if leg:
        items.append(Text("where " + ";  ".join(leg), style="dim"))
    items.append(Text(summary(result, precision), style="bold"))
    jac = jacobian_lines(result, precision)
    if jac:
        items.append(
            Text(
                "local Jacobians (rows: the gate's output elements, columns: the input's "
                "elements, row-major):",
                style="bold",
            )
        )
        items.extend(Text(line) for line in jac)
    for note in result.notes:
        items.append(Text("note: " + note, style="yellow"))
    return Group(*items)
