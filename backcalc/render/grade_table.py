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


def detail(report: SubmissionReport, precision: int = 4) -> Any:
    """One student's report: a line, and the table of answers that lost points."""
    head = Text.assemble(
        (report.student, "bold"),
        f" ({report.file}): {points(report.score)} of {points(report.max_score)} points ",
        status_text(report.status),
    )
    parts: list[Any] = [head]
    if report.error is not None:
        parts.append(Text(f"  malformed: {report.error}; every answer scores 0", style="magenta"))
    for note in report.ignored:
        parts.append(Text(f"  ignored: {note}", style="yellow"))
    for note in report.warnings:
        parts.append(Text(f"  warning: {note}", style="yellow"))
    if report.error is None and report.status != "passed":
        table = Table(header_style="bold", show_edge=True)
        for h, j in (
            ("problem", "left"),
            ("quantity", "left"),
            ("answer", "right"),
            ("correct", "right"),
            ("error", "right"),
            ("points", "right"),
            ("result", "left"),
            ("feedback", "left"),
        ):
            table.add_column(h, justify=j)  # type: ignore[arg-type]
        for p in report.problems:
            for it in p.items:
                if it.passed:
                    continue
                table.add_row(  # Text, not str: names and feedback are never read as rich markup
                    Text(p.name),
                    Text(it.quantity),
                    num(it.answer, precision) if it.answer is not None else "",
                    num(it.correct, precision),
                    error_text(it),
                    f"{points(it.points)}/{points(it.max_points)}",
                    status_text(it.status),
                    Text(it.feedback or ""),
                )
        parts.append(table)
    from rich.console import Group

    return Group(*parts)


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
        self.console.print(detail(report, self.precision))
        self.rows.append(row(report))

    def end(self, summary: ClassSummary) -> None:
        self.console.print(class_table(self.key, self.rows, summary))
