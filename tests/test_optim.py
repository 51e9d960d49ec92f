"""Update rules against the numbers cs231n's FullyConnectedNets notebook prints, backcalc step,
and train --update (each rule's steps checked against the rule applied by hand)."""

from __future__ import annotations

import json
import tomllib

import numpy as np
import pytest

from backcalc import api
from backcalc.cli import app
from backcalc.errors import BackcalcError
from backcalc.network import optim as O
from backcalc.network.spec import parse_spec
from backcalc.network.training import spec_data, train

from checking_cases import make_runner
from conftest import ROOT, run_exe

N, D = 4, 5
W = np.linspace(-0.4, 0.6, num=N * D).reshape(N, D)
DW = np.linspace(-0.6, 0.4, num=N * D).reshape(N, D)

# printed in cs231n assignment 2, FullyConnectedNets.ipynb (to 8 decimals)
MOMENTUM_NEXT_W = [
    [0.1406, 0.20738947, 0.27417895, 0.34096842, 0.40775789],
    [0.47454737, 0.54133684, 0.60812632, 0.67491579, 0.74170526],
    [0.80849474, 0.87528421, 0.94207368, 1.00886316, 1.07565263],
    [1.14244211, 1.20923158, 1.27602105, 1.34281053, 1.4096],
]
MOMENTUM_VELOCITY = [
    [0.5406, 0.55475789, 0.56891579, 0.58307368, 0.59723158],
    [0.61138947, 0.62554737, 0.63970526, 0.65386316, 0.66802105],
    [0.68217895, 0.69633684, 0.71049474, 0.72465263, 0.73881053],
    [0.75296842, 0.76712632, 0.78128421, 0.79544211, 0.8096],
]
RMSPROP_NEXT_W = [
    [-0.39223849, -0.34037513, -0.28849239, -0.23659121, -0.18467247],
    [-0.132737, -0.08078555, -0.02881884, 0.02316247, 0.07515774],
    [0.12716641, 0.17918792, 0.23122175, 0.28326742, 0.33532447],
    [0.38739248, 0.43947102, 0.49155973, 0.54365823, 0.59576619],
]
RMSPROP_CACHE = [
    [0.5976, 0.6126277, 0.6277108, 0.64284931, 0.65804321],
    [0.67329252, 0.68859723, 0.70395734, 0.71937285, 0.73484377],
    [0.75037008, 0.7659518, 0.78158892, 0.79728144, 0.81302936],
    [0.82883269, 0.84469141, 0.86060554, 0.87657507, 0.8926],
]
ADAM_NEXT_W = [
    [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977],
    [-0.1380274, -0.08544591, -0.03286534, 0.01971428, 0.0722929],
    [0.1248705, 0.17744702, 0.23002243, 0.28259667, 0.33516969],
    [0.38774145, 0.44031188, 0.49288093, 0.54544852, 0.59801459],
]
ADAM_V = [
    [0.69966, 0.68908382, 0.67851319, 0.66794809, 0.65738853],
    [0.64683452, 0.63628604, 0.6257431, 0.61520571, 0.60467385],
    [0.59414753, 0.58362676, 0.57311152, 0.56260183, 0.55209767],
    [0.54159906, 0.53110598, 0.52061845, 0.51013645, 0.49966],
]
ADAM_M = [
    [0.48, 0.49947368, 0.51894737, 0.53842105, 0.55789474],
    [0.57736842, 0.59684211, 0.61631579, 0.63578947, 0.65526316],
    [0.67473684, 0.69421053, 0.71368421, 0.73315789, 0.75263158],
    [0.77210526, 0.79157895, 0.81105263, 0.83052632, 0.85],
]
PRINTED = 1e-8  # the notebook prints 8 decimals: each printed number is within 0.5e-8


@pytest.fixture
def runner():
    return make_runner()


def _lin(a, b):
    return np.linspace(a, b, num=N * D).reshape(N, D)


def test_sgd_momentum_matches_the_notebook():
    v = _lin(0.6, 0.9)
    next_w, config = O.sgd_momentum(W, DW, {"learning_rate": 1e-3, "velocity": v})
    assert np.allclose(next_w, MOMENTUM_NEXT_W, rtol=0, atol=PRINTED)
    assert np.allclose(config["velocity"], MOMENTUM_VELOCITY, rtol=0, atol=PRINTED)
    assert config["momentum"] == 0.9
    assert np.array_equal(v, _lin(0.6, 0.9))  # the state passed in is not changed


def test_rmsprop_matches_the_notebook():
    next_w, config = O.rmsprop(W, DW, {"learning_rate": 1e-2, "cache": _lin(0.6, 0.9)})
    assert np.allclose(next_w, RMSPROP_NEXT_W, rtol=0, atol=PRINTED)
    assert np.allclose(config["cache"], RMSPROP_CACHE, rtol=0, atol=PRINTED)
    assert config["decay_rate"] == 0.99 and config["epsilon"] == 1e-8


def test_adam_matches_the_notebook_and_increments_t_before_use():
    config = {"learning_rate": 1e-2, "m": _lin(0.6, 0.9), "v": _lin(0.7, 0.5), "t": 5}
    next_w, new = O.adam(W, DW, config)
    assert np.allclose(next_w, ADAM_NEXT_W, rtol=0, atol=PRINTED)
    assert np.allclose(new["v"], ADAM_V, rtol=0, atol=PRINTED)
    assert np.allclose(new["m"], ADAM_M, rtol=0, atol=PRINTED)
    assert new["t"] == 6 and config["t"] == 5
    assert (new["beta1"], new["beta2"], new["epsilon"]) == (0.9, 0.999, 1e-8)


def test_sgd_and_the_defaults():
    next_w, config = O.sgd(W, DW)
    assert np.array_equal(next_w, W - 1e-2 * DW) and config["learning_rate"] == 1e-2
    first, _ = O.sgd_momentum(W, DW)  # velocity starts at zeros: the first step is sgd's
    assert np.allclose(first, W - 1e-2 * DW, rtol=0, atol=1e-15)
    _, c = O.adam(W, DW)
    assert c["t"] == 1 and c["learning_rate"] == 1e-3


def test_bad_settings_are_clear_errors():
    with pytest.raises(BackcalcError, match="unknown update rule 'adm'"):
        O.rule("adm")
    with pytest.raises(BackcalcError, match=r"adam: unknown setting 'velocity' \(its settings:"):
        O.adam(W, DW, {"velocity": W})
    with pytest.raises(BackcalcError, match="learning_rate must be positive"):
        O.sgd(W, DW, {"learning_rate": -1})
    with pytest.raises(BackcalcError, match=r"t \(the step count\) must be a whole number"):
        O.adam(W, DW, {"t": 1.5})
    with pytest.raises(BackcalcError, match=r"velocity has shape \(2,\), but w has shape \(4, 5\)"):
        O.one_step("sgd_momentum", {"w": W, "dw": DW, "velocity": np.ones(2)})


@pytest.mark.parametrize(
    "rule, state",
    [
        ("sgd_momentum", {"velocity": MOMENTUM_VELOCITY}),
        ("rmsprop", {"cache": RMSPROP_CACHE}),
        ("adam", {"m": ADAM_M, "v": ADAM_V, "t": 6}),
    ],
)
def test_step_prints_the_next_w_and_the_new_state(runner, rule, state):
    setup = ROOT / "examples" / "cs231n" / f"setup-{rule.replace('_', '-')}.txt"
    r = runner.invoke(app, ["step", rule, "--setup", str(setup), "-f", "json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    want = {"sgd_momentum": MOMENTUM_NEXT_W, "rmsprop": RMSPROP_NEXT_W, "adam": ADAM_NEXT_W}[rule]
    assert doc["rule"] == rule and np.allclose(doc["next_w"], want, rtol=0, atol=PRINTED)
    for key, value in state.items():
        assert np.allclose(doc["state"][key], value, rtol=0, atol=PRINTED), key


def test_step_settings_on_the_command_line_override_the_setup(runner):
    setup = ROOT / "examples" / "cs231n" / "setup-adam.txt"
    r = runner.invoke(app, ["step", "adam", "--setup", str(setup), "t=0", "learning_rate=1e-3", "-f", "json"])
    doc = json.loads(r.stdout)
    want, _ = O.adam(W, DW, {"learning_rate": 1e-3, "m": _lin(0.6, 0.9), "v": _lin(0.7, 0.5), "t": 0})
    assert doc["state"]["t"] == 1 and np.allclose(doc["next_w"], want, rtol=0, atol=1e-15)
    r = runner.invoke(app, ["step", "adam", "--setup", str(setup), "momentum=0.5"])
    assert r.exit_code == 2 and "'momentum' is neither w, dw nor a setting of adam" in r.stderr


def test_step_in_the_installed_executable():
    setup = (ROOT / "examples" / "cs231n" / "setup-adam.txt").read_text()
    p = run_exe("step", "adam", "--setup", "-", "-f", "table", input=setup)
    assert p.returncode == 0, p.stderr
    assert "next_w = [[-0.40094747" in p.stdout and "t = 6" in p.stdout
    p = run_exe("step", "adam")
    assert p.returncode == 2 and "step adam: no value for 'w'" in p.stderr


SPEC = (ROOT / "examples" / "xor.toml").read_text()


def _grads(net_dict):
    ev = api.net(net_dict)
    return [(np.asarray(layer.dW), np.asarray(layer.db)) for layer in ev.layers]


def _with(net_dict, params):
    d = json.loads(json.dumps(net_dict))
    for layer, (w, b) in zip(d["layers"], params):
        layer["W"], layer["b"] = np.asarray(w).tolist(), np.asarray(b).tolist()
    return d


@pytest.mark.parametrize("rule", ["sgd", "sgd_momentum", "rmsprop", "adam"])
def test_train_update_applies_the_rule_step_by_step(rule):
    spec = tomllib.loads(SPEC)
    net = parse_spec(spec)
    X, Y, _ = spec_data(net, "xor")
    lr, decay = 0.05, 0.5
    tr = train(net, X, Y, epochs=3, batch=None, lr=lr, shuffle=False, update=rule, lr_decay=decay)
    params = [(np.array(layer["W"], float), np.array(layer["b"], float)) for layer in spec["layers"]]
    configs: dict = {}
    rate = lr
    for _ in range(3):  # one step per epoch (the whole batch), the rule applied by hand
        grads = _grads(_with(spec, params))
        new = []
        for li, ((w, b), (dw, db)) in enumerate(zip(params, grads)):
            out = []
            for key, p, g in ((f"W{li}", w, dw), (f"b{li}", b, db)):
                c = {**configs.get(key, {}), "learning_rate": rate}
                p2, configs[key] = O.FUNCTIONS[rule](p, g, c)
                out.append(p2)
            new.append(tuple(out))
        params = new
        rate *= decay
    for layer, (w, b) in zip(tr.net.layers, params):
        assert np.allclose(layer.W, w, rtol=1e-12, atol=1e-14)
        assert np.allclose(layer.b, b, rtol=1e-12, atol=1e-14)


def test_the_spec_can_name_the_update_rule(runner, tmp_path):
    f = tmp_path / "net.toml"
    f.write_text(SPEC.replace("l2 = 0.0", 'l2 = 0.0\nupdate = "adam"\nlr_decay = 0.9'))
    net = parse_spec(tomllib.loads(f.read_text()))
    assert net.extra == {"update": "adam", "lr_decay": 0.9}
    X, Y, _ = spec_data(net, "xor")
    named = train(net, X, Y, epochs=5, batch=None, lr=0.05, shuffle=False)
    given = train(net, X, Y, epochs=5, batch=None, lr=0.05, shuffle=False, update="adam", lr_decay=0.9)
    assert np.array_equal(named.net.layers[0].W, given.net.layers[0].W)
    out = tmp_path / "trained.toml"
    r = runner.invoke(app, ["train", str(f), "--epochs", "3", "-o", str(out), "-f", "json"])
    assert r.exit_code == 0, r.stderr
    assert 'update = "adam"' in out.read_text()  # the trained spec keeps its rule
    f.write_text(SPEC.replace("l2 = 0.0", 'l2 = 0.0\nupdate = "adma"'))
    r = runner.invoke(app, ["train", str(f)])
    assert r.exit_code == 2 and "unknown update rule 'adma'" in r.stderr


def test_train_update_on_the_command_line(runner):
    r = runner.invoke(app, ["train", str(ROOT / "examples" / "xor.toml"), "--epochs", "50", "--update", "rmsprop",
                            "--lr", "0.05", "-f", "json"])  # fmt: skip
    assert r.exit_code == 0, r.stderr
    losses = json.loads(r.stdout)["losses"]
    assert losses[-1] < losses[0]
    r = runner.invoke(app, ["train", str(ROOT / "examples" / "xor.toml"), "--update", "nesterov"])
    assert r.exit_code == 2 and "unknown update rule 'nesterov'" in r.stderr


@pytest.mark.parametrize("rule", ["sgd", "sgd_momentum", "rmsprop", "adam"])
def test_the_step_json_validates_against_its_schema(runner, rule):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "backcalc" / "schema" / "step.schema.json").read_text())
    setup = "import numpy as np\nw = np.linspace(-0.4, 0.6, num=6).reshape(2, 3)\ndw = np.ones((2, 3))"
    r = runner.invoke(app, ["step", rule, "--setup", "-", "-f", "json"], input=setup)
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, schema)
    assert sorted(doc["state"]) == sorted(O.STATE[rule])


def test_train_update_in_the_installed_executable(tmp_path):
    out = tmp_path / "trained.toml"
    p = run_exe("train", str(ROOT / "examples" / "xor.toml"), "--epochs", "20", "--update", "adam", "--lr", "0.01",
                "--lr-decay", "0.9", "-o", str(out), "-f", "json")  # fmt: skip
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    net = parse_spec(tomllib.loads(SPEC))
    X, Y, _ = spec_data(net, "xor")
    tr = train(net, X, Y, epochs=20, batch=None, lr=0.01, seed=0, update="adam", lr_decay=0.9)
    assert doc["losses"] == pytest.approx(tr.losses, rel=1e-12)
