"""Exact arithmetic: the one interpreter over SymPy numbers, and the record it produces.

Numbers are read from their text with ``fractions.Fraction`` (never by SymPy's parser):
``1/3`` stays 1/3, ``0.1`` is 1/10; ``pi`` and ``e`` are SymPy's.  ``graph.forward`` and
``graph.backward`` then run with :class:`~backcalc.domains.ExactDomain`: each op's own
rules, in exact numbers, ties decided exactly.  A number that would explode (9**9**9) falls
back to the float run's value for that node, with a warning.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .domains import Budget, ExactDomain, ExactNS, TooLarge
from .errors import Msg
from .limits import EXACT_MAX_BITS, EXACT_MAX_ELEMENTS
from .values import const_exact, exact_number, exact_scalar

__all__ = ["const_exact", "exact_number", "exact_scalar", "report", "ExactReport", "ExactNumber"]

TEXT_MAX = 2000  # characters of an exact number's text kept in the record


def _sp() -> Any:
    import sympy

    return sympy


# --- the record -----------------------------------------------------------------------------


@dataclass
class ExactNumber:
    """One exact number (or array): SymPy text, decimal, LaTeX; arrays add elements and shape."""

    text: str
    decimal: Any  # float, or nested lists of floats
    latex: str | None
    elements: Any = None  # arrays: nested lists of texts
    shape: list[int] | None = None

    def fields(self, key: str) -> dict[str, Any]:
        """The JSON keys of this number under ``key`` ('value' or 'grad')."""
        d: dict[str, Any] = {key: self.text, f"{key}_decimal": self.decimal, f"{key}_latex": self.latex}
        if self.shape is not None:
            d[f"{key}_elements"] = self.elements
            d[f"{key}_shape"] = self.shape
        return d


@dataclass
class ExactNode:
    id: str
    value: ExactNumber
    grad: ExactNumber


@dataclass
class ExactReport:
    """``Result.exact``: the output's value and every input's gradient in exact arithmetic."""

    complete: bool
    stopped: str | None = None  # why it stopped early (the time limit, an array too large)
    value: ExactNumber | None = None
    gradients: dict[str, ExactNumber] = field(default_factory=dict)
    nodes: list[ExactNode] = field(default_factory=list)
    fallback: list[str] = field(default_factory=list)  # nodes computed with floats instead
    seconds: float | None = None
    too_large: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"complete": self.complete, "stopped": self.stopped}
        if self.value is not None:
            d["value"] = self.value.fields("value")
        d["gradients"] = {k: v.fields("value") for k, v in self.gradients.items()}
        d["nodes"] = [{"id": n.id, **n.value.fields("value"), **n.grad.fields("grad")} for n in self.nodes]
        d["fallback"] = list(self.fallback)
        if self.seconds is not None:
            d["seconds"] = self.seconds
        if self.too_large is not None:
            d["too_large"] = self.too_large
        return d


def number(sp: Any, v: Any) -> ExactNumber:
    import numpy as np

    if isinstance(v, np.ndarray):
        items = [number(sp, e) for e in v.flat]
        shape = list(v.shape)
        text = _text(sp, v)
        long = len(text) > TEXT_MAX
        return ExactNumber(
            text=text[:TEXT_MAX] + f"… ({len(text):,} characters)" if long else text,
            decimal=np.array([e.decimal for e in items], dtype=float).reshape(v.shape).tolist(),
            latex=None if long else sp.latex(sp.Array(v.tolist())),
            elements=np.array([e.text for e in items], dtype=object).reshape(v.shape).tolist(),
            shape=shape,
        )
    text = sp.sstr(v)
    long = len(text) > TEXT_MAX
    try:
        dec = float(sp.N(v, 20))
    except (TypeError, ValueError):
        dec = float("nan")
    return ExactNumber(
        text=text[:TEXT_MAX] + f"… ({len(text):,} characters)" if long else text,
        decimal=dec,
        latex=None if long else sp.latex(v),
    )


def _text(sp: Any, v: Any) -> str:
    return sp.sstr(sp.Array(v.tolist())) if v.ndim else sp.sstr(v[()])


def report(
    g: Any, given: dict[str, Any], numeric: Any, numeric_bwd: Any, *, ties: str, budget: Budget
) -> ExactReport:
    """Forward and backward over ``g`` in exact numbers.  ``given`` holds each input's value as
    given (text, int, float or array); ``numeric``/``numeric_bwd`` are the float run."""
    from .engine import CONST, backward, forward

    sp = _sp()
    t0 = time.perf_counter()
    import numpy as np

    values = {}
    for name in g.inputs:
        v = given[name]
        if isinstance(v, np.ndarray) and v.size > EXACT_MAX_ELEMENTS:
            why = Msg("symbolic.too_many_elements", name=name, size=v.size, limit=EXACT_MAX_ELEMENTS)
            return _too_large(why)
        values[name] = exact_number(v, name)
    dom = ExactDomain(ExactNS(ties, EXACT_MAX_BITS), budget, numeric, numeric_bwd, EXACT_MAX_ELEMENTS)
    try:
        fwd = forward(g, values, dom)
        bwd = backward(g, fwd, domain=dom)
    except TooLarge as e:
        return _too_large(str(e))
    nodes = [
        ExactNode(g.names[i], number(sp, fwd.values[i]), number(sp, bwd.upstream[i]))
        for i, kind in enumerate(g.kinds)
        if kind != CONST
    ]
    return ExactReport(
        complete=True,
        value=number(sp, fwd.values[g.output]),
        gradients={name: number(sp, bwd.upstream[x]) for name, x in g.inputs.items()},
        nodes=nodes,
        fallback=dom.fallen,
        seconds=time.perf_counter() - t0,
        warnings=dom.warnings,
    )


def _too_large(why: str) -> ExactReport:
    return ExactReport(
        complete=False,
        stopped=Msg("exact.not_built", why=why),
        too_large=why,
    )
