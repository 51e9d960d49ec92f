"""The lecture's two vocabularies of gate roles, and the one function that applies one to a Result.

cs231n's 2017 lecture calls add a gradient *distributor*, max a *router* and mul a *switcher*;
from 2019 on the slides say *swap multiplier* for mul, and draw a node used by several
consumers as a *copy gate*, a *gradient adder* (its consumers' gradients add).  The op table
keeps the 2017 role of each op; :func:`apply` rewrites the Result's roles into the vocabulary
asked for, so every renderer (table, JSON, pictures, explanations) reads the same words
without knowing there are two.  Role keys: ``swap_multiplier``, ``copy``, and a gate that also
fans out is ``<role>+copy``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .result import Result

VOCABULARIES = ("2017", "2019")
DEFAULT = "2017"
COPY = "copy"
RENAMED = {"2019": {"switcher": "swap_multiplier"}}
PLAIN = {"swap_multiplier": "swap multiplier", COPY: "copy (gradient adder)"}  # untranslated tables


def fans_out(node: Any) -> bool:
    """The node's gradient is summed from several uses: the 2019 slides' copy gate."""
    return len(node.grad_parts) > 1


def role_of(role: str | None, fanout: bool, vocabulary: str = DEFAULT) -> str | None:
    """The role key of a node in ``vocabulary`` (the op table's 2017 role, the node's fan-out)."""
    if vocabulary == DEFAULT:
        return role
    role = RENAMED.get(vocabulary, {}).get(role or "", role)
    if fanout:
        return COPY if not role else f"{role}+{COPY}"
    return role


def parts(role: str | None) -> list[str]:
    """The role keys a role is made of: 'distributor+copy' -> ['distributor', 'copy']."""
    return role.split("+") if role else []


def base(role: str | None) -> str | None:
    """The gate's own role (what colours its box), without the copy gate."""
    ps = [p for p in parts(role) if p != COPY]
    return ps[0] if ps else role


def colour_key(role: str | None) -> str:
    """The 2017 role whose colour the picture uses: a swap multiplier is drawn as the switcher."""
    b = base(role) or ""
    for renamed in RENAMED.values():
        for old, new in renamed.items():
            if b == new:
                return old
    return b


def plain(role: str) -> str:
    """A role as an untranslated table writes it: 'swap multiplier', 'distributor, copy (gradient adder)'."""
    return ", ".join(PLAIN.get(p, p) for p in parts(role))


def apply(result: Result, vocabulary: str = DEFAULT) -> Result:
    """Rewrite ``result``'s node roles into ``vocabulary`` (in place; the same Result back)."""
    if vocabulary not in VOCABULARIES:
        from .errors import BackcalcError

        raise BackcalcError(
            f"unknown role vocabulary '{vocabulary}'; choose one of: {', '.join(VOCABULARIES)}"
        )
    result.roles = vocabulary
    if vocabulary == DEFAULT:
        return result
    for n in result.nodes:
        n.role = role_of(n.role, fans_out(n), vocabulary)
    return result


__all__ = [
    "VOCABULARIES",
    "DEFAULT",
    "COPY",
    "role_of",
    "apply",
    "base",
    "parts",
    "plain",
    "colour_key",
    "fans_out",
]
