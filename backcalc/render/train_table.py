"""A training run in the terminal: what was trained on what, the loss at the first and last
epoch and on all the data, and the loss per epoch drawn in braille dots."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from ..display import DEFAULT_PRECISION, fmt
from .loss_plot import terminal_plot


def render(report: Any, precision: int = DEFAULT_PRECISION) -> Group:
    """The report of a :class:`backcalc.network.TrainingReport`."""
    r, p = report, precision
    per_epoch = r.steps_per_epoch
    items: list[RenderableType] = [
        Text(
            f"trained {r.spec} on {r.data_summary}: {r.epochs_run} epoch{'s' if r.epochs_run != 1 else ''} "
            f"of {per_epoch} step{'s' if per_epoch != 1 else ''} ({r.kind} gradient descent, batch {r.batch}, "
            f"lr {r.lr:g}{', shuffled' if r.shuffle else ''}), {r.steps} steps in {r.seconds:.2f} s",
            style="bold",
        )
    ]
    if r.losses:
        items.append(
            f"loss: epoch 1 {fmt(r.losses[0], p)}, epoch {len(r.losses)} {fmt(r.losses[-1], p)}; "
            f"on all the data with the final weights {fmt(r.final_loss, p)}"
        )
        if r.accuracies:
            items.append(
                f"accuracy: epoch 1 {r.accuracies[0]:.1%}, epoch {len(r.accuracies)} {r.accuracies[-1]:.1%}"
                + (
                    f"; on all the data with the final weights {r.final_accuracy:.1%}"
                    if r.final_accuracy is not None
                    else ""
                )
            )
        items.append(_Plot(r.losses))
    return Group(*items)


class _Plot:
    """The loss curve, as wide as the terminal allows (at most 60 columns of braille)."""

    def __init__(self, losses: list[float]) -> None:
        self.losses = losses

    def __rich_console__(self, console: Any, options: Any) -> Any:
        width = max(10, min(60, options.max_width - 12))  # room for the axis labels
        yield Text(terminal_plot(self.losses, width=width))
