"""Feedback that names a likely mistake, each confirmed by numbers of the key's own run.

For a wrong answer, :func:`explain_mistake` tries the mistakes students make by hand, in
order, and names the first the answer matches (under the problem's rule, or as a rounding
of the number): off only by rounding; the sign flipped; two gradients swapped; a branch not
summed (the answer is one consumer's contribution at a fan-out node, ``grad_parts`` of the
Result); the upstream not multiplied (the answer is a local gradient); the forward value
given where a gradient was asked.  Every candidate number comes from the Result computed
once per key problem; nothing is guessed and nothing is recomputed per student.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .i18n import Messages

MAX_DECIMALS = 8  # an answer with more decimals than this is not a hand-rounded number


def decimals_of(a: float) -> int | None:
    """How many decimals the answer was written with (from its shortest repr), None if many."""
    if not math.isfinite(a):
        return None
    text = repr(abs(a))
    if "e" in text:
        return None
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return len(frac) if len(frac) <= MAX_DECIMALS else None


def is_rounding(a: float, c: float, n: int) -> bool:
    """``a`` is what a correct rounding of ``c`` to ``n`` decimals gives (either way at a tie)."""
    scale = 10.0**n
    if abs(a * scale - round(a * scale)) > 1e-6:
        return False
    return abs(a - c) <= 0.5 / scale * (1 + 1e-9) + 1e-12 * max(1.0, abs(c))


def _truncates(a: float, c: float, n: int) -> bool:
    scale = 10.0**n
    return abs(a - math.trunc(c * scale) / scale) <= 1e-9 / scale


def rounding_of(a: Any, c: Any) -> int | None:
    """The decimals ``n`` such that ``a`` is ``c`` rounded (or cut off) to ``n`` decimals."""
    if type(a) is not float or type(c) is not float:
        return None
    d = decimals_of(a)
    if d is None:
        return None
    for n in range(0, d + 1):
        if n == 0 and abs(c) < 1:
            continue
        if is_rounding(a, c, n) or _truncates(a, c, n):
            return n
    return None


@dataclass
class GraphInfo:
    """What the feedback reads from the key's Result, gathered once per problem."""

    nodes: dict[str, Any]
    # node id -> [(consumer id, the consumer's local gradient with respect to the node, its upstream)]
    consumers: dict[str, list[tuple[str, Any, Any]]] = field(default_factory=dict)
    # node id -> [(consumer id, its total contribution)] when the node fans out
    branches: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)


def graph_info(kp: Any) -> GraphInfo:
    if kp.info is None:
        nodes = {n.id: n for n in kp.result.nodes}
        info = GraphInfo(nodes)
        cons: dict[str, list[tuple[str, Any, Any]]] = defaultdict(list)
        for n in nodes.values():
            if n.local is None:
                continue
            for name, loc in zip(n.inputs, n.local):
                cons[name].append((n.id, loc, n.grad))
        info.consumers = dict(cons)
        for n in nodes.values():
            if len(n.grad_parts) > 1:
                by: dict[str, Any] = {}
                for c, v in n.grad_parts:
                    by[c] = by[c] + v if c in by else v
                parts = list(by.items())
                if len(n.grad_parts) > len(by):  # one consumer uses it twice: x*x
                    parts += list(n.grad_parts)
                info.branches[n.id] = parts
        kp.info = info
    return kp.info


def explain_mistake(
    kp: Any, it: Any, answer: Any, read: dict[str, Any], m: Messages, accepts: Callable[[Any, Any, Any], bool]
) -> tuple[str | None, str | None]:
    """(kind, message) of the first mistake the wrong ``answer`` matches, else (None, None).
    ``kp`` and ``it`` are the key's problem and asked item (:mod:`backcalc.grading`), ``read``
    the problem's other answers (for a swap), ``accepts(rule, answer, correct)`` the grading
    rule (feedback sits below grading: it is handed the rule, it does not import it)."""
    from .display import one_line as fmt

    rule = kp.rule
    correct = it.correct

    def same(a: Any, target: Any) -> bool:
        if accepts(rule, a, target):
            return True
        n = rounding_of(a, target)
        return n is not None and n >= 1

    def differs(target: Any) -> bool:  # a candidate that is itself correct names no mistake
        return not accepts(rule, target, correct)

    n = rounding_of(answer, correct)
    if n is not None:
        return "rounding", m(
            "mistake.rounding",
            quantity=it.quantity,
            correct=fmt(correct, 8),
            decimals=n,
            rounded=f"{round(correct, n):.{n}f}",
        )
    if differs(-correct if type(correct) is float else -1.0 * correct) and same(answer, -correct):
        return "sign", m("mistake.sign", quantity=it.quantity, correct=fmt(correct, 6))
    if it.what == "value":
        return None, None
    for other in kp.items:
        if other is it or other.what == "value" or other.key not in read:
            continue
        if differs(other.correct) and same(answer, other.correct) and same(read[other.key], correct):
            return "swapped", m("mistake.swapped", quantity=it.quantity, other=other.quantity)
    info = graph_info(kp)
    node = info.nodes.get(it.name)
    for consumer, part in info.branches.get(it.name, []):
        if differs(part) and same(answer, part):
            total = len(info.branches[it.name])
            count = len({c for c, _ in node.grad_parts}) if node is not None else total
            return "branch", m(
                "mistake.branch",
                quantity=it.quantity,
                node=it.name,
                count=count,
                consumer=consumer,
                part=fmt(part, 6),
                parts=" + ".join(fmt(v, 6) for _, v in node.grad_parts) if node is not None else "",
            )
    for consumer, local, upstream in info.consumers.get(it.name, []):
        if differs(local) and same(answer, local):
            return "upstream", m(
                "mistake.upstream",
                quantity=it.quantity,
                node=it.name,
                consumer=consumer,
                local=fmt(local, 6),
                upstream=fmt(upstream, 6),
            )
    if node is not None and differs(node.value) and same(answer, node.value):
        return "forward", m("mistake.forward", quantity=it.quantity, node=it.name, value=fmt(node.value, 6))
    out = kp.result.value
    if differs(out) and same(answer, out):
        return "forward", m("mistake.forward", quantity=it.quantity, node=kp.result.output, value=fmt(out, 6))
    return None, None
