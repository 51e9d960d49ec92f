"""The op table: every operation defined once, forward and vector-Jacobian product side by side.

An entry carries its name and arity, ``forward(xp, *xs)`` and
``vjp(xp, g, out, xs, needs)`` (upstream -> one downstream value per input, never a
materialised Jacobian; ``needs[k]`` False lets a rule skip input k and return None
there), its gate role, printed forms (plain and LaTeX), a domain check that turns
impossible inputs into a clear error, a sampler of valid inputs (for the tests), and
what counts as a kink or tie.  The engine never switches on op names: it only reads
these fields.

Rules are written once against a namespace ``xp`` (``backcalc/domains.py``): the same
rule runs over Python floats, numpy arrays, exact SymPy numbers and SymPy formulas.
Integer literals (``1 - out * out``) keep exact numbers exact.  The tie rule of max/min
is a setting of the run (``xp.ties``), not an argument.  Array ops: ``array_ops.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .errors import Msg
from .optable import (
    DEFAULT_TIES,
    DISTRIBUTOR,
    FUNCTION,
    OPS,
    ROLES,
    ROUTER,
    SCALER,
    SWITCHER,
    TIE_RULES,
    Op,
    _any,
    _away_from_zero,
    _distinct,
    _fmt,
    _fold,
    _kink_at_zero,
    _np,
    _op,
    _route,
    _tie,
    _u,
    shape_error,
    vjp_rules,
)

__all__ = [
    "DEFAULT_TIES",
    "DISTRIBUTOR",
    "FUNCTION",
    "OPS",
    "ROLES",
    "ROUTER",
    "SCALER",
    "SWITCHER",
    "TIE_RULES",
    "Op",
    "shape_error",
    "vjp_rules",
    "CONSTANTS",
    "ALIASES",
    "lookup_function",
    "function_names",
    "function_name_set",
]


def _pow_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    # d/dx x^y = y x^(y-1) (0 where y = 0);  d/dy x^y = x^y log x  (0 where x = 0 and y > 0, the limit).
    x, y = xs
    dx = xp.where(xp.eq(y, xp.zero), xp.zero, g * y * xp.pow(x, y - 1))
    dy = g * out * xp.log_pos(x)
    return xp.sum_to(dx, x), xp.sum_to(dy, y)


# --- domain checks: a message for inputs the op cannot take -------------------


def _positive(what: str) -> Callable:
    def check(x: Any) -> str | None:
        if _any(x <= 0):
            return Msg("ops.positive", op=what, got=_show(x, lambda v: v <= 0))
        return None

    return check


def _check_sqrt(x: Any) -> str | None:
    if _any(x < 0):
        return Msg("ops.non_negative", op="sqrt", got=_show(x, lambda v: v < 0))
    return None


def _check_div(x: Any, y: Any) -> str | None:
    if _any(y == 0):
        return Msg("ops.division_by_zero")
    return None


def _check_pow(x: Any, y: Any) -> str | None:
    np = _np() if not (type(x) is float and type(y) is float) else None
    if np is None:
        if x == 0.0 and y < 0.0:
            return Msg("ops.zero_negative_power", power=_fmt(y))
        if x < 0.0 and y != math.floor(y):
            return Msg("ops.negative_base", base=_fmt(x), power=_fmt(y))
        return None
    xb, yb = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    if np.any((xb == 0) & (yb < 0)):
        return Msg("ops.zero_negative_power_array")
    if np.any((xb < 0) & (yb != np.floor(yb))):
        return Msg("ops.negative_base_array")
    return None


def _show(x: Any, bad: Callable) -> str:
    if type(x) is float:
        return _fmt(x)
    np = _np()
    idx = np.argwhere(bad(np.asarray(x)))[0]
    return Msg("ops.at_index", value=_fmt(np.asarray(x)[tuple(idx)]), index=list(int(i) for i in idx))


_op(
    name="add",
    arity=(2, 2),
    forward=lambda xp, x, y: x + y,
    vjp=lambda xp, g, out, xs, needs: (
        xp.sum_to(g, xs[0]),
        xp.sum_to(g, xs[1]),
    ),
    role=DISTRIBUTOR,
    vjp_text=("g", "g"),
    doc="x + y",
    plain="{0} + {1}",
    latex="{0} + {1}",
    prec=10,
    symbol="+",
    callable=False,
    sample=_distinct(2),
)
_op(
    name="sub",
    arity=(2, 2),
    forward=lambda xp, x, y: x - y,
    vjp=lambda xp, g, out, xs, needs: (
        xp.sum_to(g, xs[0]),
        xp.sum_to(-g, xs[1]),
    ),
    role=DISTRIBUTOR,
    vjp_text=("g", "-g"),
    doc="x - y",
    plain="{0} - {1}",
    latex="{0} - {1}",
    prec=10,
    symbol="-",
    callable=False,
    sample=_distinct(2),
)
_op(
    name="mul",
    arity=(2, 2),
    forward=lambda xp, x, y: x * y,
    vjp=lambda xp, g, out, xs, needs: (
        xp.sum_to(g * xs[1], xs[0]),
        xp.sum_to(g * xs[0], xs[1]),
    ),
    role=SWITCHER,
    vjp_text=("g * {1}", "g * {0}"),
    const_role=SCALER,
    doc="x * y",
    plain="{0} * {1}",
    latex=r"{0} \cdot {1}",
    prec=20,
    symbol="*",
    callable=False,
    sample=_distinct(2),
)
_op(
    name="div",
    arity=(2, 2),
    forward=lambda xp, x, y: x / y,
    vjp=lambda xp, g, out, xs, needs: (
        xp.sum_to(g / xs[1], xs[0]),
        xp.sum_to(-g * xs[0] / (xs[1] * xs[1]), xs[1]),
    ),
    role=FUNCTION,
    vjp_text=("g / {1}", "-g * {0} / {1}²"),
    doc="x / y",
    plain="{0} / {1}",
    latex=r"\frac{{{0}}}{{{1}}}",
    prec=20,
    symbol="/",
    callable=False,
    domain=_check_div,
    sample=lambda rng: (float(rng.uniform(-3, 3)), _away_from_zero(rng)[0]),
)
_op(
    name="neg",
    arity=(1, 1),
    forward=lambda xp, x: -x,
    vjp=lambda xp, g, out, xs, needs: (-g,),
    role=SCALER,
    vjp_text=("-g",),
    doc="-x",
    plain="-{0}",
    latex="-{0}",
    prec=30,
    symbol="-",
    callable=False,
    sample=_u(-3, 3),
)
_op(
    name="pos",
    arity=(1, 1),
    forward=lambda xp, x: x,
    vjp=lambda xp, g, out, xs, needs: (g,),
    role=DISTRIBUTOR,
    vjp_text=("g",),
    doc="+x",
    plain="+{0}",
    latex="+{0}",
    prec=30,
    symbol="+",
    callable=False,
    sample=_u(-3, 3),
)
_op(
    name="pow",
    arity=(2, 2),
    forward=lambda xp, x, y: xp.pow(x, y),
    vjp=_pow_vjp,
    role=FUNCTION,
    vjp_text=("g * {1} * {0}^({1}-1)", "g * out * log({0})"),
    doc="x ** y (also x ^ y, pow(x, y))",
    plain="{0} ** {1}",
    latex="{{{0}}}^{{{1}}}",
    prec=40,
    symbol="**",
    domain=_check_pow,
    sample=lambda rng: (float(rng.uniform(0.3, 3)), float(rng.uniform(-2, 3))),
)
_op(
    name="exp",
    arity=(1, 1),
    forward=lambda xp, x: xp.exp(x),
    vjp=lambda xp, g, out, xs, needs: (g * out,),
    role=FUNCTION,
    vjp_text=("g * out",),
    doc="e^x",
    plain="exp({0})",
    latex="e^{{{0}}}",
    prec=100,
    sample=_u(-3, 3),
)
_op(
    name="log",
    arity=(1, 1),
    forward=lambda xp, x: xp.log(x),
    vjp=lambda xp, g, out, xs, needs: (g / xs[0],),
    role=FUNCTION,
    vjp_text=("g / {0}",),
    doc="natural logarithm",
    plain="log({0})",
    latex=r"\log\left({0}\right)",
    prec=100,
    domain=_positive("log"),
    sample=_u(0.1, 5),
)
_op(
    name="sqrt",
    arity=(1, 1),
    forward=lambda xp, x: xp.sqrt(x),
    vjp=lambda xp, g, out, xs, needs: (g / (2 * out),),
    role=FUNCTION,
    doc="square root",
    plain="sqrt({0})",
    latex=r"\sqrt{{{0}}}",
    prec=100,
    vjp_text=("g / (2 out)",),
    domain=_check_sqrt,
    sample=_u(0.1, 5),
)
_op(
    name="sin",
    arity=(1, 1),
    forward=lambda xp, x: xp.sin(x),
    vjp=lambda xp, g, out, xs, needs: (g * xp.cos(xs[0]),),
    role=FUNCTION,
    doc="sine",
    plain="sin({0})",
    latex=r"\sin\left({0}\right)",
    prec=100,
    vjp_text=("g * cos({0})",),
    sample=_u(-3, 3),
)
_op(
    name="cos",
    arity=(1, 1),
    forward=lambda xp, x: xp.cos(x),
    vjp=lambda xp, g, out, xs, needs: (-g * xp.sin(xs[0]),),
    role=FUNCTION,
    doc="cosine",
    plain="cos({0})",
    latex=r"\cos\left({0}\right)",
    prec=100,
    vjp_text=("-g * sin({0})",),
    sample=_u(-3, 3),
)
_op(
    name="tan",
    arity=(1, 1),
    forward=lambda xp, x: xp.tan(x),
    vjp=lambda xp, g, out, xs, needs: (g * (1 + out * out),),
    role=FUNCTION,
    doc="tangent",
    plain="tan({0})",
    latex=r"\tan\left({0}\right)",
    prec=100,
    vjp_text=("g * (1 + out²)",),
    sample=_u(-1.2, 1.2),
)
_op(
    name="tanh",
    arity=(1, 1),
    forward=lambda xp, x: xp.tanh(x),
    vjp=lambda xp, g, out, xs, needs: (g * (1 - out * out),),
    role=FUNCTION,
    vjp_text=("g * (1 - out²)",),
    doc="hyperbolic tangent; local gradient 1 - tanh^2",
    plain="tanh({0})",
    latex=r"\tanh\left({0}\right)",
    prec=100,
    sample=_u(-3, 3),
    expand=lambda B, x: B(
        "sub",
        B("div", B.const(2.0), B("add", B.const(1.0), B("exp", B("mul", B.const(-2.0), x)))),
        B.const(1.0),
    ),
)
_op(
    name="sigmoid",
    arity=(1, 1),
    forward=lambda xp, x: xp.sigmoid(x),
    vjp=lambda xp, g, out, xs, needs: (g * out * (1 - out),),
    role=FUNCTION,
    vjp_text=("g * out * (1 - out)",),
    doc="1 / (1 + e^-x); local gradient (1 - sigmoid) sigmoid",
    plain="sigmoid({0})",
    latex=r"\sigma\left({0}\right)",
    prec=100,
    sample=_u(-4, 4),
    expand=lambda B, x: B("div", B.const(1.0), B("add", B.const(1.0), B("exp", B("neg", x)))),
)
_op(
    name="softplus",
    arity=(1, 1),
    forward=lambda xp, x: xp.softplus(x),
    vjp=lambda xp, g, out, xs, needs: (g * xp.sigmoid(xs[0]),),
    role=FUNCTION,
    vjp_text=("g * sigmoid({0})",),
    doc="log(1 + e^x); local gradient sigmoid(x)",
    plain="softplus({0})",
    latex=r"\operatorname{{softplus}}\left({0}\right)",
    prec=100,
    sample=_u(-4, 4),
    expand=lambda B, x: B("log", B("add", B.const(1.0), B("exp", x))),
)
_op(
    name="relu",
    arity=(1, 1),
    forward=lambda xp, x: xp.maximum(x, xp.zero),
    vjp=lambda xp, g, out, xs, needs: (g * xp.gt(xs[0], xp.zero),),
    role=ROUTER,
    vjp_text=("g * [{0} > 0]",),
    doc="max(0, x); relu'(0) = 0",
    plain="relu({0})",
    latex=r"\operatorname{{relu}}\left({0}\right)",
    prec=100,
    kink=_kink_at_zero,
    sample=_away_from_zero,
)
_op(
    name="abs",
    arity=(1, 1),
    forward=lambda xp, x: xp.abs(x),
    vjp=lambda xp, g, out, xs, needs: (g * xp.sign(xs[0]),),
    role=FUNCTION,
    doc="|x|; abs'(0) = 0",
    plain="abs({0})",
    latex=r"\left|{0}\right|",
    vjp_text=("g * sign({0})",),
    prec=100,
    kink=_kink_at_zero,
    sample=_away_from_zero,
)
_op(
    name="max",
    arity=(2, None),
    forward=lambda xp, *xs: _fold(xp.maximum, xs),
    vjp=lambda xp, g, out, xs, needs: _route(xp, g, out, xs),
    ties=True,
    role=ROUTER,
    vjp_text="g where {i} = out",
    doc="largest input; ties follow --ties",
    plain="max({args})",
    latex=r"\max\left({args}\right)",
    prec=100,
    kink=_tie,
    sample=_distinct(3),
)
_op(
    name="min",
    arity=(2, None),
    forward=lambda xp, *xs: _fold(xp.minimum, xs),
    vjp=lambda xp, g, out, xs, needs: _route(xp, g, out, xs),
    ties=True,
    role=ROUTER,
    vjp_text="g where {i} = out",
    doc="smallest input; ties follow --ties",
    plain="min({args})",
    latex=r"\min\left({args}\right)",
    prec=100,
    kink=_tie,
    sample=_distinct(3),
)


# Constants a name means unless the user gives it a value.
# ``keep`` is the flag a reduction takes to keep its axis: mean(x, 1, keep).
CONSTANTS = {"pi": math.pi, "e": math.e, "keep": 1.0}
# Spellings that call an op under another name.
ALIASES = {"ln": "log"}


def lookup_function(name: str) -> Op | None:
    op = OPS.get(ALIASES.get(name, name))
    return op if op is not None and op.callable else None


def function_names() -> list[str]:
    return sorted([n for n, op in OPS.items() if op.callable] + list(ALIASES))


def function_name_set() -> frozenset[str]:
    """Every name that calls an op (as :func:`function_names`), for fast membership tests."""
    global _FUNCTION_NAMES
    if _FUNCTION_NAMES is None or len(_FUNCTION_NAMES) != len(function_names()):
        _FUNCTION_NAMES = frozenset(function_names())
    return _FUNCTION_NAMES


_FUNCTION_NAMES: frozenset[str] | None = None


# registers the array ops and the cs231n layer gates in OPS
from . import array_ops, layers  # noqa: E402,F401
