"""One self-contained HTML page: the graph (inline SVG), the chain-rule table and the steps.

No scripts, no external files, no fonts to fetch: a student can open it
offline or send it to someone.  The SVG comes from Graphviz's dot; without it
the page says so, and the table and steps still carry every number.
"""

from __future__ import annotations

import html

from ..display import DEFAULT_PRECISION
from ..result import Result
from . import chain

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK KR",
       "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; margin: 2rem auto; max-width: 72rem;
       padding: 0 1rem; color: #1f2328; line-height: 1.5; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
code, .math { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.math { white-space: nowrap; }
figure { margin: 0; overflow-x: auto; }
figure svg { max-width: none; height: auto; } /* drawn at its size (scroll sideways): tags stay readable */
figcaption { color: #57606a; font-size: 0.9rem; }
.missing { background: #fff8c5; border: 1px solid #d4a72c; padding: 0.5rem 1rem; }
table { border-collapse: collapse; font-size: 0.95rem; }
th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; } tr.output { font-weight: bold; }
ol > li { margin-top: 0.6rem; } ul.lines { margin: 0.2rem 0; } li.why { color: #57606a; }
.value { color: #1a7f37; } .grad { color: #cf222e; }
"""


def render(
    result: Result,
    lang: str = "en",
    precision: int = DEFAULT_PRECISION,
    svg: str | None = None,
    draw: bool = True,
) -> str:
    """The page.  ``svg`` is the picture to inline; by default it is drawn with Graphviz when installed."""
    from .. import explanation as X
    from . import dot

    esc = html.escape
    ex = X.build(result, lang, precision)
    m = ex.messages
    if svg is None and draw:
        svg = dot.svg(result, lang, precision, legend=False)  # the legend is the figure's caption

    def say(line: X.Line) -> str:
        return X.say(
            m,
            line,
            math=lambda v: f'<span class="math">{esc(v.plain)}</span>',
            text=esc,
            code=lambda c: f"<code>{esc(c.text)}</code>",
        )

    title_text = X.say(m, ex.title)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="backcalc">',
        f"<title>{esc(title_text)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{say(ex.title)}</h1>",
    ]
    out.append(f"<h2>{esc(m('graph.heading'))}</h2>")
    if svg:
        out.append(
            f'<figure id="graph">{dot.svg_element(svg)}<figcaption>{esc(m("graph.legend"))}</figcaption></figure>'
        )
    else:
        out.append(f'<p class="missing" id="graph-missing">{esc(m("graph.missing"))}</p>')
    out.append(f"<h2>{esc(m('table.heading'))}</h2>")
    headers, rows = chain.text_table(result, lang, precision)
    out.append(
        '<table id="chain-rule"><thead><tr>'
        + "".join(f"<th>{esc(h)}</th>" for h in headers)
        + "</tr></thead><tbody>"
    )
    for r in rows:
        cls = ' class="output"' if r[0] == result.output else ""
        cells = []
        for k, c in enumerate(r):
            kind = (
                ' class="num value"'
                if k == chain.VALUE
                else ' class="num grad"'
                if k == chain.UPSTREAM
                else ""
            )
            cells.append(f"<td{kind}>{esc(c)}</td>")
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    out.append(f"<p><strong>{say(X.summary_line(result, precision))}</strong></p>")
    for sec in ex.sections:
        out.append(f"<h2>{esc(m(sec.key))}</h2>")
        numbered = any(st.number is not None for st in sec.steps)
        if numbered:
            first = next(st.number for st in sec.steps if st.number is not None)
            out.append(f'<ol start="{first}">')
        else:
            out.append("<ul>")
        for st in sec.steps:
            item = say(st.head)
            if st.lines:
                subs = "".join(
                    f"<li{' class=' + chr(34) + 'why' + chr(34) if ln.key.startswith('why.') else ''}>"
                    f"{say(ln)}</li>"
                    for ln in st.lines
                )
                item += f'<ul class="lines">{subs}</ul>'
            out.append(f"<li>{item}</li>")
        out.append("</ol>" if numbered else "</ul>")
    if ex.meaning is not None:
        out.append(f"<p>{say(ex.meaning)}</p>")
    out.append(f"<footer><small>{esc(m('generated'))}</small></footer>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
