"""A network spec -> the same graph ``grad`` uses; one evaluation; one gradient-descent step.

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
written ``z1 = x @ transpose(W1) + b1``.  The formulas of the activations and losses
come from :mod:`backcalc.network.activations`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..engine import Graph, backward, build, forward, gc_paused, needed
from ..errors import BackcalcError, Msg, setting
from ..parse import parse
from .activations import LABELS, activation_text, loss_text, num
from .spec import Layer, Network, SpecError, initialise, targets


def norm_names(li: int, layer: Layer) -> list[str]:
    """The norm's inputs of layer ``li``: gamma1, beta1 (none without a norm)."""
    return [] if layer.norm is None else [f"gamma{li + 1}", f"beta{li + 1}"]


def param_names(li: int, layer: Layer) -> list[tuple[str, str]]:
    """(W, b) input names of layer ``li`` (0-based): W1, b1 (maxout pieces: W1_1, b1_1, W1_2, ...)."""
    n = li + 1
    if layer.pieces == 1:
        return [(f"W{n}", f"b{n}")]
    return [(f"W{n}_{p + 1}", f"b{n}_{p + 1}") for p in range(layer.pieces)]


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
    scores: int  # the node the loss reads (argmax: the predicted class of a classifier)


def program(net: Network, batch: bool) -> tuple[str, list[list[str]], list[str]]:
    """The backcalc program of a network: its text, the z names and the a names per layer.
    (The loss reads the scores :func:`scores_name` names.)"""
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
            if layer.type == "conv":
                affine = f"conv({inp}, {W}, {b}, {layer.stride}, {layer.pad})"
            elif li and net.layers[li - 1].type == "conv":  # images in: affine flattens them
                affine = f"affine({inp}, transpose({W}), {b})"
            lines.append(f"{z} = {affine}")
            zs.append(z)
        if layer.activation == "maxout":
            lines.append(f"a{n} = max({', '.join(zs)})")
            a = f"a{n}"
        else:
            pre = zs[0]
            if layer.norm is not None:  # affine - norm - activation, as cs231n's fc_net
                gamma, beta = norm_names(li, layer)
                pre = f"h{n}"
                lines.append(f"{pre} = {layer.norm}({zs[0]}, {gamma}, {beta})")
            expr = activation_text(layer, pre)
            if expr is None:
                a = pre
            else:
                a = f"a{n}"
                lines.append(f"{a} = {expr}")
        z_names.append(zs)
        a_names.append(a)
        inp = a
        if layer.pool is not None:
            inp = f"p{n}"
            lines.append(f"{inp} = maxpool({a}, {', '.join(str(v) for v in layer.pool)})")
        if layer.dropout is not None:  # inverted dropout after the activation
            inp = f"d{n}"
            lines.append(f"{inp} = dropout({a}, {num(layer.dropout)}, {layer.dropout_seed})")
    scores = scores_name(net, z_names, a_names)
    if net.loss in LABELS and not batch:  # the loss gates take rows of scores: a batch of one
        scores = f"reshape({scores}, 1, {net.n_outputs})"
    data = loss_text(net.loss, scores, batch)
    if net.l2 > 0:
        weights = [W for li, layer in enumerate(net.layers) for W, _ in param_names(li, layer)]
        reg = " + ".join(f"sum({W} * {W})" for W in weights)
        lines.append(f"data_loss = {data}")
        half = "0.5 * " if net.half_l2 else ""  # fc_net's 0.5 * reg * sum(W**2)
        lines.append(f"reg_loss = {half}{num(net.l2)} * ({reg})")
        lines.append("loss = data_loss + reg_loss")
    else:
        lines.append(f"loss = {data}")
    return "\n".join(lines), z_names, a_names


def scores_name(net: Network, z_names: list[list[str]], a_names: list[str]) -> str:
    """The node the loss reads: the last layer's a, or its logits z for softmax cross-entropy."""
    last = net.layers[-1]
    return z_names[-1][0] if (net.loss == "softmax_ce" and last.activation == "softmax") else a_names[-1]


def compile_network(net: Network, batch: bool, *, expand: bool = False) -> Compiled:
    text, z_names, a_names = program(net, batch)
    names = {"x", "y"} | {
        n for li, layer in enumerate(net.layers) for pair in param_names(li, layer) for n in pair
    }
    names |= {n for li, layer in enumerate(net.layers) for n in norm_names(li, layer)}
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
        scores=where[scores_name(net, z_names, a_names)],
    )


def param_values(net: Network) -> dict[str, Any]:
    """The weights and biases under their program names (maxout pieces split out)."""
    values: dict[str, Any] = {}
    for li, layer in enumerate(net.layers):
        for p, (W, b) in enumerate(param_names(li, layer)):
            values[W] = layer.W if layer.pieces == 1 else layer.W[p]
            values[b] = layer.b if layer.pieces == 1 else layer.b[p]
        for name, v in zip(norm_names(li, layer), (layer.gamma, layer.beta)):
            values[name] = v
    return values


def stack_pieces(items: list[Any]) -> Any:
    """One array of a layer's maxout pieces (the array itself when there is one)."""
    import numpy as np

    return items[0] if len(items) == 1 else np.stack(items)


# --- one evaluation: forward, backward, per-layer records -----------------------------------


@dataclass
class LayerRecord:
    """One layer of an evaluation: its parameters, forward values and gradients (maxout:
    stacked per piece), and after a gradient-descent step its new parameters."""

    index: int  # the layer's number, from 1 (layer 1 holds W1, b1), as the notes count
    activation: str
    W: Any
    b: Any
    z: Any
    a: Any
    delta: Any  # dL/dz
    dW: Any
    db: Any
    W_new: Any = None  # set by gd_step
    b_new: Any = None  # set by gd_step
    da: Any = None  # dL/da (the gradient the next layer sends back; zero where the loss skips a)
    dgamma: Any = None  # a layer with a norm: the gradients of its gamma and beta
    dbeta: Any = None


@dataclass
class StepParam:
    """One parameter of a gradient-descent step: its old value, gradient and new value."""

    name: str  # W1, b1, ...
    layer: int  # the layer's number, from 1
    old: Any
    grad: Any
    new: Any


@dataclass
class StepRecord:
    """A gradient-descent step: the learning rate, each parameter, and the loss after it."""

    lr: float
    params: list[StepParam]
    loss_after: float


@dataclass
class Evaluation:
    net: Network  # with its weights initialised
    compiled: Compiled
    result: Any  # the graph's Result (what grad's formats render)
    loss: float
    data_loss: float
    reg_loss: float
    layers: list[LayerRecord]  # per layer: activation, W, b, z, a, delta, dW, db (+ W_new, b_new)
    step: StepRecord | None = None  # after a gradient-descent step: lr, params, loss_after


def evaluate(net: Network, *, ties: str = "split", expand: bool = False) -> Evaluation:
    """Forward and backward through the network on its own x and y."""
    from ..result import make_result

    if net.x is None:
        raise SpecError(
            Msg("spec.at_key", where=net.source, key="x", detail=Msg("spec.missing_key")),
            hint=Msg("model.x_hint"),
        )
    if net.y is None:
        raise SpecError(
            Msg("spec.at_key", where=net.source, key="y", detail=Msg("spec.missing_key")),
            hint=Msg("model.y_hint"),
        )
    net = initialise(net)
    y = targets(net, net.x, net.y, net.source)
    comp = compile_network(net, net.batch, expand=expand)
    g = comp.graph
    params = param_values(net)
    values = {**params, "x": net.x, "y": y}
    with gc_paused():
        fwd = forward(g, values)
        # the weights and biases get gradients; the data x and the targets y do not
        bwd = backward(g, fwd, ties, needed(g, list(params)))
        data = {g.inputs["x"], g.inputs["y"]}
        for j in data:
            bwd.upstream[j] = None
        for i, args in enumerate(g.args):  # nor does any edge carry one back to them
            down = bwd.downstream[i]
            if down is not None and data.intersection(args):
                bwd.downstream[i] = tuple(None if j in data else d for j, d in zip(args, down))
        result = make_result(g, fwd, bwd, wrt=list(params), ties=ties, expand=expand)
    vals, up = fwd.values, bwd.upstream
    layers: list[LayerRecord] = []
    for li, layer in enumerate(net.layers):
        pairs = comp.params[li]
        layers.append(
            LayerRecord(
                index=li + 1,
                activation=layer.activation,
                W=layer.W,
                b=layer.b,
                z=stack_pieces([vals[i] for i in comp.z[li]]),
                a=vals[comp.a[li]],
                delta=stack_pieces([up[i] for i in comp.z[li]]),
                dW=stack_pieces([up[g.inputs[W]] for W, _ in pairs]),
                db=stack_pieces([up[g.inputs[b]] for _, b in pairs]),
                da=up[comp.a[li]],
            )
        )
        if layer.norm is not None:
            gamma, beta = norm_names(li, layer)
            layers[-1].dgamma, layers[-1].dbeta = up[g.inputs[gamma]], up[g.inputs[beta]]
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
        raise BackcalcError(Msg("train.lr_positive", lr=setting("lr"), got=f"{lr:g}"))
    new = ev.net.copy()
    params: list[StepParam] = []
    for li, (layer, rec) in enumerate(zip(new.layers, ev.layers)):
        layer.W = rec.W - lr * rec.dW
        layer.b = rec.b - lr * rec.db
        rec.W_new, rec.b_new = layer.W, layer.b
        n = li + 1
        params.append(StepParam(name=f"W{n}", layer=n, old=rec.W, grad=rec.dW, new=layer.W))
        params.append(StepParam(name=f"b{n}", layer=n, old=rec.b, grad=rec.db, new=layer.b))
        if layer.norm is not None:
            old_g, old_b = layer.gamma, layer.beta
            layer.gamma, layer.beta = old_g - lr * rec.dgamma, old_b - lr * rec.dbeta
            params.append(StepParam(name=f"gamma{n}", layer=n, old=old_g, grad=rec.dgamma, new=layer.gamma))
            params.append(StepParam(name=f"beta{n}", layer=n, old=old_b, grad=rec.dbeta, new=layer.beta))
    after = evaluate(new, ties=ties)
    ev.step = StepRecord(lr=lr, params=params, loss_after=after.loss)
    return new
