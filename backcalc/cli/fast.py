"""``backcalc grad EXPRESSION NAME=VALUE...`` without typer: the command users run most,
started in the time Python takes to import the engine.

Only the plainest form is run here: the expression and NAME=VALUE arguments, with at most
``-f``/``--format json|table`` and ``--no-nodes``.  Anything else (another option, a value
that starts with '-', ``-`` or ``@FILE``, help) goes to the typer app, which reads the same
arguments the same way; the tests run both on the same command lines and compare.
"""

from __future__ import annotations

import sys

from .run import Format, Ties, compute, emit, exit_code, pick_format, quiet_broken_pipe

_FORMATS = {"json": Format.json, "table": Format.table}


def plain_grad_args(argv: list[str]) -> tuple[str, list[str], Format | None, bool] | None:
    """(expression, values, format, nodes) when ``argv`` is a plain grad command, else None."""
    if len(argv) < 2 or argv[0] != "grad":
        return None
    expression = argv[1]
    if not expression or expression[0] in "-@":
        return None
    values: list[str] = []
    fmt: Format | None = None
    nodes = True
    i = 2
    while i < len(argv):
        arg = argv[i]
        if arg in ("-f", "--format") and i + 1 < len(argv) and argv[i + 1] in _FORMATS and fmt is None:
            fmt = _FORMATS[argv[i + 1]]
            i += 2
            continue
        if arg == "--no-nodes" and nodes:
            nodes = False
        elif arg[:1] != "-" and "=" in arg:
            values.append(arg)
        else:
            return None
        i += 1
    return expression, values, fmt, nodes


def run_plain_grad(argv: list[str]) -> bool:
    """Run a plain grad command (exiting with its status) and return True, or return False."""
    plain = plain_grad_args(argv)
    if plain is None:
        return False
    expression, values, fmt, nodes = plain
    from ..display import DEFAULT_PRECISION

    def run() -> None:
        result = compute(expression, values, Ties.SPLIT, False)
        emit(result, pick_format(fmt), DEFAULT_PRECISION, None, False, nodes)

    try:
        code = exit_code(run)
    except BrokenPipeError:
        quiet_broken_pipe()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        code = 130
    if code:
        sys.exit(code)
    return True
