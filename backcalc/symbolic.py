"""Graph -> SymPy: symbolic derivatives (--symbolic) and exact arithmetic (--exact).

Both are one more evaluator over backcalc's own :class:`~backcalc.graph.Graph`,
walked with a plain loop in topological order, never a second engine and never
SymPy parsing the user's text: inputs become ``sp.Symbol``, constants become
``sp.Rational`` read from their decimal text (``pi`` and ``e`` become ``sp.pi``
and ``sp.E``), and every gate is built by its op table entry's ``sympy`` rule.

* ``symbolic_report`` builds the output as a formula, then the derivative of the
  output for each input by reverse-mode accumulation over the graph (each gate's
  local derivative comes from differentiating its own SymPy rule), simplifies it
  (small graphs) or applies common-subexpression elimination (large graphs),
  writes the chain-rule product it came from node by node, and evaluates it to
  confirm it equals the numeric gradient.
* ``exact_report`` runs forward and backward with SymPy numbers: 1/3 stays 1/3,
  sqrt(2) stays sqrt(2).  Before every gate it estimates how big an exact power
  would get; a number that would explode (9**9**9) falls back to the float
  engine's value for that node, with a warning.  At a kink or tie it uses the
  engine's named rule (the float engine's local gradient), not SymPy's
  Heaviside(0) = 1/2.

``run_bounded`` runs either in a worker process that is killed when ``--timeout``
runs out (SIGTERM, then SIGKILL), so a slow ``simplify`` or a huge number can
never hang the command.  sympy is imported only inside these functions.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from . import ops as O
from .errors import BackcalcError
from .graph import CONST, GATE, INPUT, Graph
from .values import _SCALAR

# Graphs with more gates than this get common-subexpression elimination instead of simplify().
LARGE_GATES = int(os.environ.get("BACKCALC_SYMBOLIC_LARGE", "40"))
# simplify() is tried only on derivatives with at most this many operations.
SIMPLIFY_MAX_OPS = 400
# The chain rule is written path by path when there are at most this many paths and factors.
MAX_PATHS = 6
MAX_CHAIN_FACTORS = 24
# --exact keeps numbers up to this many bits (about 30,000 decimal digits) exact.
EXACT_MAX_BITS = int(os.environ.get("BACKCALC_EXACT_MAX_BITS", "100000"))
DEFAULT_TIMEOUT = 30.0
AGREE_RTOL = 1e-9


def _sp() -> Any:
    import sympy

    return sympy


# --- numbers from text, read by fractions.Fraction (never by SymPy) --------------


def exact_scalar(text: str, name: str = "value") -> Any:
    """'1/3' -> Rational(1, 3); '0.1' -> Rational(1, 10); '1e-3' -> Rational(1, 1000).

    The same grammar as :func:`backcalc.values.parse_scalar`, read with ``fractions.Fraction``
    (a decimal parser) instead of float, so nothing is rounded.
    """
    sp = _sp()
    m = _SCALAR.match(text)
    if m is None:
        raise BackcalcError(f"cannot read {name}={text!r}: expected a number such as -2, 0.5, 1e-3 or 1/3")
    parts = [m.group(1)] + ([m.group(2)] if m.group(2) is not None else [])
    fracs = []
    for part in parts:
        mant, _, exp = part.lower().partition("e")
        if exp and abs(int(exp)) > 400:
            raise BackcalcError(f"cannot read {name}={text}: the exponent {exp} is too large for --exact")
        fracs.append(Fraction(part))
    value = fracs[0]
    if len(fracs) == 2:
        if fracs[1] == 0:
            raise BackcalcError(f"cannot read {name}={text}: the denominator is 0")
        value = value / fracs[1]
    return sp.Rational(value.numerator, value.denominator)


def exact_number(value: Any, name: str = "value") -> Any:
    """A float, int or number text -> an exact SymPy number (a float is read from its shortest repr)."""
    sp = _sp()
    if isinstance(value, str):
        return exact_scalar(value, name)
    if isinstance(value, bool):
        raise BackcalcError(f"{name}: expected a number, got a bool")
    if isinstance(value, int):
        return sp.Integer(value)
    if type(value) is float:
        if not math.isfinite(value):
            return sp.Float(value)
        return exact_scalar(repr(value), name)
    raise BackcalcError(
        f"{name}: --exact and --symbolic work on scalar inputs; {name} is an array",
        hint="drop --exact/--symbolic for array inputs (the numeric table still works)",
    )


def _const_exact(g: Graph, i: int) -> Any:
    sp = _sp()
    text = g.names[i]
    special = {"pi": sp.pi, "e": sp.E}
    if text in special and g.consts[i] == O.CONSTANTS.get(text):
        return special[text]
    if _SCALAR.match(text):
        return exact_scalar(text, "constant")
    return exact_number(float(g.consts[i]), "constant")


# --- the SymPy side of the op table -------------------------------------------


class _Rules:
    """Each op's SymPy rule over dummy arguments, and its derivative per argument (cached)."""

    def __init__(self) -> None:
        self.sp = _sp()
        self._cache: dict[tuple[str, int], tuple[tuple, Any, list]] = {}

    def get(
        self, op: O.Op | None, n: int, g: Graph | None = None, i: int | None = None
    ) -> tuple[tuple, Any, list]:
        if op is None:
            raise TypeError("inputs and constants have no rule")
        key = (op.name, n)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if op.sympy is None:
            where = ""
            if g is not None and i is not None:
                where = f" (used at {g.names[i]} = {g.text(i)})"
            raise BackcalcError(
                f"op '{op.name}' has no SymPy rule yet, so --symbolic and --exact cannot handle it{where}",
                hint="drop --symbolic/--exact for this expression; the numeric gradients still work",
            )
        sp = self.sp
        dummies = tuple(sp.Dummy(f"a{k}", real=True) for k in range(n))
        body = op.sympy(sp, *dummies)
        derivs = [sp.diff(body, d) for d in dummies]
        self._cache[key] = (dummies, body, derivs)
        return self._cache[key]


def _apply(template: Any, dummies: tuple, args: list) -> Any:
    return template.xreplace(dict(zip(dummies, args)))


# --- --symbolic ---------------------------------------------------------------


def _partial(a: str, b: str) -> str:
    return f"∂{a}/∂{b}"


def _partial_latex(a: str, b: str) -> str:
    return rf"\frac{{\partial {_latex_name(a)}}}{{\partial {_latex_name(b)}}}"


def _latex_name(name: str) -> str:
    return _sp().latex(_sp().Symbol(name))


def _factor(sp: Any, e: Any) -> str:
    s = sp.sstr(e)
    if isinstance(e, sp.Add) or s.startswith("-"):
        return f"({s})"
    return s


def _factor_latex(sp: Any, e: Any) -> str:
    s = sp.latex(e)
    if isinstance(e, sp.Add) or s.startswith("-"):
        return rf"\left({s}\right)"
    return s


def symbolic_report(g: Graph, values: dict[str, Any], numeric: dict[str, Any]) -> Iterator[tuple]:
    """Yield ('head', dict) once, then ('input', name, dict) per input, then ('done', dict).

    ``values`` are the inputs (floats or number texts); ``numeric`` the engine's gradients
    that each formula is checked against.  Array inputs: :func:`symbolic_array_report`.
    """
    if has_arrays(values):
        yield from symbolic_array_report(g, values, numeric)
        return
    sp = _sp()
    rules = _Rules()
    n = len(g.kinds)
    t0 = time.perf_counter()
    syms = {name: sp.Symbol(name, real=True) for name in g.inputs}
    expr: list[Any] = [None] * n  # each node in terms of the inputs
    nsym: list[Any] = [None] * n  # each node as its own name (for the chain rule written node by node)
    gates = 0
    for i, kind in enumerate(g.kinds):
        if kind == INPUT:
            nsym[i] = syms[g.names[i]]
        elif kind == CONST:
            nsym[i] = _const_exact(g, i)
        else:
            gates += 1
            rules.get(g.ops[i], len(g.args[i]), g, i)  # an op without a SymPy rule fails here, by name
            nsym[i] = sp.Symbol(g.names[i], real=True)
    large = gates > LARGE_GATES
    if large:
        yield from _program_report(g, rules, syms, nsym, values, numeric)
        yield ("done", {"seconds": time.perf_counter() - t0})
        return
    for i, kind in enumerate(g.kinds):
        if kind == GATE:
            dummies, body, _ = rules.get(g.ops[i], len(g.args[i]))
            expr[i] = _apply(body, dummies, [expr[j] for j in g.args[i]])
        else:
            expr[i] = nsym[i]
    out = g.output
    names = g.names
    fname = names[out]

    # Reverse-mode accumulation: adj[i] = d out / d node i, as a formula in the inputs.
    adj: list[Any] = [None] * n
    consumers: list[list[tuple[int, int]]] = [[] for _ in range(n)]  # node -> (consumer, arg position)
    adj[out] = sp.Integer(1)
    for i in range(n - 1, -1, -1):
        if g.kinds[i] != GATE or adj[i] is None:
            continue
        op = g.ops[i]
        a = g.args[i]
        dummies, _, derivs = rules.get(op, len(a), g, i)
        arg_exprs = [expr[j] for j in a]
        for k, j in enumerate(a):
            if g.kinds[j] == CONST:
                continue
            consumers[j].append((i, k))
            contrib = adj[i] * _apply(derivs[k], dummies, arg_exprs)
            adj[j] = contrib if adj[j] is None else adj[j] + contrib
    head: dict[str, Any] = {
        "output": fname,
        "method": "simplify",
        "gates": gates,
        "formula": sp.sstr(expr[out]),
        "latex": sp.latex(expr[out]),
    }
    yield ("head", head)

    env = {syms[name]: _float_env(sp, values[name]) for name in g.inputs}
    chains = _chains(g, rules, nsym, consumers)

    for name in g.inputs:
        d = adj[g.inputs[name]]
        if d is None:
            d = sp.Integer(0)
        simplified = False
        if sp.count_ops(d) <= SIMPLIFY_MAX_OPS:
            d, simplified = _simplify(sp, d), True
        val = _to_float(d.xreplace(env).evalf(30))
        yield ("input", name, _record(sp, name, d, val, numeric.get(name), chains[name], simplified))
    yield ("done", {"seconds": time.perf_counter() - t0})


def _program_report(
    g: Graph, rules: _Rules, syms: dict, nsym: list, values: dict[str, Any], numeric: dict[str, Any]
) -> Iterator[tuple]:
    """Large graphs: the derivative as a program over common subexpressions, in linear time.

    Writing a 1,000-gate derivative as one formula in the inputs repeats shared pieces
    exponentially and makes SymPy's tree algorithms crawl.  Instead every gate is one
    subexpression named by its node (n5 = exp(n4)), every upstream gradient that is more than
    a name is one more (g_n4 = -g_n5*exp(n4)), and each input's derivative is a short formula
    over them; ``sp.cse`` then factors out what the backward definitions still repeat.
    """
    sp = rules.sp
    n = len(g.kinds)
    out = g.output
    names = g.names
    taken = set(names)
    fwd_defs: list[tuple[Any, Any]] = []
    for i, kind in enumerate(g.kinds):
        if kind == GATE:
            dummies, body, _ = rules.get(g.ops[i], len(g.args[i]))
            fwd_defs.append((nsym[i], _apply(body, dummies, [nsym[j] for j in g.args[i]])))
    yield (
        "head",
        {
            "output": names[out],
            "method": "cse",
            "gates": len(fwd_defs),
            "formula": sp.sstr(fwd_defs[-1][1]) if fwd_defs else sp.sstr(nsym[out]),
            "latex": sp.latex(fwd_defs[-1][1]) if fwd_defs else sp.latex(nsym[out]),
        },
    )

    acc: list[Any] = [None] * n  # sum of contributions to d out / d node
    up: list[Any] = [None] * n  # what stands for d out / d node: 1, a name, or a short product
    consumers: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    back_defs: list[tuple[Any, Any]] = []
    for i in range(n - 1, -1, -1):
        if g.kinds[i] != GATE:
            continue
        if i == out:
            up[i] = sp.Integer(1)
        elif acc[i] is None:
            continue
        else:
            e = acc[i]
            if e.is_Atom or (
                isinstance(e, sp.Mul) and len(e.args) == 2 and e.args[0].is_Number and e.args[1].is_Atom
            ):
                up[i] = e
            else:
                gname = f"g_{names[i]}"
                while gname in taken:
                    gname += "_"
                taken.add(gname)
                up[i] = sp.Symbol(gname, real=True)
                back_defs.append((up[i], e))
        a = g.args[i]
        dummies, _, derivs = rules.get(g.ops[i], len(a))
        arg_syms = [nsym[j] for j in a]
        for k, j in enumerate(a):
            if g.kinds[j] == CONST:
                continue
            consumers[j].append((i, k))
            contrib = up[i] * _apply(derivs[k], dummies, arg_syms)
            acc[j] = contrib if acc[j] is None else acc[j] + contrib
    inputs = list(g.inputs)
    formulas = [acc[g.inputs[x]] if acc[g.inputs[x]] is not None else sp.Integer(0) for x in inputs]

    prefix = next(p for p in ("c", "cse", "cse_") if not any(t.startswith(p) for t in taken))
    back_rhs = [rhs for _, rhs in back_defs]
    repl, reduced = sp.cse(back_rhs + formulas, symbols=sp.numbered_symbols(prefix, real=True), order="none")
    back_defs = [(sym, rhs) for (sym, _), rhs in zip(back_defs, reduced[: len(back_defs)])]
    formulas = reduced[len(back_defs) :]

    # Evaluate: inputs -> every gate (topological order) -> cse pieces and upstream names as they
    # become computable (a cse piece may use an upstream name defined before it, and vice versa).
    env = {syms[name]: _float_env(sp, values[name]) for name in g.inputs}
    for sym, rhs in fwd_defs:
        env[sym] = rhs.xreplace(env).evalf(30)
    pending = list(repl) + back_defs
    while pending:
        left = []
        for sym, rhs in pending:
            if rhs.free_symbols <= env.keys():
                env[sym] = rhs.xreplace(env).evalf(30)
            else:
                left.append((sym, rhs))
        if len(left) == len(pending):  # pragma: no cover - would be a bug in the ordering above
            raise BackcalcError("internal: the derivative program refers to an undefined name")
        pending = left
    chains = _chains(g, rules, nsym, consumers)
    yield (
        "cse",
        {
            "forward": [[str(s), sp.sstr(rhs)] for s, rhs in fwd_defs],
            "replacements": [[str(s), sp.sstr(rhs)] for s, rhs in repl],
            "backward": [[str(s), sp.sstr(rhs)] for s, rhs in back_defs],
            "note": "n* are the graph's nodes, g_* their upstream gradients (d output / d node), "
            f"{prefix}* common subexpressions found by sympy.cse",
        },
    )
    for name, d in zip(inputs, formulas):
        val = _to_float(d.xreplace(env).evalf(30))
        yield ("input", name, _record(sp, name, d, val, numeric.get(name), chains[name], simplified=False))


def _simplify(sp: Any, d: Any) -> Any:
    """simplify(), unless it brings in functions the formula did not use (sigmoid's derivative
    rewritten with cosh is shorter but no longer the lecture's (1 - sigma) sigma)."""
    s = sp.simplify(d)
    before = {type(f) for f in d.atoms(sp.Function)}
    if {type(f) for f in s.atoms(sp.Function)} - before:
        return d
    return s


def _float_env(sp: Any, v: Any) -> Any:
    if isinstance(v, str):
        return exact_scalar(v)
    return sp.Float(repr(float(v)), 30)


def _to_float(v: Any) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None  # not a real number (e.g. nan from Heaviside at a kink, or complex)


def _record(sp: Any, name: str, d: Any, val: float | None, num: Any, chain: dict, simplified: bool) -> dict:
    agrees = None
    if val is not None and type(num) is float and math.isfinite(num):
        agrees = abs(val - num) <= AGREE_RTOL * max(1.0, abs(num))
    rec = {
        "formula": sp.sstr(d),
        "latex": sp.latex(d),
        "simplified": simplified,
        "value": val,
        "numeric": num,
        "agrees": agrees,
    }
    rec.update(chain)
    return rec


def _chains(g: Graph, rules: _Rules, nsym: list, consumers: list) -> dict[str, dict]:
    """For each input, the chain rule written node by node: the product of local derivatives along
    every path from the output down to the input (or, with many paths, one step of the sum)."""
    sp = rules.sp
    n = len(g.kinds)
    names = g.names
    out = g.output
    # Number of paths from each node up to the output (big ints; reverse topological order).
    paths = [0] * n
    paths[out] = 1
    for i in range(n - 1, -1, -1):
        if g.kinds[i] != GATE or paths[i] == 0:
            continue
        for j in g.args[i]:
            if g.kinds[j] != CONST:
                paths[j] += paths[i]

    def local(c: int, k: int) -> Any:
        dummies, _, derivs = rules.get(g.ops[c], len(g.args[c]))
        return _apply(derivs[k], dummies, [nsym[j] for j in g.args[c]])

    chains: dict[str, dict] = {}
    fname = names[out]
    for name, x in g.inputs.items():
        if paths[x] == 0:
            chains[name] = {"chain": "0", "chain_latex": "0", "chain_locals": "0", "paths": 0}
            continue
        found: list[list[tuple[int, int]]] = []
        if paths[x] <= MAX_PATHS:
            # Walk up from x to the output with an explicit stack; each path is a list of (consumer, k).
            stack: list[tuple[int, list[tuple[int, int]]]] = [(x, [])]
            factors = 0
            while stack and factors <= MAX_CHAIN_FACTORS:
                node, path = stack.pop()
                if node == out:
                    found.append(path)
                    factors += len(path)
                    continue
                for c, k in consumers[node]:
                    stack.append((c, path + [(c, k)]))
            if factors > MAX_CHAIN_FACTORS:
                found = []
        if found:
            found.sort(key=lambda p: [c for c, _ in p])
            terms, terms_latex, terms_locals, terms_locals_latex = [], [], [], []
            for path in found:
                steps = list(reversed(path))  # from the output down to x
                below = [g.args[c][k] for c, k in steps]
                terms.append(" · ".join(_partial(names[c], names[b]) for (c, _), b in zip(steps, below)))
                terms_latex.append(
                    r" \cdot ".join(_partial_latex(names[c], names[b]) for (c, _), b in zip(steps, below))
                )
                locs = [local(c, k) for c, k in steps]
                terms_locals.append(" · ".join(_factor(sp, e) for e in locs))
                terms_locals_latex.append(r" \cdot ".join(_factor_latex(sp, e) for e in locs))
            chains[name] = {
                "chain": " + ".join(terms),
                "chain_latex": " + ".join(terms_latex),
                "chain_locals": " + ".join(terms_locals),
                "chain_locals_latex": " + ".join(terms_locals_latex),
                "paths": len(found),
                "chain_form": "paths",
            }
        else:
            # Too many paths to list: one step of the chain rule, summed over x's consumers.
            cs = sorted(consumers[x])

            def up(c: int, latex: bool = False) -> str:
                if c == out:
                    return ""
                return (
                    (_partial_latex(fname, names[c]) + r" \cdot ")
                    if latex
                    else f"{_partial(fname, names[c])} · "
                )

            chains[name] = {
                "chain": " + ".join(f"{up(c)}{_partial(names[c], name)}" for c, _ in cs),
                "chain_latex": " + ".join(f"{up(c, True)}{_partial_latex(names[c], name)}" for c, _ in cs),
                "chain_locals": " + ".join(f"{up(c)}{_factor(sp, local(c, k))}" for c, k in cs),
                "chain_locals_latex": " + ".join(
                    f"{up(c, True)}{_factor_latex(sp, local(c, k))}" for c, k in cs
                ),
                "paths": paths[x],
                "chain_form": "one step",  # upstream of each consumer x local, summed
            }
    return chains


def collect_symbolic(items: list[tuple], *, stopped: str | None = None) -> dict:
    """The messages of ``symbolic_report`` -> the ``Result.symbolic`` record (JSON-ready)."""
    rec: dict[str, Any] = {"complete": stopped is None, "stopped": stopped, "gradients": {}}
    for item in items:
        tag = item[0]
        if tag == "head":
            rec.update(item[1])
        elif tag == "cse":
            rec["cse"] = item[1]
        elif tag == "input":
            rec["gradients"][item[1]] = item[2]
        elif tag == "done":
            rec["seconds"] = item[1]["seconds"]
    if rec.get("too_large"):
        rec["complete"] = False
        rec["stopped"] = rec.pop("note")
    return rec


# --- arrays: the same evaluator over numpy arrays of SymPy expressions ------------------
#
# An array value is a numpy array of dtype object holding one SymPy expression per element, so
# broadcasting, matmul and axis reductions behave exactly as numpy's do.  An array input W
# becomes the array of its element symbols W[0, 0], W[0, 1], ... (``sympy.Indexed``: printed
# W[0, 1] as numpy indexes it, and W_{0,1} in LaTeX).  Array ops use their op table ``sympy``
# rule on whole arrays; elementwise ops use their scalar rule per element.  Backward is reverse
# mode as for scalars: an elementwise gate multiplies the upstream by its rule's derivative per
# element (then sums broadcast axes back); an array gate's downstream is, per input element,
# the sum over output elements of upstream x d out / d element, where the derivatives come
# from differentiating the op's rule applied to arrays of dummy symbols (only the elements an
# output actually depends on, so matmul costs what its forward costs).

SYMBOLIC_MAX_ELEMENTS = int(os.environ.get("BACKCALC_SYMBOLIC_MAX_ELEMENTS", "64"))
EXACT_MAX_ELEMENTS = int(os.environ.get("BACKCALC_EXACT_MAX_ELEMENTS", "400"))
SIMPLIFY_BUDGET = 10.0  # seconds of simplify() spent on the elements of array gradients
MAX_STEPS = 10  # backprop steps written out in an array chain rule (else one step)
MAX_STEP_TEXT = 400  # characters of one upstream formula in chain_locals


def _numpy() -> Any:
    import numpy

    return numpy


def _is_arr(x: Any) -> bool:
    return type(x).__name__ == "ndarray"


def has_arrays(values: dict[str, Any]) -> bool:
    return any(not isinstance(v, (int, float, str)) for v in values.values())


def _box(x: Any) -> Any:
    """One expression in a 0-d object array, so numpy (not SymPy) does the arithmetic."""
    o = _numpy().empty((), dtype=object)
    o[()] = x
    return o


def _settle(sp: Any, v: Any) -> Any:
    """A rule's result -> a SymPy scalar, or an object array of at least one dimension."""
    if _is_arr(v):
        if v.ndim:
            return v if v.dtype == object else v.astype(object)
        v = v[()]
    if isinstance(v, int):
        return sp.Integer(v)
    if isinstance(v, float):
        return sp.Float(v)
    return v


def _bmap(fn: Any, args: list) -> Any:
    """fn(flat index, element tuple) over the numpy broadcast of ``args``; a scalar for scalars."""
    np = _numpy()
    b = np.broadcast(*[a if _is_arr(a) else _box(a) for a in args])
    out = np.empty(b.shape, dtype=object)
    flat = out.reshape(-1)
    for n, els in enumerate(b):
        flat[n] = fn(n, els)
    return out if out.ndim else out[()]


def _unbroadcast_obj(g: Any, shape: tuple) -> Any:
    """Sum a broadcast downstream back to an input's shape (object arrays)."""
    if not _is_arr(g):
        return g
    while g.ndim > len(shape):
        g = g.sum(axis=0)
        if not _is_arr(g):
            return g
    for axis, n in enumerate(shape):
        if n == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


def _shape(v: Any) -> tuple:
    return tuple(v.shape) if _is_arr(v) else ()


def _flat(v: Any) -> list:
    return list(v.reshape(-1)) if _is_arr(v) else [v]


def _from_flat(items: list, shape: tuple) -> Any:
    if not shape:
        return items[0]
    np = _numpy()
    out = np.empty(len(items), dtype=object)
    for k, e in enumerate(items):
        out[k] = e
    return out.reshape(shape)


def _ones(sp: Any, v: Any) -> Any:
    return _from_flat([sp.Integer(1)] * len(_flat(v)), _shape(v))


class _TooLarge(Exception):
    pass


class _Fallback(Exception):
    pass


class _Arrays:
    """Forward and reverse mode over a graph whose values are SymPy scalars or object arrays."""

    def __init__(self, g: Graph, rules: _Rules, limit: int) -> None:
        self.g, self.rules, self.sp, self.limit = g, rules, rules.sp, limit
        self._templates: dict[tuple, tuple] = {}

    # hooks that exact mode overrides
    def elem_forward(self, i: int, n: int, body: Any, dummies: tuple, els: tuple) -> Any:
        return _apply(body, dummies, list(els))

    def elem_local(self, i: int, k: int, n: int, deriv: Any, dummies: tuple, els: tuple) -> Any:
        return _apply(deriv, dummies, list(els))

    def fix_down(self, i: int, k: int, down: Any) -> Any:
        return down

    def forward(self, vals: list) -> list:
        g, sp = self.g, self.sp
        for i, kind in enumerate(g.kinds):
            if kind != GATE:
                continue
            op = g.ops[i]
            assert op is not None
            args = [vals[j] for j in g.args[i]]
            if op.array_op and any(_is_arr(a) for a in args):
                self.rules.get(op, len(args), g, i)  # an op without a rule fails here, by name
                assert op.sympy is not None
                call = [int(a) if k in op.const_args else a for k, a in enumerate(args)]
                v = _settle(sp, op.sympy(sp, *call))
            else:
                dummies, body, _ = self.rules.get(op, len(args), g, i)
                try:
                    v = _bmap(lambda n, els: self.elem_forward(i, n, body, dummies, els), args)
                except _Fallback as e:
                    v = self.fallback(i, str(e))
            if _is_arr(v) and v.size > self.limit:
                raise _TooLarge(
                    f"{g.names[i]} = {g.text(i)} has {v.size:,} elements, more than the limit of {self.limit:,}"
                )
            vals[i] = v
        return vals

    def fallback(self, i: int, why: str) -> Any:  # pragma: no cover - only exact mode falls back
        raise BackcalcError(why)

    def backward(self, vals: list) -> list:
        g = self.g
        n = len(g.kinds)
        adj: list[Any] = [None] * n
        adj[g.output] = _ones(self.sp, vals[g.output])
        for i in range(n - 1, -1, -1):
            if g.kinds[i] != GATE or adj[i] is None:
                continue
            op = g.ops[i]
            assert op is not None
            a = g.args[i]
            need = [g.kinds[j] != CONST and k not in op.const_args for k, j in enumerate(a)]
            if not any(need):
                continue
            downs = self.vjp(i, op, [vals[j] for j in a], adj[i], need)
            for k, j in enumerate(a):
                if need[k]:
                    d = self.fix_down(i, k, downs[k])
                    adj[j] = d if adj[j] is None else adj[j] + d
        return adj

    def vjp(self, i: int, op: O.Op, args: list, up: Any, need: list[bool]) -> list:
        np = _numpy()
        if op.array_op and any(_is_arr(a) for a in args):
            return self.array_vjp(i, op, args, up, need)
        dummies, _, derivs = self.rules.get(op, len(args), self.g, i)
        res: list[Any] = []
        for k in range(len(args)):
            if not need[k]:
                res.append(None)
                continue
            local = _bmap(lambda n, els, k=k: self.elem_local(i, k, n, derivs[k], dummies, els), args)
            d = np.multiply(up if _is_arr(up) else _box(up), local if _is_arr(local) else _box(local))
            res.append(_settle(self.sp, _unbroadcast_obj(d, _shape(args[k]))))
        return res

    def _template(self, op: O.Op, args: list) -> tuple:
        sp, np = self.sp, _numpy()
        shapes = tuple(_shape(a) for a in args)
        consts = tuple(int(a) if k in op.const_args else None for k, a in enumerate(args))
        key = (op.name, shapes, consts)
        hit = self._templates.get(key)
        if hit is not None:
            return hit
        dummies: list[list | None] = []
        call: list[Any] = []
        index_of: dict[Any, tuple[int, int]] = {}
        for k, shape in enumerate(shapes):
            if consts[k] is not None:
                dummies.append(None)
                call.append(consts[k])
                continue
            size = int(np.prod(shape)) if shape else 1
            ds = [sp.Dummy(f"a{k}_{e}", real=True) for e in range(size)]
            index_of.update({d: (k, e) for e, d in enumerate(ds)})
            dummies.append(ds)
            call.append(_from_flat(ds, shape))
        assert op.sympy is not None
        out = _settle(sp, op.sympy(sp, *call))
        parts: list[list[tuple[int, int, Any]]] = [[] for _ in shapes]
        for o, expr in enumerate(_flat(out)):
            for s in expr.free_symbols:
                hit2 = index_of.get(s)
                if hit2 is not None:
                    parts[hit2[0]].append((o, hit2[1], sp.diff(expr, s)))
        self._templates[key] = (dummies, parts)
        return self._templates[key]

    def array_vjp(self, i: int, op: O.Op, args: list, up: Any, need: list[bool]) -> list:
        sp = self.sp
        dummies, parts = self._template(op, args)
        sub: dict[Any, Any] = {}
        for k, ds in enumerate(dummies):
            if ds is not None:
                sub.update(zip(ds, _flat(args[k])))
        ups = _flat(up)
        res: list[Any] = []
        for k, a in enumerate(args):
            if not need[k]:
                res.append(None)
                continue
            terms: list[list[Any]] = [[] for _ in _flat(a)]
            for o, e, dv in parts[k]:
                terms[e].append(ups[o] * dv.xreplace(sub))
            res.append(_from_flat([sp.Add(*t) for t in terms], _shape(a)))
        return res


def _text(sp: Any, v: Any) -> str:
    """A formula, or an array of formulas as nested brackets: [[a, b], [c, d]]."""
    import json

    if not _is_arr(v):
        return sp.sstr(v)
    return json.dumps(_strings(sp, v), ensure_ascii=False).replace('"', "")


def _strings(sp: Any, v: Any) -> Any:
    if not _is_arr(v):
        return sp.sstr(v)
    return _numpy().frompyfunc(sp.sstr, 1, 1)(v).tolist()


def _latex(sp: Any, v: Any) -> str:
    if not _is_arr(v):
        return sp.latex(v)
    if v.ndim <= 2:
        return sp.latex(sp.Matrix(v.tolist()))
    return sp.latex(sp.Array(v.tolist()))


def _element_name(name: str, idx: tuple) -> str:
    return f"{name}[{', '.join(str(int(k)) for k in idx)}]"


def _input_elements(sp: Any, name: str, v: Any) -> Any:
    """An array input -> the array of its element symbols W[0, 0], W[0, 1], ..."""
    base = sp.IndexedBase(name, real=True)
    np = _numpy()
    out = np.empty(np.shape(v), dtype=object)
    for idx in np.ndindex(out.shape):
        out[idx] = base[idx]
    return out


def _exact_elements(sp: Any, name: str, v: Any) -> Any:
    np = _numpy()
    out = np.empty(np.shape(v), dtype=object)
    for idx in np.ndindex(out.shape):
        out[idx] = exact_number(float(v[idx]), _element_name(name, idx))
    return out


def _too_large_record_text(why: str, what: str) -> str:
    return (
        f"{what} not built: {why}; the numeric gradients are complete (--check compares them "
        "with finite differences element by element)"
    )


def _too_large_record(g: Graph, why: str, what: str) -> dict:
    return {
        "output": g.names[g.output],
        "method": "elementwise",
        "too_large": why,
        "note": _too_large_record_text(why, what),
    }


def symbolic_array_report(g: Graph, values: dict[str, Any], numeric: dict[str, Any]) -> Iterator[tuple]:
    """--symbolic when some input is an array: one formula per element, in the input's shape."""
    sp = _sp()
    np = _numpy()
    rules = _Rules()
    t0 = time.perf_counter()
    limit = SYMBOLIC_MAX_ELEMENTS
    vals: list[Any] = [None] * len(g.kinds)
    env: dict[Any, Any] = {}
    for name, x in g.inputs.items():
        v = values[name]
        if _is_arr(v):
            if v.size > limit:
                yield (
                    "head",
                    _too_large_record(
                        g, f"{name} has {v.size:,} elements, more than the limit of {limit:,}", "formulas"
                    ),
                )
                yield ("done", {"seconds": time.perf_counter() - t0})
                return
            vals[x] = _input_elements(sp, name, v)
            for idx in np.ndindex(v.shape):
                env[vals[x][idx]] = sp.Float(repr(float(v[idx])), 30)
        else:
            vals[x] = sp.Symbol(name, real=True)
            env[vals[x]] = _float_env(sp, v)
    for i, kind in enumerate(g.kinds):
        if kind == CONST:
            vals[i] = _const_exact(g, i)
    engine = _Arrays(g, rules, limit)
    try:
        engine.forward(vals)
    except _TooLarge as e:
        yield ("head", _too_large_record(g, str(e), "formulas"))
        yield ("done", {"seconds": time.perf_counter() - t0})
        return
    adj = engine.backward(vals)
    out = g.output
    gates = sum(1 for k in g.kinds if k == GATE)
    yield (
        "head",
        {
            "output": g.names[out],
            "method": "elementwise",
            "gates": gates,
            "shape": list(_shape(vals[out])),
            "formula": _text(sp, vals[out]),
            "latex": _latex(sp, vals[out]),
        },
    )
    budget = time.perf_counter() + SIMPLIFY_BUDGET
    for name, x in g.inputs.items():
        d = adj[x]
        if d is None:
            d = _from_flat([sp.Integer(0)] * len(_flat(vals[x])), _shape(vals[x]))
        simplified = True
        items = []
        for el in _flat(d):
            if time.perf_counter() < budget and sp.count_ops(el) <= SIMPLIFY_MAX_OPS:
                el = _simplify(sp, el)
            else:
                simplified = False
            items.append(el)
        d = _from_flat(items, _shape(d))
        got = [_to_float(el.xreplace(env).evalf(30)) for el in items]
        num = numeric.get(name)
        rec = _array_record(sp, d, got, num)
        rec["simplified"] = simplified
        rec.update(_steps(g, sp, adj, vals, x))
        yield ("input", name, rec)
    yield ("done", {"seconds": time.perf_counter() - t0})


def _array_record(sp: Any, d: Any, got: list, num: Any) -> dict:
    np = _numpy()
    shape = _shape(d)
    value: Any = got[0] if not shape else _from_flat(got, shape).tolist()
    agrees: bool | None = None
    mismatches: list[list[int]] = []
    if num is not None and None not in got:
        want = np.ravel(np.asarray(num, dtype=float))
        if want.size == len(got) and np.all(np.isfinite(want)):
            for n, (a, b) in enumerate(zip(got, want)):
                if abs(a - b) > AGREE_RTOL * max(1.0, abs(b)):
                    idx = np.unravel_index(n, shape) if shape else ()
                    mismatches.append([int(k) for k in idx])
            agrees = not mismatches
    rec: dict[str, Any] = {
        "formula": _text(sp, d),
        "latex": _latex(sp, d),
        "shape": list(shape),
        "value": value,
        "numeric": num,
        "agrees": agrees,
    }
    if shape:
        rec["formulas"] = _strings(sp, d)
    if mismatches:
        rec["mismatches"] = mismatches[:20]
    return rec


def _rule_text(op: O.Op, k: int, names: list[str], node: str, up: str) -> str:
    import re

    texts = op.vjp_text
    t = texts[k] if isinstance(texts, tuple) else texts
    t = re.sub(r"\bg\b", lambda m: up, t)
    t = re.sub(r"\bout\b", lambda m: node, t)
    return t.replace("{i}", f"{{{k}}}").format(*names)


def _rule_latex(text: str) -> str:
    import re

    t = re.sub(r"[A-Za-z]+(?: [A-Za-z]+)+", lambda m: rf"\text{{ {m.group(0)}}}", text)
    t = re.sub(r"∂([^/\s]+)/∂([^\s·*@()\[\],;]+)", lambda m: _partial_latex(m.group(1), m.group(2)), t)
    for a, b in (("ᵀ", r"^{\top}"), ("·", r" \cdot "), ("*", r" \cdot "), ("@", " "), ("²", "^{2}")):
        t = t.replace(a, b)
    return t


def _steps(g: Graph, sp: Any, adj: list, vals: list, x: int) -> dict:
    """The chain rule for an input in an array graph, as the backprop steps from the output down
    to it: each node's upstream made from its consumers' VJP rules (the op table's ``vjp_text``),
    and, in ``chain_locals``, each upstream as formulas."""
    names = g.names
    out = g.output
    fname = names[out]
    n = len(g.kinds)
    reach = [False] * n
    reach[x] = True
    for i in range(x + 1, n):
        op = g.ops[i]
        if op is not None:
            reach[i] = any(reach[j] for k, j in enumerate(g.args[i]) if k not in op.const_args)
    on = [reach[i] and adj[i] is not None for i in range(n)]
    if not on[out]:
        return {"chain": "0", "chain_latex": "0", "chain_locals": "0", "chain_locals_latex": "0", "paths": 0}
    consumers: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for i in range(n):
        op = g.ops[i]
        if op is None or not on[i]:
            continue
        for k, j in enumerate(g.args[i]):
            if on[j] and k not in op.const_args:
                consumers[j].append((i, k))
    nodes = [i for i in range(n - 1, -1, -1) if on[i] and i != out]
    form = "steps"
    if len(nodes) > MAX_STEPS:
        nodes, form = [x], "one step"

    def up(c: int) -> str:
        return "1" if c == out else _partial(fname, names[c])

    lines, lines_latex, locs, locs_latex = [], [], [], []
    for v in nodes:
        rhs = " + ".join(
            _rule_text(op, k, [names[j] for j in g.args[c]], names[c], up(c))
            for c, k in consumers[v]
            if (op := g.ops[c]) is not None
        )
        lines.append(f"{_partial(fname, names[v])} = {rhs}")
        lines_latex.append(f"{_partial_latex(fname, names[v])} = {_rule_latex(rhs)}")
        if v != x:
            txt = _text(sp, adj[v])
            if len(txt) > MAX_STEP_TEXT:
                txt = txt[:MAX_STEP_TEXT] + "…"
            locs.append(f"{_partial(fname, names[v])} = {txt}")
            locs_latex.append(f"{_partial_latex(fname, names[v])} = {_latex(sp, adj[v])}")
    return {
        "chain": "; ".join(lines),
        "chain_latex": r" \\ ".join(lines_latex),
        "chain_locals": "; ".join(locs) if locs else lines[-1],
        "chain_locals_latex": r" \\ ".join(locs_latex) if locs_latex else lines_latex[-1],
        "chain_form": form,
        "steps": len(nodes),
    }


# --- --exact --------------------------------------------------------------------


def _log2(n: int) -> float:
    n = abs(int(n))
    return math.log2(n) if n > 1 else 0.0


def _bits(sp: Any, v: Any) -> float:
    """A size estimate of an exact number: bits of its largest rational part (at least 1)."""
    if isinstance(v, sp.Rational):
        return max(_log2(v.p), _log2(v.q), 1.0)
    best = 1.0
    for r in v.atoms(sp.Rational):
        best = max(best, _log2(r.p), _log2(r.q))
    return best


def _explodes(sp: Any, template: Any, dummies: tuple, args: list) -> str | None:
    """Would applying ``template`` to ``args`` make a huge exact number?  Only powers can,
    so look at every power in the op's own SymPy rule, estimating bits = |exponent| x bits(base)."""
    if not any(isinstance(a, sp.Rational) or a.is_number for a in args):
        return None
    sub = dict(zip(dummies, args))
    for p in sp.preorder_traversal(template):
        if not isinstance(p, sp.Pow):
            continue
        expo = p.exp.xreplace(sub)
        if not isinstance(expo, sp.Rational) or abs(expo) <= 64:
            continue
        if p.base.has(*dummies) and any(isinstance(s, sp.Pow) for s in sp.preorder_traversal(p.base)):
            base_bits: float = EXACT_MAX_BITS  # a power of a power: too costly to size safely
        else:
            base = p.base.xreplace(sub)
            if base in (sp.Integer(0), sp.Integer(1), sp.Integer(-1)):
                continue
            base_bits = _bits(sp, base)
        est = abs(float(expo)) * base_bits
        if est > EXACT_MAX_BITS:
            digits = est * math.log10(2)
            return f"about {digits:,.0f} digits"
    return None


def exact_report(
    g: Graph,
    values: dict[str, Any],
    numeric_values: list[Any],
    numeric_locals: list[tuple | None],
    flags: dict[int, str],
    numeric_down: list[tuple | None] | None = None,
    ties: str = O.DEFAULT_TIES,
) -> dict:
    """Forward and backward in exact arithmetic over the same graph.

    ``numeric_values`` and ``numeric_locals`` come from the float engine: they are the
    fallback for a node whose exact value would explode, and the rule at a kink or tie
    (with array inputs, ``numeric_down`` and ``ties`` serve the same, element by element).
    """
    if has_arrays(values):
        try:
            return exact_array_report(g, values, numeric_values, numeric_locals, flags, numeric_down, ties)
        except _TooLarge as e:
            return {"too_large": str(e), "gradients": {}, "nodes": [], "fallback": [], "warnings": []}
    sp = _sp()
    rules = _Rules()
    n = len(g.kinds)
    vals: list[Any] = [None] * n
    warnings: list[str] = []
    fallback: list[str] = []
    t0 = time.perf_counter()
    for i, kind in enumerate(g.kinds):
        if kind == INPUT:
            vals[i] = exact_number(values[g.names[i]], g.names[i])
        elif kind == CONST:
            vals[i] = _const_exact(g, i)
        else:
            op = g.ops[i]
            args = [vals[j] for j in g.args[i]]
            dummies, body, _ = rules.get(op, len(args), g, i)
            why = _explodes(sp, body, dummies, args)
            if why is None:
                v = _apply(body, dummies, args)
                if isinstance(v, sp.Rational) and _bits(sp, v) > EXACT_MAX_BITS:
                    why = f"about {_bits(sp, v) * math.log10(2):,.0f} digits"
            if why is not None:
                v = sp.Float(numeric_values[i])
                fallback.append(g.names[i])
                warnings.append(
                    f"--exact: {g.names[i]} = {g.text(i)} would be an exact number of {why}; "
                    f"using the float value {numeric_values[i]!r} from there on"
                )
            elif v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
                v = sp.Float(numeric_values[i])
            vals[i] = v
    # Backward, the same loop as the engine's: downstream = upstream x local, summed at branches.
    up: list[Any] = [None] * n
    up[g.output] = sp.Integer(1)
    for i in range(n - 1, -1, -1):
        if g.kinds[i] != GATE or up[i] is None:
            continue
        op = g.ops[i]
        a = g.args[i]
        args = [vals[j] for j in a]
        dummies, _, derivs = rules.get(op, len(a), g, i)
        for k, j in enumerate(a):
            if g.kinds[j] == CONST:
                continue
            loc = None
            row = numeric_locals[i]
            num_loc = None if row is None else row[k]
            if i in flags and num_loc is not None:
                loc = _rational_rule(sp, num_loc)  # the engine's named tie/kink rule
            else:
                why = _explodes(sp, derivs[k], dummies, args)
                if why is None:
                    loc = _apply(derivs[k], dummies, args)
                    if loc.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.Heaviside) and num_loc is not None:
                        loc = _rational_rule(sp, num_loc)
                elif num_loc is not None:
                    loc = sp.Float(num_loc)
                    warnings.append(
                        f"--exact: the local gradient of {g.names[i]} would be an exact number "
                        f"of {why}; using the float value"
                    )
                else:
                    loc = sp.nan
            contrib = up[i] * loc
            up[j] = contrib if up[j] is None else up[j] + contrib
    nodes = []
    for i, kind in enumerate(g.kinds):
        if kind == CONST:
            continue
        grad = up[i] if up[i] is not None else sp.Integer(0)
        nodes.append({"id": g.names[i], **_exact_pair(sp, vals[i], "value"), **_exact_pair(sp, grad, "grad")})
    gradients = {
        name: _exact_pair(sp, up[x] if up[x] is not None else sp.Integer(0), "value")
        for name, x in g.inputs.items()
    }
    return {
        "value": _exact_pair(sp, vals[g.output], "value"),
        "gradients": gradients,
        "nodes": nodes,
        "fallback": fallback,
        "warnings": warnings,
        "seconds": time.perf_counter() - t0,
    }


def _rational_rule(sp: Any, v: float) -> Any:
    """A tie/kink rule's float (0, 1, 1/2, 1/3 ...) back to the exact fraction it stands for."""
    if not math.isfinite(v):
        return sp.Float(v)
    f = Fraction(v).limit_denominator(1000)
    return sp.Rational(f.numerator, f.denominator)


def _exact_pair(sp: Any, v: Any, key: str) -> dict:
    """{'value': '7/12', 'value_decimal': 0.58333, 'value_latex': '\\frac{7}{12}'} for one number."""
    text = sp.sstr(v)
    if len(text) > 2000:
        text = text[:2000] + f"… ({len(text):,} characters)"
    latex = sp.latex(v) if len(text) <= 2000 else None
    try:
        dec = float(sp.N(v, 20))
    except (TypeError, ValueError):
        dec = float("nan")
    return {key: text, f"{key}_decimal": dec, f"{key}_latex": latex}


class _ExactArrays(_Arrays):
    """Exact mode over arrays: per element the same guards as for scalars (explosions fall back
    to the engine's floats for the whole node; at a kink or tie the engine's named rule)."""

    def __init__(
        self,
        g: Graph,
        rules: _Rules,
        limit: int,
        numeric_values: list[Any],
        numeric_down: list[tuple | None] | None,
        flags: dict[int, str],
        ties: str,
    ) -> None:
        super().__init__(g, rules, limit)
        self.nv, self.nd, self.flags, self.ties = numeric_values, numeric_down, flags, ties
        self.warnings: list[str] = []
        self.fallen: list[str] = []
        self._cache: dict[int, tuple] = {}

    def _floats(self, i: int, n: int) -> tuple[float, tuple]:
        hit = self._cache.get(i)
        if hit is None:
            np = _numpy()
            xs = np.broadcast_arrays(*[np.asarray(self.nv[j], dtype=float) for j in self.g.args[i]])
            shape = xs[0].shape
            out = np.broadcast_to(np.asarray(self.nv[i], dtype=float), shape).reshape(-1)
            hit = (out, [x.reshape(-1) for x in xs])
            self._cache[i] = hit
        out, xs = hit
        return float(out[n]), tuple(float(x[n]) for x in xs)

    def _rule(self, i: int, k: int, n: int) -> Any:
        """The engine's local gradient for this element (its tie/kink rule), as a fraction."""
        op = self.g.ops[i]
        assert op is not None
        out_f, xs_f = self._floats(i, n)
        try:
            loc = op.vjp(1.0, out_f, *xs_f, *((self.ties,) if op.ties else ()))
        except (ArithmeticError, ValueError):
            return self.sp.nan
        return _rational_rule(self.sp, float(loc[k]))

    def elem_forward(self, i: int, n: int, body: Any, dummies: tuple, els: tuple) -> Any:
        sp = self.sp
        why = _explodes(sp, body, dummies, list(els))
        if why is None:
            v = _apply(body, dummies, list(els))
            if isinstance(v, sp.Rational) and _bits(sp, v) > EXACT_MAX_BITS:
                why = f"about {_bits(sp, v) * math.log10(2):,.0f} digits"
        if why is not None:
            raise _Fallback(why)
        if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            v = sp.Float(self._floats(i, n)[0])
        return v

    def fallback(self, i: int, why: str) -> Any:
        sp = self.sp
        g = self.g
        self.fallen.append(g.names[i])
        self.warnings.append(
            f"--exact: {g.names[i]} = {g.text(i)} would hold an exact number of {why}; "
            "using the float values from there on"
        )
        v = self.nv[i]
        if not _is_arr(v):
            return sp.Float(float(v))
        return _from_flat([sp.Float(float(e)) for e in v.reshape(-1)], tuple(v.shape))

    def elem_local(self, i: int, k: int, n: int, deriv: Any, dummies: tuple, els: tuple) -> Any:
        sp = self.sp
        op = self.g.ops[i]
        assert op is not None
        if i in self.flags and op.kink is not None:
            out_f, xs_f = self._floats(i, n)
            if op.kink(out_f, *xs_f):
                return self._rule(i, k, n)
        why = _explodes(sp, deriv, dummies, list(els))
        if why is not None:
            self.warnings.append(
                f"--exact: the local gradient of {self.g.names[i]} would be an exact number of {why}; "
                "using the float value"
            )
            return sp.Float(float(self._rule(i, k, n)))
        loc = _apply(deriv, dummies, list(els))
        if loc.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.Heaviside):
            return self._rule(i, k, n)
        return loc

    def fix_down(self, i: int, k: int, down: Any) -> Any:
        sp = self.sp
        items = _flat(down)
        bad = [n for n, e in enumerate(items) if e.has(sp.nan, sp.zoo, sp.oo, -sp.oo)]
        if not bad or self.nd is None or self.nd[i] is None:
            return down
        row = self.nd[i]
        assert row is not None
        floats = _numpy().ravel(_numpy().asarray(row[k], dtype=float))
        for n in bad:
            items[n] = sp.Float(float(floats[n]))
        self.warnings.append(
            f"--exact: the gradient sent back by {self.g.names[i]} is not a finite exact number at a kink; "
            "using the engine's float value there"
        )
        return _from_flat(items, _shape(down))


def _exact_array_pair(sp: Any, v: Any, key: str) -> dict:
    """_exact_pair for a scalar or an array: text, decimals and LaTeX (nested lists for arrays)."""
    if not _is_arr(v):
        return _exact_pair(sp, v, key)
    pairs = [_exact_pair(sp, e, key) for e in _flat(v)]
    shape = _shape(v)
    text = _text(sp, v)
    if len(text) > 2000:
        text = text[:2000] + f"… ({len(text):,} characters)"
    return {
        key: text,
        f"{key}_decimal": _from_flat([p[f"{key}_decimal"] for p in pairs], shape).tolist(),
        f"{key}_latex": _latex(sp, v) if len(text) <= 2000 else None,
        f"{key}_elements": _from_flat([p[key] for p in pairs], shape).tolist(),
        f"{key}_shape": list(shape),
    }


def exact_array_report(
    g: Graph,
    values: dict[str, Any],
    numeric_values: list[Any],
    numeric_locals: list[tuple | None],
    flags: dict[int, str],
    numeric_down: list[tuple | None] | None = None,
    ties: str = O.DEFAULT_TIES,
) -> dict:
    """--exact when some input is an array: exact values and gradients element by element."""
    sp = _sp()
    rules = _Rules()
    t0 = time.perf_counter()
    limit = EXACT_MAX_ELEMENTS
    vals: list[Any] = [None] * len(g.kinds)
    for name, x in g.inputs.items():
        v = values[name]
        if _is_arr(v):
            if v.size > limit:
                raise _TooLarge(f"{name} has {v.size:,} elements, more than the limit of {limit:,}")
            vals[x] = _exact_elements(sp, name, v)
        else:
            vals[x] = exact_number(v, name)
    for i, kind in enumerate(g.kinds):
        if kind == CONST:
            vals[i] = _const_exact(g, i)
    engine = _ExactArrays(g, rules, limit, numeric_values, numeric_down, flags, ties)
    engine.forward(vals)
    adj = engine.backward(vals)
    zero = sp.Integer(0)

    def grad_of(i: int) -> Any:
        if adj[i] is not None:
            return adj[i]
        return _from_flat([zero] * len(_flat(vals[i])), _shape(vals[i]))

    nodes = [
        {
            "id": g.names[i],
            **_exact_array_pair(sp, vals[i], "value"),
            **_exact_array_pair(sp, grad_of(i), "grad"),
        }
        for i, kind in enumerate(g.kinds)
        if kind != CONST
    ]
    return {
        "value": _exact_array_pair(sp, vals[g.output], "value"),
        "gradients": {name: _exact_array_pair(sp, grad_of(x), "value") for name, x in g.inputs.items()},
        "nodes": nodes,
        "fallback": engine.fallen,
        "warnings": engine.warnings,
        "seconds": time.perf_counter() - t0,
    }


# --- running with a time limit ----------------------------------------------------


def _work(task: str, expression: str, given: list[str], expand: bool, args: tuple) -> Iterator[tuple]:
    from .graph import compile_text

    g = compile_text(expression, set(given), expand=expand)
    if task == "symbolic":
        yield from symbolic_report(g, *args)
    else:
        yield ("exact", exact_report(g, *args))


DEEP_STACK = 512 * 1024 * 1024  # bytes of (virtual) stack for the thread that runs SymPy
DEEP_RECURSION = 200_000


def _deep(fn: Any) -> Any:
    """Run ``fn()`` in a thread with a large stack and recursion limit: SymPy's own algorithms
    (printing, evaluation, cse) recurse over a formula's depth, and a 1,000-gate expression can
    be hundreds of levels deep.  backcalc's loops never recurse; this is for SymPy's."""
    import sys
    import threading

    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as e:  # handed back to the caller's thread
            box["error"] = e

    old_limit = sys.getrecursionlimit()
    old_size = threading.stack_size()
    try:
        threading.stack_size(DEEP_STACK)
        sys.setrecursionlimit(max(old_limit, DEEP_RECURSION))
        t = threading.Thread(target=target, name="backcalc-sympy", daemon=True)
        t.start()
    finally:
        threading.stack_size(old_size)
    try:
        t.join()
    finally:
        sys.setrecursionlimit(old_limit)
    if "error" in box:
        raise box["error"]
    return box["value"]


def _child(conn: Any, task: str, expression: str, given: list[str], expand: bool, args: tuple) -> None:
    try:

        def produce() -> None:
            for item in _work(task, expression, given, expand, args):
                conn.send(item)

        _deep(produce)
        conn.send(("end",))
    except BackcalcError as e:
        conn.send(("error", e.message, e.hint))
    except RecursionError:
        conn.send(("error", "the formula is nested too deeply for SymPy", None))
    except Exception as e:  # reported to the parent, which turns it into a clear error
        conn.send(("error", f"SymPy failed ({type(e).__name__}: {e})", None))
    finally:
        conn.close()


def run_bounded(
    task: str, expression: str, given: list[str], expand: bool, args: tuple, timeout: float | None
) -> tuple[list[tuple], str | None]:
    """Run ``task`` ('symbolic' or 'exact') and return (messages, why it stopped or None).

    With a timeout the work runs in a child process (fork where the platform has it);
    the parent waits on a pipe until the deadline and then kills the child: SymPy is
    pure Python and C big-number code, and only a process can be stopped in the middle
    of either.  Without a timeout it runs here, in this process.
    """
    if timeout is None or timeout <= 0:
        try:
            return _deep(lambda: list(_work(task, expression, given, expand, args))), None
        except RecursionError:
            raise BackcalcError("the formula is nested too deeply for SymPy") from None
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx: Any = mp.get_context(method)
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, task, expression, given, expand, args), daemon=True)
    proc.start()
    child.close()
    items: list[tuple] = []
    deadline = time.monotonic() + timeout
    stopped: str | None = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not parent.poll(left):
                stopped = f"stopped after {timeout:g} s (--timeout {timeout:g})"
                break
            try:
                item = parent.recv()
            except EOFError:
                stopped = "the SymPy worker ended without an answer"
                break
            if item[0] == "end":
                break
            if item[0] == "error":
                raise BackcalcError(item[1], hint=item[2])
            items.append(item)
    finally:
        if proc.is_alive():
            proc.terminate()
            proc.join(1.0)
            if proc.is_alive():
                proc.kill()
        proc.join()
        parent.close()
    return items, stopped


def symbolic(
    expression: str,
    values: dict[str, Any],
    numeric: dict[str, Any],
    *,
    expand: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> dict:
    """The ``Result.symbolic`` record for an expression at ``values`` (floats or number texts)."""
    items, stopped = run_bounded("symbolic", expression, list(values), expand, (values, numeric), timeout)
    return collect_symbolic(items, stopped=stopped)


def exact(
    expression: str,
    values: dict[str, Any],
    numeric_values: list[Any],
    numeric_locals: list[tuple | None],
    flags: dict[int, str],
    *,
    expand: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    numeric_down: list[tuple | None] | None = None,
    ties: str = O.DEFAULT_TIES,
) -> dict:
    """The ``Result.exact`` record; when the time limit stops it, {'complete': False, 'stopped': ...}.
    Arrays larger than ``EXACT_MAX_ELEMENTS`` give {'complete': False, 'too_large': why}."""
    items, stopped = run_bounded(
        "exact",
        expression,
        list(values),
        expand,
        (values, numeric_values, numeric_locals, flags, numeric_down, ties),
        timeout,
    )
    if stopped is not None or not items:
        return {
            "complete": False,
            "stopped": stopped or "no answer",
            "gradients": {},
            "nodes": [],
            "warnings": [],
        }
    rec = items[0][1]
    if rec.get("too_large"):
        rec["complete"] = False
        rec["stopped"] = _too_large_record_text(rec["too_large"], "exact values")
        return rec
    rec["complete"] = True
    rec["stopped"] = None
    return rec


__all__: list[str] = [
    "symbolic",
    "exact",
    "symbolic_report",
    "exact_report",
    "exact_scalar",
    "exact_number",
    "run_bounded",
    "DEFAULT_TIMEOUT",
]
