"""A network's forward and backward pass told layer by layer, as the notes tell it.

Forward, input to output: z = W a + b, a = act(z), then the loss.  Backward, output to input:
δ = ∂L/∂z (the loss's and the activation's derivative named, with their numbers),
∂L/∂W = δ aᵀ, ∂L/∂b = δ, ∂L/∂a_prev = Wᵀ δ.  The data x and the targets y get no gradient.

Two notations: the lecture's (L, δ, layers numbered 1, 2, ...) and 3Blue1Brown's, as the
seeds write it (C0, a(L), a(L-1), ``∂C0/∂w(L) = a(L-1) σ'(z(L)) 2(a(L) − y)``).

Every number comes from the :class:`~backcalc.network.model.Evaluation` (the engine's
forward and backward pass); the activation's derivative is shown from the layer's own a and z
(σ' = a(1 − a), tanh' = 1 − a², relu' = [z > 0], ...), and the δ it multiplies is the engine's.
Every sentence is a catalogue key (``narrate.*``) in English and Korean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..display import DEFAULT_PRECISION, fmt, shape_text
from ..i18n import Messages

if TYPE_CHECKING:
    from .model import Evaluation

NOTATIONS = ("lecture", "3b1b")
FULL = 16  # arrays of up to this many elements are written out in full


@dataclass
class Item:
    """One step: a heading line and the lines under it (indented, wrapped under the step)."""

    head: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Section:
    heading: str
    items: list[Item]


@dataclass
class Narration:
    title: str
    subtitle: str
    sections: list[Section]
    closing: str


def value(v: Any, p: int = DEFAULT_PRECISION) -> str:
    """A number or an array on one line: in full up to FULL elements, else its first and last."""
    import numpy as np

    if type(v) is float or np.ndim(v) == 0:
        return fmt(float(v), p)
    big = np.size(v) > FULL
    text = fmt(v, p, max_items=3 if big else FULL, shape_note=False)
    text = " ".join(text.replace("\n", ",").split()).replace("[ ", "[")
    return f"{text} ({shape_text(np.shape(v))})" if big or np.ndim(v) > 1 else text


def _act_symbol(act: str) -> str:
    return "σ" if act == "sigmoid" else act


def activation_slope(layer: Any, z: Any, a: Any) -> Any:
    """act'(z) elementwise, from the layer's own z and a (None: no elementwise derivative)."""
    import numpy as np

    act = layer.activation
    if act == "identity":
        return np.ones_like(np.asarray(z, dtype=float))
    if act == "sigmoid":
        return a * (1 - a)
    if act == "tanh":
        return 1 - a * a
    if act == "relu":
        return (np.asarray(z) > 0).astype(float)
    if act == "leaky_relu":
        return np.where(np.asarray(z) > 0, 1.0, layer.slope)
    if act == "elu":
        return np.where(np.asarray(z) > 0, 1.0, a + layer.alpha)
    return None


class _Names:
    """How a notation writes the quantities of layer n (of ``last`` layers)."""

    def __init__(self, notation: str, last: int, batch: bool) -> None:
        self.tb = notation == "3b1b"
        self.last = last
        self.batch = batch
        self.L = "C0" if self.tb and not batch else ("C" if self.tb else "L")

    def tag(self, n: int) -> str:
        if n == self.last:
            return "L"
        return f"L-{self.last - n}"

    def q(self, sym: str, n: int) -> str:
        """a1 / a(L); a0 is x."""
        if n == 0:
            return "x"
        return f"{sym}({self.tag(n)})" if self.tb else f"{sym}{n}"

    def W(self, n: int) -> str:
        return self.q("w", n) if self.tb else f"W{n}"

    def d(self, what: str) -> str:
        return f"∂{self.L}/∂{what}"


def _loss_formula(loss: str, a: str, batch: bool) -> tuple[str, str]:
    """The loss over output a and its derivative ∂L/∂a, as formulas (per example; a batch's
    mean divides by N)."""
    per = {
        "half_sse": (f"½ Σ (y − {a})²", f"({a} − y)"),
        "sse": (f"Σ ({a} − y)²", f"2({a} − y)"),
        "mse": (f"mean(({a} − y)²)", f"2({a} − y) / n"),
        "softmax_ce": (f"−log softmax({a})_y", f"softmax({a}) − y"),
        "hinge": (
            f"Σ_(j≠y) max(0, {a}_j − {a}_y + 1)",
            f"[{a}_j − {a}_y + 1 > 0] (j ≠ y), −Σ_(j≠y) [{a}_j − {a}_y + 1 > 0] (j = y)",
        ),
    }
    f, d = per.get(loss, (f"{loss}({a}, y)", f"∂{loss}/∂{a}"))
    if batch:
        f = f"(1/N) Σ_examples {f}"
        d = f"{d} / N" if d.startswith(("(", "2(")) else f"({d}) / N"
    return f, d


def build(
    ev: Evaluation, lang: str = "en", precision: int = DEFAULT_PRECISION, notation: str = "lecture"
) -> Narration:
    """The layer-by-layer story of ``ev`` in ``lang`` and ``notation`` ('lecture' or '3b1b')."""
    import numpy as np

    m = Messages(lang)
    p = precision
    net = ev.net
    layers = net.layers
    recs = ev.layers
    nl = len(layers)
    batch = bool(net.batch)
    N = int(np.shape(net.x)[0]) if batch else 1
    nm = _Names(notation, nl, batch)
    tb = nm.tb
    L = nm.L

    def V(v: Any) -> str:
        return value(v, p)

    sizes = "-".join([str(net.n_inputs)] + [str(layer.out) for layer in layers])
    title = m("narrate.title", title=net.title or net.source)
    subtitle = m("narrate.subtitle", spec=net.source, sizes=sizes, loss=net.loss)
    if batch:
        subtitle += "; " + m("narrate.batch", n=N)

    # --- forward -------------------------------------------------------------------------
    fwd: list[Item] = []
    for li, (layer, rec) in enumerate(zip(layers, recs)):
        n = li + 1
        prev, z, a, W, b = nm.q("a", n - 1), nm.q("z", n), nm.q("a", n), nm.W(n), nm.q("b", n)
        item = Item(
            m("narrate.layer", n=n, act=layer.activation, W=W, shape=shape_text(tuple(np.shape(layer.W))))
        )
        if layer.pieces > 1:
            for k in range(layer.pieces):
                affine = (
                    f"{prev} {W}_{k + 1}ᵀ + {b}_{k + 1}" if batch else f"{W}_{k + 1} {prev} + {b}_{k + 1}"
                )
                item.lines.append(f"{z}_{k + 1} = {affine} = {V(rec.z[k])}")
            pieces = ", ".join(f"{z}_{k + 1}" for k in range(layer.pieces))
            item.lines.append(f"{a} = max({pieces}) = {V(rec.a)}")
        else:
            affine = f"{prev} {W}ᵀ + {b}" if batch else f"{W} {prev} + {b}"
            item.lines.append(f"{z} = {affine} = {V(rec.z)}")
            if layer.activation == "identity":
                item.lines.append(f"{a} = {z} = {V(rec.a)}   ({m('narrate.identity')})")
            else:
                item.lines.append(f"{a} = {_act_symbol(layer.activation)}({z}) = {V(rec.a)}")
        fwd.append(item)
    out_a = nm.q("a", nl)
    fused = net.loss == "softmax_ce" and layers[-1].activation == "softmax"
    scores = nm.q("z", nl) if fused else out_a
    loss_f, loss_d = _loss_formula(net.loss, scores, batch)
    loss_item = Item(m("narrate.loss_head"))
    if ev.reg_loss:
        loss_item.lines.append(f"{L}_data = {loss_f} = {V(ev.data_loss)}   ({net.loss})")
        regs = " + ".join(f"Σ {nm.W(k + 1)}²" for k in range(nl))
        loss_item.lines.append(f"{L}_reg = λ ({regs}) = {V(ev.reg_loss)}   (λ = {net.l2:g})")
        loss_item.lines.append(f"{L} = {L}_data + {L}_reg = {V(ev.loss)}")
    else:
        loss_item.lines.append(f"{L} = {loss_f} = {V(ev.loss)}   ({net.loss})")
    fwd.append(loss_item)

    # --- backward ------------------------------------------------------------------------
    bwd: list[Item] = []
    for li in range(nl - 1, -1, -1):
        layer, rec = layers[li], recs[li]
        n = li + 1
        prev, z, a, W, b = nm.q("a", n - 1), nm.q("z", n), nm.q("a", n), nm.W(n), nm.q("b", n)
        head = m("narrate.layer_3b1b", n=n, tag=nm.tag(n)) if tb else m("narrate.layer_back", n=n)
        item = Item(head)
        delta = nm.d(z) if tb else f"δ{n}"
        dz = "" if tb else f" = {nm.d(z)}"
        act = _act_symbol(layer.activation)
        slope = activation_slope(layer, rec.z, rec.a) if layer.pieces == 1 else None

        def bare(f: str) -> str:
            return f[1:-1] if f.startswith("(") and f.endswith(")") and f.count("(") == 1 else f

        if n == nl and fused:
            item.lines.append(f"{delta}{dz} = {bare(loss_d)} = {V(rec.delta)}")
            item.lines.append("  " + m("narrate.fused"))
        else:
            if n == nl:
                item.lines.append(f"{nm.d(a)} = {bare(loss_d)} = {V(rec.da)}")
                item.lines.append("  " + m("narrate.dloss", loss=net.loss))
            if layer.pieces > 1:
                for k in range(layer.pieces):
                    item.lines.append(
                        f"{delta}_{k + 1} = {nm.d(a)} · [{z}_{k + 1} = {a}] = {V(rec.delta[k])}"
                    )
                item.lines.append("  " + m("narrate.d.maxout"))
            elif layer.activation == "identity":
                item.lines.append(
                    f"{delta}{dz} = {nm.d(a)} = {V(rec.delta)}   ({m('narrate.d.identity', z=z, a=a)})"
                )
            elif slope is not None:
                d_act = f"{act}'({z})"
                item.lines.append(
                    f"{delta}{dz} = {nm.d(a)} ⊙ {d_act} = {V(rec.da)} ⊙ {V(slope)} = {V(rec.delta)}"
                )
                item.lines.append("  " + m(f"narrate.d.{layer.activation}", z=z, a=a))
            else:  # softmax without cross-entropy: its Jacobian-vector product
                item.lines.append(f"{delta}{dz} = {a} ⊙ ({nm.d(a)} − Σ {a} ⊙ {nm.d(a)}) = {V(rec.delta)}")
                item.lines.append("  " + m("narrate.d.softmax"))
        for k in range(layer.pieces):
            sfx = f"_{k + 1}" if layer.pieces > 1 else ""
            reg = f" + 2λ {W}{sfx}" if net.l2 > 0 else ""
            dk = f"{delta}{sfx}"
            dW = rec.dW[k] if layer.pieces > 1 else rec.dW
            db = rec.db[k] if layer.pieces > 1 else rec.db
            if tb and not batch and layer.pieces == 1 and slope is not None:
                chain = f"{prev} {act}'({z}) {nm.d(a)}" if n < nl else f"{prev} {act}'({z}) {loss_d}"
                item.lines.append(f"{nm.d(W)} = {chain}{reg} = {V(dW)}")
                # one weight written out, as the video does: the one with the largest gradient
                j, kk = (int(i) for i in np.unravel_index(np.argmax(np.abs(dW)), np.shape(dW)))
                a_prev = np.asarray(net.x if n == 1 else recs[li - 1].a, dtype=float).reshape(-1)
                tag = nm.tag(n)
                src = f"x_{kk + 1}" if n == 1 else f"a_{kk + 1}({nm.tag(n - 1)})"
                one = f"{nm.d(f'w_{j + 1}{kk + 1}({tag})')} = {src} {act}'(z_{j + 1}({tag})) {nm.d(f'a_{j + 1}({tag})')}"
                factors = (a_prev[kk], np.reshape(slope, -1)[j], np.reshape(rec.da, -1)[j])
                nums = " · ".join(f"({V(f)})" if f < 0 else V(f) for f in factors)
                w_value = V(np.reshape(rec.delta, -1)[j] * a_prev[kk])
                item.lines.append("  " + m("narrate.one_weight", formula=one, numbers=nums, value=w_value))
            elif batch:
                item.lines.append(f"{nm.d(W + sfx)} = {dk}ᵀ {prev}{reg} = {V(dW)}   ({m('narrate.summed')})")
            else:
                item.lines.append(f"{nm.d(W + sfx)} = {dk} {prev}ᵀ{reg} = {V(dW)}")
            if batch:
                item.lines.append(f"{nm.d(b + sfx)} = Σ_examples {dk} = {V(db)}")
            else:
                item.lines.append(f"{nm.d(b + sfx)} = {dk} = {V(db)}")
        if net.l2 > 0:
            item.lines.append("  " + m("narrate.reg", W=W, l2=f"{net.l2:g}"))
        if n > 1:
            prev_rec = recs[li - 1]
            if tb and not batch:
                rule = f"Σ_j w_jk({nm.tag(n)}) {nm.d(f'z_j({nm.tag(n)})')}"
            elif batch:
                rule = f"{delta} {W}"
            else:
                rule = f"{W}ᵀ {delta}"
            if layer.pieces > 1:
                rule = " + ".join(
                    rule.replace(W, f"{W}_{k + 1}").replace(delta, f"{delta}_{k + 1}")
                    for k in range(layer.pieces)
                )
            item.lines.append(f"{nm.d(prev)} = {rule} = {V(prev_rec.da)}")
            item.lines.append("  " + m("narrate.sent_back", n=n - 1))
        bwd.append(item)
    sections = [Section(m("narrate.forward"), fwd), Section(m("narrate.backward"), bwd)]
    if ev.step is not None:  # net --step: the update, parameter by parameter
        st = ev.step
        items = []
        for prm in st.params:
            name = nm.W(prm.layer) if prm.name.startswith("W") else nm.q("b", prm.layer)
            items.append(Item(f"{name} ← {name} − {st.lr:g} · {nm.d(name)} = {V(prm.new)}"))
        items.append(Item(m("narrate.loss_after", before=V(ev.loss), after=V(st.loss_after))))
        sections.append(Section(m("narrate.step", lr=f"{st.lr:g}"), items))
    closing = m("narrate.no_grad")
    if batch:
        closing = m("narrate.batch_mean", n=N) + " " + closing
    return Narration(title, subtitle, sections, closing)


def render_text(nar: Narration) -> str:
    """Plain text: headings, steps indented under them, lines under their steps."""
    out = [nar.title, nar.subtitle, ""]
    for sec in nar.sections:
        out.append(sec.heading)
        for item in sec.items:
            out.append("  " + item.head)
            out.extend("    " + line for line in item.lines)
        out.append("")
    out.append(nar.closing)
    return "\n".join(out)


def render_rich(nar: Narration) -> Any:
    """The same for a terminal: wrapped lines stay indented under their step."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Any] = [Text(nar.title, style="bold"), Text(nar.subtitle), Text("")]
    for sec in nar.sections:
        parts.append(Text(sec.heading, style="bold underline"))
        for item in sec.items:
            parts.append(Padding(Text(item.head, style="bold"), (0, 0, 0, 2), expand=False))
            for line in item.lines:
                extra = 2 if line.startswith("  ") else 0
                style = "dim" if extra else ""
                parts.append(Padding(Text(line.strip(), style=style), (0, 0, 0, 4 + extra), expand=False))
        parts.append(Text(""))
    parts.append(Text(nar.closing, style="italic"))
    return Group(*parts)
