"""backcalc explain: the forward and backward pass narrated step by step."""

from __future__ import annotations

from .common import (
    DecimalsOpt,
    ExpandOpt,
    ExpressionArg,
    LangOpt,
    PrecisionOpt,
    Ties,
    TiesOpt,
    ValuesArg,
    ValuesFileOpt,
    compute,
    console,
    guarded,
    lang_code,
)


def explain(
    expression: ExpressionArg,
    values: ValuesArg = None,
    lang: LangOpt = None,
    precision: PrecisionOpt = 4,
    decimals: DecimalsOpt = None,
    ties: TiesOpt = Ties.SPLIT,
    expand: ExpandOpt = False,
    values_file: ValuesFileOpt = None,
) -> None:
    """Explain the forward and backward pass step by step: gate, local gradient, upstream x local = downstream, and why."""

    def run() -> None:
        from ..display import digits

        p = digits(precision, decimals)
        from .. import explanation as X

        result = compute(expression, values, ties, expand, values_files=values_file)
        from .run import size_warning

        size_warning(len(result.nodes), "explain.size", lang)
        console().print(X.render_rich(X.build(result, lang_code(lang), p)))

    guarded(run)
