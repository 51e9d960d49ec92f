"""What the grading reports share: the writer protocol, numbers and the class rows.

A writer gets ``begin(key)``, one ``add(report)`` per submission as it is graded, and
``end(summary)``; formats that can be streamed write each submission at once and keep
nothing, the table and markdown keep one short row per student for the class table.
They format the records of :mod:`backcalc.grading`; nothing here computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..display import one_line

if TYPE_CHECKING:
    from ..grading import ClassSummary, ItemGrade, Key, SubmissionReport


class Writer:
    """One report format over a text stream."""

    def __init__(self, out: Any, precision: int = 4, lang: str = "en") -> None:
        self.out = out
        self.precision = precision
        self.lang = lang

    def begin(self, key: Key) -> None:
        self.key = key

    def add(self, report: SubmissionReport) -> None:
        raise NotImplementedError

    def end(self, summary: ClassSummary) -> None:
        pass


def num(v: Any, precision: int = 6) -> str:
    return "" if v is None else one_line(v, precision)


def points(v: float) -> str:
    """3, 2.5, 1.333 (points as short as they can be)."""
    return f"{v:.3f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


def error_text(it: ItemGrade) -> str:
    if it.abs_error is None:
        return ""
    if it.abs_error == 0:
        return "0"
    return f"{it.abs_error:.2g} (rel {it.rel_error:.2g})"


def item_output(it: ItemGrade, precision: int = 6) -> str:
    """'answer -4, correct 4' and the feedback: what a student reads about one answer."""
    answer = "none" if it.answer is None else num(it.answer, precision)
    text = f"{it.quantity}: answer {answer}, correct {num(it.correct, precision)}"
    if it.status != "passed" and it.feedback:
        text += f"\n{it.feedback}"
    return text


@dataclass
class Row:
    """What the class table keeps of a submission (a few numbers, not its answers)."""

    student: str
    file: str
    status: str
    score: float
    max_score: float
    problems: list[float]
    error: str | None


def row(r: SubmissionReport) -> Row:
    return Row(r.student, r.file, r.status, r.score, r.max_score, [p.score for p in r.problems], r.error)
