"""Update rules, as cs231n's ``optim.py`` writes them: ``sgd``, ``sgd_momentum``, ``rmsprop``, ``adam``.

Each rule is ``rule(w, dw, config) -> (next_w, config)``: ``config`` holds the hyperparameters
(defaults filled in as cs231n does: learning rate 1e-2, momentum 0.9, decay rate 0.99,
β1 0.9, β2 0.999, epsilon 1e-8) and the rule's state (``velocity``; ``cache``; ``m``, ``v``
and ``t``, which adam increments before it uses it).  The returned config is a new dict with
the new state; the arrays passed in are not changed.

:class:`Updater` runs a rule inside training (one state per parameter, in place), with the
learning rate multiplied by ``lr_decay`` after every epoch, as cs231n's ``Solver`` does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import BackcalcError, Msg, setting

# hyperparameters of each rule with cs231n's defaults, and the state it keeps
DEFAULTS: dict[str, dict[str, float]] = {
    "sgd": {"learning_rate": 1e-2},
    "sgd_momentum": {"learning_rate": 1e-2, "momentum": 0.9},
    "rmsprop": {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
    "adam": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
}
STATE: dict[str, tuple[str, ...]] = {
    "sgd": (),
    "sgd_momentum": ("velocity",),
    "rmsprop": ("cache",),
    "adam": ("m", "v", "t"),
}
RULES = tuple(DEFAULTS)


def _np() -> Any:
    import numpy as np

    return np


def sgd(w: Any, dw: Any, config: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
    """w - learning_rate * dw."""
    config = _config("sgd", config)
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w: Any, dw: Any, config: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
    """v = momentum * v - learning_rate * dw; w + v (v starts at zeros)."""
    np = _np()
    config = _config("sgd_momentum", config)
    v = config.get("velocity")
    v = np.zeros_like(w) if v is None else v
    v = config["momentum"] * v - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def rmsprop(w: Any, dw: Any, config: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
    """cache = decay * cache + (1 - decay) * dw²; w - learning_rate * dw / (sqrt(cache) + eps)."""
    np = _np()
    config = _config("rmsprop", config)
    cache = config.get("cache")
    cache = np.zeros_like(w) if cache is None else cache
    d = config["decay_rate"]
    cache = d * cache + (1 - d) * dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def adam(w: Any, dw: Any, config: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
    """t += 1; m, v moving averages of dw and dw²; bias-corrected; w - lr * m̂ / (sqrt(v̂) + eps)."""
    np = _np()
    config = _config("adam", config)
    m = config.get("m")
    v = config.get("v")
    m = np.zeros_like(w) if m is None else m
    v = np.zeros_like(w) if v is None else v
    b1, b2 = config["beta1"], config["beta2"]
    t = int(config.get("t", 0)) + 1  # incremented before use, as cs231n's solution does
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw**2
    mt = m / (1 - b1**t)
    vt = v / (1 - b2**t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"]), config


FUNCTIONS: dict[str, Callable[..., tuple[Any, dict[str, Any]]]] = {
    "sgd": sgd,
    "sgd_momentum": sgd_momentum,
    "rmsprop": rmsprop,
    "adam": adam,
}


def rule(name: str) -> Callable[..., tuple[Any, dict[str, Any]]]:
    """The update rule called ``name``; an unknown name is a clear error."""
    if name not in FUNCTIONS:
        import difflib

        close = difflib.get_close_matches(name, RULES, n=1)
        raise BackcalcError(
            Msg("optim.unknown_rule", name=name, rules=", ".join(RULES)),
            hint=Msg("usage.did_you_mean", name=close[0]) if close else None,
        )
    return FUNCTIONS[name]


def _config(name: str, config: dict[str, Any] | None) -> dict[str, Any]:
    """A copy of ``config`` with the rule's defaults filled in, every setting checked."""
    out = dict(config or {})
    known = set(DEFAULTS[name]) | set(STATE[name])
    for key in out:
        if key not in known:
            raise BackcalcError(
                Msg("optim.unknown_setting", rule=name, key=key, known=", ".join(sorted(known)))
            )
    for key, default in DEFAULTS[name].items():
        out.setdefault(key, default)
        v = out[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise BackcalcError(Msg("optim.finite", rule=name, key=key, got=repr(v)))
    if out["learning_rate"] <= 0:
        raise BackcalcError(Msg("optim.lr_positive", rule=name, got=out["learning_rate"]))
    if "t" in out:
        t = out["t"]
        if isinstance(t, bool) or not isinstance(t, int) and not (isinstance(t, float) and t.is_integer()):
            raise BackcalcError(Msg("optim.t_whole", rule=name, got=repr(t)))
        if t < 0:
            raise BackcalcError(Msg("optim.t_negative", rule=name, got=t))
        out["t"] = int(t)
    return out


def check_state(name: str, w: Any, config: dict[str, Any]) -> None:
    """Every state array must have w's shape."""
    np = _np()
    for key in STATE[name]:
        if key == "t" or config.get(key) is None:
            continue
        if np.shape(config[key]) != np.shape(w):
            raise BackcalcError(
                Msg(
                    "optim.state_shape",
                    rule=name,
                    key=key,
                    shape=tuple(np.shape(config[key])),
                    w=tuple(np.shape(w)),
                )
            )


class Updater:
    """A rule applied to every parameter of a network during training, each with its own state.

    ``seed`` is what backward starts from: plain sgd multiplies by the learning rate there (so
    the gradients arrive already scaled and the update is one in-place subtraction); the
    other rules need the raw gradient.  ``end_epoch`` applies the learning-rate decay."""

    def __init__(self, name: str, lr: float, lr_decay: float = 1.0) -> None:
        rule(name)
        if not (lr > 0 and math.isfinite(lr)):
            raise BackcalcError(Msg("train.lr_positive", lr=setting("lr"), got=f"{lr:g}"))
        if not (0 < lr_decay <= 1 and math.isfinite(lr_decay)):
            raise BackcalcError(
                Msg("optim.lr_decay", setting=setting("lr_decay", "lr_decay"), got=f"{lr_decay:g}")
            )
        self.name = name
        self.lr = lr
        self.lr_decay = lr_decay
        self.configs: dict[str, dict[str, Any]] = {}

    @property
    def seed(self) -> float:
        return self.lr if self.name == "sgd" else 1.0

    def apply(self, key: str, p: Any, g: Any) -> None:
        """Update the parameter ``p`` (in place) with its gradient ``g`` (scaled by lr for sgd)."""
        np = _np()
        if self.name == "sgd":
            np.subtract(p, g, out=p)
            return
        config = self.configs.get(key, {})
        config["learning_rate"] = self.lr
        new, config = FUNCTIONS[self.name](p, g, config)
        self.configs[key] = config
        p[...] = new

    def end_epoch(self) -> None:
        self.lr *= self.lr_decay


@dataclass
class UpdateStep:
    """One update on its own (``backcalc step``): the rule, its settings, the next w, the new state."""

    rule: str
    config: dict[str, float]  # the hyperparameters used (defaults filled in)
    w: Any
    dw: Any
    next_w: Any
    state: dict[str, Any]  # the new state: velocity; cache; m, v, t


def one_step(
    name: str,
    values: dict[str, Any],
    configs: dict[str, dict[str, Any]] | None = None,
    settings: dict[str, Any] | None = None,
    *,
    w: str = "w",
    dw: str = "dw",
    config: str = "config",
) -> UpdateStep:
    """One update of rule ``name`` as cs231n's notebooks check it: w and dw are the values named
    ``w`` and ``dw``; the rule's settings and state come from the dictionary named ``config``
    (``config = {'learning_rate': 1e-3, 'velocity': v}``), else from values of those names
    (``velocity``, ``cache``, ``m``, ``v``, ``t``, ``learning_rate``, ...); ``settings`` override both."""
    from ..values import coerce

    fn = rule(name)
    np = _np()
    missing = [n for n in (w, dw) if n not in values]
    if missing:
        have = ", ".join(values) or Msg("optim.none")
        raise BackcalcError(
            Msg("optim.missing", rule=name, name=missing[0], have=have),
            hint=Msg("optim.missing_hint", w=w, dw=dw),
        )
    W = coerce(w, values[w])
    dW = coerce(dw, values[dw])
    if np.shape(W) != np.shape(dW):
        raise BackcalcError(
            Msg(
                "optim.dw_shape",
                rule=name,
                dw=dw,
                dw_shape=tuple(np.shape(dW)),
                w=w,
                w_shape=tuple(np.shape(W)),
            )
        )
    keys = set(DEFAULTS[name]) | set(STATE[name])
    cfg: dict[str, Any] = {}
    if configs and config in configs:
        cfg.update(configs[config])
    else:
        cfg.update({k: v for k, v in values.items() if k in keys and k not in (w, dw)})
    cfg.update(settings or {})
    for key in STATE[name]:
        if key != "t" and cfg.get(key) is not None:
            cfg[key] = coerce(key, cfg[key])
    check_state(name, W, cfg)
    next_w, new = fn(W, dW, cfg)
    if not np.all(np.isfinite(next_w)):
        raise BackcalcError(Msg("optim.overflow", rule=name))
    hyper = {k: float(new[k]) for k in DEFAULTS[name]}
    state = {k: new[k] for k in STATE[name]}
    return UpdateStep(name, hyper, W, dW, next_w, state)


__all__ = [
    "UpdateStep",
    "one_step",
    "DEFAULTS",
    "RULES",
    "STATE",
    "Updater",
    "adam",
    "rmsprop",
    "rule",
    "sgd",
    "sgd_momentum",
]
