"""backcalc check FILE: grade an answer file against backcalc's own values and gradients."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .common import Format, PrecisionOpt, console, format_option, guarded, pick_format, write_json

FileArg = Annotated[
    str,
    typer.Argument(help="A TOML answer file: one 'problem' table per exercise (see examples/homework.toml)."),
]
CheckFormatOpt = Annotated[
    Optional[Format],
    format_option("Output format: table or json (default: table on a terminal, json when piped)."),
]


def check_answers(file: FileArg, format: CheckFormatOpt = None, precision: PrecisionOpt = 4) -> None:
    """Grade an answer file: every expected value and gradient against backcalc's. Exit 0 all pass, 1 any fails, 2 malformed."""

    def run() -> None:
        from ..answers import grade, load_answers

        report = grade(load_answers(file))
        if pick_format(format) is Format.json:
            from ..render import json as J

            write_json(J.check_json(report))
        else:
            from ..render import check_table

            console().print(check_table.render_report(report, precision))
        for item in report.items:
            if item.status == "malformed":
                sys.stderr.write(f"error: {file}: {item.label}: {item.error}\n")
        code = report.summary.exit_code
        if code:
            raise typer.Exit(code)

    guarded(run)
