"""A training run in the terminal: what was trained on what, the loss at the first and last
epoch and on all the data, and the loss per epoch drawn in braille dots."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from ..display import DEFAULT_PRECISION, fmt
from .loss_plot import terminal_plot


def render(report: Any, precision: int = DEFAULT_PRECISION, lang: str = "en") -> Group:
    """The report of a :class:`backcalc.network.TrainingReport`, in ``lang``."""
    from ..errors import Msg, in_lang

    r, p = report, precision
    per_epoch = r.steps_per_epoch
    kind = {"per example": "train.kind.per_example", "batch": "train.kind.batch"}.get(
        r.kind, "train.kind.mini_batch"
    )
    head = Msg(
        "train.report.head",
        spec=r.spec,
        data=r.data_summary,
        epochs=Msg("train.report.epoch_1" if r.epochs_run == 1 else "train.report.epochs", n=r.epochs_run),
        per_epoch=Msg("train.report.step_1" if per_epoch == 1 else "train.report.steps", n=per_epoch),
        kind=Msg(kind),
        batch=r.batch,
        lr=f"{r.lr:g}",
        shuffled=Msg("train.report.shuffled") if r.shuffle else "",
        steps=r.steps,
        seconds=f"{r.seconds:.2f}",
    )
    items: list[RenderableType] = [Text(in_lang(head, lang), style="bold")]
    if r.losses:
        loss = Msg(
            "train.report.loss",
            first=fmt(r.losses[0], p),
            last_epoch=len(r.losses),
            last=fmt(r.losses[-1], p),
            final=fmt(r.final_loss, p),
        )
        items.append(in_lang(loss, lang))
        if r.accuracies:
            acc = Msg(
                "train.report.accuracy",
                first=f"{r.accuracies[0]:.1%}",
                last_epoch=len(r.accuracies),
                last=f"{r.accuracies[-1]:.1%}",
            )
            text = in_lang(acc, lang)
            if r.final_accuracy is not None:
                text += in_lang(Msg("train.report.accuracy_final", final=f"{r.final_accuracy:.1%}"), lang)
            items.append(text)
        items.append(_Plot(r.losses, lang))
    return Group(*items)


class _Plot:
    """The loss curve, as wide as the terminal allows (at most 60 columns of braille)."""

    def __init__(self, losses: list[float], lang: str = "en") -> None:
        self.losses = losses
        self.lang = lang

    def __rich_console__(self, console: Any, options: Any) -> Any:
        width = max(10, min(60, options.max_width - 12))  # room for the axis labels
        yield Text(terminal_plot(self.losses, width=width, lang=self.lang))
