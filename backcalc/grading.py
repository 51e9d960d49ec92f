"""Grading a class: an answer key, many submissions, points, feedback, typed records.

* :func:`load_key` reads the TA's key (a TOML/JSON file or a mapping): ``[[problem]]`` tables
  with ``name``, ``expression``, ``values``, optional ``points``, ``rtol``/``atol`` or
  ``decimals``, ``ask``.  Each problem is computed **once**, through :func:`backcalc.api.grad`;
  a broken key raises BackcalcError (exit 2).
* :func:`read_submission` reads one student's answer file (path, text or mapping) into a
  :class:`Submission`; it never raises for a bad file: a malformed submission carries its reason.
* :func:`grade` compares a submission's answers with the key's stored results (nothing is
  recomputed per student) and names likely mistakes, each confirmed against numbers of the
  same run (:mod:`backcalc.feedback`).
* :func:`sources` expands files, directories (recursively, ``*.toml``/``*.json``) and ``-``
  (standard input) lazily; :class:`Tally` keeps the class statistics in memory independent of
  the number of submissions; :func:`check` is the whole thing for Python callers.

Records are dataclasses whose field names are the JSON keys.  Nothing here prints or exits;
submission text is data: numbers are read by :mod:`backcalc.values`, never evaluated.
"""

from __future__ import annotations

import difflib
import math
import os
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import ops as O
from .errors import BackcalcError, ExitCode, Msg
from .feedback import decimals_of, is_rounding
from .values import coerce, load_text, parse_scalar, read_value, to_array

# A submission is a few kilobytes; a file larger than this is not an answer file.
MAX_SUBMISSION_BYTES = int(os.environ.get("BACKCALC_MAX_SUBMISSION_BYTES", 1_000_000) or 1_000_000)
DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-9
DEFAULT_POINTS = 1.0
SUBMISSION_KINDS = (".toml", ".json")

KEY_TOP = {
    "problem": "the list of problems ([[problem]] tables)",
    "title": "a title for the reports",
    "rtol": "default relative tolerance",
    "atol": "default absolute tolerance",
    "decimals": "default rounding rule: answers rounded to this many decimals",
    "points": "default points of a problem",
}
KEY_PROBLEM = {
    "name": "the problem's name (submissions answer by it)",
    "expression": "the expression",
    "values": "input values",
    "ask": 'what is graded: "value", input names, intermediate node names',
    "points": "points: a number (split evenly) or a table per asked item",
    "rtol": "relative tolerance",
    "atol": "absolute tolerance",
    "decimals": "rounding rule: answers rounded to this many decimals",
    "ties": "tie rule (split, all, first)",
    "expand": "split compound gates",
}
SUBMISSION_TOP = {"student", "problem"}
SUBMISSION_PROBLEM = {"name", "value", "gradients", "nodes"}
# What only the key may set: in a submission these are reported and ignored.
KEY_ONLY = {
    "expression",
    "values",
    "rtol",
    "atol",
    "decimals",
    "points",
    "ask",
    "ties",
    "expand",
    "title",
}


# --- the key -----------------------------------------------------------------------------


@dataclass
class Rule:
    """When an answer counts as correct: within ``rtol``/``atol``, or a correct rounding to
    ``decimals`` (or to more decimals, or within 1e-6 relatively: more digits are not wrong)."""

    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    decimals: int | None = None

    def describe(self) -> str:
        if self.decimals is not None:
            return f"rounded to {self.decimals} decimals"
        return f"rtol {self.rtol:g}, atol {self.atol:g}"


@dataclass
class AskItem:
    """One graded quantity of a key problem, with backcalc's correct answer."""

    key: str  # as the key's ask list names it: "value", an input, a node
    what: str  # "value" | "gradient" | "node"
    name: str  # the output, input or node name
    quantity: str  # f, ∂f/∂x, ∂f/∂q
    correct: Any
    points: float


@dataclass
class KeyProblem:
    index: int
    name: str
    expression: str
    rule: Rule
    items: list[AskItem]
    result: Any = field(repr=False)  # the backcalc Result, computed once
    info: Any = field(default=None, repr=False, compare=False)  # feedback's view of the graph, made once

    @property
    def points(self) -> float:
        return sum(i.points for i in self.items)


@dataclass
class Key:
    path: str
    title: str | None
    problems: list[KeyProblem]

    @property
    def max_score(self) -> float:
        return sum(p.points for p in self.problems)


def _unknown(key: str, known: Iterable[str]) -> str:
    known = list(known)
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return Msg("grading.unknown_key_close", key=key, close=close[0])
    return Msg("grading.unknown_key", key=key, known=", ".join(known))


def _nonneg(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
        raise BackcalcError(Msg("grading.at", where=where, detail=Msg("grading.nonneg", got=repr(v))))
    return float(v)


def _decimals(v: Any, where: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 15:
        raise BackcalcError(Msg("grading.at", where=where, detail=Msg("grading.decimals", got=repr(v))))
    return int(v)


def _read_data(path: str, what: str) -> Any:

    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_SUBMISSION_BYTES * 10 + 1)
    except FileNotFoundError:
        raise BackcalcError(Msg("grading.not_found", what=what, path=path)) from None
    except IsADirectoryError:
        raise BackcalcError(Msg("grading.directory", what=what, path=path)) from None
    except OSError as e:
        raise BackcalcError(
            Msg("grading.cannot_read", what=what, path=path, reason=e.strerror or e)
        ) from None
    if len(raw) > MAX_SUBMISSION_BYTES * 10:
        raise BackcalcError(Msg("grading.too_large", what=what, path=path, limit=MAX_SUBMISSION_BYTES * 10))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BackcalcError(Msg("grading.not_utf8", what=what, path=path, byte=e.start)) from None
    kind = "json" if path.lower().endswith(".json") else "toml"
    return load_text(text, f"{what} {path}", kind)


def load_key(
    key: str | Mapping[str, Any],
    *,
    rtol: float | None = None,
    atol: float | None = None,
    decimals: int | None = None,
) -> Key:
    """Read and compute the answer key (a .toml/.json path or a mapping).  ``rtol``/``atol``
    (or ``decimals``) override every problem's rule.  A broken key raises BackcalcError."""
    if rtol is not None:
        _nonneg(rtol, "rtol")
    if atol is not None:
        _nonneg(atol, "atol")
    if decimals is not None:
        _decimals(decimals, "decimals")
    if isinstance(key, str):
        path = key
        data = _read_data(key, "answer key")
    else:
        path, data = "(key)", dict(key)
    if not isinstance(data, dict):
        raise BackcalcError(Msg("grading.key_not_table", path=path))
    where = f"answer key {path}"
    for k in data:
        if k not in KEY_TOP:
            raise BackcalcError(
                Msg("grading.at", where=where, detail=_unknown(k, KEY_TOP)),
                hint=Msg("grading.see_key_example"),
            )
    problems = data.get("problem")
    if not isinstance(problems, list) or not problems:
        raise BackcalcError(
            Msg("grading.at", where=where, detail=Msg("grading.no_problems")),
            hint=Msg("grading.see_key_example"),
        )
    base = Rule(
        _nonneg(data.get("rtol", DEFAULT_RTOL), f"{where}: key 'rtol'"),
        _nonneg(data.get("atol", DEFAULT_ATOL), f"{where}: key 'atol'"),
        _decimals(data["decimals"], f"{where}: key 'decimals'") if "decimals" in data else None,
    )
    default_points = _nonneg(data.get("points", DEFAULT_POINTS), f"{where}: key 'points'")
    override = (rtol, atol, decimals)
    out: list[KeyProblem] = []
    seen: set[str] = set()
    for k, p in enumerate(problems):
        kp = _key_problem(k + 1, p, base, default_points, override, where)
        if kp.name in seen:
            raise BackcalcError(
                Msg("grading.at", where=where, detail=Msg("grading.same_name", name=repr(kp.name)))
            )
        seen.add(kp.name)
        out.append(kp)
    title = data.get("title")
    return Key(path, None if title is None else str(title), out)


def _key_problem(
    index: int,
    data: Any,
    base: Rule,
    default_points: float,
    override: tuple[float | None, float | None, int | None],
    where: str,
) -> KeyProblem:
    from .api import grad

    label = f"{where}: problem {index}"
    if not isinstance(data, dict):
        raise BackcalcError(Msg("grading.at", where=label, detail=Msg("grading.problem_not_table")))
    for k in data:
        if k not in KEY_PROBLEM:
            raise BackcalcError(Msg("grading.at", where=label, detail=_unknown(k, KEY_PROBLEM)))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BackcalcError(Msg("grading.at", where=label, detail=Msg("grading.no_name")))
    name = name.strip()
    label = f"{where}: problem {index} ({name!r})"
    expr = data.get("expression")
    if not isinstance(expr, str) or not expr.strip():
        raise BackcalcError(Msg("grading.at", where=label, detail=Msg("grading.no_expression")))
    vals = data.get("values", {})
    if not isinstance(vals, dict):
        raise BackcalcError(Msg("grading.at", where=label, detail=Msg("grading.values_not_table")))
    ties = data.get("ties", O.DEFAULT_TIES)
    if ties not in O.TIE_RULES:
        raise BackcalcError(
            Msg(
                "grading.at",
                where=label,
                detail=Msg("grading.ties", choices=", ".join(O.TIE_RULES), got=repr(ties)),
            )
        )
    expand = data.get("expand", False)
    if not isinstance(expand, bool):
        raise BackcalcError(Msg("grading.at", where=label, detail=Msg("grading.expand")))
    try:
        given = {str(k): coerce(str(k), _normalize(v) if isinstance(v, str) else v) for k, v in vals.items()}
        result = grad(expr, given, ties=ties, expand=expand)
    except BackcalcError as e:
        at = Msg("grading.in_expression", where=e.location()) if e.location() else ""
        raise BackcalcError(Msg("grading.problem_error", where=label, detail=e._raw[0], at=at)) from None
    rule = Rule(base.rtol, base.atol, base.decimals)
    if "rtol" in data or "atol" in data:
        rule.decimals = None
    if "rtol" in data:
        rule.rtol = _nonneg(data["rtol"], f"{label}: key 'rtol'")
    if "atol" in data:
        rule.atol = _nonneg(data["atol"], f"{label}: key 'atol'")
    if "decimals" in data:
        rule.decimals = _decimals(data["decimals"], f"{label}: key 'decimals'")
    rtol, atol, decimals = override
    if rtol is not None or atol is not None:
        rule = Rule(DEFAULT_RTOL if rtol is None else rtol, DEFAULT_ATOL if atol is None else atol)
    if decimals is not None:
        rule = Rule(rule.rtol, rule.atol, decimals)
    ask = data.get("ask", ["value", *result.gradients])
    if not isinstance(ask, list) or not ask or not all(isinstance(a, str) for a in ask):
        raise BackcalcError(Msg("grading.at", where=label, detail=Msg("grading.ask_list")))
    if len(set(ask)) != len(ask):
        raise BackcalcError(Msg("grading.at", where=label, detail=Msg("grading.ask_twice")))
    nodes = {n.id: n for n in result.nodes}
    out = result.output
    items: list[AskItem] = []
    for a in ask:
        if a == "value":
            items.append(AskItem(a, "value", out, out, result.value, 0.0))
        elif a in result.gradients:
            items.append(AskItem(a, "gradient", a, f"∂{out}/∂{a}", result.gradients[a], 0.0))
        elif a in nodes and nodes[a].op != "const":
            items.append(AskItem(a, "node", a, f"∂{out}/∂{a}", nodes[a].grad, 0.0))
        else:
            known = ["value", *result.gradients, *(n for n in nodes if n not in result.gradients)]
            close = difflib.get_close_matches(a, known, n=1)
            raise BackcalcError(
                Msg(
                    "grading.at",
                    where=label,
                    detail=Msg(
                        "grading.ask_unknown",
                        item=repr(a),
                        inputs=", ".join(result.gradients) or Msg("values.none"),
                        nodes=", ".join(nodes),
                    ),
                ),
                hint=Msg("usage.did_you_mean", name=repr(close[0])) if close else None,
            )
    points = data.get("points", default_points)
    if isinstance(points, dict):
        for k in points:
            if k not in ask:
                raise BackcalcError(
                    Msg("grading.at", where=label, detail=Msg("grading.points_not_asked", key=k))
                )
        for it in items:
            it.points = _nonneg(points.get(it.key, 0), f"{label}: key 'points.{it.key}'")
    else:
        total = _nonneg(points, f"{label}: key 'points'")
        for it in items:
            it.points = total / len(items)
    return KeyProblem(index, name, expr, rule, items, result)


# --- reading answers ---------------------------------------------------------------------

_MINUSES = str.maketrans({"\u2212": "-", "\u2013": "-", "\ufe63": "-", "\uff0d": "-"})


def _normalize(text: str) -> str:
    """Full-width digits and signs to ASCII (NFKC), the minus signs of slides and PDFs to '-'."""
    return unicodedata.normalize("NFKC", text).translate(_MINUSES).strip()


def read_answer(v: Any, where: str) -> Any:
    """A submitted answer -> float or float64 array: a TOML/JSON number, a string ("7/12",
    "−0.5", "０.３９", "[1, 2]"), or a (nested) list of numbers and such strings.  Raises
    ValueError with the reason; nothing is ever evaluated."""

    try:
        if isinstance(v, bool):
            raise ValueError("expected a number, got true/false")
        if isinstance(v, (int, float)):
            f = float(v)
            if not math.isfinite(f):
                raise ValueError(f"the number {v} is not finite")
            return f
        if isinstance(v, str):
            return read_value(where, _normalize(v))
        if isinstance(v, list):
            copy = list(v)  # strings read in place, in a copy (an explicit stack: no recursion)
            stack: list[list[Any]] = [copy]
            while stack:
                level = stack.pop()
                for k, x in enumerate(level):
                    if isinstance(x, list):
                        level[k] = list(x)
                        stack.append(level[k])
                    elif isinstance(x, str):
                        level[k] = parse_scalar(_normalize(x), where)
            return to_array(copy, where)
        raise ValueError(f'expected a number, a string such as "7/12" or a list, got a {type(v).__name__}')
    except BackcalcError as e:
        raise ValueError(e.message) from None


@dataclass
class Answers:
    """One problem's answers in a submission (raw: read when graded, so a bad one costs one item)."""

    value: Any = None
    has_value: bool = False
    gradients: dict[str, Any] = field(default_factory=dict)
    nodes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Submission:
    file: str
    student: str
    problems: dict[str, Answers] = field(default_factory=dict)
    error: str | None = None  # why the file is malformed
    ignored: list[str] = field(default_factory=list)  # keys only the key may set
    warnings: list[str] = field(default_factory=list)


def _student_from(file: str) -> str:
    base = os.path.basename(file)
    return os.path.splitext(base)[0] or base


def read_submission(
    src: str | Mapping[str, Any], *, file: str | None = None, text: str | bytes | None = None
) -> Submission:
    """A submission from a path, from ``text`` (with ``file`` naming it) or from a mapping.
    Never raises for bad content: the returned record's ``error`` says why it is malformed."""

    if isinstance(src, Mapping):
        name = file or "(submission)"
        return _submission(name, dict(src))
    name = file or src
    sub = Submission(name, _student_from(name))
    raw: bytes | str
    if text is None:
        try:
            size = os.path.getsize(src)
            if size > MAX_SUBMISSION_BYTES:
                sub.error = Msg("grading.sub_too_large", limit=MAX_SUBMISSION_BYTES)
                return sub
            with open(src, "rb") as fh:
                raw = fh.read(MAX_SUBMISSION_BYTES + 1)
        except OSError as e:
            sub.error = Msg("grading.sub_cannot_read", reason=e.strerror or e)
            return sub
    else:
        raw = text
    if len(raw) > MAX_SUBMISSION_BYTES:
        sub.error = Msg("grading.sub_too_large", limit=MAX_SUBMISSION_BYTES)
        return sub
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            sub.error = Msg("grading.sub_not_utf8", byte=e.start)
            return sub
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    if not raw.strip():
        sub.error = Msg("grading.sub_empty")
        return sub
    kind = (
        "json" if name.lower().endswith(".json") or (name == "-" and raw.lstrip().startswith("{")) else "toml"
    )
    try:
        data = load_text(raw, "", kind)
    except BackcalcError as e:
        sub.error = e.message.lstrip(": ")
        return sub
    return _submission(name, data, sub)


def _submission(name: str, data: Any, sub: Submission | None = None) -> Submission:
    sub = sub or Submission(name, _student_from(name))
    if not isinstance(data, dict):
        sub.error = Msg("grading.sub_not_table")
        return sub
    for k in data:
        if k in KEY_ONLY:
            sub.ignored.append(Msg("grading.sub_key_only", key=k))
        elif k not in SUBMISSION_TOP:
            sub.warnings.append(Msg("grading.sub_ignored", detail=_unknown(k, SUBMISSION_TOP)))
    student = data.get("student")
    if student is not None:
        if not isinstance(student, str) or not student.strip():
            sub.error = Msg("grading.sub_student")
            return sub
        sub.student = " ".join(student.split())[:200]
    problems = data.get("problem")
    if not isinstance(problems, list) or not problems:
        sub.error = Msg("grading.sub_no_problems")
        return sub
    for k, p in enumerate(problems):
        where: Any = Msg("answers.problem", index=k + 1)
        if not isinstance(p, dict):
            sub.error = Msg("answers.in_file", path=where, detail=Msg("answers.not_table"))
            return sub
        pname = p.get("name")
        if not isinstance(pname, str) or not pname.strip():
            sub.warnings.append(Msg("grading.sub_no_name", where=where))
            continue
        pname = pname.strip()
        where = Msg("grading.sub_problem", name=repr(pname))
        if pname in sub.problems:
            sub.error = Msg("grading.sub_twice", where=where)
            return sub
        ans = Answers()
        for key in p:
            if key in KEY_ONLY:
                sub.ignored.append(
                    Msg("answers.in_file", path=where, detail=Msg("grading.sub_key_only", key=key))
                )
            elif key not in SUBMISSION_PROBLEM:
                sub.warnings.append(
                    Msg(
                        "answers.in_file",
                        path=where,
                        detail=Msg("grading.sub_ignored", detail=_unknown(key, SUBMISSION_PROBLEM)),
                    )
                )
        if "value" in p:
            ans.value, ans.has_value = p["value"], True
        for table in ("gradients", "nodes"):
            t = p.get(table, {})
            if not isinstance(t, dict):
                sub.error = Msg("grading.sub_table", where=where, table=table)
                return sub
            setattr(ans, table, {str(n): v for n, v in t.items()})
        sub.problems[pname] = ans
    return sub


# --- grading -----------------------------------------------------------------------------


@dataclass
class ItemGrade:
    """One graded answer: the student's ``answer`` against backcalc's ``correct``."""

    quantity: str  # f, ∂f/∂x
    what: str  # value | gradient | node
    name: str
    answer: Any
    correct: Any
    abs_error: float | None
    rel_error: float | None
    status: str  # passed | failed | missing | unreadable
    points: float
    max_points: float
    mistake: str | None = None  # sign | swapped | branch | upstream | rounding | forward
    feedback: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class ProblemGrade:
    name: str
    status: str  # passed | failed | missing
    score: float
    max_score: float
    items: list[ItemGrade]


@dataclass
class SubmissionReport:
    file: str
    student: str
    status: str  # passed | failed | malformed
    score: float
    max_score: float
    error: str | None
    problems: list[ProblemGrade]
    ignored: list[str]
    warnings: list[str]


def _close(a: float, c: float, rule: Rule) -> bool:
    if rule.decimals is not None:
        if is_rounding(a, c, rule.decimals) or _close(a, c, Rule(DEFAULT_RTOL, DEFAULT_ATOL)):
            return True
        more = decimals_of(a)  # a correct rounding to more decimals is not wrong either
        return more is not None and more > rule.decimals and is_rounding(a, c, more)
    d = abs(a - c)
    if d <= rule.atol:
        return True
    m = max(abs(a), abs(c))
    return m > 0 and d / m <= rule.rtol


def accepts(rule: Rule, answer: Any, correct: Any) -> bool:
    """Whether ``answer`` is correct for ``correct`` under ``rule`` (element by element)."""
    if type(answer) is float and type(correct) is float:
        return _close(answer, correct, rule)
    import numpy as np

    a, c = np.asarray(answer, dtype=float), np.asarray(correct, dtype=float)
    if a.shape != c.shape:
        return False
    return all(_close(x, y, rule) for x, y in zip(a.ravel().tolist(), c.ravel().tolist()))


def _shape(v: Any) -> tuple[int, ...]:
    if type(v) is float:
        return ()
    import numpy as np

    return tuple(int(s) for s in np.shape(v))


def _errors(answer: Any, correct: Any) -> tuple[float, float]:
    from .gradcheck import rel_error

    if type(answer) is float and type(correct) is float:
        d = abs(answer - correct)
        if d == 0:
            return 0.0, 0.0
        m = max(abs(answer), abs(correct))
        return d, (d / m if math.isfinite(m) else math.inf)
    import numpy as np

    a, c = np.asarray(answer, dtype=float), np.asarray(correct, dtype=float)
    return float(np.max(np.abs(a - c))), float(np.max(rel_error(a, c)))


_messages: dict[str, Any] = {}


def _catalogue(lang: str) -> Any:
    m = _messages.get(lang)
    if m is None:
        from .i18n import Messages

        m = _messages[lang] = Messages(lang)
    return m


def _missing_item(it: Any, feedback: str) -> ItemGrade:
    """An asked quantity without an answer: 0 points, with ``feedback``."""
    return ItemGrade(
        it.quantity,
        it.what,
        it.name,
        None,
        it.correct,
        None,
        None,
        "missing",
        0.0,
        it.points,
        feedback=feedback,
    )


def _missing(kp: KeyProblem, feedback: str) -> ProblemGrade:
    """A problem with no answers: every item scores 0, with the same feedback."""
    items = [_missing_item(it, feedback) for it in kp.items]
    return ProblemGrade(kp.name, "missing", 0.0, kp.points, items)


def grade(key: Key, sub: Submission, lang: str = "en") -> SubmissionReport:
    """Grade one submission against the key's stored results."""

    from .display import one_line as fmt
    from .feedback import explain_mistake

    m = _catalogue(lang)
    if sub.error is not None:
        why = m("grade.malformed", reason=sub.error)
        problems = [_missing(p, why) for p in key.problems]
        return SubmissionReport(
            sub.file,
            sub.student,
            "malformed",
            0.0,
            key.max_score,
            sub.error,
            problems,
            sub.ignored,
            sub.warnings,
        )
    warnings = list(sub.warnings)
    known = {p.name for p in key.problems}
    for pname in sub.problems:
        if pname not in known:
            close = difflib.get_close_matches(pname, list(known), n=1)
            warnings.append(
                m("grade.unknown_problem", problem=pname)
                + (m("grade.did_you_mean", name=close[0]) if close else "")
            )
    graded: list[ProblemGrade] = []
    for kp in key.problems:
        ans = sub.problems.get(kp.name)
        if ans is None:
            graded.append(_missing(kp, m("grade.missing_problem", problem=kp.name)))
            continue
        asked = {(it.what if it.what != "value" else "value", it.name) for it in kp.items}
        given: dict[tuple[str, str], Any] = {}
        if ans.has_value:
            given[("value", kp.result.output)] = ans.value
        for n, v in ans.gradients.items():
            given[("gradient", n)] = v
        for n, v in ans.nodes.items():
            given[("node", n)] = v
        for what, n in given:
            if (what, n) not in asked:
                q = kp.result.output if what == "value" else f"∂{kp.result.output}/∂{n}"
                warnings.append(m("grade.not_asked", problem=kp.name, quantity=q))
        read: dict[str, Any] = {}
        items = []
        for it in kp.items:
            raw_key = (it.what, it.name)
            if raw_key not in given:
                items.append(_missing_item(it, m("grade.missing_answer", quantity=it.quantity)))
                continue
            try:
                a = read_answer(given[raw_key], it.quantity)
            except ValueError as e:
                items.append(
                    ItemGrade(
                        it.quantity,
                        it.what,
                        it.name,
                        None,
                        it.correct,
                        None,
                        None,
                        "unreadable",
                        0.0,
                        it.points,
                        feedback=m("grade.unreadable", quantity=it.quantity, reason=str(e)),
                    )
                )
                continue
            read[it.key] = a
            if _shape(a) != _shape(it.correct):
                from .display import shape_text

                items.append(
                    ItemGrade(
                        it.quantity,
                        it.what,
                        it.name,
                        a,
                        it.correct,
                        None,
                        None,
                        "failed",
                        0.0,
                        it.points,
                        feedback=m(
                            "grade.shape",
                            quantity=it.quantity,
                            given=shape_text(_shape(a)),
                            correct=shape_text(_shape(it.correct)),
                        ),
                    )
                )
                continue
            ae, re_ = _errors(a, it.correct)
            ok = accepts(kp.rule, a, it.correct)
            items.append(
                ItemGrade(
                    it.quantity,
                    it.what,
                    it.name,
                    a,
                    it.correct,
                    ae,
                    re_,
                    "passed" if ok else "failed",
                    it.points if ok else 0.0,
                    it.points,
                )
            )
        for g, it in zip(items, kp.items):
            if g.status == "failed" and g.feedback is None:
                g.mistake, g.feedback = explain_mistake(kp, it, g.answer, read, m, accepts)
                if g.feedback is None:
                    g.feedback = m(
                        "grade.wrong", quantity=g.quantity, answer=fmt(g.answer, 6), correct=fmt(g.correct, 6)
                    )
        score = sum(g.points for g in items)
        status = "passed" if all(g.passed for g in items) else "failed"
        graded.append(ProblemGrade(kp.name, status, score, kp.points, items))
    total = sum(p.score for p in graded)
    status = "passed" if all(p.status == "passed" for p in graded) else "failed"
    return SubmissionReport(
        sub.file, sub.student, status, total, key.max_score, None, graded, sub.ignored, warnings
    )


# --- many submissions --------------------------------------------------------------------


@dataclass
class Source:
    """One submission to read: a path, or standard input (``path == "-"``)."""

    path: str


def sources(paths: Iterable[str], skip: str | None = None) -> Iterator[Source]:
    """Files as given, directories walked recursively (``*.toml``/``*.json``, hidden entries
    skipped, in sorted order), ``-`` for standard input; lazily, one at a time.  A path that
    does not exist raises BackcalcError (the command line is wrong); ``skip`` (the key) is left out."""
    from .files import same_file

    paths = list(paths)
    for p in paths:
        if p != "-" and not os.path.exists(p):
            raise BackcalcError(Msg("grading.no_such_path", path=p))
    for p in paths:
        if p == "-" or not os.path.isdir(p):
            yield Source(p)
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for f in sorted(files):
                if f.startswith(".") or os.path.splitext(f)[1].lower() not in SUBMISSION_KINDS:
                    continue
                full = os.path.join(root, f)
                if skip is not None and same_file(full, skip):
                    continue
                yield Source(full)


def read_source(src: Source, stdin: Any = None) -> Submission:
    if src.path == "-":
        import sys

        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_SUBMISSION_BYTES + 1)
        return read_submission("-", file="-", text=data)
    return read_submission(src.path)


def _median(c: Counter) -> float:
    n = sum(c.values())
    if not n:
        return 0.0
    ordered = sorted(c.items())
    lo_i, hi_i = (n - 1) // 2, n // 2
    seen, lo, hi = 0, None, None
    for v, k in ordered:
        if lo is None and seen + k > lo_i:
            lo = v
        if seen + k > hi_i:
            hi = v
            break
        seen += k
    return (float(lo) + float(hi)) / 2  # type: ignore[arg-type]


@dataclass
class ProblemStats:
    name: str
    max_score: float
    mean: float
    median: float
    full_marks: int  # submissions with every item of the problem right


@dataclass
class ClassSummary:
    submissions: int
    passed: int
    failed: int
    malformed: int
    max_score: float
    mean: float
    median: float
    problems: list[ProblemStats]
    exit_code: int  # 0 every submission passed everything, else 1


class Tally:
    """Class statistics, kept as counts of distinct scores: memory does not grow with the
    number of submissions (scores take few distinct values)."""

    def __init__(self, key: Key) -> None:
        self.key = key
        self.counts = Counter[str]()
        self.totals = Counter[float]()
        self.per_problem = [Counter[float]() for _ in key.problems]
        self.full = [0 for _ in key.problems]

    def add(self, r: SubmissionReport) -> None:
        self.counts[r.status] += 1
        self.totals[round(r.score, 9)] += 1
        for k, p in enumerate(r.problems):
            self.per_problem[k][round(p.score, 9)] += 1
            self.full[k] += p.status == "passed"

    def summary(self) -> ClassSummary:
        n = sum(self.counts.values())

        def mean(c: Counter) -> float:
            return sum(v * k for v, k in c.items()) / n if n else 0.0

        stats = [
            ProblemStats(p.name, p.points, mean(c), _median(c), f)
            for p, c, f in zip(self.key.problems, self.per_problem, self.full)
        ]
        ok = n > 0 and self.counts["passed"] == n
        return ClassSummary(
            n,
            self.counts["passed"],
            self.counts["failed"],
            self.counts["malformed"],
            self.key.max_score,
            mean(self.totals),
            _median(self.totals),
            stats,
            int(ExitCode.OK if ok else ExitCode.CHECK_FAILED),
        )


def grade_all(
    key: Key, subs: Iterable[Submission], lang: str = "en", tally: Tally | None = None
) -> Iterator[SubmissionReport]:
    """Grade submissions one at a time (a generator: memory stays flat), counting into ``tally``."""
    for s in subs:
        r = grade(key, s, lang)
        if tally is not None:
            tally.add(r)
        yield r


@dataclass
class ClassReport:
    """What :func:`check` returns: every submission's report and the class summary."""

    key: str
    title: str | None
    submissions: list[SubmissionReport]
    summary: ClassSummary


def check(
    key: str | Mapping[str, Any],
    submissions: str | Mapping[str, Any] | Iterable[str | Mapping[str, Any]],
    *,
    rtol: float | None = None,
    atol: float | None = None,
    decimals: int | None = None,
    lang: str = "en",
) -> ClassReport:
    """Grade ``submissions`` (paths of files or directories, or mappings) against ``key``
    (a path or a mapping).  Each key problem is computed once.

    >>> report = check("examples/grading/key.toml", ["examples/grading/submissions"])  # doctest: +SKIP
    >>> [(s.student, s.score) for s in report.submissions]  # doctest: +SKIP
    """
    k = load_key(key, rtol=rtol, atol=atol, decimals=decimals)
    if isinstance(submissions, (str, Mapping)):
        submissions = [submissions]
    items = list(submissions)

    def subs() -> Iterator[Submission]:
        for s in items:
            if isinstance(s, Mapping):
                yield read_submission(s)
            else:
                for src in sources([s], skip=k.path if isinstance(key, str) else None):
                    yield read_source(src)

    tally = Tally(k)
    reports = list(grade_all(k, subs(), lang, tally))
    return ClassReport(k.path, k.title, reports, tally.summary())


__all__ = [
    "Rule",
    "AskItem",
    "KeyProblem",
    "Key",
    "Answers",
    "Submission",
    "ItemGrade",
    "ProblemGrade",
    "SubmissionReport",
    "ProblemStats",
    "ClassSummary",
    "ClassReport",
    "Tally",
    "load_key",
    "read_answer",
    "read_submission",
    "read_source",
    "sources",
    "grade",
    "grade_all",
    "accepts",
    "check",
]
