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
from dataclasses import dataclass
from typing import Any, Callable

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
    return f"tie ({k} elements)" if k else None


def _kink_at_zero(out: Any, x: Any) -> str | None:
    if type(x) is float:
        return "kink" if x == 0.0 else None
    k = int(_np().sum(x == 0))
    return f"kink ({k} elements)" if k else None


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


_op(name="add", arity=(2, 2), forward=lambda x, y: x + y, vjp=_add_vjp, role=DISTRIBUTOR,
    doc="x + y", plain="{0} + {1}", latex="{0} + {1}", prec=10, symbol="+", callable=False,
    sympy=lambda sp, x, y: x + y, sample=_distinct(2))
_op(name="sub", arity=(2, 2), forward=lambda x, y: x - y, vjp=_sub_vjp, role=DISTRIBUTOR,
    doc="x - y", plain="{0} - {1}", latex="{0} - {1}", prec=10, symbol="-", callable=False,
    sympy=lambda sp, x, y: x - y, sample=_distinct(2))
_op(name="mul", arity=(2, 2), forward=lambda x, y: x * y, vjp=_mul_vjp, role=SWITCHER,
    const_role=SCALER, doc="x * y", plain="{0} * {1}", latex=r"{0} \cdot {1}", prec=20,
    symbol="*", callable=False, sympy=lambda sp, x, y: x * y, sample=_distinct(2))
_op(name="div", arity=(2, 2), forward=lambda x, y: x / y, vjp=_div_vjp, role=FUNCTION,
    doc="x / y", plain="{0} / {1}", latex=r"\frac{{{0}}}{{{1}}}", prec=20, symbol="/",
    callable=False, sympy=lambda sp, x, y: x / y, domain=_check_div,
    sample=lambda rng: (float(rng.uniform(-3, 3)), _away_from_zero(rng)[0]))
_op(name="neg", arity=(1, 1), forward=lambda x: -x, vjp=lambda g, out, x: (-g,), role=SCALER,
    doc="-x", plain="-{0}", latex="-{0}", prec=30, symbol="-", callable=False,
    sympy=lambda sp, x: -x, sample=_u(-3, 3))
_op(name="pos", arity=(1, 1), forward=lambda x: x, vjp=lambda g, out, x: (g,), role=DISTRIBUTOR,
    doc="+x", plain="+{0}", latex="+{0}", prec=30, symbol="+", callable=False,
    sympy=lambda sp, x: x, sample=_u(-3, 3))
_op(name="pow", arity=(2, 2), forward=_pow, vjp=_pow_vjp, role=FUNCTION,
    doc="x ** y (also x ^ y, pow(x, y))", plain="{0} ** {1}", latex="{{{0}}}^{{{1}}}", prec=40,
    symbol="**", sympy=lambda sp, x, y: x**y, domain=_check_pow,
    sample=lambda rng: (float(rng.uniform(0.3, 3)), float(rng.uniform(-2, 3))))
_op(name="exp", arity=(1, 1), forward=_exp, vjp=lambda g, out, x: (g * out,), role=FUNCTION,
    doc="e^x", plain="exp({0})", latex="e^{{{0}}}", prec=100, sympy=lambda sp, x: sp.exp(x),
    sample=_u(-3, 3))
_op(name="log", arity=(1, 1), forward=_log, vjp=lambda g, out, x: (g / x,), role=FUNCTION,
    doc="natural logarithm", plain="log({0})", latex=r"\log\left({0}\right)", prec=100,
    sympy=lambda sp, x: sp.log(x), domain=_positive("log"), sample=_u(0.1, 5))
_op(name="sqrt", arity=(1, 1), forward=_sqrt, vjp=lambda g, out, x: (g * 0.5 / out,),
    role=FUNCTION, doc="square root", plain="sqrt({0})", latex=r"\sqrt{{{0}}}", prec=100,
    sympy=lambda sp, x: sp.sqrt(x), domain=_check_sqrt, sample=_u(0.1, 5))
_op(name="sin", arity=(1, 1), forward=_sin, vjp=lambda g, out, x: (g * _cos(x),),
    role=FUNCTION, doc="sine", plain="sin({0})", latex=r"\sin\left({0}\right)", prec=100,
    sympy=lambda sp, x: sp.sin(x), sample=_u(-3, 3))
_op(name="cos", arity=(1, 1), forward=_cos, vjp=lambda g, out, x: (-g * _sin(x),),
    role=FUNCTION, doc="cosine", plain="cos({0})", latex=r"\cos\left({0}\right)", prec=100,
    sympy=lambda sp, x: sp.cos(x), sample=_u(-3, 3))
_op(name="tan", arity=(1, 1), forward=_tan, vjp=lambda g, out, x: (g * (1.0 + out * out),),
    role=FUNCTION, doc="tangent", plain="tan({0})", latex=r"\tan\left({0}\right)", prec=100,
    sympy=lambda sp, x: sp.tan(x), sample=_u(-1.2, 1.2))
_op(name="tanh", arity=(1, 1), forward=_tanh, vjp=lambda g, out, x: (g * (1.0 - out * out),),
    role=FUNCTION, doc="hyperbolic tangent; local gradient 1 - tanh^2",
    plain="tanh({0})", latex=r"\tanh\left({0}\right)", prec=100, sympy=lambda sp, x: sp.tanh(x),
    sample=_u(-3, 3),
    expand=lambda B, x: B("sub", B("div", B.const(2.0), B("add", B.const(1.0),
                          B("exp", B("mul", B.const(-2.0), x)))), B.const(1.0)))
_op(name="sigmoid", arity=(1, 1), forward=_sigmoid,
    vjp=lambda g, out, x: (g * out * (1.0 - out),), role=FUNCTION,
    doc="1 / (1 + e^-x); local gradient (1 - sigmoid) sigmoid",
    plain="sigmoid({0})", latex=r"\sigma\left({0}\right)", prec=100,
    sympy=lambda sp, x: 1 / (1 + sp.exp(-x)), sample=_u(-4, 4),
    expand=lambda B, x: B("div", B.const(1.0), B("add", B.const(1.0), B("exp", B("neg", x)))))
_op(name="softplus", arity=(1, 1), forward=_softplus,
    vjp=lambda g, out, x: (g * _sigmoid(x),), role=FUNCTION,
    doc="log(1 + e^x); local gradient sigmoid(x)", plain="softplus({0})",
    latex=r"\operatorname{{softplus}}\left({0}\right)", prec=100,
    sympy=lambda sp, x: sp.log(1 + sp.exp(x)), sample=_u(-4, 4),
    expand=lambda B, x: B("log", B("add", B.const(1.0), B("exp", x))))
_op(name="relu", arity=(1, 1), forward=_relu, vjp=lambda g, out, x: (g * _step(x),),
    role=ROUTER, doc="max(0, x); relu'(0) = 0", plain="relu({0})",
    latex=r"\operatorname{{relu}}\left({0}\right)", prec=100,
    sympy=lambda sp, x: sp.Max(0, x), kink=_kink_at_zero, sample=_away_from_zero)
_op(name="abs", arity=(1, 1), forward=_abs, vjp=lambda g, out, x: (g * _sign(x),),
    role=FUNCTION, doc="|x|; abs'(0) = 0", plain="abs({0})", latex=r"\left|{0}\right|",
    prec=100, sympy=lambda sp, x: sp.Abs(x), kink=_kink_at_zero, sample=_away_from_zero)
_op(name="max", arity=(2, None), forward=_max,
    vjp=lambda g, out, *xs_rule: _route(g, out, xs_rule[:-1], xs_rule[-1]), ties=True,
    role=ROUTER, doc="largest input; ties follow --ties", plain="max({args})",
    latex=r"\max\left({args}\right)", prec=100, sympy=lambda sp, *xs: sp.Max(*xs), kink=_tie,
    sample=_distinct(3))
_op(name="min", arity=(2, None), forward=_min,
    vjp=lambda g, out, *xs_rule: _route(g, out, xs_rule[:-1], xs_rule[-1]), ties=True,
    role=ROUTER, doc="smallest input; ties follow --ties", plain="min({args})",
    latex=r"\min\left({args}\right)", prec=100, sympy=lambda sp, *xs: sp.Min(*xs), kink=_tie,
    sample=_distinct(3))

# Constants a name means unless the user gives it a value.
CONSTANTS = {"pi": math.pi, "e": math.e}
# Spellings that call an op under another name.
ALIASES = {"ln": "log"}


def lookup_function(name: str) -> Op | None:
    op = OPS.get(ALIASES.get(name, name))
    return op if op is not None and op.callable else None


def function_names() -> list[str]:
    return sorted([n for n, op in OPS.items() if op.callable] + list(ALIASES))
