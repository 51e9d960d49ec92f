"""Every JSON document backcalc writes: grad (a Result), net (an evaluation), train (a
training report) and check (an answer-file report).

Each document carries a ``schema_version`` and has a JSON Schema in ``backcalc/schema/``.
Documents are strictly valid JSON: non-finite numbers become the strings "Infinity",
"-Infinity" and "NaN" (:func:`backcalc.result.plain`).  Records may be dataclasses or
dicts; :func:`to_plain` writes either by its fields or keys.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

from ..limits import PRETTY_MAX
from ..result import Result, _shape, plain

if TYPE_CHECKING:
    from ..network import Evaluation, TrainingReport

RESULT_SCHEMA_VERSION = 1
NET_SCHEMA_VERSION = 2  # 2: layers and step params count from 1 (issue 14); x and y get no gradient
TRAIN_SCHEMA_VERSION = 1
CHECK_SCHEMA_VERSION = 1
SCHEMAS = {
    "result": "result.schema.json",
    "net": "net.schema.json",
    "train": "train.schema.json",
    "check": "check.schema.json",
    "grading": "grading.schema.json",
}


def _record(x: Any) -> dict[str, Any]:
    """A dataclass by its fields, in order.  A field's metadata may rename its key
    (``{"json": "pass"}``, for keys that are Python keywords), leave it out (``{"json": False}``,
    what the document does not carry) or leave it out while it is None (``{"omit_none": True}``,
    for keys that appear only when they apply).  A record with a ``to_dict`` is written by it."""
    if hasattr(x, "to_dict"):  # a record whose document is shaped unlike its fields
        return x.to_dict()
    d: dict[str, Any] = {}
    for f in dataclasses.fields(x):
        value = getattr(x, f.name)
        key = f.metadata.get("json", f.name)
        if key is False or (value is None and f.metadata.get("omit_none")):
            continue
        d[key] = value
    return d


def to_plain(v: Any) -> Any:
    """Records (dataclasses, by their fields: :func:`_record`), dicts, lists and tuples of
    numbers and arrays -> JSON-ready data; strings, booleans, whole numbers and None stay as
    they are; other numbers and arrays go through :func:`plain`.  An explicit stack: no recursion."""
    root: list[Any] = [v]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        holder, key = stack.pop()
        x = holder[key]
        if x is None or isinstance(x, (str, bool, int)):
            continue
        if dataclasses.is_dataclass(x) and not isinstance(x, type):
            holder[key] = x = _record(x)
            stack.extend((x, k) for k in x)
        elif isinstance(x, dict):
            holder[key] = x = dict(x)
            stack.extend((x, k) for k in x)
        elif isinstance(x, (list, tuple)):
            holder[key] = x = list(x)
            stack.extend((x, k) for k in range(len(x)))
        else:
            holder[key] = plain(x)
    return root[0]


def dumps(doc: Any, indent: int | None = 2, ensure_ascii: bool = False) -> str:
    """Strict JSON text of a JSON-ready document."""
    return json.dumps(doc, indent=indent, ensure_ascii=ensure_ascii, allow_nan=False)


# --- grad -----------------------------------------------------------------------------------


def _node(n: Any) -> dict[str, Any]:
    return {
        "id": n.id,
        "op": n.op,
        "role": n.role,
        "inputs": n.inputs,
        "value": plain(n.value),
        "shape": list(n.shape),
        "grad": plain(n.grad),
        "grad_parts": [{"from": c, "value": plain(v)} for c, v in n.grad_parts],
        "local": None if n.local is None else [plain(v) for v in n.local],
        "downstream": None if n.downstream is None else [plain(v) for v in n.downstream],
        "flags": n.flags,
        "text": n.text,
        "formula": n.formula,
        "span": None if n.span is None else list(n.span),
        "expanded_from": n.expanded_from,
        "vjp": n.vjp,
        "jacobian": None
        if n.jacobian is None
        else [
            {
                "input": j["input"],
                "shape": list(j["shape"]),
                "value": None if j["value"] is None else plain(j["value"]),
                "omitted": j["omitted"],
            }
            for j in n.jacobian
        ],
    }


def result_document(result: Result, nodes: bool = True) -> dict[str, Any]:
    """The grad document; ``nodes=False`` leaves the per-node records out (an empty list)."""
    d = {
        "schema_version": RESULT_SCHEMA_VERSION,
        "expression": result.expression,
        "output": result.output,
        "value": plain(result.value),
        "shape": list(_shape(result.value)),
        "gradients": {k: plain(v) for k, v in result.gradients.items()},
        "nodes": [_node(n) for n in result.nodes] if nodes else [],
        "settings": {
            "ties": result.ties,
            "expand": result.expand,
            **({"roles": result.roles} if result.roles != "2017" else {}),
        },
        "warnings": list(result.warnings),
        "notes": list(result.notes),
    }
    for key in ("symbolic", "exact", "gradcheck", "expect"):
        record = getattr(result, key)
        if record is not None:
            d[key] = to_plain(record)
    return d


def result_json(result: Result, indent: int | None = 2, nodes: bool = True) -> str:
    """Strict JSON; indented unless the graph is large (over PRETTY_MAX nodes), where
    indenting would cost more than the rest of the run."""
    import io

    out = io.StringIO()
    write_result_json(result, out, indent, nodes)
    return out.getvalue()


_CHUNK = 1000  # node records per write when streaming


def write_result_json(result: Result, out: Any, indent: int | None = 2, nodes: bool = True) -> None:
    """Write the grad document to the text stream ``out`` (no final newline).

    A large graph (over PRETTY_MAX nodes) is written compactly and as a stream: the
    document around the nodes first, then the node records a chunk at a time, so neither
    the whole text nor every record's dictionary is held at once; the text is the same
    as ``dumps(result_document(result))`` without indentation."""
    from ..engine import gc_paused

    with gc_paused():
        if not nodes or len(result.nodes) <= PRETTY_MAX:
            out.write(dumps(result_document(result, nodes), indent=indent))
            return
        head = dumps(result_document(result, nodes=False), indent=None)
        marker = '"nodes": []'
        cut = head.index(marker) + len('"nodes": [')
        out.write(head[:cut])
        records = result.nodes
        for start in range(0, len(records), _CHUNK):
            chunk = [_node(n) for n in records[start : start + _CHUNK]]
            text = dumps(chunk, indent=None)[1:-1]
            out.write(text if start == 0 else ", " + text)
        out.write(head[cut:])


# --- net ------------------------------------------------------------------------------------


def net_document(ev: Evaluation, written: str | None = None) -> dict[str, Any]:
    """The net document: per layer W, b, z, a, delta, dW, db (and the step), the loss, the graph's Result."""
    from ..network.activations import activation_params

    net = ev.net
    layers = []
    for li, rec in enumerate(ev.layers):
        layer = net.layers[li]
        entry: dict[str, Any] = {
            "index": rec.index,  # layers count from 1, as the notes and the table count them
            "activation": layer.activation,
            "W": rec.W,
            "b": rec.b,
            "z": rec.z,
            "a": rec.a,
            "delta": rec.delta,
            "dW": rec.dW,
            "db": rec.db,
        }
        entry.update(activation_params(layer))
        if layer.type == "conv":
            entry.update(type="conv", stride=layer.stride, pad=layer.pad)
            if layer.pool is not None:
                entry["pool"] = list(layer.pool)
        if layer.norm is not None:
            entry.update(
                norm=layer.norm, gamma=layer.gamma, beta=layer.beta, dgamma=rec.dgamma, dbeta=rec.dbeta
            )
        if layer.dropout is not None:
            entry.update(dropout=layer.dropout, dropout_seed=layer.dropout_seed)
        if rec.W_new is not None:
            entry["W_new"] = rec.W_new
            entry["b_new"] = rec.b_new
        layers.append(entry)
    d: dict[str, Any] = {
        "schema_version": NET_SCHEMA_VERSION,
        "spec": net.source,
        "loss_function": net.loss,
        "l2": net.l2,
        "regularization": "half_l2" if net.half_l2 else "l2",
        "loss": ev.loss,
        "data_loss": ev.data_loss,
        "reg_loss": ev.reg_loss,
        "batch": int(net.x.shape[0]) if net.batch else None,
        "layers": layers,
        "program": ev.compiled.text,
    }
    if ev.step is not None:
        d["step"] = {
            "lr": ev.step.lr,
            "loss_after": ev.step.loss_after,
            "params": [
                {"name": p.name, "layer": p.layer, "old": p.old, "grad": p.grad, "new": p.new}
                for p in ev.step.params
            ],
        }
    if written is not None:
        d["written"] = written
    d = to_plain(d)
    d["result"] = result_document(ev.result)
    return d


def net_json(ev: Evaluation, written: str | None = None) -> str:
    return dumps(net_document(ev, written))


# --- train ----------------------------------------------------------------------------------


def train_document(report: TrainingReport) -> dict[str, Any]:
    """The train document: a :class:`backcalc.network.TrainingReport`, by its fields."""
    return {"schema_version": TRAIN_SCHEMA_VERSION, **to_plain(report)}


def train_json(report: TrainingReport) -> str:
    return dumps(train_document(report), ensure_ascii=True)  # as it always was written


# --- check ----------------------------------------------------------------------------------


def check_document(report: Any) -> dict[str, Any]:
    """The check document: an answer-file report (a dict or a dataclass), by its keys or fields."""
    return {"schema_version": CHECK_SCHEMA_VERSION, **to_plain(report)}


def check_json(report: Any) -> str:
    return dumps(check_document(report))
