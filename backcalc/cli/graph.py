"""backcalc graph: the computational graph as a picture (DOT, or SVG/PNG/PDF through Graphviz)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .common import (
    ExpandOpt,
    ExpressionArg,
    LangOpt,
    PrecisionOpt,
    Ties,
    TiesOpt,
    ValuesArg,
    ValuesFileOpt,
    compute,
    guarded,
    lang_code,
    say,
)

OutputOpt = Annotated[
    Optional[str],
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="help.graph_output",
        show_default=False,
        rich_help_panel="panel.output",
    ),
]
MaxNodesOpt = Annotated[
    Optional[int],
    typer.Option(
        "--max-nodes",
        min=1,
        metavar="N",
        help="help.max_nodes",
        show_default=False,
        rich_help_panel="panel.output",
    ),
]


def graph(
    expression: ExpressionArg,
    values: ValuesArg = None,
    output: OutputOpt = None,
    precision: PrecisionOpt = 4,
    ties: TiesOpt = Ties.SPLIT,
    expand: ExpandOpt = False,
    lang: LangOpt = None,
    values_file: ValuesFileOpt = None,
    max_nodes: MaxNodesOpt = None,
) -> None:
    """Draw the computational graph as the lecture does: forward values in green above each edge, gradients in red below."""

    def run() -> None:
        from ..render import dot

        result = compute(expression, values, ties, expand, values_files=values_file)
        if output is None or output == "-":
            sys.stdout.write(dot.to_dot(result, lang_code(lang), precision))
        else:
            dot.write_file(result, output, lang_code(lang), precision, max_nodes=max_nodes)
            say("cli.wrote", path=output)

    guarded(run)
