"""The op table: every operation defined once, forward and vector-Jacobian product side by side.

An entry carries its name and arity, ``forward(*xs)``, ``vjp(g, out, *xs)``
(upstream -> one downstream value per input, never a materialised Jacobian),
its gate role, printed forms (plain and LaTeX), its SymPy counterpart, a domain
check that turns impossible inputs into a clear error, a sampler of valid inputs
(for the tests), and what counts as a kink or tie.  The engine never switches
on op names: it only reads these fields.

Values are Python floats (scalars: fast, and no numpy import) or numpy arrays;
kernels dispatch on ``type(x) is float``.  numpy is imported only on the array
path, so a scalar run starts quickly.
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


def _route(g: Any, out: Any, xs: tuple, rule: str) -> tuple:
    """Downstream gradients of max/min: the upstream goes to the input(s) equal to the output."""
    if type(out) is float:
        hits = [x == out for x in xs]
        n = sum(hits)
        if rule == "first":
            i = hits.index(True)
            return tuple(g if j == i else 0.0 for j in range(len(xs)))
        share = g if rule == "all" else g / n
        return tuple(share if h else 0.0 for h in hits)
    np = _np()
    masks = [np.broadcast_to(np.asarray(x) == out, np.shape(out)).astype(float) for x in xs]
    if rule == "first":
        taken = np.zeros(np.shape(out))
        firsts = []
        for m in masks:
            firsts.append(m * (1.0 - taken))
            taken = np.maximum(taken, m)
        masks = firsts
    elif rule == "split":
        n = sum(masks)
        masks = [m / n for m in masks]
    return tuple(_unbroadcast(g * m, np.shape(x)) for m, x in zip(masks, xs))


def _unbroadcast(g: Any, shape: tuple) -> Any:
    """Sum a broadcast gradient back down to an input's shape."""
    if type(g) is float or _np().shape(g) == tuple(shape):
        return g
    np = _np()
    g = np.asarray(g)
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    if shape == ():
        return float(g)
    return g


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


# --- scalar/array kernels -----------------------------------------------------


def _elementwise(scalar: Callable, array_name: str) -> Callable:
    def f(x: Any) -> Any:
        if type(x) is float:
            return scalar(x)
        return getattr(_np(), array_name)(x)

    return f


_exp = _elementwise(math.exp, "exp")
_log = _elementwise(math.log, "log")
_sqrt = _elementwise(math.sqrt, "sqrt")
_sin = _elementwise(math.sin, "sin")
_cos = _elementwise(math.cos, "cos")
_tan = _elementwise(math.tan, "tan")
_tanh = _elementwise(math.tanh, "tanh")
_abs = _elementwise(abs, "abs")


def _sigmoid(x: Any) -> Any:
    if type(x) is float:
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)
    np = _np()
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softplus(x: Any) -> Any:
    if type(x) is float:
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))
    np = _np()
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _relu(x: Any) -> Any:
    if type(x) is float:
        return x if x > 0.0 else 0.0
    return _np().maximum(x, 0.0)


def _step(x: Any) -> Any:
    """d relu / dx: 1 where x > 0, else 0 (relu'(0) = 0, as PyTorch)."""
    if type(x) is float:
        return 1.0 if x > 0.0 else 0.0
    return (x > 0).astype(float)


def _sign(x: Any) -> Any:
    """d |x| / dx, with 0 at x = 0 (as PyTorch)."""
    if type(x) is float:
        return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)
    return _np().sign(x).astype(float)


def _max(*xs: Any) -> Any:
    if all(type(x) is float for x in xs):
        return max(xs)
    np = _np()
    out = xs[0]
    for x in xs[1:]:
        out = np.maximum(out, x)
    return out


def _min(*xs: Any) -> Any:
    if all(type(x) is float for x in xs):
        return min(xs)
    np = _np()
    out = xs[0]
    for x in xs[1:]:
        out = np.minimum(out, x)
    return out


def _pow(x: Any, y: Any) -> Any:
    if type(x) is float and type(y) is float:
        return x**y
    return _np().power(x, y)


def _pow_vjp(g: Any, out: Any, x: Any, y: Any) -> tuple:
    # d/dx x^y = y x^(y-1);  d/dy x^y = x^y log x  (taken as 0 where x = 0 and y > 0, the limit).
    if type(x) is float and type(y) is float:
        dx = g * y * x ** (y - 1.0) if y != 0.0 else 0.0
        dy = g * out * math.log(x) if x > 0.0 else 0.0
        return dx, dy
    np = _np()
    with np.errstate(all="ignore"):
        dx = np.where(y != 0, g * y * np.power(x, y - 1.0), 0.0)
        dy = np.where(np.asarray(x) > 0, g * out * np.log(np.where(np.asarray(x) > 0, x, 1.0)), 0.0)
    return _unbroadcast(dx, np.shape(x)), _unbroadcast(dy, np.shape(y))


def _add_vjp(g: Any, out: Any, x: Any, y: Any) -> tuple:
    if type(g) is float:
        return g, g
    np = _np()
    return _unbroadcast(g, np.shape(x)), _unbroadcast(g, np.shape(y))


def _sub_vjp(g: Any, out: Any, x: Any, y: Any) -> tuple:
    if type(g) is float:
        return g, -g
    np = _np()
    return _unbroadcast(g, np.shape(x)), _unbroadcast(-g, np.shape(y))


def _mul_vjp(g: Any, out: Any, x: Any, y: Any) -> tuple:
    if type(g) is float and type(x) is float and type(y) is float:
        return g * y, g * x
    np = _np()
    return _unbroadcast(g * y, np.shape(x)), _unbroadcast(g * x, np.shape(y))


def _div_vjp(g: Any, out: Any, x: Any, y: Any) -> tuple:
    if type(g) is float and type(x) is float and type(y) is float:
        return g / y, -g * x / (y * y)
    np = _np()
    return _unbroadcast(g / y, np.shape(x)), _unbroadcast(-g * x / (y * y), np.shape(y))


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
    forward: Callable[..., Any]
    vjp: Callable[..., tuple]  # (g, out, *xs) -> downstream per input; (…, rule) if ties
    role: str
    doc: str
    plain: str  # "{0} + {1}", or "max({args})" for variadic
    latex: str
    prec: int  # binding strength when printed (higher binds tighter)
    sympy: Callable[..., Any] | None  # (sympy module, *args) -> sympy expression
    sample: Callable[[Any], tuple]  # numpy Generator -> valid inputs away from kinks
    domain: Callable[..., str | None] | None = None
    kink: Callable[..., str | None] | None = None  # (out, *xs) -> flag text
    ties: bool = False  # vjp takes the tie rule as a last argument
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
    partial_vjp: bool = False  # vjp takes needs=(bool per input) and returns None where False

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
    forward=lambda x, y: x + y,
    vjp=_add_vjp,
    role=DISTRIBUTOR,
    vjp_text=("g", "g"),
    doc="x + y",
    plain="{0} + {1}",
    latex="{0} + {1}",
    prec=10,
    symbol="+",
    callable=False,
    sympy=lambda sp, x, y: x + y,
    sample=_distinct(2),
)
_op(
    name="sub",
    arity=(2, 2),
    forward=lambda x, y: x - y,
    vjp=_sub_vjp,
    role=DISTRIBUTOR,
    vjp_text=("g", "-g"),
    doc="x - y",
    plain="{0} - {1}",
    latex="{0} - {1}",
    prec=10,
    symbol="-",
    callable=False,
    sympy=lambda sp, x, y: x - y,
    sample=_distinct(2),
)
_op(
    name="mul",
    arity=(2, 2),
    forward=lambda x, y: x * y,
    vjp=_mul_vjp,
    role=SWITCHER,
    vjp_text=("g * {1}", "g * {0}"),
    const_role=SCALER,
    doc="x * y",
    plain="{0} * {1}",
    latex=r"{0} \cdot {1}",
    prec=20,
    symbol="*",
    callable=False,
    sympy=lambda sp, x, y: x * y,
    sample=_distinct(2),
)
_op(
    name="div",
    arity=(2, 2),
    forward=lambda x, y: x / y,
    vjp=_div_vjp,
    role=FUNCTION,
    vjp_text=("g / {1}", "-g * {0} / {1}²"),
    doc="x / y",
    plain="{0} / {1}",
    latex=r"\frac{{{0}}}{{{1}}}",
    prec=20,
    symbol="/",
    callable=False,
    sympy=lambda sp, x, y: x / y,
    domain=_check_div,
    sample=lambda rng: (float(rng.uniform(-3, 3)), _away_from_zero(rng)[0]),
)
_op(
    name="neg",
    arity=(1, 1),
    forward=lambda x: -x,
    vjp=lambda g, out, x: (-g,),
    role=SCALER,
    vjp_text=("-g",),
    doc="-x",
    plain="-{0}",
    latex="-{0}",
    prec=30,
    symbol="-",
    callable=False,
    sympy=lambda sp, x: -x,
    sample=_u(-3, 3),
)
_op(
    name="pos",
    arity=(1, 1),
    forward=lambda x: x,
    vjp=lambda g, out, x: (g,),
    role=DISTRIBUTOR,
    vjp_text=("g",),
    doc="+x",
    plain="+{0}",
    latex="+{0}",
    prec=30,
    symbol="+",
    callable=False,
    sympy=lambda sp, x: x,
    sample=_u(-3, 3),
)
_op(
    name="pow",
    arity=(2, 2),
    forward=_pow,
    vjp=_pow_vjp,
    role=FUNCTION,
    vjp_text=("g * {1} * {0}^({1}-1)", "g * out * log({0})"),
    doc="x ** y (also x ^ y, pow(x, y))",
    plain="{0} ** {1}",
    latex="{{{0}}}^{{{1}}}",
    prec=40,
    symbol="**",
    sympy=lambda sp, x, y: x**y,
    domain=_check_pow,
    sample=lambda rng: (float(rng.uniform(0.3, 3)), float(rng.uniform(-2, 3))),
)
_op(
    name="exp",
    arity=(1, 1),
    forward=_exp,
    vjp=lambda g, out, x: (g * out,),
    role=FUNCTION,
    vjp_text=("g * out",),
    doc="e^x",
    plain="exp({0})",
    latex="e^{{{0}}}",
    prec=100,
    sympy=lambda sp, x: sp.exp(x),
    sample=_u(-3, 3),
)
_op(
    name="log",
    arity=(1, 1),
    forward=_log,
    vjp=lambda g, out, x: (g / x,),
    role=FUNCTION,
    vjp_text=("g / {0}",),
    doc="natural logarithm",
    plain="log({0})",
    latex=r"\log\left({0}\right)",
    prec=100,
    sympy=lambda sp, x: sp.log(x),
    domain=_positive("log"),
    sample=_u(0.1, 5),
)
_op(
    name="sqrt",
    arity=(1, 1),
    forward=_sqrt,
    vjp=lambda g, out, x: (g * 0.5 / out,),
    role=FUNCTION,
    doc="square root",
    plain="sqrt({0})",
    latex=r"\sqrt{{{0}}}",
    prec=100,
    vjp_text=("g / (2 out)",),
    sympy=lambda sp, x: sp.sqrt(x),
    domain=_check_sqrt,
    sample=_u(0.1, 5),
)
_op(
    name="sin",
    arity=(1, 1),
    forward=_sin,
    vjp=lambda g, out, x: (g * _cos(x),),
    role=FUNCTION,
    doc="sine",
    plain="sin({0})",
    latex=r"\sin\left({0}\right)",
    prec=100,
    vjp_text=("g * cos({0})",),
    sympy=lambda sp, x: sp.sin(x),
    sample=_u(-3, 3),
)
_op(
    name="cos",
    arity=(1, 1),
    forward=_cos,
    vjp=lambda g, out, x: (-g * _sin(x),),
    role=FUNCTION,
    doc="cosine",
    plain="cos({0})",
    latex=r"\cos\left({0}\right)",
    prec=100,
    vjp_text=("-g * sin({0})",),
    sympy=lambda sp, x: sp.cos(x),
    sample=_u(-3, 3),
)
_op(
    name="tan",
    arity=(1, 1),
    forward=_tan,
    vjp=lambda g, out, x: (g * (1.0 + out * out),),
    role=FUNCTION,
    doc="tangent",
    plain="tan({0})",
    latex=r"\tan\left({0}\right)",
    prec=100,
    vjp_text=("g * (1 + out²)",),
    sympy=lambda sp, x: sp.tan(x),
    sample=_u(-1.2, 1.2),
)
_op(
    name="tanh",
    arity=(1, 1),
    forward=_tanh,
    vjp=lambda g, out, x: (g * (1.0 - out * out),),
    role=FUNCTION,
    vjp_text=("g * (1 - out²)",),
    doc="hyperbolic tangent; local gradient 1 - tanh^2",
    plain="tanh({0})",
    latex=r"\tanh\left({0}\right)",
    prec=100,
    sympy=lambda sp, x: sp.tanh(x),
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
    forward=_sigmoid,
    vjp=lambda g, out, x: (g * out * (1.0 - out),),
    role=FUNCTION,
    vjp_text=("g * out * (1 - out)",),
    doc="1 / (1 + e^-x); local gradient (1 - sigmoid) sigmoid",
    plain="sigmoid({0})",
    latex=r"\sigma\left({0}\right)",
    prec=100,
    sympy=lambda sp, x: 1 / (1 + sp.exp(-x)),
    sample=_u(-4, 4),
    expand=lambda B, x: B("div", B.const(1.0), B("add", B.const(1.0), B("exp", B("neg", x)))),
)
_op(
    name="softplus",
    arity=(1, 1),
    forward=_softplus,
    vjp=lambda g, out, x: (g * _sigmoid(x),),
    role=FUNCTION,
    vjp_text=("g * sigmoid({0})",),
    doc="log(1 + e^x); local gradient sigmoid(x)",
    plain="softplus({0})",
    latex=r"\operatorname{{softplus}}\left({0}\right)",
    prec=100,
    sympy=lambda sp, x: sp.log(1 + sp.exp(x)),
    sample=_u(-4, 4),
    expand=lambda B, x: B("log", B("add", B.const(1.0), B("exp", x))),
)
_op(
    name="relu",
    arity=(1, 1),
    forward=_relu,
    vjp=lambda g, out, x: (g * _step(x),),
    role=ROUTER,
    vjp_text=("g * [{0} > 0]",),
    doc="max(0, x); relu'(0) = 0",
    plain="relu({0})",
    latex=r"\operatorname{{relu}}\left({0}\right)",
    prec=100,
    sympy=lambda sp, x: sp.Max(0, x),
    kink=_kink_at_zero,
    sample=_away_from_zero,
)
_op(
    name="abs",
    arity=(1, 1),
    forward=_abs,
    vjp=lambda g, out, x: (g * _sign(x),),
    role=FUNCTION,
    doc="|x|; abs'(0) = 0",
    plain="abs({0})",
    latex=r"\left|{0}\right|",
    vjp_text=("g * sign({0})",),
    prec=100,
    sympy=lambda sp, x: sp.Abs(x),
    kink=_kink_at_zero,
    sample=_away_from_zero,
)
_op(
    name="max",
    arity=(2, None),
    forward=_max,
    vjp=lambda g, out, *xs_rule: _route(g, out, xs_rule[:-1], xs_rule[-1]),
    ties=True,
    role=ROUTER,
    vjp_text="g where {i} = out",
    doc="largest input; ties follow --ties",
    plain="max({args})",
    latex=r"\max\left({args}\right)",
    prec=100,
    sympy=lambda sp, *xs: sp.Max(*xs),
    kink=_tie,
    sample=_distinct(3),
)
_op(
    name="min",
    arity=(2, None),
    forward=_min,
    vjp=lambda g, out, *xs_rule: _route(g, out, xs_rule[:-1], xs_rule[-1]),
    ties=True,
    role=ROUTER,
    vjp_text="g where {i} = out",
    doc="smallest input; ties follow --ties",
    plain="min({args})",
    latex=r"\min\left({args}\right)",
    prec=100,
    sympy=lambda sp, *xs: sp.Min(*xs),
    kink=_tie,
    sample=_distinct(3),
)

# --- array ops: reductions, matmul, softmax ... (numpy only; a float is a 0-d array) ----------
# An axis is an optional last argument written as a number: sum(x, 0), softmax(z, 1).  Axes count
# from 0; -1 is the last axis.  Reductions without an axis reduce over every element.


def _ax(axis: Any) -> int | None:
    return None if axis is None else int(axis)


def _expand(g: Any, shape: tuple, axis: Any) -> Any:
    """An upstream of a reduction, with the reduced axis put back (size 1) so it broadcasts."""
    np = _np()
    if axis is None:
        return g
    return np.expand_dims(g, int(axis) % len(shape))


def _spread(g: Any, shape: tuple, axis: Any) -> Any:
    """The upstream of a reduction copied back out over the reduced axis: the input's shape."""
    np = _np()
    return np.broadcast_to(_expand(g, shape, axis), shape).copy()


def _check_axis(what: str, default_all: bool = True) -> Callable:
    def check(x: Any, *rest: Any) -> str | None:
        if not rest:
            return None
        a = rest[0]
        nd = 0 if type(x) is float else x.ndim
        if a != math.floor(a):
            return f"the axis of {what} must be a whole number, got {_fmt(a)}"
        if nd == 0:
            return f"{what} got an axis ({_fmt(a)}) but its input is a scalar, which has no axes"
        if not -nd <= a < nd:
            return (
                f"axis {int(a)} is out of range for {what} of an array of shape "
                f"{tuple(x.shape)} (axes 0 to {nd - 1}, or -1 for the last)"
            )
        return None

    return check


def _zero_axis(rest: tuple) -> tuple:
    return (0.0,) * len(rest)  # a written constant (the axis) gets no gradient


def _sum(x: Any, axis: Any = None) -> Any:
    if type(x) is float:
        return x
    return x.sum(axis=_ax(axis))


def _sum_vjp(g: Any, out: Any, x: Any, *rest: Any) -> tuple:
    if type(x) is float:
        return (g, *_zero_axis(rest))
    return (_spread(g, x.shape, rest[0] if rest else None), *_zero_axis(rest))


def _mean(x: Any, axis: Any = None) -> Any:
    if type(x) is float:
        return x
    return x.mean(axis=_ax(axis))


def _count(x: Any, axis: Any) -> int:
    return x.size if axis is None else x.shape[int(axis)]


def _mean_vjp(g: Any, out: Any, x: Any, *rest: Any) -> tuple:
    if type(x) is float:
        return (g, *_zero_axis(rest))
    axis = rest[0] if rest else None
    return (_spread(g, x.shape, axis) / _count(x, axis), *_zero_axis(rest))


def _norm(x: Any, axis: Any = None) -> Any:
    if type(x) is float:
        return abs(x)
    np = _np()
    return np.sqrt(np.sum(x * x, axis=_ax(axis)))


def _norm_vjp(g: Any, out: Any, x: Any, *rest: Any) -> tuple:
    # d||x||/dx = x / ||x||; at ||x|| = 0 (a kink) the subgradient 0 is used.
    if type(x) is float:
        return (g * _sign(x), *_zero_axis(rest))
    np = _np()
    axis = rest[0] if rest else None
    n = _expand(np.asarray(out), x.shape, axis)
    scale = np.divide(_expand(np.asarray(g), x.shape, axis), n, out=np.zeros(np.shape(n)), where=n != 0)
    return (x * scale, *_zero_axis(rest))


def _norm_kink(out: Any, x: Any, *rest: Any) -> str | None:
    if type(out) is float:
        return "kink (norm is 0)" if out == 0.0 else None
    k = int(_np().sum(out == 0))
    return f"kink ({k} norm{'s are' if k != 1 else ' is'} 0)" if k else None


def _matmul(a: Any, b: Any) -> Any:
    return _np().matmul(a, b)


def _matmul_vjp(g: Any, out: Any, a: Any, b: Any, needs: tuple = (True, True)) -> tuple:
    # out = a @ b:  da = g @ bᵀ,  db = aᵀ @ g  (for vectors these are outer products).
    # A side that needs no gradient (the data, when training) is skipped: None.
    np = _np()
    if a.ndim == 1 and b.ndim == 1:
        return (g * b if needs[0] else None), (g * a if needs[1] else None)
    g = np.asarray(g)
    da = db = None
    if a.ndim == 1:  # (k,) @ (..., k, n) -> (..., n)
        if needs[0]:
            da = np.matmul(b, g[..., None])[..., 0]
        if needs[1]:
            db = a[:, None] * g[..., None, :]
    elif b.ndim == 1:  # (..., m, k) @ (k,) -> (..., m)
        if needs[0]:
            da = g[..., None] * b
        if needs[1]:
            db = np.matmul(g[..., None, :], a)[..., 0, :]
    else:
        if needs[0]:
            da = np.matmul(g, np.swapaxes(b, -1, -2))
        if needs[1]:
            db = np.matmul(np.swapaxes(a, -1, -2), g)
    return (
        None if da is None else _unbroadcast(da, a.shape),
        None if db is None else _unbroadcast(db, b.shape),
    )


def _matmul_shapes(sa: tuple, sb: tuple) -> str | None:
    if not sa or not sb:
        return "needs an array on each side (a scalar has no rows or columns); scale with * instead"
    ka = sa[-1]
    kb = sb[0] if len(sb) == 1 else sb[-2]
    if ka != kb:
        left = "length" if len(sa) == 1 else "number of columns"
        right = "length" if len(sb) == 1 else "number of rows"
        return f"the left side's {left} ({ka}) must equal the right side's {right} ({kb})"
    if len(sa) > 2 or len(sb) > 2:
        try:
            _np().broadcast_shapes(sa[:-2], sb[:-2])
        except ValueError:
            return f"the batch dimensions {sa[:-2]} and {sb[:-2]} do not broadcast"
    return None


def _dot(x: Any, y: Any) -> Any:
    if type(x) is float and type(y) is float:
        return x * y
    return _np().dot(x, y)


def _dot_vjp(g: Any, out: Any, x: Any, y: Any) -> tuple:
    return g * y, g * x


def _dot_shapes(sx: tuple, sy: tuple) -> str | None:
    if len(sx) != 1 or len(sy) != 1:
        return "takes two vectors (1-D arrays); use @ for matrices"
    if sx != sy:
        return f"needs two vectors of the same length, got lengths {sx[0]} and {sy[0]}"
    return None


def _transpose(x: Any) -> Any:
    if type(x) is float:
        return x
    return _np().transpose(x)


def _softmax(z: Any, axis: Any = None) -> Any:
    if type(z) is float:
        return 1.0
    np = _np()
    ax = -1 if axis is None else int(axis)
    e = np.exp(z - z.max(axis=ax, keepdims=True))
    e /= e.sum(axis=ax, keepdims=True)
    return e


def _softmax_vjp(g: Any, out: Any, z: Any, *rest: Any) -> tuple:
    # J = diag(s) - s sᵀ along the axis, so gᵀJ = s * (g - sum(g * s)).
    if type(z) is float:
        return (0.0 * g, *_zero_axis(rest))
    ax = -1 if not rest else int(rest[0])
    gs = g * out
    gs -= out * gs.sum(axis=ax, keepdims=True)
    return (gs, *_zero_axis(rest))


def _logsumexp(z: Any, axis: Any = None) -> Any:
    if type(z) is float:
        return z
    np = _np()
    ax = _ax(axis)
    m = z.max(axis=ax, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    r = np.log(np.exp(z - m).sum(axis=ax, keepdims=True)) + m
    return r.reshape(()) if ax is None else np.squeeze(r, axis=ax)


def _logsumexp_vjp(g: Any, out: Any, z: Any, *rest: Any) -> tuple:
    # d logsumexp / dz = softmax(z) along the axis
    if type(z) is float:
        return (g, *_zero_axis(rest))
    np = _np()
    axis = rest[0] if rest else None
    s = np.exp(z - _expand(np.asarray(out), z.shape, axis))
    s *= _expand(np.asarray(g), z.shape, axis)
    return (s, *_zero_axis(rest))


# --- SymPy counterparts of the array ops ----------------------------------------------------
# An array reaches these rules as a numpy array of dtype object holding one SymPy expression per
# element (any number of dimensions, so numpy's own broadcasting, matmul and axis reductions apply
# unchanged); a scalar as a plain SymPy expression.  An axis arrives as a Python int.  The rules
# return the same kinds.  (symbolic.py builds these arrays; elementwise ops keep their scalar
# rule, which symbolic.py applies per element with numpy broadcasting.)


def _sp_is_array(x: Any) -> bool:
    return type(x).__name__ == "ndarray"


def _sp_map(f: Callable, x: Any) -> Any:
    """A SymPy function applied to every element of an object array (or to a scalar)."""
    if not _sp_is_array(x):
        return f(x)
    return _np().frompyfunc(f, 1, 1)(x)


def _sp_matrices(rule: Callable) -> Callable:
    """Let a rule also take SymPy matrices (a column matrix is a vector), answering in kind."""

    def wrapped(sp: Any, *args: Any) -> Any:
        if not any(isinstance(a, sp.MatrixBase) for a in args):
            return rule(sp, *args)
        np = _np()
        conv = []
        for a in args:
            if isinstance(a, sp.MatrixBase):
                arr = np.array(a.tolist(), dtype=object)
                conv.append(arr[:, 0] if a.shape[1] == 1 else arr)
            else:
                conv.append(a)
        out = rule(sp, *conv)
        if _sp_is_array(out):
            return sp.Matrix(out.tolist()) if out.ndim else out[()]
        return out

    return wrapped


def _sp_axis(axis: tuple) -> int | None:
    return int(axis[0]) if axis else None


def _sp_sum(sp: Any, x: Any, *axis: Any) -> Any:
    return x.sum(axis=_sp_axis(axis)) if _sp_is_array(x) else x


def _sp_mean(sp: Any, x: Any, *axis: Any) -> Any:
    if not _sp_is_array(x):
        return x
    ax = _sp_axis(axis)
    n = x.size if ax is None else x.shape[ax]
    return x.sum(axis=ax) / n


def _sp_norm(sp: Any, x: Any, *axis: Any) -> Any:
    if not _sp_is_array(x):
        return sp.Abs(x)
    return _sp_map(sp.sqrt, (x * x).sum(axis=_sp_axis(axis)))


def _sp_logsumexp(sp: Any, x: Any, *axis: Any) -> Any:
    if not _sp_is_array(x):
        return sp.log(sp.exp(x))
    return _sp_map(sp.log, _sp_map(sp.exp, x).sum(axis=_sp_axis(axis)))


def _sp_softmax(sp: Any, z: Any, *axis: Any) -> Any:
    if not _sp_is_array(z):
        return sp.Integer(1)
    ax = -1 if not axis else int(axis[0])
    e = _sp_map(sp.exp, z)
    return e / e.sum(axis=ax, keepdims=True)


def _sp_matmul(sp: Any, x: Any, y: Any) -> Any:
    if not (_sp_is_array(x) and _sp_is_array(y)):
        return x * y  # a scalar operand is a shape error before any rule runs
    return _np().matmul(x, y)


def _sp_dot(sp: Any, x: Any, y: Any) -> Any:
    if not (_sp_is_array(x) and _sp_is_array(y)):
        return x * y
    return _np().dot(x, y)


def _sp_transpose(sp: Any, x: Any) -> Any:
    return _np().transpose(x) if _sp_is_array(x) else x


# --- samplers of array inputs (random shapes) for the tests ----------------------


def _shape(rng: Any, ndim: int | None = None) -> tuple[int, ...]:
    nd = int(rng.integers(1, 4)) if ndim is None else ndim
    return tuple(int(n) for n in rng.integers(1, 5, size=nd))


def _arr(rng: Any, shape: tuple, lo: float = -3.0, hi: float = 3.0) -> Any:
    return rng.uniform(lo, hi, size=shape)


def _with_axis(rng: Any, x: Any, optional: bool = True) -> tuple:
    if optional and rng.random() < 0.4:
        return (x,)
    return (x, float(rng.integers(-x.ndim, x.ndim)))


def _sample_reduce(rng: Any) -> tuple:
    return _with_axis(rng, _arr(rng, _shape(rng)))


def _sample_matmul(rng: Any) -> tuple:
    m, k, n = (int(v) for v in rng.integers(1, 5, size=3))
    kind = int(rng.integers(0, 5))
    if kind == 0:
        return _arr(rng, (k,)), _arr(rng, (k,))
    if kind == 1:
        return _arr(rng, (m, k)), _arr(rng, (k,))
    if kind == 2:
        return _arr(rng, (k,)), _arr(rng, (k, n))
    if kind == 3:
        return _arr(rng, (m, k)), _arr(rng, (k, n))
    return _arr(rng, (2, m, k)), _arr(rng, (k, n))  # a batch of matrices times one matrix


def _sample_dot(rng: Any) -> tuple:
    k = int(rng.integers(1, 6))
    return _arr(rng, (k,)), _arr(rng, (k,))


_op(
    name="matmul",
    array_op=True,
    partial_vjp=True,
    arity=(2, 2),
    forward=_matmul,
    vjp=_matmul_vjp,
    role=SWITCHER,
    vjp_text=("g @ {1}ᵀ", "{0}ᵀ @ g"),
    shapes=_matmul_shapes,
    doc="matrix product A @ B (matrix-vector, matrix-matrix, vector-vector)",
    plain="{0} @ {1}",
    latex=r"{0} {1}",
    prec=20,
    symbol="@",
    sympy=_sp_matrices(_sp_matmul),
    sample=_sample_matmul,
)
_op(
    name="dot",
    array_op=True,
    arity=(2, 2),
    forward=_dot,
    vjp=_dot_vjp,
    role=SWITCHER,
    vjp_text=("g * {1}", "g * {0}"),
    shapes=_dot_shapes,
    doc="inner product of two vectors of the same length",
    plain="dot({0}, {1})",
    latex=r"{0} \cdot {1}",
    prec=100,
    sympy=_sp_matrices(_sp_dot),
    sample=_sample_dot,
)
_op(
    name="transpose",
    array_op=True,
    arity=(1, 1),
    forward=_transpose,
    vjp=lambda g, out, x: (_transpose(g),),
    role=DISTRIBUTOR,
    vjp_text=("transpose(g)",),
    doc="reverses the axes: rows become columns (Wᵀ)",
    plain="transpose({0})",
    latex="{{{0}}}^{{\\top}}",
    prec=100,
    sympy=_sp_matrices(_sp_transpose),
    sample=lambda rng: (_arr(rng, _shape(rng)),),
)
_op(
    name="sum",
    array_op=True,
    arity=(1, 2),
    forward=_sum,
    vjp=_sum_vjp,
    role=DISTRIBUTOR,
    const_args=(1,),
    domain=_check_axis("sum"),
    vjp_text=("g copied to every element",),
    doc="sum of all elements, or along an axis: sum(x, 0)",
    plain="sum({args})",
    latex=r"\sum {0}",
    prec=100,
    sympy=_sp_matrices(_sp_sum),
    sample=_sample_reduce,
)
_op(
    name="mean",
    array_op=True,
    arity=(1, 2),
    forward=_mean,
    vjp=_mean_vjp,
    role=SCALER,
    const_args=(1,),
    domain=_check_axis("mean"),
    vjp_text=("g / n copied to every element",),
    doc="mean of all elements, or along an axis: mean(x, 1)",
    plain="mean({args})",
    latex=r"\overline{{{0}}}",
    prec=100,
    sympy=_sp_matrices(_sp_mean),
    sample=_sample_reduce,
)
_op(
    name="norm",
    array_op=True,
    arity=(1, 2),
    forward=_norm,
    vjp=_norm_vjp,
    role=FUNCTION,
    const_args=(1,),
    domain=_check_axis("norm"),
    kink=_norm_kink,
    vjp_text=("g * {0} / out",),
    doc="L2 norm: sqrt(sum(x**2)) of all elements, or along an axis",
    plain="norm({args})",
    latex=r"\left\|{0}\right\|",
    prec=100,
    sympy=_sp_matrices(_sp_norm),
    sample=_sample_reduce,
)
_op(
    name="softmax",
    array_op=True,
    arity=(1, 2),
    forward=_softmax,
    vjp=_softmax_vjp,
    role=FUNCTION,
    const_args=(1,),
    domain=_check_axis("softmax"),
    vjp_text=("out * (g - sum(g * out))",),
    doc="exp(z) / sum(exp(z)) along an axis (default: the last)",
    plain="softmax({args})",
    latex=r"\operatorname{{softmax}}\left({args}\right)",
    prec=100,
    sympy=_sp_matrices(_sp_softmax),
    sample=_sample_reduce,
)
_op(
    name="logsumexp",
    array_op=True,
    arity=(1, 2),
    forward=_logsumexp,
    vjp=_logsumexp_vjp,
    role=FUNCTION,
    const_args=(1,),
    domain=_check_axis("logsumexp"),
    vjp_text=("g * softmax({0})",),
    doc="log(sum(exp(z))) of all elements, or along an axis",
    plain="logsumexp({args})",
    latex=r"\log\sum e^{{{0}}}",
    prec=100,
    sympy=_sp_matrices(_sp_logsumexp),
    sample=_sample_reduce,
)
_op(
    name="maximum",
    arity=(2, 2),
    forward=_max,
    vjp=lambda g, out, x, y, rule: _route(g, out, (x, y), rule),
    ties=True,
    role=ROUTER,
    vjp_text="g where {i} = out",
    doc="elementwise larger of two arrays (relu: maximum(0, x))",
    plain="maximum({0}, {1})",
    latex=r"\max\left({0}, {1}\right)",
    prec=100,
    sympy=lambda sp, x, y: sp.Max(x, y),
    kink=_tie,
    sample=_distinct(2),
)
_op(
    name="minimum",
    arity=(2, 2),
    forward=_min,
    vjp=lambda g, out, x, y, rule: _route(g, out, (x, y), rule),
    ties=True,
    role=ROUTER,
    vjp_text="g where {i} = out",
    doc="elementwise smaller of two arrays",
    plain="minimum({0}, {1})",
    latex=r"\min\left({0}, {1}\right)",
    prec=100,
    sympy=lambda sp, x, y: sp.Min(x, y),
    kink=_tie,
    sample=_distinct(2),
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
