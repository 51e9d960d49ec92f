"""A network's forward and backward pass, layer by layer, as rich tables.

One row per neuron j of a layer: its bias b_j, pre-activation z_j, activation a_j,
delta_j = dL/dz_j, dL/db_j, and its row of weights W_j (w_jk: into neuron j from input k)
with dL/dW_j.  For a batch, z, a and delta hold one value per example.  Renderers
never compute gradients: everything here comes from :class:`backcalc.network.Evaluation`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..display import DEFAULT_PRECISION, fmt, shape_text
from ..network.activations import activation_label

if TYPE_CHECKING:
    from ..network import Evaluation

BIG = 36


def _f(v: Any, p: int) -> str | Text:
    import numpy as np

    if type(v) is float:
        return fmt(v, p)
    big = np.size(v) > BIG
    s = fmt(v, p, max_items=3 if big else 6, shape_note=False)
    return Text(s, justify="left") if "\n" in s else s


def _t(lang: str, key: str, **params: Any) -> str:
    from ..errors import Msg

    return Msg(key, **params).text(lang)


def _neuron(v: Any, j: int) -> Any:
    """The part of a per-layer array that belongs to neuron j (neurons on the last axis)."""
    import numpy as np

    arr = np.asarray(v)
    part = arr[..., j]
    return float(part) if part.ndim == 0 else part


def _row(v: Any, j: int) -> Any:
    """Neuron j's weights: row j of W (of each maxout piece)."""
    import numpy as np

    arr = np.asarray(v)
    return arr[..., j, :]


def conv_table(ev: Evaluation, li: int, precision: int = DEFAULT_PRECISION, lang: str = "en") -> Table:
    """A conv layer: one row per filter f (its bias, its output channel over the batch, its
    weights), each array shown by its shape and range."""
    import numpy as np

    rec = ev.layers[li]
    layer = ev.net.layers[li]
    n = li + 1
    pool = _t(lang, "net.then_pool", pool=layer.pool) if layer.pool is not None else ""
    title = _t(lang, "net.layer", n=n) + (
        f": a{n} = {layer.activation}(z{n}),  z{n} = conv(a{n - 1}, W{n}, b{n}, stride "
        f"{layer.stride}, pad {layer.pad}){pool}  (W{n} {shape_text(tuple(rec.W.shape))})"
    )
    if n == 1:
        title = title.replace("a0", "x")
    table = Table(title=title, title_justify="left", header_style="bold")
    cols = [
        "f",
        f"b{n}",
        f"∂L/∂b{n}",
        f"z{n} " + _t(lang, "net.channel_f"),
        f"δ{n} " + _t(lang, "net.channel_f"),
        f"W{n} " + _t(lang, "net.filter_f"),
        f"∂L/∂W{n}",
    ]
    for c in cols:
        table.add_column(c, justify="right" if c.startswith(("b", "∂L/∂b")) else "left")
    p = precision
    z, d = np.asarray(rec.z), np.asarray(rec.delta)
    for f in range(int(rec.W.shape[0])):
        table.add_row(
            str(f),
            _f(float(rec.b[f]), p),
            _f(float(rec.db[f]), p),
            _f(z[:, f], p),
            _f(d[:, f], p),
            _f(rec.W[f], p),
            _f(rec.dW[f], p),
        )
    return table


def layer_table(ev: Evaluation, li: int, precision: int = DEFAULT_PRECISION, lang: str = "en") -> Table:
    rec = ev.layers[li]
    layer = ev.net.layers[li]
    if layer.type == "conv":
        return conv_table(ev, li, precision, lang)
    n = li + 1
    act = activation_label(layer)
    shape = shape_text(tuple(rec.W.shape))
    title = (
        _t(lang, "net.layer", n=n) + f": a{n} = {act}(z{n}),  z{n} = W{n} · a{n - 1} + b{n}  (W{n} {shape})"
    )
    if li and ev.net.layers[li - 1].type == "conv":  # the images before it, flattened
        before = f"p{n - 1}" if ev.net.layers[li - 1].pool is not None else f"a{n - 1}"
        title = title.replace(f"W{n} · a{n - 1}", f"W{n} · flatten({before})")
    if n == 1:
        title = title.replace("a0", "x")
    table = Table(title=title, title_justify="left", header_style="bold")
    stepped = rec.W_new is not None
    cols = ["j", f"b{n}", f"z{n}", f"a{n}", f"δ{n} = ∂L/∂z{n}", f"∂L/∂b{n}"]
    if stepped:
        cols.append(f"b{n} new")
    cols += [f"W{n} (row j)", f"∂L/∂W{n} (row j)"]
    if stepped:
        cols.append(f"W{n} new (row j)")
    row_j, new = _t(lang, "net.row_j"), _t(lang, "net.new")
    for c in cols:
        colour = "red" if "∂" in c else "green" if c[:1] in "za" else None  # values green, gradients red
        shown = c.replace("(row j)", row_j).replace(" new", " " + new)
        table.add_column(shown, justify="left" if "row" in c or c == "j" else "right", style=colour)
    p = precision
    out = rec.W.shape[-2]
    show = list(range(out)) if out <= 12 else list(range(10)) + [out - 1]
    for j in show:
        if j == out - 1 and out > 12:
            table.add_row("…", *[""] * (len(cols) - 1))
        cells: list[Any] = [
            str(j + 1),  # neurons count from 1, as the notes write w_jk
            _f(_neuron(rec.b, j), p),
            _f(_neuron(rec.z, j), p),
            _f(_neuron(rec.a, j), p),
            _f(_neuron(rec.delta, j), p),
            _f(_neuron(rec.db, j), p),
        ]
        if stepped:
            cells.append(_f(_neuron(rec.b_new, j), p))
        cells += [_f(_row(rec.W, j), p), _f(_row(rec.dW, j), p)]
        if stepped:
            cells.append(_f(_row(rec.W_new, j), p))
        table.add_row(*cells)
    return table


class FitLayer:
    """A layer's table when it fits the width it is drawn in; else one block per neuron, each
    line broken only between numbers, so no number is cut."""

    def __init__(self, ev: Evaluation, li: int, precision: int = DEFAULT_PRECISION, lang: str = "en") -> None:
        self.ev, self.li, self.precision, self.lang = ev, li, precision, lang

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.measure import Measurement

        table = layer_table(self.ev, self.li, self.precision, self.lang)
        if Measurement.get(console, options.update_width(1 << 20), table).maximum <= options.max_width:
            yield table
            return
        yield Text(str(table.title or ""), style="bold")
        header = [str(c.header) for c in table.columns]
        cells: list[list[Any]] = [list(c.cells) for c in table.columns]
        width = options.max_width
        for k in range(len(cells[0])):
            row = [c[k].plain if isinstance(c[k], Text) else str(c[k]) for c in cells]
            yield Text(f"  j = {row[0]}", style="bold")
            for h, v in zip(header[1:], row[1:]):
                colour = "red" if "∂" in h else "green" if h[:1] in "za" else ""
                yield Text("\n".join(_numbers_lines(f"{h} = ", v, width - 4, "    ")), style=colour)


def _numbers_lines(label: str, text: str, width: int, indent: str) -> list[str]:
    """``label`` and a number, vector or matrix, broken only after a comma (a matrix keeps a row a line)."""
    from .table import wrap_items

    out: list[str] = []
    pad = " " * len(label)
    for n, row in enumerate(text.split("\n")):
        items = [item + "," for item in row.split(", ")]
        items[-1] = items[-1][:-1]
        out += wrap_items(items, width, " ", label if n == 0 else pad, len(label))
    return [indent + line for line in out]


def step_table(ev: Evaluation, precision: int = DEFAULT_PRECISION, lang: str = "en") -> Table:
    step = ev.step
    assert step is not None, "step_table: the evaluation has no gradient-descent step"
    table = Table(
        title=_t(lang, "net.step_title", lr=f"{step.lr:g}"),
        title_justify="left",
        header_style="bold",
    )
    for c in ("net.col.parameter", "net.col.shape", "net.col.old", "∂L/∂w", "net.new"):
        table.add_column(_t(lang, c) if c.startswith("net.") else c, justify="left")
    for prm in step.params:
        table.add_row(
            prm.name,
            shape_text(tuple(prm.old.shape)),
            _f(prm.old, precision),
            _f(prm.grad, precision),
            _f(prm.new, precision),
        )
    return table


def loss_line(ev: Evaluation, precision: int = DEFAULT_PRECISION, lang: str = "en") -> str:
    p = precision
    net = ev.net
    n = int(net.x.shape[0]) if net.batch else 1
    what = _t(lang, "net.mean_over", loss=net.loss, n=n) if net.batch else net.loss
    text = _t(lang, "net.loss_line", data=fmt(ev.data_loss, p), reg=fmt(ev.reg_loss, p), loss=fmt(ev.loss, p))
    if net.half_l2:
        text += _t(lang, "net.reg_half", what=what, l2=f"{net.l2:g}")
    else:
        text += _t(lang, "net.reg_l2", what=what, l2=f"{net.l2:g}")
    return text


def render(ev: Evaluation, precision: int = DEFAULT_PRECISION, lang: str = "en") -> Group:
    items: list[Any] = []
    net = ev.net
    head = net.title or net.source
    sizes = [str(net.n_inputs)] + [
        str(layer.out) if layer.out_shape is None else shape_text(layer.out_shape) for layer in net.layers
    ]
    if net.layers[0].type == "conv" and net.x is not None:  # images: C×H×W in
        sizes[0] = shape_text(tuple(net.x.shape[1:]))
    items.append(Text(_t(lang, "net.head", head=head, sizes="-".join(sizes), loss=net.loss), style="bold"))
    if net.batch:
        items.append(
            Text(
                _t(lang, "net.batch", n=net.x.shape[0]),
                style="dim",
            )
        )
    for li in range(len(net.layers)):
        items.append(FitLayer(ev, li, precision, lang))
    items.append(Text(loss_line(ev, precision, lang), style="bold"))
    if ev.step is not None:
        items.append(step_table(ev, precision, lang))
        items.append(
            Text(
                _t(
                    lang,
                    "net.before_after",
                    before=fmt(ev.loss, precision),
                    after=fmt(ev.step.loss_after, precision),
                ),
                style="bold",
            )
        )
    items.append(Text(_t(lang, "net.graph", text=ev.compiled.text.replace("\n", "; ")), style="dim"))
    for w in ev.result.warnings:
        from ..errors import in_lang, label

        items.append(Text(f"{label('warning', lang)}: {in_lang(w, lang)}", style="yellow"))
    return Group(*items)


__all__ = ["render", "layer_table", "step_table", "loss_line"]
