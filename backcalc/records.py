"""Helpers for the typed records every run produces (read by field; JSON keys are the field names)."""

from __future__ import annotations

from dataclasses import field
from typing import Any


def optional(default: Any = None) -> Any:
    """A record field that the JSON document leaves out while it is None."""
    return field(default=default, metadata={"omit_none": True})
