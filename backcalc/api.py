"""The Python API: ``grad(expression, **values)`` runs text -> parse -> graph -> forward -> backward -> Result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import ops as O
from .engine import backward, build, forward, gc_paused
from .errors import BackcalcError, Msg, setting
from .limits import DEFAULT_ATOL, DEFAULT_H, DEFAULT_TIMEOUT, DEFAULT_TOL
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
    symbolic: bool = False,
    exact: bool = False,
    check: bool = False,
    expect: Mapping[str, Any] | None = None,
    h: float = DEFAULT_H,
    tol: float = DEFAULT_TOL,
    atol: float = DEFAULT_ATOL,
    timeout: float | None = DEFAULT_TIMEOUT,
    **kwvalues: Any,
) -> Result:
    """Evaluate ``expression`` at the given values and backpropagate through it.

    >>> r = grad("(x+y)*z", x=-2, y=5, z=-4)
    >>> r.value, r.gradients
    (-12.0, {'x': -4.0, 'y': -4.0, 'z': 3.0})

    ``values`` (a mapping) is for names that clash with the keyword options.  A value is a
    number, a number text (``"1/3"``, read exactly by ``exact``), or an array.
    ``ties`` picks the rule for ties in max/min (split | all | first);
    ``expand`` splits compound gates (sigmoid, tanh, softplus) into primitive ones;
    ``wrt`` restricts the reported gradients; ``jacobian`` adds each gate's explicit local
    Jacobian when it has at most ``jacobian.JACOBIAN_MAX_ENTRIES`` entries.

    The text is parsed once and the graph built once; each requested domain runs over it:
    ``symbolic`` (formulas, ``Result.symbolic``), ``exact`` (exact numbers, ``Result.exact``),
    ``check`` (central differences with step ``h``, ``Result.gradcheck``) and ``expect``
    (expected answers by name, ``Result.expect``; relative tolerance ``tol``, absolute ``atol``).  ``timeout``
    bounds the symbolic and the exact run (seconds each; None or 0: no limit): past it the
    record says where it stopped and the numeric results stay complete.
    :func:`failure` tells whether a check or an expected answer failed.
    Bad input raises :class:`BackcalcError`.
    """
    if ties not in O.TIE_RULES:
        raise BackcalcError(f"unknown tie rule '{ties}'; choose one of: {', '.join(O.TIE_RULES)}")
    given: dict[str, Any] = {**(values or {}), **kwvalues}
    with gc_paused():
        graph, floats = _build(expression, given, expand)
        result, fwd, bwd = _run(graph, floats, ties=ties, expand=expand, wrt=wrt, jacobian=jacobian)
    if symbolic:
        _symbolic(result, graph, given, fwd, bwd, ties=ties, timeout=timeout)
    if exact:
        _exact(result, graph, given, fwd, bwd, ties=ties, timeout=timeout)
    if check:
        _gradcheck(result, graph, floats, h=h, tol=tol, ties=ties)
    if expect:
        _expect(result, expect, tol=tol, atol=atol)
    return result


def _gradcheck(
    result: Result, graph: Any, floats: dict[str, Any], *, h: float, tol: float, ties: str
) -> None:
    from .gradcheck import check_settings, gradcheck

    try:
        check_settings(h, tol)
    except BackcalcError as e:  # "h must be ..." names the setting
        name = e.message.split(" ", 1)[0]
        raise e.reword(setting(name) + e.message[len(name) :]) from None
    flags = {n.id: n.flags for n in result.nodes if n.flags}
    rec = gradcheck(graph, floats, dict(result.gradients), h=h, tol=tol, ties=ties, flags=flags)
    result.warnings.extend(rec.warnings)
    rec.warnings = []
    result.gradcheck = rec


def _expect(result: Result, expect: Mapping[str, Any], *, tol: float, atol: float) -> None:
    from .gradcheck import expectations

    graded = []
    for name, value in expect.items():
        want = {name: coerce(name, value)}
        try:
            graded += expectations(result, want, rtol=tol, atol=atol)
        except BackcalcError as e:
            raw = e._raw[0]
            raise e.reword(f"{setting('expect', 'expected answer')} {name}=...: {raw}") from None
    result.expect = graded


def failure(result: Result) -> BackcalcError | None:
    """The exit-1 error of a run whose gradient check or expected answers failed, else None."""
    from .errors import ExitCode
    from .gradcheck import expectation_failure, gradcheck_failure

    found = []
    if result.gradcheck is not None and (err := gradcheck_failure(result.gradcheck)) is not None:
        err.reword(hint=Msg("check.failed_hint_settings", h=setting("h"), tol=setting("tol")))
        found.append(err)
    if result.expect is not None and (err := expectation_failure(result.expect)) is not None:
        err.reword(hint=Msg("check.no_match_hint", tol=setting("tol")))
        found.append(err)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    return BackcalcError("; ".join(f._raw[0] for f in found), code=ExitCode.CHECK_FAILED)


def _build(expression: str, given: dict[str, Any], expand: bool) -> tuple[Any, dict[str, Any]]:
    floats = {name: coerce(name, value) for name, value in given.items()}
    graph = build(parse(expression), set(floats), expand=expand)
    missing = [n for n in graph.inputs if n not in floats]
    if missing:
        name = missing[0]
        have = ", ".join(floats) if floats else Msg("values.none")
        more = Msg("values.also_missing", names=", ".join(missing[1:])) if len(missing) > 1 else ""
        hint = None
        unused = [n for n in given if n not in graph.inputs]
        import difflib

        close = difflib.get_close_matches(name, unused, n=1, cutoff=0.5)
        if close and isinstance(given[close[0]], str):
            hint = Msg("values.did_you_mean", name=name, value=given[close[0]], wrote=close[0])
        raise BackcalcError(
            Msg("values.missing", name=name, more=more, given=have),
            source=expression,
            span=graph.span(graph.inputs[name]),
            hint=hint,
        )
    return graph, floats


def _run(
    graph: Any, given: dict[str, Any], *, ties: str, expand: bool, wrt: list[str] | None, jacobian: bool
) -> tuple[Result, Any, Any]:
    warnings: list[str] = [
        Msg("values.unused", name=n, value=_show(given[n])) for n in given if n not in graph.inputs
    ]
    if wrt is not None:
        unknown = [w for w in wrt if w not in graph.inputs]
        if unknown:
            raise BackcalcError(
                Msg(
                    "values.wrt_unknown",
                    wrt=setting("wrt"),
                    names=", ".join(repr(u) for u in unknown),
                    inputs=", ".join(graph.inputs) or Msg("values.none"),
                )
            )
    fwd = forward(graph, {n: given[n] for n in graph.inputs})
    bwd = backward(graph, fwd, ties)
    jacs = None
    if jacobian:
        from .jacobian import jacobians

        jacs = jacobians(graph, fwd, ties)
    result = make_result(
        graph, fwd, bwd, wrt=wrt, ties=ties, expand=expand, warnings=warnings, jacobians=jacs
    )
    return result, fwd, bwd


def _symbolic(
    result: Result, graph: Any, given: dict, fwd: Any, bwd: Any, *, ties: str, timeout: float | None
) -> None:
    from . import symbolic as S

    grads = {name: bwd.upstream[i] for name, i in graph.inputs.items()}
    rec = _limited(
        lambda budget: S.report(graph, given, fwd, bwd, grads, ties=ties, budget=budget),
        timeout,
        lambda why: S.SymbolicReport(complete=False, stopped=why, output=graph.names[graph.output]),
    )
    result.symbolic = rec
    if rec.too_large:
        result.warnings.append(f"symbolic: {rec.stopped}")
    elif rec.stopped:
        result.warnings.append(
            f"symbolic: {rec.stopped}; the numeric results are complete, the formulas are not"
        )
    wrong = [n for n, r in rec.gradients.items() if r.agrees is False]
    if wrong:
        result.warnings.append(
            "symbolic: the formula and the numeric gradient differ for " + ", ".join(wrong)
        )


def _exact(
    result: Result, graph: Any, given: dict, fwd: Any, bwd: Any, *, ties: str, timeout: float | None
) -> None:
    from . import exact as E

    rec = _limited(
        lambda budget: E.report(graph, given, fwd, bwd, ties=ties, budget=budget),
        timeout,
        lambda why: E.ExactReport(complete=False, stopped=why),
    )
    result.exact = rec
    result.warnings.extend(f"exact: {w}" for w in rec.warnings)
    if rec.too_large:
        result.warnings.append(f"exact: {rec.stopped}")
    elif not rec.complete:
        result.warnings.append(f"exact: {rec.stopped}; showing floats only")


DEEP_STACK = 512 * 1024 * 1024  # bytes of (virtual) stack for the thread that runs SymPy
DEEP_RECURSION = 200_000
GRACE = 1.0  # seconds a run may overrun its time limit inside one SymPy call before it is left


def _limited(work: Any, timeout: float | None, stopped: Any) -> Any:
    """Run ``work(budget)`` (a symbolic or exact run) in a thread with a large stack and
    recursion limit: SymPy's algorithms recurse over a formula's depth (backcalc's loops never
    do).  The interpreter checks the budget at every node; if one SymPy call outlasts the limit
    by more than GRACE, the run is left behind (cancelled: it stops at its next check) and the
    record says it stopped."""
    import sys
    import threading

    from .domains import Budget, TimeUp

    budget = Budget(timeout)
    why = budget.why
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work(budget)
        except TimeUp:
            box["value"] = stopped(why)
            if budget.partial is not None:
                box["value"] = budget.partial
                budget.partial.complete, budget.partial.stopped = False, why
        except RecursionError:
            box["error"] = BackcalcError("the formula is nested too deeply for SymPy")
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
        # SymPy makes many small objects; collections cost more than they free.  The pause
        # is the caller's: it ends when the caller stops waiting, even if the thread runs on.
        with gc_paused():
            t.join(None if not timeout else timeout + GRACE)
    finally:
        sys.setrecursionlimit(old_limit)
    if t.is_alive():
        budget.cancelled = True
        if budget.partial is not None:  # what was finished before the limit
            import copy

            rec = copy.copy(budget.partial)
            rec.gradients = dict(rec.gradients)
            rec.complete, rec.stopped = False, why
            return rec
        return stopped(why)
    if "error" in box:
        raise box["error"]
    return box["value"]


def _show(v: Any) -> str:
    from .display import fmt_scalar

    return fmt_scalar(v) if type(v) is float else "an array"


def net(spec: str | Mapping[str, Any], *, ties: str = O.DEFAULT_TIES, expand: bool = False) -> Any:
    """Forward and backward through a network spec (a .toml/.json path, or the same
    structure as a mapping); returns the evaluation: ``.loss``, ``.layers`` (one
    :class:`backcalc.network.LayerRecord` per layer: ``.z``, ``.a``, ``.delta``, ``.dW``,
    ``.db``), ``.result`` (the graph's Result).  One gradient-descent step:
    ``backcalc.network.gd_step(ev, lr)`` (``ev.step``: a :class:`backcalc.network.StepRecord`).

    >>> ev = net("examples/networks/mazur.toml")  # doctest: +SKIP
    >>> round(ev.loss, 9)  # doctest: +SKIP
    0.298371109
    """
    from .network import evaluate
    from .network.spec import load_spec, parse_spec

    network = load_spec(spec) if isinstance(spec, str) else parse_spec(dict(spec))
    with gc_paused():
        return evaluate(network, ties=ties, expand=expand)
