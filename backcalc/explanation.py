"""Step-by-step narration of a :class:`~backcalc.result.Result`: the forward pass, then the backward pass.

The narration is built as data first (sections of numbered steps, each line a
message-catalogue key and its parameters), then written out as plain text, a
rich renderable, markdown, LaTeX or HTML.  Every sentence comes from the
catalogue (``backcalc/i18n``); numbers and formulas are :class:`Math` values
with a plain and a LaTeX form, identical in every language.

Nothing here computes a gradient: every number is read from the Result; the
formulas (and the display-only local-gradient formulas) come from
:mod:`backcalc.mathtext`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any

from . import roles
from .display import DEFAULT_PRECISION, is_scalar, latex_value, shape_text
from .i18n import Messages
from .mathtext import (
    Code,
    Math,
    gate_formula,
    latex_escape_text,
    latex_name,
    local_formulas,
    name_math,
    partial,
    product_math,
    sum_math,
    value_math,
)
from .render import chain
from .result import NodeRecord, Result

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


def _shape(v: Any) -> str:
    """'2×3' for an array, '()' for a scalar."""
    if is_scalar(v):
        return "()"
    import numpy as np

    return shape_text(tuple(int(s) for s in np.shape(v)))


def _copy_line(n: NodeRecord) -> Line:
    """The 2019 slides' copy gate at a node used several times: a gradient adder."""
    return Line("why.copy", {"name": name_math(n.id), "count": len(n.grad_parts)})


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
    arrays = False
    gforms: dict[str, str] = {out: "1"}  # each node's upstream as a formula, where it stays short
    for n in reversed(gates):
        _grad_form(n, by_id, out, gforms)
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
            if roles.COPY in roles.parts(n.role):
                lines.append(_copy_line(n))
        elif n.id != out:
            lines.append(Line("backward.upstream", {"grad": partial(out, n.id), "value": up}))
        else:
            lines.append(Line("backward.upstream", {"grad": partial(out, out), "value": up}))
        forms = formulas.get(n.id, [None] * len(n.inputs))
        for k, i in enumerate(n.inputs):
            src = by_id[i]
            if src.is_const or src.grad is None:  # a constant, or data that gets no gradient
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
                arrays = True
                lines.append(_vjp_line(n, k, by_id, out, gforms, p))
        own = roles.base(role) or ""
        why = "why." + own if ("why." + own) in m.table else "why.other"
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
    if arrays:  # said once, not after every array step
        bsteps.insert(0, Step(Line("backward.vjp_note")))
    sections.append(Section("backward.heading", bsteps))

    # gradients of the inputs
    gsteps = []
    for n in inputs:
        if n.grad is None:  # data (a network's x and y): no gradient
            continue
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
        gsteps.append(Step(line, [_copy_line(n)] if roles.COPY in roles.parts(n.role) else []))
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


# --- array gates: the VJP rule, then its numbers -----------------------------

MAX_NUMBERS_TEXT = 160  # longer substituted numbers are left out: the rule alone says it
MAX_NUMBERS_SIZE = 16  # arrays up to this many elements are small enough to write into the rule
MAX_FORM_TEXT = 40  # an upstream's composed formula longer than this is named, not written out
_WORDY = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")  # a rule in words ('g copied to every element')
_TOKEN = re.compile(r"[^\W\d][\w]*ᵀ?|\d+(?:\.\d+)?")


def _clean_rule(text: str) -> str:
    """The op table's rule made to read as the lecture writes it: x^(2-1) -> x, x^(3-1) -> x^2."""

    def power(mt: re.Match) -> str:
        e = float(mt.group(1)) - 1
        e_text = f"{e:g}"
        return "" if e == 1 else "^" + e_text

    return re.sub(r"\^\((\d+(?:\.\d+)?)-1\)", power, text)


def _rule_for(n: NodeRecord, k: int) -> str:
    """The rule of input k over names, with g the upstream and out the node: 'g @ xᵀ'."""
    rule = _clean_rule(n.vjp[k] if n.vjp is not None and k < len(n.vjp) else "g")
    return re.sub(r"\bout\b", n.id, rule)


def _compose(rule: str, g: str) -> str | None:
    """The rule with its upstream g replaced by a formula: ('g * 2 * n1', '1') -> '2 * n1'."""
    if _WORDY.search(rule) or "where" in rule:
        return None
    if g == "1" and "@" not in rule:  # a matrix product keeps its vector of ones: 1 · xᵀ
        t = re.sub(r"^g \* ", "", rule)
        t = re.sub(r" \* g\b", "", t)
        t = re.sub(r"^g @ ", "", t)
        t = re.sub(r" @ g$", "", t)
        t = re.sub(r"^-g \* ", "-", t)
        t = re.sub(r"\bg\b", "1", t)
        return t
    if re.search(r"[+\-/]", g) and not g.startswith("("):
        g = f"({g})"
    return re.sub(r"\bg\b", lambda _m: g, rule)


def _grad_form(n: NodeRecord, by_id: dict[str, NodeRecord], out: str, gforms: dict[str, str]) -> None:
    """Fill in the formulas of the gradients n sends down, where they stay short
    (a node with one consumer, the rule written with the upstream's own formula)."""
    import numpy as np

    g = gforms.get(n.id)
    for k, i in enumerate(n.inputs):
        src = by_id[i]
        if src.is_const or src.op == "const":
            continue
        if len({c for c, _ in src.grad_parts}) > 1:
            continue  # a branch point: its gradient is a sum, named rather than written out
        down = src.grad
        if down is not None and np.all(np.asarray(down) == 1):
            gforms[i] = "1"
            continue
        if g is None or n.vjp is None:
            continue
        rule = _rule_for(n, k)
        if "@" not in rule and np.shape(src.value) != np.shape(n.value):
            continue  # broadcast: the rule's result is summed back to the input's shape
        f = _compose(rule, g)
        if f is not None and len(f) <= MAX_FORM_TEXT:
            gforms[i] = f


def _pretty(text: str) -> str:
    return text.replace(" @ ", " · ").replace(" * ", "·")


def _value_text(v: Any, p: int, column: bool) -> str:
    t = value_math(v, p).plain
    if is_scalar(v):
        return f"({t})" if t.startswith("-") else t
    return t + "ᵀ" if column else t


def _numbers(rule: str, n: NodeRecord, by_id: dict[str, NodeRecord], p: int) -> tuple[str, str] | None:
    """The rule with every name replaced by its value, plain and LaTeX; None when that is too long.
    With a matrix product, vectors are columns as the lecture writes them: g -> [..]ᵀ, xᵀ -> [..]."""
    import numpy as np

    if _WORDY.search(rule) or "where" in rule:
        return None
    matrix = "@" in rule
    values = {n.id: n.value, "g": n.grad}
    for i in n.inputs:
        values[i] = by_id[i].value
    plain, latex = [], []
    pos = 0
    for mt in _TOKEN.finditer(rule):
        plain.append(rule[pos : mt.start()])
        latex.append(rule[pos : mt.start()])
        pos = mt.end()
        tok = mt.group(0)
        t = tok[:-1] if tok.endswith("ᵀ") else tok
        if t not in values:
            plain.append(tok)
            latex.append(tok)
            continue
        v = values[t]
        if np.size(v) > MAX_NUMBERS_SIZE:
            return None
        transposed = tok.endswith("ᵀ")
        vec = not is_scalar(v) and np.ndim(v) == 1
        if matrix and vec:
            column = not transposed  # xᵀ is a row, written [..]; a plain vector is a column
            txt = _value_text(v, p, column)
            lat = latex_value(v if not column else np.asarray(v).reshape(-1, 1), p)
        else:
            txt = _value_text(v, p, False) + ("ᵀ" if transposed else "")
            lat = latex_value(v, p) + (r"^{\top}" if transposed else "")
            if is_scalar(v) and txt.startswith("("):
                lat = rf"\left({lat}\right)"
        plain.append(txt)
        latex.append(lat)
    plain.append(rule[pos:])
    latex.append(rule[pos:])
    text = _pretty("".join(plain))
    if len(text) > MAX_NUMBERS_TEXT:
        return None
    lat = "".join(latex).replace(" @ ", r" \cdot ").replace(" * ", r" \cdot ").replace("²", "^{2}")
    return text, lat


def _rule_math(rule: str, up: Math) -> Math:
    """The rule with its upstream named ∂f/∂n1, as the lecture writes ∂f/∂q · xᵀ."""
    plain = _pretty(re.sub(r"\bg\b", lambda _m: up.plain, rule))
    return Math(plain, _formula_latex(rule, up.latex))


def _formula_latex(text: str, up: str | None = None) -> str:
    """A rule or formula over node names as LaTeX: names as latex_name writes them (n_{1},
    x^{\top}), products as \\cdot, g as the upstream's LaTeX; a rule in words as text."""
    if _WORDY.search(text) or "where" in text:
        from .chainrule import rule_latex

        return rule_latex(re.sub(r"\bg\b", "\x00", text)).replace("\x00", up or "g")
    out, pos = [], 0
    for mt in _TOKEN.finditer(text):
        out.append(_ops_latex(text[pos : mt.start()]))
        pos = mt.end()
        tok = mt.group(0)
        t = tok[:-1] if tok.endswith("ᵀ") else tok
        if t == "g" and up is not None:
            lat = up
        elif t[0].isdigit():
            lat = t
        else:
            lat = latex_name(t)
        out.append(lat + (r"^{\top}" if tok.endswith("ᵀ") else ""))
    out.append(_ops_latex(text[pos:]))
    return re.sub(r" +", " ", "".join(out)).strip()


def _ops_latex(t: str) -> str:
    for a, b in (("@", r" \cdot "), ("*", r" \cdot "), ("·", r" \cdot "), ("²", "^{2}"), ("^", "^")):
        t = t.replace(a, b)
    return t


def _vjp_line(
    n: NodeRecord, k: int, by_id: dict[str, NodeRecord], out: str, gforms: dict[str, str], p: int
) -> Line:
    """An array gate's downstream to input k: the rule, the rule over the upstream's formula
    (2·n1·xᵀ), the numbers, the value."""
    import numpy as np

    i = n.inputs[k]
    down = n.downstream[k] if n.downstream is not None else n.grad
    rule = _rule_for(n, k)
    up = partial(out, n.id) if n.id != out or not is_scalar(n.grad) else Math("1", "1")
    chain = [_rule_math(rule, up)]
    broadcast = "@" not in rule and np.shape(by_id[i].value) != np.shape(n.value) and not _WORDY.search(rule)
    g = gforms.get(n.id)
    if g is not None and n.id != out:
        f = _compose(rule, g)
        if f is not None and _pretty(f) != chain[0].plain:
            chain.append(Math(_pretty(f), _formula_latex(f)))
    nums = _numbers(rule, n, by_id, p) if np.size(down) <= MAX_NUMBERS_SIZE else None
    if nums is not None:
        chain.append(Math(*nums))
    if broadcast:
        chain[-1] = Math(f"Σ({chain[-1].plain})", rf"\sum\left({chain[-1].latex}\right)")
    chain.append(value_math(down, p))
    kept = [c for j, c in enumerate(chain) if j == 0 or c.plain != chain[j - 1].plain]
    eq = Math(" = ".join(c.plain for c in kept), " = ".join(c.latex for c in kept))
    return Line(
        "backward.vjp_broadcast" if broadcast else "backward.vjp",
        {"grad": partial(out, i), "chain": eq, "input": name_math(i), "shape": _shape(down)},
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
    for literal, name, spec, _conv in string.Formatter().parse(m.table[line.key]):
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
            if spec and "/" in spec:  # a Korean particle ({input:으로/로}): by the word's final consonant
                from .i18n import josa

                word = v.plain if isinstance(v, Math) else v.text if isinstance(v, Code) else str(v)
                out.append(("text", josa(word, spec)))
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
        width = max((len(_prefix(st)) for st in sec.steps), default=2)
        for st in sec.steps:
            prefix = _prefix(st).ljust(width)
            lines.append(prefix + say(m, st.head))
            indent = " " * width
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
    return chain.text_table(result, lang, precision)


def rich_table(result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION) -> Any:
    """The chain-rule table, the same as grad's: the layout that fits the width it is drawn at
    (never a cut number)."""
    from .render.table import FitTable

    return FitTable(result, precision, lang)


def _prefix(st: Step) -> str:
    return f"{st.number}. " if st.number is not None else "  "


class _Hanging:
    """Lines under a step's number: a wrapped line continues under its own text, not at column 0."""

    def __init__(self, prefix: str, texts: list[Any], width: int) -> None:
        self.prefix, self.texts, self.width = prefix, texts, width

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.segment import Segment

        room = max(options.max_width - self.width, 10)
        first = True
        for t in self.texts:
            for line in t.wrap(console, room):
                line.rstrip()
                yield Segment((self.prefix if first else "").ljust(self.width))
                first = False
                yield from line.render(console)
                yield Segment.line()


def _hanging(prefix: str, texts: list[Any], width: int) -> Any:
    return _Hanging(prefix, texts, width)


def render_rich(ex: Explanation) -> Any:
    """The narration for a terminal: headings in bold, then the localized chain-rule table."""
    from rich.console import Group
    from rich.text import Text

    m = ex.messages
    items: list[Any] = [Text(say(m, ex.title), style="bold"), Text("")]
    for sec in ex.sections:
        items.append(Text(m(sec.key), style="bold underline"))
        width = max((len(_prefix(st)) for st in sec.steps), default=2)
        for st in sec.steps:
            items.append(_hanging(_prefix(st), [Text(say(m, st.head))], width))
            if st.lines:
                items.append(
                    _hanging(
                        "",
                        [
                            Text(say(m, ln), style="dim" if ln.key.startswith("why.") else "")
                            for ln in st.lines
                        ],
                        width,
                    )
                )
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
    "latex_escape_text",
    "latex_value",
    "local_formulas",
    "numbers_in",
    "say",
]
