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
    Roles,
    RolesOpt,
    Ties,
    TiesOpt,
    ValuesArg,
    ValuesFileOpt,
    compute,
    guarded,
    lang_code,
)

OutputOpt = Annotated[
    Optional[str],
    typer.Option(
        "--output",
        "-o",
        help="Write the picture to FILE (.dot, .svg, .png or .pdf; all but .dot need Graphviz). Without it, DOT goes to stdout.",
        show_default=False,
    ),
]

MaxNodesOpt = Annotated[
    Optional[int],
    typer.Option(
        "--max-nodes",
        min=1,
        help=(
            "Draw SVG, PNG or PDF pictures of up to N gates, however long Graphviz takes. "
            "Without it, larger pictures (over 2000 gates, or about 10 s of layout) are refused "
            "before Graphviz runs; DOT is always written."
        ),
        show_default=False,
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
    roles: RolesOpt = Roles.y2017,
) -> None:
    """Draw the computational graph as the lecture does: forward values in green above each edge, gradients in red below."""

    def run() -> None:
        from ..render import dot

        result = compute(expression, values, ties, expand, values_files=values_file, roles=roles)
        if output is None or output == "-":
            sys.stdout.write(dot.to_dot(result, lang_code(lang), precision))
        else:
            dot.write_file(result, output, lang_code(lang), precision, max_nodes=max_nodes)
            sys.stderr.write(f"wrote {output}\n")

    guarded(run)
