"""JUnit XML for CI dashboards: a testsuite per submission, a testcase per answer item
(a wrong or missing answer is a ``failure``, a malformed submission an ``error``), streamed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from .grade_common import Writer, item_output, points

if TYPE_CHECKING:
    from ..grading import ClassSummary, Key, SubmissionReport

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(s: str) -> str:
    return _NOT_XML.sub("?", s)


def _attr(s: str) -> str:
    return quoteattr(_clean(s))


class JunitWriter(Writer):
    def begin(self, key: Key) -> None:
        super().begin(key)
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(f"<testsuites name={_attr(key.title or 'backcalc grading')}>\n")

    def add(self, report: SubmissionReport) -> None:
        w = self.out.write
        name = _attr(report.student)
        if report.error is not None:
            w(
                f'  <testsuite name={name} tests="1" failures="0" errors="1" skipped="0" '
                f"file={_attr(report.file)}>\n"
                f'    <testcase classname={name} name="read submission">\n'
                f'      <error type="malformed" message={_attr(report.error)}/>\n'
                "    </testcase>\n  </testsuite>\n"
            )
            return
        items = [(p, it) for p in report.problems for it in p.items]
        failures = sum(1 for _, it in items if not it.passed)
        w(
            f'  <testsuite name={name} tests="{len(items)}" failures="{failures}" errors="0" '
            f'skipped="0" file={_attr(report.file)}>\n'
        )
        w(
            f'    <properties><property name="score" value="{points(report.score)}"/>'
            f'<property name="max_score" value="{points(report.max_score)}"/></properties>\n'
        )
        for p, it in items:
            w(f"    <testcase classname={_attr(report.student + '.' + p.name)} name={_attr(it.quantity)}")
            if it.passed:
                w("/>\n")
                continue
            w(">\n")
            message = it.feedback or it.status
            w(
                f"      <failure type={_attr(it.mistake or it.status)} message={_attr(message)}>"
                f"{escape(_clean(item_output(it)))}</failure>\n    </testcase>\n"
            )
        w("  </testsuite>\n")

    def end(self, summary: ClassSummary) -> None:
        self.out.write("</testsuites>\n")
