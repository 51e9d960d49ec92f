"""NAME=VALUE text and value files -> numbers (Python floats) and arrays (numpy, imported only when needed).

A scalar is a decimal number with an optional sign and an optional '/DENOMINATOR'
(-2, 0.5, 1e-3, 1/3, -1/3).  An array is a bracketed list of numbers, nested for
matrices ([0.2, 0.4], [[0.1, 0.5], [-0.3, 0.8]]), read by the json module:
never evaluated as Python.

A value file (``--values FILE`` on the command line) holds several named values, chosen by its ending:
``.json`` (an object of NAME: number or nested list), ``.toml`` (NAME = number or
array), ``.npz`` (each array under its own name) or ``.npy`` (one array, named by
the file's stem: ``x.npy`` gives ``x``).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .errors import BackcalcError, Msg, line_col, setting
from .limits import ARRAY_MAX_DIMS
from .parse import LIMITS

VALUES_FILE = setting("values_file", "values file")  # the CLI shows it as --values
_NAME = re.compile(r"[^\W\d]\w*\Z")
_NUMBER = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_SCALAR = re.compile(rf"\s*({_NUMBER})\s*(?:/\s*({_NUMBER})\s*)?\Z")


def _in_file(path: str, detail: Msg) -> Msg:
    """'values file PATH: ...' (the CLI says --values PATH)."""
    return Msg("values.in_file", file=VALUES_FILE, path=path, detail=detail)


def parse_scalar(text: str, name: str = "value") -> float:
    m = _SCALAR.match(text)
    if m is None:
        raise BackcalcError(Msg("values.not_number", name=name, text=text))
    num = float(m.group(1))
    if m.group(2) is not None:
        den = float(m.group(2))
        if den == 0:
            raise BackcalcError(Msg("values.zero_denominator", name=name, text=text))
        num = num / den
    if not math.isfinite(num):
        raise BackcalcError(Msg("values.too_large", name=name, text=text))
    return num


# What the nesting scan looks at: brackets, and the strings and comments to skip over whole
# (an unterminated string ends the scan: everything after it is inside the string).
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_TOML_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"{3,5}'  # multi-line basic string
    r"|'''.*?'{3,5}"  # multi-line literal string
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # basic string
    r"|'[^'\n]*'"  # literal string
    r"|#[^\n]*"  # comment
    r"|[\[\]{}]",
    re.DOTALL,
)


def check_nesting(text: str, where: str, kind: str = "json") -> None:
    """Refuse JSON or TOML text whose arrays and objects nest deeper than the limit, in one
    linear pass over its brackets (strings and comments skipped), before the parser sees it:
    Python's json and tomllib readers recurse, so past a few hundred levels they would fail
    with a RecursionError instead of an answer."""
    limit = LIMITS.max_nesting
    if text.count("[") + text.count("{") <= limit:
        return  # too few brackets to nest that deep
    depth = 0
    for m in (_TOML_TOKENS if kind == "toml" else _JSON_TOKENS).finditer(text):
        c = m.group()
        if c == "[" or c == "{":
            depth += 1
            if depth > limit:
                raise nesting_error(where, text, m.start())
        elif c == "]" or c == "}":
            depth -= 1  # a stray closer is the parser's to report


def nesting_error(where: str, text: str | None = None, pos: int | None = None) -> BackcalcError:
    """The error for arrays or objects nested past the limit (``Limits.max_nesting``)."""
    at = ""
    if text is not None and pos is not None:
        line, col = line_col(text, pos)
        at = f" (at line {line}, column {col})" if "\n" in text else f" (at column {col})"
    return BackcalcError(
        Msg("values.nesting", where=where, limit=LIMITS.max_nesting, at=at),
        hint=Msg("parse.raise_limit", variable="BACKCALC_MAX_NESTING"),
    )


def parse_array(text: str, name: str = "value") -> Any:
    where = f"cannot read {name}={_short(text)}"
    check_nesting(text, where)
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise nesting_error(where) from None
    except ValueError as e:
        raise BackcalcError(
            Msg("values.bad_array", name=name, text=_short(text), reason=str(e)),
            hint=Msg("values.array_hint"),
        ) from None
    return to_array(data, name)


def _refuse_constant(c: str) -> float:
    raise ValueError(f"{c} is not allowed")


def to_array(data: Any, name: str) -> Any:
    """Nested lists of numbers -> float64 array; ragged or non-numeric data is an error."""
    import numpy as np

    if isinstance(data, bool) or not isinstance(data, (list, int, float)):
        raise BackcalcError(Msg("values.not_numbers", name=name, kind=type(data).__name__))
    shape = _shape_of(data, name)
    if len(shape) > ARRAY_MAX_DIMS:
        raise BackcalcError(Msg("values.too_many_dims", name=name, dims=len(shape), limit=ARRAY_MAX_DIMS))
    size = math.prod(shape)
    if size > LIMITS.max_array_elements:
        raise BackcalcError(
            Msg("values.too_many_elements", name=name, size=size, limit=LIMITS.max_array_elements)
        )
    arr = np.array(data, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise BackcalcError(Msg("values.array_too_large", name=name))
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
                    raise BackcalcError(Msg("values.element_not_number", name=name, element=repr(x)))
            return tuple(shape)
        if kinds != {True}:
            raise BackcalcError(Msg("values.ragged_mixed", name=name, depth=len(shape) + 1))
        lens = {len(x) for x in level}
        if len(lens) != 1:
            raise BackcalcError(
                Msg("values.ragged_rows", name=name, lengths=sorted(lens), depth=len(shape) + 1)
            )
        n = lens.pop()
        if n == 0:
            raise BackcalcError(Msg("values.empty_array", name=name))
        shape.append(n)
        level = [y for x in level for y in x]


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "..."


def split_assignment(item: str) -> tuple[str, str]:
    """'x=-2' -> ('x', '-2'): the name checked, the value kept as text for the one reader
    (:func:`coerce`, which reads it as a float or array, and exactly for exact arithmetic)."""
    if "=" not in item:
        hint = None
        if item.startswith("-"):
            hint = Msg("values.dash_dash")
        raise BackcalcError(Msg("values.not_assignment", item=item), hint=hint)
    name, _, text = item.partition("=")
    name = name.strip()
    if not _NAME.match(name) or name.startswith("_"):
        raise BackcalcError(Msg("values.bad_name", item=item, name=name))
    if "=" in text and "," in text and not text.lstrip().startswith(("[", "{")):
        # x=-2,y=5: several values in one argument
        fixed = " ".join(part.strip() for part in item.split(",") if part.strip())
        raise BackcalcError(Msg("values.comma", item=item), hint=Msg("values.comma_hint", fixed=fixed))
    return name, text.strip()


def read_value(name: str, text: str) -> Any:
    """A value's text -> a float ('-2', '1/3') or a float64 array ('[[1, 2], [3, 4]]')."""
    if text.startswith("["):
        return parse_array(text, name)
    return parse_scalar(text, name)


def parse_assignment(item: str) -> tuple[str, Any]:
    """'x=-2' -> ('x', -2.0); 'W=[[1,2],[3,4]]' -> ('W', array)."""
    name, text = split_assignment(item)
    return name, read_value(name, text)


def split_assignments(items: list[str]) -> dict[str, str]:
    """NAME=VALUE items -> {name: text}; a name given twice is refused."""
    values: dict[str, str] = {}
    for item in items:
        name, text = split_assignment(item)
        if name in values:
            raise BackcalcError(Msg("values.twice", name=name))
        values[name] = text
    return values


def parse_assignments(items: list[str]) -> dict[str, Any]:
    return {name: read_value(name, text) for name, text in split_assignments(items).items()}


def coerce(name: str, value: Any) -> Any:
    """A value from the Python API -> float or float64 array."""
    if isinstance(value, bool):
        raise BackcalcError(Msg("values.bool", name=name))
    if isinstance(value, (int, float)):
        v = float(value)
        if not math.isfinite(v):
            raise BackcalcError(Msg("values.not_finite", name=name, value=value))
        return v
    if isinstance(value, str):
        return read_value(name, value.strip())
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        raise BackcalcError(Msg("values.unsupported", name=name, value=repr(value))) from None
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        return _from_ndarray(value, name)
    if isinstance(value, (np.ndarray, list, tuple)):
        try:
            arr = np.asarray(value)
        except ValueError:
            raise BackcalcError(Msg("values.ragged", name=name)) from None
        if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
            raise BackcalcError(Msg("values.array_dtype", name=name, dtype=arr.dtype))
        return to_array(arr.astype(float).tolist(), name)
    if isinstance(value, np.generic):
        return coerce(name, float(value))
    raise BackcalcError(Msg("values.unsupported_type", name=name, kind=type(value).__name__))


def _from_ndarray(arr: Any, name: str) -> Any:
    """A numeric numpy array -> float64, C-contiguous (no list round trip: large data stays fast)."""
    import numpy as np

    if arr.dtype.kind not in "iuf":
        raise BackcalcError(Msg("values.array_dtype", name=name, dtype=arr.dtype))
    if arr.size == 0:
        raise BackcalcError(Msg("values.empty_array", name=name))
    if arr.size > LIMITS.max_array_elements:
        raise BackcalcError(
            f"{name}: {arr.size:,} elements is more than the limit of {LIMITS.max_array_elements:,}"
        )
    out = np.ascontiguousarray(arr, dtype=np.float64)
    if not np.all(np.isfinite(out)):
        raise BackcalcError(Msg("values.array_not_finite", name=name))
    if out.ndim == 0:
        return float(out)
    return out


VALUE_FILE_KINDS = (".json", ".toml", ".npy", ".npz")


def load_values_file(path: str) -> dict[str, Any]:
    """Read a value file (.json, .toml, .npy, .npz) into {name: float or float64 array}."""
    import os

    ext = os.path.splitext(path)[1].lower()
    if ext not in VALUE_FILE_KINDS:
        raise BackcalcError(
            _in_file(path, Msg("values.file_kind", ext=ext or "(no ending)")),
            hint=Msg("values.file_kind_hint"),
        )
    try:
        with open(path, "rb") as fh:
            raw = fh.read(LIMITS.max_file_bytes + 1)
        if len(raw) > LIMITS.max_file_bytes:
            raise BackcalcError(
                _in_file(path, Msg("values.file_too_large", limit=LIMITS.max_file_bytes)),
                hint=Msg("parse.raise_limit", variable="BACKCALC_MAX_FILE_BYTES"),
            )
    except OSError as e:
        raise BackcalcError(_in_file(path, Msg("values.file_unreadable", reason=e.strerror or e))) from None
    if ext in (".json", ".toml"):
        return _from_mapping(_parse_text_file(path, ext, raw), path)
    import io

    import numpy as np

    _check_declared_sizes(raw, ext, path)
    try:
        loaded = np.load(io.BytesIO(raw), allow_pickle=False)
    except (ValueError, OSError, EOFError) as e:
        raise BackcalcError(_in_file(path, Msg("values.file_not_numbers", ext=ext, reason=str(e)))) from None
    if ext == ".npy":
        stem = os.path.splitext(os.path.basename(path))[0]
        if not _NAME.match(stem) or stem.startswith("_"):
            raise BackcalcError(
                _in_file(path, Msg("values.npy_name", stem=stem)),
                hint=Msg("values.npy_name_hint"),
            )
        return {stem: _from_ndarray(loaded, f"{stem} (from {path})")}
    out: dict[str, Any] = {}
    with loaded:
        for key in loaded.files:
            if not _NAME.match(key) or key.startswith("_"):
                raise BackcalcError(_in_file(path, Msg("values.file_bad_name", name=key)))
            try:
                arr = loaded[key]
            except ValueError as e:
                raise BackcalcError(
                    _in_file(path, Msg("values.file_entry_unreadable", name=key, reason=str(e)))
                ) from None
            out[key] = _from_ndarray(arr, f"{key} (from {path})")
    if not out:
        raise BackcalcError(_in_file(path, Msg("values.file_empty")))
    return out


def _check_declared_sizes(raw: bytes, ext: str, path: str) -> None:
    """Refuse arrays over the size limit from their headers, before anything is decompressed
    (an .npz is a zip: a small file can hold a huge array)."""
    import io
    import math
    import zipfile

    import numpy as np

    def check(stream: Any, name: str) -> None:
        try:
            version = np.lib.format.read_magic(stream)
            if version == (1, 0):
                shape, _, _ = np.lib.format.read_array_header_1_0(stream)
            else:
                shape, _, _ = np.lib.format.read_array_header_2_0(stream)
        except (ValueError, OSError, EOFError) as e:
            raise BackcalcError(
                _in_file(path, Msg("values.file_bad_array", name=name, reason=str(e)))
            ) from None
        size = math.prod(shape)
        if size > LIMITS.max_array_elements:
            raise BackcalcError(
                _in_file(
                    path, Msg("values.file_too_many", name=name, size=size, limit=LIMITS.max_array_elements)
                ),
                hint=Msg("parse.raise_limit", variable="BACKCALC_MAX_ARRAY_ELEMENTS"),
            )

    if ext == ".npy":
        check(io.BytesIO(raw), "the array")
        return
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            for info in zf.infolist():
                if info.filename.endswith(".npy"):
                    with zf.open(info) as member:
                        check(member, info.filename[:-4])
    except zipfile.BadZipFile as e:
        raise BackcalcError(_in_file(path, Msg("values.file_bad_npz", reason=str(e)))) from None


def _parse_text_file(path: str, ext: str, raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BackcalcError(_in_file(path, Msg("values.file_not_utf8"))) from None
    return load_text(text, f"{VALUES_FILE} {path}", "json" if ext == ".json" else "toml")


def load_text(text: str, where: str, kind: str) -> Any:
    """JSON or TOML text -> data, within the nesting limit; every failure is a BackcalcError
    whose message starts with ``where`` (the file, as the message names it)."""
    check_nesting(text, where, kind)
    if kind == "json":
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise nesting_error(where) from None
        except ValueError as e:
            raise BackcalcError(Msg("values.not_json", where=where, reason=str(e))) from None
    import tomllib

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise nesting_error(where) from None
    except tomllib.TOMLDecodeError as e:
        raise BackcalcError(Msg("values.not_toml", where=where, reason=str(e))) from None


def _from_mapping(data: Any, path: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise BackcalcError(
            _in_file(path, Msg("values.file_not_object", kind=type(data).__name__)),
            hint='e.g. {"W": [[0.1, 0.5], [-0.3, 0.8]], "x": [0.2, 0.4]}',
        )
    out: dict[str, Any] = {}
    for name, v in data.items():
        if not _NAME.match(name) or name.startswith("_"):
            raise BackcalcError(_in_file(path, Msg("values.file_bad_name", name=name)))
        where = f"{name} (in {path})"
        if isinstance(v, bool) or not isinstance(v, (int, float, list)):
            raise BackcalcError(Msg("values.not_numbers", name=where, kind=type(v).__name__))
        if isinstance(v, list):
            out[name] = to_array(v, where)
        else:
            f = float(v)
            if not math.isfinite(f):
                raise BackcalcError(Msg("values.number_too_large", where=where))
            out[name] = f
    return out


# --- exact numbers (for exact and symbolic arithmetic), read from the same text ---------------


def _sp() -> Any:
    import sympy

    return sympy


def exact_scalar(text: str, name: str = "value") -> Any:
    """'1/3' -> Rational(1, 3); '0.1' -> Rational(1, 10); '1e-3' -> Rational(1, 1000).

    The grammar of :func:`backcalc.values.parse_scalar`, read with ``fractions.Fraction``
    (a decimal parser) instead of float, so nothing is rounded."""
    from fractions import Fraction

    sp = _sp()
    m = _SCALAR.match(text.replace("\u2212", "-"))
    if m is None:
        raise BackcalcError(Msg("values.not_number", name=name, text=text))
    parts = [m.group(1)] + ([m.group(2)] if m.group(2) is not None else [])
    fracs = []
    for part in parts:
        _, _, exp = part.lower().partition("e")
        if exp and abs(int(exp)) > 400:
            raise BackcalcError(
                f"cannot read {name}={text}: the exponent {exp} is too large for exact arithmetic"
            )
        fracs.append(Fraction(part))
    value = fracs[0]
    if len(fracs) == 2:
        if fracs[1] == 0:
            raise BackcalcError(Msg("values.zero_denominator", name=name, text=text))
        value = value / fracs[1]
    return sp.Rational(value.numerator, value.denominator)


def exact_number(value: Any, name: str = "value") -> Any:
    """A float, int, Fraction, number text, or array of them -> exact SymPy numbers (a float
    is read from its shortest repr, so 0.1 is 1/10); arrays become object arrays."""
    sp = _sp()
    if isinstance(value, str):
        if value.strip().startswith("["):
            return exact_number(parse_array(value, name), name)
        return exact_scalar(value, name)
    if isinstance(value, bool):
        raise BackcalcError(Msg("values.bool", name=name))
    if isinstance(value, int):
        return sp.Integer(value)
    from fractions import Fraction

    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if type(value) is float:
        if not math.isfinite(value):
            return sp.Float(value)
        return exact_scalar(repr(value), name)
    import numpy as np

    if isinstance(value, np.ndarray):
        out = np.empty(value.shape, dtype=object)
        for idx in np.ndindex(value.shape):
            out[idx] = exact_number(float(value[idx]), name)
        return out
    if isinstance(value, np.generic):
        return exact_number(float(value), name)
    raise BackcalcError(Msg("values.not_exact", name=name, kind=type(value).__name__))


def const_exact(g: Any, i: int) -> Any:
    """A constant written in the expression, exactly: its text, or pi and e."""
    sp = _sp()
    text = g.names[i]
    special = {"pi": (sp.pi, math.pi), "e": (sp.E, math.e)}
    if text in special and g.consts[i] == special[text][1]:
        return special[text][0]
    if _SCALAR.match(text):
        return exact_scalar(text, "constant")
    return exact_number(float(g.consts[i]), "constant")
