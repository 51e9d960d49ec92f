"""JSON: the Result written out (strictly valid: non-finite numbers become strings)."""

from __future__ import annotations

from ..result import Result


def render(result: Result) -> str:
    return result.to_json()
