"""The command line: read arguments, call the API, pick a renderer.  No maths here.

Only this module prints or exits.  Every BackcalcError becomes 'error: ...' on
stderr and exit status 2 (1 for a failed check); anything unexpected is
reported the same way, never as a traceback.
"""

from __future__ import annotations

import enum
import os
import sys
from typing import Annotated, Any, Callable, Optional

import typer

from .errors import BackcalcError, ExitCode

app = typer.Typer(
    name="backcalc",
    help="A backprop calculator: forward values and chain-rule gradients, node by node.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, enum.Enum):
    table = "table"
    json = "json"


class Ties(str, enum.Enum):
    split = "split"
    all = "all"
    first = "first"


def _warn(msg: str) -> None:
    sys.stderr.write(f"warning: {msg}\n")


def _fail(err: BackcalcError) -> None:
    sys.stderr.write(err.render() + "\n")
    raise typer.Exit(int(err.code))


def _guarded(fn: Callable[[], Any]) -> Any:
    """Run a command body, turning every failure into a message and an exit status."""
    try:
        return fn()
    except BackcalcError as e:
        _fail(e)
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except BrokenPipeError:
        raise
    except MemoryError:
        _fail(BackcalcError("out of memory: the input is too large for this machine"))
    except RecursionError:
        _fail(BackcalcError("the input is nested too deeply"))
    except Exception as e:  # a bug: still no traceback, but say so
        _fail(BackcalcError(f"internal error ({type(e).__name__}: {e}); this is a bug in backcalc, "
                            "please report it with the command you ran"))


def _auto_format(fmt: Optional[Format]) -> Format:
    if fmt is not None:
        return fmt
    return Format.table if sys.stdout.isatty() else Format.json


def _console() -> Any:
    from rich.console import Console

    if sys.stdout.isatty():
        return Console()
    # Not a terminal: don't squeeze the table to 80 columns.
    return Console(width=int(os.environ.get("COLUMNS", "0") or 0) or 200)


def _emit(result: Any, fmt: Format, precision: int) -> None:
    for w in result.warnings:
        _warn(w)
    if fmt is Format.json:
        from .result import NONFINITE_NOTE

        if result.has_nonfinite():
            _warn(NONFINITE_NOTE)
        sys.stdout.write(result.to_json() + "\n")
    else:
        from .render import table

        _console().print(table.render(result, precision))


def _split_wrt(wrt: Optional[str]) -> Optional[list[str]]:
    if wrt is None:
        return None
    names = [w.strip() for w in wrt.split(",") if w.strip()]
    if not names:
        raise BackcalcError("--wrt needs at least one name, e.g. --wrt x,y")
    return names


@app.command()
def grad(
    expression: Annotated[str, typer.Argument(help='The expression or program, e.g. "(x+y)*z" or "q = x+y; f = q*z".')],
    values: Annotated[Optional[list[str]], typer.Argument(help="Input values as NAME=VALUE: x=-2 y=0.5 z=1/3.", show_default=False)] = None,
    format: Annotated[Optional[Format], typer.Option("--format", "-f", help="Output format [default: table on a terminal, json otherwise].", show_default=False)] = None,
    precision: Annotated[int, typer.Option("--precision", "-p", min=1, max=17, help="Significant digits shown in tables (JSON always has full precision).")] = 4,
    wrt: Annotated[Optional[str], typer.Option("--wrt", help="Report gradients only for these inputs: --wrt x,y.")] = None,
    ties: Annotated[Ties, typer.Option("--ties", help="Gradient rule at a tie in max/min: split (PyTorch, JAX), all (cs231n code), first.")] = Ties.split,
    expand: Annotated[bool, typer.Option("--expand", help="Split compound gates (sigmoid, tanh, softplus) into primitive gates.")] = False,
    values_file: Annotated[Optional[list[str]], typer.Option("--values", metavar="FILE", help="Read named values from a .json, .toml, .npz or .npy (named by its file name) file; repeatable; NAME=VALUE arguments override them.", show_default=False)] = None,
    jacobian: Annotated[bool, typer.Option("--jacobian", help="Also show each gate's explicit local Jacobian, when it has at most 144 entries.")] = False,
) -> None:
    """Evaluate EXPRESSION at the given values and show every node's forward value and chain-rule gradients."""

    def run() -> None:
        from .api import grad as api_grad
        from .values import parse_assignments

        given: dict[str, Any] = {}
        if values_file:
            from .values import load_values_file

            for path in values_file:
                given.update(load_values_file(path))
        given.update(parse_assignments(values or []))
        result = api_grad(expression, given, ties=ties.value, expand=expand, wrt=_split_wrt(wrt),
                          jacobian=jacobian)
        _emit(result, _auto_format(format), precision)

    _guarded(run)


def _show_version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"backcalc {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """A backprop calculator: forward values and chain-rule gradients, node by node."""


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, without Python's complaint at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(int(ExitCode.INTERRUPTED))
