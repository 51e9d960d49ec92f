"""backcalc grad: every node's forward value and chain-rule gradients, in any format."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from .common import (
    ExpandOpt,
    ExpressionArg,
    Format,
    FormatOpt,
    LangOpt,
    PrecisionOpt,
    StandaloneOpt,
    Ties,
    TiesOpt,
    ValuesArg,
    ValuesFileOpt,
    compute,
    console,
    emit,
    given_values,
    guarded,
    pick_format,
    warn,
)

WrtOpt = Annotated[
    Optional[str], typer.Option("--wrt", help="Report gradients only for these inputs: --wrt x,y.")
]
SymbolicOpt = Annotated[
    bool,
    typer.Option(
        "--symbolic",
        help="Also derive each gradient as a formula (SymPy), with the chain-rule product it came from.",
    ),
]
TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout",
        help="Seconds allowed for --symbolic/--exact work (a worker process, killed when time runs out); 0 = no limit.",
    ),
]
ExactOpt = Annotated[
    bool,
    typer.Option(
        "--exact",
        help="Also compute in exact arithmetic (1/3 stays 1/3, sqrt(2) stays sqrt(2)), decimals beside.",
    ),
]
CheckOpt = Annotated[
    bool,
    typer.Option("--check", help="Numerical gradient check (central differences); exit 1 if it fails."),
]
StepOpt = Annotated[float, typer.Option("--h", help="Step of the gradient check.")]
TolOpt = Annotated[float, typer.Option("--tol", help="Relative error allowed by --check and --expect.")]
ExpectOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--expect",
        help="Expected answer NAME=VALUE (an input's gradient, or the output's value); repeatable; exit 1 on a mismatch.",
        show_default=False,
    ),
]
JacobianOpt = Annotated[
    bool,
    typer.Option(
        "--jacobian",
        help="Also show each gate's explicit local Jacobian, when it has at most 144 entries.",
    ),
]
NodesOpt = Annotated[
    bool,
    typer.Option(
        "--nodes/--no-nodes",
        help="With --no-nodes: only the value and the gradients, no per-node records (JSON 'nodes' is "
        "empty; the table is the summary line). For large expressions.",
    ),
]


def checks(
    result: Any,
    values: Optional[list[str]],
    given: dict[str, Any],
    *,
    symbolic: bool,
    exact: bool,
    check: bool,
    h: float,
    tol: float,
    expect: Optional[list[str]],
    timeout: float,
    ties: Ties,
    expand: bool,
) -> Optional[BaseException]:
    """--symbolic, --exact, --check and --expect: fill the result's records; the failure to
    raise once the result is shown (None when every check passed)."""
    from ..gradcheck import run_checks

    return run_checks(
        result,
        result.expression,
        values or [],
        symbolic=symbolic,
        exact=exact,
        check=check,
        h=h,
        tol=tol,
        expects=expect,
        timeout=timeout,
        ties=ties.value,
        expand=expand,
        given=given,
    )


def grad(
    expression: ExpressionArg,
    values: ValuesArg = None,
    format: FormatOpt = None,
    precision: PrecisionOpt = 4,
    wrt: WrtOpt = None,
    ties: TiesOpt = Ties.SPLIT,
    expand: ExpandOpt = False,
    lang: LangOpt = None,
    standalone: StandaloneOpt = False,
    symbolic: SymbolicOpt = False,
    timeout: TimeoutOpt = 30.0,
    exact: ExactOpt = False,
    check: CheckOpt = False,
    h: StepOpt = 1e-5,
    tol: TolOpt = 1e-6,
    expect: ExpectOpt = None,
    values_file: ValuesFileOpt = None,
    jacobian: JacobianOpt = False,
    nodes: NodesOpt = True,
) -> None:
    """Evaluate EXPRESSION at the given values and show every node's forward value and chain-rule gradients."""

    def run() -> None:
        given = given_values(values, values_file)
        result = compute(
            expression, values, ties, expand, wrt, warn_now=False, jacobian=jacobian, given=given
        )
        checking = symbolic or exact or check or bool(expect)
        failure = None
        if checking:
            failure = checks(
                result,
                values,
                given,
                symbolic=symbolic,
                exact=exact,
                check=check,
                h=h,
                tol=tol,
                expect=expect,
                timeout=timeout,
                ties=ties,
                expand=expand,
            )
        for w in result.warnings:
            warn(w)
        fmt = pick_format(format)
        emit(result, fmt, precision, lang, standalone, nodes)
        if fmt is Format.table and checking:
            from ..render import check_table

            console().print(check_table.render_extras(result, precision))
        if failure is not None:
            raise failure

    guarded(run)
