"""Graph -> expression text that parses back to the same graph: the tests' pretty-printer.

It is the oracle of the parser's round-trip property tests (print, parse, compare), and
nothing a user runs needs it, so it lives with the tests.  Operators are written with
``backcalc.syntax``'s symbols and binding strengths (the table the parser reads), with the
fewest parentheses that keep the meaning.  A gate
used by more than one consumer, or named by the user, becomes its own statement
(``n1 = x + y; f = n1 * n1``) so that printing never duplicates a shared node.
One loop in topological order: no recursion.
"""

from __future__ import annotations

from backcalc.engine import CONST, GATE, INPUT, Graph
from backcalc.syntax import ATOM_PREC, PRINTED, UNARY_PREC

_ATOM = ATOM_PREC


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
        o = PRINTED.get(op.name)
        if o is not None and len(a) == (1 if o.op in ("neg", "pos") else 2):
            if len(a) == 2:
                left_need = o.prec + (1 if o.right else 0)
                right_need = o.prec + (0 if o.right else 1)
                if o.right:
                    # the base binds tighter than unary minus: (-x) ** 2 keeps its parentheses
                    left_need = o.prec + 1
                    right_need = UNARY_PREC  # an exponent may be a unary expression: x ** -y
                lt = _wrap(texts[a[0]], precs[a[0]], left_need)
                rt = _wrap(texts[a[1]], precs[a[1]], right_need)
                text = f"{lt} {o.symbol} {rt}"
            else:
                sym = o.symbol
                text = sym + _wrap(texts[a[0]], precs[a[0]], o.prec)
                if (
                    text.startswith("--")
                    or text.startswith("+-")
                    or text.startswith("-+")
                    or text.startswith("++")
                ):
                    text = sym + "(" + texts[a[0]] + ")"
            prec = o.prec
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
