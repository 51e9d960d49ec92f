"""Graph -> expression text that parses back to the same graph (the pretty-printer).

Gates are written with the op table's printed forms (``Op.plain``) and binding
strengths (``Op.prec``), with the fewest parentheses that keep the meaning.  A gate
used by more than one consumer, or named by the user, becomes its own statement
(``n1 = x + y; f = n1 * n1``) so that printing never duplicates a shared node.
One loop in topological order: no recursion.
"""

from __future__ import annotations

from .graph import CONST, GATE, INPUT, Graph

_ATOM = 1000  # binding strength of names, numbers and calls
_RIGHT_ASSOC = {"pow"}


def _wrap(text: str, prec: int, need: int) -> str:
    return f"({text})" if prec < need else text


def to_source(g: Graph) -> str:
    n = len(g.kinds)
    uses = [0] * n
    for a in g.args:
        for j in a:
            uses[j] += 1
    texts: list[str] = [""] * n
    precs: list[int] = [_ATOM] * n
    statements: list[str] = []
    for i in range(n):
        kind = g.kinds[i]
        if kind == INPUT:
            texts[i] = g.names[i]
            continue
        if kind == CONST:
            text = g.names[i]  # the literal as written (or pi, e)
            texts[i] = f"({text})" if text.startswith("-") else text
            continue
        op = g.ops[i]
        assert op is not None and kind == GATE
        a = g.args[i]
        if op.symbol and not op.callable or op.name == "pow":
            if len(a) == 2:
                left_need = op.prec + (1 if op.name in _RIGHT_ASSOC else 0)
                right_need = op.prec + (0 if op.name in _RIGHT_ASSOC else 1)
                if op.name == "pow":
                    # the base binds tighter than unary minus: (-x) ** 2 keeps its parentheses
                    left_need = op.prec + 1
                    right_need = 30  # an exponent may be a unary expression: x ** -y
                lt = _wrap(texts[a[0]], precs[a[0]], left_need)
                rt = _wrap(texts[a[1]], precs[a[1]], right_need)
                text = f"{lt} {op.symbol} {rt}"
            else:
                sym = op.symbol or ""
                text = sym + _wrap(texts[a[0]], precs[a[0]], op.prec)
                if (
                    text.startswith("--")
                    or text.startswith("+-")
                    or text.startswith("-+")
                    or text.startswith("++")
                ):
                    text = sym + "(" + texts[a[0]] + ")"
            prec = op.prec
        else:
            text = f"{op.name}({', '.join(texts[j] for j in a)})"
            prec = _ATOM
        if i != g.output and (uses[i] > 1 or i in g.named):
            statements.append(f"{g.names[i]} = {text}")
            texts[i], precs[i] = g.names[i], _ATOM
        else:
            texts[i], precs[i] = text, prec
    out = g.output
    if g.kinds[out] == GATE and out in g.named:
        statements.append(f"{g.names[out]} = {texts[out]}")
    else:
        statements.append(texts[out])
    return "; ".join(statements)
