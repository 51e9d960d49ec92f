"""Training data: a CSV file with a header, or a .npz file, -> (X, Y).

CSV: the header names the columns.  Target columns are those named ``y``, ``y1``, ``y2`` ...,
``y_<anything>``, ``target*``, ``label*`` or ``class`` unless ``target`` picks them;
every other column is a feature unless ``features`` picks them.  .npz: the arrays
``x`` (or ``X``) and ``y`` (or ``Y``).  Problems name the file, the row (its line number)
and the column.
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass
from typing import Any

from ..errors import BackcalcError, setting
from ..limits import MAX_ROWS
from .activations import CLASSIFICATION
from .spec import Network, targets

_TARGET = re.compile(r"(y|y\d+|y_.*|target.*|label.*|class)\Z", re.IGNORECASE)
DATA = setting("data", "data file")


@dataclass
class Data:
    X: Any  # (N, inputs) float64
    Y: Any  # as the loss takes it: (N, outputs) floats, one-hot rows for classification
    features: list[str]
    targets: list[str]
    path: str


def _split(option: str | None) -> list[str] | None:
    if option is None:
        return None
    names = [s.strip() for s in option.split(",") if s.strip()]
    return names or None


def load_data(path: str, net: Network, target: str | None = None, features: str | None = None) -> Data:
    ext = os.path.splitext(path)[1].lower()
    if ext == ".csv":
        X, Yraw, fnames, tnames = _read_csv(path, _split(target), _split(features), net)
    elif ext == ".npz":
        if target or features:
            raise BackcalcError(
                f"{path}: {setting('target')} and {setting('features')} apply to CSV files only"
            )
        X, Yraw, fnames, tnames = _read_npz(path)
    else:
        raise BackcalcError(
            f"{DATA} {path}: unknown kind of file '{ext or '(no ending)'}'", hint="give a .csv or .npz file"
        )
    n_in = net.n_inputs
    if n_in is not None and X.shape[1] != n_in:
        raise BackcalcError(
            f"{path}: {X.shape[1]} feature column{'s' if X.shape[1] != 1 else ''} "
            f"({', '.join(fnames)}), but the network takes {n_in} input{'s' if n_in != 1 else ''}",
            hint=f"pick the feature columns with {setting('features')} a,b or fix the spec",
        )
    Y = targets(net, X, Yraw, path, key="targets (" + ", ".join(tnames) + ")")
    return Data(X=X, Y=Y, features=fnames, targets=tnames, path=path)


def _read_csv(
    path: str, target: list[str] | None, features: list[str] | None, net: Network
) -> tuple[Any, Any, list[str], list[str]]:
    import numpy as np

    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except OSError as e:
        raise BackcalcError(f"{DATA} {path}: cannot read the file ({e.strerror or e})") from None
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
            if header is None:
                raise BackcalcError(f"{path}: the file is empty; expected a header row naming the columns")
            header = [h.strip() for h in header]
            for i, h in enumerate(header):
                if not h:
                    raise BackcalcError(f"{path}: line 1: column {i + 1} has no name in the header")
                if h in header[:i]:
                    raise BackcalcError(f"{path}: line 1: the column name '{h}' appears twice")
                try:
                    float(h)
                    raise BackcalcError(
                        f"{path}: line 1 is numbers ({h}, ...), but the first row must be a header "
                        "naming the columns, e.g. x1,x2,y"
                    )
                except ValueError:
                    pass
            missing = [c for c in (target or []) + (features or []) if c not in header]
            if missing:
                raise BackcalcError(
                    f"{path}: no column named {', '.join(repr(m) for m in missing)}; "
                    f"the header has: {', '.join(header)}"
                )
            if target is None:
                target = [h for h in header if _TARGET.match(h) and h not in (features or [])]
                if not target:
                    raise BackcalcError(
                        f"{path}: no target column: the header ({', '.join(header)}) has no column "
                        "named y, y1, y2 ..., target or label",
                        hint=f"name the target column(s) with {setting('target')} NAME[,NAME]",
                    )
            if features is None:
                features = [h for h in header if h not in target]
            if not features:
                raise BackcalcError(
                    f"{path}: no feature columns left after the target(s) {', '.join(target)}"
                )
            both = set(target) & set(features)
            if both:
                raise BackcalcError(
                    f"{path}: {', '.join(sorted(both))} cannot be both a feature and a target"
                )
            fcols = [header.index(c) for c in features]
            tcols = [header.index(c) for c in target]
            rows_x: list[list[float]] = []
            rows_y: list[list[float]] = []
            for row in reader:
                line = reader.line_num
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    raise BackcalcError(
                        f"{path}: line {line}: {len(row)} value{'s' if len(row) != 1 else ''}, "
                        f"but the header names {len(header)} columns"
                    )
                rows_x.append([_cell(path, line, header[c], row[c]) for c in fcols])
                rows_y.append([_cell(path, line, header[c], row[c]) for c in tcols])
                if len(rows_x) > MAX_ROWS:
                    raise BackcalcError(f"{path}: more than {MAX_ROWS:,} rows")
        except csv.Error as e:
            raise BackcalcError(f"{path}: line {reader.line_num}: not valid CSV ({e})") from None
        except UnicodeDecodeError:
            raise BackcalcError(f"{path}: not UTF-8 text") from None
    if not rows_x:
        raise BackcalcError(f"{path}: no data rows under the header")
    X = np.array(rows_x, dtype=np.float64)
    Y = np.array(rows_y, dtype=np.float64)
    if net.loss in CLASSIFICATION and Y.shape[1] == 1:
        n_out = net.n_outputs
        for r, c in enumerate(Y[:, 0].tolist()):
            if not float(c).is_integer() or not 0 <= c < n_out:
                raise BackcalcError(
                    f"{path}: data row {r + 1}, column '{target[0]}': class label {c:g} is not a whole "
                    f"number from 0 to {n_out - 1} (the last layer has {n_out} outputs)"
                )
        Y = Y[:, 0]
    return X, Y, features, target


def _cell(path: str, line: int, column: str, text: str) -> float:
    t = text.strip()
    if not t:
        raise BackcalcError(f"{path}: line {line}, column '{column}': the value is missing")
    try:
        v = float(t)
    except ValueError:
        raise BackcalcError(f"{path}: line {line}, column '{column}': {t!r} is not a number") from None
    if not math.isfinite(v):
        raise BackcalcError(f"{path}: line {line}, column '{column}': {t} is not a finite number")
    return v


def _read_npz(path: str) -> tuple[Any, Any, list[str], list[str]]:
    import numpy as np

    try:
        loaded = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as e:
        raise BackcalcError(f"{DATA} {path}: not a readable .npz file ({e})") from None
    with loaded:
        names = list(loaded.files)
        xk = next((k for k in ("x", "X") if k in names), None)
        yk = next((k for k in ("y", "Y") if k in names), None)
        if xk is None or yk is None:
            missing = "x" if xk is None else "y"
            raise BackcalcError(
                f"{path}: no array named {missing} (or {missing.upper()}); the file has: {', '.join(names) or 'nothing'}"
            )
        try:
            X, Y = loaded[xk], loaded[yk]
        except ValueError as e:
            raise BackcalcError(f"{path}: cannot read the arrays ({e})") from None
    if X.dtype.kind not in "iuf" or Y.dtype.kind not in "iuf":
        raise BackcalcError(f"{path}: x and y must be arrays of numbers")
    X = np.ascontiguousarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    if X.ndim != 2:
        raise BackcalcError(f"{path}: {xk}: expected a matrix (rows = examples), got shape {X.shape}")
    if Y.shape[0] != X.shape[0]:
        raise BackcalcError(f"{path}: {xk} has {X.shape[0]} rows but {yk} has {Y.shape[0]}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise BackcalcError(f"{path}: the arrays contain inf or nan")
    fn = [f"{xk}[:, {i}]" for i in range(X.shape[1])]
    return X, Y, fn, [yk]
