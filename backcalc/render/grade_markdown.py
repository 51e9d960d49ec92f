"""The grading report as markdown, for posting feedback: a section per student (every answer,
the correct value and the feedback), then the class table with the mean and median."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .grade_common import Row, Writer, num, points, row

if TYPE_CHECKING:
    from ..grading import ClassSummary, Key, SubmissionReport


_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "\n": " ",
        "\r": " ",
        "*": "\\*",
        "_": "\\_",
        "`": "\\`",
        "[": "\\[",
        "]": "\\]",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        "#": "\\#",
    }
)


def cell(s: str) -> str:
    """Text made safe for markdown (a table cell or a heading): no emphasis, links, HTML or tables."""
    return s.translate(_ESCAPES)


_MARK = {"passed": "✓", "failed": "✗", "missing": "✗ missing", "unreadable": "✗ unreadable"}


class MarkdownWriter(Writer):
    def begin(self, key: Key) -> None:
        super().begin(key)
        self.rows: list[Row] = []
        self.out.write(f"# {cell(key.title or 'Grades')}\n\n")

    def add(self, report: SubmissionReport) -> None:
        w = self.out.write
        w(f"## {cell(report.student)}: {points(report.score)} / {points(report.max_score)}\n\n")
        if report.error is not None:
            w(f"Malformed submission ({cell(report.file)}): {cell(report.error)}. Every answer scores 0.\n\n")
        for note in report.ignored + report.warnings:
            w(f"- {cell(note)}\n")
        if report.ignored or report.warnings:
            w("\n")
        if report.error is None:
            w("| problem | quantity | answer | correct | points | result | feedback |\n")
            w("| --- | --- | ---: | ---: | ---: | --- | --- |\n")
            for p in report.problems:
                for it in p.items:
                    answer = "" if it.answer is None else num(it.answer, self.precision)
                    fb = "" if it.passed else cell(it.feedback or "")
                    w(
                        f"| {cell(p.name)} | {cell(it.quantity)} | {cell(answer)} | "
                        f"{cell(num(it.correct, self.precision))} | {points(it.points)}/{points(it.max_points)} | "
                        f"{_MARK.get(it.status, it.status)} | {fb} |\n"
                    )
            w("\n")
        self.rows.append(row(report))

    def end(self, summary: ClassSummary) -> None:
        w = self.out.write
        probs = self.key.problems
        w("## Class\n\n")
        w("| student | " + " | ".join(f"{cell(p.name)} (/{points(p.points)})" for p in probs))
        w(f" | total (/{points(self.key.max_score)}) | status |\n")
        w("| --- |" + " ---: |" * (len(probs) + 1) + " --- |\n")
        for r in self.rows:
            w(f"| {cell(r.student)} | " + " | ".join(points(s) for s in r.problems))
            w(f" | {points(r.score)} | {r.status} |\n")
        w("| **mean** | " + " | ".join(points(round(s.mean, 3)) for s in summary.problems))
        w(f" | {points(round(summary.mean, 3))} | |\n")
        w("| **median** | " + " | ".join(points(s.median) for s in summary.problems))
        w(f" | {points(summary.median)} | |\n\n")
        from .grade_table import summary_line

        w(summary_line(summary) + "\n")
