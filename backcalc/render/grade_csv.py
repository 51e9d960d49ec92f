"""The grading CSV: a row per student (points per problem, the total), streamed."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from .grade_common import Writer, points

if TYPE_CHECKING:
    from ..grading import Key, SubmissionReport


def text(s: str) -> str:
    """A text cell that a spreadsheet will not read as a formula (a student name '=HYPERLINK(...)')."""
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") and s != "-" else s


class CsvWriter(Writer):
    def begin(self, key: Key) -> None:
        super().begin(key)
        self.csv = csv.writer(self.out, lineterminator="\n")
        self.csv.writerow(
            ["student", "file", "status", "score", "max_score", *(p.name for p in key.problems), "error"]
        )

    def add(self, report: SubmissionReport) -> None:
        self.csv.writerow(
            [
                text(report.student),
                text(report.file),
                report.status,
                points(report.score),
                points(report.max_score),
                *(points(p.score) for p in report.problems),
                text(report.error or ""),
            ]
        )
