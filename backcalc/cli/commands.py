"""The typer app: its commands (one module each), --version, and ``make_app``."""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Annotated, Optional

import typer

from .run import Lang

# command name -> (module of this package, the function in it)
COMMANDS = {
    "grad": ("grad", "grad"),
    "graph": ("graph", "graph"),
    "explain": ("explain", "explain"),
    "check": ("check", "check_answers"),
    "net": ("net", "net"),
    "train": ("train", "train_cmd"),
    "quiz": ("quiz", "quiz"),
    "step": ("step", "step_cmd"),
}
HELP = "help.cmd.app"  # catalogue keys: the help is in the run's language


def _show_version(value: bool) -> None:
    if value:
        from .. import __version__

        sys.stdout.write(f"backcalc {__version__}\n")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="help.version"),
    ] = False,
    lang: Annotated[
        Optional[Lang],
        typer.Option("--lang", help="help.lang", show_default=False),
    ] = None,
) -> None:
    """A backprop calculator: forward values and chain-rule gradients, node by node.

    ``--lang`` here (``backcalc --lang ko grad ...``) is read before parsing, as every command's."""


def make_app(only: Optional[str] = None) -> typer.Typer:
    """The typer app with every command, or with the command ``only`` alone."""
    from .common import BackcalcCommand, BackcalcGroup

    app = typer.Typer(
        name="backcalc",
        cls=BackcalcGroup,
        help=HELP,
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    for name, (module, function) in COMMANDS.items():
        if only is None or name == only:
            app.command(
                name, cls=BackcalcCommand, help=f"help.cmd.{name}", short_help=f"help.cmd.{name}.short"
            )(getattr(import_module(f".{module}", __package__), function))
    app.callback()(_root)
    return app
