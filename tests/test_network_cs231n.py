"""cs231n networks in specs: integer labels with the loss gates (svm, softmax), both L2
conventions named in the spec, batchnorm/layernorm layers, dropout; against plain numpy
references and central differences, and the two-layer net's published toy loss."""

from __future__ import annotations

import json
import pathlib
import subprocess

import numpy as np
import pytest
from typer.testing import CliRunner

from backcalc.cli import app
from backcalc.network.model import evaluate, gd_step
from backcalc.network.spec import SpecError, dumps, load_spec, parse_spec

ROOT = pathlib.Path(__file__).resolve().parent.parent
TWO_LAYER = ROOT / "examples" / "cs231n" / "two_layer_net.toml"


def _norm(z, axis, gamma, beta):
    mu = z.mean(axis=axis, keepdims=True)
    var = z.var(axis=axis, keepdims=True)
    return gamma * (z - mu) / np.sqrt(var + 1e-5) + beta


def reference(spec: dict) -> float:
    """affine - [norm] - relu/identity - [dropout] ... - svm/softmax loss + regularization, in numpy."""
    a = np.array(spec["x"], float)
    y = np.array(spec["y"]).astype(int)
    for layer in spec["layers"]:
        W, b = np.array(layer["W"], float), np.array(layer["b"], float)
        z = a @ W.T + b
        if "norm" in layer:
            out = W.shape[0]
            gamma = np.array(layer.get("gamma", np.ones(out)), float)
            beta = np.array(layer.get("beta", np.zeros(out)), float)
            z = _norm(z, 0 if layer["norm"] == "batchnorm" else 1, gamma, beta)
        a = np.maximum(z, 0) if layer["activation"] == "relu" else z
        if "dropout" in layer:
            p = layer["dropout"]
            mask = (np.random.RandomState(layer.get("dropout_seed", 0)).rand(*a.shape) < p) / p
            a = a * mask
    n = a.shape[0]
    if spec["loss"] == "svm":
        m = np.maximum(0, a - a[np.arange(n), y][:, None] + 1)
        m[np.arange(n), y] = 0
        data = m.sum() / n
    else:
        s = a - a.max(axis=1, keepdims=True)
        data = -(s[np.arange(n), y] - np.log(np.exp(s).sum(axis=1))).mean()
    sq = sum(float((np.array(layer["W"]) ** 2).sum()) for layer in spec["layers"])
    if "l2" in spec:
        return float(data + spec["l2"] * sq)
    if "reg" in spec:
        return float(data + (0.5 if spec["regularization"] == "half_l2" else 1.0) * spec["reg"] * sq)
    return float(data)


def _spec(loss="softmax", norm=None, dropout=None, reg=None, seed=0) -> dict:
    rng = np.random.default_rng(seed)
    hid = {
        "activation": "relu",
        "W": rng.normal(0, 0.5, (5, 4)).tolist(),
        "b": rng.normal(0, 0.1, 5).tolist(),
    }
    if norm:
        hid.update(norm=norm, gamma=rng.uniform(0.5, 1.5, 5).tolist(), beta=rng.normal(0, 0.2, 5).tolist())
    if dropout:
        hid.update(dropout=dropout, dropout_seed=7)
    last = {"activation": "identity", "W": rng.normal(0, 0.5, (3, 5)).tolist(), "b": [0.1, -0.2, 0.0]}
    spec = {
        "loss": loss,
        "x": rng.normal(0, 2, (6, 4)).tolist(),
        "y": [0, 2, 1, 1, 0, 2],
        "layers": [hid, last],
    }
    if reg:
        spec.update(reg)
    return spec


def _fd(spec: dict, li: int, key: str, h: float = 1e-6) -> np.ndarray:
    arr = np.array(spec["layers"][li][key], float)
    num = np.zeros_like(arr)
    for idx in np.ndindex(arr.shape):
        for sign in (1, -1):
            s2 = json.loads(json.dumps(spec))
            pert = arr.copy()
            pert[idx] += sign * h
            s2["layers"][li][key] = pert.tolist()
            num[idx] += sign * reference(s2) / (2 * h)
    return num


CASES = {
    "softmax": _spec(),
    "svm": _spec("svm", seed=1),
    "batchnorm": _spec(norm="batchnorm", seed=2),
    "layernorm": _spec(norm="layernorm", seed=3),
    "dropout": _spec(dropout=0.6, seed=4),
    "l2": _spec(reg={"reg": 0.1, "regularization": "l2"}, seed=5),
    "half_l2": _spec(reg={"reg": 0.1, "regularization": "half_l2"}, seed=6),
    "l2 (old key)": _spec(reg={"l2": 0.1}, seed=7),
}


@pytest.mark.parametrize("case", list(CASES))
def test_cs231n_spec_loss_and_gradients_match_numpy_and_central_differences(case):
    spec = CASES[case]
    ev = evaluate(parse_spec(spec, "case"))
    assert ev.loss == pytest.approx(reference(spec), rel=1e-12)
    for li in range(2):
        np.testing.assert_allclose(ev.layers[li].dW, _fd(spec, li, "W"), rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(ev.layers[li].db, _fd(spec, li, "b"), rtol=1e-5, atol=1e-7)
    if "norm" in spec["layers"][0]:
        np.testing.assert_allclose(ev.layers[0].dgamma, _fd(spec, 0, "gamma"), rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(ev.layers[0].dbeta, _fd(spec, 0, "beta"), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(("form", "factor"), [("l2", 2.0), ("half_l2", 1.0)])
def test_the_two_l2_conventions_add_their_own_weight_gradient(form, factor):
    plain = evaluate(parse_spec(_spec(seed=8)))
    reg = evaluate(parse_spec(_spec(reg={"reg": 0.3, "regularization": form}, seed=8)))
    for a, b in zip(plain.layers, reg.layers):
        np.testing.assert_allclose(b.dW - a.dW, factor * 0.3 * a.W, rtol=1e-10, atol=1e-14)
    assert ("0.5 * 0.3 *" in reg.compiled.text) == (form == "half_l2")


def test_two_layer_net_toy_loss_is_the_notebooks_correct_loss():
    # two_layer_net.ipynb (2017): "correct_loss = 1.30378789133" with reg = 0.05
    ev = evaluate(load_spec(str(TWO_LAYER)))
    assert ev.loss == pytest.approx(1.30378789133, abs=1e-10)
    assert "softmax_loss(z2, y)" in ev.compiled.text


def test_two_layer_net_gradients_match_the_notebooks_formulas():
    net = load_spec(str(TWO_LAYER))
    ev = evaluate(net)
    X, y = net.x, np.array([0, 1, 2, 2, 1])
    W1, W2 = net.layers[0].W.T, net.layers[1].W.T  # the notebook's (in, out)
    h = np.maximum(0, X @ W1)
    s = h @ W2
    p = np.exp(s - s.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    p[np.arange(5), y] -= 1
    ds = p / 5
    dW2 = h.T @ ds + 2 * 0.05 * W2
    dh = ds @ W2.T * (h > 0)
    dW1 = X.T @ dh + 2 * 0.05 * W1
    np.testing.assert_allclose(ev.layers[1].dW, dW2.T, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ev.layers[0].dW, dW1.T, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(ev.layers[0].db, dh.sum(0), rtol=1e-10, atol=1e-14)


def test_one_example_with_a_loss_gate_is_a_batch_of_one():
    spec = _spec("svm", seed=9)
    one = dict(spec, x=spec["x"][0], y=spec["y"][0])
    ev = evaluate(parse_spec(one))
    assert ev.loss == pytest.approx(reference(dict(spec, x=[spec["x"][0]], y=[spec["y"][0]])), rel=1e-12)


def test_a_step_updates_gamma_and_beta_too():
    spec = _spec(norm="batchnorm", seed=10)
    ev = evaluate(parse_spec(spec))
    new = gd_step(ev, 0.1)
    names = [p.name for p in ev.step.params]
    assert names == ["W1", "b1", "gamma1", "beta1", "W2", "b2"]
    np.testing.assert_allclose(
        new.layers[0].gamma, np.array(spec["layers"][0]["gamma"]) - 0.1 * ev.layers[0].dgamma
    )


def test_spec_round_trip_keeps_norm_dropout_and_the_regularization():
    spec = _spec(norm="layernorm", dropout=0.5, reg={"reg": 0.2, "regularization": "half_l2"}, seed=11)
    net = parse_spec(spec)
    again = parse_spec(__import__("tomllib").loads(dumps(net, "out.toml")))
    assert again.layers[0].norm == "layernorm" and again.layers[0].dropout == 0.5
    assert again.half_l2 and again.l2 == 0.2
    assert evaluate(again).loss == pytest.approx(evaluate(net).loss, rel=1e-15)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reg": 0.1}, "regularization: missing key: name the convention of reg"),
        ({"reg": 0.1, "regularization": "l1"}, "unknown regularization 'l1'"),
        ({"reg": 0.1, "regularization": "l2", "l2": 0.1}, "give either l2 = ... or reg = ..."),
        ({"regularization": "l2"}, "reg: missing key"),
    ],
)
def test_regularization_must_be_named(change, message):
    with pytest.raises(SpecError) as e:
        parse_spec({**_spec(), **change}, "s.toml")
    assert message in e.value.message


def test_layer_errors_name_the_key():
    spec = _spec(norm="batchnorm")
    with pytest.raises(SpecError, match=r"layer 1.norm: batchnorm normalises over a batch"):
        parse_spec(dict(spec, x=spec["x"][0], y=0))
    bad = json.loads(json.dumps(_spec()))
    bad["layers"][1]["dropout"] = 0.5
    with pytest.raises(SpecError, match=r"layer 2.dropout: dropout goes after a hidden layer"):
        parse_spec(bad)
    bad = json.loads(json.dumps(_spec()))
    bad["layers"][0]["gamma"] = [1.0] * 5
    with pytest.raises(SpecError, match=r"layer 1.gamma: 'gamma' belongs to a norm"):
        parse_spec(bad)
    bad = json.loads(json.dumps(_spec(norm="batchnorm")))
    bad["layers"][0]["gamma"] = [1.0] * 4
    with pytest.raises(SpecError, match=r"layer 1.gamma: expected shape \(5,\)"):
        parse_spec(bad)
    with pytest.raises(SpecError, match=r"y\[1\]: class label 3 is not a whole number from 0 to 2"):
        parse_spec(dict(_spec("svm"), y=[0, 3, 1, 1, 0, 2]))


def test_net_command_prints_the_two_layer_net(tmp_path):
    res = CliRunner().invoke(app, ["net", str(TWO_LAYER), "-f", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["loss"] == pytest.approx(1.30378789133, abs=1e-10)
    proc = subprocess.run(["backcalc", "net", str(TWO_LAYER), "-f", "table"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "1.304" in proc.stdout and "l2 = 0.05" in proc.stdout


def test_train_trains_gamma_and_beta_and_writes_them(tmp_path):
    spec = _spec(norm="batchnorm", seed=12)
    path = tmp_path / "bn.json"
    path.write_text(json.dumps(spec))
    out = tmp_path / "trained.toml"
    res = CliRunner().invoke(
        app, ["train", str(path), "--epochs", "3", "--lr", "0.1", "-o", str(out), "-f", "json"]
    )
    assert res.exit_code == 0, res.output
    trained = load_spec(str(out))
    assert trained.layers[0].norm == "batchnorm"
    assert not np.allclose(trained.layers[0].gamma, spec["layers"][0]["gamma"])


# --- conv layers for small images ---------------------------------------------------------


def _conv_spec(seed=13, pool=True) -> dict:
    rng = np.random.default_rng(seed)
    conv = {
        "type": "conv",
        "activation": "relu",
        "W": rng.normal(0, 0.5, (2, 1, 3, 3)).tolist(),
        "b": [0.1, -0.1],
        "stride": 1,
        "pad": 1,
    }
    if pool:
        conv["pool"] = [2, 2, 2]
    feats = 2 * (2 if pool else 4) ** 2
    return {
        "loss": "softmax",
        "reg": 0.01,
        "regularization": "half_l2",
        "x": rng.normal(size=(2, 1, 4, 4)).tolist(),
        "y": [1, 0],
        "layers": [
            conv,
            {"activation": "identity", "W": rng.normal(0, 0.5, (3, feats)).tolist(), "b": [0.0, 0.1, 0.2]},
        ],
    }


def conv_reference(spec: dict) -> float:
    from test_layers import ref_conv, ref_pool

    conv, fc = spec["layers"]
    x = np.array(spec["x"], float)
    a = np.maximum(ref_conv(x, np.array(conv["W"]), np.array(conv["b"]), conv["stride"], conv["pad"]), 0)
    if "pool" in conv:
        a = ref_pool(a, *conv["pool"])
    s = a.reshape(a.shape[0], -1) @ np.array(fc["W"]).T + np.array(fc["b"])
    y = np.array(spec["y"])
    s = s - s.max(axis=1, keepdims=True)
    data = -(s[np.arange(len(y)), y] - np.log(np.exp(s).sum(axis=1))).mean()
    sq = sum(float((np.array(layer["W"]) ** 2).sum()) for layer in spec["layers"])
    return float(data + 0.5 * spec["reg"] * sq)


@pytest.mark.parametrize("pool", [True, False])
def test_conv_layer_spec_matches_the_naive_reference_and_central_differences(pool):
    spec = _conv_spec(pool=pool)
    ev = evaluate(parse_spec(spec, "conv"))
    assert ev.loss == pytest.approx(conv_reference(spec), rel=1e-12)
    assert ("maxpool(a1, 2, 2, 2)" in ev.compiled.text) == pool
    assert "affine(" in ev.compiled.text
    for li in range(2):
        for key, got in (("W", ev.layers[li].dW), ("b", ev.layers[li].db)):
            arr = np.array(spec["layers"][li][key], float)
            num = np.zeros_like(arr)
            for idx in np.ndindex(arr.shape):
                for sign in (1, -1):
                    s2 = json.loads(json.dumps(spec))
                    pert = arr.copy()
                    pert[idx] += sign * 1e-6
                    s2["layers"][li][key] = pert.tolist()
                    num[idx] += sign * conv_reference(s2) / 2e-6
            np.testing.assert_allclose(got, num, rtol=1e-5, atol=1e-7, err_msg=f"layers[{li}].{key}")


def test_conv_spec_steps_trains_and_round_trips(tmp_path):
    spec = _conv_spec()
    net = parse_spec(spec)
    again = parse_spec(__import__("tomllib").loads(dumps(net, "c.toml")))
    assert again.layers[0].type == "conv" and again.layers[0].pool == (2, 2, 2)
    ev = evaluate(net)
    new = gd_step(ev, 0.1)
    assert ev.step.loss_after < ev.loss
    np.testing.assert_allclose(new.layers[0].W, net.layers[0].W - 0.1 * ev.layers[0].dW)
    path = tmp_path / "conv.json"
    path.write_text(json.dumps(spec))
    res = CliRunner().invoke(app, ["net", str(path), "-f", "table"])
    assert res.exit_code == 0, res.output
    assert "1×4×4-2×2×2-3 network" in res.output and "conv(x, W1, b1, stride 1, pad 1)" in res.output
    res = CliRunner().invoke(app, ["train", str(path), "--epochs", "2", "--lr", "0.05", "-f", "json"])
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: s["layers"][0].update(pad=0, stride=2),
            r"layer 1: filters of 3 with pad 0 and stride 2",
        ),
        (lambda s: s["layers"][0].update(pool=[3, 3, 2]), r"layer 1.pool: pools of 3 with stride 2"),
        (lambda s: s["layers"][0].update(activation="tanh"), r"conv layers take relu or identity"),
        (
            lambda s: s["layers"][1].update(W=np.ones((3, 7)).tolist()),
            r"layer 2.W: has 7 columns, but there are 8",
        ),
        (lambda s: s.update(x=np.ones((2, 16)).tolist()), r"x: a conv layer takes images"),
        (lambda s: s["layers"].reverse(), r"conv layers come first"),
    ],
)
def test_conv_spec_errors_name_the_key(change, message):
    spec = _conv_spec()
    change(spec)
    with pytest.raises(SpecError, match=message):
        parse_spec(spec, "conv.toml")


def test_the_tiny_convnet_example_matches_the_naive_reference():
    import tomllib

    path = ROOT / "examples" / "cs231n" / "tiny_convnet.toml"
    spec = tomllib.loads(path.read_text())
    res = CliRunner().invoke(app, ["net", str(path), "-f", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["loss"] == pytest.approx(conv_reference(spec), rel=1e-12)


@pytest.mark.parametrize("name", ["two_layer_net.toml", "tiny_convnet.toml"])
def test_cs231n_net_documents_match_the_schema(name):
    from test_json_schema import _doc, _validate

    _validate(_doc(["net", str(ROOT / "examples" / "cs231n" / name), "--step"]), "net")


def test_norm_and_layer_gate_documents_match_the_schemas(tmp_path):
    from test_json_schema import _doc, _validate

    path = tmp_path / "bn.json"
    path.write_text(json.dumps(_spec(norm="batchnorm", dropout=0.5, seed=14)))
    _validate(_doc(["net", str(path), "--step"]), "net")
    values = str(ROOT / "examples" / "cs231n" / "maxpool_backward.toml")
    _validate(
        _doc(["grad", "sum(maxpool(x, 2, 2, 2) * dout)", "--values", values, "--ties", "all"]), "result"
    )
    _validate(_doc(["grad", "svm_loss(s, y)", "s=[[1, 2.5, 3]]", "y=[2]", "--check"]), "result")
