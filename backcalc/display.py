"""The number formatter: numbers as short as they can be shown (-4, 0.7311, 1.2e-07), arrays
compactly, on one line or in a table cell, and the same numbers in LaTeX."""

from __future__ import annotations

import functools
import math
from typing import Any

from .limits import BIG

DEFAULT_PRECISION = 4


class Decimals(int):
    """A precision meaning this many fixed decimals (``--decimals 2``: 0.73, -0.20, 1.37, 2.00, as
    the slides round), where a plain int means significant digits (``--precision``).  Every
    renderer passes it on as its ``precision``; :func:`fmt_scalar` tells the two apart."""

    __slots__ = ()


def digits(precision: int, decimals: int | None = None) -> int:
    """The precision renderers take: ``Decimals(decimals)`` when --decimals is given."""
    return precision if decimals is None else Decimals(decimals)


def fmt(v: Any, precision: int = DEFAULT_PRECISION, max_items: int = 6, shape_note: bool = True) -> str:
    if type(v) is float or isinstance(v, int):
        return fmt_scalar(float(v), precision)
    import numpy as np

    arr = np.asarray(v, dtype=float)
    if arr.ndim == 0:
        return fmt_scalar(float(arr), precision)
    return fmt_array(arr, precision, max_items, shape_note)


def fmt_cell(v: Any, precision: int = DEFAULT_PRECISION) -> str:
    """A table cell's number: a scalar, or an array (the first and last rows of a big one,
    without the shape note: the table has a shape column)."""
    if type(v) is float:
        return fmt_scalar(v, precision)
    import numpy as np

    return fmt(v, precision, max_items=3 if np.size(v) > BIG else 6, shape_note=False)


def one_line(v: Any, precision: int = DEFAULT_PRECISION) -> str:
    """fmt() on one line: matrices as [[1, 2], [3, 4]]."""
    return " ".join(fmt(v, precision).replace("\n", ",").split())


# a big table writes the same numbers many times; typed: Decimals(2) is not precision 2
@functools.lru_cache(maxsize=1 << 16, typed=True)
def fmt_scalar(v: float, precision: int = DEFAULT_PRECISION) -> str:
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if type(precision) is Decimals and abs(v) < 1e15:
        s = f"{v:.{int(precision)}f}"
        return s[1:] if s[0] == "-" and not s.strip("-0.") else s  # -0.001 -> 0.00, not -0.00
    precision = int(precision)
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    s = f"{v:.{precision}g}"
    if "e" in s:
        exp = math.floor(math.log10(abs(v)))
        if -5 < exp < 15:
            s = f"{v:.{max(precision - 1 - exp, 0)}f}"
            if "." in s:
                s = s.rstrip("0").rstrip(".")
        else:
            mant, _, e = s.partition("e")
            s = f"{mant}e{int(e)}"
    return s


def shape_text(shape: tuple[int, ...]) -> str:
    """'2×3' for a matrix, '4' for a vector, 'scalar' for ()."""
    return "×".join(str(n) for n in shape) if shape else "scalar"


def _pick(n: int, max_items: int) -> tuple[list[int], bool]:
    """Indices to show along an axis of length n: all, or the first few and the last two."""
    if n <= max_items:
        return list(range(n)), False
    head = max(max_items - 2, 1)
    return list(range(head)) + [n - 2, n - 1], True


def fmt_array(
    arr: Any, precision: int = DEFAULT_PRECISION, max_items: int = 6, shape_note: bool = True
) -> str:
    """Vectors on one line, matrices one row per line with aligned columns; long axes elided
    with '…' and a count.  Rows carry no trailing comma, so replacing the line breaks with
    ',' gives the one-line form [[1, 2], [3, 4]]."""
    if arr.ndim == 1:
        idx, cut = _pick(arr.size, max_items)
        items = [fmt_scalar(float(arr[i]), precision) for i in idx]
        if cut:
            items.insert(len(idx) - 2, "…")
            return "[" + ", ".join(items) + f"] ({arr.size} items)"
        return "[" + ", ".join(items) + "]"
    if arr.ndim == 2:
        rows, rcut = _pick(arr.shape[0], max_items)
        cols, ccut = _pick(arr.shape[1], max_items)
        cells = [[fmt_scalar(float(arr[r, c]), precision) for c in cols] for r in rows]
        if ccut:
            for row in cells:
                row.insert(len(cols) - 2, "…")
        widths = [max(len(row[k]) for row in cells) for k in range(len(cells[0]))]
        lines = ["[" + ", ".join(c.rjust(w) for c, w in zip(row, widths)) + "]" for row in cells]
        width = len(lines[0])
        if rcut:
            lines.insert(len(rows) - 2, "…".center(width))
        out = "[" + "\n ".join(lines) + "]"
        if (rcut or ccut) and shape_note:
            out += "\n" + f"({arr.shape[0]}×{arr.shape[1]})".rjust(width + 2)
        return out
    flat = arr.ravel()
    lo, hi = fmt_scalar(float(flat.min()), precision), fmt_scalar(float(flat.max()), precision)
    return f"{shape_text(arr.shape)} array, from {lo} to {hi}"


def is_scalar(v: Any) -> bool:
    if type(v) is float or isinstance(v, int):
        return True
    import numpy as np

    return np.ndim(v) == 0


def latex_scalar_text(s: str) -> str:
    """fmt()'s text of a scalar as LaTeX: 1.2e-07 -> 1.2 \\times 10^{-7}."""
    if s in ("inf", "-inf"):
        return s.replace("inf", r"\infty")
    if s == "nan":
        return r"\mathrm{NaN}"
    if "e" in s:
        mant, _, exp = s.partition("e")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    return s


def latex_value(v: Any, precision: int = DEFAULT_PRECISION, max_items: int = 6) -> str:
    """A number as LaTeX, or an array as a bmatrix (long axes elided with dots)."""
    if is_scalar(v):
        return latex_scalar_text(fmt(float(v), precision))
    import numpy as np

    arr = np.asarray(v, dtype=float)

    def cell(x: float) -> str:
        return latex_scalar_text(fmt(float(x), precision))

    def row(r: Any) -> str:
        items = [cell(x) for x in r[:max_items]]
        if r.size > max_items:
            items[-1:] = [r"\cdots", cell(r[-1])]
        return " & ".join(items)

    if arr.ndim == 1:
        return r"\begin{bmatrix} " + row(arr) + r" \end{bmatrix}"
    if arr.ndim == 2:
        rows = [row(r) for r in arr[:max_items]]
        if arr.shape[0] > max_items:
            rows.append(r"\vdots")
        return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"
    return r"\text{array of shape } " + r" \times ".join(str(s) for s in arr.shape)
