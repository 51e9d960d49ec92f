"""Symbolic derivatives: the one interpreter over SymPy formulas, and the record it produces.

Inputs become ``sp.Symbol`` (array inputs: their element symbols ``W[0, 1]``), constants
exact numbers, and ``graph.forward``/``graph.backward`` run with
:class:`~backcalc.domains.SymbolicDomain`: each gate's formula and each gradient come from
the op's own forward and VJP rules, so the formula and the numeric gradient cannot follow
two different derivatives.  A comparison (max, relu, abs, a tie) is decided at the given
point, as the float run decided it: the formulas hold where it falls the same way.

Small graphs get ``simplify``; large ones the derivative as a program over the graph's
nodes (n5 = exp(n4), g_n4 = ...) with common subexpressions factored out.  The chain rule
is written node by node from the gates' local gradients (the same run, over node symbols).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from .chainrule import _chains, _is_arr, _latex, _steps, _strings, _text
from .domains import Budget, SymbolicDomain, SymbolicNS, TooLarge
from .engine import GATE, Graph
from .errors import Msg
from .exact import exact_number
from .limits import (
    LARGE_GATES,
    SIMPLIFY_BUDGET,
    SIMPLIFY_MAX_OPS,
    SYMBOLIC_MAX_ELEMENTS,
)
from .records import optional

AGREE_RTOL = 1e-9


def _sp() -> Any:
    import sympy

    return sympy


# --- the records ------------------------------------------------------------------------------


@dataclass
class GradientFormula:
    """One input's gradient as a formula, its value at the point, and the chain rule it came from."""

    formula: str
    latex: str
    simplified: bool
    value: Any  # the formula evaluated at the point (nested lists for arrays)
    numeric: Any  # the float engine's gradient it is checked against
    agrees: bool | None
    chain: str = ""
    chain_latex: str = ""
    chain_locals: str = ""
    chain_locals_latex: str | None = optional()
    paths: int | None = optional()
    chain_form: str | None = optional()  # 'paths', 'one step' or 'steps'
    steps: int | None = optional()
    shape: list[int] | None = optional()
    formulas: Any = optional()  # arrays: one formula per element (nested lists)
    mismatches: list[list[int]] | None = optional()


@dataclass
class Program:
    """Large graphs: the derivative as definitions over the graph's nodes."""

    forward: list[list[str]]
    replacements: list[list[str]]
    backward: list[list[str]]
    note: str


@dataclass
class SymbolicReport:
    """``Result.symbolic``: the output as a formula and each input's gradient as one."""

    complete: bool
    stopped: str | None = None
    gradients: dict[str, GradientFormula] = field(default_factory=dict)
    output: str | None = optional()
    method: str | None = optional()  # 'simplify', 'cse' or 'elementwise'
    gates: int | None = optional()
    formula: str | None = optional()
    latex: str | None = optional()
    shape: list[int] | None = optional()
    cse: Program | None = optional()
    seconds: float | None = optional()
    too_large: str | None = optional()
    decided: str | None = optional()  # where comparisons were decided at the point


# --- helpers ----------------------------------------------------------------------------------


def _simplify(sp: Any, d: Any) -> Any:
    """simplify(), unless it brings in functions the formula did not use (sigmoid's derivative
    rewritten with cosh is shorter but no longer the lecture's (1 - sigma) sigma)."""
    s = sp.simplify(d)
    before = {type(f) for f in d.atoms(sp.Function)}
    if {type(f) for f in s.atoms(sp.Function)} - before:
        return d
    return s


def _to_float(v: Any) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None  # not a real number


def _agrees(val: float | None, num: Any) -> bool | None:
    if val is None or type(num) is not float or not math.isfinite(num):
        return None
    return abs(val - num) <= AGREE_RTOL * max(1.0, abs(num))


# --- the report -------------------------------------------------------------------------------


def report(
    g: Graph,
    given: dict[str, Any],
    numeric: Any,
    numeric_bwd: Any,
    gradients: dict[str, Any],
    *,
    ties: str,
    budget: Budget,
) -> SymbolicReport:
    """The symbolic record of ``g`` at the point ``given`` (texts, numbers or arrays);
    ``numeric``/``numeric_bwd`` are the float run, ``gradients`` its reported gradients."""
    import numpy as np

    sp = _sp()
    t0 = time.perf_counter()
    point: dict[Any, Any] = {}
    syms: dict[str, Any] = {}
    arrays = False
    for name in g.inputs:
        v = given[name]
        exact = exact_number(v, name)
        if _is_arr(exact):
            arrays = True
            if exact.size > SYMBOLIC_MAX_ELEMENTS:
                return _too_large(
                    g,
                    Msg(
                        "symbolic.too_many_elements", name=name, size=exact.size, limit=SYMBOLIC_MAX_ELEMENTS
                    ),
                )
            base = sp.IndexedBase(name, real=True)
            arr = np.empty(exact.shape, dtype=object)
            for idx in np.ndindex(exact.shape):
                arr[idx] = base[idx]
                point[arr[idx]] = exact[idx]
            syms[name] = arr
        else:
            syms[name] = sp.Symbol(name, real=True)
            point[syms[name]] = exact
    gates = sum(1 for k in g.kinds if k == GATE)
    decided = _decided(g)

    def domain(**kw: Any) -> SymbolicDomain:
        return SymbolicDomain(
            SymbolicNS(dict(point), ties),
            budget,
            numeric,
            numeric_bwd,
            max_elements=SYMBOLIC_MAX_ELEMENTS,
            **kw,
        )

    try:
        if arrays:
            rec = _elementwise(g, sp, syms, point, domain(), gradients, budget)
        elif gates > LARGE_GATES:
            rec = _program(g, sp, syms, point, domain(names=True, program=True), gradients)
        else:
            rec = _formulas(g, sp, syms, point, domain(), domain(names=True), gradients)
    except TooLarge as e:
        return _too_large(g, str(e))
    rec.gates = gates
    rec.decided = decided
    rec.seconds = time.perf_counter() - t0
    return rec


def _stopped(rec: SymbolicReport, budget: Budget) -> bool:
    """Past the time limit: the record keeps the formulas finished so far and says why."""
    if not budget.expired():
        return False
    rec.complete, rec.stopped = False, budget.why
    return True


def _decided(g: Graph) -> str | None:
    """Which gates compare (max, relu, abs ...): their formulas hold where they are decided as here."""
    names = sorted({op.name for op in g.ops if op is not None and op.kink is not None})
    if not names:
        return None
    return Msg("symbolic.decided_1" if len(names) == 1 else "symbolic.decided", names=", ".join(names))


def _too_large(g: Graph, why: str) -> SymbolicReport:
    return SymbolicReport(
        complete=False,
        stopped=Msg("symbolic.not_built", why=why),
        output=g.names[g.output],
        method="elementwise",
        too_large=why,
    )


def _formulas(
    g: Graph,
    sp: Any,
    syms: dict,
    point: dict,
    dom: SymbolicDomain,
    local_dom: SymbolicDomain,
    gradients: dict,
) -> SymbolicReport:
    """Small scalar graphs: each gradient as one simplified formula in the inputs."""
    from .engine import backward, forward

    fwd = forward(g, syms, dom)
    bwd = backward(g, fwd, domain=dom)
    chains = _chains(g, sp, _locals(g, syms, local_dom))
    out = fwd.values[g.output]
    rec = SymbolicReport(
        complete=True, output=g.names[g.output], method="simplify", formula=sp.sstr(out), latex=sp.latex(out)
    )
    dom.budget.partial = rec
    for name, x in g.inputs.items():
        if _stopped(rec, dom.budget):
            break
        d = bwd.upstream[x]
        simplified = False
        if sp.count_ops(d) <= SIMPLIFY_MAX_OPS:
            d, simplified = _simplify(sp, d), True
        val = _to_float(d.xreplace(point).evalf(30))
        rec.gradients[name] = _gradient(sp, d, val, gradients.get(name), chains[name], simplified)
    return rec


def _gradient(sp: Any, d: Any, val: float | None, num: Any, chain: dict, simplified: bool) -> GradientFormula:
    return GradientFormula(
        formula=sp.sstr(d),
        latex=sp.latex(d),
        simplified=simplified,
        value=val,
        numeric=num,
        agrees=_agrees(val, num),
        **chain,
    )


def _locals(g: Graph, syms: dict, dom: SymbolicDomain) -> list:
    """Each gate's local gradients over the node symbols (∂n5/∂n4 = n5 for exp): a run of the
    interpreter in which every gate's value is its own name."""
    from .engine import backward, forward

    fwd = forward(g, syms, dom)
    return backward(g, fwd, domain=dom).local


def _program(
    g: Graph, sp: Any, syms: dict, point: dict, dom: SymbolicDomain, gradients: dict
) -> SymbolicReport:
    """Large graphs: the derivative as a program over common subexpressions, in linear time.

    Writing a 1,000-gate derivative as one formula in the inputs repeats shared pieces
    exponentially and makes SymPy's tree algorithms crawl.  Instead every gate is one
    subexpression named by its node (n5 = exp(n4)), every upstream gradient that is more than
    a name is one more (g_n4 = -g_n5*exp(n4)), and each input's derivative is a short formula
    over them; ``sp.cse`` then factors out what the backward definitions still repeat."""
    from .engine import backward, forward

    dom.taken = set(g.names)
    fwd = forward(g, syms, dom)
    bwd = backward(g, fwd, domain=dom)
    fwd_defs, back_defs = dom.definitions, dom.upstreams
    inputs = list(g.inputs)
    formulas = [bwd.upstream[g.inputs[x]] for x in inputs]
    taken = set(g.names) | {str(s) for s, _ in back_defs}
    prefix = next(p for p in ("c", "cse", "cse_") if not any(t.startswith(p) for t in taken))
    back_rhs = [rhs for _, rhs in back_defs]
    dom.budget.check()
    repl, reduced = sp.cse(back_rhs + formulas, symbols=sp.numbered_symbols(prefix, real=True), order="none")
    back_defs = [(s, rhs) for (s, _), rhs in zip(back_defs, reduced[: len(back_defs)])]
    formulas = reduced[len(back_defs) :]
    # Evaluate: inputs -> every gate -> cse pieces and upstream names as they become computable.
    env: dict[Any, Any] = {syms[name]: sp.Float(point[syms[name]], 30) for name in g.inputs}
    for s, rhs in fwd_defs:
        env[s] = rhs.xreplace(env).evalf(30)
    pending = list(repl) + back_defs
    while pending:
        dom.budget.check()
        left = []
        for s, rhs in pending:
            if rhs.free_symbols <= env.keys():
                env[s] = rhs.xreplace(env).evalf(30)
            else:
                left.append((s, rhs))
        if len(left) == len(pending):  # pragma: no cover - would be a bug in the ordering above
            raise RuntimeError("internal: the derivative program refers to an undefined name")
        pending = left
    chains = _chains(g, sp, bwd.local)
    out = fwd_defs[-1][1] if fwd_defs else fwd.values[g.output]
    rec = SymbolicReport(
        complete=True,
        output=g.names[g.output],
        method="cse",
        formula=sp.sstr(out),
        latex=sp.latex(out),
        cse=Program(
            forward=[[str(s), sp.sstr(rhs)] for s, rhs in fwd_defs],
            replacements=[[str(s), sp.sstr(rhs)] for s, rhs in repl],
            backward=[[str(s), sp.sstr(rhs)] for s, rhs in back_defs],
            note="n* are the graph's nodes, g_* their upstream gradients (d output / d node), "
            f"{prefix}* common subexpressions found by sympy.cse",
        ),
    )
    for name, d in zip(inputs, formulas):
        val = _to_float(d.xreplace(env).evalf(30))
        rec.gradients[name] = _gradient(sp, d, val, gradients.get(name), chains[name], simplified=False)
    return rec


# --- arrays: one formula per element --------------------------------------------------------


def _elementwise(
    g: Graph, sp: Any, syms: dict, point: dict, dom: SymbolicDomain, gradients: dict, budget: Budget
) -> SymbolicReport:
    import numpy as np

    from .engine import backward, forward

    fwd = forward(g, syms, dom)
    bwd = backward(g, fwd, domain=dom)
    vals, adj = fwd.values, bwd.upstream
    out = vals[g.output]
    rec = SymbolicReport(
        complete=True,
        output=g.names[g.output],
        method="elementwise",
        shape=list(out.shape) if _is_arr(out) else [],
        formula=_text(sp, out),
        latex=_latex(sp, out),
    )
    stop = time.perf_counter() + SIMPLIFY_BUDGET
    budget.partial = rec
    for name, x in g.inputs.items():
        if _stopped(rec, budget):
            break
        d = adj[x]
        simplified = True
        items = []
        for el in d.flat if _is_arr(d) else [d]:
            if time.perf_counter() < stop and sp.count_ops(el) <= SIMPLIFY_MAX_OPS:
                el = _simplify(sp, el)
            else:
                simplified = False
            items.append(el)
        if _is_arr(d):
            arr = np.empty(d.shape, dtype=object)
            for k, el in enumerate(items):
                arr.flat[k] = el
            d = arr
        else:
            d = items[0]
        got = [_to_float(el.xreplace(point).evalf(30)) for el in items]
        grad = _array_gradient(sp, d, got, gradients.get(name))
        grad.simplified = simplified
        for k, v in _steps(g, sp, adj, x).items():
            setattr(grad, k, v)
        rec.gradients[name] = grad
    return rec


def _array_gradient(sp: Any, d: Any, got: list, num: Any) -> GradientFormula:
    import numpy as np

    shape = tuple(d.shape) if _is_arr(d) else ()
    value: Any = got[0] if not shape else np.array(got, dtype=object).reshape(shape).tolist()
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
    return GradientFormula(
        formula=_text(sp, d),
        latex=_latex(sp, d),
        simplified=True,
        value=value,
        numeric=num,
        agrees=agrees,
        shape=list(shape),
        formulas=_strings(sp, d) if shape else None,
        mismatches=mismatches[:20] or None,
    )
