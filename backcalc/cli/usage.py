"""Usage errors (unknown option, bad choice, missing or extra argument) as backcalc errors:
one 'error:' line and a 'hint:' in the run's language, with a did-you-mean where one fits,
instead of click's boxed panel."""

from __future__ import annotations

import difflib
import re
from typing import Any

import typer.core as _core

from ..errors import BackcalcError, Msg

# typer >= 0.25 carries its own copy of click (typer._click); older ones use click
_exc = (getattr(_core, "_click", None) or __import__("click")).exceptions
UsageError = _exc.UsageError
BadOptionUsage, BadParameter, MissingParameter = _exc.BadOptionUsage, _exc.BadParameter, _exc.MissingParameter
NoSuchOption = _exc.NoSuchOption
Abort = getattr(_core, "Abort", None) or _exc.Abort

__all__ = ["Abort", "UsageError", "usage_error"]

_EXPRESSION_CHARS = re.compile(r"[*+/^()@.,0-9=]")


_named = ["backcalc"]  # the command the failing command line runs


def _command(e: Any) -> str:
    return _named[0]


def _options(e: Any) -> list[str]:
    ctx = getattr(e, "ctx", None)
    if ctx is None:
        return []
    names: list[str] = []
    for p in ctx.command.get_params(ctx):
        names.extend(o for o in (*p.opts, *p.secondary_opts) if o.startswith("-"))
    return names


def _example() -> Msg | None:
    """'for example: backcalc grad "(x+y)*z" x=-2 y=5 z=-4' (the first example of the help)."""
    from ..i18n import catalogue

    words = _named[0].split()
    if len(words) < 2:
        return None
    text = catalogue("en").get(f"help.cmd.{words[1]}", "")
    paragraphs = text.split("\n\n")
    if len(paragraphs) < 2:
        return None
    return Msg("usage.example", example=paragraphs[1].splitlines()[0])


def _see_help(e: Any) -> Msg:
    return Msg("usage.see_help", command=_command(e))


def usage_error(e: Any, argv: list[str]) -> BackcalcError:
    """The click usage error ``e`` (raised for the command line ``argv``) as a BackcalcError."""
    ctx = getattr(e, "ctx", None)
    from .commands import COMMANDS

    _named[0] = f"backcalc {argv[0]}" if argv and argv[0] in COMMANDS else "backcalc"
    if isinstance(e, NoSuchOption):
        return _no_such_option(e, argv)
    if isinstance(e, MissingParameter):
        p = e.param
        name = (p.human_readable_name if p is not None else "") or "?"
        return BackcalcError(Msg("usage.missing", name=name), hint=_example() or _see_help(e))
    if isinstance(e, BadParameter):
        return _bad_value(e)
    if isinstance(e, BadOptionUsage):
        option = e.option_name
        if "requires" in e.message or "argument" in e.message:
            return BackcalcError(Msg("usage.needs_value", option=option), hint=_see_help(e))
        if "does not take a value" in e.message:
            return BackcalcError(Msg("usage.no_value", option=option), hint=_see_help(e))
    m = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", e.message)
    if m:
        return BackcalcError(Msg("usage.extra", args=m.group(1)), hint=_see_help(e))
    m = re.match(r"No such command '(.*?)'", e.message)
    if m:
        ctx = getattr(e, "ctx", None)
        known = list(getattr(ctx.command, "commands", {})) if ctx is not None else []
        close = difflib.get_close_matches(m.group(1), known, n=1)
        hint = (
            Msg("usage.did_you_mean", name=close[0])
            if close
            else Msg("usage.commands", names=", ".join(known))
        )
        return BackcalcError(Msg("usage.no_command", name=m.group(1)), hint=hint)
    return BackcalcError(e.format_message(), hint=_see_help(e))


def _no_such_option(e: Any, argv: list[str]) -> BackcalcError:
    opt = e.option_name
    # the argument it came from: "-x*y" is reported as "-x"
    arg = next((a for a in argv if a.startswith(opt) and a != "--"), opt)
    if not arg.startswith("--") and (len(arg) > 2 and _EXPRESSION_CHARS.search(arg[1:]) or len(arg) == 2):
        # "-x*y": an expression or a negative value, read as options
        return BackcalcError(
            Msg("usage.no_option", option=arg), hint=Msg("usage.dash_dash", fixed=_dash_dash(arg, argv))
        )
    close = difflib.get_close_matches(opt, _options(e), n=1, cutoff=0.6)
    hint = Msg("usage.did_you_mean", name=close[0]) if close else _see_help(e)
    return BackcalcError(Msg("usage.no_option", option=opt), hint=hint)


def _dash_dash(arg: str, argv: list[str]) -> str:
    """The command line again with '--' before ``arg`` (options stay before it)."""
    import shlex

    rest = argv[1:] if argv and argv[0] == _named[0].split()[-1] else list(argv)
    before = [a for a in rest if a != arg and not ("=" in a and not a.startswith("-"))]
    after = [a for a in rest if a != arg and "=" in a and not a.startswith("-")]
    words = [*before, "--", arg, *after]
    return " ".join([_named[0], *(shlex.quote(w).replace("'", '"') for w in words)])


def _bad_value(e: Any) -> BackcalcError:
    p = e.param
    option = "/".join(p.opts) if p is not None and p.opts else (p.human_readable_name if p else "?")
    if p is not None and p.opts:
        option = max(p.opts, key=len)
    choices = getattr(getattr(p, "type", None), "choices", None)
    if choices:
        names = [getattr(c, "value", c) for c in choices]
        m = re.match(r"'?(.*?)'? is not one of", e.message) or re.match(r"'?(.*?)'? is not", e.message)
        value = m.group(1) if m else e.message
        close = difflib.get_close_matches(value, [str(n) for n in names], n=1, cutoff=0.5)
        hint = Msg("usage.did_you_mean", name=close[0]) if close else None
        return BackcalcError(
            Msg("usage.bad_choice", option=option, value=value, choices=", ".join(map(str, names))), hint=hint
        )
    m = re.match(r"'(.*)' is not a valid (integer|float)", e.message)
    if m:
        kind = Msg("usage.integer") if m.group(2) == "integer" else Msg("usage.number")
        return BackcalcError(Msg("usage.not_a_number", option=option, value=m.group(1), kind=kind))
    m = re.match(r"(.*) is not in the range (.*?)\.?$", e.message)
    if m:
        return BackcalcError(Msg("usage.range", option=option, value=m.group(1), range=m.group(2)))
    return BackcalcError(Msg("usage.bad_value", option=option, detail=e.message))
