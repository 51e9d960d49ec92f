"""Every user-facing limit of backcalc in one place, each with why it is there.

The limits on input (expression length, nesting, nodes, array elements, file size) are
fields of :data:`LIMITS` so a test or a caller can change them at run time; the others are
constants.  Each ``BACKCALC_*`` environment variable overrides its limit at start-up.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass
class Limits:
    """Resource limits on expressions and values; each can be set by an environment variable."""

    # characters of an expression: the parser and the graph are linear in it, memory is not free
    max_chars: int = field(default_factory=lambda: _env_int("BACKCALC_MAX_CHARS", 20_000_000))
    # open parentheses and calls nested in one another (the parser's explicit stack)
    max_depth: int = field(default_factory=lambda: _env_int("BACKCALC_MAX_DEPTH", 100_000))
    # syntax-tree nodes of one expression: a bound on the graph's memory
    max_nodes: int = field(default_factory=lambda: _env_int("BACKCALC_MAX_NODES", 2_000_000))
    # elements of one array value (checked before the array is read or allocated)
    max_array_elements: int = field(
        default_factory=lambda: _env_int("BACKCALC_MAX_ARRAY_ELEMENTS", 50_000_000)
    )
    # brackets and braces nested in one value or one JSON/TOML file (values, value files, network
    # specs): more than an array can use (ARRAY_MAX_DIMS) plus the objects around it,
    # and well below where Python's json and tomllib readers, which recurse, run out of stack
    # (about 300 levels of TOML inline tables); the text is scanned for it before it is parsed
    max_nesting: int = field(default_factory=lambda: _env_int("BACKCALC_MAX_NESTING", 100))
    # bytes of one value file read into memory
    max_file_bytes: int = field(default_factory=lambda: _env_int("BACKCALC_MAX_FILE_BYTES", 1 << 30))


LIMITS = Limits()

# dimensions of one array: numpy stores up to 64, but broadcasting and its iterators take 32
ARRAY_MAX_DIMS = 32

# characters of source text kept per node: a 100,000-term sum must not cost O(n^2) characters
TEXT_MAX = 120
# entries of an explicit local Jacobian shown with --jacobian (12×12); larger ones are described
JACOBIAN_MAX_ENTRIES = 144
# nodes above which the JSON is written unindented: indenting would cost more than the run
PRETTY_MAX = 2000
# rows of training data read from a CSV file
MAX_ROWS = 10_000_000

# step and relative tolerance of the finite-difference check (cs231n: < 1e-7 good, ~1e-4
# acceptable near kinks, > 1e-2 wrong)
DEFAULT_H = 1e-5
DEFAULT_TOL = 1e-6
DEFAULT_ATOL = 1e-9  # absolute error allowed by expected answers (near zero a relative error means nothing)
# seconds allowed for the symbolic / exact run by default (0 or None: no limit)
DEFAULT_TIMEOUT = 30.0
# bits of one exact number (about 30,000 decimal digits) before --exact stops
EXACT_MAX_BITS = int(os.environ.get("BACKCALC_EXACT_MAX_BITS", "100000"))
# elements of an array input --symbolic / --exact will write out element by element
SYMBOLIC_MAX_ELEMENTS = int(os.environ.get("BACKCALC_SYMBOLIC_MAX_ELEMENTS", "64"))
EXACT_MAX_ELEMENTS = int(os.environ.get("BACKCALC_EXACT_MAX_ELEMENTS", "400"))
# gates above which --symbolic writes common subexpressions instead of simplifying
LARGE_GATES = int(os.environ.get("BACKCALC_SYMBOLIC_LARGE", "40"))
# operations of a derivative above which simplify() is not tried (it can take minutes)
SIMPLIFY_MAX_OPS = 400
# seconds of simplify() spent on the elements of array gradients
SIMPLIFY_BUDGET = 10.0
# the chain rule is written path by path up to this many paths and factors
MAX_PATHS = 6
MAX_CHAIN_FACTORS = 24
# backprop steps written out in an array chain rule (else one step), and characters of each
MAX_STEPS = 10
MAX_STEP_TEXT = 400

# seconds Graphviz's dot may take to draw a picture
DOT_TIMEOUT = 120.0
# Pictures drawn through Graphviz (svg, png, pdf) are sized before dot runs: at most this many
# gates (`graph --max-nodes N` draws up to N gates instead, whatever the estimate), and an
# estimated layout time of at most DOT_BUDGET seconds.  dot's time grows faster than the square
# of the boxes it places, and with the bends of wires that span many columns (an input shared
# by gates far apart).  Measured on Graphviz 2.43 with the large-picture settings below (user
# CPU seconds; boxes, bends -> s): distinct-input sums of 300/500/1000 products 2399, 0 -> 0.9;
# 3999, 0 -> 2.8; 7999, 0 -> 17.5; shared inputs (x{i%50}*y{i%37}) of 200/300/500 products
# 1286, 62914 -> 1.6; 1886, 154006 -> 3.6; 3086, 456798 -> 17 (a loaded machine):
# about DOT_SECONDS_PER_BOX * boxes**2.5 + DOT_SECONDS_PER_BEND * bends.
DOT_MAX_GATES = _env_int("BACKCALC_DOT_MAX_NODES", 2000)
DOT_BUDGET = 10.0
DOT_SECONDS_PER_BOX = 3.05e-9
DOT_SECONDS_PER_BEND = 2.5e-5
# gates above which dot is told to lay out quickly (fewer positioning and crossing-reduction
# rounds, straight wires); smaller pictures are laid out with dot's defaults
DOT_FAST_LAYOUT_GATES = 100
# characters of user text (the expression in the title, a name, a sum of branches) in a label;
# the middle of a longer text is elided with '…' (Graphviz refuses strings over 16 KB)
DOT_TITLE_MAX = 200
DOT_NAME_MAX = 60
DOT_SUM_PARTS = 12
# elements of an array in a table cell above which its middle rows and columns are elided
BIG = 36
# characters of a formula shown in a checking table's cell (the JSON carries all of it)
MAX_FORMULA = 240
# definitions of a common-subexpression form listed per kind in the table
MAX_CSE_LINES = 12
# formulas of an array gradient listed in the symbolic table, one per element
MAX_ELEMENTS_SHOWN = 8


__all__ = ["LIMITS", "Limits"]
