"""backcalc net SPEC: forward and backward through a network spec, optionally one step."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..errors import BackcalcError, Msg
from .common import (
    DecimalsOpt,
    ExpandOpt,
    Format,
    FormatOpt,
    InPlaceOpt,
    LangOpt,
    PrecisionOpt,
    SpecArg,
    StandaloneOpt,
    Ties,
    TiesOpt,
    console,
    emit,
    guarded,
    lang_code,
    pick_format,
    say,
    spec_output,
    warn,
    write_json,
)

NET = "panel.network"
StepOpt = Annotated[bool, typer.Option("--step", help="help.step", rich_help_panel=NET)]
LrOpt = Annotated[float, typer.Option("--lr", metavar="LR", help="help.lr_step", rich_help_panel=NET)]
OutputOpt = Annotated[
    Optional[str],
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="help.net_output",
        show_default=False,
        rich_help_panel="panel.output",
    ),
]
NotationOpt = Annotated[
    str,
    typer.Option(
        "--notation",
        metavar="NOTATION",
        help="help.notation",
        rich_help_panel="panel.output",
    ),
]
ExplainOpt = Annotated[
    bool, typer.Option("--explain", help="help.net_explain", rich_help_panel="panel.output")
]


def net(
    spec: SpecArg,
    format: FormatOpt = None,
    precision: PrecisionOpt = 4,
    decimals: DecimalsOpt = None,
    step: StepOpt = False,
    lr: LrOpt = 0.1,
    output: OutputOpt = None,
    in_place: InPlaceOpt = False,
    ties: TiesOpt = Ties.SPLIT,
    expand: ExpandOpt = False,
    lang: LangOpt = None,
    standalone: StandaloneOpt = False,
    explain: ExplainOpt = False,
    notation: NotationOpt = "lecture",
) -> None:
    """Forward and backward through a network spec: per layer z, a, delta = dL/dz, dL/dW, dL/db, and the loss."""

    def run() -> None:
        from ..display import digits

        p = digits(precision, decimals)
        from ..network import evaluate, gd_step
        from ..network.narrate import NOTATIONS
        from ..network.spec import load_spec, save_spec

        if notation not in NOTATIONS:
            raise BackcalcError(
                Msg("cli.unknown_notation", notation=notation),
                hint=Msg("cli.use_one_of", choices=", ".join(NOTATIONS)),
            )
        target = spec_output(spec, output, in_place)
        ev = evaluate(load_spec(spec), ties=ties.value, expand=expand)
        new = gd_step(ev, lr, ties=ties.value) if step else ev.net
        if target is not None:
            what = f"one gradient-descent step (lr {lr:g}) from {spec}" if step else f"{spec}"
            save_spec(new, target, source=spec, in_place=in_place, header=f"written by backcalc net: {what}")
        fmt = pick_format(format)
        if explain:
            from ..network import narrate

            story = narrate.build(ev, lang_code(lang), p, notation)
            console().print(narrate.render_rich(story))
        elif fmt is Format.json:
            from ..render import json as J

            write_json(J.net_json(ev, target))
        elif fmt is Format.table:
            from ..render import net_table

            console().print(net_table.render(ev, p, lang_code(lang)))
        else:
            emit(ev.result, fmt, p, lang, standalone)
        for w in ev.result.warnings:
            warn(w)
        if target is not None:
            say("cli.wrote", path=target)

    guarded(run)
