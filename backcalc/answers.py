"""Answer files: a TOML file of problems read into :class:`Problem` records and graded.

:func:`load_answers` reads the file (a broken file raises BackcalcError; a broken problem is
kept with its ``error`` so the others are still graded); :func:`grade` computes each problem
through :func:`backcalc.api.grad` and compares the answers with :func:`backcalc.gradcheck.compare`.
The report is typed records whose field names are the JSON keys.  Nothing here prints or exits.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Any

from . import ops as O
from .errors import BackcalcError, ExitCode, Msg
from .gradcheck import DEFAULT_ATOL, DEFAULT_RTOL, compare

TOP_KEYS = {
    "problem": "the list of problems ([[problem]] tables)",
    "rtol": "default relative tolerance",
    "atol": "default absolute tolerance",
    "title": "a title for the report",
}
PROBLEM_KEYS = {
    "name": "a label",
    "expression": "the expression",
    "values": "input values",
    "value": "the expected output value",
    "gradients": "expected gradients",
    "rtol": "relative tolerance",
    "atol": "absolute tolerance",
    "ties": "tie rule (split, all, first)",
    "expand": "split compound gates",
}


@dataclass
class Problem:
    index: int  # 1-based position in the file
    name: str
    expression: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    value: Any = None
    has_value: bool = False
    gradients: dict[str, Any] = field(default_factory=dict)
    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    ties: str = O.DEFAULT_TIES
    expand: bool = False
    error: str | None = None  # why the problem itself is malformed

    @property
    def label(self) -> str:
        return (
            Msg("answers.problem_named", index=self.index, name=repr(self.name))
            if self.name != f"problem {self.index}"
            else Msg("answers.problem", index=self.index)
        )


@dataclass
class AnswerFile:
    path: str
    title: str | None
    problems: list[Problem]


def _unknown_key(key: str, known: dict[str, str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    if close:
        return Msg("answers.unknown_key_close", key=key, close=close[0])
    return Msg("answers.unknown_key", key=key, known=", ".join(known))


def _tolerance(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not (v >= 0) or not math.isfinite(v):
        raise ValueError(Msg("answers.tolerance", where=where, got=repr(v)))
    return float(v)


def _number_or_array(name: str, v: Any, where: str) -> Any:
    from .values import coerce

    if isinstance(v, dict):
        raise ValueError(Msg("answers.number_table", where=where))
    try:
        return coerce(name, v)
    except BackcalcError as e:
        raise ValueError(Msg("answers.at_key", where=where, detail=e._raw[0])) from None


def load_answers(path: str) -> AnswerFile:
    """Read an answer file.  A broken file (not TOML, no problems) raises BackcalcError (exit 2);
    a broken problem is kept with ``error`` set, so the others can still be graded."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise BackcalcError(Msg("answers.not_found", path=path)) from None
    except IsADirectoryError:
        raise BackcalcError(Msg("answers.directory", path=path)) from None
    return loads_answers(raw, path)


def loads_answers(raw: bytes, path: str = "-") -> AnswerFile:
    """An answer file's bytes (e.g. standard input, named ``path`` in messages) -> AnswerFile."""
    import tomllib

    where = Msg("answers.stdin") if path == "-" else path
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise BackcalcError(
            Msg("answers.not_toml", where=where, reason=str(e)), hint=Msg("answers.see_example")
        ) from None
    except UnicodeDecodeError:
        raise BackcalcError(Msg("answers.not_utf8", where=where)) from None
    for key in data:
        if key not in TOP_KEYS:
            raise BackcalcError(
                Msg("answers.in_file", path=path, detail=_unknown_key(key, TOP_KEYS)),
                hint=Msg("answers.top_key_hint"),
            )
    problems_data = data.get("problem")
    if not isinstance(problems_data, list) or not problems_data:
        raise BackcalcError(Msg("answers.no_problems", path=path), hint=Msg("answers.see_example"))
    try:
        rtol = _tolerance(data.get("rtol", DEFAULT_RTOL), "rtol")
        atol = _tolerance(data.get("atol", DEFAULT_ATOL), "atol")
    except ValueError as e:
        raise BackcalcError(Msg("answers.in_file", path=path, detail=e.args[0])) from None
    title = data.get("title")
    problems = [_problem(k + 1, p, rtol, atol) for k, p in enumerate(problems_data)]
    return AnswerFile(path, str(title) if title is not None else None, problems)


def _problem(index: int, data: Any, rtol: float, atol: float) -> Problem:
    p = Problem(index=index, name=f"problem {index}", rtol=rtol, atol=atol)
    if not isinstance(data, dict):
        p.error = Msg("answers.not_table")
        return p
    if isinstance(data.get("name"), str) and data["name"].strip():
        p.name = data["name"].strip()
    try:
        for key in data:
            if key not in PROBLEM_KEYS:
                raise ValueError(_unknown_key(key, PROBLEM_KEYS))
        expr = data.get("expression")
        if expr is None:
            raise ValueError(Msg("answers.no_expression"))
        if not isinstance(expr, str) or not expr.strip():
            raise ValueError(Msg("answers.expression_text", got=repr(expr)))
        p.expression = expr
        vals = data.get("values", {})
        if not isinstance(vals, dict):
            raise ValueError(Msg("answers.values_table"))
        p.values = {str(k): _number_or_array(str(k), v, f"values.{k}") for k, v in vals.items()}
        if "value" in data:
            p.value = _number_or_array("value", data["value"], "value")
            p.has_value = True
        grads = data.get("gradients", {})
        if not isinstance(grads, dict):
            raise ValueError(Msg("answers.gradients_table"))
        p.gradients = {str(k): _number_or_array(str(k), v, f"gradients.{k}") for k, v in grads.items()}
        if not p.has_value and not p.gradients:
            raise ValueError(Msg("answers.nothing"))
        if "rtol" in data:
            p.rtol = _tolerance(data["rtol"], "rtol")
        if "atol" in data:
            p.atol = _tolerance(data["atol"], "atol")
        if "ties" in data:
            if data["ties"] not in O.TIE_RULES:
                raise ValueError(Msg("grading.ties", choices=", ".join(O.TIE_RULES), got=repr(data["ties"])))
            p.ties = data["ties"]
        if "expand" in data:
            if not isinstance(data["expand"], bool):
                raise ValueError(Msg("answers.expand", got=repr(data["expand"])))
            p.expand = data["expand"]
    except ValueError as e:
        p.error = e.args[0] if e.args else str(e)
    return p


@dataclass
class AnswerCheck:
    """One graded answer of a problem: the output's value or one input's gradient."""

    quantity: str  # f, ∂f/∂x
    what: str  # "value" | "gradient"
    name: str
    expected: Any
    computed: Any
    abs_error: float | None
    rel_error: float | None
    passed: bool
    why: str | None


@dataclass
class Item:
    """One problem in the report; ``rtol``/``atol`` are those applied (None when not graded)."""

    index: int
    name: str
    label: str
    expression: str
    status: str  # "pass" | "fail" | "malformed"
    checks: list[AnswerCheck] = field(default_factory=list)
    error: str | None = None
    rtol: float | None = None
    atol: float | None = None


@dataclass
class Summary:
    problems: int
    passed: int
    failed: int
    malformed: int
    exit_code: int  # 2 when any problem is malformed, else 1 when any answer fails, else 0


@dataclass
class Report:
    """What :func:`grade` returns: the JSON document of ``backcalc check``."""

    file: str
    title: str | None
    summary: Summary
    items: list[Item]


def _checks(p: Problem, result: Any) -> list[AnswerCheck]:
    checks = []
    if p.has_value:
        c = compare(p.value, result.value, rtol=p.rtol, atol=p.atol)
        checks.append(AnswerCheck(result.output, "value", result.output, **vars(c)))
    for name, want in p.gradients.items():
        c = compare(want, result.gradients[name], rtol=p.rtol, atol=p.atol)
        checks.append(AnswerCheck(f"∂{result.output}/∂{name}", "gradient", name, **vars(c)))
    return checks


def grade(answers: AnswerFile, setup: Any = None) -> Report:
    """Grade every problem: one :class:`Item` per problem, computed by ``api.grad``.  ``setup``
    (setup lines, :mod:`backcalc.setup_lines`) gives values to every problem; its own override them."""
    from .api import grad

    items: list[Item] = []
    for p in answers.problems:
        item = Item(p.index, p.name, p.label, p.expression, "pass")
        items.append(item)
        if p.error is not None:
            item.status, item.error = "malformed", p.error
            continue
        try:
            result = grad(p.expression, p.values, ties=p.ties, expand=p.expand, setup=setup)
        except BackcalcError as e:
            msg = (
                Msg("answers.at_location", detail=e._raw[0], where=e.location())
                if e.location()
                else e._raw[0]
            )
            item.status, item.error = "malformed", Msg("answers.expression_or_values", detail=msg)
            continue
        unknown = [n for n in p.gradients if n not in result.gradients]
        if unknown:
            item.status = "malformed"
            item.error = Msg(
                "answers.not_input", name=unknown[0], inputs=", ".join(result.gradients) or Msg("optim.none")
            )
            continue
        item.checks = _checks(p, result)
        item.rtol, item.atol = p.rtol, p.atol
        item.status = "pass" if all(c.passed for c in item.checks) else "fail"
    counts = {s: sum(1 for it in items if it.status == s) for s in ("pass", "fail", "malformed")}
    exit_code = (
        ExitCode.BAD_INPUT
        if counts["malformed"]
        else ExitCode.CHECK_FAILED
        if counts["fail"]
        else ExitCode.OK
    )
    summary = Summary(len(items), counts["pass"], counts["fail"], counts["malformed"], int(exit_code))
    return Report(answers.path, answers.title, summary, items)


def report_json(report: Report) -> str:
    """The report as the check document (strict JSON, written by :mod:`backcalc.render.json`)."""
    from .render.json import check_json

    return check_json(report)


__all__ = [
    "Problem",
    "AnswerFile",
    "AnswerCheck",
    "Item",
    "Summary",
    "Report",
    "load_answers",
    "loads_answers",
    "grade",
    "report_json",
]
