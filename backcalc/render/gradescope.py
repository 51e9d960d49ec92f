"""Gradescope's autograder ``results.json`` for one submission.

The fields are those of Gradescope's specification: a top-level ``score`` (a number),
``output`` (text), ``visibility``, ``stdout_visibility`` and ``tests``, each test with
``name``, ``number``, ``score``, ``max_score`` (numbers), ``status`` (``passed``/``failed``),
``output`` (the answer, the correct value and the feedback) and ``visibility``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .grade_common import Writer, item_output
from .json import dumps

if TYPE_CHECKING:
    from ..grading import SubmissionReport


def results_document(report: SubmissionReport, precision: int = 6) -> dict[str, Any]:
    tests = []
    number = 0
    for p in report.problems:
        for it in p.items:
            number += 1
            tests.append(
                {
                    "name": f"{p.name}: {it.quantity}",
                    "number": str(number),
                    "score": float(it.points),
                    "max_score": float(it.max_points),
                    "status": "passed" if it.passed else "failed",
                    "output": item_output(it, precision),
                    "visibility": "visible",
                }
            )
    lines = [f"{report.student}: {report.score:g} of {report.max_score:g} points"]
    if report.error:
        lines.append(f"this submission could not be read: {report.error}; every answer scores 0")
    lines += report.ignored + report.warnings
    return {
        "score": float(report.score),
        "output": "\n".join(lines),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


_UNSAFE = re.compile(r"[^\w.-]+")


def folder_name(student: str, used: set[str]) -> str:
    """A safe, unique directory name for a student (no path separators, no leading dots)."""
    base = _UNSAFE.sub("_", student).strip("._") or "student"
    base = base[:80]
    name, k = base, 2
    while name.lower() in used:
        name, k = f"{base}-{k}", k + 1
    used.add(name.lower())
    return name


class GradescopeWriter(Writer):
    """On a stream: one document per submission, one per line (JSON Lines) when there are
    several, indented when there is one."""

    def __init__(self, out: Any, precision: int = 4, lang: str = "en", single: bool = False) -> None:
        super().__init__(out, precision, lang)
        self.single = single

    def add(self, report: SubmissionReport) -> None:
        doc = results_document(report)
        self.out.write(dumps(doc, indent=2 if self.single else None) + "\n")


class GradescopeDirWriter(Writer):
    """``-o DIR``: DIR/STUDENT/results.json for each submission, each written atomically."""

    def __init__(self, directory: str, precision: int = 4, lang: str = "en") -> None:
        super().__init__(None, precision, lang)
        self.directory = directory
        self.used: set[str] = set()
        self.written: list[str] = []

    def add(self, report: SubmissionReport) -> None:
        import os

        from ..files import atomic_write

        folder = os.path.join(self.directory, folder_name(report.student, self.used))
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "results.json")
        atomic_write(path, dumps(results_document(report)) + "\n")
        self.written.append(path)
