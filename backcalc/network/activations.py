"""The activations and losses a network spec can name: each one's name, parameter and
formula text (the backcalc expression the network compiles to), in one table each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def num(v: float) -> str:
    """A float as program text (repr: full precision, round-trips)."""
    return repr(float(v))


@dataclass(frozen=True)
class Activation:
    name: str
    # a = formula(z, parameter) as program text; None: no gate (identity, or maxout's max of pieces)
    formula: Callable[[str, Any], str | None]
    param: str | None = None  # the layer key of its parameter: leaky_relu's slope, elu's alpha, maxout's k
    default: float | int | None = None  # the parameter's default
    lo: float = 0.0  # the parameter's allowed range: lo <= p (< hi)
    hi: float | None = None
    integer: bool = False  # the parameter is a whole number
    label: str = ""  # how the parameter is shown beside the name, e.g. "slope {}"
    he: bool = False  # He initialisation by default (else Xavier/Glorot)


ACTIVATION_TABLE: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("identity", lambda z, p: None),
        Activation("sigmoid", lambda z, p: f"sigmoid({z})"),
        Activation("tanh", lambda z, p: f"tanh({z})"),
        Activation("relu", lambda z, p: f"relu({z})", he=True),
        Activation(
            "leaky_relu",
            lambda z, p: f"maximum({num(p)} * {z}, {z})",
            param="slope",
            default=0.01,
            hi=1.0,
            label="slope {:g}",
            he=True,
        ),
        Activation(
            "elu",
            lambda z, p: f"maximum({z}, 0) + {num(p)} * (exp(minimum({z}, 0)) - 1)",
            param="alpha",
            default=1.0,
            label="alpha {:g}",
            he=True,
        ),
        Activation("softmax", lambda z, p: f"softmax({z})"),
        Activation(
            "maxout", lambda z, p: None, param="k", default=2, lo=2, integer=True, label="k = {}", he=True
        ),
    )
}

ACTIVATIONS = tuple(ACTIVATION_TABLE)
HE_ACTIVATIONS = tuple(a.name for a in ACTIVATION_TABLE.values() if a.he)
# activation parameters: key -> (activation it belongs to, default)
PARAMS = {a.param: (a.name, a.default) for a in ACTIVATION_TABLE.values() if a.param is not None}


def activation_params(layer: Any) -> dict[str, Any]:
    """The parameter its activation takes (leaky_relu's slope, elu's alpha, maxout's k), if any."""
    key = ACTIVATION_TABLE[layer.activation].param
    return {} if key is None else {key: getattr(layer, key)}


def activation_text(layer: Any, z: str) -> str | None:
    """The activation written over the name of z (None: identity, a = z)."""
    act = ACTIVATION_TABLE[layer.activation]
    return act.formula(z, None if act.param is None else getattr(layer, act.param))


def activation_label(layer: Any) -> str:
    """The activation's name with its parameter: 'leaky_relu (slope 0.01)', 'maxout (k = 2)'."""
    act = ACTIVATION_TABLE[layer.activation]
    if act.param is None:
        return act.name
    return f"{act.name} ({act.label.format(getattr(layer, act.param))})"


@dataclass(frozen=True)
class Loss:
    name: str
    one: Callable[[str], str]  # the loss of one example over the output (or scores) and y
    batch: Callable[[str], str]  # averaged over the examples of a batch
    classification: bool = False  # targets are class labels (or one-hot rows)
    labels: bool = False  # the loss gate takes the integer labels themselves (not one-hot rows)


LOSS_TABLE: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", lambda o: f"mean(({o} - y)**2)", lambda o: f"mean(({o} - y)**2)"),
        Loss("sse", lambda o: f"sum(({o} - y)**2)", lambda o: f"mean(sum(({o} - y)**2, 1))"),
        Loss(
            "half_sse",
            lambda o: f"sum(0.5 * (y - {o})**2)",
            lambda o: f"mean(sum(0.5 * (y - {o})**2, 1))",
        ),
        Loss(
            "hinge",
            lambda o: f"sum(maximum(0, {o} - sum(y * {o}) + 1) * (1 - y))",
            lambda o: f"mean(sum(maximum(0, transpose({o}) - sum(y * {o}, 1) + 1) * (1 - transpose(y)), 0))",
            classification=True,
        ),
        Loss(
            "softmax_ce",
            lambda o: f"logsumexp({o}) - sum(y * {o})",
            lambda o: f"mean(logsumexp({o}, 1) - sum(y * {o}, 1))",
            classification=True,
        ),
        # the cs231n loss gates: integer labels y (N,), scores (N, C); one example is a batch of one
        Loss(
            "svm",
            lambda o: f"svm_loss({o}, y)",
            lambda o: f"svm_loss({o}, y)",
            classification=True,
            labels=True,
        ),
        Loss(
            "softmax",
            lambda o: f"softmax_loss({o}, y)",
            lambda o: f"softmax_loss({o}, y)",
            classification=True,
            labels=True,
        ),
    )
}

LOSSES = tuple(LOSS_TABLE)
CLASSIFICATION = tuple(name for name, loss in LOSS_TABLE.items() if loss.classification)
LABELS = tuple(name for name, loss in LOSS_TABLE.items() if loss.labels)


def loss_text(loss: str, out: str, batch: bool) -> str:
    """The data loss over the network's output (or scores) ``out`` and the targets ``y``:
    the per-example loss, averaged over the examples of a batch."""
    entry = LOSS_TABLE[loss]
    return entry.batch(out) if batch else entry.one(out)
