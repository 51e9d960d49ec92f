"""Network spec files (TOML or JSON) -> a validated :class:`Network`, and back to text.

A spec names the loss, the optional L2 strength, the inputs ``x`` and targets ``y``
(one example or a batch), and the layers in order.  Each layer has an activation and
either explicit weights ``W`` (rows = output neurons j, columns = inputs k: w_jk) and
biases ``b``, or a ``size`` with seeded initialisation.  Every problem is reported
with the file and the key path (``layers[1].W``) and what was expected.
"""

from __future__ import annotations

import difflib
import json
import math
import os
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import BackcalcError, Msg, setting
from .activations import (
    ACTIVATION_TABLE,
    ACTIVATIONS,
    CLASSIFICATION,
    HE_ACTIVATIONS,
    LABELS,
    LOSSES,
    PARAMS,
    activation_params,
)

INITS = ("he", "xavier")
# cs231n's two L2 conventions, named in the spec (regularization = ...; strength reg = ...):
# "l2" is reg * sum(W**2), gradient 2 reg W (the 2017 two-layer net; the same as l2 = ...);
# "half_l2" is 0.5 * reg * sum(W**2), gradient reg W (fc_net.py).
REGULARIZATIONS = {"l2": "reg * ΣW² (gradient 2·reg·W)", "half_l2": "0.5 * reg * ΣW² (gradient reg·W)"}
NORMS = ("batchnorm", "layernorm")  # a layer's norm = ...: between its affine map and its activation

TRAIN_KEYS = ("update", "lr_decay")  # how train updates the weights (network/optim.py)
TOP_KEYS = (
    "loss",
    "l2",
    "reg",
    "regularization",
    "x",
    "y",
    "layers",
    "seed",
    "inputs",
    "title",
    "description",
    *TRAIN_KEYS,
)
LAYER_KEYS = (
    "activation",
    "W",
    "b",
    "size",
    *PARAMS,
    "init",
    "norm",
    "gamma",
    "beta",
    "dropout",
    "dropout_seed",
    "type",
    "stride",
    "pad",
    "pool",
)
LAYER_TYPES = ("affine", "conv")  # conv: cs231n's conv layer (and an optional max-pool) on images


@dataclass
class Layer:
    activation: str
    W: Any = None  # (out, in), or (k, out, in) for maxout; None until initialised
    b: Any = None  # (out,), or (k, out)
    size: int | None = None
    slope: float = 0.01
    alpha: float = 1.0
    k: int = 2
    init: str | None = None
    norm: str | None = None  # batchnorm | layernorm, between z and the activation (a batch only)
    gamma: Any = None  # (out,) the norm's scale (default ones) and shift (default zeros)
    beta: Any = None
    dropout: float | None = None  # inverted dropout after the activation: p = keep probability
    dropout_seed: int = 0
    type: str = "affine"  # "conv": W (F, C, HH, WW), b (F,), on images x (N, C, H, W)
    stride: int = 1  # conv only
    pad: int = 0  # conv only
    pool: tuple[int, int, int] | None = None  # conv only: max-pool (ph, pw, stride) after the activation
    out_shape: tuple[int, ...] | None = None  # conv only: (F, H', W') of its output, after the pool

    @property
    def out(self) -> int:
        if self.out_shape is not None:  # a conv layer: the features the next layer takes
            return math.prod(self.out_shape)
        if self.W is not None:
            return int(self.W.shape[-2])
        assert self.size is not None
        return self.size

    @property
    def pieces(self) -> int:
        return self.k if self.activation == "maxout" else 1


@dataclass
class Network:
    loss: str
    layers: list[Layer]
    l2: float = 0.0
    half_l2: bool = False  # regularization = "half_l2": 0.5 * l2 * sum(W**2)
    x: Any = None  # float64 array: (inputs,) one example, or (N, inputs) a batch
    y: Any = None  # as given: regression targets or class indices / one-hot rows
    seed: int | None = None
    inputs: int | None = None
    title: str | None = None
    description: str | None = None
    source: str = "<spec>"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n_inputs(self) -> int | None:
        if self.layers and self.layers[0].type == "conv":  # images: C * H * W numbers each
            return None if self.x is None else math.prod(self.x.shape[1:])
        if self.layers and self.layers[0].W is not None:
            return int(self.layers[0].W.shape[-1])
        if self.inputs is not None:
            return self.inputs
        if self.x is not None:
            return int(self.x.shape[-1])
        return None

    @property
    def n_outputs(self) -> int:
        return self.layers[-1].out

    @property
    def batch(self) -> bool:
        return self.x is not None and self.x.ndim in (2, 4)  # rows, or images (N, C, H, W)

    def copy(self) -> Network:
        return replace(self, layers=[replace(layer) for layer in self.layers])


class SpecError(BackcalcError):
    pass


# the spec errors' common phrases, as catalogue keys
_PHRASES = {"missing key": "spec.missing_key", "unknown key": "spec.unknown_key"}


def _err(where: str, key: str, msg: str, hint: str | Msg | None = None) -> SpecError:
    detail = Msg(_PHRASES[msg]) if msg in _PHRASES else msg
    text = (
        Msg("spec.at_key", where=where, key=key, detail=detail)
        if key
        else Msg("spec.at", where=where, detail=detail)
    )
    return SpecError(text, hint=hint)


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return Msg("spec.did_you_mean", name=close[0]) if close else None


def _layer_label(i: int) -> str:
    """The i-th [[layers]] table (0-based i) as messages name it: layers and neurons count from 1."""
    return f"layer {i + 1}"


# --- reading -----------------------------------------------------------------------------


def load_spec(path: str) -> Network:
    """Read and validate a spec file (.toml or .json)."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in (".toml", ".json"):
        raise SpecError(
            Msg("spec.file_kind", path=path, ext=ext or "(no ending)"), hint=Msg("spec.file_kind_hint")
        )
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as e:
        raise SpecError(Msg("spec.unreadable", path=path, reason=e.strerror or e)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError(Msg("spec.at", where=path, detail=Msg("values.file_not_utf8"))) from None
    from ..values import load_text

    try:  # within the nesting limit: the readers recurse
        data = load_text(text, path, "json" if ext == ".json" else "toml")
    except BackcalcError as e:
        raise SpecError(e._raw[0], hint=e._raw[1]) from None
    return parse_spec(data, path)


def _number(where: str, key: str, v: Any, *, lo: float | None = None, hi: float | None = None) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(float(v)):
        raise _err(where, key, Msg("spec.number", got=repr(v)))
    f = float(v)
    if lo is not None and f < lo:
        raise _err(where, key, Msg("spec.number_at_least", lo=f"{lo:g}", got=f"{f:g}"))
    if hi is not None and f >= hi:
        raise _err(where, key, Msg("spec.number_below", hi=f"{hi:g}", got=f"{f:g}"))
    return f


def _integer(where: str, key: str, v: Any, lo: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < lo:
        raise _err(where, key, Msg("spec.integer_at_least", lo=lo, got=repr(v)))
    return v


def _array(where: str, key: str, v: Any) -> Any:
    import numpy as np

    from ..values import to_array

    if isinstance(v, bool) or not isinstance(v, (list, int, float)):
        raise _err(where, key, Msg("spec.numbers", kind=type(v).__name__))
    try:
        arr = to_array(v, key)
    except BackcalcError as e:
        raise SpecError(Msg("spec.at", where=where, detail=e._raw[0])) from None
    return np.atleast_1d(np.asarray(arr, dtype=np.float64))


def _shape(shape: tuple[int, ...]) -> str:
    return str(tuple(int(n) for n in shape))


def parse_spec(data: Any, where: str = "<spec>") -> Network:
    """A spec's data (from TOML or JSON) -> a validated Network (weights not yet initialised
    when a layer gives only its size; see :func:`initialise`)."""
    if not isinstance(data, dict):
        raise _err(where, "", Msg("spec.not_table", kind=type(data).__name__))
    for key in data:
        if key not in TOP_KEYS:
            raise _err(
                where,
                str(key),
                "unknown key",
                hint=Msg(
                    "spec.known_keys", close=_suggest(str(key), TOP_KEYS) or "", keys=", ".join(TOP_KEYS)
                ),
            )
    if "loss" not in data:
        raise _err(where, "loss", "missing key", hint=Msg("spec.add_loss", choices=", ".join(LOSSES)))
    loss = data["loss"]
    if not isinstance(loss, str) or loss not in LOSSES:
        hint = _suggest(str(loss), LOSSES) if isinstance(loss, str) else None
        raise _err(
            where,
            "loss",
            Msg("spec.unknown_loss", loss=repr(loss), choices=", ".join(LOSSES)),
            hint=hint,
        )
    l2, half = _regularization(where, data)
    seed = None if "seed" not in data else _integer(where, "seed", data["seed"], 0)
    inputs = None if "inputs" not in data else _integer(where, "inputs", data["inputs"], 1)
    texts: dict[str, str | None] = {}
    for key in ("title", "description"):
        v = data.get(key)
        if v is not None and not isinstance(v, str):
            raise _err(where, key, Msg("spec.text", kind=type(v).__name__))
        texts[key] = v
    x = None
    images = _has_conv(data)
    if "x" in data:
        x = _array(where, "x", data["x"])
        if images and x.ndim != 4:
            raise _err(where, "x", Msg("spec.conv_images_shape", shape=_shape(x.shape)))
        if x.ndim > 2 and not images:
            raise _err(
                where,
                "x",
                Msg("spec.x_shape", shape=_shape(x.shape)),
            )
    if "layers" not in data:
        raise _err(where, "layers", "missing key", hint=Msg("spec.layers_hint"))
    raw_layers = data["layers"]
    if not isinstance(raw_layers, list) or not raw_layers or not all(isinstance(r, dict) for r in raw_layers):
        raise _err(where, "layers", Msg("spec.layers_list"))
    n_in: int | None = inputs
    image: tuple[int, ...] | None = None  # (C, H, W) into a conv layer
    if x is not None and images:
        image = tuple(int(n) for n in x.shape[1:])
    elif x is not None:
        if n_in is not None and x.shape[-1] != n_in:
            raise _err(where, "x", Msg("spec.inputs_mismatch", count=x.shape[-1], inputs=n_in))
        n_in = int(x.shape[-1])
    layers: list[Layer] = []
    for i, raw in enumerate(raw_layers):
        if raw.get("type", "affine") == "conv":
            if i and layers[-1].type != "conv":
                raise _err(where, f"{_layer_label(i)}.type", Msg("spec.conv_first"))
            layer = _parse_conv(where, i, raw, image)
            image = layer.out_shape
        else:
            if raw.get("type", "affine") not in LAYER_TYPES:
                raise _err(
                    where,
                    f"{_layer_label(i)}.type",
                    Msg("spec.unknown_type", type=repr(raw["type"]), choices=", ".join(LAYER_TYPES)),
                )
            layer = _parse_layer(where, i, raw, n_in)
        layers.append(layer)
        n_in = layer.out
    if layers[-1].type == "conv":
        raise _err(where, "layers", Msg("spec.last_affine"))
    net = Network(
        loss=loss,
        layers=layers,
        l2=l2,
        half_l2=half,
        x=x,
        seed=seed,
        inputs=inputs,
        title=texts["title"],
        description=texts["description"],
        source=where,
    )
    for i, layer in enumerate(layers):
        if layer.norm is not None and x is not None and x.ndim != 2:
            raise _err(
                where,
                f"{_layer_label(i)}.norm",
                Msg("spec.norm_batch", norm=layer.norm),
            )
    if layers[-1].dropout is not None:
        raise _err(
            where,
            f"{_layer_label(len(layers) - 1)}.dropout",
            Msg("spec.dropout_scores"),
        )
    net.extra.update(_train_settings(where, data))
    if layers[-1].activation == "softmax" and loss == "hinge":
        pass  # allowed: hinge on probabilities; unusual but well defined
    if "y" in data:
        net.y = _targets_raw(where, data["y"])
        if x is not None:
            targets(net, x, net.y, where)  # validates the shapes now
    return net


def _has_conv(data: dict[str, Any]) -> bool:
    raw = data.get("layers")
    return isinstance(raw, list) and any(isinstance(r, dict) and r.get("type") == "conv" for r in raw)


def _parse_conv(where: str, i: int, raw: dict[str, Any], image: tuple[int, ...] | None) -> Layer:
    """A conv layer: z = conv(a, W, b, stride, pad) (cs231n's conv_forward_naive), then its
    activation, then an optional max-pool; explicit W (F, C, HH, WW) and b (F,)."""
    label = _layer_label(i)
    for key in raw:
        if key not in LAYER_KEYS:
            raise _err(where, f"{label}.{key}", "unknown key", hint=_suggest(str(key), LAYER_KEYS))
    for key in ("size", "norm", "gamma", "beta", *PARAMS, "init"):
        if key in raw:
            raise _err(where, f"{label}.{key}", Msg("spec.not_on_conv", key=key))
    act = raw.get("activation", "identity")
    if act not in ("identity", "relu"):
        raise _err(where, f"{label}.activation", Msg("spec.conv_activation", got=repr(act)))
    if "W" not in raw or "b" not in raw:
        raise _err(where, label, Msg("spec.conv_needs_w_b"))
    layer = Layer(activation=act, type="conv")
    layer.W = _array(where, f"{label}.W", raw["W"])
    layer.b = _array(where, f"{label}.b", raw["b"])
    layer.stride = _integer(where, f"{label}.stride", raw.get("stride", 1), 1)
    layer.pad = _integer(where, f"{label}.pad", raw.get("pad", 0), 0)
    W = layer.W
    if W.ndim != 4:
        raise _err(where, f"{label}.W", Msg("spec.conv_w_shape", got=_shape(W.shape)))
    if layer.b.shape != (W.shape[0],):
        raise _err(
            where,
            f"{label}.b",
            Msg("spec.conv_b_shape", f=W.shape[0], got=_shape(layer.b.shape)),
        )
    if image is None:
        raise _err(where, "x", Msg("spec.conv_needs_images"))
    c, h, w = image
    if W.shape[1] != c:
        raise _err(where, f"{label}.W", Msg("spec.conv_channels", c=W.shape[1], got=c))
    s, p = layer.stride, layer.pad
    dims = []
    for n, k in ((h, W.shape[2]), (w, W.shape[3])):
        span = n + 2 * p - k
        if span < 0 or span % s:
            raise _err(
                where,
                label,
                Msg("spec.conv_tile", k=k, p=p, s=s, n=n),
            )
        dims.append(1 + span // s)
    if "pool" in raw:
        pool = raw["pool"]
        ok = isinstance(pool, list) and len(pool) == 3
        if not ok or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in pool):
            raise _err(where, f"{label}.pool", Msg("spec.pool_list", got=repr(pool)))
        ph, pw, ps = pool
        for d, (n, k) in enumerate(((dims[0], ph), (dims[1], pw))):
            if n < k or (n - k) % ps:
                raise _err(
                    where,
                    f"{label}.pool",
                    Msg("spec.pool_tile", k=k, s=ps, n=n),
                )
            dims[d] = 1 + (n - k) // ps
        layer.pool = (ph, pw, ps)
    _parse_extras(where, label, {k: v for k, v in raw.items() if k in ("dropout", "dropout_seed")}, layer)
    layer.out_shape = (int(W.shape[0]), dims[0], dims[1])
    return layer


def _regularization(where: str, data: dict[str, Any]) -> tuple[float, bool]:
    """(strength, half?) from l2 = ..., or reg = ... with regularization = "l2" | "half_l2"."""
    if "reg" not in data and "regularization" not in data:
        return _number(where, "l2", data.get("l2", 0.0), lo=0.0), False
    forms = ", ".join(f'"{k}" ({v})' for k, v in REGULARIZATIONS.items())
    if "l2" in data:
        raise _err(where, "l2", Msg("spec.l2_or_reg"))
    form = data.get("regularization")
    if form is None:
        raise _err(
            where, "regularization", Msg("spec.reg_convention"), hint=Msg("spec.one_of", choices=forms)
        )
    if form not in REGULARIZATIONS:
        raise _err(
            where,
            "regularization",
            Msg("spec.unknown_reg", form=repr(form), choices=forms),
            hint=_suggest(str(form), tuple(REGULARIZATIONS)),
        )
    if "reg" not in data:
        raise _err(where, "reg", Msg("spec.reg_missing"), hint=Msg("spec.reg_hint"))
    return _number(where, "reg", data["reg"], lo=0.0), form == "half_l2"


def _parse_extras(where: str, label: str, raw: dict[str, Any], layer: Layer) -> None:
    """A layer's norm (with gamma, beta) and dropout (with dropout_seed)."""
    if "norm" in raw:
        if raw["norm"] not in NORMS:
            raise _err(
                where,
                f"{label}.norm",
                Msg("spec.unknown_norm", norm=repr(raw["norm"]), choices=", ".join(NORMS)),
                hint=_suggest(str(raw["norm"]), NORMS),
            )
        layer.norm = raw["norm"]
    for key in ("gamma", "beta"):
        if key in raw:
            if layer.norm is None:
                raise _err(
                    where,
                    f"{label}.{key}",
                    f'\'{key}\' belongs to a norm: add norm = "batchnorm" or "layernorm"',
                )
            setattr(layer, key, _array(where, f"{label}.{key}", raw[key]))
    if "dropout" in raw:
        p = _number(where, f"{label}.dropout", raw["dropout"], lo=0.0)
        if not 0.0 < p <= 1.0:
            raise _err(where, f"{label}.dropout", Msg("spec.keep_probability", got=f"{p:g}"))
        layer.dropout = p
    if "dropout_seed" in raw:
        if layer.dropout is None:
            raise _err(where, f"{label}.dropout_seed", Msg("spec.dropout_seed"))
        layer.dropout_seed = _integer(where, f"{label}.dropout_seed", raw["dropout_seed"], 0)


def _check_norm_params(where: str, label: str, layer: Layer) -> None:
    import numpy as np

    if layer.norm is None:
        return
    out = layer.out
    for key, fill in (("gamma", 1.0), ("beta", 0.0)):
        v = getattr(layer, key)
        if v is None:
            setattr(layer, key, np.full(out, fill))
        elif v.shape != (out,):
            raise _err(
                where,
                f"{label}.{key}",
                Msg("spec.norm_shape", out=out, got=_shape(v.shape)),
            )


def _parse_layer(where: str, i: int, raw: dict[str, Any], n_in: int | None) -> Layer:
    import numpy as np

    label = _layer_label(i)
    for key in raw:
        if key not in LAYER_KEYS:
            raise _err(
                where,
                f"{label}.{key}",
                "unknown key",
                hint=Msg(
                    "spec.layer_keys", close=_suggest(str(key), LAYER_KEYS) or "", keys=", ".join(LAYER_KEYS)
                ),
            )
    if "activation" not in raw:
        raise _err(
            where,
            f"{label}.activation",
            "missing key",
            hint=Msg("spec.one_of", choices=", ".join(ACTIVATIONS)),
        )
    act = raw["activation"]
    if not isinstance(act, str) or act not in ACTIVATIONS:
        raise _err(
            where,
            f"{label}.activation",
            Msg("spec.unknown_activation", activation=repr(act), choices=", ".join(ACTIVATIONS)),
            hint=_suggest(str(act), ACTIVATIONS),
        )
    layer = Layer(activation=act)
    for key, (owner, _default) in PARAMS.items():
        if key in raw and act != owner:
            raise _err(
                where, f"{label}.{key}", Msg("spec.wrong_parameter", key=key, owner=owner, activation=act)
            )
    entry = ACTIVATION_TABLE[act]
    if entry.param is not None:
        key, v = f"{label}.{entry.param}", raw.get(entry.param, entry.default)
        if entry.integer:
            value: float = _integer(where, key, v, int(entry.lo))
        else:
            value = _number(where, key, v, lo=entry.lo, hi=entry.hi)
        setattr(layer, entry.param, value)
    if "init" in raw:
        if raw["init"] not in INITS:
            raise _err(
                where,
                f"{label}.init",
                Msg("spec.unknown_init", init=repr(raw["init"]), choices=", ".join(INITS)),
                hint=_suggest(str(raw["init"]), INITS),
            )
        layer.init = raw["init"]
    _parse_extras(where, label, raw, layer)
    if layer.norm is not None and layer.pieces > 1:
        raise _err(where, f"{label}.norm", Msg("spec.norm_maxout"))
    if "size" in raw:
        layer.size = _integer(where, f"{label}.size", raw["size"], 1)
    has_w, has_b = "W" in raw, "b" in raw
    if not has_w and not has_b:
        if layer.size is None:
            raise _err(
                where,
                f"{label}",
                Msg("spec.no_weights"),
            )
        _check_norm_params(where, label, layer)
        return layer
    if has_w != has_b:
        missing = "b" if has_w else "W"
        raise _err(
            where,
            f"{label}.{missing}",
            Msg("spec.both_w_b"),
            hint=Msg("spec.both_w_b_hint"),
        )
    W = _array(where, f"{label}.W", raw["W"])
    b = _array(where, f"{label}.b", raw["b"])
    k = layer.pieces
    want_w = 3 if k > 1 else 2
    if W.ndim != want_w:
        what = Msg("spec.w_pieces", k=k) if k > 1 else Msg("spec.w_matrix")
        raise _err(where, f"{label}.W", Msg("spec.w_expected", what=what, got=_shape(W.shape)))
    if k > 1 and W.shape[0] != k:
        raise _err(where, f"{label}.W", Msg("spec.maxout_pieces", k=k, got=W.shape[0]))
    out, fan_in = int(W.shape[-2]), int(W.shape[-1])
    if n_in is not None and fan_in != n_in:
        source = Msg("spec.inputs_word") if i == 0 else Msg("spec.outputs_of", layer=i)
        raise _err(
            where,
            f"{label}.W",
            Msg(
                "spec.columns",
                cols=fan_in,
                n=n_in,
                source=source,
                want=_shape(((k,) if k > 1 else ()) + (out, n_in)),
            ),
        )
    want_b = ((k,) if k > 1 else ()) + (out,)
    if b.shape != want_b:
        raise _err(
            where,
            f"{label}.b",
            Msg("spec.b_shape_pieces" if k > 1 else "spec.b_shape", want=_shape(want_b), got=_shape(b.shape)),
        )
    if layer.size is not None and layer.size != out:
        raise _err(where, f"{label}.size", Msg("spec.size_rows", size=layer.size, rows=out))
    layer.W = np.ascontiguousarray(W)
    layer.b = np.ascontiguousarray(b)
    _check_norm_params(where, label, layer)
    return layer


def _targets_raw(where: str, v: Any) -> Any:
    arr = _array(where, "y", v)
    if arr.ndim > 2:
        raise _err(where, "y", Msg("spec.y_shape", shape=_shape(arr.shape)))
    return arr


def targets(net: Network, x: Any, y: Any, where: str, key: str = "y") -> Any:
    """The targets as the loss expects them: (out,) or (N, out) floats; class indices become one-hot rows.

    Classification losses (hinge, softmax_ce) take class indices (0 .. classes-1) or one-hot
    rows (soft labels too, for softmax_ce); regression losses take one target per output."""
    import numpy as np

    y = np.atleast_1d(np.asarray(y, dtype=np.float64))
    n_out = net.n_outputs
    batch = x.ndim in (2, 4)  # rows, or images (N, C, H, W)
    n = int(x.shape[0]) if batch else 1
    rows = y.reshape(1, -1) if (not batch and y.ndim == 1) else y
    if net.loss in CLASSIFICATION:
        if rows.ndim == 1 or (not batch and rows.shape == (1, 1) and n_out > 1):
            idx = rows.reshape(-1)
            if idx.shape[0] != n:
                raise _err(where, key, Msg("spec.labels_count", labels=idx.shape[0], n=n))
            for r, c in enumerate(idx.tolist()):
                if not float(c).is_integer() or not 0 <= c < n_out:
                    at = f"{key}[{r}]" if batch else key
                    raise _err(
                        where,
                        at,
                        Msg("spec.class_label", label=f"{c:g}", last=n_out - 1, outputs=n_out),
                    )
            if net.loss in LABELS:  # the loss gates take the labels themselves
                return idx.copy()
            onehot = np.eye(n_out)[idx.astype(int)]
            return onehot if batch else onehot[0]
        if rows.shape != (n, n_out):
            raise _err(
                where,
                key,
                f"expected {'one class label per example or ' if batch else 'a class label or '}"
                f"one-hot rows of {n_out} numbers{' per example' if batch else ''}, "
                f"got shape {_shape(y.shape)}",
            )
        onehot_rows = bool(np.all((rows == 0) | (rows == 1)) and np.all(rows.sum(axis=1) == 1))
        if net.loss in ("hinge", *LABELS) and not onehot_rows:
            raise _err(where, key, Msg("spec.one_hot", loss=net.loss))
        if net.loss in LABELS:
            return rows.argmax(axis=1).astype(float)
        if np.any(rows < 0) or not np.allclose(rows.sum(axis=1), 1.0):
            raise _err(where, key, Msg("spec.probabilities"))
        return rows if batch else rows[0]
    if n_out == 1 and rows.ndim == 1 and batch:
        rows = rows.reshape(-1, 1)
    if not batch and y.ndim == 1 and y.shape[0] == n_out:
        return y
    if rows.shape != (n, n_out):
        want = _shape((n, n_out)) if batch else _shape((n_out,))
        raise _err(where, key, Msg("spec.targets_shape", want=want, got=_shape(y.shape)))
    return rows if batch else rows[0]


# --- initialisation ----------------------------------------------------------------------


def init_kind(layer: Layer) -> str:
    if layer.init is not None:
        return layer.init
    return "he" if layer.activation in HE_ACTIVATIONS else "xavier"


def _check_size(where: str, key: str, shape: tuple[int, ...]) -> None:
    """Refuse weights over the array-size limit before allocating them."""
    from ..parse import LIMITS

    n = math.prod(shape)
    if n > LIMITS.max_array_elements:
        raise _err(
            where,
            key,
            Msg("spec.too_big", shape=_shape(shape), n=n, limit=LIMITS.max_array_elements),
            hint=Msg("spec.too_big_hint"),
        )


def initialise(net: Network, n_inputs: int | None = None) -> Network:
    """Fill in the weights of layers that give only a size: He normal (std sqrt(2 / fan_in))
    for relu, leaky_relu, elu and maxout, Xavier/Glorot uniform (limit sqrt(6 / (fan_in + fan_out)))
    otherwise; biases 0; numpy's default_rng(seed), layer by layer in order."""
    import numpy as np

    if all(layer.W is not None for layer in net.layers):
        return net
    fan_in = net.n_inputs if n_inputs is None else n_inputs
    if net.layers[0].W is None and fan_in is None:
        raise SpecError(
            Msg("spec.at", where=net.source, detail=Msg("spec.n_inputs")),
            hint=Msg("spec.n_inputs_hint"),
        )
    rng = np.random.default_rng(0 if net.seed is None else net.seed)
    out = net.copy()
    for li, layer in enumerate(out.layers):
        if layer.W is None:
            assert layer.size is not None and fan_in is not None
            shape = ((layer.pieces,) if layer.pieces > 1 else ()) + (layer.size, fan_in)
            _check_size(net.source, f"{_layer_label(li)}.size", shape)
            if init_kind(layer) == "he":
                layer.W = rng.standard_normal(shape) * math.sqrt(2.0 / fan_in)
            else:
                limit = math.sqrt(6.0 / (fan_in + layer.size))
                layer.W = rng.uniform(-limit, limit, shape)
            layer.b = np.zeros(shape[:-1])
        fan_in = layer.out
    return out


def _train_settings(where: str, data: dict[str, Any]) -> dict[str, Any]:
    """The spec's update rule and learning-rate decay (``update = "adam"``, ``lr_decay = 0.95``)."""
    from .optim import RULES

    out: dict[str, Any] = {}
    if "update" in data:
        rule = data["update"]
        if rule not in RULES:
            raise _err(
                where,
                "update",
                Msg("spec.unknown_update", rule=repr(rule), choices=", ".join(RULES)),
                hint=_suggest(str(rule), RULES),
            )
        out["update"] = rule
    if "lr_decay" in data:
        out["lr_decay"] = _number(where, "lr_decay", data["lr_decay"], lo=0.0)
        if not 0 < out["lr_decay"] <= 1:
            raise _err(where, "lr_decay", Msg("spec.lr_decay", got=f"{out['lr_decay']:g}"))
    return out


# --- writing -----------------------------------------------------------------------------


def spec_dict(net: Network) -> dict[str, Any]:
    """The network as spec data (explicit weights), ready for TOML or JSON."""
    import numpy as np

    d: dict[str, Any] = {}
    if net.title is not None:
        d["title"] = net.title
    if net.description is not None:
        d["description"] = net.description
    d["loss"] = net.loss
    if net.half_l2:
        d["regularization"] = "half_l2"
        d["reg"] = float(net.l2)
    else:
        d["l2"] = float(net.l2)
    if net.seed is not None:
        d["seed"] = net.seed
    if net.inputs is not None:
        d["inputs"] = net.inputs
    for key in TRAIN_KEYS:
        if key in net.extra:
            d[key] = net.extra[key]
    if net.x is not None:
        d["x"] = net.x.tolist()
    if net.y is not None:
        y = np.asarray(net.y)
        d["y"] = (
            [int(v) for v in y.tolist()]
            if _all_integers(y) and y.ndim == 1 and net.loss in CLASSIFICATION
            else y.tolist()
        )
    layers = []
    for layer in net.layers:
        if layer.W is None:
            raise SpecError(f"{net.source}: internal: a layer without weights cannot be written")
        if not (np.all(np.isfinite(layer.W)) and np.all(np.isfinite(layer.b))):
            raise SpecError(
                Msg("spec.not_finite_weights"),
                hint=Msg("api.smaller_lr", lr=setting("lr")),
            )
        entry: dict[str, Any] = {"activation": layer.activation, **activation_params(layer)}
        if layer.type == "conv":
            entry = {"type": "conv", **entry, "stride": layer.stride, "pad": layer.pad}
            if layer.pool is not None:
                entry["pool"] = list(layer.pool)
        entry["W"] = layer.W.tolist()
        entry["b"] = layer.b.tolist()
        if layer.norm is not None:
            entry["norm"] = layer.norm
            entry["gamma"] = layer.gamma.tolist()
            entry["beta"] = layer.beta.tolist()
        if layer.dropout is not None:
            entry["dropout"] = float(layer.dropout)
            entry["dropout_seed"] = int(layer.dropout_seed)
        layers.append(entry)
    d["layers"] = layers
    return d


def _all_integers(y: Any) -> bool:
    import numpy as np

    return bool(np.all(np.mod(y, 1) == 0))


def dumps(net: Network, path: str, header: str | None = None) -> str:
    """The spec as text, TOML or JSON by the file name's ending."""
    d = spec_dict(net)
    if path.lower().endswith(".json"):
        return json.dumps(d, indent=2) + "\n"
    return to_toml(d, header)


def save_spec(
    net: Network, path: str, *, source: str | None = None, in_place: bool = False, header: str | None = None
) -> None:
    """Write the spec atomically; never over ``source`` (the input spec) unless ``in_place``."""
    from ..files import atomic_write, refuse_overwrite

    ext = os.path.splitext(path)[1].lower()
    if ext not in (".toml", ".json"):
        raise SpecError(Msg("cli.spec_extension", output=path))
    if source is not None:
        refuse_overwrite(path, source, in_place)
    atomic_write(path, dumps(net, path, header))


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _toml_value(v: Any, indent: str = "") -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return _toml_str(v)
    if isinstance(v, list):
        if v and isinstance(v[0], list):
            inner = indent + "  "
            return "[\n" + "".join(f"{inner}{_toml_value(r, inner)},\n" for r in v) + indent + "]"
        return "[" + ", ".join(_toml_value(r) for r in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def to_toml(d: dict[str, Any], header: str | None = None) -> str:
    lines: list[str] = []
    if header:
        lines.extend("# " + line for line in header.splitlines())
    for key, v in d.items():
        if key != "layers":
            lines.append(f"{key} = {_toml_value(v)}")
    for layer in d["layers"]:
        lines.append("")
        lines.append("[[layers]]")
        for key, v in layer.items():
            lines.append(f"{key} = {_toml_value(v)}")
    return "\n".join(lines) + "\n"
