"""The command line: the typer app, its commands (one module each) and ``main()``.

Read arguments, call the API, pick a renderer; no maths here.  Shared options, the
format dispatch and the error guard live in :mod:`backcalc.cli.common`.

``main()`` builds the app with only the command it is asked to run (``backcalc grad ...``
imports and declares ``grad`` alone: start-up time); ``app`` is the app with every command
(for ``--help``, completion and the tests), made when first used.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Annotated, Any, Optional

import typer

from .common import run_app

# command name -> (module of this package, the function in it)
COMMANDS = {
    "grad": ("grad", "grad"),
    "graph": ("graph", "graph"),
    "explain": ("explain", "explain"),
    "check": ("check", "check_answers"),
    "net": ("net", "net"),
    "train": ("train", "train_cmd"),
}
HELP = "A backprop calculator: forward values and chain-rule gradients, node by node."


def _show_version(value: bool) -> None:
    if value:
        from .. import __version__

        sys.stdout.write(f"backcalc {__version__}\n")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """A backprop calculator: forward values and chain-rule gradients, node by node."""


def make_app(only: Optional[str] = None) -> typer.Typer:
    """The typer app with every command, or with the command ``only`` alone."""
    app = typer.Typer(
        name="backcalc",
        help=HELP,
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    for name, (module, function) in COMMANDS.items():
        if only is None or name == only:
            app.command(name)(getattr(import_module(f".{module}", __name__), function))
    app.callback()(_root)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        app = make_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else None
    run_app(make_app(command if command in COMMANDS else None))


__all__ = ["app", "main", "make_app"]
