"""The Python API: one function per command (``grad``, ``explain``, ``graph``, ``net``,
``train``, ``check``), keyword options named as the command line's, each returning a result
object that shows itself in a notebook (:mod:`backcalc.notebook`).

``grad(expression, **values)`` runs text -> parse -> graph -> forward -> backward -> Result.
Values named like an option go in the positional mapping (``grad("h*2", {"h": 3})``).
Warnings stay in ``result.warnings`` and are also issued as :class:`BackcalcWarning`.
"""

from __future__ import annotations

import sys
import warnings as _warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from . import ops as O
from .engine import backward, build, forward, gc_paused
from .errors import BackcalcError, Msg, setting
from .limits import DEFAULT_ATOL, DEFAULT_H, DEFAULT_TIMEOUT, DEFAULT_TOL
from .parse import parse
from .result import Result, make_result
from .values import coerce

if TYPE_CHECKING:
    from .network.optim import UpdateStep
    from .notebook import ClassResult, NetResult, Picture, QuizSheet, Steps, TrainResult


class BackcalcWarning(UserWarning):
    """What a run warns about (an unused value, an overflow, a stopped symbolic run): also in
    the result's ``warnings``.  The command line prints them itself."""


def _caller() -> tuple[int, str]:
    """The stack level (for ``warnings.warn`` from a function of this module) and the module
    name of the first caller outside this module, the magics and IPython: the user's line."""
    level = 3
    f: Any = sys._getframe(2)
    while f is not None and (
        f.f_globals.get("__name__") in (__name__, "backcalc.magics", "backcalc")
        or str(f.f_globals.get("__name__")).startswith("IPython.")  # a magic's caller: the cell
    ):
        f = f.f_back
        level += 1
    return level, "" if f is None else str(f.f_globals.get("__name__"))


def _from_cli() -> bool:
    return _caller()[1].startswith("backcalc.cli")


def _issue(messages: Iterable[str]) -> None:
    """Each warning through Python's ``warnings``, attributed to the user's line (so a notebook
    shows it under the cell).  The command line prints the warnings itself ("warning: ..." on
    stderr): called from it, nothing is issued."""
    msgs = list(messages)
    if not msgs:
        return
    level, module = _caller()
    if module.startswith("backcalc.cli"):
        return
    for m in msgs:
        _warnings.warn(m, BackcalcWarning, stacklevel=level - 1)


def _names(expression: str, name: str) -> bool:
    """Whether ``name`` appears as a word of the expression (only asked when an error is made)."""
    import re

    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", expression) is not None


def option_clash(function: str, name: str, example: str) -> BackcalcError:
    """The error for a value passed as a keyword that is the name of an option."""
    err = BackcalcError(
        f"'{name}' is an option of backcalc.{function}(), so {name}=... sets the option, not the value "
        f"of the variable '{name}'; give values named like options in the mapping: "
        f"backcalc.{function}({example!r}, {{{name!r}: ...}})"
    )
    err.clash = name  # type: ignore[attr-defined]
    return err


def _set(function: Any, name: str, given: dict[str, Any]) -> bool:
    """Whether ``name`` is a keyword option of ``function`` set to other than its default."""
    import inspect

    p = inspect.signature(function).parameters.get(name)
    return p is not None and p.kind is p.KEYWORD_ONLY and given.get(name, p.default) is not p.default


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
    setup: Any = None,
    upstream: Any = None,
    roles: str = "2017",
    **kwvalues: Any,
) -> Result:
    """Evaluate ``expression`` at the given values and backpropagate through it.

    >>> r = grad("(x+y)*z", x=-2, y=5, z=-4)
    >>> r.value, r.gradients
    (-12.0, {'x': -4.0, 'y': -4.0, 'z': 3.0})

    ``values`` (a mapping) is for names that clash with the keyword options.  A value is a
    number, a number text (``"1/3"``, read exactly by ``exact``), or an array.
    ``ties`` picks the rule for ties in max/min (split | all | first);
    ``expand`` splits compound gates (sigmoid, tanh, softplus, batchnorm) into primitive ones;
    ``roles`` names the gates' roles in the lecture's 2017 words (distributor, router, switcher)
    or its 2019 ones (swap multiplier; a node used twice is a copy gate, a gradient adder);
    ``wrt`` restricts the reported gradients; ``jacobian`` adds each gate's explicit local
    Jacobian when it has at most ``jacobian.JACOBIAN_MAX_ENTRIES`` entries.

    The text is parsed once and the graph built once; each requested domain runs over it:
    ``symbolic`` (formulas, ``Result.symbolic``), ``exact`` (exact numbers, ``Result.exact``),
    ``check`` (central differences with step ``h``, ``Result.gradcheck``) and ``expect``
    (expected answers by name, ``Result.expect``; relative tolerance ``tol``, absolute ``atol``).  ``timeout``
    bounds the symbolic and the exact run (seconds each; None or 0: no limit): past it the
    record says where it stopped and the numeric results stay complete.
    :func:`failure` tells whether a check or an expected answer failed.
    ``setup`` is the text of a notebook's setup lines (or a :class:`pathlib.Path` to them, or a
    read :class:`backcalc.setup_lines.Setup`): the values they define, which ``values`` override;
    the ones the expression does not use are left out quietly.  ``upstream`` names one of the
    values (or is an array itself): the upstream gradient of a non-scalar output (cs231n's
    ``dout``), so the gradients are those of ``sum(output * dout)``.
    Bad input raises :class:`BackcalcError`.
    """
    if not isinstance(ties, str) or ties not in O.TIE_RULES:
        if isinstance(expression, str) and _names(expression, "ties"):
            raise option_clash("grad", "ties", expression)
        raise BackcalcError(Msg("domains.ties", ties=ties, choices=", ".join(O.TIE_RULES)))
    flags = {"expand": expand, "jacobian": jacobian, "symbolic": symbolic, "exact": exact, "check": check}
    for name, flag in flags.items():
        if not isinstance(flag, bool) and isinstance(expression, str) and _names(expression, name):
            raise option_clash("grad", name, expression)
    given: dict[str, Any] = {**(values or {}), **kwvalues}
    prep = None
    if setup is not None or upstream is not None or check:
        from .upstream import prepare

        prep = prepare(given, setup=setup, upstream=upstream, symbolic=symbolic, exact=exact, check=check)
        given = prep.given
    seed = None if prep is None else prep.seed
    with gc_paused():
        try:
            graph, floats = _build(expression, given, expand)
        except BackcalcError as e:
            missing = getattr(e, "missing", None)
            if missing is not None and _set(grad, missing, locals()) and not _from_cli():
                raise option_clash("grad", missing, expression) from None
            if prep is None or seed is None:
                raise
            from .upstream import input_error

            raise input_error(e, prep.seed_name) from None
        result, fwd, bwd = _run(
            graph, floats, ties=ties, expand=expand, wrt=wrt, jacobian=jacobian, prep=prep
        )
    if prep is not None:
        result.warnings[:0] = prep.warnings
        if seed is not None:
            from .upstream import note

            note(result, prep.seed_name, seed)
    if symbolic:
        _symbolic(result, graph, given, fwd, bwd, ties=ties, timeout=timeout)
    if exact:
        _exact(result, graph, given, fwd, bwd, ties=ties, timeout=timeout)
    if check:
        _gradcheck(
            result,
            graph,
            floats,
            h=h,
            tol=tol,
            ties=ties,
            seed=seed,
            dtypes=None if prep is None else prep.dtypes,
        )
    if expect:
        _expect(result, expect, tol=tol, atol=atol)
    if roles != result.roles:  # the default needs no work (nor import)
        from .roles import apply

        apply(result, roles)
    _issue(result.warnings)
    return result


def _gradcheck(
    result: Result,
    graph: Any,
    floats: dict[str, Any],
    *,
    h: float,
    tol: float,
    ties: str,
    seed: Any = None,
    dtypes: dict[str, str] | None = None,
) -> None:
    from .gradcheck import check_settings, gradcheck

    try:
        check_settings(h, tol)
    except BackcalcError as e:  # "h must be ..." names the setting
        name = e.message.split(" ", 1)[0]
        raise e.reword(setting(name) + e.message[len(name) :]) from None
    flags = {n.id: n.flags for n in result.nodes if n.flags}
    rec = gradcheck(
        graph, floats, dict(result.gradients), h=h, tol=tol, ties=ties, flags=flags, seed=seed, dtypes=dtypes
    )
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
        err = BackcalcError(
            Msg("values.missing", name=name, more=more, given=have),
            source=expression,
            span=graph.span(graph.inputs[name]),
            hint=hint,
        )
        err.missing = name  # type: ignore[attr-defined]  # grad names an option clash
        raise err
    return graph, floats


def _run(
    graph: Any,
    given: dict[str, Any],
    *,
    ties: str,
    expand: bool,
    wrt: list[str] | None,
    jacobian: bool,
    prep: Any = None,
) -> tuple[Result, Any, Any]:
    quiet = () if prep is None else prep.quiet
    warnings: list[str] = [
        Msg("values.unused", name=n, value=_show(given[n]))
        for n in given
        if n not in graph.inputs and n not in quiet
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
    seed = None if prep is None else prep.seed
    if seed is not None:
        from .upstream import check_shape

        check_shape(graph, fwd, seed)
    bwd = backward(graph, fwd, ties, seed=seed)
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
        result.warnings.append(Msg("api.symbolic_note", detail=rec.stopped))
    elif rec.stopped:
        result.warnings.append(Msg("api.symbolic_stopped", detail=rec.stopped))
    wrong = [n for n, r in rec.gradients.items() if r.agrees is False]
    if wrong:
        result.warnings.append(Msg("api.symbolic_differ", names=", ".join(wrong)))


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
    result.warnings.extend(Msg("api.exact_note", detail=w) for w in rec.warnings)
    if rec.too_large:
        result.warnings.append(Msg("api.exact_note", detail=rec.stopped))
    elif not rec.complete:
        result.warnings.append(Msg("api.exact_floats", detail=rec.stopped))


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
            box["error"] = BackcalcError(Msg("api.sympy_too_deep"))
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


def _lang(lang: str | None) -> str:
    if lang is None:
        from .i18n import default_lang

        return default_lang()
    from .i18n import catalogue

    catalogue(lang)  # an unknown language: the one error that names the choices
    return lang


def _result(
    function: str, expression: Any, values: Mapping[str, Any] | None, kwvalues: dict[str, Any], **options: Any
) -> Result:
    """A Result given, or the run of ``expression`` at the values (explain and graph)."""
    if isinstance(expression, Result):
        if values or kwvalues:
            raise BackcalcError(Msg("api.result_values", function=function))
        return expression
    try:
        return grad(expression, {**(values or {}), **kwvalues}, **options)
    except BackcalcError as e:
        if getattr(e, "clash", None) is not None:
            raise option_clash(function, e.clash, expression) from None  # type: ignore[attr-defined]
        raise


def step(
    rule: str,
    *,
    setup: Any = None,
    w: Any = None,
    dw: Any = None,
    config: Mapping[str, Any] | None = None,
    **settings: Any,
) -> UpdateStep:
    """One update of a cs231n update rule (``sgd``, ``sgd_momentum``, ``rmsprop``, ``adam``) on
    its own, as ``backcalc step RULE`` and the FullyConnectedNets notebook check it.

    ``setup`` is the text of the notebook's setup lines (or a :class:`pathlib.Path` to them,
    or a read :class:`backcalc.setup_lines.Setup`) defining ``w``, ``dw`` and ``config = {...}``;
    ``w``, ``dw`` (arrays) and ``config`` (the notebook's dictionary: settings and state) replace
    the setup's, and ``settings`` by name (``learning_rate=1e-3``, ``t=5``) override both.
    Returns an :class:`backcalc.network.optim.UpdateStep`: ``next_w``, the new ``state``
    (velocity; cache; m, v, t) and the settings used (``config``, defaults filled in).

    >>> s = step("sgd_momentum", w=[1.0, 2.0], dw=[0.5, -0.5], learning_rate=0.1)
    >>> s.next_w.tolist(), s.state["velocity"].tolist()
    ([0.95, 2.05], [-0.05, 0.05])
    """
    from .network.optim import DEFAULTS, STATE, one_step
    from .network.optim import rule as find_rule

    find_rule(rule)
    names: dict[str, Any] = {}
    configs: dict[str, dict[str, Any]] = {}
    messages: list[str] = []
    if setup is not None:
        from .upstream import as_setup

        rec = as_setup(setup)
        names.update(rec.values)
        configs.update(rec.configs)
        messages = list(rec.warnings)
    for name, value in (("w", w), ("dw", dw)):
        if value is not None:
            names[name] = value
    if config is not None:
        if not isinstance(config, Mapping):
            raise BackcalcError(Msg("api.step_config", rule=rule, got=type(config).__name__))
        configs["config"] = dict(config)
    keys = set(DEFAULTS[rule]) | set(STATE[rule])
    for name in settings:
        if name not in keys:
            raise BackcalcError(
                Msg("api.step_setting", rule=rule, name=name, settings=", ".join(sorted(keys)))
            )
    result = one_step(rule, names, configs, settings)
    _issue(messages)
    return result


def explain(
    expression: str | Result,
    values: Mapping[str, Any] | None = None,
    /,
    *,
    lang: str | None = None,
    precision: int = 4,
    ties: str = O.DEFAULT_TIES,
    expand: bool = False,
    **kwvalues: Any,
) -> Steps:
    """The forward and backward pass narrated step by step (``backcalc explain``), in ``lang``
    ("en" or "ko"; default: from the locale).  Prints as text, shows as HTML in a notebook.

    >>> steps = explain("(x+y)*z", x=-2, y=5, z=-4, lang="en")
    >>> "∂f/∂x = -4" in str(steps)
    True
    >>> "gradient distributor" in str(explain("(x+y)*z", x=-2, y=5, z=-4, lang="ko"))
    True
    """
    from .notebook import Steps

    result = _result("explain", expression, values, kwvalues, ties=ties, expand=expand)
    return Steps(result, _lang(lang), precision)


def graph(
    expression: str | Result,
    values: Mapping[str, Any] | None = None,
    /,
    *,
    output: str | None = None,
    lang: str | None = None,
    precision: int = 4,
    ties: str = O.DEFAULT_TIES,
    expand: bool = False,
    max_nodes: int | None = None,
    **kwvalues: Any,
) -> Picture:
    """The computational graph as the lecture draws it (``backcalc graph``): forward values
    in green above each wire, gradients in red below.  ``output`` writes it to a .dot, .svg,
    .png or .pdf file (all but .dot need Graphviz); the picture shows itself in a notebook.

    >>> pic = graph("(x+y)*z", x=-2, y=5, z=-4)
    >>> pic.to_dot().startswith("digraph backcalc {")
    True
    """
    from .notebook import Picture

    result = _result("graph", expression, values, kwvalues, ties=ties, expand=expand)
    pic = Picture(result, _lang(lang), precision, max_nodes)
    if output is not None and output != "-":
        from .render import dot

        dot.write_file(result, output, pic.lang, precision, max_nodes=max_nodes)
    return pic


def quiz(
    expression: str | Result,
    values: Mapping[str, Any] | None = None,
    /,
    *,
    answers: Iterable[Any] | None = None,
    lang: str | None = None,
    decimals: int | None = None,
    ties: str = O.DEFAULT_TIES,
    expand: bool = False,
    **kwvalues: Any,
) -> QuizSheet:
    """A backprop quiz (``backcalc quiz``): every forward value, then the gradients in backward
    order.  In a notebook it shows the quiz page, each box turning green or red as it is filled;
    with ``answers`` (in the order asked) the quiz is taken at once and marked as the terminal
    quiz marks it (``.score``, ``.transcript``).  ``decimals`` accepts answers rounded so.

    >>> sheet = quiz("(x+y)*z", x=-2, y=5, z=-4, answers=[3, -12, -4, 3, -4, 4, -4], lang="en")
    >>> (sheet.score.right, sheet.score.total, sheet.score.first_try)
    (6, 6, 5)
    >>> "check the sign" in sheet.transcript  # the one wrong answer (4 for -4) got a hint
    True
    """
    from .notebook import QuizSheet

    result = _result("quiz", expression, values, kwvalues, ties=ties, expand=expand)
    return QuizSheet(result, _lang(lang), decimals, answers)


def net(
    spec: str | Mapping[str, Any],
    *,
    ties: str = O.DEFAULT_TIES,
    expand: bool = False,
    step: bool = False,
    lr: float = 0.1,
    output: str | None = None,
    in_place: bool = False,
) -> NetResult:
    """Forward and backward through a network spec (``backcalc net``: a .toml/.json path, or
    the same structure as a mapping); returns the evaluation: ``.loss``, ``.layers`` (one
    :class:`backcalc.network.LayerRecord` per layer: ``.z``, ``.a``, ``.delta``, ``.dW``,
    ``.db``), ``.result`` (the graph's Result).  ``step`` takes one gradient-descent step
    with rate ``lr`` (``.step``: a :class:`backcalc.network.StepRecord`); ``output`` writes the
    (stepped) spec to a .toml or .json file, never over the input spec without ``in_place``.

    >>> ev = net("examples/networks/mazur.toml")
    >>> round(ev.loss, 9)
    0.298371109
    """
    from .network import evaluate, gd_step
    from .network.spec import load_spec, parse_spec, save_spec
    from .notebook import NetResult

    source = spec if isinstance(spec, str) else None
    target = _spec_output(source, output, in_place)
    network = load_spec(spec) if isinstance(spec, str) else parse_spec(dict(spec))
    with gc_paused():
        ev = evaluate(network, ties=ties, expand=expand)
    new = gd_step(ev, lr, ties=ties) if step else ev.net
    if target is not None:
        what = f"one gradient-descent step (lr {lr:g}) from {source or 'a spec'}" if step else f"{source}"
        save_spec(
            new, target, source=source or target, in_place=in_place, header=f"written by backcalc.net: {what}"
        )
    _issue(ev.result.warnings)
    return NetResult(**{f: getattr(ev, f) for f in ev.__dataclass_fields__})


def _spec_output(spec: str | None, output: str | None, in_place: bool) -> str | None:
    """Where to write the (trained or stepped) spec: never over the input spec without ``in_place``."""
    import os

    from .files import refuse_overwrite

    if spec is None and in_place:
        raise BackcalcError(Msg("api.in_place_mapping", in_place=setting("in_place")))
    if output is None and in_place:
        output = spec
    if output is not None:
        if os.path.splitext(output)[1].lower() not in (".toml", ".json"):
            raise BackcalcError(Msg("cli.spec_extension", output=output))
        if spec is not None:
            refuse_overwrite(output, spec, in_place)
    return output


def train(
    spec: str | Mapping[str, Any],
    *,
    data: str | None = None,
    target: str | None = None,
    features: str | None = None,
    epochs: int = 100,
    batch: int = 0,
    lr: float = 0.1,
    seed: int = 0,
    shuffle: bool = True,
    output: str | None = None,
    in_place: bool = False,
    plot: str | None = None,
    ties: str = O.DEFAULT_TIES,
    progress: bool | None = None,
) -> TrainResult:
    """Train a network by gradient descent (``backcalc train``): ``batch`` rows per step (1 =
    per example, 0 = the whole batch), ``epochs`` passes over ``data`` (a .csv or .npz file;
    default: the spec's x and y).  ``output`` saves the trained spec, ``plot`` draws the loss
    per epoch into a .png, .svg or .pdf file.  In a notebook a progress bar with the running
    loss shows while it trains (``progress``: None = only in a notebook), and the result shows
    the loss curve.  Returns the report (``.losses``, ``.final_loss``, ``.network``) with the
    trained network as ``.net``.

    >>> tr = train("examples/xor.toml", epochs=5, progress=False)
    >>> tr.epochs_run, len(tr.losses)
    (5, 5)
    """
    import os

    from .network import training as T
    from .network.spec import load_spec, parse_spec, save_spec
    from .notebook import TrainResult, progress_bar
    from .render import loss_plot

    source = spec if isinstance(spec, str) else "<spec>"
    network = load_spec(spec) if isinstance(spec, str) else parse_spec(dict(spec), source)
    target_path = _spec_output(spec if isinstance(spec, str) else None, output, in_place)
    if plot is not None:
        loss_plot.image_format(plot)
        loss_plot.require_matplotlib()
    X, Y, where = (
        T.file_data(network, data, target, features) if data is not None else T.spec_data(network, source)
    )
    size = T.batch_size(int(X.shape[0]), batch)
    total = epochs * T.steps_per_epoch(int(X.shape[0]), size)
    with progress_bar(total, epochs, progress) as on_step, _interruptible() as stop:
        tr = T.train(
            network,
            X,
            Y,
            epochs=epochs,
            batch=size,
            lr=lr,
            seed=seed,
            shuffle=shuffle,
            ties=ties,
            on_step=on_step,
            stop=stop,
        )
    if tr.diverged:
        raise BackcalcError(
            Msg("cli.diverged", detail=tr.warnings[0]), hint=Msg("api.smaller_lr", lr=setting("lr"))
        )
    _issue(tr.warnings)
    if target_path is not None:
        what = (
            f"training of {source}: {tr.epochs_run} epochs, {tr.steps} steps, batch {tr.batch}, lr {tr.lr:g}"
        )
        save_spec(
            tr.net, target_path, source=source, in_place=in_place, header=f"written by backcalc.train: {what}"
        )
    if plot is not None and tr.losses:
        title = f"{os.path.basename(source)}: loss per epoch (batch {tr.batch}, lr {tr.lr:g})"
        loss_plot.write_image(tr.losses, plot, title)
    report = T.report(
        tr,
        spec=source,
        data=data,
        rows=int(X.shape[0]),
        seed=seed,
        shuffle=shuffle,
        data_summary=where,
        output=target_path,
        plot=plot,
    )
    return TrainResult(net=tr.net, **{f: getattr(report, f) for f in report.__dataclass_fields__})


@contextmanager
def _interruptible() -> Iterator[Callable[[], bool]]:
    """The first Ctrl-C (a notebook's "interrupt the kernel") ends training after the current
    step, keeping what was trained; a second one interrupts at once.  Only in the main thread."""
    import signal
    import threading

    asked = [False]

    def on_sigint(signum: int, frame: Any) -> None:
        asked[0] = True
        signal.signal(signal.SIGINT, signal.default_int_handler)

    old = None
    if threading.current_thread() is threading.main_thread():
        old = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield lambda: asked[0]
    finally:
        if old is not None:
            signal.signal(signal.SIGINT, old)


def check(
    key: str | Mapping[str, Any],
    submissions: str | Mapping[str, Any] | Iterable[str | Mapping[str, Any]],
    *,
    rtol: float | None = None,
    atol: float | None = None,
    decimals: int | None = None,
    lang: str = "en",
) -> ClassResult:
    """Grade ``submissions`` (paths of files or directories, or mappings) against the answer
    ``key`` (a path or a mapping), as ``backcalc check --key``: a
    :class:`backcalc.grading.ClassReport` of typed records (every submission's points,
    answers, correct values and feedback; the class summary).  Each key problem is computed once.

    >>> report = check("examples/grading/key.toml", "examples/grading/submissions")
    >>> report.summary.submissions > 0
    True
    """
    from .grading import check as grade_class
    from .notebook import ClassResult

    rep = grade_class(key, submissions, rtol=rtol, atol=atol, decimals=decimals, lang=lang)
    return ClassResult(**{f: getattr(rep, f) for f in rep.__dataclass_fields__})
