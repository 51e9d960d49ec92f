"""The runs of the one interpreter: which namespace each node gets, and the hooks of the
non-float paths (time budget, exact-number size, array-element limits, fallbacks, naming).

:class:`Domain` is the float run: Python floats for scalar nodes, numpy for array nodes.
:class:`ExactDomain` and :class:`SymbolicDomain` run every node with one SymPy namespace
(``namespaces.py``) beside the float run, whose values they fall back to where an exact
number would explode or SymPy has no finite answer.  ``graph.forward`` and
``graph.backward`` call :meth:`SympyDomain.forward_node` and :meth:`SympyDomain.backward_node`.
"""

from __future__ import annotations

import math
import time
from typing import Any

from .errors import BackcalcError, Msg
from .namespaces import TIES, ExactNS, Fallback, FloatNS, NumpyNS, SymbolicNS, TimeUp, TooLarge, _bits, _np

__all__ = ["Fallback", "TimeUp", "TooLarge", "ExactNS", "SymbolicNS", "FloatNS", "NumpyNS"]

# --- the run: which namespace per node, and the hooks of the non-float paths -------------------


class Budget:
    """A run's time limit, checked by the interpreter at every node of a non-float run."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.deadline = None if not seconds or seconds <= 0 else time.monotonic() + seconds
        self.cancelled = False
        self.why = Msg("domains.time_limit", seconds=f"{seconds:g}") if self.deadline is not None else ""
        self.partial: Any = None  # the record being filled in, kept if the run is stopped

    def expired(self) -> bool:
        return self.cancelled or (self.deadline is not None and time.monotonic() > self.deadline)

    def check(self) -> None:
        if self.expired():
            raise TimeUp()


class Domain:
    """The float domain: Python floats for scalar nodes, numpy for array nodes."""

    name = "float"
    exact_or_symbolic = False

    def __init__(self, ties: str = "split") -> None:
        if ties not in TIES:
            raise BackcalcError(Msg("domains.ties", ties=ties, choices=", ".join(TIES)))
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

    def one_like(self, v: Any) -> Any:
        """The output's own upstream gradient: 1, in its shape."""
        if type(v) is float:
            return 1.0
        np = _np()
        return np.ones(np.shape(v))

    def zero_like(self, v: Any, shared: bool = False) -> Any:
        """The gradient of a node the output does not depend on.  ``shared``: a read-only
        view of one zero (for the nodes a pruned backward pass skips: the data's gradient
        in training, a fresh 64x784 block of zeros every step otherwise)."""
        if type(v) is float:
            return 0.0
        np = _np()
        if shared:
            return np.broadcast_to(np.float64(0.0), np.shape(v))
        return np.zeros(np.shape(v))


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
        from .values import const_exact

        return const_exact(g, i)

    def one_like(self, v: Any) -> Any:
        return self._fill(v, self.sp.Integer(1))

    def zero_like(self, v: Any, shared: bool = False) -> Any:
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
            Msg("domains.no_rule", op=op.name, label=self.label, node=g.names[i], text=g.text(i)),
            hint=Msg("domains.no_rule_hint"),
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
        self.namespace.point[sym] = floats_to_sympy(self.sp, self.numeric.values[i])  # as the float run
        return sym

    def fallback(self, g: Any, i: int, why: str | None) -> Any:
        if why is None:
            raise BackcalcError(Msg("domains.no_formula", node=g.names[i], text=g.text(i)))
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
        self.namespace.point[sym] = floats_to_sympy(sp, self.numeric_bwd.upstream[i])
        return sym


def floats_to_sympy(sp: Any, v: Any) -> Any:
    """A float or float array as SymPy Floats (what a fallback continues with)."""
    np = _np()
    if isinstance(v, np.ndarray):
        out = np.empty(v.shape, dtype=object)
        for idx in np.ndindex(v.shape):
            out[idx] = sp.Float(float(v[idx]))
        return out
    return sp.Float(float(v))
