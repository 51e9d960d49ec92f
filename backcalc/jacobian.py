"""Explicit local Jacobians, for the teaching view (``--jacobian``); backward never builds them.

Each gate's d out / d input is made row by row from the op's own VJP (row r = the VJP of
the r-th unit vector), for inputs that are not written constants, up to a size limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import ops as O
from .domains import Domain
from .engine import CONST, GATE, Forward, Graph
from .limits import JACOBIAN_MAX_ENTRIES


@dataclass
class Jacobian:
    input: int  # the input node
    rows: int  # elements of the gate's output
    cols: int  # elements of the input
    matrix: Any | None  # rows × cols float64 array, row-major over both shapes; None when too large
    why_not: str | None = None


def jacobians(
    g: Graph, fwd: Forward, ties: str = O.DEFAULT_TIES, limit: int = JACOBIAN_MAX_ENTRIES
) -> dict[int, list[Jacobian]]:
    """Each gate's local Jacobian d out / d input, built row by row from the op's own VJP
    (row r = vjp of the r-th unit vector), for inputs that are not written constants."""
    import numpy as np

    vals = fwd.values
    const_only = [False] * len(g.kinds)
    found: dict[int, list[Jacobian]] = {}
    for i, op in enumerate(g.ops):
        a = g.args[i]
        const_only[i] = g.kinds[i] == CONST or (g.kinds[i] == GATE and all(const_only[j] for j in a))
        if op is None:
            continue
        out = vals[i]
        xs = tuple(vals[j] for j in a)
        ns = Domain(ties).array
        m = int(np.size(out))
        entries = []
        for k, j in enumerate(a):
            if const_only[j]:
                continue
            n = int(np.size(xs[k]))
            if m * n > limit:
                why = (
                    f"{m:,}×{n:,} = {m * n:,} entries, more than the limit of {limit}; backward never "
                    "builds it (it multiplies the upstream by it implicitly, a vector-Jacobian product)"
                )
                entries.append(Jacobian(j, m, n, None, why))
                continue
            jac = np.empty((m, n))
            with np.errstate(all="ignore"):
                for r in range(m):
                    if type(out) is float:
                        e: Any = 1.0
                    else:
                        e = np.zeros(m)
                        e[r] = 1.0
                        e = e.reshape(np.shape(out))
                    jac[r] = np.ravel(op.vjp(ns, e, out, xs, None)[k])
            entries.append(Jacobian(j, m, n, jac))
        found[i] = entries
    return found
