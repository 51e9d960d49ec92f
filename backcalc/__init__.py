"""backcalc: a backprop calculator that shows the chain rule node by node.

Public API: :func:`grad`, :class:`Result`, :class:`BackcalcError`.
"""

from .api import grad
from .errors import BackcalcError
from .result import Result

__all__ = ["grad", "Result", "BackcalcError"]
__version__ = "0.1.0"
