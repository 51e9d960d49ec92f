"""backcalc: a backprop calculator that shows the chain rule node by node.

Public API, one function per command (keyword options named as the command line's):
:func:`grad`, :func:`explain`, :func:`graph`, :func:`net`, :func:`train`, :func:`check`,
:func:`quiz`, :func:`step`;
:class:`Result`, :class:`BackcalcError`, :class:`BackcalcWarning`.  In IPython or Jupyter,
``%load_ext backcalc`` adds the ``%backcalc`` and ``%%backcalc`` magics (docs/python.md).
"""

from __future__ import annotations

from typing import Any

from .api import BackcalcWarning, check, explain, grad, graph, net, quiz, step, train
from .errors import BackcalcError
from .result import Result


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext backcalc``: register the ``%backcalc`` line magic and ``%%backcalc`` cell magic."""
    from .magics import register

    register(ipython)


__all__ = [
    "grad",
    "explain",
    "graph",
    "net",
    "train",
    "check",
    "quiz",
    "step",
    "Result",
    "BackcalcError",
    "BackcalcWarning",
]
__version__ = "0.1.0"
