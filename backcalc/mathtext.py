"""Formulas and numbers written twice, as plain text and as LaTeX, for the narration.

:class:`Math` carries both forms; the helpers build them for a node's name, a gate over its
inputs (from the op table's printed forms), sums and products, and a value.  The one
derivation, purely for display, is the *formula* of a local gradient (``∂n7/∂n6 = 1``), which
SymPy differentiates from the op table's ``sympy`` entry; when that fails, a step shows the
number alone.  Nothing here computes a gradient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .display import DEFAULT_PRECISION, latex_value, one_line
from .result import NodeRecord, Result
from .syntax import symbol_of


@dataclass(frozen=True)
class Math:
    """A formula or number, written once for plain text and once for LaTeX."""

    plain: str
    latex: str


@dataclass(frozen=True)
class Code:
    """Source text shown verbatim (the expression): code in markdown, \\texttt in LaTeX."""

    text: str


_NAME_DIGITS = re.compile(r"([^\W\d_]+)_?(\d+)\Z")
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "_": r"\_",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "^": r"\^{}",
    "~": r"\~{}",
}


def latex_escape_text(s: str) -> str:
    """Text (not maths) made safe for LaTeX, with the few symbols our sentences use."""
    out = []
    for ch in s:
        if ch in _LATEX_SPECIAL:
            out.append(_LATEX_SPECIAL[ch])
        elif ch == "×":
            out.append(r"$\times$")
        elif ch == "∂":
            out.append(r"$\partial$")
        elif ch == "ε":
            out.append(r"$\varepsilon$")
        elif ch == "…":
            out.append(r"\ldots{}")
        elif ch == "⚠":
            out.append("(!)")
        elif ch == "ᵀ":  # an array gate's rule in the table: g @ xᵀ
            out.append(r"$^{\top}$")
        elif ch == "²":
            out.append(r"$^{2}$")
        else:
            out.append(ch)
    return "".join(out)


def latex_name(name: str) -> str:
    """A node id in maths: x, w_{0}, n_{1}, \\mathrm{loss}; numbers stay numbers."""
    if re.fullmatch(r"[0-9.]+(e[+-]?\d+)?", name):
        return name
    m = _NAME_DIGITS.match(name)
    if m:
        base, digits = m.groups()
        return f"{_latex_word(base)}_{{{digits}}}"
    return _latex_word(name)


_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΦΨΩ",
        r"\alpha \beta \gamma \delta \varepsilon \zeta \eta \theta \iota \kappa \lambda \mu \nu \xi "
        r"\pi \rho \sigma \tau \upsilon \varphi \chi \psi \omega \Gamma \Delta \Theta \Lambda \Xi "
        r"\Pi \Sigma \Phi \Psi \Omega".split(),
    )
)


def _latex_word(word: str) -> str:
    if len(word) == 1 and word.isascii() and word.isalpha():
        return word
    if word in _GREEK:
        return _GREEK[word]
    safe = "".join(_LATEX_SPECIAL.get(c, c) for c in word)
    return r"\mathrm{" + safe + "}"


def value_math(v: Any, precision: int = DEFAULT_PRECISION) -> Math:
    return Math(one_line(v, precision), latex_value(v, precision))


def _paren(m: Math) -> Math:
    """(-4) inside a product or sum, as the notes write (-4)·1."""
    if m.plain.startswith("-"):
        return Math(f"({m.plain})", rf"\left({m.latex}\right)")
    return m


def partial(out: str, wrt: str) -> Math:
    return Math(f"∂{out}/∂{wrt}", rf"\frac{{\partial {latex_name(out)}}}{{\partial {latex_name(wrt)}}}")


def name_math(name: str) -> Math:
    return Math(name, latex_name(name))


def gate_formula(node: NodeRecord, args: list[Math] | None = None) -> Math:
    """The gate over its inputs (ids by default, or given values), in both forms, from the op table."""
    from . import ops

    op = ops.OPS.get(node.op)
    if args is None:
        args = [name_math(i) for i in node.inputs]
    if op is None:
        return Math(
            node.formula if not args else f"{node.op}({', '.join(a.plain for a in args)})",
            rf"\operatorname{{{node.op}}}\left({', '.join(a.latex for a in args)}\right)",
        )
    # an operator's operands are bracketed when negative: (-2) ** 2 is 4, -2 ** 2 is -4
    infix = symbol_of(op.name) is not None
    shown = [_paren(a) if infix else a for a in args]
    plain = op.plain.format(*[a.plain for a in shown], args=", ".join(a.plain for a in shown))
    latex = op.latex.format(*[a.latex for a in shown], args=", ".join(a.latex for a in shown))
    return Math(plain, latex)


def sum_math(parts: list[Math]) -> Math:
    ps = [parts[0]] + [_paren(p) for p in parts[1:]]
    return Math(" + ".join(p.plain for p in ps), " + ".join(p.latex for p in ps))


def product_math(a: Math, b: Math, result: Math) -> Math:
    a, b = _paren(a), _paren(b)
    return Math(f"{a.plain} × {b.plain} = {result.plain}", rf"{a.latex} \times {b.latex} = {result.latex}")


# --- local-gradient formulas (display only) -----------------------------------


def local_formulas(result: Result) -> dict[str, list[Math | None]]:
    """For each scalar gate, the formula of d node / d input per input, written over input ids."""
    try:
        import sympy as sp
    except ImportError:  # pragma: no cover - sympy is a dependency
        return {}
    from . import ops

    by_id = {n.id: n for n in result.nodes}
    out: dict[str, list[Math | None]] = {}
    for node in result.nodes:
        op = ops.OPS.get(node.op)
        if op is None or node.local is None:
            continue
        try:
            out[node.id] = _formulas_for(sp, node, op, by_id)
        except Exception:  # a formula is a nicety; the number is what counts
            out[node.id] = [None] * len(node.inputs)
    return out


def _const_sympy(sp: Any, rec: NodeRecord) -> Any:
    text = rec.text.strip()
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
        return sp.Rational(text)
    if text == "pi":
        return sp.pi
    if text == "e":
        return sp.E
    return sp.Float(float(rec.value))


def _formulas_for(sp: Any, node: NodeRecord, op: Any, by_id: dict[str, NodeRecord]) -> list[Math | None]:
    """The op's own VJP rule over symbols (the symbolic namespace), one formula per input."""
    from .domains import SymbolicNS
    from .exact import exact_number

    if op.kink is not None:
        return [None] * len(node.inputs)  # routers and kinks: the number (0 or 1) says it better
    pos = [sp.Symbol(f"_p{k}") for k in range(len(node.inputs))]
    args = [(_const_sympy(sp, by_id[i]) if by_id[i].is_const else pos[k]) for k, i in enumerate(node.inputs)]
    point = {pos[k]: exact_number(float(by_id[i].value)) for k, i in enumerate(node.inputs)}
    xp = SymbolicNS(point, "split")
    expr = op.forward(xp, *args)
    o = sp.Symbol(node.id)
    by_expr = op.vjp(xp, xp.one, expr, tuple(args), None)
    by_out = op.vjp(xp, xp.one, o, tuple(args), None)
    named = {pos[k]: sp.Symbol(i) for k, i in enumerate(node.inputs)}
    names = {sp.Symbol(i): latex_name(i) for i in node.inputs}
    names[o] = latex_name(node.id)
    formulas: list[Math | None] = []
    for k, i in enumerate(node.inputs):
        if by_id[i].is_const:
            formulas.append(None)
            continue
        d = by_expr[k]
        if len(node.inputs) == 1 and by_out[k] in (o * (1 - o), 1 - o**2):
            d = by_out[k]  # (1 - σ)σ reads better than e^{-x}/(1+e^{-x})^2, as the lecture writes it
        d = d.subs(named)
        formulas.append(Math(sp.sstr(d), sp.latex(d, symbol_names=names)))
    return formulas


__all__ = [
    "Math",
    "Code",
    "latex_escape_text",
    "latex_name",
    "value_math",
    "partial",
    "name_math",
    "gate_formula",
    "sum_math",
    "product_math",
    "local_formulas",
]
