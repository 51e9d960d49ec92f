"""What the commands do at run time, without typer: formats and their dispatch, reading
EXPRESSION and values, the flags the core's settings are shown as, and the error guard.

:mod:`backcalc.cli.common` adds the option declarations (typer); a plain ``backcalc grad``
runs from here alone (:mod:`backcalc.cli.fast`), so it does not pay for importing typer.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from typing import Any, Optional

from ..errors import BackcalcError, ExitCode, Msg, in_lang, label


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    dot = "dot"
    markdown = "markdown"
    latex = "latex"
    html = "html"


class TableJson(str, enum.Enum):
    """The formats of a command that writes a table or JSON only (train)."""

    table = "table"
    json = "json"


WRITEUPS = (Format.dot, Format.markdown, Format.latex, Format.html)
FORMAT_HELP = "help.format"


def pick_format(
    fmt: Optional[enum.Enum], allowed: Optional[tuple[Format, ...]] = None, command: str = ""
) -> Format:
    """The format asked for (table on a terminal, json when piped), refused when the command
    writes only ``allowed`` formats."""
    if fmt is None:
        fmt = Format.table if sys.stdout.isatty() else Format.json
    if not isinstance(fmt, Format):
        fmt = Format(getattr(fmt, "value", fmt))
    if allowed is not None and fmt not in allowed:
        names = " or ".join(f.value for f in allowed)
        raise BackcalcError(Msg("cli.format_not_written", command=command, formats=names, format=fmt.value))
    return fmt


class Lang(str, enum.Enum):
    en = "en"
    ko = "ko"


class Ties(str, enum.Enum):
    SPLIT = "split"
    ALL = "all"
    FIRST = "first"


# The language of this run's messages: set once by the command line (--lang, else the
# locale); the Python API never reads it (its errors are English).
_run_lang: list[Optional[str]] = [None]


def use_lang(lang: Optional[str]) -> None:
    """Set the language of the run's errors, hints and warnings (None: from the locale)."""
    _run_lang[0] = lang


def lang_code(lang: Optional[Lang] = None) -> str:
    """The language asked for: ``lang``, else the run's (``--lang``), else the locale's."""
    if lang is not None:
        return lang.value
    if _run_lang[0] is not None:
        return _run_lang[0]
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
    "setup": "--setup",
    "upstream": "--upstream",
    "symbolic": "--symbolic",
    "exact": "--exact",
    "check": "--check",
    "lr_decay": "--lr-decay",
}
# The API names its features at the start of a warning; on the command line they are these options.
FEATURE_FLAGS = {"symbolic: ": "--symbolic: ", "exact: ": "--exact: "}


def cli_message(err: BackcalcError, lang: Optional[str] = None) -> str:
    """The error as the command line shows it, in the run's language: the settings it
    names become their flags."""
    return err.render(FLAGS, lang or lang_code())


# --- errors and output ------------------------------------------------------------------


def warn(msg: str) -> None:
    """'warning: ...' on stderr, in the run's language (a :class:`Msg` is translated)."""
    lang = lang_code()
    text = in_lang(msg, lang)
    for feature, flag in FEATURE_FLAGS.items():
        if text.startswith(feature):
            text = flag + text[len(feature) :]
            break
    from ..errors import resolve

    sys.stderr.write(for_terminal(f"{label('warning', lang)}: {resolve(text, FLAGS)}") + "\n")


def for_terminal(text: str, stream: Any = None) -> str:
    """Messages for stderr: on a terminal, each long line is broken between words to its width,
    continuing under the text after 'warning: ' (a quoted source line and its carets, which
    start with two spaces, stay as they are).  Piped, the text is unchanged.  ``stream``: the
    one written to (default stderr)."""
    if not (sys.stderr if stream is None else stream).isatty():
        return text
    import shutil
    import unicodedata

    width = max(40, shutil.get_terminal_size((80, 24)).columns)

    def cells(word: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in word)

    out: list[str] = []
    for line in text.split("\n"):
        if line.startswith("  ") or cells(line) <= width:
            out.append(line)
            continue
        head, sep, _ = line.partition(": ")
        indent = " " * (cells(head) + 2) if sep and cells(head) < 20 else ""
        current, used = "", 0
        for word in line.split(" "):
            w = cells(word)
            if current and used + 1 + w > width:
                out.append(current)
                current, used = indent + word, len(indent) + w
            else:
                current, used = (current + " " + word, used + 1 + w) if current else (word, w)
        out.append(current)
    return "\n".join(out)


def say(key: str, **params: Any) -> None:
    """A line of the run's report on stderr ('wrote FILE'), in the run's language."""
    sys.stderr.write(Msg(key, **params).text(lang_code()) + "\n")


def exit_code(fn: Callable[[], Any], passthrough: tuple[type[BaseException], ...] = ()) -> int:
    """Run a command body; every failure becomes a message on stderr and its exit status
    (0 when the body returns).  ``passthrough`` exceptions are raised on (typer's exit)."""
    try:
        fn()
        return 0
    except passthrough:
        raise
    except BackcalcError as e:
        return _report(e)
    except KeyboardInterrupt:
        say("cli.interrupted")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        raise
    except MemoryError:
        return _report(BackcalcError(Msg("cli.out_of_memory")))
    except RecursionError:
        return _report(BackcalcError(Msg("cli.too_deep")))
    except Exception as e:  # a bug: still no traceback, but say so
        return _report(BackcalcError(Msg("cli.internal", kind=type(e).__name__, detail=str(e))))


def _report(err: BackcalcError) -> int:
    sys.stderr.write(for_terminal(cli_message(err)) + "\n")
    return int(err.code)


def quiet_broken_pipe() -> None:
    """The reader went away (| head): stop quietly, without Python's complaint at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(1)


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
                warn(Msg("cli.no_graphviz_page"))
        sys.stdout.write(writeup(result, fmt, precision, lang_code(lang), standalone))
    elif fmt is Format.json:
        from ..render import json as J

        if result.has_nonfinite():
            warn(Msg("result.nonfinite_note"))
        J.write_result_json(result, sys.stdout, nodes=nodes)
        sys.stdout.write("\n")
    elif not nodes:
        from ..render import table

        out = console()
        text = table.summary(result, precision)  # arrays: one gradient a line
        parts = table.summary_parts(result, precision)
        lines = text.split("\n") if "\n" in text else table.Lines(parts, hang=True).lines(out.width)
        for line in lines:
            out.print(line, highlight=False, markup=False, emoji=False)
    else:
        from ..render import table

        size_warning(len(result.nodes), "table.size", lang)
        table.print_result(console(), result, precision, lang_code(lang))


SIZE_WARNING = 5000  # rows (or steps) from which a table or an explanation warns before it starts


def size_warning(rows: int, key: str, lang: Optional[Lang] = None) -> None:
    """Say on stderr, before a long table or explanation starts, that it takes a while."""
    if rows > SIZE_WARNING:
        from ..i18n import Messages

        m = Messages(lang_code(lang))
        name = "steps" if key.startswith("explain") else "rows"
        warn(m(key, **{name: f"{rows:,}"}))


# grad -o FILE: the format its extension names (.svg and .png are pictures drawn by Graphviz)
OUTPUT_FORMATS = {".json": "json", ".md": "markdown", ".tex": "latex", ".html": "html", ".dot": "dot"}
PICTURES = (".svg", ".png")


def write_output(
    result: Any,
    path: str,
    precision: int,
    lang: Optional[Lang] = None,
    standalone: bool = False,
    nodes: bool = True,
) -> None:
    """A grad Result written to ``path`` in the format its extension names, atomically."""
    ext = os.path.splitext(path)[1].lower()
    if ext in PICTURES:
        from ..render import dot

        dot.write_file(result, path, lang_code(lang), precision)
    elif ext == ".json":
        from ..files import atomic_write
        from ..render import json as J

        atomic_write(path, J.result_json(result, nodes=nodes) + "\n")
    elif ext in OUTPUT_FORMATS:
        from ..files import atomic_write

        atomic_write(
            path, writeup(result, Format(OUTPUT_FORMATS[ext]), precision, lang_code(lang), standalone)
        )
    else:
        names = " ".join([*OUTPUT_FORMATS, *PICTURES])
        raise BackcalcError(Msg("cli.output_extension", path=path, names=names))
    say("cli.wrote", path=path)


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
            where: str = Msg("cli.stdin")
        else:
            where = text[1:]
            with open(where, "rb") as fh:
                data = fh.read(limit * 4 + 1)
    except OSError as e:
        raise BackcalcError(Msg("cli.read_expression", where=text[1:], reason=e.strerror)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BackcalcError(Msg("cli.not_utf8", where=where, byte=e.start)) from None


def read_setup_option(path: str, expression: str = "") -> Any:
    """--setup FILE (or - for standard input) -> the setup lines read (a Setup record)."""
    from ..setup_lines import decode_setup, read_setup, read_setup_file

    if path != "-":
        return read_setup_file(path)
    if expression == "-":
        raise BackcalcError(Msg("cli.setup_stdin_twice"))
    from ..parse import LIMITS

    raw = sys.stdin.buffer.read(LIMITS.max_file_bytes + 1)
    return read_setup(decode_setup(raw, "standard input"))


def split_wrt(wrt: Optional[str]) -> Optional[list[str]]:
    if wrt is None:
        return None
    names = [w.strip() for w in wrt.split(",") if w.strip()]
    if not names:
        raise BackcalcError(Msg("cli.wrt_empty"))
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
    roles: Optional[str] = None,
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
    vocabulary = getattr(roles, "value", roles)
    if vocabulary is not None and vocabulary != result.roles:  # the default needs no work (nor import)
        from ..roles import apply

        apply(result, vocabulary)
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
            raise BackcalcError(Msg("cli.spec_extension", output=output))
        refuse_overwrite(output, spec, in_place)
    return output
