"""backcalc train SPEC: gradient descent over data, with a progress bar, Ctrl-C to stop and
save, the trained spec and a loss plot written out."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from ..errors import BackcalcError, ExitCode, Msg
from .common import (
    Format,
    InPlaceOpt,
    PrecisionOpt,
    SpecArg,
    TableJsonOpt,
    Ties,
    TiesOpt,
    console,
    guarded,
    lang_code,
    pick_format,
    say,
    spec_output,
    warn,
    write_json,
)

TRAINING = "panel.training"
DataOpt = Annotated[
    Optional[str],
    typer.Option("--data", metavar="FILE", help="help.data", show_default=False, rich_help_panel=TRAINING),
]
TargetOpt = Annotated[
    Optional[str],
    typer.Option(
        "--target", metavar="COLUMNS", help="help.target", show_default=False, rich_help_panel=TRAINING
    ),
]
FeaturesOpt = Annotated[
    Optional[str],
    typer.Option(
        "--features", metavar="COLUMNS", help="help.features", show_default=False, rich_help_panel=TRAINING
    ),
]
EpochsOpt = Annotated[
    int, typer.Option("--epochs", min=1, metavar="N", help="help.epochs", rich_help_panel=TRAINING)
]
BatchOpt = Annotated[
    int, typer.Option("--batch", min=0, metavar="N", help="help.batch", rich_help_panel=TRAINING)
]
LrOpt = Annotated[float, typer.Option("--lr", metavar="LR", help="help.lr", rich_help_panel=TRAINING)]
SeedOpt = Annotated[int, typer.Option("--seed", metavar="N", help="help.seed", rich_help_panel=TRAINING)]
ShuffleOpt = Annotated[
    bool, typer.Option("--shuffle/--no-shuffle", help="help.shuffle", rich_help_panel=TRAINING)
]
UpdateOpt = Annotated[
    Optional[str],
    typer.Option(
        "--update",
        metavar="RULE",
        show_default=False,
        rich_help_panel=TRAINING,
        help="help.update",
    ),
]
LrDecayOpt = Annotated[
    Optional[float],
    typer.Option(
        "--lr-decay",
        metavar="D",
        show_default=False,
        rich_help_panel=TRAINING,
        help="help.lr_decay",
    ),
]
OutputOpt = Annotated[
    Optional[str],
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="help.train_output",
        show_default=False,
        rich_help_panel="panel.output",
    ),
]
PlotOpt = Annotated[
    Optional[str],
    typer.Option(
        "--plot", metavar="FILE", help="help.plot", show_default=False, rich_help_panel="panel.output"
    ),
]


def _progress(total: int, epochs: int) -> tuple[Any, Callable[[int, int, float], None]]:
    """A rich progress bar on stderr with the running loss (nothing when stderr is not a terminal)."""
    import time

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    err_console = Console(stderr=True)
    bar = Progress(
        TextColumn(
            Msg("cli.progress_epoch").text(lang_code()) + " {task.fields[epoch]}/{task.fields[epochs]}"
        ),
        BarColumn(bar_width=18),  # the line fits 80 columns
        TextColumn(Msg("cli.progress_loss").text(lang_code()) + " {task.fields[loss]}"),
        TextColumn(Msg("cli.progress_elapsed").text(lang_code())),
        TimeElapsedColumn(),
        TextColumn(Msg("cli.progress_left").text(lang_code())),
        TimeRemainingColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
        transient=False,
    )
    task = bar.add_task("train", total=total, epoch=1, epochs=epochs, loss="…")
    last = [0.0, 0]

    def on_step(epoch: int, steps: int, loss: float) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.05 or steps == total:
            bar.update(task, completed=steps, epoch=epoch + 1, loss=f"{loss:.4g}")
            last[0] = now

    return bar, on_step


def _train_until_ctrl_c(net: Any, X: Any, Y: Any, epochs: int, batch: int, **settings: Any) -> Any:
    """Train with a progress bar; the first Ctrl-C stops after the current step (a second one at once)."""
    import signal

    from ..network import train
    from ..network.training import steps_per_epoch

    interrupted = [False]

    def on_sigint(signum: int, frame: Any) -> None:
        interrupted[0] = True
        signal.signal(signal.SIGINT, signal.default_int_handler)

    bar, on_step = _progress(epochs * steps_per_epoch(int(X.shape[0]), batch), epochs)
    try:
        old = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread
        old = None
    try:
        with bar:
            return train(
                net,
                X,
                Y,
                epochs=epochs,
                batch=batch,
                on_step=on_step,
                stop=lambda: interrupted[0],
                **settings,
            )
    finally:
        if old is not None:
            signal.signal(signal.SIGINT, old)


def _inputs(
    spec: str,
    data: Optional[str],
    target: Optional[str],
    features: Optional[str],
    output: Optional[str],
    in_place: bool,
    plot: Optional[str],
) -> tuple[Any, Optional[str], tuple[Any, Any, str]]:
    """The network, where to save it, and the data (X, Y, in words); every input checked
    (the plot's file name and matplotlib too) before training starts."""
    from ..network import training as T
    from ..network.spec import load_spec
    from ..render import loss_plot

    net = load_spec(spec)
    target_path = spec_output(spec, output, in_place)
    if plot is not None:
        loss_plot.image_format(plot)
        loss_plot.require_matplotlib()
    if data is not None:
        return net, target_path, T.file_data(net, data, target, features)
    return net, target_path, T.spec_data(net, spec)


def _write_outputs(
    tr: Any, spec: str, target_path: Optional[str], in_place: bool, plot: Optional[str]
) -> list[str]:
    """Save the trained spec and draw the loss plot; the files written."""
    from ..network.spec import save_spec

    written = []
    if target_path is not None:
        what = (
            f"{'interrupted ' if tr.interrupted else ''}training of {spec}: {tr.epochs_run} epochs, "
            f"{tr.steps} steps, batch {tr.batch}, lr {tr.lr:g}"
        )
        save_spec(
            tr.net, target_path, source=spec, in_place=in_place, header=f"written by backcalc train: {what}"
        )
        written.append(target_path)
    if plot is not None and tr.losses:
        from ..render import loss_plot

        loss_plot.write_image(tr.losses, plot, plot_title(tr, spec), tr.accuracies)
        written.append(plot)
    return written


def plot_title(tr: Any, spec: str) -> str:
    """The loss plot's title: the spec's ``title`` (else its file name), the run's settings,
    and whether the run was interrupted or diverged."""
    name = tr.net.title or os.path.basename(spec)
    title = f"{name}: loss per epoch (batch {tr.batch}, lr {tr.lr:g})"
    if tr.interrupted:
        title += f"\ninterrupted after epoch {tr.epochs_run} of {tr.epochs}"
    elif tr.diverged:
        title += "\ntraining diverged"
    return title


def _show(report: Any, fmt: Format, precision: int) -> None:
    if fmt is Format.json:
        from ..render import json as J

        write_json(J.train_json(report))
    else:
        from ..render import train_table

        console().print(train_table.render(report, precision, lang_code()))


def train_cmd(
    spec: SpecArg,
    data: DataOpt = None,
    target: TargetOpt = None,
    features: FeaturesOpt = None,
    epochs: EpochsOpt = 100,
    batch: BatchOpt = 0,
    lr: LrOpt = 0.1,
    seed: SeedOpt = 0,
    shuffle: ShuffleOpt = True,
    output: OutputOpt = None,
    in_place: InPlaceOpt = False,
    plot: PlotOpt = None,
    format: TableJsonOpt = None,
    precision: PrecisionOpt = 4,
    ties: TiesOpt = Ties.SPLIT,
    update: UpdateOpt = None,
    lr_decay: LrDecayOpt = None,
) -> None:
    """Train a network by gradient descent (per example, batch or mini-batch) and plot the loss per epoch."""

    def run() -> None:
        from ..network import training as T

        net_, target_path, (X, Y, where) = _inputs(spec, data, target, features, output, in_place, plot)
        settings = dict(lr=lr, seed=seed, shuffle=shuffle, ties=ties.value, update=update, lr_decay=lr_decay)
        tr = _train_until_ctrl_c(net_, X, Y, epochs, T.batch_size(int(X.shape[0]), batch), **settings)
        nonfinite = tr.divergence is not None and tr.divergence.kind == "nonfinite"
        for w in tr.warnings:  # (a diverged run's says so, with a smaller --lr to try)
            warn(w)
        # non-finite weights are not saved (nor is a picture of them drawn)
        written = [] if nonfinite else _write_outputs(tr, spec, target_path, in_place, plot)
        report = T.report(
            tr,
            spec=spec,
            data=data,
            rows=int(X.shape[0]),
            seed=seed,
            shuffle=shuffle,
            data_summary=where,
            output=None if nonfinite else target_path,
            plot=None if nonfinite else plot,
        )
        _show(report, pick_format(format, (Format.table, Format.json), "train"), precision)
        for path in written:
            say("cli.wrote", path=path)
        if nonfinite:
            raise BackcalcError(Msg("train.not_saved"))
        if tr.interrupted:
            key = "cli.train_interrupted_saved" if target_path is not None else "cli.train_interrupted"
            say(key, steps=tr.steps, epoch=tr.epochs_run, epochs=epochs)
            raise typer.Exit(int(ExitCode.INTERRUPTED))

    guarded(run)
