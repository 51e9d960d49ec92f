"""A network spec -> the same graph ``grad`` uses; one gradient-descent step; training.

One engine: the validated spec is written out as a backcalc program (text generated
here from the spec's structure, never the user's text), e.g. for two sigmoid layers
on one example with a half sum-of-squares loss and L2 regularisation

    z1 = W1 @ x + b1
    a1 = sigmoid(z1)
    z2 = W2 @ a1 + b2
    a2 = sigmoid(z2)
    data_loss = sum(0.5 * (y - a2)**2)
    reg_loss = 0.01 * (sum(W1 * W1) + sum(W2 * W2))
    loss = data_loss + reg_loss

and built with the ordinary parser and graph builder; the weights, biases, inputs and
targets are the program's named input values.  A batch (x of shape N x inputs) is
written ``z1 = x @ transpose(W1) + b1``.  Training builds the graph once and runs
``forward``/``backward`` on it with new values for every mini-batch.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import BackcalcError
from .graph import Graph, backward, build, forward, gc_paused, needed
from .netspec import Layer, Network, SpecError, initialise, targets
from .parse import parse


def _num(v: float) -> str:
    return repr(float(v))


def param_names(li: int, layer: Layer) -> list[tuple[str, str]]:
    """(W, b) input names of layer ``li`` (0-based): W1, b1 (maxout pieces: W1_1, b1_1, W1_2, ...)."""
    n = li + 1
    if layer.pieces == 1:
        return [(f"W{n}", f"b{n}")]
    return [(f"W{n}_{p + 1}", f"b{n}_{p + 1}") for p in range(layer.pieces)]


def _activation(layer: Layer, z: str) -> str | None:
    """The activation written over the name of z (None: identity, a = z)."""
    act = layer.activation
    if act == "identity":
        return None
    if act in ("sigmoid", "tanh", "relu"):
        return f"{act}({z})"
    if act == "leaky_relu":
        return f"maximum({_num(layer.slope)} * {z}, {z})"
    if act == "elu":
        return f"maximum({z}, 0) + {_num(layer.alpha)} * (exp(minimum({z}, 0)) - 1)"
    if act == "softmax":
        return f"softmax({z})"
    raise SpecError(f"internal: no formula for activation {act}")  # pragma: no cover


def _loss_text(loss: str, out: str, batch: bool) -> str:
    """The data loss over the network's output (or scores) ``out`` and the targets ``y``:
    the per-example loss, averaged over the examples of a batch."""
    if loss == "mse":
        return f"mean(({out} - y)**2)"
    if loss == "sse":
        return f"mean(sum(({out} - y)**2, 1))" if batch else f"sum(({out} - y)**2)"
    if loss == "half_sse":
        return f"mean(sum(0.5 * (y - {out})**2, 1))" if batch else f"sum(0.5 * (y - {out})**2)"
    if loss == "softmax_ce":
        return (
            f"mean(logsumexp({out}, 1) - sum(y * {out}, 1))"
            if batch
            else f"logsumexp({out}) - sum(y * {out})"
        )
    if loss == "hinge":
        if batch:
            return f"mean(sum(maximum(0, transpose({out}) - sum(y * {out}, 1) + 1) * (1 - transpose(y)), 0))"
        return f"sum(maximum(0, {out} - sum(y * {out}) + 1) * (1 - y))"
    raise SpecError(f"internal: no formula for loss {loss}")  # pragma: no cover


@dataclass
class Compiled:
    """A network's program and graph, with where each layer's quantities live in it."""

    text: str
    graph: Graph
    batch: bool
    z: list[list[int]]  # per layer: the node of z (one per maxout piece)
    a: list[int]  # per layer: the node of a
    params: list[list[tuple[str, str]]]  # per layer: (W name, b name) per piece
    data_loss: int
    reg_loss: int | None
    loss: int


def program(net: Network, batch: bool) -> tuple[str, list[list[str]], list[str]]:
    """The backcalc program of a network: its text, the z names and the a names per layer."""
    lines: list[str] = []
    inp = "x"
    z_names: list[list[str]] = []
    a_names: list[str] = []
    for li, layer in enumerate(net.layers):
        n = li + 1
        zs = []
        for p, (W, b) in enumerate(param_names(li, layer)):
            z = f"z{n}" if layer.pieces == 1 else f"z{n}_{p + 1}"
            affine = f"{inp} @ transpose({W}) + {b}" if batch else f"{W} @ {inp} + {b}"
            lines.append(f"{z} = {affine}")
            zs.append(z)
        if layer.activation == "maxout":
            lines.append(f"a{n} = max({', '.join(zs)})")
            a = f"a{n}"
        else:
            expr = _activation(layer, zs[0])
            if expr is None:
                a = zs[0]
            else:
                a = f"a{n}"
                lines.append(f"{a} = {expr}")
        z_names.append(zs)
        a_names.append(a)
        inp = a
    last = net.layers[-1]
    scores = z_names[-1][0] if (net.loss == "softmax_ce" and last.activation == "softmax") else a_names[-1]
    data = _loss_text(net.loss, scores, batch)
    if net.l2 > 0:
        weights = [W for li, layer in enumerate(net.layers) for W, _ in param_names(li, layer)]
        reg = " + ".join(f"sum({W} * {W})" for W in weights)
        lines.append(f"data_loss = {data}")
        lines.append(f"reg_loss = {_num(net.l2)} * ({reg})")
        lines.append("loss = data_loss + reg_loss")
    else:
        lines.append(f"loss = {data}")
    return "\n".join(lines), z_names, a_names


def compile_network(net: Network, batch: bool, *, expand: bool = False) -> Compiled:
    text, z_names, a_names = program(net, batch)
    names = {"x", "y"} | {
        n for li, layer in enumerate(net.layers) for pair in param_names(li, layer) for n in pair
    }
    g = build(parse(text), names, expand=expand)
    where = {name: i for i, name in enumerate(g.names)}
    loss = g.output
    reg = where.get("reg_loss")
    return Compiled(
        text=text,
        graph=g,
        batch=batch,
        z=[[where[z] for z in zs] for zs in z_names],
        a=[where[a] for a in a_names],
        params=[param_names(li, layer) for li, layer in enumerate(net.layers)],
        data_loss=where["data_loss"] if reg is not None else loss,
        reg_loss=reg,
        loss=loss,
    )


def param_values(net: Network) -> dict[str, Any]:
    """The weights and biases under their program names (maxout pieces split out)."""
    values: dict[str, Any] = {}
    for li, layer in enumerate(net.layers):
        for p, (W, b) in enumerate(param_names(li, layer)):
            values[W] = layer.W if layer.pieces == 1 else layer.W[p]
            values[b] = layer.b if layer.pieces == 1 else layer.b[p]
    return values


def _stack(items: list[Any]) -> Any:
    import numpy as np

    return items[0] if len(items) == 1 else np.stack(items)


# --- one evaluation: forward, backward, per-layer records -----------------------------------


@dataclass
class Evaluation:
    net: Network  # with its weights initialised
    compiled: Compiled
    result: Any  # the graph's Result (what grad's formats render)
    loss: float
    data_loss: float
    reg_loss: float
    layers: list[dict[str, Any]]  # per layer: activation, W, b, z, a, delta, dW, db (+ W_new, b_new)
    step: dict[str, Any] | None = None  # after a gradient-descent step: lr, params, loss_after


def evaluate(net: Network, *, ties: str = "split", expand: bool = False) -> Evaluation:
    """Forward and backward through the network on its own x and y."""
    from .result import make_result

    if net.x is None:
        raise SpecError(
            f"{net.source}: x: missing key", hint="give the input(s): x = [...] or a list of rows"
        )
    if net.y is None:
        raise SpecError(f"{net.source}: y: missing key", hint="give the target(s): y = [...]")
    net = initialise(net)
    y = targets(net, net.x, net.y, net.source)
    comp = compile_network(net, net.batch, expand=expand)
    g = comp.graph
    values = {**param_values(net), "x": net.x, "y": y}
    with gc_paused():
        fwd = forward(g, values)
        bwd = backward(g, fwd, ties)
        result = make_result(g, fwd, bwd, ties=ties, expand=expand)
    vals, up = fwd.values, bwd.upstream
    layers = []
    for li, layer in enumerate(net.layers):
        pairs = comp.params[li]
        layers.append(
            {
                "index": li,
                "activation": layer.activation,
                "W": layer.W,
                "b": layer.b,
                "z": _stack([vals[i] for i in comp.z[li]]),
                "a": vals[comp.a[li]],
                "delta": _stack([up[i] for i in comp.z[li]]),
                "dW": _stack([up[g.inputs[W]] for W, _ in pairs]),
                "db": _stack([up[g.inputs[b]] for _, b in pairs]),
            }
        )
    reg = 0.0 if comp.reg_loss is None else float(vals[comp.reg_loss])
    return Evaluation(
        net=net,
        compiled=comp,
        result=result,
        loss=float(vals[comp.loss]),
        data_loss=float(vals[comp.data_loss]),
        reg_loss=reg,
        layers=layers,
    )


def gd_step(ev: Evaluation, lr: float, *, ties: str = "split") -> Network:
    """One gradient-descent step w <- w - lr * dL/dw on every weight and bias.  Records the old
    value, the gradient and the new value of each parameter in ``ev.step`` and the layers."""
    if not (lr > 0 and math.isfinite(lr)):
        raise BackcalcError(f"--lr must be a positive number, got {lr:g}")
    new = ev.net.copy()
    params = []
    for li, (layer, rec) in enumerate(zip(new.layers, ev.layers)):
        layer.W = rec["W"] - lr * rec["dW"]
        layer.b = rec["b"] - lr * rec["db"]
        rec["W_new"], rec["b_new"] = layer.W, layer.b
        n = li + 1
        params.append({"name": f"W{n}", "layer": li, "old": rec["W"], "grad": rec["dW"], "new": layer.W})
        params.append({"name": f"b{n}", "layer": li, "old": rec["b"], "grad": rec["db"], "new": layer.b})
    after = evaluate(new, ties=ties)
    ev.step = {"lr": lr, "params": params, "loss_after": after.loss}
    return new


# --- training -----------------------------------------------------------------------------


@dataclass
class Training:
    net: Network  # the trained network
    losses: list[float]  # per epoch: the mean loss over the epoch's mini-batches (weighted by size)
    final_loss: float  # on all the data, with the final weights
    epochs: int  # asked for
    epochs_run: int  # completed (fewer when interrupted or diverged)
    steps: int
    batch: int
    lr: float
    interrupted: bool = False
    diverged: bool = False
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def train(
    net: Network,
    X: Any,
    Y: Any,
    *,
    epochs: int,
    batch: int | None,
    lr: float,
    seed: int = 0,
    shuffle: bool = True,
    ties: str = "split",
    on_step: Callable[[int, int, float], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Training:
    """Gradient descent over the rows of X (N x inputs) with targets Y (as the loss takes them:
    see :func:`backcalc.netspec.targets`).  ``batch``: rows per step (1 = per example,
    None or N = the whole batch).  ``on_step(epoch, step, loss)`` is called after every step;
    when ``stop()`` turns true, training ends after the current step."""
    import numpy as np

    if epochs < 1:
        raise BackcalcError(f"--epochs must be at least 1, got {epochs}")
    if not (lr > 0 and math.isfinite(lr)):
        raise BackcalcError(f"--lr must be a positive number, got {lr:g}")
    n = int(X.shape[0])
    size = n if batch is None or batch <= 0 or batch > n else int(batch)
    net = initialise(net, int(X.shape[1]))
    comp = compile_network(net, True)
    g = comp.graph
    # Weight matrices are kept in column-major order: the program multiplies by transpose(W),
    # whose gradient arrives transposed, so W.T (row-major) meets it element for element and
    # the update runs over contiguous memory (strided, it costs several times more).
    values: dict[str, Any] = {
        k: np.array(v, dtype=np.float64, order="F" if np.ndim(v) == 2 else "C")
        for k, v in param_values(net).items()
    }
    nodes = [(name, g.inputs[name]) for name in values]
    wanted = needed(g, list(values))  # gradients of the parameters only, not of the data
    out = g.output
    rng = np.random.default_rng(seed)
    losses: list[float] = []
    steps = 0
    interrupted = diverged = False
    t0 = time.perf_counter()
    with gc_paused():
        for epoch in range(epochs):
            order = rng.permutation(n) if shuffle else None
            total = 0.0
            seen = 0
            for start in range(0, n, size):
                if order is None:
                    xb, yb = X[start : start + size], Y[start : start + size]
                else:
                    idx = order[start : start + size]
                    xb, yb = X[idx], Y[idx]
                values["x"], values["y"] = xb, yb
                fwd = forward(g, values)
                bwd = backward(g, fwd, ties, wanted)
                loss = float(fwd.values[out])
                up = bwd.upstream
                for name, i in nodes:
                    p, grad = values[name], up[i]
                    if p.ndim == 2 and p.flags.f_contiguous and grad.flags.f_contiguous:
                        pt = p.T
                        pt -= lr * grad.T
                    else:
                        p -= lr * grad
                steps += 1
                rows = int(xb.shape[0])
                total += loss * rows
                seen += rows
                if on_step is not None:
                    on_step(epoch, steps, loss)
                if not math.isfinite(loss):
                    diverged = True
                    break
                if stop is not None and stop():
                    interrupted = True
                    break
            if seen and not diverged:
                losses.append(total / seen)
            if interrupted or diverged:
                break
    seconds = time.perf_counter() - t0
    trained = net.copy()
    for li, layer in enumerate(trained.layers):
        pairs = param_names(li, layer)
        layer.W = np.ascontiguousarray(_stack([values[W] for W, _ in pairs]))
        layer.b = np.ascontiguousarray(_stack([values[b] for _, b in pairs]))
    warnings = []
    if diverged:
        warnings.append(
            f"the loss became {loss} at step {steps} (epoch {len(losses) + 1}): training diverged"
        )
        final = loss
    else:
        values["x"], values["y"] = X, Y
        final = float(forward(g, values).values[out])
    return Training(
        net=trained,
        losses=losses,
        final_loss=final,
        epochs=epochs,
        epochs_run=len(losses),
        steps=steps,
        batch=size,
        lr=lr,
        interrupted=interrupted,
        diverged=diverged,
        seconds=seconds,
        warnings=warnings,
    )
