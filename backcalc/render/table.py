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

from ..display import DEFAULT_PRECISION, fmt
from ..result import Result
from . import chain


def _block(text: str) -> str | Text:
    """A multi-line number (a matrix) as a left-aligned block, even in a right-aligned
    column: its rows then keep their columns lined up."""
    if "\n" not in text:
        return text
    return Text(text, justify="left")


def build_table(result: Result, precision: int = DEFAULT_PRECISION) -> Table:
    rows = chain.rows(result)
    arrays = chain.has_arrays(rows)
    headers = chain.COLUMNS[:3] + ("shape",) + chain.COLUMNS[3:] if arrays else chain.COLUMNS
    table = Table(title=_title(result), title_justify="center", header_style="bold")
    for h in headers:
        justify = "right" if h in chain.NUMERIC else "left"
        # with arrays the VJP rules in 'local' wrap, leaving the width to the numbers
        max_width = 24 if arrays and h == "local" else None
        table.add_column(
            h,
            justify=cast("JustifyMethod", justify),
            no_wrap=h in ("node", "gate", "shape"),
            max_width=max_width,
        )
    for r in rows:
        c = chain.cells(r, precision, block=True)
        cells: list[Any] = []
        for h in headers:
            if h in ("value", "upstream"):
                cells.append(_block(c[h]))
            elif h == "role":
                cells.append(Text(c[h], style="yellow" if r.flags else ""))
            else:
                cells.append(c[h])
        table.add_row(*cells, style="bold" if r.output else None)
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
