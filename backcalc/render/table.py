"""The chain-rule table, as the lecture slides lay it out, as a rich renderable."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..result import NodeRecord, Result
from .numbers import DEFAULT_PRECISION, fmt

HEADERS = ("node", "gate", "inputs", "value", "role", "local", "upstream", "downstream")


def _pairs(node: NodeRecord, nodes: dict[str, NodeRecord], values: list[Any] | None, p: int) -> str:
    if values is None:
        return "(arrays)" if node.op not in ("input", "const") else ""
    shown = [(name, v) for name, v in zip(node.inputs, values) if not nodes[name].is_const]
    if not shown:
        shown = list(zip(node.inputs, values))
    return ", ".join(f"{name}: {fmt(v, p)}" for name, v in shown)


def _upstream(node: NodeRecord, p: int) -> str:
    total = fmt(node.grad, p)
    if node.grad_parts:
        return total + " = " + " + ".join(fmt(v, p) for _, v in node.grad_parts)
    return total


def build_table(result: Result, precision: int = DEFAULT_PRECISION) -> Table:
    p = precision
    by_id = {n.id: n for n in result.nodes}
    table = Table(title=_title(result), title_justify="center", header_style="bold")
    for h in HEADERS:
        justify = "right" if h in ("value", "upstream") else "left"
        table.add_column(h, justify=justify, no_wrap=h in ("node", "gate"))
    for n in result.nodes:
        if n.is_const:
            continue
        gate = n.op if n.expanded_from is None else f"{n.op} ({n.expanded_from})"
        role = n.role or ""
        if n.flags:
            role = (role + " " if role else "") + "⚠ " + ", ".join(n.flags)
        style = "bold" if n.id == result.output else None
        table.add_row(
            n.id, gate, ", ".join(n.inputs), fmt(n.value, p), Text(role, style="yellow" if n.flags else ""),
            _pairs(n, by_id, n.local, p), _upstream(n, p), _pairs(n, by_id, n.downstream, p),
            style=style,
        )
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


def summary(result: Result, precision: int = DEFAULT_PRECISION) -> str:
    parts = [f"{result.output} = {fmt(result.value, precision)}"]
    for name, g in result.gradients.items():
        parts.append(f"∂{result.output}/∂{name} = {fmt(g, precision)}")
    return "    ".join(parts)


def render(result: Result, precision: int = DEFAULT_PRECISION) -> Group:
    items: list[Any] = [build_table(result, precision)]
    leg = legend(result)
    if leg:
        items.append(Text("where " + ";  ".join(leg), style="dim"))
    items.append(Text(summary(result, precision), style="bold"))
    for note in result.notes:
        items.append(Text("note: " + note, style="yellow"))
    return Group(*items)
