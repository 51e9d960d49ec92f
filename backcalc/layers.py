"""The cs231n layer gates of the op table: affine, leaky_relu, elu, svm_loss, softmax_loss,
batchnorm, layernorm, spatial_batchnorm, dropout, conv, maxpool, and reshape.

Each is ONE entry with a forward and a VJP (upstream -> downstream, never a Jacobian), with
the conventions of cs231n's ``layers.py`` (the assignments' reference), so a student's
``affine_backward`` or ``batchnorm_backward`` can be checked number for number:

- ``affine(x, w, b)``: x (N, d1, ..., dk) flattened to (N, D), then ``x @ w + b``.
- ``svm_loss(scores, y)``, ``softmax_loss(scores, y)``: integer labels (N,), mean over N;
  the labels get no gradient (zeros).
- ``batchnorm`` (train mode, per feature over axis 0), ``layernorm`` (per sample),
  ``spatial_batchnorm`` (N, C, H, W per channel): eps 1e-5, biased variance.
- ``dropout(x, p, seed)``: inverted dropout, p the keep probability, the mask drawn by
  ``np.random.RandomState(seed).rand(*x.shape) < p`` (the legacy generator, as the notebooks).
- ``conv(x, w, b, stride, pad)``: cs231n's ``conv_forward_naive`` (cross-correlation, zero
  padding on each side), vectorized over windows (``sliding_window_view``); ``maxpool(x, ph,
  pw, stride)``, whose gradient at a tie follows the run's tie rule (``--ties``).

The layer rules are numeric: they run on float64 numpy arrays only (``xp.floats``).  Under
``--exact`` or ``--symbolic`` the namespace has no ``floats`` and the run stops with the
op table's one message for a missing rule.  ``leaky_relu``, ``elu`` and ``reshape`` are
written against the namespace like every other op and run in every domain.
"""

from __future__ import annotations

import math
from typing import Any

from .errors import Msg
from .optable import DISTRIBUTOR, FUNCTION, ROUTER, SCALER, SWITCHER, _fmt, _np, _op

EPS = 1e-5  # cs231n's default eps of batchnorm and layernorm


def _f(xp: Any) -> Any:
    """numpy, for the numeric layer rules; an AttributeError on a namespace without float
    arrays (exact numbers, formulas), which the domain turns into 'no rule for ... values'."""
    xp.floats  # noqa: B018  (only float namespaces have it)
    return _np()


def _int(v: Any) -> int:
    return int(round(float(v)))


def _shape_text(s: tuple) -> str:
    return str(tuple(int(n) for n in s))


def _no_grad(xp: Any, *xs: Any) -> tuple:
    """Written numbers (stride, pad, p, seed, dims) get no gradient."""
    return tuple(xp.zero for _ in xs)


def _zeros_like(x: Any) -> Any:
    return _np().zeros(_np().shape(x))


def label_inputs(g: Any) -> set[str]:
    """The inputs of a graph used only as class labels (svm_loss(s, y): y): they get no
    gradient, and the gradient check leaves them alone."""
    used: dict[int, bool] = {}
    for op, args in zip(g.ops, g.args):
        if op is None:
            continue
        for k, j in enumerate(args):
            used[j] = used.get(j, True) and k in op.labels
    return {name for name, i in g.inputs.items() if used.get(i, False)}


# --- leaky_relu and elu: elementwise, in every domain -------------------------------------


def _leaky(xp: Any, x: Any, a: Any = 0.01) -> Any:
    return xp.where(xp.gt(x, xp.zero), x, a * x)


def _leaky_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    # d/dx = 1 where x > 0, else a (so leaky_relu'(0) = a, as relu'(0) = 0);  d/da = x where x <= 0
    x = xs[0]
    a = xs[1] if len(xs) > 1 else 0.01
    pos = xp.gt(x, xp.zero)
    dx = xp.sum_to(g * (pos + (1 - pos) * a), x)
    if len(xs) == 1:
        return (dx,)
    return dx, xp.sum_to(g * (1 - pos) * x, a)


def _elu(xp: Any, x: Any, alpha: Any = 1.0) -> Any:
    return xp.where(xp.gt(x, xp.zero), x, alpha * (xp.exp(xp.minimum(x, xp.zero)) - 1))


def _elu_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    # d/dx = 1 where x > 0, else alpha e^x;  d/dalpha = e^x - 1 where x <= 0
    x = xs[0]
    alpha = xs[1] if len(xs) > 1 else 1.0
    pos = xp.gt(x, xp.zero)
    e = xp.exp(xp.minimum(x, xp.zero))
    dx = xp.sum_to(g * (pos + (1 - pos) * alpha * e), x)
    if len(xs) == 1:
        return (dx,)
    return dx, xp.sum_to(g * (1 - pos) * (e - 1), alpha)


def _kink_x0(out: Any, x: Any, *rest: Any) -> str | None:
    # the slope used at 0 is the left one (a for leaky_relu, alpha for elu), as x > 0 decides
    if type(x) is float:
        return "kink (x = 0: the left slope is used)" if x == 0.0 else None
    k = int(_np().count_nonzero(x == 0))
    return f"kink ({k} element{'s' if k != 1 else ''} at 0: the left slope is used)" if k else None


def _elu_kink(out: Any, x: Any, *rest: Any) -> str | None:
    alpha = rest[0] if rest else 1.0
    if _np().all(_np().asarray(alpha) == 1.0):  # elu with alpha 1 has a continuous slope at 0
        return None
    return _kink_x0(out, x)


def _sample_leaky(rng: Any) -> tuple:
    return (float(rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 3.0)), float(rng.uniform(0.01, 0.3)))


def _sample_elu(rng: Any) -> tuple:
    return (float(rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 3.0)), float(rng.uniform(0.5, 2.0)))


# --- affine -------------------------------------------------------------------------------


def _affine(xp: Any, x: Any, w: Any, b: Any) -> Any:
    _f(xp)
    return x.reshape(x.shape[0], -1) @ w + b


def _affine_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    np = _f(xp)
    x, w, b = xs
    want = (True,) * 3 if needs is None else needs
    g = np.asarray(g)
    dx = (g @ w.T).reshape(x.shape) if want[0] else None
    dw = x.reshape(x.shape[0], -1).T @ g if want[1] else None
    db = g.sum(axis=0) if want[2] else None
    return dx, dw, db


def _affine_shapes(sx: tuple, sw: tuple, sb: tuple) -> str | None:
    if len(sx) < 2:
        return Msg("layers.affine_x", got=_shape_text(sx))
    if len(sw) != 2:
        return Msg("layers.affine_w", got=_shape_text(sw))
    d = math.prod(sx[1:])
    if sw[0] != d:
        return Msg("layers.affine_rows", x=_shape_text(sx), n=sx[0], d=d, w=_shape_text(sw))
    if tuple(sb) != (sw[1],):
        return Msg("layers.affine_b", m=sw[1], w=_shape_text(sw), got=_shape_text(sb))
    return None


def _sample_affine(rng: Any) -> tuple:
    n, m = (int(v) for v in rng.integers(1, 5, size=2))
    rest = tuple(int(v) for v in rng.integers(1, 4, size=int(rng.integers(1, 4))))
    d = math.prod(rest)
    return rng.uniform(-2, 2, (n, *rest)), rng.uniform(-2, 2, (d, m)), rng.uniform(-2, 2, (m,))


# --- the losses: integer labels -------------------------------------------------------------


def _loss_shapes(what: str) -> Any:
    def check(ss: tuple, sy: tuple) -> str | None:
        if len(ss) != 2:
            return Msg("layers.scores", op=what, got=_shape_text(ss))
        if tuple(sy) != (ss[0],):
            return Msg(
                "layers.labels_shape",
                op=what,
                scores=_shape_text(ss),
                n=ss[0],
                got=_shape_text(sy) if sy else Msg("layers.a_scalar"),
            )
        return None

    return check


def _label_check(what: str) -> Any:
    def check(s: Any, y: Any) -> str | None:
        np = _np()
        y = np.asarray(y, dtype=float)
        c = np.shape(s)[-1] if np.ndim(s) else 1
        bad = np.flatnonzero(y != np.floor(y))
        if bad.size:
            i = int(bad[0])
            return Msg("layers.labels_whole", op=what, got=_fmt(y.flat[i]), index=i)
        bad = np.flatnonzero((y < 0) | (y >= c))
        if bad.size:
            i = int(bad[0])
            return Msg("layers.label_range", op=what, got=_fmt(y.flat[i]), index=i, classes=c, last=c - 1)
        return None

    return check


def _labels(y: Any) -> Any:
    np = _np()
    return np.rint(np.asarray(y, dtype=float)).astype(np.intp)


def _svm_margins(np: Any, s: Any, y: Any) -> Any:
    n = s.shape[0]
    rows = np.arange(n)
    m = np.maximum(0.0, s - s[rows, y][:, None] + 1.0)
    m[rows, y] = 0.0
    return m


def _svm(xp: Any, s: Any, y: Any) -> Any:
    np = _f(xp)
    return float(_svm_margins(np, s, _labels(y)).sum() / s.shape[0])


def _svm_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    # the cs231n rule: each positive margin sends +1 to its class and -1 to the correct one
    np = _f(xp)
    s, y = xs
    y = _labels(y)
    n = s.shape[0]
    pos = (_svm_margins(np, s, y) > 0).astype(float)
    pos[np.arange(n), y] = -pos.sum(axis=1)
    return g * pos / n, _zeros_like(xs[1])


def _svm_kink(out: Any, s: Any, y: Any) -> str | None:
    np = _np()
    y = _labels(y)
    rows = np.arange(s.shape[0])
    at = s - s[rows, y][:, None] + 1.0 == 0.0
    at[rows, y] = False
    k = int(np.count_nonzero(at))
    return f"kink ({k} margin{'s' if k != 1 else ''} at 0, counted as inactive: slope 0)" if k else None


def _log_softmax(np: Any, s: Any) -> Any:
    z = s - s.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _softmax_loss(xp: Any, s: Any, y: Any) -> Any:
    np = _f(xp)
    y = _labels(y)
    return float(-_log_softmax(np, s)[np.arange(s.shape[0]), y].sum() / s.shape[0])


def _softmax_loss_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    np = _f(xp)
    s, y = xs
    y = _labels(y)
    n = s.shape[0]
    p = np.exp(_log_softmax(np, s))
    p[np.arange(n), y] -= 1.0
    return g * p / n, _zeros_like(xs[1])


def _sample_scores(rng: Any, margins: bool) -> tuple:
    for _ in range(200):
        n, c = int(rng.integers(1, 5)), int(rng.integers(2, 5))
        s = rng.uniform(-2, 2, (n, c))
        y = rng.integers(0, c, size=n).astype(float)
        if not margins:
            return s, y
        np = _np()
        m = s - s[np.arange(n), y.astype(int)][:, None] + 1.0
        m[np.arange(n), y.astype(int)] = 9.0
        if np.min(np.abs(m)) > 0.05:  # away from the hinge's kink
            return s, y
    raise RuntimeError("no sample away from the kink")  # pragma: no cover


# --- batchnorm, layernorm, spatial batchnorm --------------------------------------------------


def _normalize(np: Any, x: Any, axis: int) -> tuple:
    mu = x.mean(axis=axis, keepdims=True)
    xc = x - mu
    std = np.sqrt((xc * xc).mean(axis=axis, keepdims=True) + EPS)
    return xc / std, std


def _normalize_vjp(dxhat: Any, xhat: Any, std: Any, axis: int) -> Any:
    # the compact batchnorm_backward_alt: (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) / std
    return (
        dxhat - dxhat.mean(axis=axis, keepdims=True) - xhat * (dxhat * xhat).mean(axis=axis, keepdims=True)
    ) / std


def _bn(xp: Any, x: Any, gamma: Any, beta: Any) -> Any:
    np = _f(xp)
    return gamma * _normalize(np, x, 0)[0] + beta


def _bn_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    np = _f(xp)
    x, gamma, _ = xs
    xhat, std = _normalize(np, x, 0)
    return _normalize_vjp(g * gamma, xhat, std, 0), (g * xhat).sum(axis=0), g.sum(axis=0)


def _ln(xp: Any, x: Any, gamma: Any, beta: Any) -> Any:
    np = _f(xp)
    return gamma * _normalize(np, x, 1)[0] + beta


def _ln_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    np = _f(xp)
    x, gamma, _ = xs
    xhat, std = _normalize(np, x, 1)
    return _normalize_vjp(g * gamma, xhat, std, 1), (g * xhat).sum(axis=0), g.sum(axis=0)


def _channels_last(x: Any) -> Any:
    n, c, h, w = x.shape
    return x.transpose(0, 2, 3, 1).reshape(-1, c)


def _channels_first(y: Any, shape: tuple) -> Any:
    n, c, h, w = shape
    return y.reshape(n, h, w, c).transpose(0, 3, 1, 2)


def _sbn(xp: Any, x: Any, gamma: Any, beta: Any) -> Any:
    np = _f(xp)
    return _channels_first(gamma * _normalize(np, _channels_last(x), 0)[0] + beta, x.shape)


def _sbn_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    np = _f(xp)
    x, gamma, _ = xs
    xhat, std = _normalize(np, _channels_last(x), 0)
    g2 = _channels_last(np.asarray(g))
    dx = _channels_first(_normalize_vjp(g2 * gamma, xhat, std, 0), x.shape)
    return dx, (g2 * xhat).sum(axis=0), g2.sum(axis=0)


def _norm_shapes(what: str, ndim: int, over: str) -> Any:
    def check(sx: tuple, sg: tuple, sb: tuple) -> str | None:
        if len(sx) != ndim:
            want = "(N, D)" if ndim == 2 else "(N, C, H, W)"
            return Msg("layers.norm_x", op=what, want=want, got=_shape_text(sx))
        k = sx[1]
        for label, s in (("gamma", sg), ("beta", sb)):
            if tuple(s) != (k,):
                return Msg(
                    "layers.norm_param",
                    op=what,
                    label=label,
                    k=k,
                    over=Msg(over),
                    x=_shape_text(sx),
                    got=_shape_text(s) if s else Msg("layers.scalar_shape"),
                )
        return None

    return check


def _sample_norm(ndim: int) -> Any:
    def sample(rng: Any) -> tuple:
        shape: tuple[int, ...]
        if ndim == 2:
            shape = (int(rng.integers(2, 6)), int(rng.integers(1, 5)))
        else:
            shape = (
                int(rng.integers(1, 3)),
                int(rng.integers(1, 4)),
                int(rng.integers(1, 3)),
                int(rng.integers(2, 4)),
            )
        k = shape[1]
        return rng.normal(1.0, 2.0, shape), rng.uniform(0.5, 2.0, (k,)), rng.uniform(-1, 1, (k,))

    return sample


def _sample_layernorm(rng: Any) -> tuple:
    n, d = int(rng.integers(1, 5)), int(rng.integers(2, 6))
    return rng.normal(1.0, 2.0, (n, d)), rng.uniform(0.5, 2.0, (d,)), rng.uniform(-1, 1, (d,))


def _ln_shapes(sx: tuple, sg: tuple, sb: tuple) -> str | None:
    if len(sx) != 2:
        return Msg("layers.norm_x", op="layernorm", want="(N, D)", got=_shape_text(sx))
    d = sx[1]
    for label, s in (("gamma", sg), ("beta", sb)):
        if tuple(s) != (d,):
            return Msg(
                "layers.norm_param",
                op="layernorm",
                label=label,
                k=d,
                over=Msg("layers.feature"),
                x=_shape_text(sx),
                got=_shape_text(s) if s else Msg("layers.scalar_shape"),
            )
    return None


def _bn_expand(B: Any, x: int, gamma: int, beta: int) -> int:
    """The notebook's graph of batchnorm_backward: mean, centre, square, mean, add eps, sqrt,
    divide, scale, shift (x and the centred x are branch points: their gradients are sums)."""
    mu = B("mean", x, B.const(0.0))
    xc = B("sub", x, mu)
    sq = B("pow", xc, B.const(2.0))
    var = B("mean", sq, B.const(0.0))
    ve = B("add", var, B.const(EPS))
    std = B("sqrt", ve)
    xhat = B("div", xc, std)
    return B("add", B("mul", gamma, xhat), beta)


# --- dropout ----------------------------------------------------------------------------------


def _mask(np: Any, shape: tuple, p: Any, seed: Any) -> Any:
    return (np.random.RandomState(_int(seed)).rand(*shape) < p) / p


def _dropout(xp: Any, x: Any, p: Any, seed: Any) -> Any:
    np = _f(xp)
    return x * _mask(np, np.shape(x), p, seed)


def _dropout_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    np = _f(xp)
    x, p, seed = xs
    return (g * _mask(np, np.shape(x), p, seed), *_no_grad(xp, p, seed))


def _dropout_check(x: Any, p: Any, seed: Any) -> str | None:
    if not 0.0 < p <= 1.0:
        return Msg("layers.dropout_p", got=_fmt(p))
    if seed != math.floor(seed) or not 0 <= seed < 2**32:
        return Msg("layers.dropout_seed", got=_fmt(seed))
    return None


def _sample_dropout(rng: Any) -> tuple:
    shape = tuple(int(v) for v in rng.integers(1, 5, size=int(rng.integers(1, 4))))
    return rng.uniform(-2, 2, shape), float(rng.choice([0.3, 0.5, 0.8, 1.0])), float(rng.integers(0, 1000))


# --- conv and maxpool: windows as strided views ----------------------------------------------


def _windows(np: Any, x: Any, hh: int, ww: int, stride: int) -> Any:
    """(N, C, H, W) -> (N, C, Ho, Wo, hh, ww): every window, a view (no copy)."""
    v = np.lib.stride_tricks.sliding_window_view(x, (hh, ww), axis=(2, 3))
    return v[:, :, ::stride, ::stride]


def _scatter(np: Any, dwin: Any, shape: tuple, stride: int) -> Any:
    """The adjoint of :func:`_windows`: each window's gradient added back where it came from
    (a loop over the kernel's offsets, each one a strided slice over every window at once)."""
    n, c, ho, wo, hh, ww = dwin.shape
    out = np.zeros(shape)
    for i in range(hh):
        for j in range(ww):
            out[:, :, i : i + stride * (ho - 1) + 1 : stride, j : j + stride * (wo - 1) + 1 : stride] += dwin[
                :, :, :, :, i, j
            ]
    return out


def _pad(np: Any, x: Any, pad: int) -> Any:
    return np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else x


def _conv(xp: Any, x: Any, w: Any, b: Any, stride: Any, pad: Any) -> Any:
    np = _f(xp)
    s, p = _int(stride), _int(pad)
    win = _windows(np, _pad(np, x, p), w.shape[2], w.shape[3], s)
    out = np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3]))  # (N, Ho, Wo, F)
    return out.transpose(0, 3, 1, 2) + b[None, :, None, None]


def _conv_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    np = _f(xp)
    x, w, b, stride, pad = xs
    s, p = _int(stride), _int(pad)
    want = (True,) * 5 if needs is None else needs
    xpad = _pad(np, x, p)
    dx = dw = None
    if want[1]:
        win = _windows(np, xpad, w.shape[2], w.shape[3], s)
        dw = np.tensordot(g, win, axes=([0, 2, 3], [0, 2, 3]))  # (F, C, HH, WW)
    if want[0]:
        dwin = np.tensordot(g, w, axes=([1], [0]))  # (N, Ho, Wo, C, HH, WW)
        dxpad = _scatter(np, dwin.transpose(0, 3, 1, 2, 4, 5), xpad.shape, s)
        h, wd = x.shape[2], x.shape[3]
        dx = dxpad[:, :, p : p + h, p : p + wd]
    db = g.sum(axis=(0, 2, 3)) if want[2] else None
    return (dx, dw, db, *_no_grad(xp, stride, pad))


def _conv_shapes(sx: tuple, sw: tuple, sb: tuple, *rest: tuple) -> str | None:
    if len(sx) != 4:
        return Msg("layers.conv_x", got=_shape_text(sx))
    if len(sw) != 4:
        return Msg("layers.conv_w", got=_shape_text(sw))
    if sw[1] != sx[1]:
        return Msg("layers.conv_channels", x=_shape_text(sx), c=sx[1], w=_shape_text(sw), want=sw[1])
    if tuple(sb) != (sw[0],):
        return Msg("layers.conv_b", f=sw[0], w=_shape_text(sw), got=_shape_text(sb))
    if any(r != () for r in rest):
        return Msg("layers.conv_written")
    return None


def _too_big(what: str, n: int) -> str | None:
    """Refuse a gate's working array over the element limit before it is allocated."""
    from .limits import LIMITS

    if n > LIMITS.max_array_elements:
        return Msg("layers.too_big", what=Msg(what), n=n, limit=LIMITS.max_array_elements)
    return None


def _conv_check(x: Any, w: Any, b: Any, stride: Any, pad: Any) -> str | None:
    if stride != math.floor(stride) or stride < 1:
        return Msg("layers.conv_stride", got=_fmt(stride))
    if pad != math.floor(pad) or pad < 0:
        return Msg("layers.conv_pad", got=_fmt(pad))
    s, p = int(stride), int(pad)
    for axis, (n, k) in (
        ("layers.height", (x.shape[2], w.shape[2])),
        ("layers.width", (x.shape[3], w.shape[3])),
    ):
        span = n + 2 * p - k
        if span < 0 or span % s:
            return Msg(
                "layers.conv_tile",
                axis=Msg(axis),
                k=k,
                n=n,
                p=p,
                s=s,
                span=span,
                x=_shape_text(x.shape),
                w=_shape_text(w.shape),
            )
    n, c, h, wd = x.shape
    f, _, hh, ww = w.shape
    ho, wo = 1 + (h + 2 * p - hh) // s, 1 + (wd + 2 * p - ww) // s
    return (
        _too_big("layers.conv_padded", n * c * (h + 2 * p) * (wd + 2 * p))
        or _too_big("layers.conv_output", n * f * ho * wo)
        or _too_big("layers.conv_windows", n * ho * wo * c * hh * ww)
    )


def _sample_conv(rng: Any) -> tuple:
    n, c, f = int(rng.integers(1, 3)), int(rng.integers(1, 3)), int(rng.integers(1, 3))
    hh, ww = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    s, p = int(rng.integers(1, 3)), int(rng.integers(0, 2))
    ho, wo = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    h = max(1, (ho - 1) * s + hh - 2 * p)
    w = max(1, (wo - 1) * s + ww - 2 * p)
    while (h + 2 * p - hh) % s or h + 2 * p < hh:
        h += 1
    while (w + 2 * p - ww) % s or w + 2 * p < ww:
        w += 1
    x = rng.uniform(-1, 1, (n, c, h, w))
    return x, rng.uniform(-1, 1, (f, c, hh, ww)), rng.uniform(-1, 1, (f,)), float(s), float(p)


def _pool(xp: Any, x: Any, ph: Any, pw: Any, stride: Any) -> Any:
    np = _f(xp)
    return _windows(np, x, _int(ph), _int(pw), _int(stride)).max(axis=(4, 5))


def _pool_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    np = _f(xp)
    x, ph, pw, stride = xs
    win = _windows(np, x, _int(ph), _int(pw), _int(stride))
    mask = (win == out[..., None, None]).astype(float)
    if xp.ties == "split":
        mask /= mask.sum(axis=(4, 5), keepdims=True)
    elif xp.ties == "first":
        n, c, ho, wo, hh, ww = mask.shape
        flat = mask.reshape(n, c, ho, wo, hh * ww)
        first = np.zeros_like(flat)
        np.put_along_axis(first, flat.argmax(axis=4)[..., None], 1.0, axis=4)
        mask = first.reshape(mask.shape)
    dwin = np.asarray(g)[..., None, None] * mask
    return (_scatter(np, dwin, x.shape, _int(stride)), *_no_grad(xp, ph, pw, stride))


def _pool_tie(out: Any, x: Any, ph: Any, pw: Any, stride: Any) -> str | None:
    np = _np()
    win = _windows(np, x, _int(ph), _int(pw), _int(stride))
    k = int(np.count_nonzero((win == out[..., None, None]).sum(axis=(4, 5)) > 1))
    return f"tie ({k} window{'s' if k != 1 else ''} with tied maxima)" if k else None


def _pool_shapes(sx: tuple, *rest: tuple) -> str | None:
    if len(sx) != 4:
        return Msg("layers.pool_x", got=_shape_text(sx))
    if any(r != () for r in rest):
        return Msg("layers.pool_written")
    return None


def _pool_check(x: Any, ph: Any, pw: Any, stride: Any) -> str | None:
    for name, v in (("ph", ph), ("pw", pw), ("stride", stride)):
        if v != math.floor(v) or v < 1:
            return Msg("layers.pool_whole", name=name, got=_fmt(v))
    s = int(stride)
    for axis, n, k in (("layers.height", x.shape[2], int(ph)), ("layers.width", x.shape[3], int(pw))):
        if n < k or (n - k) % s:
            return Msg("layers.pool_tile", axis=Msg(axis), k=k, s=s, n=n, x=_shape_text(x.shape))
    ho, wo = 1 + (x.shape[2] - int(ph)) // s, 1 + (x.shape[3] - int(pw)) // s
    return _too_big("layers.pool_windows", x.shape[0] * x.shape[1] * ho * wo * int(ph) * int(pw))


def _sample_pool(rng: Any) -> tuple:
    ph, pw, s = int(rng.integers(1, 3)), int(rng.integers(1, 3)), int(rng.integers(1, 3))
    ho, wo = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    n, c = int(rng.integers(1, 3)), int(rng.integers(1, 3))
    h, w = (ho - 1) * s + ph, (wo - 1) * s + pw
    # distinct values, well apart: no ties and no argmax change within a finite-difference step
    x = rng.permutation(n * c * h * w).reshape(n, c, h, w) * 0.1 + rng.uniform(0, 0.01, (n, c, h, w))
    return x, float(ph), float(pw), float(s)


# --- reshape: in every domain -----------------------------------------------------------------


def _dims(x: Any, dims: tuple) -> tuple:
    return tuple(_int(d) for d in dims)


def _reshape(xp: Any, x: Any, *dims: Any) -> Any:
    return _np().reshape(x, _dims(x, dims))  # a scalar too: reshape(x, 1) is an array


def _reshape_vjp(xp: Any, g: Any, out: Any, xs: tuple, needs: Any) -> tuple:
    x, *dims = xs
    g = _np().reshape(g, _np().shape(x))
    return (g if g.ndim else xp.scalar(g), *_no_grad(xp, *dims))


def _reshape_check(x: Any, *dims: Any) -> str | None:
    np = _np()
    shape = np.shape(x)
    size = math.prod(shape)
    for d in dims:
        if d != math.floor(d) or (d < 1 and d != -1):
            return Msg("layers.reshape_sizes", got=_fmt(d))
    ds = [int(d) for d in dims]
    if ds.count(-1) > 1:
        return Msg("layers.reshape_one")
    known = math.prod(d for d in ds if d != -1)
    if (-1 in ds and size % known) or (-1 not in ds and known != size):
        return Msg("layers.reshape", shape=_shape_text(shape), size=size, to=tuple(ds))
    return None


def _sample_reshape(rng: Any) -> tuple:
    shape = tuple(int(v) for v in rng.integers(1, 4, size=int(rng.integers(1, 4))))
    x = rng.uniform(-2, 2, shape)
    size = x.size
    if rng.random() < 0.5:
        return x, float(size)
    return x, 1.0, float(size)


# --- the entries --------------------------------------------------------------------------------

_LAYER = dict(array_op=True, numeric_only=True, prec=100)

_op(
    name="leaky_relu",
    arity=(1, 2),
    forward=_leaky,
    vjp=_leaky_vjp,
    role=FUNCTION,
    vjp_text=("g * (1 if {0} > 0 else a)", "g * min({0}, 0)"),
    doc="max(a x, x) for a small slope a (default 0.01); leaky_relu'(0) = a",
    plain="leaky_relu({args})",
    latex=r"\operatorname{{leaky\_relu}}\left({args}\right)",
    prec=100,
    kink=_kink_x0,
    sample=_sample_leaky,
)
_op(
    name="elu",
    arity=(1, 2),
    forward=_elu,
    vjp=_elu_vjp,
    role=FUNCTION,
    vjp_text=("g * (1 if {0} > 0 else alpha e^{0})", "g * (e^{0} - 1 if {0} <= 0 else 0)"),
    doc="x for x > 0, alpha (e^x - 1) otherwise (alpha defaults to 1)",
    plain="elu({args})",
    latex=r"\operatorname{{elu}}\left({args}\right)",
    prec=100,
    kink=_elu_kink,
    sample=_sample_elu,
)
_op(
    name="affine",
    arity=(3, 3),
    forward=_affine,
    vjp=_affine_vjp,
    role=SWITCHER,
    vjp_text=("(g @ {1}ᵀ) reshaped as {0}", "{0} flattened ᵀ @ g", "sum of g over rows"),
    shapes=_affine_shapes,
    doc="x (N, d1, ...) flattened to (N, D), then x @ w + b (cs231n affine_forward)",
    plain="affine({0}, {1}, {2})",
    latex=r"\operatorname{{affine}}\left({0}, {1}, {2}\right)",
    sample=_sample_affine,
    **_LAYER,
)
_op(
    name="svm_loss",
    arity=(2, 2),
    forward=_svm,
    vjp=_svm_vjp,
    role=FUNCTION,
    vjp_text=("g / N * (+1 for each positive margin, minus their count at the label)", "none (labels)"),
    shapes=_loss_shapes("svm_loss"),
    domain=_label_check("svm_loss"),
    labels=(1,),
    kink=_svm_kink,
    doc="multiclass hinge loss, margin 1, mean over N; y holds integer labels (cs231n svm_loss)",
    plain="svm_loss({0}, {1})",
    latex=r"\operatorname{{svm\_loss}}\left({0}, {1}\right)",
    sample=lambda rng: _sample_scores(rng, True),
    **_LAYER,
)
_op(
    name="softmax_loss",
    arity=(2, 2),
    forward=_softmax_loss,
    vjp=_softmax_loss_vjp,
    role=FUNCTION,
    vjp_text=("g / N * (softmax({0}) - onehot({1}))", "none (labels)"),
    shapes=_loss_shapes("softmax_loss"),
    domain=_label_check("softmax_loss"),
    labels=(1,),
    doc="mean cross-entropy of softmax(scores) at integer labels y, max-shifted (cs231n softmax_loss)",
    plain="softmax_loss({0}, {1})",
    latex=r"\operatorname{{softmax\_loss}}\left({0}, {1}\right)",
    sample=lambda rng: _sample_scores(rng, False),
    **_LAYER,
)
_op(
    name="batchnorm",
    arity=(3, 3),
    forward=_bn,
    vjp=_bn_vjp,
    role=FUNCTION,
    vjp_text=(
        "(ĝ - mean(ĝ) - x̂ mean(ĝ x̂)) / std, ĝ = g * {1}",
        "sum of g * x̂ over rows",
        "sum of g over rows",
    ),
    shapes=_norm_shapes("batchnorm", 2, "layers.feature"),
    expand=_bn_expand,
    doc="batch normalization, training mode: per feature over the batch (axis 0), eps 1e-5",
    plain="batchnorm({0}, {1}, {2})",
    latex=r"\operatorname{{BN}}\left({0}, {1}, {2}\right)",
    sample=_sample_norm(2),
    **_LAYER,
)
_op(
    name="layernorm",
    arity=(3, 3),
    forward=_ln,
    vjp=_ln_vjp,
    role=FUNCTION,
    vjp_text=(
        "(ĝ - mean(ĝ) - x̂ mean(ĝ x̂)) / std per row, ĝ = g * {1}",
        "sum of g * x̂ over rows",
        "sum of g over rows",
    ),
    shapes=_ln_shapes,
    doc="layer normalization: each sample (row) over its features, eps 1e-5",
    plain="layernorm({0}, {1}, {2})",
    latex=r"\operatorname{{LN}}\left({0}, {1}, {2}\right)",
    sample=_sample_layernorm,
    **_LAYER,
)
_op(
    name="spatial_batchnorm",
    arity=(3, 3),
    forward=_sbn,
    vjp=_sbn_vjp,
    role=FUNCTION,
    vjp_text=(
        "batchnorm's rule per channel over N, H, W",
        "sum of g * x̂ over N, H, W",
        "sum of g over N, H, W",
    ),
    shapes=_norm_shapes("spatial_batchnorm", 4, "layers.channel"),
    doc="batch normalization of x (N, C, H, W) per channel, over N, H and W; eps 1e-5",
    plain="spatial_batchnorm({0}, {1}, {2})",
    latex=r"\operatorname{{SBN}}\left({0}, {1}, {2}\right)",
    sample=_sample_norm(4),
    **_LAYER,
)
_op(
    name="dropout",
    arity=(3, 3),
    forward=_dropout,
    vjp=_dropout_vjp,
    role=SCALER,
    vjp_text=("g * mask", "none (a number)", "none (a number)"),
    const_args=(1, 2),
    domain=_dropout_check,
    doc="inverted dropout, p = keep probability: x * (RandomState(seed).rand(*x.shape) < p) / p",
    plain="dropout({0}, {1}, {2})",
    latex=r"\operatorname{{dropout}}\left({0}, {1}, {2}\right)",
    sample=_sample_dropout,
    **_LAYER,
)
_op(
    name="conv",
    arity=(5, 5),
    forward=_conv,
    vjp=_conv_vjp,
    role=SWITCHER,
    vjp_text=(
        "each window's g * w, added back where the window was",
        "sum over windows of g * window",
        "sum of g over N, H, W",
        "none (a number)",
        "none (a number)",
    ),
    shapes=_conv_shapes,
    const_args=(3, 4),
    domain=_conv_check,
    doc="convolution as cs231n conv_forward_naive: x (N,C,H,W), w (F,C,HH,WW), b (F,), stride, zero pad",
    plain="conv({args})",
    latex=r"\operatorname{{conv}}\left({args}\right)",
    sample=_sample_conv,
    **_LAYER,
)
_op(
    name="maxpool",
    arity=(4, 4),
    forward=_pool,
    vjp=_pool_vjp,
    role=ROUTER,
    ties=True,
    vjp_text=("g routed to each window's maximum (ties follow --ties)", "none", "none", "none"),
    shapes=_pool_shapes,
    const_args=(1, 2, 3),
    domain=_pool_check,
    kink=_pool_tie,
    doc="max pooling of x (N, C, H, W) over ph x pw windows with a stride",
    plain="maxpool({args})",
    latex=r"\operatorname{{maxpool}}\left({args}\right)",
    sample=_sample_pool,
    **_LAYER,
)
_op(
    name="reshape",
    arity=(2, None),
    forward=_reshape,
    vjp=_reshape_vjp,
    role=DISTRIBUTOR,
    vjp_text=("g reshaped back to {0}'s shape",) + ("none (a size)",) * 32,
    const_args=tuple(range(1, 33)),
    domain=_reshape_check,
    moves=True,
    array_op=True,
    doc="the same elements in a new shape: reshape(x, 2, 60); one size may be -1",
    plain="reshape({args})",
    latex=r"\operatorname{{reshape}}\left({args}\right)",
    prec=100,
    sample=_sample_reshape,
)
