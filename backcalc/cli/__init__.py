"""The command line: the typer app, its commands (one module each) and ``main()``.

Read arguments, call the API, pick a renderer; no maths here.  Shared options, the
format dispatch and the error guard live in :mod:`backcalc.cli.common`.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import check, explain, grad, graph, net, train
from .common import run_app

app = typer.Typer(
    name="backcalc",
    help="A backprop calculator: forward values and chain-rule gradients, node by node.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

app.command("grad")(grad.grad)
app.command("graph")(graph.graph)
app.command("explain")(explain.explain)
app.command("check")(check.check_answers)
app.command("net")(net.net)
app.command("train")(train.train_cmd)


def _show_version(value: bool) -> None:
    if value:
        from .. import __version__

        sys.stdout.write(f"backcalc {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """A backprop calculator: forward values and chain-rule gradients, node by node."""


def main() -> None:
    run_app(app)


__all__ = ["app", "main"]
