"""NAME=VALUE text -> numbers (Python floats) and arrays (numpy, imported only when needed).

A scalar is a decimal number with an optional sign and an optional '/DENOMINATOR'
(-2, 0.5, 1e-3, 1/3, -1/3).  An array is a bracketed list of numbers, nested for
matrices ([0.2, 0.4], [[0.1, 0.5], [-0.3, 0.8]]), read by the json module:
never evaluated as Python.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .errors import BackcalcError

_NAME = re.compile(r"[^\W\d]\w*\Z")
_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_SCALAR = re.compile(rf"\s*({_NUMBER})\s*(?:/\s*({_NUMBER})\s*)?\Z")
MAX_ARRAY_ELEMENTS = 50_000_000


def parse_scalar(text: str, name: str = "value") -> float:
    m = _SCALAR.match(text)
    if m is None:
        raise BackcalcError(
            f"cannot read {name}={text!r}: expected a number such as -2, 0.5, 1e-3 or 1/3")
    num = float(m.group(1))
    if m.group(2) is not None:
        den = float(m.group(2))
        if den == 0:
            raise BackcalcError(f"cannot read {name}={text}: the denominator is 0")
        num = num / den
    if not math.isfinite(num):
        raise BackcalcError(f"cannot read {name}={text}: the number is too large for float64")
    return num


def parse_array(text: str, name: str = "value") -> Any:
    import numpy as np

    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as e:
        raise BackcalcError(f"cannot read {name}={_short(text)}: not a valid array ({e})",
                            hint="write arrays as [1, 2] or [[1, 2], [3, 4]]") from None
    return to_array(data, name)


def _refuse_constant(c: str) -> float:
    raise ValueError(f"{c} is not allowed")


def to_array(data: Any, name: str) -> Any:
    """Nested lists of numbers -> float64 array; ragged or non-numeric data is an error."""
    import numpy as np

    if isinstance(data, bool) or not isinstance(data, (list, int, float)):
        raise BackcalcError(f"{name}: expected a number or a (nested) list of numbers, got {type(data).__name__}")
    shape = _shape_of(data, name)
    size = math.prod(shape)
    if size > MAX_ARRAY_ELEMENTS:
        raise BackcalcError(f"{name}: {size:,} elements is more than the limit of {MAX_ARRAY_ELEMENTS:,}")
    arr = np.array(data, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise BackcalcError(f"{name}: array contains a number too large for float64")
    if arr.ndim == 0:
        return float(arr)
    return arr


def _shape_of(data: Any, name: str) -> tuple[int, ...]:
    """The shape of a nested list, checking every level is rectangular and numeric (no recursion)."""
    shape: list[int] = []
    level = [data]
    while True:
        kinds = {isinstance(x, list) for x in level}
        if kinds == {False} or not level:
            for x in level:
                if isinstance(x, bool) or not isinstance(x, (int, float)):
                    raise BackcalcError(f"{name}: {x!r} is not a number")
            return tuple(shape)
        if kinds != {True}:
            raise BackcalcError(f"{name}: ragged array (lists mixed with numbers at depth {len(shape) + 1})")
        lens = {len(x) for x in level}
        if len(lens) != 1:
            raise BackcalcError(f"{name}: ragged array (rows of lengths {sorted(lens)} at depth {len(shape) + 1})")
        n = lens.pop()
        if n == 0:
            raise BackcalcError(f"{name}: empty array")
        shape.append(n)
        level = [y for x in level for y in x]


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "..."


def parse_assignment(item: str) -> tuple[str, Any]:
    """'x=-2' -> ('x', -2.0); 'W=[[1,2],[3,4]]' -> ('W', array)."""
    if "=" not in item:
        raise BackcalcError(f"cannot read {item!r}: values are given as NAME=VALUE, e.g. x=-2")
    name, _, text = item.partition("=")
    name = name.strip()
    if not _NAME.match(name) or name.startswith("_"):
        raise BackcalcError(f"cannot read {item!r}: {name!r} is not a valid name")
    text = text.strip()
    if text.startswith("["):
        return name, parse_array(text, name)
    return name, parse_scalar(text, name)


def parse_assignments(items: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in items:
        name, value = parse_assignment(item)
        if name in values:
            raise BackcalcError(f"{name} is given twice")
        values[name] = value
    return values


def coerce(name: str, value: Any) -> Any:
    """A value from the Python API -> float or float64 array."""
    if isinstance(value, bool):
        raise BackcalcError(f"{name}: expected a number, got a bool")
    if isinstance(value, (int, float)):
        v = float(value)
        if not math.isfinite(v):
            raise BackcalcError(f"{name}: the value must be finite, got {value}")
        return v
    if isinstance(value, str):
        return parse_assignment(f"{name}={value}")[1]
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        raise BackcalcError(f"{name}: unsupported value {value!r}") from None
    if isinstance(value, np.ndarray) or isinstance(value, (list, tuple)):
        arr = np.asarray(value)
        if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
            raise BackcalcError(f"{name}: expected numbers, got an array of {arr.dtype}")
        return to_array(arr.astype(float).tolist(), name)
    if isinstance(value, np.generic):
        return coerce(name, float(value))
    raise BackcalcError(f"{name}: unsupported value of type {type(value).__name__}")
