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
from dataclasses import dataclass
from typing import Any

# Gate roles, named as cs231n lecture 4 names them (documented in the README).
DISTRIBUTOR = "distributor"  # passes the upstream gradient unchanged to every input (add, sub)
ROUTER = "router"  # sends the upstream gradient to the input that won (max, min, relu)
SWITCHER = "switcher"  # each input gets the upstream times the *other* input (mul)
SCALER = "scaler"  # multiplies the upstream by a constant (mul/div by a constant, neg)
FUNCTION = "function"  # multiplies the upstream by f'(input) (exp, log, sigmoid, ...)
ROLES = {
    DISTRIBUTOR: "passes the upstream gradient unchanged to each input (with a sign for sub)",
    ROUTER: "routes the upstream gradient to the input that was selected; the others get 0",
    SWITCHER: "each input gets the upstream gradient times the other input's value",
    SCALER: "multiplies the upstream gradient by a constant",
    FUNCTION: "multiplies the upstream gradient by the function's derivative at its input",
}


def _np() -> Any:
    import numpy

    return numpy


# --- tie and kink rules: named once, selected by setting ---------------------

TIE_RULES = {
    "split": "tied inputs share the gradient equally (as PyTorch and JAX do)",
    "all": "every tied input receives the full gradient (as the cs231n notes' code does)",
    "first": "only the first tied input receives the gradient",
}
DEFAULT_TIES = "split"


def _fold(f: Callable, xs: tuple) -> Any:
    out = xs[0]
    for x in xs[1:]:
        out = f(out, x)
    return out


def _route(xp: Any, g: Any, out: Any, xs: tuple) -> tuple:
    """Downstream gradients of max/min: the upstream goes to the input(s) equal to the output,
    shared by the run's tie rule (``xp.ties``)."""
    masks = [xp.eq(x, out) for x in xs]
    if xp.ties == "first":
        taken: Any = xp.zero
        firsts = []
        for m in masks:
            firsts.append(m * (1 - taken))
            taken = xp.maximum(taken, m)
        masks = firsts
        n: Any = 1
    elif xp.ties == "split":
        n = _fold(lambda a, b: a + b, tuple(masks))
    else:
        n = 1
    return tuple(xp.sum_to(g * m / n, x) for m, x in zip(masks, xs))


def _pow_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    # d/dx x^y = y x^(y-1) (0 where y = 0);  d/dy x^y = x^y log x  (0 where x = 0 and y > 0, the limit).
    x, y = xs
    dx = xp.where(xp.eq(y, xp.zero), xp.zero, g * y * xp.pow(x, y - 1))
    dy = g * out * xp.log_pos(x)
    return xp.sum_to(dx, x), xp.sum_to(dy, y)


def _any(cond: Any) -> bool:
    return bool(cond) if isinstance(cond, bool) else bool(_np().any(cond))


def _tie(out: Any, *xs: Any) -> str | None:
    if type(out) is float:
        n = sum(1 for x in xs if x == out)
        return "tie" if n > 1 else None
    np = _np()
    n = sum(np.broadcast_to(np.asarray(x) == out, np.shape(out)).astype(int) for x in xs)
    k = int(np.sum(n > 1))
    return f"tie ({k} element{'s' if k != 1 else ''})" if k else None


def _kink_at_zero(out: Any, x: Any) -> str | None:
    if type(x) is float:
        return "kink" if x == 0.0 else None
    k = int(_np().sum(x == 0))
    return f"kink ({k} element{'s' if k != 1 else ''})" if k else None


# --- domain checks: a message for inputs the op cannot take -------------------


def _positive(what: str) -> Callable:
    def check(x: Any) -> str | None:
        if _any(x <= 0):
            return f"{what} needs a positive input, got {_show(x, lambda v: v <= 0)}"
        return None

    return check


def _check_sqrt(x: Any) -> str | None:
    if _any(x < 0):
        return f"sqrt needs a non-negative input, got {_show(x, lambda v: v < 0)}"
    return None


def _check_div(x: Any, y: Any) -> str | None:
    if _any(y == 0):
        return "division by zero: the denominator is 0"
    return None


def _check_pow(x: Any, y: Any) -> str | None:
    np = _np() if not (type(x) is float and type(y) is float) else None
    if np is None:
        if x == 0.0 and y < 0.0:
            return f"0 raised to a negative power ({_fmt(y)}) divides by zero"
        if x < 0.0 and y != math.floor(y):
            return f"a negative base ({_fmt(x)}) to a non-integer power ({_fmt(y)}) is not a real number"
        return None
    xb, yb = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    if np.any((xb == 0) & (yb < 0)):
        return "0 raised to a negative power divides by zero"
    if np.any((xb < 0) & (yb != np.floor(yb))):
        return "a negative base to a non-integer power is not a real number"
    return None


def _fmt(v: float) -> str:
    return repr(float(v)).removesuffix(".0") if float(v).is_integer() else repr(float(v))


def _show(x: Any, bad: Callable) -> str:
    if type(x) is float:
        return _fmt(x)
    np = _np()
    idx = np.argwhere(bad(np.asarray(x)))[0]
    return f"{_fmt(np.asarray(x)[tuple(idx)])} at index {list(int(i) for i in idx)}"


# --- the entry ----------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    name: str
    arity: tuple[int, int | None]  # (min, max) number of inputs; max None = any
    forward: Callable[..., Any]  # (xp, *xs) -> output
    vjp: Callable[..., tuple]  # (xp, g, out, xs, needs) -> one downstream per input (None: not needed)
    role: str
    doc: str
    plain: str  # "{0} + {1}", or "max({args})" for variadic
    latex: str
    prec: int  # binding strength when printed (higher binds tighter)
    sample: Callable[[Any], tuple]  # numpy Generator -> valid inputs away from kinks
    domain: Callable[..., str | None] | None = None
    kink: Callable[..., str | None] | None = None  # (out, *xs) -> flag text (float run)
    ties: bool = False  # its gradient at a tie follows the run's tie rule (xp.ties)
    const_role: str | None = None  # role when an input is a constant (mul by 2: scaler)
    expand: Callable[..., Any] | None = None  # (builder, *inputs) -> node of primitive gates
    symbol: str | None = None  # infix/prefix operator it is written with
    callable: bool = True  # may be written as name(args)
    # (*shapes) -> why these input shapes cannot go together, or None; None = numpy broadcasting
    shapes: Callable[..., str | None] | None = None
    const_args: tuple[int, ...] = ()  # positions that must be numbers written in the expression (axes)
    # How each downstream is made from the upstream g, shown as the 'local' of array gates:
    # a tuple (one per input) or one text for every input ({i} = that input); {0}, {1} = input names.
    vjp_text: tuple[str, ...] | str = "g · ∂out/∂{i}"
    # An array op (matmul, sum, softmax ...): its sampler gives arrays of random shapes, so
    # tests written for scalar inputs skip it.  Elementwise ops are not array ops.
    array_op: bool = False

    def apply(self, *xs: Any, ties: str = DEFAULT_TIES) -> Any:
        """The forward rule on floats or numpy arrays (the float domain's namespace)."""
        from .domains import Domain

        return self.forward(Domain(ties).ns(xs), *xs)

    def pullback(self, g: Any, out: Any, *xs: Any, ties: str = DEFAULT_TIES, needs: Any = None) -> tuple:
        """The VJP on floats or numpy arrays: one downstream value per input."""
        from .domains import Domain

        return self.vjp(Domain(ties).ns((g, out, *xs)), g, out, xs, needs)

    def accepts(self, n: int) -> bool:
        lo, hi = self.arity
        return n >= lo and (hi is None or n <= hi)

    def arity_text(self) -> str:
        lo, hi = self.arity
        if hi == lo:
            return f"{lo} argument" + ("s" if lo != 1 else "")
        if hi is None:
            return f"at least {lo} arguments"
        return f"{lo} to {hi} arguments"


def _u(lo: float, hi: float) -> Callable:
    return lambda rng: (float(rng.uniform(lo, hi)),)


def _away_from_zero(rng: Any) -> tuple:
    return (float(rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 3.0)),)


def _distinct(n: int) -> Callable:
    def sample(rng: Any) -> tuple:
        xs = rng.uniform(-3, 3, size=n)
        xs += rng.permutation(n) * 0.5  # keep inputs apart: no ties
        return tuple(float(v) for v in xs)

    return sample


OPS: dict[str, Op] = {}


def _op(**kw: Any) -> Op:
    op = Op(**kw)
    OPS[op.name] = op
    return op


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


def shape_error(op: Op, xs: tuple) -> str | None:
    """Why these inputs' shapes cannot go through ``op`` (None if they can).  Called for array
    inputs, and for scalars when the op has its own shape rule (matmul needs arrays)."""
    shapes = tuple(() if type(x) is float else _np().shape(x) for x in xs)
    if op.shapes is not None:
        return op.shapes(*shapes)
    np = _np()
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        return "cannot broadcast these shapes together (each axis, from the right, must match or be 1)"
    return None


def vjp_rules(op: Op, names: list[str]) -> list[str]:
    """The printed rule for each input's downstream: 'g @ xᵀ', 'g * [h > 0]'."""
    texts = op.vjp_text
    if isinstance(texts, str):
        texts = (texts,) * len(names)
    return [t.format(*names, i=name) for t, name in zip(texts, names)]


# Constants a name means unless the user gives it a value.
CONSTANTS = {"pi": math.pi, "e": math.e}
# Spellings that call an op under another name.
ALIASES = {"ln": "log"}


def lookup_function(name: str) -> Op | None:
    op = OPS.get(ALIASES.get(name, name))
    return op if op is not None and op.callable else None


def function_names() -> list[str]:
    return sorted([n for n, op in OPS.items() if op.callable] + list(ALIASES))


from . import array_ops  # noqa: E402,F401  (registers the array ops in OPS)
