"""The value domains the one interpreter runs over: floats, numpy arrays, exact numbers, formulas.

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
arguments.  A :class:`Domain` picks the namespace for each node and holds the hooks the
interpreter calls on the non-float paths (limits, fallbacks, naming).
"""

from __future__ import annotations

import math
import time
from typing import Any

from .errors import BackcalcError

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
        return np.broadcast_to(self.expand(np.asarray(g, dtype=self.dtype), shape, axis), shape).copy()

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


# --- the run: which namespace per node, and the hooks of the non-float paths -------------------


class Budget:
    """A run's time limit, checked by the interpreter at every node of a non-float run."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.deadline = None if not seconds or seconds <= 0 else time.monotonic() + seconds
        self.cancelled = False

    def check(self) -> None:
        if self.cancelled or (self.deadline is not None and time.monotonic() > self.deadline):
            raise TimeUp()


class Domain:
    """The float domain: Python floats for scalar nodes, numpy for array nodes."""

    name = "float"
    exact_or_symbolic = False

    def __init__(self, ties: str = "split") -> None:
        if ties not in TIES:
            raise BackcalcError(f"unknown tie rule '{ties}'; choose one of: {', '.join(TIES)}")
        self.ties = ties
        self.scalar = FloatNS(ties)
        self._array: NumpyNS | None = None

    @property
    def array(self) -> NumpyNS:
        if self._array is None:
            self._array = NumpyNS(self.ties)
        return self._array

    def ns(self, xs: tuple) -> Any:
        return self.scalar if all(type(x) is float for x in xs) else self.array


class SympyDomain(Domain):
    """Exact numbers or formulas: one SymPy namespace for every node, a time budget, the
    float run beside it (fallback values, and the rule where SymPy has no finite answer),
    an element limit for arrays, and the warnings of the run.  The interpreter calls
    :meth:`forward_node` and :meth:`backward_node`; subclasses refine :meth:`settle`."""

    exact_or_symbolic = True
    label = "exact"

    def __init__(
        self,
        ns: ExactNS,
        budget: Budget,
        numeric: Any = None,
        numeric_bwd: Any = None,
        max_elements: int = 400,
    ) -> None:
        self.ties = ns.ties
        self.namespace: Any = ns
        self.sp = ns.sp
        self.budget = budget
        self.numeric = numeric  # the float run's Forward
        self.numeric_bwd = numeric_bwd  # the float run's Backward
        self.max_elements = max_elements
        self.warnings: list[str] = []
        self.fallen: list[str] = []

    def ns(self, xs: tuple) -> Any:
        return self.namespace

    def constant(self, g: Any, i: int) -> Any:
        from .exact import const_exact

        return const_exact(g, i)

    def one_like(self, v: Any) -> Any:
        return self._fill(v, self.sp.Integer(1))

    def zero_like(self, v: Any) -> Any:
        return self._fill(v, self.sp.Integer(0))

    def _fill(self, v: Any, c: Any) -> Any:
        np = _np()
        if isinstance(v, np.ndarray):
            out = np.empty(v.shape, dtype=object)
            out.fill(c)
            return out
        return c

    # forward
    def forward_node(self, g: Any, i: int, op: Any, xs: tuple) -> Any:
        self.budget.check()
        try:
            out = op.forward(self.namespace, *xs)
        except Fallback as e:
            return self.fallback(g, i, str(e))
        except AttributeError as e:
            if e.obj is not self.namespace:
                raise
            raise self._no_rule(g, i, op) from None
        except (ZeroDivisionError, ValueError, TypeError, ArithmeticError):
            return self.fallback(g, i, None)
        return self.settle(g, i, out)

    def _no_rule(self, g: Any, i: int, op: Any) -> BackcalcError:
        return BackcalcError(
            f"op '{op.name}' has no rule for {self.label} values yet (used at {g.names[i]} = {g.text(i)})",
            hint="the numeric gradients still work without exact or symbolic arithmetic",
        )

    def settle(self, g: Any, i: int, out: Any) -> Any:
        np = _np()
        if isinstance(out, np.ndarray) and out.size > self.max_elements:
            raise TooLarge(
                f"{g.names[i]} has {out.size:,} elements, more than the limit of {self.max_elements:,}"
            )
        return out

    def fallback(self, g: Any, i: int, why: str | None) -> Any:
        v = self.numeric.values[i]
        if why is not None:
            self.fallen.append(g.names[i])
            self.warnings.append(
                f"{g.names[i]} = {g.text(i)} would be an exact number of {why}; "
                f"using the float value {_short_float(v)} from there on"
            )
        return floats_to_sympy(self.sp, v)

    # backward
    def upstream(self, g: Any, i: int, gi: Any) -> Any:
        return gi

    def backward_node(self, g: Any, i: int, op: Any, gi: Any, out: Any, xs: tuple) -> tuple:
        self.budget.check()
        np = _np()
        xp = self.namespace
        arrays = (
            isinstance(gi, np.ndarray)
            or isinstance(out, np.ndarray)
            or any(isinstance(x, np.ndarray) for x in xs)
        )
        try:
            if arrays:
                loc = None
                d = tuple(op.vjp(xp, gi, out, xs, None))
            else:
                loc = tuple(op.vjp(xp, xp.one, out, xs, None))
                d = tuple(gi * lv for lv in loc)
        except AttributeError as e:
            if e.obj is not self.namespace:
                raise
            raise self._no_rule(g, i, op) from None
        except Fallback as e:
            self.warnings.append(
                f"the local gradient of {g.names[i]} would be an exact number of {e}; using the float value"
            )
            return None, self._float_down(i, range(len(xs)))
        bad = [k for k, dk in enumerate(d) if not _finite_sympy(self.sp, dk)]
        if bad and self.numeric_bwd is not None and self.numeric_bwd.downstream[i] is not None:
            fixed = self._float_down(i, bad)
            d = tuple(fixed[k] if k in bad else dk for k, dk in enumerate(d))
            if loc is not None:
                row = self.numeric_bwd.local[i]
                loc = tuple(
                    (rational_rule(self.sp, row[k]) if row is not None else self.sp.nan) if k in bad else lk
                    for k, lk in enumerate(loc)
                )
                d = tuple(gi * lk if k in bad else dk for k, (dk, lk) in enumerate(zip(d, loc)))
        return loc, d

    def _float_down(self, i: int, which: Any) -> tuple:
        row = self.numeric_bwd.downstream[i] if self.numeric_bwd is not None else None
        if row is None:
            return tuple(self.sp.nan for _ in which)
        return tuple(
            floats_to_sympy(self.sp, v) if k in which and v is not None else None for k, v in enumerate(row)
        )


def rational_rule(sp: Any, v: float) -> Any:
    """A kink's float local gradient (inf at sqrt(0) ...) as a SymPy number."""
    if not math.isfinite(v):
        return sp.Float(v)
    from fractions import Fraction

    f = Fraction(v)
    return sp.Rational(f.numerator, f.denominator)


def _finite_sympy(sp: Any, v: Any) -> bool:
    np = _np()
    if isinstance(v, np.ndarray):
        return all(_finite_sympy(sp, e) for e in v.flat)
    return not v.has(sp.nan, sp.zoo, sp.oo, -sp.oo)


def _short_float(v: Any) -> str:
    np = _np()
    if isinstance(v, np.ndarray):
        return "array"
    return repr(float(v))


class ExactDomain(SympyDomain):
    """Exact arithmetic: numbers that would explode fall back to the float run's value."""

    label = "exact"

    def settle(self, g: Any, i: int, out: Any) -> Any:
        out = super().settle(g, i, out)
        sp = self.sp
        np = _np()
        items = out.flat if isinstance(out, np.ndarray) else (out,)
        for v in items:
            if isinstance(v, sp.Rational) and _bits(sp, v) > self.namespace.max_bits:
                return self.fallback(g, i, f"about {_bits(sp, v) * math.log10(2):,.0f} digits")
            if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
                return floats_to_sympy(sp, self.numeric.values[i])
        return out


class SymbolicDomain(SympyDomain):
    """Formulas.  With ``names`` every gate's value is its own symbol (n5), its definition
    kept in ``definitions``; with ``program`` every upstream that is more than a name gets
    one too (g_n4), kept in ``upstreams``: the derivative as a program, linear in the graph."""

    label = "symbolic"

    def __init__(
        self,
        ns: SymbolicNS,
        budget: Budget,
        numeric: Any = None,
        numeric_bwd: Any = None,
        *,
        names: bool = False,
        program: bool = False,
        max_elements: int = 64,
    ) -> None:
        super().__init__(ns, budget, numeric, numeric_bwd, max_elements)
        self.names = names
        self.program = program
        self.definitions: list[tuple[Any, Any]] = []
        self.upstreams: list[tuple[Any, Any]] = []
        self.taken: set[str] = set()

    def settle(self, g: Any, i: int, out: Any) -> Any:
        out = super().settle(g, i, out)
        if not self.names:
            return out
        sym = self.sp.Symbol(g.names[i], real=True)
        self.definitions.append((sym, out))
        self.namespace.point[sym] = _point_value(self.sp, out, self.namespace.point)
        return sym

    def fallback(self, g: Any, i: int, why: str | None) -> Any:
        if why is None:
            raise BackcalcError(f"SymPy cannot build the formula of {g.names[i]} = {g.text(i)}")
        return super().fallback(g, i, why)

    def upstream(self, g: Any, i: int, gi: Any) -> Any:
        if not self.program or i == g.output:
            return gi
        sp = self.sp
        if gi.is_Atom or (
            isinstance(gi, sp.Mul) and len(gi.args) == 2 and gi.args[0].is_Number and gi.args[1].is_Atom
        ):
            return gi
        name = f"g_{g.names[i]}"
        while name in self.taken or name in g.inputs:
            name += "_"
        self.taken.add(name)
        sym = sp.Symbol(name, real=True)
        self.upstreams.append((sym, gi))
        self.namespace.point[sym] = _point_value(sp, gi, self.namespace.point)
        return sym


def _point_value(sp: Any, v: Any, point: dict) -> Any:
    """A named value at the given point (so later comparisons through the name can be decided)."""
    try:
        return v.xreplace(point)
    except AttributeError:
        return v


def floats_to_sympy(sp: Any, v: Any) -> Any:
    """A float or float array as SymPy Floats (what a fallback continues with)."""
    np = _np()
    if isinstance(v, np.ndarray):
        out = np.empty(v.shape, dtype=object)
        for idx in np.ndindex(v.shape):
            out[idx] = sp.Float(float(v[idx]))
        return out
    return sp.Float(float(v))


def _float_one_like(v: Any) -> Any:
    if type(v) is float:
        return 1.0
    np = _np()
    return np.ones(np.shape(v))


def _float_zero_like(v: Any) -> Any:
    if type(v) is float:
        return 0.0
    np = _np()
    return np.zeros(np.shape(v))


Domain.one_like = staticmethod(_float_one_like)  # type: ignore[attr-defined]
Domain.zero_like = staticmethod(_float_zero_like)  # type: ignore[attr-defined]
