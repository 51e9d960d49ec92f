"""The plain record a run produces: what every renderer and the JSON read.

Renderers never compute gradients; they format a :class:`Result`.  The JSON
document is written by :mod:`backcalc.render.json` (schema: ``backcalc/schema/result.schema.json``).
Non-finite numbers are written as the strings "Infinity", "-Infinity" and "NaN"
so that the JSON stays strictly valid.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from . import ops as O
from .engine import CONST, GATE, Backward, Forward, Graph
from .errors import Msg

if TYPE_CHECKING:
    from .exact import ExactReport
    from .gradcheck import Expectation, GradCheck
    from .symbolic import SymbolicReport

ARRAY_NOTE = (
    "for array gates 'local' shows how each downstream is made from the upstream g "
    "(a vector-Jacobian product; the Jacobian itself is never built, asking for the "
    "explicit Jacobians shows the small ones); a gradient sent to a broadcast input is summed over the broadcast axes"
)
NONFINITE_NOTE = 'non-finite numbers are written in JSON as the strings "Infinity", "-Infinity" and "NaN"'


@dataclass
class NodeRecord:
    id: str
    op: str  # "input", "const", or the op's name
    role: str | None
    inputs: list[str]
    value: Any
    grad: Any  # upstream: d output / d this node
    grad_parts: list[tuple[str, Any]]  # (consumer id, contribution) when summed from several
    local: list[Any] | None  # d this / d input, per input (scalar gates)
    downstream: list[Any] | None  # upstream x local, per input
    flags: list[str]
    text: str  # source text
    formula: str  # the gate over its input ids
    span: tuple[int, int] | None
    expanded_from: str | None = None
    vjp: list[str] | None = None  # array gates: how each downstream is made from the upstream g
    jacobian: list[dict[str, Any]] | None = None  # with --jacobian: {input, shape, value | omitted}

    @property
    def is_const(self) -> bool:
        return self.op == "const"

    @property
    def shape(self) -> tuple[int, ...]:
        return _shape(self.value)


class NodeRecords(Sequence[NodeRecord]):
    """The per-node records of a run, made when first read: a run whose caller looks only
    at the value and the gradients (or a JSON document without nodes) never pays for them,
    and a renderer that iterates gets the first records before the last is made.
    Reads like a list (index, slice, iterate, compare)."""

    __slots__ = ("_make", "_n", "_items", "_rest")

    def __init__(self, make: Callable[[], Iterator[NodeRecord]], n: int) -> None:
        self._make: Callable[[], Iterator[NodeRecord]] | None = make
        self._n = n
        self._items: list[NodeRecord] | None = None  # the records made so far
        self._rest: Iterator[NodeRecord] | None = None  # the ones still to make

    def _upto(self, k: int) -> list[NodeRecord]:
        """Make the records up to index k (all of them for k = -1)."""
        if self._items is None:
            assert self._make is not None
            self._items = []
            self._rest = self._make()
            self._make = None  # drop the graph and passes it was made from (the iterator has them)
        items, rest = self._items, self._rest
        if rest is not None and (k < 0 or k >= len(items)):
            for rec in rest:
                items.append(rec)
                if 0 <= k < len(items):
                    return items
            self._rest = None
        return items

    def _all(self) -> list[NodeRecord]:
        return self._upto(-1)

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> NodeRecord: ...
    @overload
    def __getitem__(self, i: slice) -> list[NodeRecord]: ...
    def __getitem__(self, i: int | slice) -> NodeRecord | list[NodeRecord]:
        if isinstance(i, int) and i >= 0:
            return self._upto(i)[i]
        return self._all()[i]

    def __iter__(self) -> Iterator[NodeRecord]:
        k = 0
        while True:
            items = self._upto(k)
            if k >= len(items):
                return
            yield items[k]
            k += 1

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (NodeRecords, list)):
            return self._all() == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"NodeRecords({self._n} nodes)" if self._items is None else repr(self._all())


@dataclass
class Result:
    expression: str
    output: str
    value: Any
    gradients: dict[str, Any]
    nodes: Sequence[NodeRecord]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ties: str = O.DEFAULT_TIES
    expand: bool = False
    roles: str = "2017"  # the vocabulary of the nodes' roles (backcalc.roles)
    # Optional records of the checking features; written to JSON only when set (JSON-ready data).
    symbolic: SymbolicReport | None = None  # formulas and the chain rule per input
    exact: ExactReport | None = None  # exact values and gradients with decimals
    gradcheck: GradCheck | None = None  # finite-difference comparison per input
    expect: list[Expectation] | None = None  # expected answers, graded

    def node(self, id: str) -> NodeRecord:
        for n in self.nodes:
            if n.id == id:
                return n
        raise KeyError(id)

    def to_dict(self, nodes: bool = True) -> dict[str, Any]:
        """The JSON document (written by :mod:`backcalc.render.json`); ``nodes=False`` leaves
        the per-node records out (an empty list)."""
        from .render.json import result_document

        return result_document(self, nodes)

    def to_json(self, indent: int | None = 2, nodes: bool = True) -> str:
        """Strict JSON (see :func:`backcalc.render.json.result_json`)."""
        from .render.json import result_json

        return result_json(self, indent, nodes)

    # --- display (backcalc.notebook) and the other formats -----------------------------------

    def __repr__(self) -> str:
        """``Result(f=-12, ∂f/∂x=-4, ∂f/∂y=-4, ∂f/∂z=3)``."""
        from .notebook import result_repr

        return result_repr(self)

    def _repr_html_(self) -> str:
        from .notebook import result_html

        return result_html(self)

    def _repr_markdown_(self) -> str:
        from .notebook import result_markdown

        return result_markdown(self)

    def _repr_latex_(self) -> str | None:
        from .notebook import result_latex

        return result_latex(self)

    def __rich__(self) -> Any:
        from .notebook import result_rich

        return result_rich(self)

    def to_html(self, lang: str | None = None, precision: int = 4, page: bool = True) -> str:
        """A self-contained HTML page (``--format html``); ``page=False``: what a notebook cell shows."""
        from .notebook import result_html, writeup

        return writeup(self, "html", lang, precision) if page else result_html(self, lang, precision)

    def to_markdown(self, lang: str | None = None, precision: int = 4) -> str:
        """The markdown write-up (``--format markdown``)."""
        from .notebook import writeup

        return writeup(self, "markdown", lang, precision)

    def to_latex(self, lang: str | None = None, precision: int = 4, standalone: bool = False) -> str:
        """The LaTeX write-up (``--format latex``; ``standalone``: a document that compiles)."""
        from .notebook import writeup

        return writeup(self, "latex", lang, precision, standalone)

    def to_dot(self, lang: str | None = None, precision: int = 4) -> str:
        """The graph in Graphviz DOT (``--format dot``)."""
        from .notebook import writeup

        return writeup(self, "dot", lang, precision)

    def to_svg(self, lang: str | None = None, precision: int = 4, max_nodes: int | None = None) -> str:
        """The graph as SVG (needs Graphviz's dot)."""
        from .notebook import svg

        return svg(self, lang, precision, max_nodes)

    def explain(self, lang: str | None = None, precision: int = 4) -> Any:
        """The steps narrated (``backcalc explain``) in ``lang`` ("en", "ko"; default: the locale)."""
        from .api import explain

        return explain(self, lang=lang, precision=precision)

    def has_nonfinite(self) -> bool:
        if self._numbers is not None:
            values, grads = self._numbers
            return not all(map(_finite, values)) or not all(map(_finite, grads))
        return any(not _finite(n.value) or not _finite(n.grad) for n in self.nodes)

    # every node's value and gradient, when the records are not made yet
    _numbers: tuple[list[Any], list[Any]] | None = field(default=None, repr=False, compare=False)
    # what a renderer can know without the records: the ids of the constants, the longest
    # node id and the longest gate name (with the compound gate it came from)
    _outline: Outline | Callable[[], Outline] | None = field(default=None, repr=False, compare=False)

    def outline(self) -> Outline:
        if callable(self._outline):  # made from the graph when first asked for
            self._outline = self._outline()
        if self._outline is None:
            recs = list(self.nodes)
            self._outline = Outline(
                frozenset(n.id for n in recs if n.is_const),
                max((len(n.id) for n in recs), default=0),
                max(
                    (len(n.op) + (len(n.expanded_from) + 3 if n.expanded_from else 0) for n in recs),
                    default=0,
                ),
                any(type(n.value) is not float for n in recs),
            )
        return self._outline


@dataclass(frozen=True)
class Outline:
    """A run's shape as a table needs it before any row is made."""

    constants: frozenset[str]  # ids of the constant nodes
    id_width: int  # the longest node id
    gate_width: int  # the longest gate text ('mul', 'exp (sigmoid)')
    arrays: bool  # some node holds an array


def _shape(v: Any) -> tuple[int, ...]:
    if type(v) is float:
        return ()
    import numpy as np

    return tuple(int(s) for s in np.shape(v))


def _finite(v: Any) -> bool:
    if type(v) is float:
        return math.isfinite(v)
    import numpy as np

    return bool(np.all(np.isfinite(v)))


def _number(v: float) -> float | str:
    if math.isfinite(v):
        return v
    if math.isnan(v):
        return "NaN"
    return "Infinity" if v > 0 else "-Infinity"


def plain(v: Any) -> Any:
    """A number or array as JSON-ready data: floats (full precision) and nested lists
    (None stays None: no gradient, as a network's data and targets)."""
    if v is None:
        return None
    if type(v) is float:
        return _number(v)
    if isinstance(v, (int,)) and not isinstance(v, bool):
        return float(v)
    import numpy as np

    arr = np.asarray(v, dtype=float)
    if arr.ndim == 0:
        return _number(float(arr))
    data = arr.tolist()
    if np.all(np.isfinite(arr)):
        return data
    flat = [_number(x) for x in arr.ravel().tolist()]
    return np.array(flat, dtype=object).reshape(arr.shape).tolist()


def plain_tree(v: Any) -> Any:
    """Nested records, dicts and lists of numbers and arrays -> JSON-ready data
    (:func:`backcalc.render.json.to_plain`, the one converter)."""
    from .render.json import to_plain

    return to_plain(v)


def _listed(t: tuple | None) -> list | None:
    return None if t is None else list(t)


def make_result(
    g: Graph,
    fwd: Forward,
    bwd: Backward,
    *,
    wrt: list[str] | None = None,
    ties: str = O.DEFAULT_TIES,
    expand: bool = False,
    warnings: list[str] | None = None,
    jacobians: dict[int, list] | None = None,
) -> Result:
    """The run's record.  The per-node records are made when first read
    (:class:`NodeRecords`); the notes and the gradients are made here."""
    names = g.names
    notes: list[str] = []
    flagged = [i for i in bwd.flags]
    if flagged:
        tie_nodes = [names[i] for i in flagged if bwd.flags[i].startswith("tie")]
        kink_nodes = [names[i] for i in flagged if bwd.flags[i].startswith("kink")]
        if tie_nodes:
            notes.append(Msg("result.tie", nodes=", ".join(tie_nodes), rule=ties, why=Msg("tie." + ties)))
        if kink_nodes:
            notes.append(Msg("result.kink", nodes=", ".join(kink_nodes)))
    for name in g.shadowed:
        notes.append(Msg("result.shadowed", name=name))
    out_shape = _shape(fwd.values[g.output])
    if out_shape:
        out_name = names[g.output]
        notes.append(Msg("result.ones", name=out_name, shape=out_shape))
    if any(loc is None and op is not None and a for op, loc, a in zip(g.ops, bwd.local, g.args)):
        notes.append(Msg("result.array_note"))
    wanted = list(g.inputs) if wrt is None else wrt
    gradients = {name: bwd.upstream[g.inputs[name]] for name in wanted}
    all_warnings = list(warnings or []) + fwd.warnings + bwd.warnings
    return Result(
        expression=g.source,
        output=names[g.output],
        value=fwd.values[g.output],
        gradients=gradients,
        nodes=NodeRecords(lambda: iter_node_records(g, fwd, bwd, jacobians), len(g.kinds)),
        warnings=all_warnings,
        notes=notes,
        ties=ties,
        expand=expand,
        _numbers=(fwd.values, bwd.upstream),
        _outline=lambda: _outline(g, fwd),
    )


def _outline(g: Graph, fwd: Forward) -> Outline:
    names = g.names
    gate = 0
    for i, op in enumerate(g.ops):
        if op is not None:
            origin = g.expanded_from.get(i)
            w = len(op.name) + (len(origin) + 3 if origin else 0)
            if w > gate:
                gate = w
    kinds = g.kinds
    return Outline(
        frozenset(names[i] for i in g.consts),
        max(map(len, names), default=0),
        max(gate, max((len(k) for k in kinds if k != GATE), default=0)),
        any(type(v) is not float for v in fwd.values),
    )


def node_records(
    g: Graph, fwd: Forward, bwd: Backward, jacobians: dict[int, list] | None = None
) -> list[NodeRecord]:
    """One record per node, in the graph's (topological) order."""
    return list(iter_node_records(g, fwd, bwd, jacobians))


def iter_node_records(
    g: Graph, fwd: Forward, bwd: Backward, jacobians: dict[int, list] | None = None
) -> Iterator[NodeRecord]:
    """The records one at a time, in the graph's (topological) order."""
    names = g.names
    kinds = g.kinds
    spans = g.spans
    for i, kind in enumerate(kinds):
        op = g.ops[i]
        a = g.args[i]
        if op is None:
            role = None
            opname = kind
        else:
            role = op.role
            if op.const_role and any(kinds[j] == CONST for j in a):
                role = op.const_role
            opname = op.name
        parts = bwd.parts.get(i, ())
        yield (
            NodeRecord(
                id=names[i],
                op=opname,
                role=role,
                inputs=[names[j] for j in a],
                value=fwd.values[i],
                grad=bwd.upstream[i],
                grad_parts=[(names[c], v) for c, v in parts] if len(parts) > 1 else [],
                local=_listed(bwd.local[i]),
                downstream=_listed(bwd.downstream[i]),
                flags=[bwd.flags[i]] if i in bwd.flags else [],
                text=g.text(i),
                formula=g.formula(i),
                span=spans[i],
                expanded_from=g.expanded_from.get(i),
                vjp=O.vjp_rules(op, [names[j] for j in a])
                if op is not None and bwd.local[i] is None
                else None,
                jacobian=None
                if jacobians is None or i not in jacobians
                else [
                    {
                        "input": names[jac.input],
                        "shape": (jac.rows, jac.cols),
                        "value": jac.matrix,
                        "omitted": jac.why_not,
                    }
                    for jac in jacobians[i]
                ],
            )
        )


__all__ = [
    "Result",
    "NodeRecord",
    "NodeRecords",
    "node_records",
    "make_result",
    "plain",
    "plain_tree",
    "NONFINITE_NOTE",
    "GATE",
]
