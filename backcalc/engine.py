"""Tree -> graph, then forward and backward passes over it, all as plain loops.

The graph stores its nodes in parallel lists, already in topological order
(every node after its inputs), so forward is one loop and backward is one loop
in reverse: no recursion, whatever the depth.  ``backward`` returns the
gradients as data (each node's upstream and the parts it was summed from) and
never mutates the graph, so running it twice gives the same answer.
"""

from __future__ import annotations

import difflib
import gc
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import ops as O
from .array_ops import broadcast_notes
from .domains import Domain
from .errors import BackcalcError, Msg
from .limits import TEXT_MAX
from .parse import Positions, Program, parse
from .syntax import BINARY_OPS as _BINARY_OPS
from .syntax import UNARY_OPS as _UNARY_OPS

INPUT, CONST, GATE = "input", "const", "op"


@dataclass
class Graph:
    source: str
    names: list[str] = field(default_factory=list)  # unique id of each node
    kinds: list[str] = field(default_factory=list)  # INPUT | CONST | GATE
    ops: list[O.Op | None] = field(default_factory=list)
    args: list[tuple[int, ...]] = field(default_factory=list)
    # where each node comes from, as (first, last) token indices into the source
    # (see :attr:`spans` for characters), or None for nodes with no text
    tspans: list[tuple[int, int] | None] = field(default_factory=list)
    consts: dict[int, float] = field(default_factory=dict)
    inputs: dict[str, int] = field(default_factory=dict)  # variable name -> node
    named: set[int] = field(default_factory=set)  # nodes the user named (q = ...)
    expanded_from: dict[int, str] = field(default_factory=dict)  # node -> compound op it came from
    output: int = -1
    shadowed: list[str] = field(default_factory=list)  # variables named like a function (dot = ...)
    positions: Positions | None = field(default=None, repr=False)
    _spans: list[tuple[int, int] | None] | None = field(default=None, repr=False)
    _scalar_only: tuple[int, bool] | None = field(default=None, repr=False)
    # (gate, reduction) pairs the wrong-axis warning looks at (array_ops.broadcast_notes), found once
    _reduced_uses: tuple[int, list] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.kinds)

    def add(self, kind: str, op: O.Op | None, args: tuple[int, ...], tspan, name: str = "") -> int:
        self.names.append(name)
        self.kinds.append(kind)
        self.ops.append(op)
        self.args.append(args)
        self.tspans.append(tspan)
        self._spans = None
        return len(self.kinds) - 1

    @property
    def spans(self) -> list[tuple[int, int] | None]:
        """Each node's (start, end) character range in the source (None: no text)."""
        if self._spans is None or len(self._spans) != len(self.tspans):
            pos = self.positions if self.positions is not None else Positions(self.source)
            span = pos.span
            self._spans = [None if t is None else span(t[0], t[1]) for t in self.tspans]
        return self._spans

    def scalar_only(self) -> bool:
        """Every gate a scalar op (no array op such as matmul or sum)?"""
        if self._scalar_only is None or self._scalar_only[0] != len(self.ops):
            ok = all(op is None or (op.shapes is None and not op.array_op) for op in self.ops)
            self._scalar_only = (len(self.ops), ok)
        return self._scalar_only[1]

    def span(self, i: int) -> tuple[int, int] | None:
        t = self.tspans[i]
        if t is None:
            return None
        if self._spans is not None and len(self._spans) == len(self.tspans):
            return self._spans[i]
        pos = self.positions if self.positions is not None else Positions(self.source)
        return pos.span(t[0], t[1])

    def text(self, i: int) -> str:
        """The source text a node came from (or its formula, for generated gates).

        Long texts are shortened around an ellipsis ('…'): the span still gives the
        exact range, and a 100,000-term sum must not cost O(n^2) characters."""
        span = self.span(i) if i not in self.expanded_from else None
        if span is not None:
            a, b = span
            if b - a > TEXT_MAX:
                half = TEXT_MAX // 2
                return self.source[a : a + half] + "…" + self.source[b - half : b]
            return self.source[a:b]
        return self.formula(i)

    def formula(self, i: int) -> str:
        """The gate written over its input ids: 'x + y', 'n1 * z', 'max(z, w)'."""
        op = self.ops[i]
        if op is None:
            return self.names[i]
        names = [self.names[j] for j in self.args[i]]
        return op.plain.format(*names, args=", ".join(names))


class _Builder:
    """Adds gates to a graph; what op expansions (``Op.expand``) are written against."""

    def __init__(self, graph: Graph, tspan, origin: str, consts: dict[str, int]) -> None:
        self.graph, self.tspan, self.origin, self._consts = graph, tspan, origin, consts

    def __call__(self, op_name: str, *args: int) -> int:
        i = self.graph.add(GATE, O.OPS[op_name], args, self.tspan)
        self.graph.expanded_from[i] = self.origin
        return i

    def const(self, value: float) -> int:
        return _const(self.graph, self._consts, _number_text(value), value, None)


def _number_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e16 else repr(v)


def _const(g: Graph, table: dict[str, int], text: str, value: float, tspan) -> int:
    """The constant node written ``text`` (one node per distinct text)."""
    i = table.get(text)
    if i is None:
        i = table[text] = g.add(CONST, None, (), tspan, text)
        g.consts[i] = value
    return i


def build(program: Program, given: frozenset[str] | set[str] = frozenset(), *, expand: bool = False) -> Graph:
    """Turn a parsed program into a graph.  ``given`` holds the names that have values,
    which decides whether ``pi`` and ``e`` are constants or variables.

    The program's nodes become the graph's nodes one for one (the parser already shares
    one node per name and number), so the graph reuses its lists; ``expand`` splits
    compound gates into several.  A name that is also a function (``dot``) is a variable
    where it is not called: assigned (``dot = w0*x0 + w1*x1``) or given a value; the
    graph lists it in ``shadowed``.  One tight loop: this runs once per node."""
    src = program.source
    g = Graph(src, positions=program.positions)
    kinds, texts, pargs, toks = program.kinds, program.texts, program.args, program.toks
    if expand:  # expansions add nodes: map program nodes to graph nodes
        node_of: list[int] | None = [0] * len(kinds)
        consts: dict[str, int] = {}  # number text -> its graph node, shared with the expansions
    else:
        node_of = None
        g.args = list(pargs)
        g.tspans = list(toks)
        consts = {}
    inputs = g.inputs
    constants = O.CONSTANTS
    binary_op = {s: O.OPS.get(name) for s, name in _BINARY_OPS.items()}
    unary_op = {s: O.OPS[name] for s, name in _UNARY_OPS.items()}
    functions: dict[str, O.Op | None] = {}
    fnames = O.function_name_set()
    g_names, g_kinds, g_ops, g_consts = g.names, g.kinds, g.ops, g.consts

    def err(msg: str, k: int, **kw) -> BackcalcError:
        return BackcalcError(msg, source=src, span=program.span(k), **kw)

    def function(name: str) -> O.Op | None:
        if name not in functions:
            functions[name] = O.lookup_function(name)
        return functions[name]

    # An error at a node is raised when its statement is reached (after the checks of the
    # statements before it), as a reader meets it.
    pending: tuple[int, BackcalcError] | None = None
    k = 0
    try:
        for k, kind in enumerate(kinds):
            text = texts[k]
            if kind == "name":
                if text in constants and text not in given:
                    g_consts[len(g_kinds)] = constants[text]
                    g_kinds.append(CONST)
                else:
                    if text in fnames and text not in given:
                        raise err(Msg("engine.is_function", name=text), k)
                    inputs[text] = len(g_kinds)
                    g_kinds.append(INPUT)
                g_names.append(text)
                g_ops.append(None)
            elif kind == "num":
                if node_of is not None:
                    if text in consts:  # an expansion wrote this number first
                        node_of[k] = consts[text]
                        continue
                    consts[text] = len(g_kinds)
                g_consts[len(g_kinds)] = float(text)
                g_kinds.append(CONST)
                g_names.append(text)
                g_ops.append(None)
            else:
                if kind == "binary":
                    op = binary_op[text]
                    if op is None:  # pragma: no cover - every operator has an op
                        raise err(f"'{text}' is not available yet", k)
                elif kind == "unary":
                    op = unary_op[text]
                else:
                    fop = function(text)
                    if fop is None:
                        raise _unknown_function(text, program.span(k), src)
                    op = fop
                    n_args = len(pargs[k])
                    if not op.accepts(n_args):
                        raise err(Msg("engine.arity", name=text, takes=op.arity_text(), got=n_args), k)
                    for p in op.const_args:
                        if p < n_args and not _constant_only(program, pargs[k][p]):
                            raise err(
                                Msg("engine.axis_constant", name=op.name),
                                pargs[k][p],
                                hint=Msg("engine.axis_hint"),
                            )
                if node_of is not None:
                    args = tuple([node_of[a] for a in pargs[k]])
                    if op.expand is not None:
                        node_of[k] = op.expand(_Builder(g, toks[k], op.name, consts), *args)
                        continue
                    g.args.append(args)
                    g.tspans.append(toks[k])
                g_kinds.append(GATE)
                g_names.append("")
                g_ops.append(op)
            if node_of is not None:
                node_of[k] = len(g_kinds) - 1
                if kind != "binary" and kind != "unary" and kind != "call":
                    g.args.append(())
                    g.tspans.append(toks[k])
    except BackcalcError as e:
        pending = (k, e)
    _statements(g, program, given, node_of, pending)
    g.shadowed += [n for n in inputs if n in fnames]
    return g


def _statements(
    g: Graph, program: Program, given, node_of: list[int] | None, pending: tuple[int, BackcalcError] | None
) -> None:
    """Name each statement's value (q = ...), check the statements, and name the gates.
    ``pending``: an error at a program node, raised at the statement it belongs to."""
    fnames = O.function_name_set()
    assigned: dict[str, int] = {}
    last = len(program.roots) - 1
    for s_index, (t, root_k) in enumerate(zip(program.targets, program.roots)):
        if pending is not None and pending[0] <= root_k:
            raise pending[1]
        root = root_k if node_of is None else node_of[root_k]
        if t is None:
            if s_index != last:
                raise BackcalcError(
                    Msg("engine.unused_statement"),
                    source=program.source,
                    span=program.statements[s_index].span,
                )
        else:
            if t in assigned or t in g.inputs or t in given:
                _bad_target(g, program, s_index, t, assigned, given)
            if t in fnames:
                g.shadowed.append(t)
            assigned[t] = root
            if g.kinds[root] == GATE and root not in g.named:
                g.names[root] = t
                g.named.add(root)
    g.output = program.roots[last] if node_of is None else node_of[program.roots[last]]
    _name_gates(g, assigned)


def _bad_target(g: Graph, program: Program, s: int, t: str, assigned: dict, given) -> None:
    span = program.statements[s].target_span
    src = program.source
    if t in assigned:
        raise BackcalcError(
            Msg("engine.assigned_twice", name=t),
            source=src,
            span=span,
            hint=Msg("engine.assigned_twice_hint"),
        )
    if t in g.inputs:
        raise BackcalcError(
            Msg("engine.used_before", name=t),
            source=src,
            span=g.span(g.inputs[t]),
            hint=Msg("engine.used_before_hint", name=t),
        )
    raise BackcalcError(
        Msg("engine.computed_and_given", name=t),
        source=src,
        span=span,
        hint=Msg("engine.computed_and_given_hint", name=t),
    )


def _constant_only(program: Program, k: int) -> bool:
    """True when program node k is computed from written numbers alone (2, -1, 2*3), never from a name."""
    stack = [k]
    while stack:
        j = stack.pop()
        if program.kinds[j] == "name" and program.texts[j] not in O.CONSTANTS:
            return False
        stack.extend(program.args[j])
    return True


def _unknown_function(name: str, call_span: tuple[int, int], src: str) -> BackcalcError:
    from .errors import Msg
    from .syntax import FUNCTION_SPELLINGS

    names = O.function_names()
    known = ", ".join(names)
    right = FUNCTION_SPELLINGS.get(name) or FUNCTION_SPELLINGS.get(name.lower())
    close = difflib.get_close_matches(name, names, n=1)
    if right is not None and right in names:
        hint = Msg("engine.spelling_hint", right=right)
    elif close:
        hint = Msg("engine.close_function", call=f"{close[0]}(...)", known=known)
    else:
        hint = Msg("engine.known_functions", known=known)
    span = (call_span[0], call_span[0] + len(name))
    return BackcalcError(Msg("engine.unknown_function", name=name), source=src, span=span, hint=hint)


def _name_gates(g: Graph, assigned: dict[str, int]) -> None:
    taken = set(g.inputs) | set(assigned) | {g.names[i] for i in g.consts}
    out = g.output
    if g.kinds[out] == GATE and out not in g.named:
        for cand in ("f", "out", "f_out"):
            if cand not in taken:
                g.names[out] = cand
                taken.add(cand)
                break
        else:  # pragma: no cover - needs all three names taken
            g.names[out] = "f"
    counter = 0
    names = g.names
    for i, kind in enumerate(g.kinds):
        if kind == GATE and not names[i]:
            counter += 1
            name = "n" + str(counter)
            while name in taken:
                counter += 1
                name = "n" + str(counter)
            names[i] = name


# --- forward ------------------------------------------------------------------


@dataclass
class Forward:
    values: list[Any]
    warnings: list[str]


def _is_float(v: Any) -> bool:
    return type(v) is float


def _retry_with_numpy(fn, ns: Any, *args: Any) -> Any:
    """Recompute a scalar rule that raised (overflow, inf - inf ...) the IEEE way: inf/nan."""
    import numpy as np

    def f64(x: Any) -> Any:
        return np.float64(x) if type(x) is float else x

    with np.errstate(all="ignore"):
        out = fn(ns, *[tuple(f64(v) for v in a) if type(a) is tuple else f64(a) for a in args])
    if isinstance(out, tuple):
        return tuple(float(v) if v is not None and np.ndim(v) == 0 else v for v in out)
    return float(out) if np.ndim(out) == 0 else out


FLOATS = Domain()  # the default domain: floats (numpy for array nodes), tie rule 'split'


def forward(g: Graph, values: dict[str, Any], domain: Domain | None = None, *, notes: bool = True) -> Forward:
    """Evaluate every node.  ``values`` must hold a value for every input (of the domain's
    kind: floats and arrays, exact numbers, or formulas).  ``notes=False`` skips the notes
    about arrays (a non-finite result, a reduction broadcast back along another axis): for a
    caller that never reads them and checks what it needs itself (training checks its loss)."""
    dom: Any = FLOATS if domain is None else domain
    n = len(g.kinds)
    vals: list[Any] = [None] * n
    warnings: list[str] = []
    ops, args = g.ops, g.args
    for name, i in g.inputs.items():
        vals[i] = values[name]
    for i, v in g.consts.items():
        vals[i] = v if not dom.exact_or_symbolic else dom.constant(g, i)
    F = dom.scalar if not dom.exact_or_symbolic else None
    if F is not None and g.scalar_only() and all(type(vals[i]) is float for i in g.inputs.values()):
        _forward_floats(g, vals, dom, warnings)
        return _forward_done(g, vals, warnings)
    quiet = _Quiet()  # numpy's floating-point warnings off, once per pass
    try:
        for i in range(n):
            op = ops[i]
            if op is None:
                continue
            xs = tuple(vals[j] for j in args[i])
            if F is None:  # exact numbers or formulas: the domain's limits and fallbacks
                vals[i] = dom.forward_node(g, i, op, xs)
                continue
            scalar = all(type(x) is float for x in xs)
            if op.shapes is not None or not scalar:
                msg = O.shape_error(op, xs)
                if msg is not None:
                    raise _shape_mismatch(g, i, xs, msg)
            if op.domain is not None:
                msg = op.domain(*xs)
                if msg is not None:
                    raise BackcalcError(
                        Msg("engine.domain", detail=msg, text=g.text(i)), source=g.source, span=g.span(i)
                    )
            if scalar:
                try:
                    out = op.forward(F, *xs)
                except (OverflowError, ValueError, ZeroDivisionError):
                    out = _retry_with_numpy(op.forward, dom.array, *xs)
            else:
                quiet.enter()  # overflow and nan are reported as warnings, once, below
                out = op.forward(dom.array, *xs)
            if type(out) is float:
                if out - out != 0.0 and all(x - x == 0.0 for x in xs if type(x) is float):
                    warnings.append(_nonfinite_note(g, i, out))
            elif type(out) is int:  # pragma: no cover - ops return floats
                out = float(out)
            elif op.moves:  # the input's elements, moved: finite exactly when the input is
                pass
            elif notes:
                out = _check_array(g, i, out, xs, warnings)
            elif getattr(out, "ndim", 1) == 0:
                out = float(out)
            vals[i] = out
    finally:
        quiet.exit()
    if F is not None and notes and not g.scalar_only():
        warnings += broadcast_notes(g, vals)
    return _forward_done(g, vals, warnings)


def _forward_done(g: Graph, vals: list[Any], warnings: list[str]) -> Forward:
    out = vals[g.output]
    if (
        warnings
        and g.kinds[g.output] == GATE
        and not _all_finite(out)
        and g.names[g.output] + " =" not in warnings[-1]
    ):
        key = "engine.output_nan" if not _has_inf(out) else "engine.output_inf"
        warnings.append(Msg(key, name=g.names[g.output]))
    return Forward(vals, warnings)


_RETRY = (OverflowError, ValueError, ZeroDivisionError)


def _forward_floats(g: Graph, vals: list[Any], dom: Any, warnings: list[str]) -> None:
    """The forward pass of a graph of scalar gates over floats (the common case, and the
    one where per-node overhead is all there is): the same rules, unrolled by arity."""
    F = dom.scalar
    ops, args = g.ops, g.args
    Fl = float
    for i in range(len(ops)):
        op = ops[i]
        if op is None:
            continue
        a = args[i]
        na = len(a)
        if na == 2:
            j0, j1 = a
            xs: tuple = (vals[j0], vals[j1])
        elif na == 1:
            xs = (vals[a[0]],)
        else:
            xs = tuple([vals[j] for j in a])
        if op.domain is not None:
            msg = op.domain(*xs)
            if msg is not None:
                raise BackcalcError(
                    Msg("engine.domain", detail=msg, text=g.text(i)), source=g.source, span=g.span(i)
                )
        try:
            out = op.forward(F, *xs)
        except _RETRY:
            out = _retry_with_numpy(op.forward, dom.array, *xs)
        if type(out) is not Fl:
            out = Fl(out)
        if out - out != 0.0 and all(x - x == 0.0 for x in xs):
            warnings.append(_nonfinite_note(g, i, out))
        vals[i] = out


def _all_finite(v: Any) -> bool:
    if type(v) is float:
        return math.isfinite(v)
    import numpy as np

    return bool(np.all(np.isfinite(v)))


def _shape_mismatch(g: Graph, i: int, xs: tuple, why: str) -> BackcalcError:
    import numpy as np

    def show(j: int, x: Any) -> str:
        text = g.text(j)
        who = text if len(text) <= 24 else g.names[j]
        shape = np.shape(x)
        return Msg("engine.of_shape", who=who, shape=shape) if shape else Msg("engine.a_scalar", who=who)

    parts = [show(j, x) for j, x in zip(g.args[i], xs)]
    got = parts[0]
    for part in parts[1:]:
        got = Msg("engine.and", left=got, right=part)
    op = g.ops[i]
    assert op is not None
    return BackcalcError(
        Msg("engine.shape_mismatch", node=g.names[i], text=g.text(i), op=op.name, got=got, why=why),
        source=g.source,
        span=g.span(i),
    )


class _Quiet:
    """``np.errstate(all="ignore")``, entered at a pass's first array gate (a scalar run never
    imports numpy) and left when the pass ends: once per pass, not once per gate."""

    def __init__(self) -> None:
        self.ctx: Any = None

    def enter(self) -> None:
        if self.ctx is None:
            import numpy as np

            self.ctx = np.errstate(all="ignore")
            self.ctx.__enter__()

    def exit(self) -> None:
        if self.ctx is not None:
            self.ctx.__exit__(None, None, None)
            self.ctx = None


def _finite_array(x: Any) -> bool:
    """Every element finite?  A finite sum says so without a boolean temporary (an inf or a
    nan makes the sum inf or nan); only a sum that is not finite needs the element test.
    Called under the pass's np.errstate (the sum may overflow)."""
    import numpy as np

    if type(x) is float:
        return math.isfinite(x)
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        return bool(np.all(np.isfinite(x)))
    return math.isfinite(x.sum()) or bool(np.isfinite(x).all())


def _check_array(g: Graph, i: int, out: Any, xs: tuple, warnings: list[str]) -> Any:
    import numpy as np

    if np.ndim(out) == 0:
        out = float(out)
        if not math.isfinite(out) and all(_finite_array(x) for x in xs):
            warnings.append(_nonfinite_note(g, i, out))
        return out
    if not _finite_array(out) and all(_finite_array(x) for x in xs):
        warnings.append(_nonfinite_note(g, i, out))
    return out


def _nonfinite_note(g: Graph, i: int, out: Any) -> str:
    from .errors import Msg, where

    span = g.span(i)
    at = "" if span is None else Msg("engine.at", where=where(g.source, span[0]))
    key = "engine.overflow" if _has_inf(out) else "engine.nan"
    return Msg(key, node=g.names[i], text=g.text(i), at=at)


def _has_inf(v: Any) -> bool:
    if type(v) is float:
        return math.isinf(v)
    import numpy as np

    return bool(np.any(np.isinf(v)))


# --- backward -----------------------------------------------------------------


@dataclass
class Backward:
    upstream: list[Any]  # d out / d node (0.0 for nodes the output does not depend on)
    _parts: dict[int, list[tuple[int, Any]]] | None  # see parts
    local: list[tuple | None]  # per gate: d node / d input, for scalar gates
    downstream: list[tuple | None]  # per gate: upstream x local, sent to each input
    flags: dict[int, str]  # node -> "tie" / "kink" flag text
    warnings: list[str]
    graph: Graph | None = field(default=None, repr=False)

    @property
    def parts(self) -> dict[int, list[tuple[int, Any]]]:
        """Branch points: for every node used more than once, (consumer, contribution) in
        forward order (made when first read)."""
        if self._parts is None:
            assert self.graph is not None
            self._parts = _branch_parts(self.graph, self.downstream)
        return self._parts


def needed(g: Graph, names: list[str] | set[str]) -> list[bool]:
    """For each node: does it depend on one of these inputs?  Only those nodes need a
    gradient when just these inputs' gradients are wanted (training wants the weights',
    not the data's)."""
    want = [False] * len(g.kinds)
    for name in names:
        want[g.inputs[name]] = True
    for i, a in enumerate(g.args):
        if a and not want[i]:
            want[i] = any(want[j] for j in a)
    return want


def backward(
    g: Graph,
    fwd: Forward,
    ties: str | None = None,
    wanted: list[bool] | None = None,
    domain: Domain | None = None,
    seed: Any = None,
) -> Backward:
    """Chain rule from the output back to every node.  Pure: reads, never mutates.

    ``seed`` is the upstream gradient at the output (default one): training passes the
    learning rate, so that every gradient comes out already multiplied by it.

    Scalar gates take local = vjp(1) and downstream = upstream x local, exactly
    as the lecture writes it; array gates call the VJP with the upstream array.
    The float loop is unrolled for one and two inputs: this is where the time goes.
    The tie rule is a setting of the run: ``ties``, or the ``domain``'s.

    ``wanted`` (from :func:`needed`) prunes the pass to the nodes whose gradients are
    wanted: other gates are skipped, and each VJP is told which inputs need a gradient
    (``needs``), so matmul skips the data's.  Skipped nodes get no gradient (zero)."""
    dom: Any = domain
    if domain is None:
        dom = FLOATS if ties is None or ties == FLOATS.ties else Domain(ties)
    n = len(g.kinds)
    vals = fwd.values
    ops, args = g.ops, g.args
    up: list[Any] = [None] * n
    local: list[tuple | None] = [None] * n
    down: list[tuple | None] = [None] * n
    flags: dict[int, str] = {}
    warnings: list[str] = []
    sym = dom.exact_or_symbolic
    up[g.output] = dom.one_like(vals[g.output]) if seed is None else seed
    F = None if sym else dom.scalar
    Fl = float
    retry = (OverflowError, ValueError, ZeroDivisionError)
    if F is not None and wanted is None and g.scalar_only() and type(up[g.output]) is Fl:
        _backward_floats(g, vals, dom, up, local, down, flags)
        return _backward_done(g, vals, dom, up, local, down, flags, warnings, wanted, floats=True)
    quiet = _Quiet()  # numpy's floating-point warnings off, once per pass
    try:
        for i in range(n - 1, -1, -1):
            op = ops[i]
            if op is None:
                continue
            gi = up[i]
            if gi is None or (wanted is not None and not wanted[i]):
                continue
            out = vals[i]
            a = args[i]
            na = len(a)
            if na == 2:
                x0 = vals[a[0]]
                x1 = vals[a[1]]
                xs: tuple = (x0, x1)
                scalar = type(gi) is Fl and type(out) is Fl and type(x0) is Fl and type(x1) is Fl
            elif na == 1:
                x0 = vals[a[0]]
                xs = (x0,)
                scalar = type(gi) is Fl and type(out) is Fl and type(x0) is Fl
            else:
                xs = tuple(vals[j] for j in a)
                scalar = type(gi) is Fl and type(out) is Fl and all(type(x) is Fl for x in xs)
            if sym:  # exact numbers or formulas
                gi = dom.upstream(g, i, gi)
                loc, d = dom.backward_node(g, i, op, gi, out, xs)
                local[i] = loc
            elif scalar:
                if op.kink is not None:
                    flag = op.kink(out, *xs)
                    if flag:
                        flags[i] = flag
                try:
                    loc = op.vjp(F, 1.0, out, xs, None)
                except retry:
                    loc = _retry_with_numpy(op.vjp, dom.array, 1.0, out, xs, None)
                # downstream = upstream x local (the + 0.0 turns a -0.0 into 0.0)
                if na == 2:
                    d = (gi * loc[0] + 0.0, gi * loc[1] + 0.0)
                elif na == 1:
                    d = (gi * loc[0] + 0.0,)
                else:
                    d = tuple(gi * lv + 0.0 for lv in loc)
                local[i] = loc
            else:
                if op.kink is not None:
                    flag = op.kink(out, *xs)
                    if flag:
                        flags[i] = flag
                needs = None if wanted is None else tuple(wanted[j] for j in a)
                quiet.enter()
                d = _array_vjp(op, dom.array, gi, out, xs, needs)
            if len(d) != na:
                raise RuntimeError(f"op {op.name} returned {len(d)} gradients for {na} inputs")
            down[i] = d
            for j, dj in zip(a, d):
                if dj is None:  # pruned: no gradient wanted there
                    continue
                prev = up[j]
                up[j] = dj if prev is None else prev + dj
    finally:
        quiet.exit()
    return _backward_done(g, vals, dom, up, local, down, flags, warnings, wanted)


def _backward_done(
    g: Graph, vals, dom, up, local, down, flags, warnings, wanted: list[bool] | None, floats: bool = False
) -> Backward:
    """Nodes the output does not depend on get a zero gradient; a non-finite gradient, a warning.
    (``floats``: every gradient is a float or None, so one sum tells when all are finite.)"""
    if floats and None not in up and math.isfinite(sum(up)):
        return Backward(up, None, local, down, flags, warnings, g)
    for i in range(len(up)):
        if up[i] is None:  # pruned nodes (``wanted``) get a read-only zero that takes no memory
            up[i] = dom.zero_like(vals[i], wanted is not None and not wanted[i])
        elif type(up[i]) is float and not math.isfinite(up[i]) and not warnings:
            warnings.append(Msg("engine.gradient_nonfinite", node=g.names[i], value=up[i]))
    return Backward(up, None, local, down, flags, warnings, g)


def _backward_floats(
    g: Graph, vals: list[Any], dom: Any, up: list, local: list, down: list, flags: dict
) -> None:
    """The backward pass of a graph of scalar gates over floats: local = vjp(1), downstream =
    upstream x local, as in the general loop, unrolled for one and two inputs."""
    F = dom.scalar
    ops, args = g.ops, g.args
    for i in range(len(ops) - 1, -1, -1):
        op = ops[i]
        if op is None:
            continue
        gi = up[i]
        if gi is None:
            continue
        out = vals[i]
        a = args[i]
        na = len(a)
        if na == 2:
            j0, j1 = a
            xs: tuple = (vals[j0], vals[j1])
        elif na == 1:
            j0 = a[0]
            xs = (vals[j0],)
        else:
            xs = tuple([vals[j] for j in a])
        kink = op.kink
        if kink is not None:
            flag = kink(out, *xs)
            if flag:
                flags[i] = flag
        try:
            loc = op.vjp(F, 1.0, out, xs, None)
        except _RETRY:
            loc = _retry_with_numpy(op.vjp, dom.array, 1.0, out, xs, None)
        local[i] = loc
        # downstream = upstream x local (the + 0.0 turns a -0.0 into 0.0)
        if na == 2:
            d0 = gi * loc[0] + 0.0
            d1 = gi * loc[1] + 0.0
            down[i] = (d0, d1)
            p = up[j0]
            up[j0] = d0 if p is None else p + d0
            p = up[j1]
            up[j1] = d1 if p is None else p + d1
            continue
        if na == 1:
            d0 = gi * loc[0] + 0.0
            down[i] = (d0,)
            p = up[j0]
            up[j0] = d0 if p is None else p + d0
            continue
        d = tuple([gi * lv + 0.0 for lv in loc])
        if len(d) != len(a):
            raise RuntimeError(f"op {op.name} returned {len(d)} gradients for {len(a)} inputs")
        down[i] = d
        for j, dj in zip(a, d):
            p = up[j]
            up[j] = dj if p is None else p + dj


def _branch_parts(g: Graph, down: list[tuple | None]) -> dict[int, list[tuple[int, Any]]]:
    """For every node used more than once: what each consumer sent back, in forward order."""
    uses = [0] * len(g.kinds)
    for a in g.args:
        for j in a:
            uses[j] += 1
    parts: dict[int, list[tuple[int, Any]]] = {}
    for i, a in enumerate(g.args):
        d = down[i]
        if d is None:
            continue
        for j, dj in zip(a, d):
            if uses[j] > 1:
                parts.setdefault(j, []).append((i, dj))
    return parts


def _array_vjp(op: O.Op, ns: Any, gi: Any, out: Any, xs: tuple, needs: tuple | None = None) -> tuple:
    import numpy as np

    d = op.vjp(ns, gi, out, xs, needs)  # under the pass's np.errstate(all="ignore")
    fixed: list[Any] = []
    nd = np.ndarray
    for x, dx in zip(xs, d):
        if dx is None:
            fixed.append(None)
            continue
        want = x.shape if type(x) is nd else np.shape(x)
        if (dx.shape if type(dx) is nd else np.shape(dx)) != want:
            raise RuntimeError(
                f"internal: op {op.name} sent a gradient of shape {np.shape(dx)} to an input of shape {want}"
            )
        fixed.append(float(dx) if want == () else dx)
    return tuple(fixed)


_PAUSE_LOCK = threading.Lock()
_pauses = 0  # gc_paused blocks open now, in every thread
_resume = False  # whether the collector was on when the first of them opened


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a big graph is many small acyclic objects, and
    collections triggered while building it cost more than the work itself.

    The collector is one switch for the whole process, and a symbolic run can outlive its
    time limit in its own thread: the pauses are counted, and the collector comes back on
    when the last open one ends (if it was on when the first began)."""
    global _pauses, _resume
    with _PAUSE_LOCK:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _pauses -= 1
            if _pauses == 0 and _resume:
                # The objects made meanwhile would all be examined by the next young-generation
                # collection (a tenth of a second for a million nodes); they are long-lived and
                # acyclic, so move them to the oldest generation instead (freeze + unfreeze:
                # two list splices), as a collection would after they survived twice.
                gc.freeze()
                gc.unfreeze()
                gc.enable()


def compile_text(
    source: str, given: set[str] | frozenset[str] = frozenset(), *, expand: bool = False
) -> Graph:
    return build(parse(source), given, expand=expand)
