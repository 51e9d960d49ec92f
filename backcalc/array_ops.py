"""The array ops of the op table: reductions, matmul, dot, transpose, softmax, logsumexp.

Registered into ``ops.OPS`` beside the scalar ops, with the same kind of entry: forward and
VJP written once against the namespace ``xp``, so they run over numpy arrays and over numpy
object arrays of exact numbers or formulas alike (a float is a 0-d array).  An axis is an
optional last argument written as a number: sum(x, 0), softmax(z, 1).  Axes count from 0;
-1 is the last axis.  Reductions without an axis reduce over every element.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .optable import DISTRIBUTOR, FUNCTION, ROUTER, SCALER, SWITCHER, _distinct, _fmt, _np, _op, _route, _tie

__all__ = ["ROUTER", "_distinct", "_route", "_tie"]


def _ax(axis: tuple) -> int | None:
    return None if not axis else int(axis[0])


def _no_grad(xp: Any, axis: tuple) -> tuple:
    return (xp.zero,) * len(axis)  # a written constant (the axis) gets no gradient


def _count(xp: Any, x: Any, axis: tuple) -> int:
    shape = xp.shape(x)
    if not shape:
        return 1
    if not axis:
        return math.prod(shape)
    return shape[int(axis[0])]


def _keep(axis: tuple) -> bool:
    """Keep the reduced axis (size 1)?  The third argument: sum(x, 1, keep)."""
    return len(axis) > 1 and bool(axis[1])


def _sum(xp: Any, x: Any, *axis: Any) -> Any:
    return xp.sum(x, _ax(axis), keepdims=_keep(axis))


def _kept(xp: Any, g: Any, axis: tuple) -> Any:
    """A kept axis's upstream without that axis, as the spreading rules take it."""
    return xp.squeeze(g, int(axis[0])) if _keep(axis) else g


def _sum_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    x, *axis = xs
    a = tuple(axis)
    return (xp.spread(_kept(xp, g, a), xp.shape(x), _ax(a)), *_no_grad(xp, a))


def _mean(xp: Any, x: Any, *axis: Any) -> Any:
    return xp.sum(x, _ax(axis), keepdims=_keep(axis)) / _count(xp, x, axis)


def _mean_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    x, *axis = xs
    a = tuple(axis)
    # g / n divided once, then spread: the same numbers as spreading, then dividing each
    return (xp.spread(_kept(xp, g, a) / _count(xp, x, a), xp.shape(x), _ax(a)), *_no_grad(xp, a))


def _norm(xp: Any, x: Any, *axis: Any) -> Any:
    return xp.sqrt(xp.sum(x * x, _ax(axis)))


def _norm_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    # d||x||/dx = x / ||x||; at ||x|| = 0 (a kink) the subgradient 0 is used.
    x, *axis = xs
    a, shape = _ax(tuple(axis)), xp.shape(x)
    return (x * xp.divide_where(xp.expand(g, shape, a), xp.expand(out, shape, a)), *_no_grad(xp, tuple(axis)))


def _matmul_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    # out = a @ b:  da = g @ bᵀ,  db = aᵀ @ g  (for vectors these are outer products).
    # A side that needs no gradient (the data, when training) is skipped: None.
    a, b = xs
    need_a = needs is None or needs[0]
    need_b = needs is None or needs[1]
    np = xp.np
    if a.ndim == 1 and b.ndim == 1:
        return (g * b if need_a else None), (g * a if need_b else None)
    g = xp.asarray(g)
    da = db = None
    if a.ndim == 1:  # (k,) @ (..., k, n) -> (..., n)
        if need_a:
            da = np.matmul(b, g[..., None])[..., 0]
        if need_b:
            db = a[:, None] * g[..., None, :]
    elif b.ndim == 1:  # (..., m, k) @ (k,) -> (..., m)
        if need_a:
            da = g[..., None] * b
        if need_b:
            db = np.matmul(g[..., None, :], a)[..., 0, :]
    else:
        if need_a:
            da = np.matmul(g, xp.swapaxes(b))
        if need_b:
            db = np.matmul(xp.swapaxes(a), g)
    return (
        None if da is None else xp.unbroadcast(da, a.shape),
        None if db is None else xp.unbroadcast(db, b.shape),
    )


def _softmax(xp: Any, z: Any, *axis: Any) -> Any:
    ax = -1 if not axis else int(axis[0])
    e = xp.exp(z - xp.shift(z, ax))
    return e / xp.sum(e, ax, keepdims=True)


def _softmax_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    # J = diag(s) - s sᵀ along the axis, so gᵀJ = s * (g - sum(g * s)).
    z, *axis = xs
    ax = -1 if not axis else int(axis[0])
    gs = g * out
    return (gs - out * xp.sum(gs, ax, keepdims=True), *_no_grad(xp, tuple(axis)))


def _logsumexp(xp: Any, z: Any, *axis: Any) -> Any:
    ax = _ax(axis)
    m = xp.shift(z, ax)
    return xp.squeeze(xp.log(xp.sum(xp.exp(z - m), ax, keepdims=True)) + m, ax)


def _logsumexp_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    # d logsumexp / dz = softmax(z) along the axis
    z, *axis = xs
    a, shape = _ax(tuple(axis)), xp.shape(z)
    s = xp.exp(z - xp.expand(out, shape, a)) * xp.expand(g, shape, a)
    return (s, *_no_grad(xp, tuple(axis)))


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
        if len(rest) > 1 and rest[1] not in (0.0, 1.0):
            return f"the third argument of {what} keeps the axis: write keep (or 1), or leave it out; got {_fmt(rest[1])}"
        return None

    return check


def _reduced_uses(g: Any) -> list[tuple[int, int, int]]:
    """(gate, side, reduction) for each elementwise two-input gate fed by a reduction over an
    axis that is not kept: the only places the wrong-axis warning looks (found once per graph)."""
    cached = g._reduced_uses
    if cached is not None and cached[0] == len(g.ops):
        return cached[1]
    ops, args = g.ops, g.args
    found = []
    for i, op in enumerate(ops):
        if op is None or op.array_op or op.shapes is not None or len(args[i]) != 2:
            continue  # elementwise gates with two inputs broadcast
        for side, j in enumerate(args[i]):
            red = ops[j]
            if red is not None and red.reduces and len(args[j]) >= 2:
                found.append((i, side, j))
    g._reduced_uses = (len(g.ops), found)
    return found


def broadcast_notes(g: Any, vals: list) -> list[str]:
    """Warnings for an array reduced over one axis and broadcast back along another:
    ``x - sum(x, 1)`` on a square x subtracts row sums from columns.  numpy lines a reduced
    shape up with the other operand's last axes, which are the axes the result came from only
    when the reduced axis was the first (axis 0) or was kept (``sum(x, 1, keep)``).  Only a
    broadcast against an array of the input's own shape is flagged: ``transpose(s) - sum(s, 1)``
    lines up on purpose."""
    uses = _reduced_uses(g)
    if not uses:
        return []
    np = _np()
    notes: list[str] = []
    args = g.args
    for i, side, j in uses:
        red = g.ops[j]
        if len(args[j]) > 2 and vals[args[j][2]]:
            continue  # the axis is kept
        x = vals[args[j][0]]
        other = vals[args[i][1 - side]]
        nd = np.ndim(x)
        if nd < 2 or np.shape(other) != np.shape(x):
            continue  # only against the input's own shape (a transposed one lines up)
        axis = int(vals[args[j][1]]) % nd
        if axis == 0:
            continue
        keep = f"; keep the axis: {red.name}(…, {axis}, keep)" if red.arity[1] == 3 else ""
        notes.append(
            f"{g.names[i]} = {g.text(i)}: {g.text(j)} reduces axis {axis} of shape {tuple(np.shape(x))} "
            f"to shape {tuple(np.shape(vals[j]))}, which numpy lines up with the "
            f"{'last axis' if nd == 2 else f'last {nd - 1} axes'} of {tuple(np.shape(other))}, "
            f"not with the axes it came from{keep}"
        )
    return notes


def _norm_kink(out: Any, x: Any, *rest: Any) -> str | None:
    if type(out) is float:
        return "kink (norm is 0)" if out == 0.0 else None
    k = int(_np().sum(out == 0))
    return f"kink ({k} norm{'s are' if k != 1 else ' is'} 0)" if k else None


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


def _dot_shapes(sx: tuple, sy: tuple) -> str | None:
    if len(sx) != 1 or len(sy) != 1:
        return "takes two vectors (1-D arrays); use @ for matrices"
    if sx != sy:
        return f"needs two vectors of the same length, got lengths {sx[0]} and {sy[0]}"
    return None


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


def _sample_reduce_keep(rng: Any) -> tuple:
    xs = _sample_reduce(rng)
    return (*xs, 1.0) if len(xs) == 2 and rng.random() < 0.5 else xs


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
    arity=(2, 2),
    forward=lambda xp, a, b: xp.matmul(a, b),
    vjp=_matmul_vjp,
    role=SWITCHER,
    vjp_text=("g @ {1}ᵀ", "{0}ᵀ @ g"),
    shapes=_matmul_shapes,
    doc="matrix product A @ B (matrix-vector, matrix-matrix, vector-vector)",
    plain="{0} @ {1}",
    latex=r"{0} {1}",
    prec=20,
    symbol="@",
    sample=_sample_matmul,
)
_op(
    name="dot",
    array_op=True,
    arity=(2, 2),
    forward=lambda xp, x, y: xp.dot(x, y),
    vjp=lambda xp, g, out, xs, needs: (g * xs[1], g * xs[0]),
    role=SWITCHER,
    vjp_text=("g * {1}", "g * {0}"),
    shapes=_dot_shapes,
    doc="inner product of two vectors of the same length",
    plain="dot({0}, {1})",
    latex=r"{0} \cdot {1}",
    prec=100,
    sample=_sample_dot,
)
_op(
    name="transpose",
    array_op=True,
    arity=(1, 1),
    forward=lambda xp, x: xp.transpose(x),
    vjp=lambda xp, g, out, xs, needs: (xp.transpose(g),),
    role=DISTRIBUTOR,
    vjp_text=("transpose(g)",),
    moves=True,
    doc="reverses the axes: rows become columns (Wᵀ)",
    plain="transpose({0})",
    latex="{{{0}}}^{{\\top}}",
    prec=100,
    sample=lambda rng: (_arr(rng, _shape(rng)),),
)
_op(
    name="sum",
    array_op=True,
    arity=(1, 3),
    forward=_sum,
    vjp=_sum_vjp,
    role=DISTRIBUTOR,
    reduces=True,
    const_args=(1, 2),
    domain=_check_axis("sum"),
    vjp_text=("g copied to every element",),
    doc="sum of all elements, or along an axis: sum(x, 0); sum(x, 1, keep) keeps the axis",
    plain="sum({args})",
    latex=r"\sum {0}",
    prec=100,
    sample=_sample_reduce_keep,
)
_op(
    name="mean",
    array_op=True,
    arity=(1, 3),
    forward=_mean,
    vjp=_mean_vjp,
    role=SCALER,
    reduces=True,
    const_args=(1, 2),
    domain=_check_axis("mean"),
    vjp_text=("g / n copied to every element",),
    doc="mean of all elements, or along an axis: mean(x, 1); mean(x, 1, keep) keeps the axis",
    plain="mean({args})",
    latex=r"\overline{{{0}}}",
    prec=100,
    sample=_sample_reduce_keep,
)
_op(
    name="norm",
    array_op=True,
    reduces=True,
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
    sample=_sample_reduce,
)
_op(
    name="logsumexp",
    array_op=True,
    reduces=True,
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
    sample=_sample_reduce,
)
_op(
    name="maximum",
    arity=(2, 2),
    forward=lambda xp, x, y: xp.maximum(x, y),
    vjp=lambda xp, g, out, xs, needs: _route(xp, g, out, xs),
    ties=True,
    role=ROUTER,
    vjp_text="g where {i} = out",
    doc="elementwise larger of two arrays (relu: maximum(0, x))",
    plain="maximum({0}, {1})",
    latex=r"\max\left({0}, {1}\right)",
    prec=100,
    kink=_tie,
    sample=_distinct(2),
)
_op(
    name="minimum",
    arity=(2, 2),
    forward=lambda xp, x, y: xp.minimum(x, y),
    vjp=lambda xp, g, out, xs, needs: _route(xp, g, out, xs),
    ties=True,
    role=ROUTER,
    vjp_text="g where {i} = out",
    doc="elementwise smaller of two arrays",
    plain="minimum({0}, {1})",
    latex=r"\min\left({0}, {1}\right)",
    prec=100,
    kink=_tie,
    sample=_distinct(2),
)
