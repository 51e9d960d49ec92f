"""The loss per epoch as a picture: drawn in the terminal with braille dots (no dependency),
or as an image file with matplotlib (an optional extra: pip install ".[plot]", or just matplotlib)."""

from __future__ import annotations

import io
import math
import os

from ..display import fmt_scalar
from ..errors import BackcalcError, setting

# braille dot bits, indexed [row 0..3][column 0..1] inside one character cell
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
IMAGE_FORMATS = ("png", "svg", "pdf")


def _use_log(losses: list[float]) -> bool:
    pos = [v for v in losses if v > 0]
    return len(pos) == len(losses) and max(pos) / min(pos) >= 100.0


def terminal_plot(losses: list[float], width: int = 60, height: int = 12) -> str:
    """A braille line chart of the losses (one point per epoch, epochs squeezed to the width);
    a log scale when the losses span two decades or more."""
    vals = [v for v in losses if math.isfinite(v)]
    if len(vals) != len(losses) or not vals:
        return "(no plot: the loss is not a finite number)"
    log = _use_log(vals)
    ys = [math.log10(v) for v in vals] if log else list(vals)
    lo, hi = min(ys), max(ys)
    if hi - lo < 1e-12:
        hi, lo = hi + 0.5, lo - 0.5
    px_w, px_h = width * 2, height * 4
    n = len(ys)
    cols: list[float | None] = []
    for px in range(px_w):
        # the epochs that fall in this pixel column, averaged
        a = int(px * n / px_w)
        b = max(a + 1, int((px + 1) * n / px_w))
        if a >= n:
            cols.append(None)
            continue
        chunk = ys[a:b]
        cols.append(sum(chunk) / len(chunk))
    grid = [[0] * width for _ in range(height)]
    prev = None
    for px, v in enumerate(cols):
        if v is None:
            continue
        py = round((hi - v) / (hi - lo) * (px_h - 1))
        span = [py] if prev is None else range(min(prev, py), max(prev, py) + 1)
        for y in span:
            grid[y // 4][px // 2] |= _DOTS[y % 4][px % 2]
        prev = py
    top = _label(hi, log)
    bottom = _label(lo, log)
    pad = max(len(top), len(bottom))
    lines = []
    for r, row in enumerate(grid):
        label = top if r == 0 else bottom if r == height - 1 else ""
        lines.append(label.rjust(pad) + " ┤" + "".join(chr(0x2800 + c) for c in row))
    lines.append(" " * pad + " └" + "─" * width)
    right = f"epoch {n}"
    lines.append(" " * (pad + 2) + "epoch 1" + right.rjust(width - 7))
    scale = "log scale" if log else "linear scale"
    lines.insert(0, f"loss per epoch ({scale})")
    return "\n".join(lines)


def _label(v: float, log: bool) -> str:
    return fmt_scalar(10**v if log else v, 3)


def require_matplotlib() -> None:
    """Fail early, with how to install it, when the optional matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise BackcalcError(
            f"{setting('plot', 'drawing the loss')} needs matplotlib, which is optional",
            hint='install it with: pip install matplotlib (the optional extra: pip install ".[plot]" '
            "in a clone of backcalc)",
        ) from None


def image_bytes(losses: list[float], fmt: str, title: str = "loss per epoch") -> bytes:
    """The loss curve as PNG, SVG or PDF bytes (matplotlib, Agg backend, no window)."""
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
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt)
    return buf.getvalue()


def image_format(path: str) -> str:
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in IMAGE_FORMATS:
        raise BackcalcError(
            f"cannot tell the image format from '{path}'", hint="end the file name with .png, .svg or .pdf"
        )
    return ext


def write_image(losses: list[float], path: str, title: str = "loss per epoch") -> None:
    from ..files import atomic_write

    atomic_write(path, image_bytes(losses, image_format(path), title))
