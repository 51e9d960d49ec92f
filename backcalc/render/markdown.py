"""A markdown write-up: the chain-rule table and the steps, formulas in LaTeX ($...$)."""

from __future__ import annotations

import re

from ..display import DEFAULT_PRECISION
from ..result import Result
from . import chain

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#$])")


def md_text(s: str) -> str:
    """Plain words made safe for markdown (no accidental emphasis, links, tables or maths)."""
    return _MD_SPECIAL.sub(r"\\\1", s)


def md_code(s: str) -> str:
    ticks = "`" * (max((len(t) for t in re.findall(r"`+", s)), default=0) + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{ticks}{pad}{s}{pad}{ticks}"


def render(result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION) -> str:
    from .. import explanation as X

    ex = X.build(result, lang, precision)
    m = ex.messages

    def say(line: X.Line) -> str:
        return X.say(
            m,
            line,
            math=lambda v: f"${v.latex}$",
            text=md_text,
            code=lambda c: md_code(c.text.replace("\n", "; ")),
        )

    out = [f"# {say(ex.title)}", ""]
    out += [f"## {md_text(m('table.heading'))}", ""]
    headers, rows = chain.text_table(result, lang, precision)
    out.append("| " + " | ".join(md_text(h) for h in headers) + " |")
    out.append(
        "|"
        + "|".join(" ---: " if k in (chain.VALUE, chain.UPSTREAM) else " --- " for k in range(len(headers)))
        + "|"
    )
    for r in rows:
        cells = [md_text(c) for c in r]
        if r[0] == result.output:
            cells[0] = f"**{cells[0]}**"
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append(say(X.summary_line(result, precision)))
    out.append("")
    for sec in ex.sections:
        out += [f"## {md_text(m(sec.key))}", ""]
        for st in sec.steps:
            lead = f"{st.number}. " if st.number is not None else "- "
            out.append(lead + say(st.head))
            for ln in st.lines:
                out.append(" " * len(lead) + "- " + say(ln))
        out.append("")
    if ex.meaning is not None:
        out += [say(ex.meaning), ""]
    return "\n".join(out).rstrip() + "\n"
