"""Training: gradient descent over the rows of the data, and the report of a run.

Training builds the network's graph once and runs ``forward``/``backward`` on it with new
values for every mini-batch; :func:`report` gathers what a run did into a
:class:`TrainingReport`, which the table and JSON renderers read.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..engine import backward, forward, gc_paused, needed
from ..errors import BackcalcError, Msg, setting
from .activations import CLASSIFICATION
from .model import compile_network, norm_names, param_names, param_values, stack_pieces
from .spec import Network, SpecError, initialise, spec_dict, targets

GROWTH = 10.0  # a loss more than this many times its first value: training diverged


@dataclass(frozen=True)
class Divergence:
    """How a run diverged: ``kind`` 'nonfinite' (the loss became inf or nan at ``step``),
    'grew' (it rose above ``GROWTH`` times its first value, at epoch ``epoch``) or 'ended_above'
    (the last epoch's loss is above the first's).  Epochs count from 1."""

    kind: str
    epoch: int
    first: float
    value: float
    step: int = 0


def divergence_warning(d: Divergence, lr: float, lang: str | None = None) -> str:
    """The warning of a diverged run, with a tenth of the learning rate to try, in ``lang``
    (default: the locale's)."""
    from ..display import fmt_scalar
    from ..i18n import Messages, default_lang

    return Messages(lang or default_lang())(
        f"train.diverged.{d.kind}",
        value=fmt_scalar(d.value, 4),
        first=fmt_scalar(d.first, 4),
        epoch=d.epoch,
        step=d.step,
        lr=f"{lr / 10:g}",
    )


def divergence(losses: list[float], nonfinite: float | None = None, step: int = 0) -> Divergence | None:
    """Did the run diverge?  From the losses per epoch (and a non-finite step loss, if one ended it)."""
    first = losses[0] if losses else math.nan
    if nonfinite is not None:
        return Divergence("nonfinite", len(losses) + 1, first, nonfinite, step)
    if not losses:
        return None
    top = max(range(len(losses)), key=losses.__getitem__)
    if losses[top] > GROWTH * first and losses[top] > 0:
        return Divergence("grew", top + 1, first, losses[top])
    if losses[-1] > first:
        return Divergence("ended_above", len(losses), first, losses[-1])
    return None


@dataclass
class Training:
    net: Network  # the trained network
    losses: list[float]  # per epoch: the mean loss over the epoch's mini-batches (weighted by size)
    epochs: int  # asked for
    epochs_run: int  # completed (fewer when interrupted or diverged)
    steps: int
    batch: int
    lr: float
    interrupted: bool = False
    diverged: bool = False
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    # the loss on all the data with the final weights, or how to compute it (see final_loss);
    # a classifier's callable returns the loss and the predicted classes
    final: float | Callable[[], Any] = field(default=math.nan, repr=False)
    divergence: Divergence | None = None  # how it diverged (see :func:`divergence`)
    accuracies: list[float] | None = None  # a classifier's: per epoch, over the epoch's steps
    labels: Any = field(default=None, repr=False)  # a classifier's: the class of each row
    _predicted: Any = field(default=None, repr=False)

    @property
    def final_loss(self) -> float:
        """The loss on all the data with the final weights.  Computed when first read: it is a
        forward pass over every row, about a third of an epoch's time, which a caller that
        never reads it (a benchmark, a script that only wants the weights) does not pay."""
        if callable(self.final):
            got = self.final()
            if isinstance(got, tuple):
                got, self._predicted = got
            self.final = float(got)
        return self.final

    @property
    def predicted(self) -> list[int] | None:
        """A classifier's predicted class of every row (argmax of its scores) with the final
        weights; None for a regression loss or a diverged run."""
        self.final_loss  # noqa: B018 (the same forward pass)
        return None if self._predicted is None else [int(c) for c in self._predicted]

    @property
    def final_accuracy(self) -> float | None:
        """The share of rows whose predicted class is their label, with the final weights."""
        pred = self.predicted
        if pred is None or self.labels is None:
            return None
        import numpy as np

        return float(np.mean(np.asarray(pred) == self.labels))


def batch_size(rows: int, batch: int | None) -> int:
    """Rows per step: ``batch``, or all the rows when it is None, 0 or more than there are."""
    return rows if batch is None or batch <= 0 or batch > rows else int(batch)


def steps_per_epoch(rows: int, batch: int | None) -> int:
    return -(-rows // batch_size(rows, batch))


def spec_data(net: Network, spec: str) -> tuple[Any, Any, str]:
    """The spec's own x and y as training data (X, Y and a description of them)."""
    import numpy as np

    if net.x is None or net.y is None:
        raise SpecError(Msg("train.no_data", spec=spec), hint=Msg("train.no_data_hint", data=setting("data")))
    X = np.atleast_2d(net.x)
    Y = targets(
        net,
        X,
        net.y.reshape(1, -1) if net.x.ndim == 1 and net.y.ndim == 1 and net.y.size > 1 else net.y,
        spec,
    )
    return X, Y, Msg("train.data.spec", rows=X.shape[0])


def file_data(net: Network, path: str, target: str | None, features: str | None) -> tuple[Any, Any, str]:
    """Training data from a CSV or .npz file (X, Y and a description of them)."""
    from .data import load_data

    d = load_data(path, net, target, features)
    where = Msg(
        "train.data.file",
        path=path,
        rows=d.X.shape[0],
        features=", ".join(d.features),
        targets=", ".join(d.targets),
    )
    return d.X, d.Y, where


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
    update: str | None = None,
    lr_decay: float | None = None,
) -> Training:
    """Gradient descent over the rows of X (N x inputs) with targets Y (as the loss takes them:
    see :func:`backcalc.network.spec.targets`).  ``batch``: rows per step (1 = per example,
    None or N = the whole batch).  ``on_step(epoch, step, loss)`` is called after every step;
    when ``stop()`` turns true, training ends after the current step.  ``update`` names the
    update rule (:mod:`backcalc.network.optim`; default: the spec's, else sgd) and ``lr_decay``
    multiplies the learning rate after every epoch (default: the spec's, else 1)."""
    import numpy as np

    if epochs < 1:
        raise BackcalcError(Msg("train.epochs_min", epochs=setting("epochs"), got=epochs))
    if not (lr > 0 and math.isfinite(lr)):
        raise BackcalcError(Msg("train.lr_positive", lr=setting("lr"), got=f"{lr:g}"))
    from .optim import Updater

    updater = Updater(
        net.extra.get("update", "sgd") if update is None else update,
        lr,
        net.extra.get("lr_decay", 1.0) if lr_decay is None else lr_decay,
    )
    n = int(X.shape[0])
    size = batch_size(n, batch)
    net = initialise(net, int(X.shape[1]))
    comp = compile_network(net, True)
    g = comp.graph
    # Weight matrices are kept in column-major order: the program multiplies by transpose(W),
    # whose gradient arrives transposed (column-major too), so the update runs over contiguous
    # memory in the same order on every side (strided, it costs several times more).
    values: dict[str, Any] = {
        k: np.array(v, dtype=np.float64, order="F" if np.ndim(v) == 2 else "C")
        for k, v in param_values(net).items()
    }
    nodes = [(name, g.inputs[name]) for name in values]  # (name, node) per parameter
    wanted = needed(g, list(values))  # gradients of the parameters only, not of the data
    out = g.output
    # a classifier counts its right answers from the scores each step computes anyway
    classify = net.loss in CLASSIFICATION
    # a classifier's class per row: integer labels as given, one-hot rows by their largest entry
    labels = (
        (np.asarray(Y).astype(np.int64) if np.ndim(Y) == 1 else np.argmax(Y, axis=1)) if classify else None
    )
    scores = comp.scores
    accuracies: list[float] | None = [] if classify else None
    rng = np.random.default_rng(seed)
    losses: list[float] = []
    steps = 0
    interrupted = diverged = False
    t0 = time.perf_counter()
    with gc_paused():
        for epoch in range(epochs):
            order = rng.permutation(n) if shuffle else None
            total = 0.0
            seen = right = 0
            for start in range(0, n, size):
                idx: Any
                if order is None:
                    idx = slice(start, start + size)
                    xb, yb = X[idx], Y[idx]
                else:
                    idx = order[start : start + size]
                    xb, yb = X[idx], Y[idx]
                values["x"], values["y"] = xb, yb
                fwd = forward(g, values, notes=False)  # the loss is checked below, once
                if labels is not None:
                    right += int(np.count_nonzero(fwd.values[scores].argmax(axis=1) == labels[idx]))
                # the backward pass starts from lr instead of 1, so that it hands back
                # lr * dL/dw (the same products, in another order): one pass per update
                # (sgd; the other update rules start it from 1: Updater.seed)
                bwd = backward(g, fwd, ties, wanted, seed=updater.seed)
                loss = float(fwd.values[out])
                up = bwd.upstream
                for name, i in nodes:
                    updater.apply(name, values[name], up[i])  # sgd: w <- w - lr * dL/dw, in place
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
                if accuracies is not None:
                    accuracies.append(right / seen)
            updater.end_epoch()
            if interrupted or diverged:
                break
    seconds = time.perf_counter() - t0
    trained = net.copy()
    for li, layer in enumerate(trained.layers):
        pairs = param_names(li, layer)
        # copies (order="C" copies even a C-ordered bias): the lazy final loss reads ``values``
        layer.W = np.array(stack_pieces([values[W] for W, _ in pairs]), order="C")
        layer.b = np.array(stack_pieces([values[b] for _, b in pairs]), order="C")
        if layer.norm is not None:  # a norm's gamma and beta are trained too
            layer.gamma, layer.beta = (np.array(values[k]) for k in norm_names(li, layer))
    how = divergence(losses, loss if diverged else None, steps)
    final: float | Callable[[], Any]
    if diverged:
        final = loss
    else:
        values["x"], values["y"] = X, Y

        def final() -> Any:
            with gc_paused():
                vals = forward(g, values).values
            if labels is None:
                return float(vals[out])
            return float(vals[out]), np.argmax(vals[scores], axis=1)

    return Training(
        net=trained,
        losses=losses,
        final=final,
        epochs=epochs,
        epochs_run=len(losses),
        steps=steps,
        batch=size,
        lr=lr,
        interrupted=interrupted,
        diverged=how is not None,
        seconds=seconds,
        warnings=[] if how is None else [divergence_warning(how, lr)],
        divergence=how,
        accuracies=accuracies,
        labels=labels,
    )


@dataclass
class TrainingReport:
    """What a training run did: the record the table and the JSON document are written from."""

    spec: str
    data: str | None  # the data file, or None: the spec's own x and y
    rows: int
    epochs: int  # asked for
    epochs_run: int
    batch: int
    lr: float
    seed: int
    shuffle: bool
    steps: int
    seconds: float
    losses: list[float]
    final_loss: float
    interrupted: bool
    diverged: bool
    output: str | None  # where the trained spec was written
    plot: str | None  # where the loss plot was drawn
    network: dict[str, Any] | None  # the trained network as spec data
    warnings: list[str]
    data_summary: str  # the data in words: file, rows, features and targets
    steps_per_epoch: int
    # a classifier's (softmax_ce, hinge): the share of right answers per epoch (over the epoch's
    # steps, as the losses), with the final weights on all the data, and the class of each row
    accuracies: list[float] | None = None
    final_accuracy: float | None = None
    predicted: list[int] | None = None

    @property
    def kind(self) -> str:
        """'per example', 'batch' or 'mini-batch' gradient descent."""
        return "per example" if self.batch == 1 else ("batch" if self.batch >= self.rows else "mini-batch")


def report(
    tr: Training,
    *,
    spec: str,
    data: str | None,
    rows: int,
    seed: int,
    shuffle: bool,
    data_summary: str,
    output: str | None = None,
    plot: str | None = None,
) -> TrainingReport:
    """The report of a run (``plot`` only when a plot was drawn, which needs a loss)."""
    return TrainingReport(
        spec=spec,
        data=data,
        rows=rows,
        epochs=tr.epochs,
        epochs_run=tr.epochs_run,
        batch=tr.batch,
        lr=tr.lr,
        seed=seed,
        shuffle=shuffle,
        steps=tr.steps,
        seconds=tr.seconds,
        losses=tr.losses,
        final_loss=tr.final_loss,
        interrupted=tr.interrupted,
        diverged=tr.diverged,
        output=output,
        plot=plot if plot is not None and tr.losses else None,
        network=None
        if tr.divergence is not None and tr.divergence.kind == "nonfinite"
        else spec_dict(tr.net),
        warnings=tr.warnings,
        data_summary=data_summary,
        steps_per_epoch=steps_per_epoch(rows, tr.batch),
        accuracies=tr.accuracies,
        final_accuracy=tr.final_accuracy,
        predicted=tr.predicted,
    )
