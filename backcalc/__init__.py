"""backcalc: a backprop calculator that shows the chain rule node by node.

Public API: :func:`grad`, :func:`net`, :class:`Result`, :class:`BackcalcError`.
"""

from .api import grad, net
from .errors import BackcalcError
from .result import Result

__all__ = ["grad", "net", "Result", "BackcalcError"]
__version__ = "0.1.0"
