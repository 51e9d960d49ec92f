"""backcalc quiz: fill in the forward values and the gradients, each answer marked at once."""

from __future__ import annotations

import enum
import sys
from typing import Annotated, Optional

import typer

from .common import (
    ExpandOpt,
    ExpressionArg,
    LangOpt,
    Ties,
    TiesOpt,
    ValuesArg,
    ValuesFileOpt,
    compute,
    guarded,
    lang_code,
)


class QuizFormat(str, enum.Enum):
    text = "text"
    html = "html"


DecimalsOpt = Annotated[
    Optional[int],
    typer.Option(
        "--decimals",
        min=0,
        max=8,
        metavar="N",
        help="help.quiz_decimals",
        rich_help_panel="panel.output",
        show_default=False,
    ),
]
QuizFormatOpt = Annotated[
    Optional[QuizFormat],
    typer.Option(
        "--format",
        "-f",
        help="help.quiz_format",
        rich_help_panel="panel.output",
        show_default=False,
    ),
]
QuizOutputOpt = Annotated[
    Optional[str],
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="help.quiz_output",
        show_default=False,
        rich_help_panel="panel.output",
    ),
]


def quiz(
    expression: ExpressionArg,
    values: ValuesArg = None,
    lang: LangOpt = None,
    decimals: DecimalsOpt = None,
    format: QuizFormatOpt = None,
    output: QuizOutputOpt = None,
    ties: TiesOpt = Ties.SPLIT,
    expand: ExpandOpt = False,
    values_file: ValuesFileOpt = None,
) -> None:
    """Practise backprop: type each gate's forward value, then the gradient at each node in backward order; each answer is marked at once, with a hint, and a score at the end."""

    def run() -> None:
        from .. import quizzing

        code = lang_code(lang)
        text_quiz = format is not QuizFormat.html and output is None
        if text_quiz and expression.strip() == "-":
            from ..errors import BackcalcError, Msg

            raise BackcalcError(Msg("quiz.stdin_expression"), hint=Msg("quiz.stdin_expression_hint"))
        result = compute(expression, values, ties, expand, values_files=values_file)
        if format is QuizFormat.html or output is not None:
            from ..render import quiz_html

            page = quiz_html.render(result, code, decimals)
            if output is None:
                sys.stdout.write(page)
            else:
                from ..files import atomic_write

                atomic_write(output, page)
            return

        def read_line() -> Optional[str]:
            line = sys.stdin.readline()
            return line if line else None

        from .run import for_terminal

        def write(text: str) -> None:
            # whole lines are broken between words at a terminal's width (prompts stay as they are)
            sys.stdout.write(for_terminal(text, sys.stdout) if text.endswith("\n") else text)
            sys.stdout.flush()

        echo = not sys.stdin.isatty()
        quizzing.run(result, read_line, write, code, decimals, echo=echo)

    guarded(run)
