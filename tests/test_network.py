"""Networks: specs compile to the grad graph; every activation and loss against an independent
numpy reference and central finite differences; Mazur's worked example number for number;
one gradient-descent step; spec round trips; spec errors with key paths."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from backcalc.errors import BackcalcError
from backcalc.network import compile_network, evaluate, gd_step, program
from backcalc.network.spec import ACTIVATIONS, LOSSES, dumps, initialise, load_spec, parse_spec, save_spec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").rglob("*.toml"))
NET_EXAMPLES = [p for p in EXAMPLES if "layers" in p.read_text() and "[[layers]]" in p.read_text()]


# --- an independent reference: the formulas of the README, in plain numpy ----------------


def _act(name: str, z: np.ndarray, layer: dict) -> np.ndarray:
    if name == "identity":
        return z
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0)
    if name == "leaky_relu":
        s = layer.get("slope", 0.01)
        return np.where(z > 0, z, s * z)
    if name == "elu":
        a = layer.get("alpha", 1.0)
        return np.where(z > 0, z, a * (np.exp(z) - 1))
    if name == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise AssertionError(name)


def reference_loss(spec: dict) -> float:
    x = np.atleast_2d(np.array(spec["x"], float))
    y = np.array(spec["y"], float)
    a = x
    z = x
    for layer in spec["layers"]:
        W, b = np.array(layer["W"], float), np.array(layer["b"], float)
        if layer["activation"] == "maxout":
            z = np.stack([a @ W[p].T + b[p] for p in range(W.shape[0])])
            a = z.max(axis=0)
        else:
            z = a @ W.T + b
            a = _act(layer["activation"], z, layer)
    n, c = a.shape
    loss = spec["loss"]
    if loss in ("hinge", "softmax_ce", "svm", "softmax"):
        Y = np.eye(c)[y.astype(int).reshape(-1)] if y.ndim <= 1 and y.size == n else y.reshape(n, c)
        s = z if (loss == "softmax_ce" and spec["layers"][-1]["activation"] == "softmax") else a
        if loss in ("softmax_ce", "softmax"):  # softmax: the softmax_loss gate, on the scores a
            m = s.max(axis=1, keepdims=True)
            lse = (m + np.log(np.exp(s - m).sum(axis=1, keepdims=True)))[:, 0]
            per = lse - (Y * s).sum(axis=1)
        else:
            sy = (Y * s).sum(axis=1, keepdims=True)
            per = (np.maximum(0, s - sy + 1) * (1 - Y)).sum(axis=1)
        data = per.mean()
    else:
        Y = y.reshape(n, c)
        if loss == "mse":
            data = ((a - Y) ** 2).mean()
        elif loss == "sse":
            data = ((a - Y) ** 2).sum(axis=1).mean()
        else:
            data = (0.5 * (Y - a) ** 2).sum(axis=1).mean()
    reg = spec.get("l2", 0.0) * sum((np.array(layer["W"]) ** 2).sum() for layer in spec["layers"])
    return float(data + reg)


def _spec(activation: str, loss: str, batch: bool, l2: float = 0.0, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    n_in, hidden, out = 3, 4, 3
    k = 2 if activation == "maxout" else None

    def w(o: int, i: int) -> list:
        shape = (k, o, i) if k else (o, i)
        return rng.uniform(-1, 1, shape).tolist()

    def b(o: int) -> list:
        return rng.uniform(-0.5, 0.5, (k, o) if k else (o,)).tolist()

    hid: dict = {"activation": activation, "W": w(hidden, n_in), "b": b(hidden)}
    if activation == "leaky_relu":
        hid["slope"] = 0.1
    if activation == "elu":
        hid["alpha"] = 0.7
    if activation == "maxout":
        hid["k"] = 2
    k = None
    last_act = (
        "softmax"
        if activation == "softmax"
        else ("identity" if loss in ("hinge", "softmax_ce", "svm", "softmax") else "sigmoid")
    )
    if activation == "softmax":  # softmax as the output layer
        hid = {"activation": "tanh", "W": w(hidden, n_in), "b": b(hidden)}
    last = {"activation": last_act, "W": w(out, hidden), "b": b(out)}
    x = rng.uniform(-1.5, 1.5, (5, n_in)) if batch else rng.uniform(-1.5, 1.5, n_in)
    if loss in ("hinge", "softmax_ce", "svm", "softmax"):
        y = [0, 2, 1, 1, 0] if batch else 2
    else:
        y = rng.uniform(0, 1, (5, out) if batch else out).tolist()
    return {"loss": loss, "l2": l2, "x": x.tolist(), "y": y, "layers": [hid, last]}


def _fd_check(spec: dict, h: float = 1e-6) -> None:
    net = parse_spec(spec, "case")
    ev = evaluate(net)
    assert ev.loss == pytest.approx(reference_loss(spec), rel=1e-10, abs=1e-12)
    for li, layer in enumerate(spec["layers"]):
        for key, grad in (("W", ev.layers[li].dW), ("b", ev.layers[li].db)):
            arr = np.array(layer[key], float)
            num = np.zeros_like(arr)
            for idx in np.ndindex(arr.shape):
                for sign in (1, -1):
                    pert = arr.copy()
                    pert[idx] += sign * h
                    s2 = json.loads(json.dumps(spec))
                    s2["layers"][li][key] = pert.tolist()
                    num[idx] += sign * reference_loss(s2) / (2 * h)
            np.testing.assert_allclose(grad, num, rtol=1e-5, atol=1e-7, err_msg=f"layers[{li}].{key}")


@pytest.mark.parametrize("batch", [False, True], ids=["one-example", "batch"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_activation_matches_finite_differences(activation, batch):
    _fd_check(_spec(activation, "half_sse" if activation != "softmax" else "mse", batch, seed=1))


@pytest.mark.parametrize("batch", [False, True], ids=["one-example", "batch"])
@pytest.mark.parametrize("loss", LOSSES)
def test_every_loss_matches_finite_differences(loss, batch):
    _fd_check(_spec("tanh", loss, batch, l2=0.05, seed=2))


def test_softmax_output_with_cross_entropy_matches_finite_differences():
    _fd_check(_spec("softmax", "softmax_ce", True, l2=0.01, seed=3))
    spec = _spec("softmax", "softmax_ce", True, seed=3)
    ev = evaluate(parse_spec(spec))
    # delta of the logits is (softmax - onehot) / N, the classic result
    a, y = ev.layers[-1].a, np.eye(3)[[0, 2, 1, 1, 0]]
    np.testing.assert_allclose(ev.layers[-1].delta, (a - y) / 5, atol=1e-12)


def test_one_hot_and_class_index_targets_agree():
    spec = _spec("tanh", "softmax_ce", True, seed=4)
    one_hot = dict(spec, y=np.eye(3)[spec["y"]].tolist())
    assert evaluate(parse_spec(spec)).loss == pytest.approx(evaluate(parse_spec(one_hot)).loss, rel=1e-14)


# --- Mazur's "A Step by Step Backpropagation Example", number for number -----------------

MAZUR = ROOT / "examples" / "networks" / "mazur.toml"


def test_mazur_forward_pass_and_total_error():
    ev = evaluate(load_spec(str(MAZUR)))
    l1, l2 = ev.layers
    # net_h1 = 0.3775, out_h1 = 0.593269992, out_h2 = 0.596884378
    assert l1.z[0] == pytest.approx(0.3775, abs=1e-12)
    assert l1.a[0] == pytest.approx(0.593269992, abs=1e-9)
    assert l1.a[1] == pytest.approx(0.596884378, abs=1e-9)
    # net_o1 = 1.105905967, out_o1 = 0.75136507, out_o2 = 0.772928465
    assert l2.z[0] == pytest.approx(1.105905967, abs=1e-9)
    assert l2.a[0] == pytest.approx(0.75136507, abs=1e-8)
    assert l2.a[1] == pytest.approx(0.772928465, abs=1e-9)
    # E_o1 = 0.274811083, E_o2 = 0.023560026, E_total = 0.298371109
    assert ev.loss == pytest.approx(0.298371109, abs=1e-9)
    assert ev.data_loss == ev.loss and ev.reg_loss == 0.0


def test_mazur_backward_pass_and_weights_after_one_step():
    ev = evaluate(load_spec(str(MAZUR)))
    dW2 = ev.layers[1].dW
    assert dW2[0, 0] == pytest.approx(0.082167041, abs=1e-9)  # dE/dw5
    # delta_o1 = dE/dnet_o1 = 0.138498562
    assert ev.layers[1].delta[0] == pytest.approx(0.138498562, abs=1e-9)
    dW1 = ev.layers[0].dW
    assert dW1[0, 0] == pytest.approx(0.000438568, abs=1e-9)  # dE/dw1
    new = gd_step(ev, 0.5)
    expected_W2 = [[0.35891648, 0.408666186], [0.511301270, 0.561370121]]  # w5+ w6+ / w7+ w8+
    expected_W1 = [[0.149780716, 0.19956143], [0.24975114, 0.29950229]]  # w1+ w2+ / w3+ w4+
    np.testing.assert_allclose(new.layers[1].W, expected_W2, atol=1e-9)
    np.testing.assert_allclose(new.layers[0].W, expected_W1, atol=1e-8)


def test_step_is_w_minus_lr_times_gradient_for_every_parameter():
    for path in NET_EXAMPLES:
        net = load_spec(str(path))
        if net.x is None:
            continue
        ev = evaluate(net)
        new = gd_step(ev, 0.3)
        for li, rec in enumerate(ev.layers):
            np.testing.assert_array_equal(new.layers[li].W, rec.W - 0.3 * rec.dW)
            np.testing.assert_array_equal(new.layers[li].b, rec.b - 0.3 * rec.db)
            np.testing.assert_array_equal(rec.W_new, new.layers[li].W)
        names = [p.name for p in ev.step.params]
        assert names[:2] == ["W1", "b1"]
        small = evaluate(net)
        gd_step(small, 0.01)
        assert small.step.loss_after < small.loss, path.name  # a small step goes downhill


def test_step_rejects_a_non_positive_learning_rate():
    ev = evaluate(load_spec(str(MAZUR)))
    with pytest.raises(BackcalcError, match="lr must be a positive number"):
        gd_step(ev, 0.0)


# --- one engine: the network is the grad graph ----------------------------------------------


def test_network_is_the_same_graph_grad_builds():
    from backcalc.api import grad

    net = load_spec(str(MAZUR))
    text, _, _ = program(net, False)
    ev = evaluate(net)
    values = {"W1": net.layers[0].W, "b1": net.layers[0].b, "W2": net.layers[1].W, "b2": net.layers[1].b}
    r = grad(text, values, x=net.x, y=net.y)
    assert r.value == ev.loss
    np.testing.assert_array_equal(r.gradients["W1"], ev.layers[0].dW)
    assert [n.id for n in r.nodes] == [n.id for n in ev.result.nodes]


def test_batch_program_multiplies_by_the_transpose():
    net = load_spec(str(ROOT / "examples" / "xor.toml"))
    text, _, _ = program(net, True)
    assert text.splitlines()[0] == "z1 = x @ transpose(W1) + b1"
    assert "loss = mean((a2 - y)**2)" in text


def test_l2_regularisation_splits_the_loss():
    spec = _spec("relu", "half_sse", False, l2=0.1, seed=5)
    ev = evaluate(parse_spec(spec))
    reg = 0.1 * sum((np.array(layer["W"]) ** 2).sum() for layer in spec["layers"])
    assert ev.reg_loss == pytest.approx(reg, rel=1e-12)
    assert ev.loss == pytest.approx(ev.data_loss + ev.reg_loss, rel=1e-14)
    comp = compile_network(parse_spec(spec), False)
    assert "reg_loss = 0.1 * (sum(W1 * W1) + sum(W2 * W2))" in comp.text


def test_seeded_initialisation_is_he_for_relu_and_xavier_otherwise():
    spec = {
        "loss": "mse",
        "seed": 11,
        "inputs": 400,
        "layers": [{"activation": "relu", "size": 300}, {"activation": "tanh", "size": 200}],
    }
    net = initialise(parse_spec(spec))
    W1, W2 = net.layers[0].W, net.layers[1].W
    assert W1.shape == (300, 400) and W2.shape == (200, 300)
    assert W1.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    limit = np.sqrt(6 / (300 + 200))
    assert np.abs(W2).max() <= limit and np.abs(W2).max() > 0.95 * limit
    assert not net.layers[0].b.any()
    again = initialise(parse_spec(spec))
    np.testing.assert_array_equal(again.layers[0].W, W1)  # the seed fixes the weights


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", NET_EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("ext", [".toml", ".json"])
def test_spec_round_trip_gives_the_same_network(path, ext, tmp_path):
    net = initialise(load_spec(str(path)))
    out = tmp_path / ("copy" + ext)
    save_spec(net, str(out))
    again = load_spec(str(out))
    assert again.loss == net.loss and again.l2 == net.l2
    assert len(again.layers) == len(net.layers)
    for a, b in zip(again.layers, net.layers):
        assert a.activation == b.activation and (a.slope, a.alpha, a.k) == (b.slope, b.alpha, b.k)
        np.testing.assert_array_equal(a.W, b.W)
        np.testing.assert_array_equal(a.b, b.b)
    if net.x is not None:
        np.testing.assert_array_equal(again.x, net.x)
        np.testing.assert_array_equal(again.y, net.y)
        assert evaluate(again).loss == evaluate(net).loss
    # and saving again gives the same text
    out2 = tmp_path / ("copy2" + ext)
    save_spec(again, str(out2))
    assert out2.read_text() == out.read_text()


def test_json_spec_loads_like_toml(tmp_path):
    net = load_spec(str(MAZUR))
    p = tmp_path / "m.json"
    p.write_text(dumps(net, "m.json"))
    assert evaluate(load_spec(str(p))).loss == evaluate(net).loss


# --- spec errors: file, key path, what was expected -----------------------------------------

BASE = {
    "loss": "half_sse",
    "x": [0.05, 0.10],
    "y": [0.01, 0.99],
    "layers": [
        {"activation": "sigmoid", "W": [[0.15, 0.20], [0.25, 0.30]], "b": [0.35, 0.35]},
        {"activation": "sigmoid", "W": [[0.40, 0.45], [0.50, 0.55]], "b": [0.60, 0.60]},
    ],
}


def _broken(**changes) -> dict:
    spec = json.loads(json.dumps(BASE))
    for path, value in changes.items():
        target = spec
        keys = path.split("__")
        for k in keys[:-1]:
            target = target[int(k)] if k.isdigit() else target[k]
        last = keys[-1]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
    return spec


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {"layers__1__W": [[0.4, 0.45, 0.1], [0.5, 0.55, 0.1]]},
            "layer 2.W: has 3 columns, but there are 2 outputs of layer 1: expected shape (2, 2)",
        ),
        ({"layers__0__b": [0.35]}, "layer 1.b: expected shape (2,)"),
        ({"layers__0__activation": "sigmoed"}, "layer 1.activation: unknown activation 'sigmoed'"),
        ({"loss": "cross_entropy"}, "loss: unknown loss 'cross_entropy'"),
        ({"loss": KeyError}, "loss: missing key"),
        ({"layers__1__activation": KeyError}, "layer 2.activation: missing key"),
        ({"layers__0__b": KeyError}, "layer 1.b: missing key"),
        ({"layers__0__W": [[0.15, 0.2], [0.25]]}, "layer 1.W: ragged array"),
        ({"layers__0__W": [["a", 0.2], [0.25, 0.3]]}, "layer 1.W: 'a' is not a number"),
        ({"y": [0.01, 0.99, 0.5]}, "y: expected targets of shape (2,)"),
        ({"layers__0__wieghts": 1}, "layer 1.wieghts: unknown key"),
        ({"lr": 0.5}, "lr: unknown key"),
        ({"layers__0__slope": 0.1}, "layer 1.slope: 'slope' is a parameter of leaky_relu, not of sigmoid"),
        ({"l2": -1}, "l2: expected a number >= 0"),
        ({"layers": []}, "layers: expected a non-empty list"),
    ],
)
def test_spec_errors_name_the_key_path_and_what_was_expected(changes, expected):
    with pytest.raises(BackcalcError) as info:
        parse_spec(_broken(**changes), "spec.toml")
    assert info.value.message.startswith("spec.toml: ")
    assert expected in info.value.message


def test_unknown_activation_and_loss_suggest_the_closest():
    with pytest.raises(BackcalcError) as info:
        parse_spec(_broken(layers__0__activation="sigmoed"), "s.toml")
    assert "did you mean 'sigmoid'?" in info.value.hint
    with pytest.raises(BackcalcError) as info:
        parse_spec(_broken(loss="half_sse2"), "s.toml")
    assert "did you mean 'half_sse'?" in info.value.hint


def test_classification_label_out_of_range_names_the_row():
    spec = _spec("tanh", "softmax_ce", True)
    spec["y"] = [0, 2, 3, 1, 0]
    with pytest.raises(BackcalcError, match=r"y\[2\]: class label 3 is not a whole number from 0 to 2"):
        parse_spec(spec, "c.toml")


def test_unreadable_spec_files(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("loss = \n")
    with pytest.raises(BackcalcError, match="bad.toml: not valid TOML"):
        load_spec(str(bad))
    with pytest.raises(BackcalcError, match="unknown kind of spec file"):
        load_spec(str(tmp_path / "net.yaml"))
    with pytest.raises(BackcalcError, match="cannot read the spec"):
        load_spec(str(tmp_path / "missing.toml"))


def test_size_only_spec_needs_the_number_of_inputs():
    spec = {"loss": "mse", "layers": [{"activation": "relu", "size": 3}]}
    with pytest.raises(BackcalcError, match="cannot tell the number of inputs"):
        initialise(parse_spec(spec, "s.toml"))


def test_public_net_api_from_a_path_and_from_a_mapping():
    from pathlib import Path

    import backcalc

    spec = Path(__file__).resolve().parent.parent / "examples" / "networks" / "mazur.toml"
    ev = backcalc.net(str(spec))
    assert round(ev.loss, 9) == 0.298371109
    ev2 = backcalc.net(
        {
            "loss": "half_sse",
            "x": [0.05, 0.10],
            "y": [0.01, 0.99],
            "layers": [
                {"activation": "sigmoid", "W": [[0.15, 0.20], [0.25, 0.30]], "b": [0.35, 0.35]},
                {"activation": "sigmoid", "W": [[0.40, 0.45], [0.50, 0.55]], "b": [0.60, 0.60]},
            ],
        }
    )
    assert ev2.loss == ev.loss
