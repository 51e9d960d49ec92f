"""A LaTeX write-up: the chain-rule table and the steps; ``standalone`` wraps it in a compilable document.

The fragment needs amsmath (and tabularx for the table); the standalone
document loads them, and kotex for Korean (Debian: texlive-lang-korean).
"""

from __future__ import annotations

from ..display import DEFAULT_PRECISION
from ..mathtext import latex_escape_text
from ..result import Result
from . import chain

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage{amsmath}
\usepackage{tabularx}
\IfFileExists{geometry.sty}{\usepackage[margin=2cm]{geometry}}{}
"""


def render(
    result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION, standalone: bool = False
) -> str:
    from .. import explanation as X

    esc = latex_escape_text
    ex = X.build(result, lang, precision)
    m = ex.messages

    def say(line: X.Line) -> str:
        return X.say(
            m,
            line,
            math=lambda v: f"${v.latex}$",
            text=esc,
            code=lambda c: r"\texttt{" + esc(c.text.replace("\n", "; ")) + "}",
        )

    out = [r"\section*{" + say(ex.title) + "}", ""]
    out.append(r"\subsection*{" + esc(m("table.heading")) + "}")
    headers, rows = chain.text_table(result, lang, precision)
    wrap = {"local", "downstream"}  # long cells wrap
    spec = "".join(
        "r" if c in chain.NUMERIC else r">{\raggedright\arraybackslash}X" if c in wrap else "l"
        for c in chain.COLUMNS
    )
    out.append(r"{\small\noindent\begin{tabularx}{\linewidth}{" + spec + "}")
    out.append(r"\hline")
    out.append(" & ".join(r"\textbf{" + esc(h) + "}" for h in headers) + r" \\")
    out.append(r"\hline")
    for r in rows:
        cells = [esc(c) for c in r]
        if r[0] == result.output:
            cells[0] = r"\textbf{" + cells[0] + "}"
        out.append(" & ".join(cells) + r" \\")
    out.append(r"\hline")
    out.append(r"\end{tabularx}}")
    out.append("")
    out.append(r"\medskip\noindent " + say(X.summary_line(result, precision)))
    out.append("")
    for sec in ex.sections:
        out.append(r"\subsection*{" + esc(m(sec.key)) + "}")
        numbered = any(st.number is not None for st in sec.steps)
        if numbered:
            first = next(st.number for st in sec.steps if st.number is not None)
            out.append(r"\begin{enumerate}\setcounter{enumi}{" + str(first - 1) + "}")
        else:
            out.append(r"\begin{itemize}")
        for st in sec.steps:
            out.append(r"  \item " + say(st.head))
            if st.lines:
                out.append(r"  \begin{itemize}")
                for ln in st.lines:
                    out.append(r"    \item " + say(ln))
                out.append(r"  \end{itemize}")
        out.append(r"\end{enumerate}" if numbered else r"\end{itemize}")
        out.append("")
    if ex.meaning is not None:
        out.append(r"\noindent " + say(ex.meaning))
    body = "\n".join(out).rstrip() + "\n"
    if not standalone:
        return body
    pre = PREAMBLE + (r"\usepackage{kotex}" + "\n" if lang == "ko" else "")
    return pre + r"\begin{document}" + "\n" + body + r"\end{document}" + "\n"
