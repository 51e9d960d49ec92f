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
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from ..errors import BackcalcError, ExitCode
from .run import (  # noqa: F401  (the commands import them from here)
    FEATURE_FLAGS,
    FLAGS,
    FORMAT_HELP,
    WRITEUPS,
    Format,
    Lang,
    TableJson,
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
    say,
    spec_output,
    split_wrt,
    use_lang,
    warn,
    write_json,
    writeup,
)


def format_option(help: str = FORMAT_HELP, panel: str = "panel.output") -> Any:
    """The one --format/-f declaration: ``Annotated[Optional[Format], format_option()] = None``."""
    return typer.Option(
        "--format", "-f", metavar="FORMAT", help=help, show_default=False, rich_help_panel=panel
    )


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
        say("cli.interrupted")
        sys.exit(int(ExitCode.INTERRUPTED))


# --- help and usage errors in the run's language ------------------------------------------


def lang_in_args(args: list[str]) -> Optional[str]:
    """The --lang a command line asks for (read before the options are parsed, so usage
    errors and --help speak it too), or None."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg[len("--lang=") :]
        if value in ("en", "ko"):
            return value
    return None


def _tr(text: Optional[str], lang: str) -> Optional[str]:
    """A help text or panel name given as a catalogue key ("help.precision"), in ``lang``;
    any other text (an English-only help) as it is."""
    if not text or not text.startswith(("help.", "panel.")) or " " in text:
        return text
    from ..i18n import DEFAULT_LANG, catalogue

    found = catalogue(lang).get(text)
    if found is None:
        found = catalogue(DEFAULT_LANG).get(text, text)
    return found


def localize(cmd: Any, lang: str) -> None:
    """Put ``cmd``'s help texts, panel names and help option in ``lang`` (the declarations
    hold catalogue keys; the first call keeps them)."""
    keep = cmd.__dict__.setdefault("_bc_keys", {})
    if "help" not in keep:
        keep["help"] = (cmd.help, cmd.short_help)
    help_, short = keep["help"]
    cmd.help, cmd.short_help = _tr(help_, lang), _tr(short, lang)
    for p in cmd.params:
        k = keep.setdefault(id(p), (getattr(p, "help", None), getattr(p, "rich_help_panel", None)))
        if hasattr(p, "help"):
            p.help = _tr(k[0], lang)
        if k[1]:
            p.rich_help_panel = _tr(k[1], lang)


def _help_titles(lang: str) -> dict[str, str]:
    return {
        name: _tr(key, lang) or key
        for name, key in (
            ("ARGUMENTS_PANEL_TITLE", "panel.arguments"),
            ("OPTIONS_PANEL_TITLE", "panel.options"),
            ("COMMANDS_PANEL_TITLE", "panel.commands"),
            ("DEFAULT_STRING", "help.default"),
            ("REQUIRED_LONG_STRING", "help.required"),
        )
    }


def format_localized_help(cls: Any, cmd: Any, ctx: Any, formatter: Any) -> None:
    lang = lang_code()
    localize(cmd, lang)
    for sub in getattr(cmd, "commands", {}).values():
        localize(sub, lang)
    help_option = cmd.get_help_option(ctx)
    if help_option is not None:
        help_option.help = _tr("help.help", lang)
    from typer import rich_utils

    titles: dict[str, Any] = _help_titles(lang) if lang != "en" else {}
    if titles:
        titles["_make_rich_text"] = _folding(rich_utils._make_rich_text)
    saved = {name: getattr(rich_utils, name) for name in titles}
    try:
        for name, value in titles.items():
            setattr(rich_utils, name, value)
        super(cls, cmd).format_help(ctx, formatter)
    finally:
        for name, value in saved.items():
            setattr(rich_utils, name, value)


def _folding(make: Callable[..., Any]) -> Callable[..., Any]:
    """typer's help text, folded rather than cut with '…' when rich measures a wrapped line of
    Hangul one cell too wide (a trailing space it keeps)."""

    def make_text(*args: Any, **kwargs: Any) -> Any:
        text = make(*args, **kwargs)
        if hasattr(text, "overflow"):
            text.overflow = "fold"
        return text

    return make_text


class BackcalcCommand(TyperCommand):
    """A command whose help is in the run's language."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        format_localized_help(BackcalcCommand, self, ctx, formatter)


class BackcalcGroup(TyperGroup):
    """The app: its help in the run's language, and usage errors (unknown option, bad choice,
    missing or extra argument) in backcalc's own 'error:'/'hint:' style, exit 2."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        format_localized_help(BackcalcGroup, self, ctx, formatter)

    def main(
        self,
        args: Optional[Sequence[str]] = None,
        prog_name: Optional[str] = None,
        complete_var: Optional[str] = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        use_lang(lang_in_args(argv))
        from .usage import Abort, UsageError, usage_error

        try:
            rv = super().main(
                argv,
                prog_name,
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        except UsageError as e:
            if type(e).__name__ == "NoArgsIsHelpError" and e.ctx is not None:
                sys.stdout.write(e.ctx.get_help() + "\n")
                rv = int(ExitCode.BAD_INPUT)  # as click does: no command is a usage error
            else:
                sys.stderr.write(cli_message(usage_error(e, argv)) + "\n")
                rv = int(ExitCode.BAD_INPUT)
        except Abort:
            say("cli.interrupted")
            rv = int(ExitCode.INTERRUPTED)
        finally:
            use_lang(None)  # the next run (in the same process: tests, notebooks) reads its own
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


# --- arguments and options shared by the commands ---------------------------------------------
# Help texts and panel names are catalogue keys (help.*, panel.*): the help is shown in the
# run's language.  A plain English text works too (shown as written).

ExpressionArg = Annotated[
    str, typer.Argument(metavar="EXPRESSION", help="help.expression", show_default=False)
]
ValuesArg = Annotated[
    Optional[list[str]], typer.Argument(metavar="NAME=VALUE...", help="help.values", show_default=False)
]
FormatOpt = Annotated[Optional[Format], format_option()]
TableJsonOpt = Annotated[Optional[TableJson], format_option("help.format_table_json")]
PrecisionOpt = Annotated[
    int,
    typer.Option(
        "--precision",
        "-p",
        min=1,
        max=17,
        metavar="N",
        help="help.precision",
        show_default=False,
        rich_help_panel="panel.output",
    ),
]
DecimalsOpt = Annotated[
    Optional[int],
    typer.Option(
        "--decimals",
        min=0,
        max=15,
        metavar="N",
        help="help.decimals",
        rich_help_panel="panel.output",
        show_default=False,
    ),
]
TiesOpt = Annotated[
    Ties, typer.Option("--ties", help="help.ties", show_default=False, rich_help_panel="panel.arrays")
]
ExpandOpt = Annotated[bool, typer.Option("--expand", help="help.expand", rich_help_panel="panel.arrays")]
ValuesFileOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--values",
        metavar="FILE",
        show_default=False,
        help="help.values_file",
        rich_help_panel="panel.arrays",
    ),
]
StandaloneOpt = Annotated[
    bool, typer.Option("--standalone", help="help.standalone", rich_help_panel="panel.output")
]
LangOpt = Annotated[
    Optional[Lang],
    typer.Option("--lang", help="help.lang", show_default=False, rich_help_panel="panel.language"),
]


class Roles(str, enum.Enum):
    y2017 = "2017"
    y2019 = "2019"


RolesOpt = Annotated[
    Roles,
    typer.Option(
        "--roles",
        help="help.roles",
        rich_help_panel="panel.output",
    ),
]
SpecArg = Annotated[str, typer.Argument(metavar="SPEC", help="help.spec", show_default=False)]
InPlaceOpt = Annotated[bool, typer.Option("--in-place", help="help.in_place", rich_help_panel="panel.output")]
