"""backcalc explain: the forward and backward pass narrated step by step (or played back gate by gate)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .common import (
    DecimalsOpt,
    ExpandOpt,
    ExpressionArg,
    Format,
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
    format_option,
    guarded,
    lang_code,
    pick_format,
    writeup,
)

FORMATS = (Format.table, Format.markdown, Format.latex, Format.html)
ExplainFormatOpt = Annotated[
    Optional[Format],
    format_option("help.explain_format"),
]
StepsOpt = Annotated[
    bool,
    typer.Option(
        "--steps",
        help="help.steps",
        rich_help_panel="panel.output",
    ),
]


def explain(
    expression: ExpressionArg,
    values: ValuesArg = None,
    lang: LangOpt = None,
    precision: PrecisionOpt = 4,
    decimals: DecimalsOpt = None,
    ties: TiesOpt = Ties.SPLIT,
    expand: ExpandOpt = False,
    values_file: ValuesFileOpt = None,
    roles: RolesOpt = Roles.y2017,
    steps: StepsOpt = False,
    format: ExplainFormatOpt = None,
    standalone: StandaloneOpt = False,
) -> None:
    """Explain the forward and backward pass step by step: gate, local gradient, upstream x local = downstream, and why."""

    def run() -> None:
        from ..display import digits

        p = digits(precision, decimals)
        from .. import explanation as X

        code = lang_code(lang)
        fmt = pick_format(format or Format.table, FORMATS, "explain")
        result = compute(expression, values, ties, expand, values_files=values_file, roles=roles)
        from .run import size_warning

        size_warning(len(result.nodes), "explain.size", lang)
        if fmt is Format.html and steps:
            from ..render import steps_html

            sys.stdout.write(steps_html.render(result, code, p))
            return
        if fmt is not Format.table:
            sys.stdout.write(writeup(result, fmt, p, code, standalone))
            return
        ex = X.build(result, code, p)
        if steps:
            play(ex)
            return
        console().print(X.render_rich(ex))

    guarded(run)


def play(ex: object) -> None:
    """One gate at a time on a terminal (Enter: next, q: stop); every step at once otherwise."""
    from .. import playback as P

    con = console()
    frames = P.frames(ex)  # type: ignore[arg-type]
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    m = ex.messages  # type: ignore[attr-defined]
    for k, frame in enumerate(frames, 1):
        for item in P.frame_text(ex, frame, k, len(frames), con.width):  # type: ignore[arg-type]
            con.print(item)
        if interactive and k < len(frames):
            try:
                answer = input(m("steps.keys") + " ")
            except EOFError:
                break
            if answer.strip().lower() in ("q", "quit", "exit"):
                break
        con.print()
