"""Step-by-step narration of a :class:`~backcalc.result.Result`: the forward pass, then the backward pass.

The narration is built as data first (sections of numbered steps, each line a
message-catalogue key and its parameters), then written out as plain text, a
rich renderable, markdown, LaTeX or HTML.  Every sentence comes from the
catalogue (``backcalc/i18n``); numbers and formulas are :class:`Math` values
with a plain and a LaTeX form, identical in every language.

Nothing here computes a gradient: every number is read from the Result.  The
only derivation is the *formula* of a local gradient (``∂n7/∂n6 = 1``), which
SymPy differentiates from the op table's ``sympy`` entry purely for display;
when that fails, the step shows the number alone.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any

from .display import DEFAULT_PRECISION, fmt
from .i18n import Messages
from .result import NodeRecord, Result

# --- formulas with a plain and a LaTeX form -----------------------------------


@dataclass(frozen=True)
class Math:
    """A formula or number, written once for plain text and once for LaTeX."""

    plain: str
    latex: str


@dataclass(frozen=True)
class Code:
    """Source text shown verbatim (the expression): code in markdown, \\texttt in LaTeX."""

    text: str


def is_scalar(v: Any) -> bool:
    if type(v) is float or isinstance(v, int):
        return True
    import numpy as np

    return np.ndim(v) == 0


def shape_text(v: Any) -> str:
    import numpy as np

    return "×".join(str(int(s)) for s in np.shape(v))


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


def latex_scalar_text(s: str) -> str:
    """fmt()'s text of a scalar as LaTeX: 1.2e-07 -> 1.2 \\times 10^{-7}."""
    if s in ("inf", "-inf"):
        return s.replace("inf", r"\infty")
    if s == "nan":
        return r"\mathrm{NaN}"
    if "e" in s:
        mant, _, exp = s.partition("e")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    return s


def latex_value(v: Any, precision: int = DEFAULT_PRECISION, max_items: int = 6) -> str:
    if is_scalar(v):
        return latex_scalar_text(fmt(float(v), precision))
    import numpy as np

    arr = np.asarray(v, dtype=float)

    def cell(x: float) -> str:
        return latex_scalar_text(fmt(float(x), precision))

    def row(r: Any) -> str:
        items = [cell(x) for x in r[:max_items]]
        if r.size > max_items:
            items[-1:] = [r"\cdots", cell(r[-1])]
        return " & ".join(items)

    if arr.ndim == 1:
        return r"\begin{bmatrix} " + row(arr) + r" \end{bmatrix}"
    if arr.ndim == 2:
        rows = [row(r) for r in arr[:max_items]]
        if arr.shape[0] > max_items:
            rows.append(r"\vdots")
        return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"
    return r"\text{array of shape } " + r" \times ".join(str(s) for s in arr.shape)


def value_math(v: Any, precision: int = DEFAULT_PRECISION) -> Math:
    return Math(one_line(v, precision), latex_value(v, precision))


def one_line(v: Any, precision: int = DEFAULT_PRECISION) -> str:
    """fmt() on one line: matrices as [[1, 2], [3, 4]]."""
    return " ".join(fmt(v, precision).replace("\n", ",").split())


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
    infix = not op.callable
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


# --- the narration as data ----------------------------------------------------


@dataclass
class Line:
    """One sentence: a catalogue key and its parameters (Math, plain text or numbers)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Step:
    head: Line
    lines: list[Line] = field(default_factory=list)
    number: int | None = None


@dataclass
class Section:
    key: str  # catalogue key of the heading
    steps: list[Step]


@dataclass
class Explanation:
    lang: str
    result: Result
    precision: int
    title: Line
    sections: list[Section]
    meaning: Line | None = None

    @property
    def messages(self) -> Messages:
        return Messages(self.lang)


def _gate_phrase(m: Messages, node: NodeRecord) -> str:
    name = m.op_name(node.op)
    if node.expanded_from:
        return m("gate.expanded", name=name, origin=node.expanded_from)
    return m("gate", name=name)


def _consumers(parts: list[tuple[str, Any]]) -> str:
    return ", ".join(c for c, _ in parts)


def build(result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION) -> Explanation:
    """The narration of ``result``: inputs, numbered forward steps, numbered backward steps, input gradients."""
    m = Messages(lang)
    p = precision
    by_id = {n.id: n for n in result.nodes}
    out = result.output
    formulas = local_formulas(result) if any(n.local is not None for n in result.nodes) else {}
    gates = [n for n in result.nodes if n.op not in ("input", "const")]
    inputs = [n for n in result.nodes if n.op == "input"]
    counter = iter(range(1, 10**9))

    def V(v: Any) -> Math:
        return value_math(v, p)

    # inputs
    assigns = Math(
        ", ".join(f"{n.id} = {V(n.value).plain}" for n in inputs),
        ", \\quad ".join(f"{latex_name(n.id)} = {V(n.value).latex}" for n in inputs),
    )
    sections = (
        [Section("inputs.heading", [Step(Line("inputs.line", {"assignments": assigns}))])] if inputs else []
    )

    # forward
    fsteps = []
    for n in gates:
        gate = _gate_phrase(m, n)
        formula = gate_formula(n)
        value = V(n.value)
        vals = [by_id[i].value for i in n.inputs]
        if all(is_scalar(v) for v in vals) and is_scalar(n.value) and n.inputs:
            subst = gate_formula(n, [V(v) for v in vals])
        else:
            subst = None
        if subst is not None and subst.plain not in (formula.plain, value.plain):
            line = Line(
                "forward.step_subst",
                {"node": name_math(n.id), "formula": formula, "subst": subst, "value": value, "gate": gate},
            )
        else:
            line = Line(
                "forward.step", {"node": name_math(n.id), "formula": formula, "value": value, "gate": gate}
            )
        fsteps.append(Step(line, number=next(counter)))
    sections.append(Section("forward.heading", fsteps))

    # backward
    bsteps = []
    out_node = by_id[out]
    bsteps.append(
        Step(
            Line("backward.start", {"grad": partial(out, out), "value": V(out_node.grad)}),
            number=next(counter),
        )
    )
    for n in reversed(gates):
        role = n.role or ""
        gate = _gate_phrase(m, n)
        head = Line(
            "backward.gate",
            {
                "node": name_math(n.id),
                "formula": gate_formula(n),
                "gate": gate,
                "role": m.role_name(role) if role else gate,
            },
        )
        lines: list[Line] = []
        up = V(n.grad)
        if n.grad_parts:
            lines.append(
                Line(
                    "backward.upstream_sum",
                    {
                        "grad": partial(out, n.id),
                        "parts": sum_math([V(v) for _, v in n.grad_parts]),
                        "value": up,
                        "count": len(n.grad_parts),
                        "consumers": _consumers(n.grad_parts),
                    },
                )
            )
        elif n.id != out:
            lines.append(Line("backward.upstream", {"grad": partial(out, n.id), "value": up}))
        else:
            lines.append(Line("backward.upstream", {"grad": partial(out, out), "value": up}))
        forms = formulas.get(n.id, [None] * len(n.inputs))
        for k, i in enumerate(n.inputs):
            src = by_id[i]
            if src.is_const:
                continue
            if n.local is not None:
                loc = V(n.local[k])
                form = forms[k]
                if form is not None and form.plain != loc.plain:
                    lines.append(
                        Line(
                            "backward.local", {"partial": partial(n.id, i), "formula": forms[k], "value": loc}
                        )
                    )
                else:
                    lines.append(Line("backward.local_value", {"partial": partial(n.id, i), "value": loc}))
                down = V(n.downstream[k]) if n.downstream is not None else V(n.grad)
                lines.append(
                    Line("backward.downstream", {"input": name_math(i), "chain": product_math(up, loc, down)})
                )
            elif n.downstream is not None:
                lines.append(
                    Line(
                        "backward.downstream_array",
                        {
                            "input": name_math(i),
                            "value": V(n.downstream[k]),
                            "shape": shape_text(n.downstream[k]) if not is_scalar(n.downstream[k]) else "()",
                        },
                    )
                )
        why = "why." + role if ("why." + role) in m.table else "why.other"
        lines.append(Line(why, {"gate": gate}))
        for flag in n.flags:
            if flag.startswith("tie"):
                lines.append(
                    Line(
                        "flag.tie",
                        {
                            "flag": flag,
                            "rule": result.ties,
                            "rule_text": m.get("tie." + result.ties, result.ties),
                        },
                    )
                )
            elif flag.startswith("kink"):
                lines.append(Line("flag.kink", {"flag": flag}))
            else:
                lines.append(Line("flag.other", {"flag": flag}))
        bsteps.append(Step(head, lines, number=next(counter)))
    sections.append(Section("backward.heading", bsteps))

    # gradients of the inputs
    gsteps = []
    for n in inputs:
        if len(n.grad_parts) > 1:
            line = Line(
                "inputs_grad.sum",
                {
                    "grad": partial(out, n.id),
                    "parts": sum_math([V(v) for _, v in n.grad_parts]),
                    "value": V(n.grad),
                    "name": name_math(n.id),
                    "count": len(n.grad_parts),
                    "consumers": _consumers(n.grad_parts),
                },
            )
        else:
            line = Line("inputs_grad.line", {"grad": partial(out, n.id), "value": V(n.grad)})
        gsteps.append(Step(line))
    if gsteps:
        sections.append(Section("inputs_grad.heading", gsteps))
    return Explanation(
        lang=lang,
        result=result,
        precision=p,
        title=Line("title", {"expr": Code(result.expression.strip())}),
        sections=sections,
        meaning=Line("inputs_grad.meaning", {"out": name_math(out)}) if inputs else None,
    )


def summary_line(result: Result, precision: int = DEFAULT_PRECISION) -> Line:
    return Line("summary", {"out": name_math(result.output), "value": value_math(result.value, precision)})


# --- writing it out -----------------------------------------------------------


def pieces(m: Messages, line: Line) -> list[tuple[str, Any]]:
    """The sentence as ('text', str) / ('math', Math) / ('code', Code) pieces.

    Formulas joined only by '=' or '×' become one formula, so that LaTeX reads
    $n_{1} = x + y = 3$ rather than four separate formulas.
    """
    out: list[tuple[str, Any]] = []
    for literal, name, _spec, _conv in string.Formatter().parse(m.table[line.key]):
        if literal:
            out.append(("text", literal))
        if name is not None:
            v = line.params[name]
            if isinstance(v, Math):
                out.append(("math", v))
            elif isinstance(v, Code):
                out.append(("code", v))
            else:
                out.append(("text", str(v)))
    merged: list[tuple[str, Any]] = []
    k = 0
    while k < len(out):
        kind, v = out[k]
        if (
            kind == "math"
            and merged
            and merged[-1][0] == "text"
            and len(merged) > 1
            and merged[-2][0] == "math"
            and merged[-1][1].strip() in ("=", "×")
        ):
            joiner = merged.pop()[1]
            prev = merged.pop()[1]
            jl = joiner.replace("×", r"\times")
            merged.append(("math", Math(prev.plain + joiner + v.plain, prev.latex + jl + v.latex)))
        else:
            merged.append((kind, v))
        k += 1
    return merged


def say(m: Messages, line: Line, math: Any = None, text: Any = None, code: Any = None) -> str:
    """The sentence with its parameters filled in; ``math``, ``text``, ``code`` write each kind of piece."""
    writers = {
        "math": math or (lambda x: x.plain),
        "text": text or (lambda s: s),
        "code": code or (lambda c: c.text),
    }
    return "".join(writers[kind](v) for kind, v in pieces(m, line))


def render_text(ex: Explanation) -> str:
    """The narration as plain text (what ``backcalc explain`` prints)."""
    m = ex.messages
    lines = [say(m, ex.title), ""]
    for sec in ex.sections:
        lines.append(m(sec.key))
        for st in sec.steps:
            prefix = f"{st.number}. " if st.number is not None else "  "
            lines.append(prefix + say(m, st.head))
            indent = " " * len(prefix)
            for ln in st.lines:
                lines.append(indent + say(m, ln))
        lines.append("")
    if ex.meaning is not None:
        lines.append(say(m, ex.meaning))
    return "\n".join(lines).rstrip() + "\n"


def table_rows(
    result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION
) -> tuple[list[str], list[list[str]]]:
    """The chain-rule table as headers and rows of plain text (localized headers and role names)."""
    m = Messages(lang)
    p = precision
    by_id = {n.id: n for n in result.nodes}
    cols = ["node", "gate", "inputs", "value", "role", "local", "upstream", "downstream"]
    headers = [m("col." + c) for c in cols]

    def pairs(n: NodeRecord, values: list[Any] | None) -> str:
        if values is None:
            return ""
        shown = [(i, v) for i, v in zip(n.inputs, values) if not by_id[i].is_const] or list(
            zip(n.inputs, values)
        )
        return ", ".join(f"{i}: {one_line(v, p)}" for i, v in shown)

    rows = []
    for n in result.nodes:
        if n.is_const:
            continue
        role = m.role_name(n.role) if n.role else ""
        if n.flags:
            role = (role + " " if role else "") + "⚠ " + ", ".join(n.flags)
        up = one_line(n.grad, p)
        if n.grad_parts:
            up += " = " + " + ".join(one_line(v, p) for _, v in n.grad_parts)
        gate = "" if n.op == "input" else m.op_name(n.op)
        rows.append(
            [
                n.id,
                gate,
                ", ".join(n.inputs),
                one_line(n.value, p),
                role,
                pairs(n, n.local),
                up,
                pairs(n, n.downstream),
            ]
        )
    return headers, rows


def rich_table(result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION) -> Any:
    from rich.table import Table

    headers, rows = table_rows(result, lang, precision)
    table = Table(header_style="bold")
    for k, h in enumerate(headers):
        table.add_column(h, justify="right" if k in (3, 6) else "left", no_wrap=k < 2)
    for r in rows:
        table.add_row(*r, style="bold" if r[0] == result.output else None)
    return table


def render_rich(ex: Explanation) -> Any:
    """The narration for a terminal: headings in bold, then the localized chain-rule table."""
    from rich.console import Group
    from rich.text import Text

    m = ex.messages
    items: list[Any] = [Text(say(m, ex.title), style="bold"), Text("")]
    for sec in ex.sections:
        items.append(Text(m(sec.key), style="bold underline"))
        for st in sec.steps:
            prefix = f"{st.number}. " if st.number is not None else "  "
            items.append(Text(prefix + say(m, st.head)))
            for ln in st.lines:
                style = "dim" if ln.key.startswith("why.") else None
                items.append(Text(" " * len(prefix) + say(m, ln), style=style or ""))
        items.append(Text(""))
    if ex.meaning is not None:
        items += [Text(say(m, ex.meaning)), Text("")]
    items.append(Text(m("table.heading"), style="bold underline"))
    items.append(rich_table(ex.result, ex.lang, ex.precision))
    return Group(*items)


def numbers_in(text: str) -> list[str]:
    """Every number written in a text (used by the tests comparing languages)."""
    return re.findall(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?", text)


def explain(result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION) -> str:
    return render_text(build(result, lang, precision))


__all__ = [
    "Math",
    "Code",
    "Explanation",
    "build",
    "render_text",
    "render_rich",
    "explain",
    "table_rows",
    "latex_name",
    "latex_value",
    "local_formulas",
    "numbers_in",
    "say",
]
