"""The chain-rule table's rows and cells, computed once from a Result: every table reads them.

The terminal table (render/table.py), the explanation's table and the markdown, LaTeX and
HTML write-ups all build their rows here, so they cannot disagree: an array gate's ``local``
is its vector-Jacobian rule (``W: g @ xᵀ``) in every one of them.  Two layouts: ``block``
cells keep a matrix on several lines (a terminal), the others are one line (documents).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..display import DEFAULT_PRECISION, fmt_cell, one_line, shape_text
from ..result import NodeRecord, Result
from ..roles import plain

if TYPE_CHECKING:  # the catalogues load only when a table is localized
    from ..i18n import Messages

COLUMNS = ("node", "gate", "inputs", "value", "role", "local", "upstream", "downstream")
NUMERIC = ("value", "upstream")  # right-aligned columns
VALUE, UPSTREAM = COLUMNS.index("value"), COLUMNS.index("upstream")  # their positions


@dataclass(slots=True)
class Entry:
    """One input's part of a 'local' or 'downstream' cell: a number, or a VJP rule's text."""

    input: str
    value: Any
    rule: bool = False


@dataclass(slots=True)
class Row:
    """One node of the table (constants have none)."""

    node: str
    op: str  # "input" or the op's name
    expanded_from: str | None
    inputs: list[str]
    shape: tuple[int, ...]
    value: Any
    role: str | None
    flags: list[str]
    local: list[Entry]
    upstream: Any
    parts: list[tuple[str, Any]]  # branch sum: (consumer, contribution) when summed from several
    downstream: list[Entry]
    output: bool


def _entries(n: NodeRecord, const: frozenset[str] | set[str], values: list[Any] | None) -> list[Entry]:
    """Per non-constant input (all inputs when every one is a constant)."""
    if values is None:
        return []
    # (None: no gradient goes back to that input, as to a network's data and targets)
    out = [Entry(i, v) for i, v in zip(n.inputs, values) if i not in const and v is not None]
    return out or [Entry(i, v) for i, v in zip(n.inputs, values)]


def rows(result: Result) -> list[Row]:
    return list(iter_rows(result))


def iter_rows(result: Result) -> Iterator[Row]:
    """The rows one at a time (a large table need not hold them all)."""
    const = result.outline().constants
    for n in result.nodes:
        if n.is_const:
            continue
        if n.local is None and n.vjp is not None:  # an array gate: the rule, not a Jacobian
            local = [Entry(i, r, rule=True) for i, r in zip(n.inputs, n.vjp) if i not in const]
        else:
            local = _entries(n, const, n.local)
        yield (
            Row(
                node=n.id,
                op=n.op,
                expanded_from=n.expanded_from,
                inputs=list(n.inputs),
                shape=n.shape,
                value=n.value,
                role=n.role,
                flags=list(n.flags),
                local=local,
                upstream=n.grad,
                parts=list(n.grad_parts),
                downstream=_entries(n, const, n.downstream),
                output=n.id == result.output,
            )
        )


def has_arrays(table: list[Row]) -> bool:
    return any(r.shape for r in table)


# --- cells as text -------------------------------------------------------------


def _number(v: Any, p: int, block: bool) -> str:
    return fmt_cell(v, p) if block else one_line(v, p)


def gate_cell(r: Row, m: Messages | None = None, name_input: bool = False) -> str:
    """The op's identifier ('input' for an input), or with ``m`` its name in that language
    (an input blank, it is no gate, unless ``name_input``: the terminal names it, '입력');
    an expanded gate names the gate it came from."""
    if r.expanded_from is None:
        origin = ""
    else:
        origin = f" ({r.expanded_from if m is None else m.op_name(r.expanded_from)})"
    if m is None:
        return r.op + origin
    return ("" if r.op == "input" and not name_input else m.op_name(r.op)) + origin


def role_cell(r: Row, m: Messages | None = None) -> str:
    role = "" if not r.role else plain(r.role) if m is None else m.role_name(r.role)
    if r.flags:
        role = (role + " " if role else "") + "⚠ " + ", ".join(r.flags)
    return role


def entries_cell(entries: list[Entry], p: int, block: bool = False) -> str:
    """'x: -4, y: 3'; a block puts each input (a multi-line array: 'W:' then the array) on its own line."""
    if any(e.rule for e in entries):
        return ("\n" if block else ", ").join(f"{e.input}: {e.value}" for e in entries)
    texts = []
    for e in entries:
        text = _number(e.value, p, block)
        texts.append(f"{e.input}:\n{text}" if "\n" in text else f"{e.input}: {text}")
    sep = "\n" if block and any(type(e.value) is not float for e in entries) else ", "
    return sep.join(texts)


def upstream_cell(r: Row, p: int, block: bool = False, m: Messages | None = None) -> str:
    """The upstream gradient; at a branch point the sum of its parts (in a block, an array's
    parts are named rather than written out)."""
    if r.upstream is None:  # data: no gradient
        return ""
    total = _number(r.upstream, p, block)
    if r.parts:
        if block and (r.shape or "\n" in total):
            consumers = ", ".join(c for c, _ in r.parts)
            if m is None:
                from ..i18n import Messages

                m = Messages("en")
            note = m("table.parts", consumers=consumers)
            total += ("\n" if block else " ") + note
        else:
            total += " = " + " + ".join(_number(v, p, block) for _, v in r.parts)
    return total


def cells(r: Row, p: int, m: Messages | None = None, block: bool = False) -> dict[str, str]:
    """Every column's text for one row (and 'shape')."""
    return {
        "node": r.node,
        "gate": gate_cell(r, m, name_input=block),
        "inputs": ", ".join(r.inputs),
        "shape": shape_text(r.shape),
        "value": _number(r.value, p, block),
        "role": role_cell(r, m),
        "local": entries_cell(r.local, p, block),
        "upstream": upstream_cell(r, p, block, m),
        "downstream": entries_cell(r.downstream, p, block),
    }


EDGE_COLUMNS = ("node", "gate", "value", "upstream", "role", "input", "local", "downstream")


def edge_cells(r: Row, p: int, m: Messages | None = None, role: str | None = None) -> list[dict[str, str]]:
    """The row as one line per edge (input): node, gate, value, upstream and role on the first,
    then each input with its local gradient and the downstream gradient sent to it, so every
    cell holds one number (a narrow terminal's layout).  ``role`` replaces the role's text."""
    first = {
        "node": r.node,
        "gate": gate_cell(r, m, name_input=True),
        "shape": shape_text(r.shape),
        "value": _number(r.value, p, True),
        "role": role_cell(r, m) if role is None else role,
        "upstream": upstream_cell(r, p, True, m),
    }
    local = {e.input: e for e in r.local}
    down = {e.input: e for e in r.downstream}
    names = [e.input for e in (r.local or r.downstream)]
    out = []
    for k, name in enumerate(names or [""]):
        row = dict(first) if k == 0 else dict.fromkeys(first, "")
        e, d = local.get(name), down.get(name)
        row["input"] = name
        row["local"] = "" if e is None else str(e.value) if e.rule else _number(e.value, p, True)
        row["downstream"] = "" if d is None else _number(d.value, p, True)
        out.append(row)
    return out


def text_table(
    result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION
) -> tuple[list[str], list[list[str]]]:
    """The table as localized headers and rows of one-line text (the write-ups' table)."""
    from ..i18n import Messages

    m = Messages(lang)
    headers = [m("col." + c) for c in COLUMNS]
    body = []
    for r in rows(result):
        c = cells(r, precision, m)
        body.append([c[k] for k in COLUMNS])
    return headers, body


__all__ = ["COLUMNS", "Entry", "Row", "rows", "iter_rows", "cells", "text_table", "has_arrays"]
