"""backcalc grad: every node's forward value and chain-rule gradients, in any format."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from ..errors import BackcalcError, Msg
from ..limits import DEFAULT_ATOL, DEFAULT_H, DEFAULT_TIMEOUT, DEFAULT_TOL
from .common import (
    DecimalsOpt,
    ExpandOpt,
    ExpressionArg,
    Format,
    FormatOpt,
    LangOpt,
    PrecisionOpt,
    Roles,
    RolesOpt,
    StandaloneOpt,
    Ties,
    TiesOpt,
    ValuesArg,
    ValuesFileOpt,
    compute,
    console,
    emit,
    guarded,
    lang_code,
    pick_format,
    read_setup_option,
)

CHK = "panel.checking"
WrtOpt = Annotated[
    Optional[str], typer.Option("--wrt", metavar="NAMES", help="help.wrt", rich_help_panel="panel.arrays")
]
SymbolicOpt = Annotated[bool, typer.Option("--symbolic", help="help.symbolic", rich_help_panel=CHK)]
TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout", metavar="SECONDS", help="help.timeout", show_default=False, rich_help_panel=CHK
    ),
]
ExactOpt = Annotated[bool, typer.Option("--exact", help="help.exact", rich_help_panel=CHK)]
CheckOpt = Annotated[bool, typer.Option("--check", help="help.check", rich_help_panel=CHK)]
StepOpt = Annotated[
    float, typer.Option("--h", metavar="H", help="help.h", show_default=False, rich_help_panel=CHK)
]
TolOpt = Annotated[
    float,
    typer.Option("--rtol", "--tol", metavar="TOL", help="help.tol", show_default=False, rich_help_panel=CHK),
]
AtolOpt = Annotated[
    float,
    typer.Option("--atol", min=0.0, metavar="TOL", help="help.atol", show_default=False, rich_help_panel=CHK),
]
ExpectOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--expect", metavar="NAME=VALUE", help="help.expect", show_default=False, rich_help_panel=CHK
    ),
]
JacobianOpt = Annotated[
    bool, typer.Option("--jacobian", help="help.jacobian", rich_help_panel="panel.arrays")
]
NodesOpt = Annotated[
    bool,
    typer.Option("--nodes/--no-nodes", help="help.nodes", show_default=False, rich_help_panel="panel.output"),
]
SetupOpt = Annotated[
    Optional[str],
    typer.Option(
        "--setup",
        metavar="FILE",
        show_default=False,
        help="help.setup",
        rich_help_panel="panel.arrays",
    ),
]
UpstreamOpt = Annotated[
    Optional[str],
    typer.Option(
        "--upstream",
        metavar="NAME",
        show_default=False,
        help="help.upstream",
        rich_help_panel="panel.arrays",
    ),
]

OutputOpt = Annotated[
    Optional[str],
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="help.grad_output",
        rich_help_panel="panel.output",
        show_default=False,
    ),
]


def expectations(items: Optional[list[str]]) -> Optional[dict[str, Any]]:
    """--expect NAME=VALUE items -> {name: value} (the API grades them)."""
    if not items:
        return None
    from ..values import parse_assignment

    out: dict[str, Any] = {}
    for item in items:
        try:
            name, value = parse_assignment(item)
        except BackcalcError as e:
            raise BackcalcError(
                Msg("cli.expect_item", detail=e._raw[0]), hint=Msg("cli.expect_hint")
            ) from None
        if name in out:
            raise BackcalcError(Msg("cli.expect_twice", name=name))
        out[name] = value
    return out


def grad(
    expression: ExpressionArg,
    values: ValuesArg = None,
    format: FormatOpt = None,
    precision: PrecisionOpt = 4,
    decimals: DecimalsOpt = None,
    wrt: WrtOpt = None,
    ties: TiesOpt = Ties.SPLIT,
    expand: ExpandOpt = False,
    standalone: StandaloneOpt = False,
    symbolic: SymbolicOpt = False,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
    exact: ExactOpt = False,
    check: CheckOpt = False,
    h: StepOpt = DEFAULT_H,
    tol: TolOpt = DEFAULT_TOL,
    atol: AtolOpt = DEFAULT_ATOL,
    expect: ExpectOpt = None,
    values_file: ValuesFileOpt = None,
    jacobian: JacobianOpt = False,
    nodes: NodesOpt = True,
    output: OutputOpt = None,
    roles: RolesOpt = Roles.y2017,
    setup: SetupOpt = None,
    upstream: UpstreamOpt = None,
    lang: LangOpt = None,
) -> None:
    """Evaluate EXPRESSION at the given values and show every node's forward value and chain-rule gradients."""

    def run() -> None:
        from ..display import digits

        p = digits(precision, decimals)
        from ..api import failure

        settings: dict[str, Any] = {"symbolic": symbolic, "exact": exact, "check": check, "h": h, "tol": tol}
        settings["atol"] = atol
        settings.update(expect=expectations(expect), timeout=timeout)
        if setup is not None:
            settings["setup"] = read_setup_option(setup, expression)
        if upstream is not None:
            settings["upstream"] = upstream
        result = compute(
            expression,
            values,
            ties,
            expand,
            wrt,
            warn_now=True,
            jacobian=jacobian,
            values_files=values_file,
            checks=settings,
            roles=roles,
        )
        if output is not None and output != "-":
            from .run import write_output

            write_output(result, output, p, lang, standalone, nodes)
            err = failure(result)
            if err is not None:
                raise err
            return
        fmt = pick_format(format)
        emit(result, fmt, p, lang, standalone, nodes)
        if fmt is Format.table and (symbolic or exact or check or bool(expect)):
            from ..render import check_table

            console().print(check_table.render_extras(result, p, lang_code(lang)))
        err = failure(result)
        if err is not None:
            raise err

    guarded(run)
