"""Typed records to plain data: a dataclass becomes a dict by its fields, recursively.

Field names are the JSON keys.  A field declared with :func:`optional` is left out of
the dict while it is None (the schema makes it optional), so a record reads by field in
Python and writes the same document as before in JSON.
"""

from __future__ import annotations

import dataclasses
from typing import Any


def optional(default: Any = None) -> Any:
    """A record field that is left out of the JSON document while it is None."""
    return dataclasses.field(default=default, metadata={"optional": True})


def as_dict(obj: Any) -> Any:
    """Dataclasses -> dicts (optional None fields left out), recursively through dicts and lists;
    a record with its own ``to_dict`` is written by it."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if hasattr(obj, "to_dict"):
            return obj.to_dict()
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            v = getattr(obj, f.name)
            if v is None and f.metadata.get("optional"):
                continue
            out[f.name] = as_dict(v)
        return out
    if isinstance(obj, dict):
        return {k: as_dict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [as_dict(v) for v in obj]
    return obj
