"""The grading JSON document, streamed: one document for the whole run, also when files are
malformed (schema ``backcalc/schema/grading.schema.json``).  Each submission is written as
soon as it is graded (one line each), the summary last."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..result import plain
from .grade_common import Writer
from .json import dumps, to_plain

if TYPE_CHECKING:
    from ..grading import ClassSummary, Key, SubmissionReport

GRADING_SCHEMA_VERSION = 1


def _value(v: Any) -> Any:
    if v is None or (type(v) is float and math.isfinite(v)):
        return v
    return plain(v)


def submission_record(report: SubmissionReport) -> dict[str, Any]:
    """A submission's record, by the fields of :class:`backcalc.grading.SubmissionReport`
    (written directly rather than by the generic converter: it runs once per student)."""
    return {
        "file": report.file,
        "student": report.student,
        "status": report.status,
        "score": float(report.score),
        "max_score": float(report.max_score),
        "error": report.error,
        "problems": [
            {
                "name": p.name,
                "status": p.status,
                "score": float(p.score),
                "max_score": float(p.max_score),
                "items": [
                    {
                        "quantity": it.quantity,
                        "what": it.what,
                        "name": it.name,
                        "answer": _value(it.answer),
                        "correct": _value(it.correct),
                        "abs_error": _value(it.abs_error),
                        "rel_error": _value(it.rel_error),
                        "status": it.status,
                        "passed": it.status == "passed",
                        "points": float(it.points),
                        "max_points": float(it.max_points),
                        "mistake": it.mistake,
                        "feedback": it.feedback,
                    }
                    for it in p.items
                ],
            }
            for p in report.problems
        ],
        "ignored": list(report.ignored),
        "warnings": list(report.warnings),
    }


class JsonWriter(Writer):
    def begin(self, key: Key) -> None:
        super().begin(key)
        head = {"schema_version": GRADING_SCHEMA_VERSION, "key": key.path, "title": key.title}
        self.out.write(dumps(head)[:-2] + ',\n  "submissions": [')
        self.first = True

    def add(self, report: SubmissionReport) -> None:
        self.out.write(
            ("\n    " if self.first else ",\n    ") + dumps(submission_record(report), indent=None)
        )
        self.first = False

    def end(self, summary: ClassSummary) -> None:
        body = dumps(to_plain(summary)).replace("\n", "\n  ")
        self.out.write(("\n  ]" if not self.first else "]") + f',\n  "summary": {body}\n}}\n')
