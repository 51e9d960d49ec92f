"""The loss per epoch as a picture: drawn in the terminal with braille dots (no dependency),
or as an image file with matplotlib (an optional extra: pip install ".[plot]", or just matplotlib)."""

from __future__ import annotations

import io
import math
import os

from ..display import fmt_scalar
from ..errors import BackcalcError, Msg, setting

# braille dot bits, indexed [row 0..3][column 0..1] inside one character cell
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
IMAGE_FORMATS = ("png", "svg", "pdf")


def _use_log(losses: list[float]) -> bool:
    """A log scale when every loss is positive and they span more than a decade."""
    pos = [v for v in losses if v > 0]
    return bool(pos) and len(pos) == len(losses) and max(pos) / min(pos) > 10.0


def _bins(ys: list[float], px_w: int) -> list[tuple[float, float]]:
    """Per pixel column: the (min, max) of the epochs that fall in it.  With more epochs than
    columns every epoch falls in exactly one column, the first epoch in the first, so no
    epoch is binned away; with fewer, the line between epochs is interpolated."""
    n = len(ys)
    if n == 1 or px_w == 1:
        return [(min(ys), max(ys))] * px_w
    if n < px_w:
        cols = []
        for px in range(px_w):
            t = px * (n - 1) / (px_w - 1)
            k = min(int(t), n - 2)
            v = ys[k] + (ys[k + 1] - ys[k]) * (t - k)
            cols.append((v, v))
        return cols
    out = []
    for px in range(px_w):
        chunk = ys[px * n // px_w : (px + 1) * n // px_w]
        out.append((min(chunk), max(chunk)))
    return out


def terminal_plot(losses: list[float], width: int = 60, height: int = 12, lang: str = "en") -> str:
    """A braille line chart of the losses per epoch with labelled axes: each character column
    keeps the lowest and the highest loss of its epochs (a spike is never averaged away),
    the first epoch is always drawn, and the scale is logarithmic when the losses span more
    than a decade."""
    vals = [v for v in losses if math.isfinite(v)]
    if len(vals) != len(losses) or not vals:
        from ..errors import Msg

        return Msg("plot.no_plot").text(lang)
    log = _use_log(vals)
    ys = [math.log10(v) for v in vals] if log else list(vals)
    lo, hi = min(ys), max(ys)
    if hi - lo < 1e-12:
        hi, lo = hi + 0.5, lo - 0.5
    px_w, px_h = width * 2, height * 4
    n = len(ys)

    def row(v: float) -> int:
        return round((hi - v) / (hi - lo) * (px_h - 1))

    grid = [[0] * width for _ in range(height)]
    prev: tuple[int, int] | None = None  # the previous column's (top, bottom) pixel rows
    for px, cell in enumerate(_bins(ys, px_w)):
        here = (row(cell[1]), row(cell[0]))
        top, bottom = here
        if prev is not None:  # join to the previous column so the line has no gaps
            top, bottom = min(top, prev[1]), max(bottom, prev[0])
        for y in range(top, bottom + 1):
            grid[y // 4][px // 2] |= _DOTS[y % 4][px % 2]
        prev = here
    mid = (hi + lo) / 2
    marks = {0: _label(hi, log), height // 2: _label(mid, log), height - 1: _label(lo, log)}
    pad = max(len(t) for t in marks.values())
    from ..errors import Msg

    lines = [Msg("plot.log_title" if log else "plot.linear_title").text(lang), " " * pad + "  loss"]
    for r, cells in enumerate(grid):
        label = marks.get(r, "")
        tick = " ┤" if r in marks else " │"
        lines.append(label.rjust(pad) + tick + "".join(chr(0x2800 + c) for c in cells))
    lines.append(" " * pad + " └" + "─" * width)
    left, right = "1", f"{n}"
    axis = left + "epoch".center(width - len(left) - len(right)) + right
    lines.append(" " * (pad + 2) + axis)
    return "\n".join(lines)


def _label(v: float, log: bool) -> str:
    return fmt_scalar(10**v if log else v, 3)


def require_matplotlib() -> None:
    """Fail early, with how to install it, when the optional matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise BackcalcError(
            Msg("plot.needs_matplotlib", plot=setting("plot", "drawing the loss")),
            hint=Msg("plot.needs_matplotlib_hint"),
        ) from None


def image_bytes(
    losses: list[float], fmt: str, title: str = "loss per epoch", accuracies: list[float] | None = None
) -> bytes:
    """The loss curve as PNG, SVG or PDF bytes (matplotlib, Agg backend, no window); a
    classifier's accuracy per epoch on a second axis, on the right."""
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 4.0), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    epochs = list(range(1, len(losses) + 1))
    ax.plot(epochs, losses, color="#c0392b", linewidth=1.5)
    if losses and _use_log([v for v in losses if math.isfinite(v)] or [1.0]) and all(v > 0 for v in losses):
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    if accuracies:
        ax2 = ax.twinx()
        ax2.plot(epochs[: len(accuracies)], accuracies, color="#0969da", linewidth=1.2, linestyle="--")
        ax2.set_ylim(-0.02, 1.02)
        ax2.set_ylabel("accuracy (dashed)", color="#0969da")
        ax.set_ylabel("loss (solid)", color="#c0392b")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt)
    return buf.getvalue()


def image_format(path: str) -> str:
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in IMAGE_FORMATS:
        raise BackcalcError(Msg("plot.format", path=path), hint=Msg("plot.format_hint"))
    return ext


def write_image(
    losses: list[float], path: str, title: str = "loss per epoch", accuracies: list[float] | None = None
) -> None:
    from ..files import atomic_write

    atomic_write(path, image_bytes(losses, image_format(path), title, accuracies))
