"""The op table's entry and registry: what an op is, the gate roles, the named tie and kink rules.

``ops.py`` (the scalar ops) and ``array_ops.py`` (the array ops) register their entries
here, one :class:`Op` per operation; the engine only reads these fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Gate roles, named as cs231n lecture 4 names them (documented in docs/language.md).
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


def _any(cond: Any) -> bool:
    return bool(cond) if isinstance(cond, bool) else bool(_np().any(cond))


def _tie(out: Any, *xs: Any) -> str | None:
    if type(out) is float:
        n = sum(1 for x in xs if x == out)
        return "tie" if n > 1 else None
    np = _np()
    n = sum(np.broadcast_to(np.asarray(x) == out, np.shape(out)).astype(int) for x in xs)
    k = int(np.count_nonzero(n > 1))
    return f"tie ({k} element{'s' if k != 1 else ''})" if k else None


def _kink_at_zero(out: Any, x: Any) -> str | None:
    if type(x) is float:
        return "kink" if x == 0.0 else None
    k = int(_np().count_nonzero(x == 0))  # count_nonzero: no integer sum over a boolean array
    return f"kink ({k} element{'s' if k != 1 else ''})" if k else None


def _fmt(v: float) -> str:
    return repr(float(v)).removesuffix(".0") if float(v).is_integer() else repr(float(v))


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
    # Its output holds its input's elements, only moved (transpose): finite exactly when the
    # input is, so the float run's finiteness check skips it (a 784x256 check is not free).
    moves: bool = False
    # Its rules are numeric only (the cs231n layers): no rule for exact numbers or formulas,
    # which --exact and --symbolic report as such.
    numeric_only: bool = False
    # A reduction over an axis (its argument 1; argument 2, if it takes one, keeps the axis):
    # the engine warns where its result is broadcast back along another axis.
    reduces: bool = False
    # Positions that take integer class labels (the losses' y): no gradient flows there, and a
    # gradient check does not move them (a label moved by h is no label).
    labels: tuple[int, ...] = ()

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


def shape_error(op: Op, xs: tuple) -> str | None:
    """Why these inputs' shapes cannot go through ``op`` (None if they can).  Called for array
    inputs, and for scalars when the op has its own shape rule (matmul needs arrays)."""
    np = _np()
    nd = np.ndarray
    shapes = tuple(x.shape if type(x) is nd else (() if type(x) is float else np.shape(x)) for x in xs)
    if op.shapes is not None:
        return op.shapes(*shapes)
    first = shapes[0] if shapes else ()
    if all(s == first or s == () for s in shapes):  # equal shapes and scalars always broadcast
        return None
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        return "cannot broadcast these shapes together (each axis, from the right, must match or be 1)"
    return None


_RULES: dict[tuple, list[str]] = {}  # (vjp_text, input names) -> rules: a run asks per gate


def vjp_rules(op: Op, names: list[str]) -> list[str]:
    """The printed rule for each input's downstream: 'g @ xᵀ', 'g * [h > 0]'."""
    key = (op.vjp_text, *names)
    rules = _RULES.get(key)
    if rules is None:
        texts = op.vjp_text
        if isinstance(texts, str):
            texts = (texts,) * len(names)
        rules = [t.format(*names, i=name) for t, name in zip(texts, names)]
        if len(_RULES) > 4096:  # bounded: names come from the user's expressions
            _RULES.clear()
        _RULES[key] = rules
    return list(rules)
