"""HTML fragments for a notebook cell: the chain-rule table coloured as the terminal's, the
graph as inline SVG, the steps, a network's layers, a training run, a class's grades.

Self-contained (inline styles and SVG; no scripts, no files, nothing fetched), so the same
fragment shows in JupyterLab, classic Notebook, VS Code and Colab.  Every piece of user
text is escaped.  A large run shows its first rows and says how to see the rest, and draws
no picture past :data:`INLINE_GATES` gates: a cell never grows to megabytes.
"""

from __future__ import annotations

import html
import re
from typing import Any

from ..display import DEFAULT_PRECISION, fmt, one_line
from ..i18n import Messages
from ..result import Result
from . import chain

GREEN = "#1a7f37"  # forward values (the slides' green; render.dot.GREEN)
RED = "#cf222e"  # gradients (render.dot.RED)
MAX_ROWS = 60  # rows of a table shown in a cell; past it the first SHOWN_ROWS and a count
SHOWN_ROWS = 40
INLINE_GATES = 120  # the largest graph drawn in a cell (a bigger one: backcalc.graph(..., output=))
MAX_SVG_CHARS = 2_000_000  # an SVG larger than this is not inlined

FONT = (  # inside a style="..." attribute: the font names in single quotes
    "font-family: system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK KR', "
    "'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif"
)
BOX = f'<div class="backcalc" style="{FONT}; line-height: 1.45; max-width: 100%">'
TABLE = '<table style="border-collapse: collapse; font-size: 0.92em; margin: 0.4em 0">'
TH = '<th style="border: 1px solid #d0d7de; padding: 0.2em 0.55em; text-align: {align}; background: #f6f8fa">'
TD = '<td style="border: 1px solid #d0d7de; padding: 0.2em 0.55em; text-align: {align}; vertical-align: top{extra}">'
NOTE = '<p style="color: #57606a; margin: 0.3em 0">'
HINT = '<p class="backcalc-hint" style="background: #fff8c5; border: 1px solid #d4a72c; padding: 0.3em 0.7em; margin: 0.4em 0">'
COLOURS = {"value": GREEN, "local": RED, "upstream": RED, "downstream": RED}

esc = html.escape


def _th(text: str, right: bool = False) -> str:
    return TH.format(align="right" if right else "left") + esc(text) + "</th>"


def _td(text: str, right: bool = False, colour: str | None = None, bold: bool = False) -> str:
    extra = (f"; color: {colour}" if colour else "") + ("; font-weight: bold" if bold else "")
    return TD.format(align="right" if right else "left", extra=extra) + esc(text) + "</td>"


def _table(
    headers: list[str],
    rows: list[list[str]],
    right: set[int],
    colours: dict[int, str] | None = None,
    bold_rows: set[int] | None = None,
) -> str:
    out = [
        TABLE,
        "<thead><tr>" + "".join(_th(h, k in right) for k, h in enumerate(headers)) + "</tr></thead><tbody>",
    ]
    for i, r in enumerate(rows):
        bold = bold_rows is not None and i in bold_rows
        out.append(
            "<tr>"
            + "".join(_td(c, k in right, (colours or {}).get(k), bold) for k, c in enumerate(r))
            + "</tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def inline_svg(svg: str) -> str:
    """An SVG (from Graphviz or matplotlib) ready to inline: no XML prolog, DOCTYPE or
    comments, scaled to the cell's width but never below half its size (text stays
    readable; a wider picture scrolls sideways)."""
    from .dot import svg_element

    body = svg_element(svg)
    m = re.search(r'<svg\b[^>]*?\swidth="([\d.]+)(pt|px)?"', body)
    width = float(m.group(1)) * (4 / 3 if (m.group(2) or "px") == "pt" else 1) if m else 600.0
    style = f"width: 100%; max-width: {width:.0f}px; min-width: {min(width, 320) if width < 640 else width / 2:.0f}px; height: auto"
    body = re.sub(r"<svg\b", f'<svg style="{style}"', body, count=1)
    return f'<div style="overflow-x: auto; max-width: 100%">{body}</div>'


def _title(result: Result) -> str:
    from .table import _title as title

    return title(result)


def picture(result: Result, lang: str, precision: int, m: Messages) -> str:
    """The graph as inline SVG, or a one-line hint saying why there is none."""
    from . import dot

    if dot.dot_program() is None:
        return HINT + esc(m("nb.no_dot")) + "</p>"
    size = dot.picture_size(result)
    if size.gates > INLINE_GATES or size.seconds > dot.DOT_BUDGET / 4:
        return HINT + esc(m("nb.big_graph", gates=f"{size.gates:,}")) + "</p>"
    try:
        svg = dot.svg(result, lang, precision)  # hovering names the node and its formula
    except Exception as e:  # dot failed: the table still has every number
        return HINT + esc(m("nb.dot_failed", why=str(e))) + "</p>"
    if svg is None:  # (dot went missing meanwhile)
        return HINT + esc(m("nb.no_dot")) + "</p>"
    if len(svg) > MAX_SVG_CHARS:
        return HINT + esc(m("nb.big_graph", gates=f"{size.gates:,}")) + "</p>"
    return f'<figure style="margin: 0.3em 0">{inline_svg(svg)}</figure>'


def result_table(result: Result, lang: str, precision: int, max_rows: int = MAX_ROWS) -> str:
    """The chain-rule table, values green and gradients red; past ``max_rows`` rows the first
    SHOWN_ROWS and the output's row, with a count of the rest."""
    m = Messages(lang)
    headers = [m("col." + c) for c in chain.COLUMNS]
    from itertools import islice

    n = sum(1 for nd in result.nodes if not nd.is_const)
    keep = n if n <= max_rows else min(SHOWN_ROWS, max_rows)
    body: list[list[str]] = []
    bold: set[int] = set()
    for r in islice(chain.iter_rows(result), keep):
        c = chain.cells(r, precision, m)
        if r.output:
            bold.add(len(body))
        body.append([c[col] for col in chain.COLUMNS])
    colours = {chain.COLUMNS.index(c): col for c, col in COLOURS.items()}
    right = {chain.VALUE, chain.UPSTREAM}
    more = n - len(body)
    if more > 0:
        body.append(["…"] + [""] * (len(headers) - 1))
    text = _table(headers, body, right, colours, bold)
    if more > 0:
        text += HINT + esc(m("nb.more_rows", more=f"{more:,}")) + "</p>"
    return text


def result_fragment(
    result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION, draw: bool = True
) -> str:
    """What a grad Result shows in a cell: title, picture (or a hint), table, summary, notes."""
    from .table import legend

    m = Messages(lang)
    pic = picture(result, lang, precision, m) if draw else ""
    out = [BOX]
    if not pic.startswith("<figure"):  # the picture has the title and the legend in it
        out.append(f'<div style="font-weight: bold; font-size: 1.05em">{esc(_title(result))}</div>')
    out.append(pic)
    out.append(result_table(result, lang, precision))
    leg = legend(result)
    if leg:
        out.append(
            NOTE + esc(m("nb.where") + " " + ";  ".join(leg[:20]) + (" …" if len(leg) > 20 else "")) + "</p>"
        )
    out.append(_summary_html(result, precision))
    for note in result.notes:
        out.append(NOTE + "note: " + esc(note) + "</p>")
    for w in result.warnings:
        out.append(f'<p style="color: #9a6700; margin: 0.3em 0">warning: {esc(w)}</p>')
    out.append("</div>")
    return "\n".join(out)


def _summary_html(result: Result, precision: int) -> str:
    """'f = -12    ∂f/∂x = -4 ...': the value green, the gradients red."""
    parts = [
        f'<span style="color: {GREEN}">{esc(result.output)} = {esc(one_line(result.value, precision))}</span>'
    ]
    grads = list(result.gradients.items())
    for name, g in grads[:50]:
        parts.append(
            f'<span style="color: {RED}">∂{esc(result.output)}/∂{esc(name)} = {esc(one_line(g, precision))}</span>'
        )
    if len(grads) > 50:
        parts.append(f"… ({len(grads) - 50:,} more)")
    return '<p style="font-weight: bold; margin: 0.4em 0">' + " &nbsp;&nbsp; ".join(parts) + "</p>"


def steps_fragment(ex: Any) -> str:
    """The narration (an :class:`backcalc.explanation.Explanation`) as headings and numbered lists."""
    from .. import explanation as X

    m = ex.messages

    def say(line: Any) -> str:
        return X.say(
            m,
            line,
            math=lambda v: f'<span style="white-space: nowrap">{esc(v.plain)}</span>',
            text=esc,
            code=lambda c: f"<code>{esc(c.text)}</code>",
        )

    out = [BOX, f'<div style="font-weight: bold; font-size: 1.05em">{say(ex.title)}</div>']
    for sec in ex.sections:
        out.append(f'<div style="font-weight: bold; margin-top: 0.6em">{esc(m(sec.key))}</div>')
        numbered = any(st.number is not None for st in sec.steps)
        first = next((st.number for st in sec.steps if st.number is not None), 1)
        out.append(
            f'<ol start="{first}" style="margin: 0.2em 0">' if numbered else '<ul style="margin: 0.2em 0">'
        )
        for st in sec.steps:
            item = say(st.head)
            if st.lines:
                item += (
                    '<ul style="margin: 0">'
                    + "".join(
                        f'<li style="{"color: #57606a" if ln.key.startswith("why.") else ""}">{say(ln)}</li>'
                        for ln in st.lines
                    )
                    + "</ul>"
                )
            out.append(f"<li>{item}</li>")
        out.append("</ol>" if numbered else "</ul>")
    if ex.meaning is not None:
        out.append(f"<p>{say(ex.meaning)}</p>")
    out.append(f'<div style="font-weight: bold; margin-top: 0.6em">{esc(m("table.heading"))}</div>')
    out.append(result_table(ex.result, ex.lang, ex.precision))
    out.append("</div>")
    return "\n".join(out)


def picture_fragment(result: Result, lang: str, precision: int) -> str:
    pic = picture(result, lang, precision, Messages(lang))
    if not pic.startswith("<figure"):
        pic = f'<div style="font-weight: bold">{esc(_title(result))}</div>' + pic
    return BOX + pic + "</div>"


def net_fragment(ev: Any, precision: int = DEFAULT_PRECISION, lang: str = "en") -> str:
    """A network's evaluation: the loss, then per layer z, a, δ = ∂L/∂z, ∂L/∂W, ∂L/∂b (and after a step, the new W, b)."""
    from .net_table import loss_line

    m = Messages(lang)
    p = precision
    headers = [m("nb.layer"), m("nb.activation"), "z", "a", "δ = ∂L/∂z", "∂L/∂W", "∂L/∂b"]
    stepped = ev.step is not None
    if stepped:
        headers += ["W ← W − lr·∂L/∂W", "b ← b − lr·∂L/∂b"]
    rows = []
    for rec in ev.layers:
        row = [
            str(rec.index + 1),
            rec.activation,
            _cell(rec.z, p),
            _cell(rec.a, p),
            _cell(rec.delta, p),
            _cell(rec.dW, p),
            _cell(rec.db, p),
        ]
        if stepped:
            row += [_cell(rec.W_new, p), _cell(rec.b_new, p)]
        rows.append(row)
    colours = {2: GREEN, 3: GREEN, 4: RED, 5: RED, 6: RED}
    out = [
        BOX,
        f'<div style="font-weight: bold">{esc(loss_line(ev, p))}</div>',
        _table(headers, rows, set(), colours),
    ]
    if stepped:
        out.append(NOTE + esc(m("nb.step", lr=f"{ev.step.lr:g}", loss=fmt(ev.step.loss_after, p))) + "</p>")
    out.append(NOTE + esc(m("nb.net_graph", nodes=f"{len(ev.result.nodes):,}")) + "</p>")
    out.append("</div>")
    return "\n".join(out)


def _cell(v: Any, p: int) -> str:
    return "" if v is None else one_line(v, p)


def train_fragment(
    report: Any, plot_svg: str | None, precision: int = DEFAULT_PRECISION, lang: str = "en"
) -> str:
    """A training run: what was trained on what, the loss first, last and on all the data, and the curve."""
    from .loss_plot import terminal_plot

    m = Messages(lang)
    r, p = report, precision
    out = [
        BOX,
        '<div style="font-weight: bold">'
        + esc(
            m(
                "nb.trained",
                spec=r.spec,
                data=r.data_summary,
                epochs=r.epochs_run,
                steps=r.steps,
                batch=r.batch,
                lr=f"{r.lr:g}",
                seconds=f"{r.seconds:.2f}",
            )
        )
        + "</div>",
    ]
    if r.losses:
        out.append(
            '<p style="margin: 0.3em 0">'
            + esc(
                m(
                    "nb.losses",
                    first=fmt(r.losses[0], p),
                    last=fmt(r.losses[-1], p),
                    epochs=len(r.losses),
                    final=fmt(r.final_loss, p),
                )
            )
            + "</p>"
        )
        if plot_svg is not None:
            out.append(f'<figure style="margin: 0.3em 0; max-width: 40em">{inline_svg(plot_svg)}</figure>')
        else:
            out.append(f'<pre style="line-height: 1.1">{esc(terminal_plot(r.losses))}</pre>')
    if r.interrupted:
        out.append(
            HINT + esc(m("nb.interrupted", steps=r.steps, epochs=r.epochs_run, asked=r.epochs)) + "</p>"
        )
    for w in r.warnings:
        out.append(f'<p style="color: #9a6700">warning: {esc(w)}</p>')
    out.append("</div>")
    return "\n".join(out)


def class_fragment(report: Any, lang: str = "en") -> str:
    """A graded class: one row per student (points per problem, total, status), mean and median."""
    from .grade_common import points, row
    from .grade_table import summary_line

    s = report.summary
    headers = [
        "student",
        *(f"{p.name} /{points(p.max_score)}" for p in s.problems),
        f"total /{points(s.max_score)}",
        "status",
    ]
    rows_ = [row(r) for r in report.submissions]
    shown = rows_ if len(rows_) <= MAX_ROWS else rows_[:SHOWN_ROWS]
    body = [[r.student, *(points(x) for x in r.problems), points(r.score), r.status] for r in shown]
    if len(shown) < len(rows_):
        body.append(["…"] + [""] * (len(headers) - 1))
    body.append(["mean", *(points(round(x.mean, 3)) for x in s.problems), points(round(s.mean, 3)), ""])
    body.append(["median", *(points(x.median) for x in s.problems), points(s.median), ""])
    right = set(range(1, len(headers) - 1))
    colour = GREEN if s.exit_code == 0 else RED
    title = report.title or f"grades ({report.key})"
    out = [BOX, f'<div style="font-weight: bold">{esc(title)}</div>', _table(headers, body, right)]
    if len(shown) < len(rows_):
        out.append(
            HINT + esc(Messages(lang)("nb.more_students", more=f"{len(rows_) - len(shown):,}")) + "</p>"
        )
    out.append(f'<p style="font-weight: bold; color: {colour}">{esc(summary_line(s))}</p></div>')
    return "\n".join(out)
