"""Numbers as short as they can be shown: -4, 0.7311, 1.2e-07; arrays compactly."""

from __future__ import annotations

import math
from typing import Any

DEFAULT_PRECISION = 4


def fmt(v: Any, precision: int = DEFAULT_PRECISION) -> str:
    if type(v) is float or isinstance(v, int):
        return fmt_scalar(float(v), precision)
    import numpy as np

    arr = np.asarray(v, dtype=float)
    if arr.ndim == 0:
        return fmt_scalar(float(arr), precision)
    return fmt_array(arr, precision)


def fmt_scalar(v: float, precision: int = DEFAULT_PRECISION) -> str:
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
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


def fmt_array(arr: Any, precision: int = DEFAULT_PRECISION, max_items: int = 6) -> str:
    """[1, 2, 3] for vectors, rows on their own lines for matrices; long arrays elided with a count."""
    if arr.ndim == 1:
        items = [fmt_scalar(float(x), precision) for x in arr[:max_items]]
        if arr.size > max_items:
            items[-1:] = ["…", fmt_scalar(float(arr[-1]), precision)]
            return "[" + ", ".join(items) + f"] ({arr.size} items)"
        return "[" + ", ".join(items) + "]"
    if arr.ndim == 2:
        rows = arr[:max_items]
        cells = [[fmt_scalar(float(x), precision) for x in row[:max_items]] for row in rows]
        width = max(len(c) for r in cells for c in r)
        lines = ["[" + ", ".join(c.rjust(width) for c in r) + (", …" if arr.shape[1] > max_items else "") + "]"
                 for r in cells]
        if arr.shape[0] > max_items:
            lines.append("…")
        text = "[" + "\n ".join(lines) + "]"
        if arr.size > max_items * max_items or arr.shape[0] > max_items or arr.shape[1] > max_items:
            text += f" ({arr.shape[0]}×{arr.shape[1]})"
        return text
    return f"array of shape {'×'.join(str(s) for s in arr.shape)}"
