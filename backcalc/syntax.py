"""Operators, their spellings and precedence: the one table the parser and the printers read.

Each entry is an operator as written in an expression, the op-table name it builds and how
tightly it binds.  ``^`` is another spelling of ``**`` (the printers write ``**``).  Function
calls (``exp(x)``) are not here: their names are the op table's.  The op table's own
``symbol``/``prec`` fields predate this table; for parsing and printing, this table is the truth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Operator:
    symbol: str  # as written
    op: str  # the op-table name it builds
    prec: int  # binding strength: higher binds tighter
    right: bool = False  # right-associative (x ** y ** z = x ** (y ** z))
    spelling_of: str | None = None  # another way to write this symbol (printers use the symbol)


BINARY: dict[str, Operator] = {
    o.symbol: o
    for o in (
        Operator("+", "add", 10),
        Operator("-", "sub", 10),
        Operator("*", "mul", 20),
        Operator("/", "div", 20),
        Operator("@", "matmul", 20),
        Operator("**", "pow", 40, right=True),
        Operator("^", "pow", 40, right=True, spelling_of="**"),
    )
}
# prefix signs bind looser than '**' (-x**2 = -(x**2)) and tighter than '*'
UNARY_PREC = 30
UNARY: dict[str, Operator] = {
    o.symbol: o for o in (Operator("-", "neg", UNARY_PREC, True), Operator("+", "pos", UNARY_PREC, True))
}
ATOM_PREC = 1000  # names, numbers and calls: nothing binds tighter
PUNCTUATION = "(),="

# symbol -> op name, as graph.build looks them up
BINARY_OPS = {s: o.op for s, o in BINARY.items()}
UNARY_OPS = {s: o.op for s, o in UNARY.items()}

# op name -> the operator printers write for it (its canonical spelling)
PRINTED: dict[str, Operator] = {
    **{o.op: o for o in BINARY.values() if o.spelling_of is None},
    **{o.op: o for o in UNARY.values()},
}


def operator_pattern() -> str:
    """A regex alternative matching every operator symbol and punctuation, longest first."""
    symbols = sorted({*BINARY, *UNARY, *PUNCTUATION}, key=lambda s: (-len(s), s))
    return "|".join(re.escape(s) for s in symbols)


def symbol_of(op: str) -> str | None:
    """The operator an op is written with ('+' for add), or None for a function call."""
    o = PRINTED.get(op)
    return None if o is None else o.symbol


# --- spellings from paper, the slides and NumPy, with what to write instead (for hints) ---

# characters of the lecture's notation
FOREIGN_OPERATORS = {
    "·": "*",
    "⋅": "*",
    "×": "*",
    "∗": "*",
    "÷": "/",
    "−": "-",
    "²": "**2",
    "³": "**3",
}
# function names as written on paper or in other libraries -> backcalc's name
FUNCTION_SPELLINGS = {
    "σ": "sigmoid",
    "sigma": "sigmoid",
    "ln": "log",
    "logistic": "sigmoid",
    "expit": "sigmoid",
    "ReLU": "relu",
    "Relu": "relu",
    "maximum": "max",
    "minimum": "min",
    "√": "sqrt",
}
# 'np.exp(x)', 'math.exp(x)': module prefixes of other libraries
MODULE_PREFIXES = frozenset({"np", "numpy", "math", "torch", "jnp", "F", "sp", "sympy", "tf"})


__all__ = [
    "Operator",
    "BINARY",
    "UNARY",
    "UNARY_PREC",
    "ATOM_PREC",
    "BINARY_OPS",
    "UNARY_OPS",
    "PRINTED",
    "FOREIGN_OPERATORS",
    "FUNCTION_SPELLINGS",
    "MODULE_PREFIXES",
]
