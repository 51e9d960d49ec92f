"""What every command shares: the option types, the one --format declaration and the
format dispatch, reading EXPRESSION and values, and the guard that turns errors into
a message on stderr and an exit status.

Only the cli package prints or exits.  Every BackcalcError becomes 'error: ...' on
stderr and exit status 2 (1 for a failed check); anything unexpected is reported the
same way, never as a traceback.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from ..errors import BackcalcError, ExitCode


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    dot = "dot"
    markdown = "markdown"
    latex = "latex"
    html = "html"


WRITEUPS = (Format.dot, Format.markdown, Format.latex, Format.html)
FORMAT_HELP = "Output format (default: table on a terminal, json when piped)."


def format_option(help: str = FORMAT_HELP) -> Any:
    """The one --format/-f declaration: ``Annotated[Optional[Format], format_option()] = None``."""
    return typer.Option("--format", "-f", help=help, show_default=False)


def pick_format(
    fmt: Optional[Format], allowed: Optional[tuple[Format, ...]] = None, command: str = ""
) -> Format:
    """The format asked for (table on a terminal, json when piped), refused when the command
    writes only ``allowed`` formats."""
    if fmt is None:
        fmt = Format.table if sys.stdout.isatty() else Format.json
    if allowed is not None and fmt not in allowed:
        names = " or ".join(f.value for f in allowed)
        raise BackcalcError(f"{command} writes {names}, not {fmt.value}")
    return fmt


class Lang(str, enum.Enum):
    en = "en"
    ko = "ko"


class Ties(str, enum.Enum):
    SPLIT = "split"
    ALL = "all"
    FIRST = "first"


def lang_code(lang: Optional[Lang]) -> str:
    if lang is not None:
        return lang.value
    from ..i18n import default_lang

    return default_lang()


# --- flags: the core names settings by their API names; the command line adds the flags ---

# API setting -> the flag that sets it on the command line
FLAGS = {
    "values_file": "--values",
    "data": "--data",
    "target": "--target",
    "features": "--features",
    "lr": "--lr",
    "epochs": "--epochs",
    "output": "-o",
    "in_place": "--in-place",
    "plot": "--plot",
    "wrt": "--wrt",
    "h": "--h",
    "tol": "--rtol/--tol",
    "atol": "--atol",
    "timeout": "--timeout",
    "expect": "--expect",
    "max_nodes": "--max-nodes",
}
# The API names its features at the start of a warning; on the command line they are these options.
FEATURE_FLAGS = {"symbolic: ": "--symbolic: ", "exact: ": "--exact: "}


def cli_message(err: BackcalcError) -> str:
    """The error as the command line shows it: the settings it names become their flags."""
    return err.render(FLAGS)


# --- errors and output ------------------------------------------------------------------


def warn(msg: str) -> None:
    for feature, flag in FEATURE_FLAGS.items():
        if msg.startswith(feature):
            msg = flag + msg[len(feature) :]
            break
    sys.stderr.write(f"warning: {msg}\n")


def fail(err: BackcalcError) -> None:
    sys.stderr.write(cli_message(err) + "\n")
    raise typer.Exit(int(err.code))


def guarded(fn: Callable[[], Any]) -> Any:
    """Run a command body, turning every failure into a message and an exit status."""
    try:
        return fn()
    except BackcalcError as e:
        fail(e)
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except BrokenPipeError:
        raise
    except MemoryError:
        fail(BackcalcError("out of memory: the input is too large for this machine"))
    except RecursionError:
        fail(BackcalcError("the input is nested too deeply"))
    except Exception as e:  # a bug: still no traceback, but say so
        fail(
            BackcalcError(
                f"internal error ({type(e).__name__}: {e}); this is a bug in backcalc, "
                "please report it with the command you ran"
            )
        )


def run_app(app: Any) -> None:
    """Run the typer app as a program: a closed pipe (| head) ends quietly, Ctrl-C with 130."""
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


def console() -> Any:
    from rich.console import Console

    if sys.stdout.isatty():
        return Console()
    # Not a terminal: don't squeeze the table to 80 columns.
    return Console(width=int(os.environ.get("COLUMNS", "0") or 0) or 200)


def writeup(result: Any, fmt: Format, precision: int, lang: str, standalone: bool) -> str:
    """The DOT, markdown, LaTeX or HTML text of a result (renderers imported only here)."""
    if fmt is Format.dot:
        from ..render import dot

        return dot.to_dot(result, lang, precision)
    if fmt is Format.markdown:
        from ..render import markdown

        return markdown.render(result, lang, precision)
    if fmt is Format.latex:
        from ..render import latex

        return latex.render(result, lang, precision, standalone=standalone)
    from ..render import html

    return html.render(result, lang, precision)


def emit(
    result: Any,
    fmt: Format,
    precision: int,
    lang: Optional[Lang] = None,
    standalone: bool = False,
    nodes: bool = True,
) -> None:
    """A grad Result in the chosen format on stdout."""
    if fmt in WRITEUPS:
        if fmt is Format.html:
            from ..render.dot import dot_program

            if dot_program() is None:
                warn(
                    "Graphviz's dot is not installed, so the page has no picture "
                    "(Debian/Ubuntu: apt-get install graphviz)"
                )
        sys.stdout.write(writeup(result, fmt, precision, lang_code(lang), standalone))
    elif fmt is Format.json:
        from ..render import json as J
        from ..result import NONFINITE_NOTE

        if result.has_nonfinite():
            warn(NONFINITE_NOTE)
        J.write_result_json(result, sys.stdout, nodes=nodes)
        sys.stdout.write("\n")
    elif not nodes:
        from rich.text import Text

        from ..render import table

        console().print(Text(table.summary(result, precision)))
    else:
        from ..render import table

        table.print_result(console(), result, precision)


def write_json(text: str) -> None:
    sys.stdout.write(text + "\n")


# --- reading the input --------------------------------------------------------------------


def read_expression(text: str) -> str:
    """EXPRESSION as given, or read from standard input ('-') or a file ('@path'): the
    operating system caps one argument at 128 KB, and expressions can be larger."""
    if text != "-" and not text.startswith("@"):
        return text
    from ..parse import LIMITS

    limit = LIMITS.max_chars
    try:
        if text == "-":
            data = sys.stdin.buffer.read(limit * 4 + 1)
            where = "standard input"
        else:
            where = text[1:]
            with open(where, "rb") as fh:
                data = fh.read(limit * 4 + 1)
    except OSError as e:
        raise BackcalcError(f"cannot read the expression from {text[1:]}: {e.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BackcalcError(f"the expression in {where} is not UTF-8 text (byte {e.start})") from None


def split_wrt(wrt: Optional[str]) -> Optional[list[str]]:
    if wrt is None:
        return None
    names = [w.strip() for w in wrt.split(",") if w.strip()]
    if not names:
        raise BackcalcError("--wrt needs at least one name, e.g. --wrt x,y")
    return names


def given_values(values: Optional[list[str]], values_files: Optional[list[str]]) -> dict[str, Any]:
    """Values from --values files, then NAME=VALUE arguments (which override them).  The
    arguments stay texts: the API reads each value once (as a float, and exactly for exact
    arithmetic)."""
    from ..values import split_assignments

    given: dict[str, Any] = {}
    if values_files:
        from ..values import load_values_file

        for path in values_files:
            given.update(load_values_file(path))
    given.update(split_assignments(values or []))
    return given


def compute(
    expression: str,
    values: Optional[list[str]],
    ties: Ties,
    expand: bool,
    wrt: Optional[str] = None,
    warn_now: bool = True,
    values_files: Optional[list[str]] = None,
    jacobian: bool = False,
    given: Optional[dict[str, Any]] = None,
    checks: Optional[dict[str, Any]] = None,
) -> Any:
    """CLI text -> Result (through the API), with its warnings on stderr unless ``warn_now`` is off.
    ``checks`` are the API's symbolic/exact/check/expect settings."""
    from ..api import grad as api_grad

    if given is None:
        given = given_values(values, values_files)
    result = api_grad(
        read_expression(expression),
        given,
        ties=ties.value,
        expand=expand,
        wrt=split_wrt(wrt),
        jacobian=jacobian,
        **(checks or {}),
    )
    if warn_now:
        for w in result.warnings:
            warn(w)
    return result


def spec_output(spec: str, output: Optional[str], in_place: bool) -> Optional[str]:
    """Where to write the updated spec, refusing the input spec itself unless --in-place."""
    from ..files import refuse_overwrite

    if output is None and in_place:
        output = spec
    if output is not None:
        if os.path.splitext(output)[1].lower() not in (".toml", ".json"):
            raise BackcalcError(f"cannot write the spec to {output}: end the file name with .toml or .json")
        refuse_overwrite(output, spec, in_place)
    return output


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
TiesOpt = Annotated[
    Ties,
    typer.Option(
        "--ties", help="Gradient rule at a tie in max/min: split (PyTorch, JAX), all (cs231n code), first."
    ),
]
ExpandOpt = Annotated[
    bool,
    typer.Option("--expand", help="Split compound gates (sigmoid, tanh, softplus) into primitive gates."),
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
InPlaceOpt = Annotated[
    bool,
    typer.Option("--in-place", help="Allow writing the result over the input spec (-o defaults to it)."),
]
