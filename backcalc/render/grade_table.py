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


def status_text(status: str) -> Text:
    label, style = _STATUS.get(status, (status, ""))
    return Text(label, style=style)


def detail(report: SubmissionReport, precision: int = 4) -> Text:
    """One student's report: a line with the points, then each answer that lost points (the
    answer, the correct value, the error, the points and the feedback).  Plain lines rather
    than a table: a class of thousands prints in seconds."""
    out = Text()
    out.append(report.student, style="bold")
    out.append(f" ({report.file}): {points(report.score)} of {points(report.max_score)} points ")
    out.append_text(status_text(report.status))
    if report.error is not None:
        out.append(f"\n  malformed: {report.error}; every answer scores 0", style="magenta")
    for note in report.ignored:
        out.append(f"\n  ignored: {note}", style="yellow")
    for note in report.warnings:
        out.append(f"\n  warning: {note}", style="yellow")
    if report.error is not None:
        return out
    for p in report.problems:
        for it in p.items:
            if it.passed:
                continue
            out.append("\n  ")
            out.append_text(status_text(it.status))
            out.append(f" {p.name}  {it.quantity}: ", style="bold")
            answer = "none" if it.answer is None else num(it.answer, precision)
            out.append(f"answer {answer}, correct {num(it.correct, precision)}")
            err = error_text(it)
            if err:
                out.append(f", error {err}")
            out.append(f"; {points(it.points)}/{points(it.max_points)} points")
            if it.feedback:
                out.append(f"\n      {it.feedback}", style="cyan")
    return out


def class_table(key: Any, rows: list[Row], summary: ClassSummary) -> Any:
    from rich.console import Group
    from rich.markup import escape

    table = Table(title=escape(key.title or f"grades ({key.path})"), header_style="bold")
    table.add_column("student")
    for p in key.problems:
        table.add_column(escape(f"{p.name}\n/{points(p.points)}"), justify="right")
    table.add_column(f"total\n/{points(key.max_score)}", justify="right")
    table.add_column("status")
    for r in rows:
        table.add_row(
            Text(r.student), *(points(s) for s in r.problems), points(r.score), status_text(r.status)
        )
    table.add_section()
    table.add_row(
        "mean", *(points(round(s.mean, 3)) for s in summary.problems), points(round(summary.mean, 3)), ""
    )
    table.add_row("median", *(points(s.median) for s in summary.problems), points(summary.median), "")
    return Group(
        table, Text(summary_line(summary), style="bold green" if summary.exit_code == 0 else "bold red")
    )


RICH_ROWS = 300  # a larger class gets the same columns as aligned plain text (rich's table is slow per cell)


def plain_class_table(key: Any, rows: list[Row], summary: ClassSummary) -> Text:
    """The class table as aligned plain text, for large classes."""
    head = [
        "student",
        *(f"{p.name} /{points(p.points)}" for p in key.problems),
        f"total /{points(key.max_score)}",
    ]
    body = [[r.student, *(points(x) for x in r.problems), points(r.score)] for r in rows]
    stats = [
        ["mean", *(points(round(x.mean, 3)) for x in summary.problems), points(round(summary.mean, 3))],
        ["median", *(points(x.median) for x in summary.problems), points(summary.median)],
    ]
    widths = [max(len(line[k]) for line in [head, *body, *stats]) for k in range(len(head))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(cells, widths)))

    out = Text(key.title or f"grades ({key.path})", style="bold")
    out.append("\n" + line(head) + "  status", style="bold")
    for cells, r in zip(body, rows):
        out.append("\n" + line(cells) + "  ")
        out.append_text(status_text(r.status))
    out.append("\n" + "\n".join(line(c) for c in stats))
    out.append("\n" + summary_line(summary), style="bold green" if summary.exit_code == 0 else "bold red")
    return out


def summary_line(s: ClassSummary) -> str:
    n = s.submissions
    return (
        f"{n} submission{'s' if n != 1 else ''}: {s.passed} passed everything, {s.failed} lost points, "
        f"{s.malformed} malformed; mean {points(round(s.mean, 3))} of {points(s.max_score)} points"
    )


class TableWriter(Writer):
    def __init__(self, console: Any, precision: int = 4, lang: str = "en") -> None:
        super().__init__(None, precision, lang)
        self.console = console
        self.rows: list[Row] = []

    def add(self, report: SubmissionReport) -> None:
        # soft_wrap: the terminal wraps long feedback lines; rich measuring them costs more
        self.console.print(detail(report, self.precision), soft_wrap=True)
        self.rows.append(row(report))

    def end(self, summary: ClassSummary) -> None:
        if len(self.rows) <= RICH_ROWS:
            self.console.print(class_table(self.key, self.rows, summary))
        else:
            self.console.print(plain_class_table(self.key, self.rows, summary), soft_wrap=True)
