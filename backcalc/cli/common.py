"""What every command shares: the option types, the one --format declaration and the
format dispatch, reading EXPRESSION and values, and the guard that turns errors into
a message on stderr and an exit status.

Only the cli package prints or exits.  Every BackcalcError becomes 'error: ...' on
stderr and exit status 2 (1 for a failed check); anything unexpected is reported the
same way, never as a traceback.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from ..errors import BackcalcError, ExitCode
from .run import (  # noqa: F401  (the commands import them from here)
    FEATURE_FLAGS,
    FLAGS,
    FORMAT_HELP,
    WRITEUPS,
    Format,
    Lang,
    Ties,
    cli_message,
    compute,
    console,
    emit,
    exit_code,
    given_values,
    lang_code,
    pick_format,
    quiet_broken_pipe,
    read_expression,
    read_setup_option,
    spec_output,
    split_wrt,
    warn,
    write_json,
    writeup,
)


def format_option(help: str = FORMAT_HELP) -> Any:
    """The one --format/-f declaration: ``Annotated[Optional[Format], format_option()] = None``."""
    return typer.Option("--format", "-f", help=help, show_default=False)


def fail(err: BackcalcError) -> None:
    sys.stderr.write(cli_message(err) + "\n")
    raise typer.Exit(int(err.code))


def guarded(fn: Callable[[], Any]) -> Any:
    """Run a command body, turning every failure into a message and an exit status."""
    code = exit_code(fn, (typer.Exit,))
    if code:
        raise typer.Exit(code)


def run_app(app: Any) -> None:
    """Run the typer app as a program: a closed pipe (| head) ends quietly, Ctrl-C with 130."""
    try:
        app()
    except BrokenPipeError:
        quiet_broken_pipe()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(int(ExitCode.INTERRUPTED))


# --- arguments and options shared by the commands ---------------------------------------------

ExpressionArg = Annotated[
    str,
    typer.Argument(
        help='The expression or program, e.g. "(x+y)*z" or "q = x+y; f = q*z"; '
        "- reads it from standard input, @FILE from a file."
    ),
]
ValuesArg = Annotated[
    Optional[list[str]],
    typer.Argument(help="Input values as NAME=VALUE: x=-2 y=0.5 z=1/3.", show_default=False),
]
FormatOpt = Annotated[Optional[Format], format_option()]
PrecisionOpt = Annotated[
    int,
    typer.Option(
        "--precision", "-p", min=1, max=17, help="Significant digits shown (JSON always has full precision)."
    ),
]
DecimalsOpt = Annotated[
    Optional[int],
    typer.Option(
        "--decimals",
        min=0,
        max=15,
        help="Fixed decimals shown, as the slides round (0.73, -0.20); instead of --precision. JSON keeps full precision.",
        show_default=False,
    ),
]
TiesOpt = Annotated[
    Ties,
    typer.Option(
        "--ties", help="Gradient rule at a tie in max/min: split (PyTorch, JAX), all (cs231n code), first."
    ),
]
ExpandOpt = Annotated[
    bool,
    typer.Option(
        "--expand", help="Split compound gates (sigmoid, tanh, softplus, batchnorm) into primitive gates."
    ),
]
ValuesFileOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--values",
        metavar="FILE",
        show_default=False,
        help="Read named values from a .json, .toml, .npz or .npy (named by its file name) file; repeatable; "
        "NAME=VALUE arguments override them.",
    ),
]
StandaloneOpt = Annotated[
    bool,
    typer.Option("--standalone", help="With --format latex: a complete document that compiles on its own."),
]
LangOpt = Annotated[
    Optional[Lang],
    typer.Option(
        "--lang",
        help="Language of explanations and write-ups (default: from LANG: ko_* -> ko, else en).",
        show_default=False,
    ),
]
SpecArg = Annotated[
    str,
    typer.Argument(
        help="A network spec: a .toml or .json file (loss, l2, x, y and a layers table per layer; see docs/networks.md)."
    ),
]


class Roles(str, enum.Enum):
    y2017 = "2017"
    y2019 = "2019"


RolesOpt = Annotated[
    Roles,
    typer.Option(
        "--roles",
        help="The lecture's words for the gates: 2017 (distributor, router, switcher) or 2019 "
        "(distributor, router, swap multiplier; a node used several times is a copy gate, a gradient adder).",
    ),
]
InPlaceOpt = Annotated[
    bool,
    typer.Option("--in-place", help="Allow writing the result over the input spec (-o defaults to it)."),
]
