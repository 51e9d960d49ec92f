"""backcalc graph: the computational graph as a picture (DOT, or SVG/PNG/PDF through Graphviz)."""

from __future__ import annotations

import enum
import os
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


class PictureFormat(str, enum.Enum):
    dot = "dot"
    svg = "svg"
    png = "png"
    pdf = "pdf"


PictureFormatOpt = Annotated[
    Optional[PictureFormat],
    typer.Option(
        "--format",
        "-f",
        help="help.graph_format",
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
    format: PictureFormatOpt = None,
    roles: RolesOpt = Roles.y2017,
) -> None:
    """Draw the computational graph as the lecture does: forward values in green above each edge, gradients in red below.
    EXPRESSION may be a network spec (a .toml or .json file): its whole graph is drawn."""

    def run() -> None:
        from ..errors import BackcalcError
        from ..i18n import Messages
        from ..render import dot

        code = lang_code(lang)
        m = Messages(code)
        to_stdout = output is None or output == "-"
        if to_stdout and format is None and sys.stdout.isatty():
            # a terminal: no DOT dump, no binary; say how to get a picture (nothing computed)
            from rich.console import Console

            Console(stderr=True, highlight=False).print(m("graph.terminal"), markup=False)  # word-wrapped
            return
        if is_spec(expression) and not values and not values_file:
            from ..cli.common import warn
            from ..network import evaluate
            from ..network.spec import load_spec

            result = evaluate(load_spec(expression), ties=ties.value, expand=expand).result
            for w in result.warnings:
                warn(w)
        else:
            result = compute(expression, values, ties, expand, values_files=values_file, roles=roles)
        if output is not None and not to_stdout:
            dot.write_file(result, output, code, precision, max_nodes=max_nodes)
            say("cli.wrote", path=output)
            return
        fmt_ = (format or PictureFormat.dot).value
        if fmt_ in ("png", "pdf") and sys.stdout.isatty():
            raise BackcalcError(m("graph.binary_terminal", fmt=fmt_))
        data = dot.render_bytes(result, fmt_, code, precision, max_nodes=max_nodes)
        if fmt_ in ("png", "pdf"):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data.decode("utf-8"))

    guarded(run)


def is_spec(text: str) -> bool:
    """Is EXPRESSION a network spec's file name (.toml or .json)?  No expression ends so."""
    return os.path.splitext(text)[1].lower() in (".toml", ".json")
