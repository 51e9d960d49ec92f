"""The namespaces the op rules are written against: floats, numpy arrays, exact numbers, formulas.

Each op's rules (``backcalc/ops.py``) are written once against a namespace ``xp`` of
functions (``exp``, ``where``, ``gt``, ``sum`` ...), as HIPS autograd writes its VJPs
against ``anp`` and as the array API lets a library ask ``xp = array_namespace(x)``.
A rule never branches on the type of its values; the namespace does what that kind of
number needs:

* :class:`FloatNS`: Python floats through ``math`` (the scalar fast path: no numpy).
* :class:`NumpyNS`: float64 numpy arrays.
* :class:`ExactNS`: SymPy numbers (Rational, sqrt(2), pi) and numpy object arrays of them;
  comparisons are decided exactly, so a tie is a tie.
* :class:`SymbolicNS`: SymPy formulas in the inputs' symbols (scalars or object arrays).
  A comparison cannot be decided for every input, so it is decided at the given point,
  as the float run decided it: formulas are valid where the max, the relu or the sign
  falls the same way as at that point (the report says so).

A namespace also carries the run's settings (the tie rule), so no rule takes extra
arguments.  Which namespace each node gets, and the limits of a run: ``domains.py``.
"""

from __future__ import annotations

import math
from typing import Any

TIES = ("split", "all", "first")


class Fallback(Exception):
    """An exact number would be too large to compute (9**9**9): use the float run's value."""


class TimeUp(Exception):
    """The run's time limit has passed."""


class TooLarge(Exception):
    """An array is too large for element-by-element formulas or exact numbers."""


def _np() -> Any:
    import numpy

    return numpy


def _sp() -> Any:
    import sympy

    return sympy


# --- Python floats ----------------------------------------------------------------------------


class FloatNS:
    """Python floats, through ``math``: the fast path for scalar graphs."""

    kind = "float"
    zero = 0.0
    one = 1.0
    exact = False
    floats = True  # the numeric layer rules (layers.py) run here

    def __init__(self, ties: str = "split") -> None:
        self.ties = ties
        self.exp = math.exp
        self.log = math.log
        self.log1p = math.log1p
        self.sqrt = math.sqrt
        self.sin = math.sin
        self.cos = math.cos
        self.tan = math.tan
        self.tanh = math.tanh
        self.abs = abs

    @staticmethod
    def sign(x: float) -> float:
        return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)

    @staticmethod
    def gt(x: float, y: float) -> float:
        return 1.0 if x > y else 0.0

    @staticmethod
    def eq(x: float, y: float) -> float:
        return 1.0 if x == y else 0.0

    @staticmethod
    def where(c: Any, a: Any, b: Any) -> Any:
        return a if c else b

    @staticmethod
    def maximum(x: float, y: float) -> float:
        return y if y > x else x  # as Python's max(x, y); relu(x) = maximum(x, 0) is 0 at 0 and nan

    @staticmethod
    def minimum(x: float, y: float) -> float:
        return y if y < x else x

    @staticmethod
    def pow(x: float, y: float) -> float:
        return x**y

    @staticmethod
    def log_pos(x: float) -> float:
        """log(x) where x > 0, else 0 (the limit of x^y log x at x = 0)."""
        return math.log(x) if x > 0.0 else 0.0

    @staticmethod
    def sigmoid(x: float) -> float:
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)

    @staticmethod
    def softplus(x: float) -> float:
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))

    @staticmethod
    def shape(x: Any) -> tuple:
        return ()

    @staticmethod
    def unbroadcast(g: Any, shape: tuple) -> Any:
        return g

    @staticmethod
    def sum_to(g: Any, x: Any) -> Any:
        """g summed down to x's shape (a scalar's: g itself)."""
        return g

    # a scalar is its own sum, mean, transpose; a reduction's upstream needs no spreading
    @staticmethod
    def sum(x: float, axis: Any = None, keepdims: bool = False) -> float:
        return x

    @staticmethod
    def expand(g: Any, shape: tuple, axis: Any) -> Any:
        return g

    spread = expand

    @staticmethod
    def squeeze(x: float, axis: Any) -> float:
        return x

    @staticmethod
    def transpose(x: float) -> float:
        return x

    @staticmethod
    def dot(x: float, y: float) -> float:
        return x * y

    @staticmethod
    def shift(z: float, axis: Any, keepdims: bool = True) -> float:
        return z if z - z == 0.0 else 0.0

    @staticmethod
    def divide_where(a: float, b: float) -> float:
        return a / b if b != 0.0 else 0.0


# --- numpy arrays (and the array machinery every array domain shares) -------------------------


class ArrayNS:
    """What numpy float arrays and numpy object arrays (of SymPy values) have in common:
    broadcasting, reductions, matmul.  Subclasses give the elementwise functions."""

    exact = False
    dtype: Any = float

    def __init__(self, ties: str = "split") -> None:
        self.ties = ties
        self.np = _np()

    def shape(self, x: Any) -> tuple:
        return tuple(x.shape) if isinstance(x, self.np.ndarray) else ()

    def is_array(self, x: Any) -> bool:
        return isinstance(x, self.np.ndarray) and x.ndim > 0

    def unbroadcast(self, g: Any, shape: tuple) -> Any:
        """Sum a broadcast gradient back down to an input's shape."""
        np = self.np
        if self.shape(g) == tuple(shape):
            return g
        g = np.asarray(g)
        while g.ndim > len(shape):
            g = np.asarray(g.sum(axis=0))
        for axis, n in enumerate(shape):
            if n == 1 and g.shape[axis] != 1:
                g = g.sum(axis=axis, keepdims=True)
        if shape == ():
            return self.scalar(g)
        return g

    def scalar(self, g: Any) -> Any:
        return float(g)

    def sum_to(self, g: Any, x: Any) -> Any:
        """g summed down to x's shape: the gradient of a broadcast input."""
        return self.unbroadcast(g, self.shape(x))

    def sum(self, x: Any, axis: int | None = None, keepdims: bool = False) -> Any:
        if not self.is_array(x):
            return x
        return self._settle(x.sum(axis=axis, keepdims=keepdims))

    def _settle(self, v: Any) -> Any:
        """A 0-d result back to a scalar of the domain."""
        if isinstance(v, self.np.ndarray) and v.ndim == 0:
            return self.scalar(v)
        return v

    def expand(self, g: Any, shape: tuple, axis: Any) -> Any:
        """An upstream of a reduction with the reduced axis put back (size 1) so it broadcasts."""
        if axis is None:
            return g
        return self.np.expand_dims(self.np.asarray(g), int(axis) % len(shape))

    def squeeze(self, r: Any, axis: Any) -> Any:
        np = self.np
        if not self.is_array(r):
            return r
        return self._settle(r.reshape(()) if axis is None else np.squeeze(r, axis=axis))

    def spread(self, g: Any, shape: tuple, axis: Any) -> Any:
        """The upstream of a reduction copied back out over the reduced axis: the input's shape."""
        np = self.np
        if shape == ():
            return g
        if axis is None or np.ndim(g) == 0:  # one value everywhere
            return np.full(shape, g, dtype=self.dtype)
        out = np.empty(shape, dtype=self.dtype)
        out[...] = self.expand(np.asarray(g, dtype=self.dtype), shape, axis)
        return out

    def matmul(self, a: Any, b: Any) -> Any:
        return self._settle(self.np.matmul(a, b))

    def dot(self, a: Any, b: Any) -> Any:
        if not (self.is_array(a) and self.is_array(b)):
            return a * b
        return self._settle(self.np.dot(a, b))

    def transpose(self, x: Any) -> Any:
        return self.np.transpose(x) if self.is_array(x) else x

    def swapaxes(self, x: Any) -> Any:
        return self.np.swapaxes(x, -1, -2)

    def asarray(self, x: Any) -> Any:
        return self.np.asarray(x, dtype=self.dtype)


class NumpyNS(ArrayNS):
    """float64 numpy arrays."""

    kind = "numpy"
    zero = 0.0
    one = 1.0
    dtype = float
    floats = True  # the numeric layer rules (layers.py) run here

    def __init__(self, ties: str = "split") -> None:
        super().__init__(ties)
        np = self.np
        self.exp, self.log, self.log1p, self.sqrt = np.exp, np.log, np.log1p, np.sqrt
        self.sin, self.cos, self.tan, self.tanh, self.abs = np.sin, np.cos, np.tan, np.tanh, np.abs

    def sign(self, x: Any) -> Any:
        return self.np.sign(x).astype(float)

    def gt(self, x: Any, y: Any) -> Any:
        return self.np.greater(x, y).astype(float)

    def eq(self, x: Any, y: Any) -> Any:
        return self.np.equal(x, y).astype(float)

    def where(self, c: Any, a: Any, b: Any) -> Any:
        out = self.np.where(self.np.asarray(c) != 0, a, b)
        return self._settle(out)

    def maximum(self, x: Any, y: Any) -> Any:
        return self._settle(self.np.maximum(x, y))

    def minimum(self, x: Any, y: Any) -> Any:
        return self._settle(self.np.minimum(x, y))

    def pow(self, x: Any, y: Any) -> Any:
        return self._settle(self.np.power(x, y))

    def log_pos(self, x: Any) -> Any:
        np = self.np
        x = np.asarray(x)
        return self._settle(np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), 0.0))

    def sigmoid(self, x: Any) -> Any:
        np = self.np
        e = np.exp(-np.abs(x))
        return self._settle(np.where(np.asarray(x) >= 0, 1.0 / (1.0 + e), e / (1.0 + e)))

    def softplus(self, x: Any) -> Any:
        np = self.np
        return self._settle(np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x))))

    def shift(self, z: Any, axis: Any, keepdims: bool = True) -> Any:
        """What softmax and logsumexp subtract before exp, for stability: the max (finite)."""
        np = self.np
        m = z.max(axis=axis, keepdims=keepdims)
        return np.where(np.isfinite(m), m, 0.0)

    def divide_where(self, a: Any, b: Any) -> Any:
        """a / b, and 0 where b is 0 (a subgradient at a kink)."""
        np = self.np
        b = np.asarray(b, dtype=float)
        return np.divide(a, b, out=np.zeros(np.broadcast_shapes(np.shape(a), b.shape)), where=b != 0)


# --- SymPy numbers and formulas -----------------------------------------------------------------


class ExactNS(ArrayNS):
    """SymPy numbers (1/3 stays 1/3, sqrt(2) stays sqrt(2)); arrays are numpy object arrays of
    them.  Comparisons are decided exactly; a power that would make a huge number raises
    :class:`Fallback` before SymPy computes it."""

    kind = "exact"
    exact = True
    dtype = object

    def __init__(self, ties: str = "split", max_bits: int = 100_000) -> None:
        super().__init__(ties)
        sp = self.sp = _sp()
        self.zero, self.one = sp.Integer(0), sp.Integer(1)
        self.max_bits = max_bits
        self.exp = self._map(sp.exp)
        self.log = self._map(sp.log)
        self.log1p = self._map(lambda v: sp.log(1 + v))
        self.sqrt = self._map(sp.sqrt)
        self.sin = self._map(sp.sin)
        self.cos = self._map(sp.cos)
        self.tan = self._map(sp.tan)
        self.tanh = self._map(sp.tanh)
        self.abs = self._map(sp.Abs)

    def _map(self, f: Any) -> Any:
        np = self.np
        vf = np.frompyfunc(f, 1, 1)

        def mapped(x: Any) -> Any:
            return vf(x) if isinstance(x, np.ndarray) else f(x)

        return mapped

    def _map2(self, f: Any, x: Any, y: Any) -> Any:
        np = self.np
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            return np.frompyfunc(f, 2, 1)(x, y)
        return f(x, y)

    def scalar(self, g: Any) -> Any:
        return g[()] if isinstance(g, self.np.ndarray) else g

    # comparisons, decided exactly (SymbolicNS decides them at the given point)
    def decide(self, v: Any) -> Any:
        """The number a comparison is decided on (itself, for exact numbers)."""
        return v

    def _sign_of(self, d: Any) -> int:
        d = self.decide(d)
        if d.is_zero:
            return 0
        if d.is_positive:
            return 1
        if d.is_negative:
            return -1
        v = float(self.sp.N(d, 30))  # e.g. a difference SymPy cannot prove zero or not
        return 0 if v == 0 else (1 if v > 0 else -1)

    def sign(self, x: Any) -> Any:
        return self._map(lambda v: self.sp.Integer(self._sign_of(v)))(x)

    def gt(self, x: Any, y: Any) -> Any:
        return self._map2(lambda a, b: self.one if self._sign_of(a - b) > 0 else self.zero, x, y)

    def eq(self, x: Any, y: Any) -> Any:
        return self._map2(lambda a, b: self.one if self._sign_of(a - b) == 0 else self.zero, x, y)

    def maximum(self, x: Any, y: Any) -> Any:
        return self.where(self.gt(y, x), y, x)

    def minimum(self, x: Any, y: Any) -> Any:
        return self.where(self.gt(x, y), y, x)

    def where(self, c: Any, a: Any, b: Any) -> Any:
        np = self.np
        if not any(isinstance(v, np.ndarray) for v in (c, a, b)):
            return a if c else b
        mask = np.asarray(c, dtype=object).astype(bool)
        return self._settle(np.where(mask, np.asarray(a, dtype=object), np.asarray(b, dtype=object)))

    def pow(self, x: Any, y: Any) -> Any:
        return self._map2(self._pow1, x, y)

    def _pow1(self, x: Any, y: Any) -> Any:
        sp = self.sp
        if isinstance(y, sp.Rational) and abs(y) > 64 and x.is_number and x not in (0, 1, -1):
            bits = abs(float(y)) * _bits(sp, x)
            if bits > self.max_bits:
                raise Fallback(f"about {bits * math.log10(2):,.0f} digits")
        return x**y

    def log_pos(self, x: Any) -> Any:
        return self._map(lambda v: self.sp.log(v) if self._sign_of(v) > 0 else self.zero)(x)

    def sigmoid(self, x: Any) -> Any:
        return self._map(lambda v: 1 / (1 + self.sp.exp(-v)))(x)

    def softplus(self, x: Any) -> Any:
        return self._map(lambda v: self.sp.log(1 + self.sp.exp(v)))(x)

    def shift(self, z: Any, axis: Any, keepdims: bool = True) -> Any:
        return self.zero  # exact and symbolic softmax need no shift for stability

    def divide_where(self, a: Any, b: Any) -> Any:
        return self._map2(lambda p, q: self.zero if self._sign_of(q) == 0 else p / q, a, b)


class SymbolicNS(ExactNS):
    """SymPy formulas in the inputs' symbols.  Comparisons are decided at the given point
    (``point`` maps each input symbol to its exact value), as the float run decided them."""

    kind = "symbolic"
    exact = False

    def __init__(self, point: dict[Any, Any], ties: str = "split") -> None:
        super().__init__(ties, max_bits=10**12)
        self.point = point

    def decide(self, v: Any) -> Any:
        return v.xreplace(self.point) if getattr(v, "free_symbols", None) else v

    def pow(self, x: Any, y: Any) -> Any:
        return self._map2(lambda a, b: a**b, x, y)


def _bits(sp: Any, v: Any) -> float:
    """A size estimate of an exact number: bits of its largest rational part (at least 1)."""

    def log2(n: int) -> float:
        n = abs(int(n))
        return math.log2(n) if n > 1 else 0.0

    if isinstance(v, sp.Rational):
        return max(log2(v.p), log2(v.q), 1.0)
    best = 1.0
    for r in v.atoms(sp.Rational):
        best = max(best, log2(r.p), log2(r.q))
    return best
