"""backcalc: a backprop calculator that shows the chain rule node by node.

Public API: :func:`grad`, :func:`net`, :func:`check` (grading a class against an answer key),
:class:`Result`, :class:`BackcalcError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .api import grad, net
from .errors import BackcalcError
from .result import Result

if TYPE_CHECKING:
    from .grading import ClassReport


def check(
    key: str | Mapping[str, Any],
    submissions: str | Mapping[str, Any] | Iterable[str | Mapping[str, Any]],
    *,
    rtol: float | None = None,
    atol: float | None = None,
    decimals: int | None = None,
    lang: str = "en",
) -> ClassReport:
    """Grade ``submissions`` (paths of files or directories, or mappings) against the answer
    ``key`` (a path or a mapping): a :class:`backcalc.grading.ClassReport` of typed records
    (every submission's points, answers, correct values and feedback; the class summary).
    Each key problem is computed once.  See :func:`backcalc.grading.check`."""
    from .grading import check as grade_class  # imported when used: grad's start-up stays as it was

    return grade_class(key, submissions, rtol=rtol, atol=atol, decimals=decimals, lang=lang)


__all__ = ["grad", "net", "check", "Result", "BackcalcError"]
__version__ = "0.1.0"
