"""The grading report in the terminal: a detail table per student (as each is graded: every
answer that lost points, with the answer, the correct value, the error and the feedback),
then the class table (a row per student, a column per problem, the total) and the class's
mean and median per problem."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from .grade_common import Row, Writer, error_text, num, points, row

if TYPE_CHECKING:
    from ..grading import ClassSummary, SubmissionReport

_STATUS = {
    "passed": ("✓ passed", "green"),
    "failed": ("✗ failed", "bold red"),
    "malformed": ("malformed", "bold magenta"),
    "missing": ("missing", "yellow"),
    "unreadable": ("unreadable", "magenta"),
}


def _t(lang: str, key: str, **params: Any) -> str:
    from ..errors import Msg

    return Msg(key, **params).text(lang)


def status_text(status: str, lang: str = "en") -> Text:
    label, style = _STATUS.get(status, (status, ""))
    if lang != "en" and status in _STATUS:
        label = _t(lang, "grade.status." + status)
    return Text(label, style=style)


def detail(report: SubmissionReport, precision: int = 4, lang: str = "en") -> Text:
    """One student's report: a line with the points, then each answer that lost points (the
    answer, the correct value, the error, the points and the feedback).  Plain lines rather
    than a table: a class of thousands prints in seconds."""
    out = Text()
    out.append(report.student, style="bold")
    from ..errors import in_lang, label

    out.append(
        _t(
            lang,
            "grade.points_of",
            file=report.file,
            score=points(report.score),
            max=points(report.max_score),
        )
    )
    out.append_text(status_text(report.status, lang))
    if report.error is not None:
        out.append("\n  " + _t(lang, "grade.sub_malformed", error=report.error), style="magenta")
    for note in report.ignored:
        out.append("\n  " + _t(lang, "grade.ignored", note=note), style="yellow")
    for note in report.warnings:
        out.append(f"\n  {label('warning', lang)}: {in_lang(note, lang)}", style="yellow")
    if report.error is not None:
        return out
    for p in report.problems:
        for it in p.items:
            if it.passed:
                continue
            out.append("\n  ")
            out.append_text(status_text(it.status, lang))
            out.append(f" {p.name}  {it.quantity}: ", style="bold")
            answer = _t(lang, "optim.none") if it.answer is None else num(it.answer, precision)
            out.append(_t(lang, "grade.answer", answer=answer, correct=num(it.correct, precision)))
            err = error_text(it)
            if err:
                out.append(_t(lang, "grade.error", error=err))
            out.append(_t(lang, "grade.item_points", points=points(it.points), max=points(it.max_points)))
            if it.feedback:
                out.append(f"\n      {it.feedback}", style="cyan")
    return out


def class_table(key: Any, rows: list[Row], summary: ClassSummary, lang: str = "en") -> Any:
    from rich.console import Group
    from rich.markup import escape

    table = Table(title=escape(key.title or _t(lang, "grade.title", path=key.path)), header_style="bold")
    table.add_column(_t(lang, "grade.student"))
    for p in key.problems:
        table.add_column(escape(f"{p.name}\n/{points(p.points)}"), justify="right")
    table.add_column(_t(lang, "grade.total") + f"\n/{points(key.max_score)}", justify="right")
    table.add_column(_t(lang, "grade.status"))
    for r in rows:
        table.add_row(
            Text(r.student), *(points(s) for s in r.problems), points(r.score), status_text(r.status, lang)
        )
    table.add_section()
    table.add_row(
        _t(lang, "grade.mean"),
        *(points(round(s.mean, 3)) for s in summary.problems),
        points(round(summary.mean, 3)),
        "",
    )
    table.add_row(
        _t(lang, "grade.median"), *(points(s.median) for s in summary.problems), points(summary.median), ""
    )
    return Group(
        table, Text(summary_line(summary, lang), style="bold green" if summary.exit_code == 0 else "bold red")
    )


RICH_ROWS = 300  # a larger class gets the same columns as aligned plain text (rich's table is slow per cell)


def plain_class_table(key: Any, rows: list[Row], summary: ClassSummary, lang: str = "en") -> Text:
    """The class table as aligned plain text, for large classes."""
    head = [
        _t(lang, "grade.student"),
        *(f"{p.name} /{points(p.points)}" for p in key.problems),
        _t(lang, "grade.total") + f" /{points(key.max_score)}",
    ]
    body = [[r.student, *(points(x) for x in r.problems), points(r.score)] for r in rows]
    stats = [
        [
            _t(lang, "grade.mean"),
            *(points(round(x.mean, 3)) for x in summary.problems),
            points(round(summary.mean, 3)),
        ],
        [_t(lang, "grade.median"), *(points(x.median) for x in summary.problems), points(summary.median)],
    ]
    widths = [max(len(line[k]) for line in [head, *body, *stats]) for k in range(len(head))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(cells, widths)))

    out = Text(key.title or _t(lang, "grade.title", path=key.path), style="bold")
    out.append("\n" + line(head) + "  " + _t(lang, "grade.status"), style="bold")
    for cells, r in zip(body, rows):
        out.append("\n" + line(cells) + "  ")
        out.append_text(status_text(r.status, lang))
    out.append("\n" + "\n".join(line(c) for c in stats))
    out.append(
        "\n" + summary_line(summary, lang), style="bold green" if summary.exit_code == 0 else "bold red"
    )
    return out


def summary_line(s: ClassSummary, lang: str = "en") -> str:
    n = s.submissions
    return _t(
        lang,
        "grade.summary_1" if n == 1 else "grade.summary",
        n=n,
        passed=s.passed,
        failed=s.failed,
        malformed=s.malformed,
        mean=points(round(s.mean, 3)),
        max=points(s.max_score),
    )


class TableWriter(Writer):
    def __init__(self, console: Any, precision: int = 4, lang: str = "en") -> None:
        super().__init__(None, precision, lang)
        self.console = console
        self.rows: list[Row] = []

    def add(self, report: SubmissionReport) -> None:
        # soft_wrap: the terminal wraps long feedback lines; rich measuring them costs more
        self.console.print(detail(report, self.precision, self.lang), soft_wrap=True)
        self.rows.append(row(report))

    def end(self, summary: ClassSummary) -> None:
        if len(self.rows) <= RICH_ROWS:
            self.console.print(class_table(self.key, self.rows, summary, self.lang))
        else:
            self.console.print(plain_class_table(self.key, self.rows, summary, self.lang), soft_wrap=True)
