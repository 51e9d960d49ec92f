"""Helpers shared by the benchmark scripts (run them as python benchmarks/NAME.py)."""

from __future__ import annotations

HEADLINE = "@@headline "


def headline(
    workload: str, backcalc: str, peer: str, ratio: float | None, target: str, met: bool | None
) -> None:
    """One row of run_all.py's headline table, printed as a tagged JSON line on stdout
    (run_all.py collects these lines; run by hand they are harmless)."""
    import json

    row = {
        "workload": workload,
        "backcalc": backcalc,
        "peer": peer,
        "ratio": ratio,
        "target": target,
        "met": met,
    }
    print(HEADLINE + json.dumps(row), flush=True)


def met_text(met: bool | None) -> str:
    return "-" if met is None else ("met" if met else "MISSED")


def find_backcalc() -> str | None:
    """The backcalc executable next to this Python (its venv), else the one on PATH."""
    import os
    import shutil
    import sys

    return shutil.which("backcalc", path=os.path.dirname(sys.executable)) or shutil.which("backcalc")


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"
