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
                            "shape": _shape(n.downstream[k]),
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
    return chain.text_table(result, lang, precision)


def rich_table(result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION) -> Any:
    from rich.table import Table

    headers, rows = table_rows(result, lang, precision)
    table = Table(header_style="bold")
    for k, h in enumerate(headers):
        table.add_column(h, justify="right" if k in (chain.VALUE, chain.UPSTREAM) else "left", no_wrap=k < 2)
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
    "latex_escape_text",
    "latex_value",
    "local_formulas",
    "numbers_in",
    "say",
]
