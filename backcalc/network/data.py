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

from ..errors import BackcalcError, Msg, setting
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
                Msg("data.csv_only", path=path, target=setting("target"), features=setting("features"))
            )
        X, Yraw, fnames, tnames = _read_npz(path)
    else:
        raise BackcalcError(
            Msg("data.unknown_kind", data=DATA, path=path, ext=ext or Msg("data.no_ending")),
            hint=Msg("data.unknown_kind_hint"),
        )
    n_in = net.n_inputs
    if n_in is not None and X.shape[1] != n_in:
        raise BackcalcError(
            Msg(
                "data.n_features",
                path=path,
                columns=Msg("data.column" if X.shape[1] == 1 else "data.columns", n=X.shape[1]),
                names=", ".join(fnames),
                inputs=Msg("data.input" if n_in == 1 else "data.inputs", n=n_in),
            ),
            hint=Msg("data.n_features_hint", features=setting("features")),
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
        raise BackcalcError(Msg("data.cannot_read", data=DATA, path=path, reason=e.strerror or e)) from None
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
            if header is None:
                raise BackcalcError(Msg("data.empty", path=path))
            header = [h.strip() for h in header]
            for i, h in enumerate(header):
                if not h:
                    raise BackcalcError(Msg("data.unnamed", path=path, column=i + 1))
                if h in header[:i]:
                    raise BackcalcError(Msg("data.twice", path=path, name=h))
                try:
                    float(h)
                    raise BackcalcError(Msg("data.no_header", path=path, first=h))
                except ValueError:
                    pass
            missing = [c for c in (target or []) + (features or []) if c not in header]
            if missing:
                raise BackcalcError(
                    Msg(
                        "data.no_column",
                        path=path,
                        names=", ".join(repr(m) for m in missing),
                        header=", ".join(header),
                    )
                )
            if target is None:
                target = [h for h in header if _TARGET.match(h) and h not in (features or [])]
                if not target:
                    raise BackcalcError(
                        Msg("data.no_target", path=path, header=", ".join(header)),
                        hint=Msg("data.no_target_hint", target=setting("target")),
                    )
            if features is None:
                features = [h for h in header if h not in target]
            if not features:
                raise BackcalcError(Msg("data.no_features", path=path, targets=", ".join(target)))
            both = set(target) & set(features)
            if both:
                raise BackcalcError(Msg("data.both", path=path, names=", ".join(sorted(both))))
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
                        Msg(
                            "data.row_length",
                            path=path,
                            line=line,
                            values=Msg("data.value" if len(row) == 1 else "data.values", n=len(row)),
                            columns=len(header),
                        )
                    )
                rows_x.append([_cell(path, line, header[c], row[c]) for c in fcols])
                rows_y.append([_cell(path, line, header[c], row[c]) for c in tcols])
                if len(rows_x) > MAX_ROWS:
                    raise BackcalcError(Msg("data.too_many_rows", path=path, limit=MAX_ROWS))
        except csv.Error as e:
            raise BackcalcError(Msg("data.bad_csv", path=path, line=reader.line_num, reason=e)) from None
        except UnicodeDecodeError:
            raise BackcalcError(Msg("data.not_utf8", path=path)) from None
    if not rows_x:
        raise BackcalcError(Msg("data.no_rows", path=path))
    X = np.array(rows_x, dtype=np.float64)
    Y = np.array(rows_y, dtype=np.float64)
    if net.loss in CLASSIFICATION and Y.shape[1] == 1:
        n_out = net.n_outputs
        for r, c in enumerate(Y[:, 0].tolist()):
            if not float(c).is_integer() or not 0 <= c < n_out:
                raise BackcalcError(
                    Msg(
                        "data.label",
                        path=path,
                        row=r + 1,
                        column=target[0],
                        label=f"{c:g}",
                        last=n_out - 1,
                        outputs=n_out,
                    )
                )
        Y = Y[:, 0]
    return X, Y, features, target


def _cell(path: str, line: int, column: str, text: str) -> float:
    t = text.strip()
    if not t:
        raise BackcalcError(Msg("data.missing_value", path=path, line=line, column=column))
    try:
        v = float(t)
    except ValueError:
        raise BackcalcError(
            Msg("data.not_number", path=path, line=line, column=column, text=repr(t))
        ) from None
    if not math.isfinite(v):
        raise BackcalcError(Msg("data.not_finite", path=path, line=line, column=column, text=t))
    return v


def _read_npz(path: str) -> tuple[Any, Any, list[str], list[str]]:
    import numpy as np

    try:
        loaded = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as e:
        raise BackcalcError(Msg("data.bad_npz", data=DATA, path=path, reason=e)) from None
    with loaded:
        names = list(loaded.files)
        xk = next((k for k in ("x", "X") if k in names), None)
        yk = next((k for k in ("y", "Y") if k in names), None)
        if xk is None or yk is None:
            missing = "x" if xk is None else "y"
            raise BackcalcError(
                Msg(
                    "data.no_array",
                    path=path,
                    name=missing,
                    upper=missing.upper(),
                    names=", ".join(names) or Msg("data.nothing"),
                )
            )
        try:
            X, Y = loaded[xk], loaded[yk]
        except ValueError as e:
            raise BackcalcError(Msg("data.cannot_read_arrays", path=path, reason=e)) from None
    if X.dtype.kind not in "iuf" or Y.dtype.kind not in "iuf":
        raise BackcalcError(Msg("data.not_numbers", path=path))
    X = np.ascontiguousarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    if X.ndim != 2:
        raise BackcalcError(Msg("data.not_matrix", path=path, name=xk, shape=X.shape))
    if Y.shape[0] != X.shape[0]:
        raise BackcalcError(
            Msg("data.rows_differ", path=path, x=xk, x_rows=X.shape[0], y=yk, y_rows=Y.shape[0])
        )
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise BackcalcError(Msg("data.nonfinite", path=path))
    fn = [f"{xk}[:, {i}]" for i in range(X.shape[1])]
    return X, Y, fn, [yk]
