"""The Python API: ``grad(expression, **values)`` runs text -> parse -> graph -> forward -> backward -> Result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import ops as O
from .errors import BackcalcError
from .graph import backward, build, forward, gc_paused, jacobians
from .parse import parse
from .result import Result, make_result
from .values import coerce


def grad(
    expression: str,
    values: Mapping[str, Any] | None = None,
    /,
    *,
    ties: str = O.DEFAULT_TIES,
    expand: bool = False,
    wrt: list[str] | None = None,
    jacobian: bool = False,
    **kwvalues: Any,
) -> Result:
    """Evaluate ``expression`` at the given values and backpropagate through it.

    >>> r = grad("(x+y)*z", x=-2, y=5, z=-4)
    >>> r.value, r.gradients
    (-12.0, {'x': -4.0, 'y': -4.0, 'z': 3.0})

    ``values`` (a mapping) is for names that clash with the keyword options.
    ``ties`` picks the rule for ties in max/min (split | all | first);
    ``expand`` splits compound gates (sigmoid, tanh, softplus) into primitive ones;
    ``wrt`` restricts the reported gradients; ``jacobian`` adds each gate's explicit local
    Jacobian when it has at most ``graph.JACOBIAN_MAX_ENTRIES`` entries.  Bad input raises :class:`BackcalcError`.
    """
    if ties not in O.TIE_RULES:
        raise BackcalcError(f"unknown tie rule '{ties}'; choose one of: {', '.join(O.TIE_RULES)}")
    with gc_paused():
        return _grad(expression, values, kwvalues, ties=ties, expand=expand, wrt=wrt, jacobian=jacobian)


def _grad(
    expression: str,
    values: Mapping[str, Any] | None,
    kwvalues: dict[str, Any],
    *,
    ties: str,
    expand: bool,
    wrt: list[str] | None,
    jacobian: bool,
) -> Result:
    given: dict[str, Any] = {}
    for name, value in {**(values or {}), **kwvalues}.items():
        given[name] = coerce(name, value)
    graph = build(parse(expression), set(given), expand=expand)
    missing = [n for n in graph.inputs if n not in given]
    if missing:
        name = missing[0]
        have = ", ".join(given) if given else "none"
        more = f" (also missing: {', '.join(missing[1:])})" if len(missing) > 1 else ""
        raise BackcalcError(
            f"no value for '{name}'{more}. Give one as {name}=VALUE (values given: {have}).",
            source=expression,
            span=graph.spans[graph.inputs[name]],
        )
    warnings = [
        f"{n}={_show(given[n])} was given but the expression does not use '{n}'"
        for n in given
        if n not in graph.inputs
    ]
    if wrt is not None:
        unknown = [w for w in wrt if w not in graph.inputs]
        if unknown:
            raise BackcalcError(
                f"--wrt names {', '.join(repr(u) for u in unknown)}, which the expression "
                f"does not use (its inputs: {', '.join(graph.inputs) or 'none'})"
            )
    fwd = forward(graph, {n: given[n] for n in graph.inputs})
    bwd = backward(graph, fwd, ties)
    jacs = jacobians(graph, fwd, ties) if jacobian else None
    return make_result(graph, fwd, bwd, wrt=wrt, ties=ties, expand=expand, warnings=warnings, jacobians=jacs)


def _show(v: Any) -> str:
    from .display import fmt_scalar

    return fmt_scalar(v) if type(v) is float else "an array"


def net(spec: str | Mapping[str, Any], *, ties: str = O.DEFAULT_TIES, expand: bool = False) -> Any:
    """Forward and backward through a network spec (a .toml/.json path, or the same
    structure as a mapping); returns the evaluation: ``.loss``, ``.layers`` (z, a, delta,
    dW, db per layer), ``.result`` (the graph's Result).  One gradient-descent step:
    ``backcalc.network.gd_step(ev, lr)``.

    >>> ev = net("examples/networks/mazur.toml")  # doctest: +SKIP
    >>> round(ev.loss, 9)  # doctest: +SKIP
    0.298371109
    """
    from .network import evaluate
    from .network.spec import load_spec, parse_spec

    network = load_spec(spec) if isinstance(spec, str) else parse_spec(dict(spec))
    with gc_paused():
        return evaluate(network, ties=ties, expand=expand)
