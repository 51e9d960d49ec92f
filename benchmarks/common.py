"""Helpers shared by the benchmark scripts (run them as python benchmarks/NAME.py)."""

from __future__ import annotations


def numpy_threads() -> int | None:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    blas = [p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"]
    return max(blas) if blas else None
