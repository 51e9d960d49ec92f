"""The chain rule written out for the symbolic record, in plain text and LaTeX.

Scalars: for each input, the product of the gates' local gradients along every path from
the output down to it (``∂f/∂n1 · ∂n1/∂x = z · 1``), or one step of the sum when there are
many paths.  Arrays: the backprop steps, each node's upstream made from its consumers' VJP
rules (the op table's ``vjp_text``), with the upstreams as formulas.
"""

from __future__ import annotations

import re
from typing import Any

from .engine import CONST, GATE, Graph
from .limits import MAX_CHAIN_FACTORS, MAX_PATHS, MAX_STEP_TEXT, MAX_STEPS


def _sp() -> Any:
    import sympy

    return sympy


def _partial(a: str, b: str) -> str:
    return f"∂{a}/∂{b}"


def _partial_latex(a: str, b: str) -> str:
    return rf"\frac{{\partial {_latex_name(a)}}}{{\partial {_latex_name(b)}}}"


def _latex_name(name: str) -> str:
    return _sp().latex(_sp().Symbol(name))


def _factor(sp: Any, e: Any, latex: bool = False) -> str:
    s = sp.latex(e) if latex else sp.sstr(e)
    if isinstance(e, sp.Add) or s.startswith("-"):
        return rf"\left({s}\right)" if latex else f"({s})"
    return s


def _is_arr(x: Any) -> bool:
    return type(x).__name__ == "ndarray"


def _text(sp: Any, v: Any) -> str:
    """A formula, or an array of formulas as nested brackets: [[a, b], [c, d]]."""
    import json

    if not _is_arr(v):
        return sp.sstr(v)
    return json.dumps(_strings(sp, v), ensure_ascii=False).replace('"', "")


def _strings(sp: Any, v: Any) -> Any:
    if not _is_arr(v):
        return sp.sstr(v)
    import numpy as np

    return np.frompyfunc(sp.sstr, 1, 1)(v).tolist()


def _latex(sp: Any, v: Any) -> str:
    if not _is_arr(v):
        return sp.latex(v)
    if v.ndim <= 2:
        return sp.latex(sp.Matrix(v.tolist()))
    return sp.latex(sp.Array(v.tolist()))


def _consumers(g: Graph) -> list[list[tuple[int, int]]]:
    consumers: list[list[tuple[int, int]]] = [[] for _ in g.kinds]
    for i, a in enumerate(g.args):
        for k, j in enumerate(a):
            if g.kinds[j] != CONST:
                consumers[j].append((i, k))
    return consumers


def _chains(g: Graph, sp: Any, local: list) -> dict[str, dict]:
    """For each input, the chain rule written node by node: the product of local derivatives along
    every path from the output down to the input (or, with many paths, one step of the sum)."""
    n = len(g.kinds)
    names = g.names
    out = g.output
    consumers = _consumers(g)
    paths = [0] * n  # paths from each node up to the output (reverse topological order)
    paths[out] = 1
    for i in range(n - 1, -1, -1):
        if g.kinds[i] != GATE or paths[i] == 0:
            continue
        for j in g.args[i]:
            if g.kinds[j] != CONST:
                paths[j] += paths[i]

    def loc(c: int, k: int) -> Any:
        row = local[c]
        return sp.Integer(0) if row is None else row[k]

    chains: dict[str, dict] = {}
    fname = names[out]
    for name, x in g.inputs.items():
        if paths[x] == 0:
            chains[name] = {"chain": "0", "chain_latex": "0", "chain_locals": "0", "paths": 0}
            continue
        found: list[list[tuple[int, int]]] = []
        if paths[x] <= MAX_PATHS:
            stack: list[tuple[int, list[tuple[int, int]]]] = [(x, [])]
            factors = 0
            while stack and factors <= MAX_CHAIN_FACTORS:
                node, path = stack.pop()
                if node == out:
                    found.append(path)
                    factors += len(path)
                    continue
                for c, k in consumers[node]:
                    stack.append((c, path + [(c, k)]))
            if factors > MAX_CHAIN_FACTORS:
                found = []
        if found:
            found.sort(key=lambda p: [c for c, _ in p])
            terms, terms_latex, terms_locals, terms_locals_latex = [], [], [], []
            for path in found:
                steps = list(reversed(path))  # from the output down to x
                below = [g.args[c][k] for c, k in steps]
                terms.append(" · ".join(_partial(names[c], names[b]) for (c, _), b in zip(steps, below)))
                terms_latex.append(
                    r" \cdot ".join(_partial_latex(names[c], names[b]) for (c, _), b in zip(steps, below))
                )
                locs = [loc(c, k) for c, k in steps]
                terms_locals.append(" · ".join(_factor(sp, e) for e in locs))
                terms_locals_latex.append(r" \cdot ".join(_factor(sp, e, True) for e in locs))
            chains[name] = {
                "chain": " + ".join(terms),
                "chain_latex": " + ".join(terms_latex),
                "chain_locals": " + ".join(terms_locals),
                "chain_locals_latex": " + ".join(terms_locals_latex),
                "paths": len(found),
                "chain_form": "paths",
            }
        else:
            cs = sorted(consumers[x])

            def up(c: int, latex: bool = False) -> str:
                if c == out:
                    return ""
                return (
                    (_partial_latex(fname, names[c]) + r" \cdot ")
                    if latex
                    else f"{_partial(fname, names[c])} · "
                )

            chains[name] = {
                "chain": " + ".join(f"{up(c)}{_partial(names[c], name)}" for c, _ in cs),
                "chain_latex": " + ".join(f"{up(c, True)}{_partial_latex(names[c], name)}" for c, _ in cs),
                "chain_locals": " + ".join(f"{up(c)}{_factor(sp, loc(c, k))}" for c, k in cs),
                "chain_locals_latex": " + ".join(
                    f"{up(c, True)}{_factor(sp, loc(c, k), True)}" for c, k in cs
                ),
                "paths": paths[x],
                "chain_form": "one step",  # upstream of each consumer x local, summed
            }
    return chains


def _rule_text(op: Any, k: int, names: list[str], node: str, up: str) -> str:
    texts = op.vjp_text
    t = texts[k] if isinstance(texts, tuple) else texts
    t = re.sub(r"\bg\b", lambda m: up, t)
    t = re.sub(r"\bout\b", lambda m: node, t)
    return t.replace("{i}", f"{{{k}}}").format(*names)


def rule_latex(text: str) -> str:
    """A VJP rule's text (``∂f/∂n1 @ xᵀ``) as LaTeX."""
    t = re.sub(r"[A-Za-z]+(?: [A-Za-z]+)+", lambda m: rf"\text{{ {m.group(0)}}}", text)
    t = re.sub(r"∂([^/\s]+)/∂([^\s·*@()\[\],;]+)", lambda m: _partial_latex(m.group(1), m.group(2)), t)
    for a, b in (("ᵀ", r"^{\top}"), ("·", r" \cdot "), ("*", r" \cdot "), ("@", " "), ("²", "^{2}")):
        t = t.replace(a, b)
    return t


def _steps(g: Graph, sp: Any, adj: list, x: int) -> dict:
    """The chain rule for an input in an array graph, as the backprop steps from the output down
    to it: each node's upstream made from its consumers' VJP rules (the op table's ``vjp_text``),
    and, in ``chain_locals``, each upstream as formulas."""
    names = g.names
    out = g.output
    fname = names[out]
    n = len(g.kinds)
    reach = [False] * n
    reach[x] = True
    for i in range(x + 1, n):
        op = g.ops[i]
        if op is not None:
            reach[i] = any(reach[j] for k, j in enumerate(g.args[i]) if k not in op.const_args)
    on = [reach[i] and adj[i] is not None for i in range(n)]
    if not on[out]:
        return {"chain": "0", "chain_latex": "0", "chain_locals": "0", "chain_locals_latex": "0", "paths": 0}
    consumers: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for i in range(n):
        op = g.ops[i]
        if op is None or not on[i]:
            continue
        for k, j in enumerate(g.args[i]):
            if on[j] and k not in op.const_args:
                consumers[j].append((i, k))
    nodes = [i for i in range(n - 1, -1, -1) if on[i] and i != out]
    form = "steps"
    if len(nodes) > MAX_STEPS:
        nodes, form = [x], "one step"

    def up(c: int) -> str:
        return "1" if c == out else _partial(fname, names[c])

    lines, lines_latex, locs, locs_latex = [], [], [], []
    for v in nodes:
        rhs = " + ".join(
            _rule_text(op, k, [names[j] for j in g.args[c]], names[c], up(c))
            for c, k in consumers[v]
            if (op := g.ops[c]) is not None
        )
        lines.append(f"{_partial(fname, names[v])} = {rhs}")
        lines_latex.append(f"{_partial_latex(fname, names[v])} = {rule_latex(rhs)}")
        if v != x:
            txt = _text(sp, adj[v])
            if len(txt) > MAX_STEP_TEXT:
                txt = txt[:MAX_STEP_TEXT] + "…"
            locs.append(f"{_partial(fname, names[v])} = {txt}")
            locs_latex.append(f"{_partial_latex(fname, names[v])} = {_latex(sp, adj[v])}")
    return {
        "chain": "; ".join(lines),
        "chain_latex": r" \\ ".join(lines_latex),
        "chain_locals": "; ".join(locs) if locs else lines[-1],
        "chain_locals_latex": r" \\ ".join(locs_latex) if locs_latex else lines_latex[-1],
        "chain_form": form,
        "steps": len(nodes),
    }
