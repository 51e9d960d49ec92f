"""Checking answers: the numerical gradient check (--check), expected answers (--expect), answer files.

* :func:`gradcheck` perturbs each input (each element of an array input) by ±h and runs the
  engine's own :func:`~backcalc.graph.forward` on the perturbed values: central differences,
  as cs231n's ``eval_numerical_gradient`` does.  The relative error |a - n| / max(|a|, |n|)
  is compared with a threshold.  A kink op (relu, abs, max, min: the op table's ``kink``
  field) whose local gradient changes between x - h and x + h means the step crossed a
  kink, where finite differences are not trustworthy: that is reported as a warning.
* :func:`compare` grades one expected answer against a computed number (or array).
* :func:`load_answers` / :func:`grade` read a TOML answer file and grade every problem.

Nothing here prints or exits; the CLI turns the records into tables, JSON and exit codes.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Any

from . import ops as O
from .errors import BackcalcError, ExitCode
from .graph import GATE, Graph, forward

DEFAULT_H = 1e-5
DEFAULT_TOL = 1e-6  # cs231n: < 1e-7 good, ~1e-4 acceptable with kinks, > 1e-2 wrong
# Differences this small are rounding noise of the step (eps * |f| / h), not a wrong gradient.
NOISE_FLOOR = 1e-8
DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-9


def _is_scalar(v: Any) -> bool:
    return type(v) is float or isinstance(v, int)


def _total(v: Any) -> float:
    """The engine seeds backward with ones, i.e. differentiates the sum of an array output."""
    if type(v) is float:
        return v
    import numpy as np

    return float(np.sum(v))


def rel_error(a: Any, n: Any) -> Any:
    """|a - n| / max(|a|, |n|), 0 where both are 0; elementwise for arrays."""
    if _is_scalar(a) and _is_scalar(n):
        a, n = float(a), float(n)
        if a == n:
            return 0.0
        den = max(abs(a), abs(n))
        return abs(a - n) / den if math.isfinite(den) else math.inf
    import numpy as np

    a = np.asarray(a, dtype=float)
    n = np.asarray(n, dtype=float)
    den = np.maximum(np.abs(a), np.abs(n))
    with np.errstate(all="ignore"):
        out = np.where(a == n, 0.0, np.abs(a - n) / np.where(den == 0, 1.0, den))
    return out


def _max(v: Any) -> float:
    if _is_scalar(v):
        return float(v)
    import numpy as np

    return float(np.max(v)) if np.size(v) else 0.0


def _abs_diff(a: Any, b: Any) -> Any:
    if _is_scalar(a) and _is_scalar(b):
        return abs(float(a) - float(b))
    import numpy as np

    with np.errstate(all="ignore"):
        return np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))


def _routing(g: Graph, vals: list[Any], ties: str) -> dict[int, Any]:
    """For every kink gate: its local gradient (how it routes), to tell whether a step crossed a kink."""
    out: dict[int, Any] = {}
    for i, op in enumerate(g.ops):
        if op is None or op.kink is None:
            continue
        xs = tuple(vals[j] for j in g.args[i])
        if any(v is None for v in xs):
            continue
        try:
            one = 1.0 if type(vals[i]) is float else _ones(vals[i])
            out[i] = op.pullback(one, vals[i], *xs, ties=ties)
        except Exception:  # a routing we cannot read is simply not compared
            continue
    return out


def _ones(v: Any) -> Any:
    import numpy as np

    return np.ones(np.shape(v))


def _same(a: Any, b: Any) -> bool:
    if all(type(x) is float for x in (*a, *b)):
        return tuple(a) == tuple(b)
    import numpy as np

    return len(a) == len(b) and all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(a, b))


def gradcheck(
    g: Graph,
    values: dict[str, Any],
    gradients: dict[str, Any],
    *,
    h: float = DEFAULT_H,
    tol: float = DEFAULT_TOL,
    ties: str = O.DEFAULT_TIES,
    flags: dict[str, list[str]] | None = None,
) -> dict:
    """Compare ``gradients`` (analytic, from backward) with central differences of ``forward``.

    Returns the JSON-ready ``Result.gradcheck`` record: one entry per input with the analytic
    and numeric gradients, the relative error (per element for arrays), pass/fail, and the
    kinks a ±h step crosses.
    """
    if not (h > 0 and math.isfinite(h)):
        raise BackcalcError(f"--h must be a positive number, got {h}")
    if not (tol > 0 and math.isfinite(tol)):
        raise BackcalcError(f"--tol must be a positive number, got {tol}")
    base = forward(g, values).values
    base_routing = _routing(g, base, ties)
    names = g.names
    records = []
    warnings: list[str] = []
    at_kink = sorted({n for n, fl in (flags or {}).items() if fl})
    for name, analytic in gradients.items():
        x = values[name]
        crossed: set[int] = set()
        error: str | None = None

        def f(shifted: Any) -> float:
            run = forward(g, {**values, name: shifted}).values
            now = _routing(g, run, ties)
            for i, loc in base_routing.items():
                if i in now and not _same(loc, now[i]):
                    crossed.add(i)
            return _total(run[g.output])

        try:
            if _is_scalar(x):
                numeric: Any = (f(x + h) - f(x - h)) / (2 * h)
            else:
                import numpy as np

                arr = np.asarray(x, dtype=float)
                numeric = np.zeros(arr.shape)
                for idx in np.ndindex(arr.shape):
                    plus, minus = arr.copy(), arr.copy()
                    plus[idx] += h
                    minus[idx] -= h
                    numeric[idx] = (f(plus) - f(minus)) / (2 * h)
        except BackcalcError as e:
            numeric = None
            error = f"moving {name} by ±{h:g} fails: {e.message}"
        if numeric is None:
            rel, passed, worst = None, False, None
        else:
            rel = rel_error(analytic, numeric)
            diff = _abs_diff(analytic, numeric)
            if _is_scalar(rel):
                passed = bool(rel <= tol or diff <= NOISE_FLOOR)
            else:
                import numpy as np

                passed = bool(np.all((rel <= tol) | (diff <= NOISE_FLOOR)))
            worst = _max(rel)
        kinks = [names[i] for i in sorted(crossed)]
        if kinks:
            warnings.append(
                f"gradient check: a kink lies within h={h:g} of {name} (at "
                f"{', '.join(f'{k} = {g.text(g.names.index(k))}' for k in kinks)}); "
                "central differences straddle it, so the numeric gradient is not reliable there"
            )
        records.append(
            {
                "name": name,
                "analytic": analytic,
                "numeric": numeric,
                "rel_error": rel,
                "max_rel_error": worst,
                "pass": passed,
                "kinks": kinks,
                "error": error,
            }
        )
    if at_kink:
        warnings.append(
            f"gradient check: {', '.join(at_kink)} sits exactly at a kink or tie; the numeric "
            "gradient there is an average of the two sides"
        )
    return {
        "h": h,
        "tol": tol,
        "passed": all(r["pass"] for r in records),
        "inputs": records,
        "warnings": warnings,
    }


def gradcheck_failure(rec: dict) -> BackcalcError | None:
    """The exit-1 error naming every input whose check failed (None when all passed)."""
    bad = [r for r in rec["inputs"] if not r["pass"]]
    if not bad:
        return None
    parts = []
    for r in bad:
        if r["error"]:
            parts.append(f"{r['name']} ({r['error']})")
        else:
            parts.append(f"{r['name']} (relative error {r['max_rel_error']:.3g} > tol {rec['tol']:g})")
    return BackcalcError(
        "gradient check failed for " + ", ".join(parts),
        code=ExitCode.CHECK_FAILED,
        hint="the analytic and numeric gradients disagree; a kink near the input, "
        "a large --h or a tight --tol can also cause this",
    )


# --- expected answers ----------------------------------------------------------


def compare(expected: Any, computed: Any, *, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL) -> dict:
    """Grade one answer: it passes when, element by element, it is within ``atol`` absolutely
    or within ``rtol`` relatively (relative error |e - c| / max(|e|, |c|))."""
    rec: dict[str, Any] = {"expected": expected, "computed": computed}
    if _is_scalar(expected) != _is_scalar(computed):
        shape_e = () if _is_scalar(expected) else tuple(_shape(expected))
        shape_c = () if _is_scalar(computed) else tuple(_shape(computed))
        if shape_e != shape_c:
            rec.update(
                abs_error=None,
                rel_error=None,
                passed=False,
                why=f"shape {_shape_text(shape_e)} expected, computed {_shape_text(shape_c)}",
            )
            return rec
    if not _is_scalar(expected) and tuple(_shape(expected)) != tuple(_shape(computed)):
        rec.update(
            abs_error=None,
            rel_error=None,
            passed=False,
            why=f"shape {_shape_text(_shape(expected))} expected, computed {_shape_text(_shape(computed))}",
        )
        return rec
    diff = _abs_diff(expected, computed)
    rel = rel_error(expected, computed)
    if _is_scalar(diff):
        passed = bool(diff <= atol or rel <= rtol)
    else:
        import numpy as np

        passed = bool(np.all((diff <= atol) | (rel <= rtol)))
    rec.update(abs_error=_max(diff), rel_error=_max(rel), passed=passed, why=None)
    return rec


def _shape(v: Any) -> tuple[int, ...]:
    import numpy as np

    return tuple(int(s) for s in np.shape(v))


def _shape_text(shape: tuple[int, ...]) -> str:
    return "scalar" if not shape else "×".join(str(s) for s in shape)


def expectations(
    result: Any, expects: dict[str, Any], *, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL
) -> list[dict]:
    """``--expect NAME=VALUE``: NAME is an input (its gradient) or the output (its value)."""
    out = []
    for name, want in expects.items():
        if name == result.output:
            got, what = result.value, result.output
        elif name in result.gradients:
            got, what = result.gradients[name], f"∂{result.output}/∂{name}"
        else:
            known = [result.output] + list(result.gradients)
            close = difflib.get_close_matches(name, known, n=1)
            raise BackcalcError(
                f"--expect {name}=...: '{name}' is neither an input nor the output "
                f"(inputs: {', '.join(result.gradients) or 'none'}; output: {result.output})",
                hint=f"did you mean {close[0]}?" if close else None,
            )
        rec = compare(want, got, rtol=rtol, atol=atol)
        rec = {"name": name, "quantity": what, **rec}
        out.append(rec)
    return out


def expectation_failure(records: list[dict], precision: int = 4) -> BackcalcError | None:
    from .display import fmt

    bad = [r for r in records if not r["passed"]]
    if not bad:
        return None
    parts = [
        f"{r['quantity']} expected {fmt(r['expected'], precision)}, computed "
        f"{fmt(r['computed'], precision)}" + (f" ({r['why']})" if r["why"] else "")
        for r in bad
    ]
    return BackcalcError(
        "answer does not match: " + "; ".join(parts),
        code=ExitCode.CHECK_FAILED,
        hint="to accept rounded answers, loosen the tolerance, e.g. --tol 0.01",
    )


# --- answer files ------------------------------------------------------------------

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
            f"problem {self.index} ({self.name!r})"
            if self.name != f"problem {self.index}"
            else f"problem {self.index}"
        )


@dataclass
class AnswerFile:
    path: str
    title: str | None
    problems: list[Problem]


def _unknown_key(key: str, known: dict[str, str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
    return f"unknown key '{key}'{hint}"


def _tolerance(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not (v >= 0) or not math.isfinite(v):
        raise ValueError(f"key '{where}': expected a non-negative number, got {v!r}")
    return float(v)


def _number_or_array(name: str, v: Any, where: str) -> Any:
    from .values import coerce

    if isinstance(v, dict):
        raise ValueError(f"key '{where}': expected a number, a string such as \"1/3\" or a list, got a table")
    try:
        return coerce(name, v)
    except BackcalcError as e:
        raise ValueError(f"key '{where}': {e.message}") from None


def load_answers(path: str) -> AnswerFile:
    """Read an answer file.  A broken file (not TOML, no problems) raises BackcalcError (exit 2);
    a broken problem is kept with ``error`` set, so the others can still be graded."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise BackcalcError(f"answer file not found: {path}") from None
    except IsADirectoryError:
        raise BackcalcError(f"{path} is a directory, not an answer file") from None
    except tomllib.TOMLDecodeError as e:
        raise BackcalcError(
            f"{path} is not valid TOML: {e}", hint="see examples/homework.toml for the format"
        ) from None
    except UnicodeDecodeError:
        raise BackcalcError(f"{path} is not UTF-8 text") from None
    for key in data:
        if key not in TOP_KEYS:
            raise BackcalcError(
                f"{path}: {_unknown_key(key, TOP_KEYS)}",
                hint="problems are [[problem]] tables; see examples/homework.toml",
            )
    problems_data = data.get("problem")
    if not isinstance(problems_data, list) or not problems_data:
        raise BackcalcError(
            f"{path}: no problems; add at least one [[problem]] table with an expression",
            hint="see examples/homework.toml",
        )
    try:
        rtol = _tolerance(data.get("rtol", DEFAULT_RTOL), "rtol")
        atol = _tolerance(data.get("atol", DEFAULT_ATOL), "atol")
    except ValueError as e:
        raise BackcalcError(f"{path}: {e}") from None
    title = data.get("title")
    problems = [_problem(k + 1, p, rtol, atol) for k, p in enumerate(problems_data)]
    return AnswerFile(path, str(title) if title is not None else None, problems)


def _problem(index: int, data: Any, rtol: float, atol: float) -> Problem:
    p = Problem(index=index, name=f"problem {index}", rtol=rtol, atol=atol)
    if not isinstance(data, dict):
        p.error = "expected a table ([[problem]])"
        return p
    if isinstance(data.get("name"), str) and data["name"].strip():
        p.name = data["name"].strip()
    try:
        for key in data:
            if key not in PROBLEM_KEYS:
                raise ValueError(_unknown_key(key, PROBLEM_KEYS))
        expr = data.get("expression")
        if expr is None:
            raise ValueError("key 'expression' is missing")
        if not isinstance(expr, str) or not expr.strip():
            raise ValueError(f"key 'expression': expected the expression as a string, got {expr!r}")
        p.expression = expr
        vals = data.get("values", {})
        if not isinstance(vals, dict):
            raise ValueError("key 'values': expected a table such as values = { x = -2, y = 5 }")
        p.values = {str(k): _number_or_array(str(k), v, f"values.{k}") for k, v in vals.items()}
        if "value" in data:
            p.value = _number_or_array("value", data["value"], "value")
            p.has_value = True
        grads = data.get("gradients", {})
        if not isinstance(grads, dict):
            raise ValueError("key 'gradients': expected a table such as gradients = { x = -4, y = -4 }")
        p.gradients = {str(k): _number_or_array(str(k), v, f"gradients.{k}") for k, v in grads.items()}
        if not p.has_value and not p.gradients:
            raise ValueError("nothing to check: give 'value' and/or 'gradients'")
        if "rtol" in data:
            p.rtol = _tolerance(data["rtol"], "rtol")
        if "atol" in data:
            p.atol = _tolerance(data["atol"], "atol")
        if "ties" in data:
            if data["ties"] not in O.TIE_RULES:
                raise ValueError(
                    f"key 'ties': expected one of {', '.join(O.TIE_RULES)}, got {data['ties']!r}"
                )
            p.ties = data["ties"]
        if "expand" in data:
            if not isinstance(data["expand"], bool):
                raise ValueError(f"key 'expand': expected true or false, got {data['expand']!r}")
            p.expand = data["expand"]
    except ValueError as e:
        p.error = str(e)
    return p


def grade(answers: AnswerFile) -> dict:
    """Grade every problem; the JSON-ready report with one record per problem."""
    from .api import grad

    items = []
    for p in answers.problems:
        item: dict[str, Any] = {
            "index": p.index,
            "name": p.name,
            "label": p.label,
            "expression": p.expression,
            "status": "pass",
            "checks": [],
            "error": None,
        }
        if p.error is not None:
            item.update(status="malformed", error=p.error)
            items.append(item)
            continue
        try:
            result = grad(p.expression, p.values, ties=p.ties, expand=p.expand)
        except BackcalcError as e:
            msg = e.message + (f" (at {e.location()} of the expression)" if e.location() else "")
            item.update(status="malformed", error=f"key 'expression' or 'values': {msg}")
            items.append(item)
            continue
        unknown = [n for n in p.gradients if n not in result.gradients]
        if unknown:
            item.update(
                status="malformed",
                error=f"key 'gradients.{unknown[0]}': '{unknown[0]}' is not an input of "
                f"the expression (inputs: {', '.join(result.gradients) or 'none'})",
            )
            items.append(item)
            continue
        checks = []
        if p.has_value:
            checks.append(
                {
                    "quantity": result.output,
                    "what": "value",
                    "name": result.output,
                    **compare(p.value, result.value, rtol=p.rtol, atol=p.atol),
                }
            )
        for name, want in p.gradients.items():
            checks.append(
                {
                    "quantity": f"∂{result.output}/∂{name}",
                    "what": "gradient",
                    "name": name,
                    **compare(want, result.gradients[name], rtol=p.rtol, atol=p.atol),
                }
            )
        item["checks"] = checks
        item["rtol"], item["atol"] = p.rtol, p.atol
        item["status"] = "pass" if all(c["passed"] for c in checks) else "fail"
        items.append(item)
    counts = {s: sum(1 for it in items if it["status"] == s) for s in ("pass", "fail", "malformed")}
    exit_code = (
        ExitCode.BAD_INPUT
        if counts["malformed"]
        else ExitCode.CHECK_FAILED
        if counts["fail"]
        else ExitCode.OK
    )
    return {
        "file": answers.path,
        "title": answers.title,
        "summary": {
            "problems": len(items),
            "passed": counts["pass"],
            "failed": counts["fail"],
            "malformed": counts["malformed"],
            "exit_code": int(exit_code),
        },
        "items": items,
    }


def report_json(report: dict) -> str:
    import json

    from .result import plain_tree

    return json.dumps(plain_tree(report), indent=2, ensure_ascii=False, allow_nan=False)


__all__ = [
    "gradcheck",
    "gradcheck_failure",
    "compare",
    "expectations",
    "expectation_failure",
    "load_answers",
    "grade",
    "report_json",
    "rel_error",
    "GATE",
]
