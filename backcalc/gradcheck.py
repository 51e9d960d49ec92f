"""The finite-difference gradient check and expected answers, as typed records.

* :func:`gradcheck` perturbs each input (each element of an array input) by ±h and runs the
  engine's own :func:`~backcalc.engine.forward` on the perturbed values: central differences,
  as cs231n's ``eval_numerical_gradient`` does.  The relative error |a - n| / max(|a|, |n|)
  is compared with a threshold.  A kink op (relu, abs, max, min: the op table's ``kink``
  field) whose local gradient changes between x - h and x + h means the step crossed a
  kink, where finite differences are not trustworthy: that is reported as a warning.
  cs231n's own figure stands beside it: max |a - n| / max(1e-8, |a| + |n|) (``cs231n_rel_error``),
  with the worst element named (its index, the analytic and the numerical value).  Where a
  step crosses a kink (relu, max, maximum, abs, a hinge) and the central difference disagrees,
  the check looks at the two one-sided differences (x - h to x, x to x + h) instead: an analytic
  value between them is a valid subgradient (cs231n svm.ipynb's question), not a failure.
  With an upstream gradient ``seed`` (cs231n's ``dout``) the function checked is
  sum(output * dout), as ``eval_numerical_gradient_array`` does.
* :func:`compare` grades one expected answer against a computed number (or array).
* :func:`expectations` grades ``NAME=VALUE`` answers (an input's gradient or the output's value).

Records are dataclasses whose field names are the JSON keys; a field's ``metadata["json"]``
renames its key ("pass" is a Python keyword) or, when False, keeps the field out of the JSON
(see :func:`backcalc.render.json.to_plain`).  Nothing here prints or exits; the CLI turns the
records into tables, JSON and exit codes.  ``backcalc.api.grad`` runs them
(``check=``, ``expect=``) over the graph it built once.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Any

from . import ops as O
from .display import shape_text
from .engine import Graph, forward
from .errors import BackcalcError, ExitCode, Msg
from .layers import label_inputs
from .limits import DEFAULT_ATOL, DEFAULT_H, DEFAULT_TOL

# Differences this small are rounding noise of the step (eps * |f| / h), not a wrong gradient.
NOISE_FLOOR = 1e-8
DEFAULT_RTOL = 1e-6


@dataclass
class InputCheck:
    """One input's check: analytic vs numeric gradient (per element for arrays)."""

    name: str
    analytic: Any
    numeric: Any  # None when a ±h step fails
    rel_error: Any  # |a - n| / max(|a|, |n|), per element for arrays
    max_rel_error: float | None
    passed: bool = field(metadata={"json": "pass"})  # 'pass' is a Python keyword
    kinks: list[str] = field(default_factory=list)  # kink gates whose routing the ±h step changes
    error: str | None = None  # why the numeric gradient could not be computed
    # cs231n's figure: max |a - n| / max(1e-8, |a| + |n|)
    cs231n_rel_error: float | None = None
    worst: Worst | None = None  # the element with the largest cs231n relative error
    # elements whose ±h step crosses a kink and whose central difference disagrees
    kink_checks: list[KinkCheck] = field(default_factory=list)
    dtype: str | None = None  # the input's dtype when it was not float64


@dataclass
class Worst:
    """The worst element of one input's check."""

    index: list[int]  # [] for a scalar
    analytic: float
    numeric: float
    rel_error: float  # cs231n's relative error there


@dataclass
class KinkCheck:
    """One element at (or within h of) a kink: the one-sided differences and the analytic value."""

    index: list[int]
    analytic: float
    left: float  # (f(x) - f(x - h)) / h
    right: float  # (f(x + h) - f(x)) / h
    between: bool  # analytic lies between left and right: a valid subgradient


@dataclass
class GradCheck:
    """``Result.gradcheck``: the central-difference check of every input."""

    h: float
    tol: float
    passed: bool
    inputs: list[InputCheck]
    # moved into Result.warnings by the caller; not part of the record's JSON
    warnings: list[str] = field(default_factory=list, metadata={"json": False})


@dataclass
class Comparison:
    """One expected answer graded against the computed number (or array)."""

    expected: Any
    computed: Any
    abs_error: float | None
    rel_error: float | None
    passed: bool
    why: str | None  # why it cannot pass (a shape mismatch), else None


@dataclass
class Expectation:
    """``Result.expect``: one ``NAME=VALUE`` answer; ``quantity`` is what was compared (f, ∂f/∂x)."""

    name: str
    quantity: str
    expected: Any
    computed: Any
    abs_error: float | None
    rel_error: float | None
    passed: bool
    why: str | None


def _is_scalar(v: Any) -> bool:
    return type(v) is float or isinstance(v, int)


def _total(v: Any) -> float:
    """The engine seeds backward with ones, i.e. differentiates the sum of an array output."""
    if type(v) is float:
        return v
    import numpy as np

    return float(np.sum(v))


CS231N_FLOOR = 1e-8  # the denominator's floor in cs231n's rel_error


def cs231n_rel_error(a: Any, n: Any) -> Any:
    """cs231n's |a - n| / max(1e-8, |a| + |n|), elementwise for arrays."""
    import numpy as np

    a = np.asarray(a, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(all="ignore"):
        return np.abs(a - n) / np.maximum(CS231N_FLOOR, np.abs(a) + np.abs(n))


def between(a: float, left: float, right: float, h: float, tol: float) -> bool:
    """Does ``a`` lie between the one-sided differences?  Each is off by O(h) from the slope of
    its side, so the interval is widened by h (times the slopes' scale) and by the tolerance."""
    lo, hi = min(left, right), max(left, right)
    scale = max(abs(lo), abs(hi))
    slack = max(NOISE_FLOOR, tol * scale) + h * max(1.0, scale)
    return lo - slack <= a <= hi + slack


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


def check_settings(h: float, tol: float) -> None:
    """The step and the tolerance must be positive numbers."""
    if not (h > 0 and math.isfinite(h)):
        raise BackcalcError(Msg("check.positive", name="h", value=h))
    if not (tol > 0 and math.isfinite(tol)):
        raise BackcalcError(Msg("check.positive", name="tol", value=tol))


def gradcheck(
    g: Graph,
    values: dict[str, Any],
    gradients: dict[str, Any],
    *,
    h: float = DEFAULT_H,
    tol: float = DEFAULT_TOL,
    ties: str = O.DEFAULT_TIES,
    flags: dict[str, list[str]] | None = None,
    seed: Any = None,
    dtypes: dict[str, str] | None = None,
) -> GradCheck:
    """Compare ``gradients`` (analytic, from backward) with central differences of ``forward``.

    Returns the ``Result.gradcheck`` record: one entry per input with the analytic and numeric
    gradients, the relative error (per element for arrays), cs231n's relative error and the worst
    element, pass/fail, the kinks a ±h step crosses and, where a step across a kink disagrees,
    the one-sided differences; ``warnings`` says where the numeric gradient is not reliable.
    ``seed`` is the upstream gradient of the output (the function checked is sum(out * seed));
    ``dtypes`` names the inputs that were not float64 before they were read.
    """
    import numpy as np

    check_settings(h, tol)
    base_run = forward(g, values).values
    base_routing = _routing(g, base_run, ties)
    names = g.names

    def total(v: Any) -> float:
        if seed is None:
            return _total(v)
        return float(np.sum(np.asarray(v, dtype=float) * np.asarray(seed, dtype=float)))

    f0 = total(base_run[g.output])
    records: list[InputCheck] = []
    warnings: list[str] = []
    at_kink = sorted({n for n, fl in (flags or {}).items() if fl})
    labels = label_inputs(g)  # class labels: no gradient, never moved by h
    for name, analytic in gradients.items():
        if name in labels:
            continue
        x = values[name]
        crossed: set[int] = set()
        error: str | None = None
        scalar = _is_scalar(x)
        arr = np.asarray(x, dtype=float)
        shape = arr.shape
        numeric_arr = np.zeros(shape)
        plus_f = np.zeros(shape)
        minus_f = np.zeros(shape)
        kinked = np.zeros(shape, dtype=bool)

        def f(shifted: Any) -> tuple[float, bool]:
            run = forward(g, {**values, name: shifted}).values
            now = _routing(g, run, ties)
            changed = False
            for i, loc in base_routing.items():
                if i in now and not _same(loc, now[i]):
                    crossed.add(i)
                    changed = True
            return total(run[g.output]), changed

        try:
            for idx in np.ndindex(shape):
                plus: Any
                minus: Any
                if scalar:
                    plus, minus = float(x) + h, float(x) - h
                else:
                    plus, minus = arr.copy(), arr.copy()
                    plus[idx] += h
                    minus[idx] -= h
                fp, cp = f(plus)
                fm, cm = f(minus)
                plus_f[idx], minus_f[idx] = fp, fm
                kinked[idx] = cp or cm
                numeric_arr[idx] = (fp - fm) / (2 * h)
            numeric: Any = float(numeric_arr) if scalar else numeric_arr
        except BackcalcError as e:
            numeric = None
            error = f"moving {name} by ±{h:g} fails: {e.message}"
        cs_max: float | None = None
        worst: Worst | None = None
        kink_checks: list[KinkCheck] = []
        if numeric is None:
            rel, passed, worst_rel = None, False, None
        else:
            rel = rel_error(analytic, numeric)
            diff = _abs_diff(analytic, numeric)
            ok = np.array((np.asarray(rel) <= tol) | (np.asarray(diff) <= NOISE_FLOOR))
            a_arr = np.asarray(analytic, dtype=float).reshape(shape)
            for idx in zip(*np.nonzero(~ok & kinked)) if shape else ([()] if not ok and kinked else []):
                idx = tuple(int(k) for k in idx)
                left = (f0 - float(minus_f[idx])) / h
                right = (float(plus_f[idx]) - f0) / h
                a = float(a_arr[idx])
                inside = between(a, left, right, h, tol)
                kink_checks.append(KinkCheck(list(idx), a, left, right, inside))
                if inside:
                    ok[idx] = True
            passed = bool(np.all(ok))
            worst_rel = _max(rel)
            cs = cs231n_rel_error(a_arr, numeric_arr)
            k = np.unravel_index(int(np.argmax(cs)), shape) if shape else ()
            cs_max = float(cs[k])
            worst = Worst([int(j) for j in k], float(a_arr[k]), float(numeric_arr[k]), cs_max)
        kinks = [names[i] for i in sorted(crossed)]
        if kinks:
            warnings.append(
                f"gradient check: a kink lies within h={h:g} of {name} (at "
                f"{', '.join(f'{k} = {g.text(g.names.index(k))}' for k in kinks)}); "
                "central differences straddle it, so the numeric gradient is not reliable there"
                + ("; the one-sided differences were compared instead" if kink_checks else "")
            )
        dtype = (dtypes or {}).get(name)
        if dtype is not None:
            warnings.append(
                f"gradient check: {name} was given as {dtype}, not float64; it was read as float64, "
                "but a notebook that keeps it as "
                f"{dtype} gets a different numerical gradient (cs231n checks in float64)"
            )
        records.append(
            InputCheck(
                name,
                analytic,
                numeric,
                rel,
                worst_rel,
                passed,
                kinks,
                error,
                cs_max,
                worst,
                kink_checks,
                dtype,
            )  # fmt: skip
        )
    if at_kink:
        warnings.append(
            f"gradient check: {', '.join(at_kink)} sits exactly at a kink or tie; the numeric "
            "gradient there is an average of the two sides"
        )
    return GradCheck(h, tol, all(r.passed for r in records), records, warnings)


def gradcheck_failure(rec: GradCheck) -> BackcalcError | None:
    """The exit-1 error naming every input whose check failed (None when all passed)."""
    bad = [r for r in rec.inputs if not r.passed]
    if not bad:
        return None
    parts = []
    for r in bad:
        if r.error:
            parts.append(f"{r.name} ({r.error})")
        else:
            parts.append(
                Msg("check.rel_error", name=r.name, error=f"{r.max_rel_error:.3g}", tol=f"{rec.tol:g}")
            )
    return BackcalcError(
        Msg("check.failed", parts=_Joined(", ", parts)),
        code=ExitCode.CHECK_FAILED,
        hint=Msg("check.failed_hint"),
    )


class _Joined:
    """Parts of a message (some of them catalogue sentences) joined in the message's language."""

    key = "joined"

    def __init__(self, sep: str, parts: list) -> None:
        self.sep, self.parts = sep, parts

    def text(self, lang: str = "en") -> str:
        from .errors import in_lang

        return self.sep.join(in_lang(p, lang) for p in self.parts)

    def __str__(self) -> str:
        return self.text("en")

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


# --- expected answers ----------------------------------------------------------


def compare(
    expected: Any, computed: Any, *, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL
) -> Comparison:
    """Grade one answer: it passes when, element by element, it is within ``atol`` absolutely
    or within ``rtol`` relatively (relative error |e - c| / max(|e|, |c|))."""
    if _is_scalar(expected) != _is_scalar(computed):
        shape_e = () if _is_scalar(expected) else tuple(_shape(expected))
        shape_c = () if _is_scalar(computed) else tuple(_shape(computed))
        if shape_e != shape_c:
            why = f"shape {shape_text(shape_e)} expected, computed {shape_text(shape_c)}"
            return Comparison(expected, computed, None, None, False, why)
    if not _is_scalar(expected) and tuple(_shape(expected)) != tuple(_shape(computed)):
        why = f"shape {shape_text(_shape(expected))} expected, computed {shape_text(_shape(computed))}"
        return Comparison(expected, computed, None, None, False, why)
    diff = _abs_diff(expected, computed)
    rel = rel_error(expected, computed)
    if _is_scalar(diff):
        passed = bool(diff <= atol or rel <= rtol)
    else:
        import numpy as np

        passed = bool(np.all((diff <= atol) | (rel <= rtol)))
    return Comparison(expected, computed, _max(diff), _max(rel), passed, None)


def _shape(v: Any) -> tuple[int, ...]:
    import numpy as np

    return tuple(int(s) for s in np.shape(v))


def expectations(
    result: Any, expects: dict[str, Any], *, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL
) -> list[Expectation]:
    """Expected answers by name: NAME is an input (its gradient) or the output (its value)."""
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
                Msg(
                    "check.not_a_quantity",
                    name=name,
                    inputs=", ".join(result.gradients) or Msg("values.none"),
                    output=result.output,
                ),
                hint=Msg("usage.did_you_mean", name=close[0]) if close else None,
            )
        out.append(Expectation(name, what, **vars(compare(want, got, rtol=rtol, atol=atol))))
    return out


def expectation_failure(records: list[Expectation], precision: int = 4) -> BackcalcError | None:
    """The exit-1 error naming every answer that does not match (None when all do)."""
    from .display import fmt

    bad = [r for r in records if not r.passed]
    if not bad:
        return None
    parts = [
        Msg(
            "check.mismatch",
            quantity=r.quantity,
            expected=fmt(r.expected, precision),
            computed=fmt(r.computed, precision),
            why=f" ({r.why})" if r.why else "",
        )
        for r in bad
    ]
    return BackcalcError(
        Msg("check.no_match", parts=_Joined("; ", parts)),
        code=ExitCode.CHECK_FAILED,
        hint=Msg("check.no_match_hint", tol="tol"),
    )


__all__ = [
    "GradCheck",
    "InputCheck",
    "KinkCheck",
    "Worst",
    "cs231n_rel_error",
    "Comparison",
    "Expectation",
    "gradcheck",
    "gradcheck_failure",
    "compare",
    "expectations",
    "expectation_failure",
    "rel_error",
]
