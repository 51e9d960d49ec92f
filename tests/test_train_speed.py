"""The fast paths of the array engine and of training give the same numbers as the plain
ones: the finiteness test by a sum, the unchecked transpose, one np.errstate per pass, the
spread and mean VJPs, the pruned pass's shared zeros, the update through a buffer, and the
final loss computed when first read."""

from __future__ import annotations

import numpy as np
import pytest

from backcalc import grad
from backcalc.engine import _finite_array, backward, compile_text, forward, needed
from backcalc.network import train
from backcalc.network.model import compile_network, param_values
from backcalc.network.spec import Layer, Network
from backcalc.ops import OPS


def _central(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    d = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += h
        xm[idx] -= h
        d[idx] = (f(xp) - f(xm)) / (2 * h)
    return d


@pytest.mark.parametrize(
    "x, finite",
    [
        (np.array([1.0, 2.0]), True),
        (np.array([1e308, 1e308]), True),  # the sum overflows, every element is finite
        (np.array([1.0, np.inf]), False),
        (np.array([np.inf, -np.inf]), False),
        (np.array([1.0, np.nan]), False),
        (np.zeros((0, 3)), True),
        (np.asfortranarray(np.ones((3, 4))).T, True),
        (3.0, True),
        (float("inf"), False),
    ],
)
def test_finiteness_by_a_sum_agrees_with_the_element_test(x, finite):
    with np.errstate(all="ignore"):  # as in the forward pass
        assert _finite_array(x) is finite
    assert finite == bool(np.all(np.isfinite(x)))


def test_a_sum_that_overflows_is_no_false_warning_but_a_real_overflow_warns():
    assert not grad("x + 0", x=[1e308, 1e308]).warnings
    r = grad("sum(x * 10)", x=[1e308, 1.0])
    assert any("overflowed to infinity" in w for w in r.warnings)


def test_transpose_is_not_checked_but_its_consumer_still_warns():
    assert OPS["transpose"].moves and not OPS["matmul"].moves
    r = grad("sum(transpose(x) * 1e10)", x=[[1e300, 1.0], [2.0, 3.0]])
    assert any("overflowed" in w for w in r.warnings)
    assert not grad("sum(transpose(x))", x=[[1.0, 2.0], [3.0, 4.0]]).warnings


def test_numpys_error_state_is_restored_after_a_pass_and_after_an_error():
    before = np.geterr()
    g = compile_text("sum(exp(x) @ y)", {"x", "y"})
    fwd = forward(g, {"x": np.ones((2, 3)), "y": np.ones((3, 2))})
    backward(g, fwd)
    assert np.geterr() == before
    with pytest.raises(Exception, match="shape mismatch"):
        forward(g, {"x": np.ones((2, 3)), "y": np.ones((2, 2))})
    assert np.geterr() == before


@pytest.mark.parametrize("text", ["mean(x)", "mean(x, 0)", "mean(x, 1)", "sum(x, 0)", "sum(x, -1)", "sum(x)"])
def test_sum_and_mean_vjps_equal_spreading_then_dividing_and_finite_differences(text):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    w = rng.standard_normal(np.shape(grad(text, x=x).value))
    wt = f"sum(w * {text})" if np.ndim(w) else f"{float(w)!r} * {text}"
    r = grad(wt, x=x, **({"w": w} if np.ndim(w) else {}))
    axis = None if "," not in text else int(text.split(",")[1].strip(" )"))
    n = x.size if axis is None else x.shape[axis]
    g = w if axis is None else np.expand_dims(w, axis)
    plain = np.broadcast_to(g, x.shape).copy() / (n if text.startswith("mean") else 1)
    np.testing.assert_allclose(r.gradients["x"], plain, rtol=1e-12, atol=1e-15)

    def f(xv: np.ndarray) -> float:
        return float(grad(wt, x=xv, **({"w": w} if np.ndim(w) else {})).value)

    np.testing.assert_allclose(r.gradients["x"], _central(f, x), rtol=1e-6, atol=1e-8)


def _net(rng: np.random.Generator) -> Network:
    return Network(
        loss="softmax_ce",
        layers=[
            Layer("relu", W=rng.standard_normal((5, 4)) * 0.5, b=rng.standard_normal(5) * 0.1),
            Layer("identity", W=rng.standard_normal((3, 5)) * 0.5, b=np.zeros(3)),
        ],
        source="test",
    )


def test_a_pruned_pass_gives_the_data_a_read_only_zero_and_the_same_parameter_gradients():
    rng = np.random.default_rng(1)
    net = _net(rng)
    g = compile_network(net, True).graph
    X, Y = rng.standard_normal((6, 4)), np.eye(3)[rng.integers(0, 3, 6)]
    values = {**param_values(net), "x": X, "y": Y}
    fwd = forward(g, values)
    full = backward(g, fwd)
    pruned = backward(g, fwd, None, needed(g, list(param_values(net))))
    zx = pruned.upstream[g.inputs["x"]]
    assert zx.shape == X.shape and not zx.any() and not zx.flags.writeable
    for name in param_values(net):
        i = g.inputs[name]
        np.testing.assert_allclose(pruned.upstream[i], full.upstream[i], rtol=1e-12, atol=0)


def test_training_steps_equal_the_plain_update_w_minus_lr_times_the_gradient():
    rng = np.random.default_rng(2)
    net = _net(rng)
    X, Y = rng.standard_normal((8, 4)), np.eye(3)[rng.integers(0, 3, 8)]
    lr = 0.1
    tr = train(net, X, Y, epochs=3, batch=3, lr=lr, seed=5)
    # the same steps by hand: full backward pass, fresh arrays, w - lr * dw
    g = compile_network(net, True).graph
    values = {k: np.array(v) for k, v in param_values(net).items()}
    order_rng = np.random.default_rng(5)
    for _ in range(3):
        order = order_rng.permutation(8)
        for start in range(0, 8, 3):
            idx = order[start : start + 3]
            values["x"], values["y"] = X[idx], Y[idx]
            up = backward(g, forward(g, values)).upstream
            for name in param_values(net):
                values[name] = values[name] - lr * up[g.inputs[name]]
    for li, layer in enumerate(tr.net.layers):
        np.testing.assert_allclose(layer.W, values[f"W{li + 1}"], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(layer.b, values[f"b{li + 1}"], rtol=1e-12, atol=1e-15)
        assert layer.W.flags.c_contiguous


def test_the_final_loss_is_computed_when_first_read_and_is_the_loss_on_all_the_data():
    rng = np.random.default_rng(3)
    net = _net(rng)
    X, Y = rng.standard_normal((7, 4)), np.eye(3)[rng.integers(0, 3, 7)]
    tr = train(net, X, Y, epochs=2, batch=4, lr=0.05, seed=0)
    assert callable(tr.final)  # not computed yet
    g = compile_network(tr.net, True).graph
    expected = float(forward(g, {**param_values(tr.net), "x": X, "y": Y}).values[g.output])
    tr.net.layers[0].b[:] = 99.0  # the trained net's arrays are copies: the loss does not move
    assert tr.final_loss == pytest.approx(expected, rel=1e-12)
    assert tr.final == tr.final_loss  # computed once, kept
