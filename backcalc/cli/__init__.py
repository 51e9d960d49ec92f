"""The command line: the typer app, its commands (one module each) and ``main()``.

Read arguments, call the API, pick a renderer; no maths here.  Shared options, the
format dispatch and the error guard live in :mod:`backcalc.cli.common` (typer's part) and
:mod:`backcalc.cli.run` (the rest).

``main()`` runs a plain ``backcalc grad EXPRESSION NAME=VALUE...`` (with at most ``-f
json|table`` and ``--no-nodes``) without importing typer (:mod:`backcalc.cli.fast`: start-up
time); anything else builds the typer app with only the command it is asked to run.
``app`` is the app with every command (for ``--help``, completion and the tests), made when
first used.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["app", "main", "make_app"]


def __getattr__(name: str) -> Any:
    if name in ("app", "make_app", "COMMANDS"):
        from . import commands as A

        value = A.make_app() if name == "app" else getattr(A, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    from .fast import run_plain_grad

    if run_plain_grad(sys.argv[1:]):
        return
    from .commands import COMMANDS, make_app
    from .common import run_app

    command = sys.argv[1] if len(sys.argv) > 1 else None
    run_app(make_app(command if command in COMMANDS else None))
