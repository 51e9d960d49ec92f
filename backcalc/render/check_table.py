"""Rich renderables for the checking features: symbolic formulas, exact values, the gradient
check, expected answers (--expect) and answer-file reports (backcalc check).  They format the
records in ``Result.symbolic`` / ``.exact`` / ``.gradcheck`` / ``.expect`` and the report
of :func:`backcalc.answers.grade`; nothing here computes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rich.console import Group, JustifyMethod
from rich.table import Table
from rich.text import Text

from ..display import DEFAULT_PRECISION, fmt, one_line
from ..errors import in_lang
from ..limits import MAX_CSE_LINES, MAX_ELEMENTS_SHOWN, MAX_FORMULA
from ..result import Result

if TYPE_CHECKING:
    from ..answers import AnswerCheck, Report
    from ..gradcheck import Expectation


PASS = Text("✓ pass", style="green")
FAIL = Text("✗ FAIL", style="bold red")


def _table(title: str, columns: tuple[tuple[str, str], ...]) -> Table:
    """A titled table with these (header, justify) columns."""
    table = Table(title=title, title_justify="center", header_style="bold")
    for h, j in columns:
        table.add_column(h, justify=cast("JustifyMethod", j))
    return table


class Fit:
    """A table when it fits the width it is drawn in; else one block per row (each cell on
    a line of its own, after its header; a row whose first cell is blank continues the block
    above), so no number is cut."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.measure import Measurement

        t = self.table
        if Measurement.get(console, options.update_width(1 << 20), t).maximum <= options.max_width:
            yield t
            return
        if t.title:
            yield Text(str(t.title), style="bold")
        headers = [str(c.header) for c in t.columns]
        columns = [list(c.cells) for c in t.columns]
        for k in range(t.row_count):
            cells = [col[k] for col in columns]
            texts = [c.plain if isinstance(c, Text) else str(c) for c in cells]
            if not any(x.strip() for x in texts):
                continue
            # the first column heads a block; a row without it continues the block above
            head = 0 if texts[0].strip() else None
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True, style="dim")
            grid.add_column()
            for i, (h, cell, text) in enumerate(zip(headers, cells, texts)):
                if not text.strip():
                    continue
                if i == head:
                    yield Text(text, style="bold")
                    continue
                grid.add_row(f"  {h}:" if h.strip() else "", cell)
            yield grid


def _verdict(passed: bool | None, m: Any = None) -> Text:
    if passed is None:
        return Text("?", style="yellow")
    if m is not None and m.lang != "en":
        return Text(m("check.pass"), style="green") if passed else Text(m("check.fail"), style="bold red")
    return PASS if passed else FAIL


def _m(m: Any) -> Any:
    """The catalogue the checking tables' words come from (English unless given)."""
    if m is None:
        from ..i18n import Messages

        return Messages("en")
    return m


def _clip(s: str, n: int = MAX_FORMULA) -> str:
    return s if len(s) <= n else s[:n] + f" … ({len(s):,} characters; full text in --format json)"


def _num(v: Any, p: int) -> str:
    return "" if v is None else fmt(v, p)


def _index_text(idx: tuple) -> str:
    return "[" + ", ".join(str(k) for k in idx) + "]"


def _elements(formulas: Any) -> list[tuple[tuple, str]]:
    """Nested lists of formulas -> (index, formula) in row-major order (an explicit stack)."""
    out: list[tuple[tuple, str]] = []
    stack: list[tuple[tuple, Any]] = [((), formulas)]
    while stack:
        idx, v = stack.pop()
        if isinstance(v, list):
            stack.extend(((*idx, k), e) for k, e in reversed(list(enumerate(v))))
        else:
            out.append((idx, str(v)))
    return out


def _formula_cell(g: Any) -> str:
    """A scalar's formula, or an array's one element per line: '[0, 1]: 2*x[1]*(...)'."""
    if g.formulas is None:
        return _clip(g.formula)
    items = _elements(g.formulas)
    lines = [f"{_index_text(i)}: {_clip(f, 160)}" for i, f in items[:MAX_ELEMENTS_SHOWN]]
    if len(items) > MAX_ELEMENTS_SHOWN:
        lines.append(f"… {len(items) - MAX_ELEMENTS_SHOWN} more elements in --format json")
    return "\n".join(lines)


def _chain_cell(g: Any, out: str) -> str:
    chain = g.chain
    locs = g.chain_locals
    if g.chain_form in ("steps", "one step"):  # arrays: backprop steps, one per line
        cell = chain.replace("; ", "\n")
        if locs and locs != chain:
            cell += "\nwhere " + "\n      ".join(_clip(x, 160) for x in locs.split("; "))
        return cell
    cell = f"{chain}\n= {locs}" if chain and chain != locs else chain
    if g.chain_form == "one step":
        cell = f"{cell}\n({g.paths:,} paths from {out}; one step of the chain rule shown)"
    return cell


def symbolic_section(result: Result, p: int, m: Any = None) -> list[Any]:
    rec = result.symbolic
    if rec is None:
        return []
    m = _m(m)
    out = result.output
    items: list[Any] = []
    table = _table(
        m("check.symbolic"),
        (
            (m("check.input"), "left"),
            (f"∂{out}/∂{m('check.input')}", "left"),
            (m("check.chain"), "left"),
            (m("check.formula_value"), "right"),
            (m("check.numeric"), "right"),
            (m("check.agrees"), "left"),
        ),
    )
    for name, g in rec.gradients.items():
        table.add_row(
            name,
            _formula_cell(g),
            _clip(_chain_cell(g, out), 4 * MAX_FORMULA),
            _num(g.value, p),
            _num(g.numeric, p),
            _verdict(g.agrees, m),
        )
    if rec.formula:
        items.append(Text(f"{out} = {_clip(rec.formula)}", style="bold"))
    items.append(Fit(table))
    if rec.decided:
        items.append(Text(m("check.formulas_are", decided=rec.decided), style="dim"))
    cse = rec.cse
    if cse:
        lines = []
        for key, what in (
            ("forward", m("check.cse_nodes")),
            ("replacements", m("check.cse_common")),
            ("backward", m("check.cse_upstream")),
        ):
            defs = getattr(cse, key)
            if not defs:
                continue
            lines.append(f"{what} ({len(defs):,}):")
            lines += [f"  {s} = {_clip(r, 120)}" for s, r in defs[:MAX_CSE_LINES]]
            if len(defs) > MAX_CSE_LINES:
                lines.append("  " + m("check.cse_more", n=len(defs) - MAX_CSE_LINES))
        items.append(
            Text(
                m("check.cse_heading") + "\n" + "\n".join(lines),
                style="dim",
            )
        )
    if rec.too_large:
        items.append(Text(m("check.note_symbolic", stopped=rec.stopped), style="yellow"))
    elif rec.stopped:
        missing = [n for n in result.gradients if n not in rec.gradients]
        items.append(
            Text(
                m("check.note_symbolic_work", stopped=rec.stopped)
                + (m("check.no_formula_for", names=", ".join(missing)) if missing else ""),
                style="yellow",
            )
        )
    return items


def exact_section(result: Result, p: int, m: Any = None) -> list[Any]:
    m = _m(m)
    rec = result.exact
    if rec is None:
        return []
    if rec.too_large:
        return [Text(m("check.note_exact", stopped=rec.stopped), style="yellow")]
    if not rec.complete:
        return [
            Text(
                m("check.note_exact_stopped", stopped=rec.stopped),
                style="yellow",
            )
        ]
    table = _table(
        m("check.exact"),
        (
            (m("col.node"), "left"),
            (m("col.value"), "left"),
            ("≈", "right"),
            (m("col.upstream"), "left"),
            ("≈ ", "right"),
        ),
    )
    for n in rec.nodes:
        table.add_row(
            n.id,
            _clip(n.value.text, 80),
            fmt(n.value.decimal, p),
            _clip(n.grad.text, 80),
            fmt(n.grad.decimal, p),
            style="bold" if n.id == result.output else None,
        )
    v = rec.value
    assert v is not None  # a complete record has its value
    parts = [f"{result.output} = {_clip(v.text, 60)} ≈ {one_line(v.decimal, p)}"]
    for name, g in rec.gradients.items():
        parts.append(f"∂{result.output}/∂{name} = {_clip(g.text, 60)} ≈ {one_line(g.decimal, p)}")
    sep = "\n" if any(g.shape is not None for g in rec.gradients.values()) else "    "
    return [Fit(table), Text(sep.join(parts), style="bold")]


def gradcheck_section(result: Result, p: int, m: Any = None) -> list[Any]:
    rec = result.gradcheck
    if rec is None:
        return []
    m = _m(m)
    table = _table(
        m("check.gradcheck", h=f"{rec.h:g}", tol=f"{rec.tol:g}"),
        (
            (m("check.input"), "left"),
            (m("check.analytic"), "right"),
            (m("check.numeric"), "right"),
            (m("check.relative_error"), "right"),
            (m("check.result"), "left"),
        ),
    )
    for r in rec.inputs:
        rel = "" if r.max_rel_error is None else f"{r.max_rel_error:.2e}"
        verdict = _verdict(r.passed, m)
        if r.kinks:
            verdict = Text.assemble(verdict, Text(" ⚠ kink", style="yellow"))
        table.add_row(
            r.name,
            _num(r.analytic, p),
            _num(r.numeric, p),
            rel if not r.error else r.error,
            verdict,
        )
    ok = rec.passed
    line = Text(
        m("check.gradcheck_passed" if ok else "check.gradcheck_failed"),
        style="bold green" if ok else "bold red",
    )
    return [Fit(table), *_gradcheck_details(rec, p, m), line]


def _gradcheck_details(rec: Any, p: int, m: Any) -> list[Any]:
    """cs231n's relative error and the worst element per input, then the kink checks (in m's language)."""
    lines = []
    for r in rec.inputs:
        if r.cs231n_rel_error is None or r.worst is None:
            continue
        w = r.worst
        at = f"{r.name}{_index_text(tuple(w.index))}" if w.index else r.name
        lines.append(
            m(
                "gradcheck.cs231n",
                name=r.name,
                error=f"{r.cs231n_rel_error:.2e}",
                at=at,
                analytic=fmt(w.analytic, p),
                numeric=fmt(w.numeric, p),
            )
        )
        for k in r.kink_checks:
            at = f"{r.name}{_index_text(tuple(k.index))}" if k.index else r.name
            key = "gradcheck.kink_between" if k.between else "gradcheck.kink_outside"
            lines.append(
                m(key, at=at, left=fmt(k.left, p), right=fmt(k.right, p), analytic=fmt(k.analytic, p))
            )
    if not lines:
        return []
    return [Text("\n".join(lines), style="dim")]


def expect_section(result: Result, p: int, m: Any = None) -> list[Any]:
    m = _m(m)
    table = _table(
        m("check.expected_answers"),
        (
            (m("check.answer"), "left"),
            (m("check.expected"), "right"),
            (m("check.computed"), "right"),
            (m("check.error"), "right"),
            (m("check.result"), "left"),
        ),
    )
    for r in result.expect or []:
        table.add_row(r.quantity, fmt(r.expected, p), fmt(r.computed, p), _error(r), _verdict(r.passed, m))
    return [Fit(table)]


def _error(r: Expectation | AnswerCheck) -> str:
    if r.why:
        return r.why
    if r.abs_error is None:
        return ""
    if r.abs_error == 0:
        return "0"
    return f"{r.abs_error:.2g} (rel {r.rel_error:.2g})"


def render_extras(result: Result, precision: int = DEFAULT_PRECISION, lang: str = "en") -> Group:
    from ..i18n import Messages

    m = Messages(lang)
    items: list[Any] = []
    if result.symbolic is not None:
        items += symbolic_section(result, precision, m)
    if result.exact is not None:
        items += exact_section(result, precision, m)
    if result.gradcheck is not None:
        items += gradcheck_section(result, precision, m)
    if result.expect is not None:
        items += expect_section(result, precision, m)
    return Group(*items)


def has_extras(result: Result) -> bool:
    return any(getattr(result, k) is not None for k in ("symbolic", "exact", "gradcheck", "expect"))


# --- backcalc check FILE ------------------------------------------------------------

_STATUS = {
    "pass": Text("✓ pass", style="green"),
    "fail": Text("✗ FAIL", style="bold red"),
    "malformed": Text("malformed", style="bold magenta"),
}


def render_report(report: Report, precision: int = DEFAULT_PRECISION, lang: str = "en") -> Group:
    from ..i18n import Messages

    m = Messages(lang)
    p = precision
    title = report.title or m("check.answers_in", file=report.file)
    table = _table(
        title,
        (
            ("#", "right"),
            (m("check.problem"), "left"),
            (m("check.answer"), "left"),
            (m("check.expected"), "right"),
            (m("check.computed"), "right"),
            (m("check.error"), "right"),
            (m("check.result"), "left"),
        ),
    )
    for k, it in enumerate(report.items):
        if k:
            table.add_section()
        if it.status == "malformed":
            table.add_row(
                str(it.index),
                it.name,
                Text(in_lang(it.error or "", lang), style="magenta"),
                "",
                "",
                "",
                Text(m("check.malformed"), style="bold magenta") if lang != "en" else _STATUS["malformed"],
            )
            continue
        first = True
        for c in it.checks:
            table.add_row(
                str(it.index) if first else "",
                it.name if first else "",
                c.quantity,
                fmt(c.expected, p),
                fmt(c.computed, p),
                _error(c),
                _verdict(c.passed, m),
            )
            first = False
    style = "bold green" if report.summary.exit_code == 0 else "bold red"
    return Group(Fit(table), Text(summary_line(report, lang), style=style))


def summary_line(report: Report, lang: str = "en") -> str:
    from ..errors import Msg

    s = report.summary
    problems = Msg("check.one_problem" if s.problems == 1 else "check.n_problems", n=s.problems)
    text = Msg("check.summary", problems=problems, passed=s.passed).text(lang)
    failed = [it for it in report.items if it.status == "fail"]
    if failed:
        names = []
        for it in failed:
            bad = [c.quantity for c in it.checks if not c.passed]
            names.append(f"{it.name} ({', '.join(bad)})")
        text += Msg("check.summary_failed", n=len(failed), names="; ".join(names)).text(lang)
    else:
        text += Msg("check.summary_none_failed").text(lang)
    broken = [it for it in report.items if it.status == "malformed"]
    if broken:
        text += Msg("check.summary_malformed", n=len(broken), names="; ".join(it.name for it in broken)).text(
            lang
        )
    return text
