"""backcalc check: an answer file against backcalc's own numbers (self-check), or a class of
submissions against an answer key (``--key``): points, feedback, reports graders read."""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Iterator
from typing import Annotated, Any, Optional

import typer

from ..errors import BackcalcError, Msg, label
from .common import LangOpt, PrecisionOpt, console, format_option, guarded, lang_code, say, warn, write_json


class CheckFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"
    gradescope = "gradescope"
    junit = "junit"
    markdown = "markdown"


GRADING = "panel.grading"
FileArg = Annotated[list[str], typer.Argument(metavar="FILE...", help="help.check_file", show_default=False)]
CheckFormatOpt = Annotated[Optional[CheckFormat], format_option("help.check_format")]
KeyOpt = Annotated[
    Optional[str],
    typer.Option("--key", "-k", metavar="KEY", show_default=False, help="help.key", rich_help_panel=GRADING),
]
RtolOpt = Annotated[
    Optional[float],
    typer.Option(
        "--rtol", min=0.0, metavar="TOL", show_default=False, help="help.rtol_key", rich_help_panel=GRADING
    ),
]
AtolOpt = Annotated[
    Optional[float],
    typer.Option(
        "--atol", min=0.0, metavar="TOL", show_default=False, help="help.atol_key", rich_help_panel=GRADING
    ),
]
DecimalsOpt = Annotated[
    Optional[int],
    typer.Option(
        "--decimals",
        min=0,
        max=15,
        metavar="N",
        show_default=False,
        help="help.decimals_key",
        rich_help_panel=GRADING,
    ),
]
OutputOpt = Annotated[
    Optional[str],
    typer.Option(
        "--output", "-o", metavar="PATH", show_default=False, help="help.output_key", rich_help_panel=GRADING
    ),
]


SetupOpt = Annotated[
    Optional[str],
    typer.Option(
        "--setup",
        metavar="FILE",
        show_default=False,
        help="help.check_setup",
    ),
]


def check_answers(
    file: FileArg,
    format: CheckFormatOpt = None,
    precision: PrecisionOpt = 4,
    key: KeyOpt = None,
    rtol: RtolOpt = None,
    atol: AtolOpt = None,
    decimals: DecimalsOpt = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
    setup: SetupOpt = None,
) -> None:
    """Grade an answer file (exit 0 all pass, 1 any fails, 2 malformed), or with --key a class of
    submissions (exit 0 every submission passed everything, 1 anything failed or was malformed,
    2 the key or the command line is unusable)."""

    def run() -> None:
        if key is None:
            given = [
                flag
                for flag, v in (("--rtol", rtol), ("--atol", atol), ("--decimals", decimals), ("-o", output))
                if v is not None
            ]
            if given:
                raise BackcalcError(
                    Msg("cli.key_only", flags=", ".join(given)), hint=Msg("cli.key_only_hint")
                )
            if len(file) != 1:
                raise BackcalcError(
                    Msg("cli.one_answer_file", count=len(file)), hint=Msg("cli.one_answer_file_hint")
                )
            self_check(file[0], format, precision, setup)
        else:
            if setup is not None:
                raise BackcalcError(Msg("cli.setup_not_key"))
            grade_class(key, file, format, precision, rtol, atol, decimals, output, lang_code(lang))

    guarded(run)


def self_check(file: str, format: Optional[CheckFormat], precision: int, setup: Optional[str] = None) -> None:
    from ..answers import grade, load_answers
    from .common import read_setup_option

    lines = None if setup is None else read_setup_option(setup, file)

    fmt = _pick(format)
    if fmt not in (CheckFormat.table, CheckFormat.json):
        raise BackcalcError(
            Msg("cli.self_check_formats", format=fmt.value), hint=Msg("cli.self_check_formats_hint")
        )
    if file == "-":  # standard input
        from ..answers import loads_answers
        from ..grading import MAX_SUBMISSION_BYTES

        raw = sys.stdin.buffer.read(MAX_SUBMISSION_BYTES * 10 + 1)
        if len(raw) > MAX_SUBMISSION_BYTES * 10:
            raise BackcalcError(Msg("cli.stdin_too_large", limit=MAX_SUBMISSION_BYTES * 10))
        report = grade(loads_answers(raw, "-"), lines)
    else:
        report = grade(load_answers(file), lines)
    if fmt is CheckFormat.json:
        from ..render import json as J

        write_json(J.check_json(report))
    else:
        from ..render import check_table

        console().print(check_table.render_report(report, precision, lang_code()))
    for item in report.items:
        if item.status == "malformed":
            lang = lang_code()
            detail = Msg("cli.malformed_item", file=file, label=item.label, detail=item.error).text(lang)
            sys.stderr.write(f"{label('error', lang)}: {detail}\n")
    code = report.summary.exit_code
    if code:
        raise typer.Exit(code)


def _pick(fmt: Optional[CheckFormat]) -> CheckFormat:
    if fmt is None:
        return CheckFormat.table if sys.stdout.isatty() else CheckFormat.json
    return fmt


def _writer(fmt: CheckFormat, out: Any, precision: int, lang: str, single: bool) -> Any:
    from ..render import grade_csv, grade_json, grade_markdown, gradescope, junit

    if fmt is CheckFormat.json:
        return grade_json.JsonWriter(out, precision, lang)
    if fmt is CheckFormat.csv:
        return grade_csv.CsvWriter(out, precision, lang)
    if fmt is CheckFormat.junit:
        return junit.JunitWriter(out, precision, lang)
    if fmt is CheckFormat.markdown:
        return grade_markdown.MarkdownWriter(out, precision, lang)
    if fmt is CheckFormat.gradescope:
        return gradescope.GradescopeWriter(out, precision, lang, single=single)
    from rich.console import Console

    from ..render import grade_table

    con = console() if out is sys.stdout else Console(file=out, width=160, no_color=True, highlight=False)
    return grade_table.TableWriter(con, precision, lang)


def grade_class(
    key_path: str,
    files: list[str],
    format: Optional[CheckFormat],
    precision: int,
    rtol: Optional[float],
    atol: Optional[float],
    decimals: Optional[int],
    output: Optional[str],
    lang: str,
) -> None:
    from .. import grading as G

    fmt = _pick(format)
    if files.count("-") > 1:
        raise BackcalcError(Msg("cli.stdin_once"))
    key = G.load_key(key_path, rtol=rtol, atol=atol, decimals=decimals)
    srcs = G.sources(files, skip=key_path)
    first = next(srcs, None)  # also checks that every path exists
    if first is None:
        raise BackcalcError(
            Msg("cli.no_submissions", files=", ".join(files)), hint=Msg("cli.no_submissions_hint")
        )
    second = next(srcs, None)
    single = second is None

    def all_sources() -> Iterator[Any]:
        yield first
        if second is not None:
            yield second
            yield from srcs

    def submissions() -> Iterator[Any]:
        for s in all_sources():
            sub = G.read_source(s)
            if sub.error is not None:
                warn(Msg("cli.malformed_submission", file=sub.file, detail=sub.error))
            for note in sub.ignored:
                warn(Msg("answers.in_file", path=sub.file, detail=note))
            yield sub

    tally = G.Tally(key)
    to_dir = (
        fmt is CheckFormat.gradescope
        and output is not None
        and (os.path.isdir(output) or not output.lower().endswith(".json"))
    )
    if to_dir:
        from ..render.gradescope import GradescopeDirWriter

        assert output is not None
        try:
            os.makedirs(output, exist_ok=True)
        except OSError as e:
            raise BackcalcError(Msg("cli.mkdir", path=output, reason=e.strerror or e)) from None
        dw = GradescopeDirWriter(output, precision, lang)
        dw.begin(key)
        for r in G.grade_all(key, submissions(), lang, tally):
            dw.add(r)
        summary = tally.summary()
        say("cli.wrote_results", count=len(dw.written), path=output)
    elif output is not None:
        if fmt is CheckFormat.gradescope and not single:
            raise BackcalcError(
                Msg("cli.one_results_json", output=output), hint=Msg("cli.one_results_json_hint")
            )
        from ..files import atomic_stream

        with atomic_stream(output) as fh:
            summary = _write(
                key, fmt, fh, precision, lang, single, G.grade_all(key, submissions(), lang, tally), tally
            )
    else:
        summary = _write(
            key, fmt, sys.stdout, precision, lang, single, G.grade_all(key, submissions(), lang, tally), tally
        )
    if summary.exit_code:
        raise typer.Exit(summary.exit_code)


def _write(
    key: Any, fmt: CheckFormat, out: Any, precision: int, lang: str, single: bool, reports: Any, tally: Any
) -> Any:
    w = _writer(fmt, out, precision, lang, single)
    w.begin(key)
    for r in reports:
        w.add(r)
    summary = tally.summary()
    w.end(summary)
    return summary
