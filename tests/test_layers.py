"""The cs231n layer gates: forward values against plain numpy references written here (as the
assignments' naive loops), VJPs against central finite differences through the op table over
random shapes, the published affine_forward value, errors that name the gate and the shapes,
batchnorm --expand against the compound gate, max-pool ties, and the reduction warning."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
from tensor_helpers import numeric_grad
from typer.testing import CliRunner

import backcalc
from backcalc import ops as O
from backcalc.cli import app
from backcalc.errors import BackcalcError

LAYERS = [
    "affine",
    "leaky_relu",
    "elu",
    "svm_loss",
    "softmax_loss",
    "batchnorm",
    "layernorm",
    "spatial_batchnorm",
    "dropout",
    "conv",
    "maxpool",
    "reshape",
]


# --- plain numpy references, as the assignments' naive code --------------------------------


def ref_affine(x, w, b):
    return x.reshape(x.shape[0], -1).dot(w) + b


def ref_leaky(x, a=0.01):
    return np.where(x > 0, x, a * x)


def ref_elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1))


def ref_svm(s, y):
    y = y.astype(int)
    loss = 0.0
    for i in range(s.shape[0]):
        for j in range(s.shape[1]):
            if j != y[i]:
                loss += max(0.0, s[i, j] - s[i, y[i]] + 1.0)
    return loss / s.shape[0]


def ref_softmax_loss(s, y):
    y = y.astype(int)
    loss = 0.0
    for i in range(s.shape[0]):
        row = s[i] - np.max(s[i])
        loss += -row[y[i]] + np.log(np.sum(np.exp(row)))
    return loss / s.shape[0]


def ref_bn(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def ref_ln(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def ref_sbn(x, gamma, beta, eps=1e-5):
    out = np.empty_like(x)
    for c in range(x.shape[1]):
        xc = x[:, c]
        out[:, c] = gamma[c] * (xc - xc.mean()) / np.sqrt(xc.var() + eps) + beta[c]
    return out


def ref_dropout(x, p, seed):
    np.random.seed(int(seed))
    mask = (np.random.rand(*x.shape) < p) / p
    return x * mask


def ref_conv(x, w, b, stride, pad):
    stride, pad = int(stride), int(pad)
    n, c, h, wd = x.shape
    f, _, hh, ww = w.shape
    ho = 1 + (h + 2 * pad - hh) // stride
    wo = 1 + (wd + 2 * pad - ww) // stride
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
    out = np.zeros((n, f, ho, wo))
    for i in range(n):
        for k in range(f):
            for r in range(ho):
                for q in range(wo):
                    window = xp[i, :, r * stride : r * stride + hh, q * stride : q * stride + ww]
                    out[i, k, r, q] = np.sum(window * w[k]) + b[k]
    return out


def ref_pool(x, ph, pw, stride):
    ph, pw, stride = int(ph), int(pw), int(stride)
    n, c, h, w = x.shape
    ho, wo = 1 + (h - ph) // stride, 1 + (w - pw) // stride
    out = np.zeros((n, c, ho, wo))
    for i in range(n):
        for k in range(c):
            for r in range(ho):
                for q in range(wo):
                    out[i, k, r, q] = np.max(
                        x[i, k, r * stride : r * stride + ph, q * stride : q * stride + pw]
                    )
    return out


def ref_reshape(x, *dims):
    return x.reshape(tuple(int(d) for d in dims))


REFERENCES = {
    "affine": ref_affine,
    "leaky_relu": ref_leaky,
    "elu": ref_elu,
    "svm_loss": ref_svm,
    "softmax_loss": ref_softmax_loss,
    "batchnorm": ref_bn,
    "layernorm": ref_ln,
    "spatial_batchnorm": ref_sbn,
    "dropout": ref_dropout,
    "conv": ref_conv,
    "maxpool": ref_pool,
    "reshape": ref_reshape,
}


def _arrays(xs):
    return tuple(np.asarray(v) if np.ndim(v) else v for v in xs)


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("seed", range(6))
def test_layer_forward_matches_a_plain_numpy_reference(name, seed):
    op = O.OPS[name]
    xs = op.sample(np.random.default_rng(100 + seed))
    got = op.apply(*xs)
    want = REFERENCES[name](*_arrays(xs))
    assert np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("seed", range(6))
def test_layer_vjp_matches_central_differences_over_random_shapes(name, seed):
    op = O.OPS[name]
    rng = np.random.default_rng(200 + seed)
    xs = op.sample(rng)
    out = op.apply(*xs)
    g = rng.normal(size=np.shape(out))
    g = float(g) if np.ndim(g) == 0 else g
    downs = op.pullback(g, out, *xs)
    assert len(downs) == len(xs)
    for k, x in enumerate(xs):
        if k in op.const_args:
            continue

        def f(v, k=k):
            args = list(xs)
            args[k] = float(v) if np.ndim(v) == 0 else v
            return float(np.sum(g * op.apply(*args)))

        want = numeric_grad(f, np.asarray(x, dtype=float))
        np.testing.assert_allclose(downs[k], want, rtol=1e-6, atol=1e-7, err_msg=f"{name} input {k}")


def test_the_labels_of_the_losses_get_no_gradient():
    s = np.array([[1.0, 2.0, 0.5], [0.2, -1.0, 3.0]])
    y = np.array([2.0, 0.0])
    for name in ("svm_loss", "softmax_loss"):
        r = backcalc.grad(f"{name}(s, y)", {"s": s, "y": y})
        assert np.array_equal(r.gradients["y"], np.zeros(2))


def test_affine_forward_matches_the_published_value():
    x = np.linspace(-0.1, 0.5, num=240).reshape(2, 4, 5, 6)
    w = np.linspace(-0.2, 0.3, num=360).reshape(120, 3)
    b = np.linspace(-0.3, 0.1, num=3)
    r = backcalc.grad("affine(x, w, b)", {"x": x, "w": w, "b": b})
    want = np.array([[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]])
    np.testing.assert_allclose(r.value, want, rtol=0, atol=1e-8)
    assert r.gradients["x"].shape == (2, 4, 5, 6)  # the gradient to x has x's own shape


def test_svm_loss_with_integer_labels_equals_the_one_hot_expression_it_replaces():
    rng = np.random.default_rng(5)
    s = rng.normal(size=(4, 3))
    y = np.array([0.0, 2.0, 1.0, 2.0])
    onehot = np.eye(3)[y.astype(int)]
    long = "mean(sum(maximum(0, transpose(s) - sum(Y * s, 1) + 1) * (1 - transpose(Y)), 0))"
    a = backcalc.grad("svm_loss(s, y)", {"s": s, "y": y})
    b = backcalc.grad(long, {"s": s, "Y": onehot})
    assert a.value == pytest.approx(b.value, rel=1e-12)
    np.testing.assert_allclose(a.gradients["s"], b.gradients["s"], rtol=1e-12, atol=1e-15)


def test_softmax_loss_is_stable_for_large_scores():
    s = np.array([[1000.0, 0.0, -1000.0]])
    r = backcalc.grad("softmax_loss(s, y)", {"s": s, "y": np.array([0.0])})
    assert r.value == 0.0 and np.all(np.isfinite(r.gradients["s"]))


@pytest.mark.parametrize(
    ("y", "message"),
    [
        ([0.0, 3.0], "label 3 at index 1 is out of range: scores have 3 classes, so labels go from 0 to 2"),
        ([0.5, 1.0], "the labels must be whole numbers (class indices), got 0.5 at index 0"),
        ([-1.0, 1.0], "label -1 at index 0 is out of range"),
    ],
)
@pytest.mark.parametrize("name", ["svm_loss", "softmax_loss"])
def test_a_bad_label_is_a_clear_error(name, y, message):
    s = np.ones((2, 3))
    with pytest.raises(BackcalcError) as e:
        backcalc.grad(f"{name}(s, y)", {"s": s, "y": np.array(y)})
    assert e.value.message.startswith(f"{name}: {message}")


@pytest.mark.parametrize(
    ("expr", "values", "message"),
    [
        (
            "affine(x, w, b)",
            {"x": np.ones((2, 4, 5)), "w": np.ones((21, 3)), "b": np.ones(3)},
            "affine flattens x of shape (2, 4, 5) to (2, 20), so w needs 20 rows; w has shape (21, 3)",
        ),
        (
            "affine(x, w, b)",
            {"x": np.ones((2, 3)), "w": np.ones((3, 4)), "b": np.ones(3)},
            "affine needs b of shape (4,)",
        ),
        ("svm_loss(s, y)", {"s": np.ones((2, 3)), "y": np.ones(3)}, "labels of shape (2,), got (3,)"),
        (
            "batchnorm(x, g, b)",
            {"x": np.ones((4, 3)), "g": np.ones(2), "b": np.ones(3)},
            "batchnorm needs gamma of shape (3,)",
        ),
        (
            "conv(x, w, b, 1, 0)",
            {"x": np.ones((1, 2, 4, 4)), "w": np.ones((3, 1, 2, 2)), "b": np.ones(3)},
            "conv: x (1, 2, 4, 4) has 2 channels but w (3, 1, 2, 2) expects 1",
        ),
        (
            "conv(x, w, b, 2, 0)",
            {"x": np.ones((1, 1, 4, 4)), "w": np.ones((1, 1, 3, 3)), "b": np.ones(1)},
            "conv: the filter height 3 does not tile the input height 4 with pad 0 and stride 2",
        ),
        ("maxpool(x, 2, 2, 2)", {"x": np.ones((1, 1, 3, 4))}, "maxpool: pools of height 2 with stride 2"),
        ("maxpool(x, 2, 2, 2)", {"x": np.ones((3, 4))}, "maxpool needs x of shape (N, C, H, W)"),
        ("dropout(x, 0, 1)", {"x": np.ones(3)}, "dropout's p is the probability of keeping a unit"),
        ("reshape(x, 4, 2)", {"x": np.ones((2, 3))}, "cannot reshape an array of shape (2, 3) (6 elements)"),
    ],
)
def test_shape_and_argument_errors_name_the_gate_and_the_shapes(expr, values, message):
    with pytest.raises(BackcalcError) as e:
        backcalc.grad(expr, values)
    assert message in e.value.message
    assert expr.split("(")[0] in e.value.message


def test_batchnorm_expanded_is_the_notebook_graph_with_the_same_gradients():
    rng = np.random.default_rng(3)
    vals = {"x": rng.normal(2, 3, (5, 3)), "g": rng.uniform(0.5, 2, 3), "b": rng.normal(size=3)}
    vals["w"] = rng.normal(size=(5, 3))
    expr = "sum(batchnorm(x, g, b) * w)"
    one = backcalc.grad(expr, vals)
    staged = backcalc.grad(expr, vals, expand=True)
    gates = [n.op for n in staged.nodes if n.expanded_from == "batchnorm"]
    assert gates == ["mean", "sub", "pow", "mean", "add", "sqrt", "div", "mul", "add"]
    assert staged.value == pytest.approx(one.value, rel=1e-12)
    for k in ("x", "g", "b"):
        np.testing.assert_allclose(staged.gradients[k], one.gradients[k], rtol=1e-9, atol=1e-12)
    # the branch points: x (mean and centre) and the centred x (square and divide) sum two parts
    by_id = {n.id: n for n in staged.nodes}
    assert len(by_id["x"].grad_parts) == 2
    centred = next(n for n in staged.nodes if n.op == "sub" and n.expanded_from == "batchnorm")
    assert len(centred.grad_parts) == 2


def test_expand_keeps_written_numbers_and_the_expansions_numbers_apart():
    # the expansion of sigmoid writes 1; the expression's own 1 is the same constant
    r = backcalc.grad("sigmoid(x) + 1", {"x": 0.5}, expand=True)
    s = 1 / (1 + np.exp(-0.5))
    assert r.value == pytest.approx(s + 1, rel=1e-15)
    assert r.gradients["x"] == pytest.approx(s * (1 - s), rel=1e-12)


def test_dropout_mask_is_numpys_legacy_generator():
    x = np.ones((3, 4))
    r = backcalc.grad("sum(dropout(x, 0.6, 123))", {"x": x})
    np.random.seed(123)
    mask = (np.random.rand(3, 4) < 0.6) / 0.6
    np.testing.assert_array_equal(r.gradients["x"], mask)


@pytest.mark.parametrize(
    ("ties", "want"),
    [
        ("all", [[1.0, 1.0], [0.0, 0.0]]),
        ("split", [[0.5, 0.5], [0.0, 0.0]]),
        ("first", [[1.0, 0.0], [0.0, 0.0]]),
    ],
)
def test_maxpool_ties_follow_the_tie_rule_and_are_flagged(ties, want):
    x = np.array([[[[3.0, 3.0], [1.0, 2.0]]]])
    r = backcalc.grad("sum(maxpool(x, 2, 2, 2))", {"x": x}, ties=ties)
    np.testing.assert_array_equal(r.gradients["x"][0, 0], want)
    pool = next(n for n in r.nodes if n.op == "maxpool")
    assert pool.flags and "tie (1 window with tied maxima)" in pool.flags[0]


def test_leaky_relu_default_slope_and_elu_default_alpha():
    r = backcalc.grad("leaky_relu(x) + elu(z)", {"x": -2.0, "z": -1.0})
    assert r.value == pytest.approx(-0.02 + (np.exp(-1.0) - 1), rel=1e-15)
    assert r.gradients["x"] == pytest.approx(0.01)
    assert r.gradients["z"] == pytest.approx(np.exp(-1.0))


def test_keep_keeps_the_reduced_axis_so_rows_centre():
    x = np.array([[1.0, 2.0, 6.0], [0.0, 4.0, 5.0]])
    r = backcalc.grad("x - mean(x, 1, keep)", {"x": x})
    np.testing.assert_allclose(r.value, x - x.mean(axis=1, keepdims=True), rtol=1e-15)
    assert not r.warnings
    s = backcalc.grad("sum(x, 0, keep)", {"x": x})
    assert np.shape(s.value) == (1, 3)


def test_a_reduction_broadcast_back_along_another_axis_warns():
    x = np.arange(9.0).reshape(3, 3)
    r = backcalc.grad("x - sum(x, 1)", {"x": x})
    assert any("sum(x, 1) reduces axis 1 of shape (3, 3)" in w and "sum(…, 1, keep)" in w for w in r.warnings)
    assert not backcalc.grad("x - sum(x, 0)", {"x": x}).warnings  # axis 0 lines up
    assert not backcalc.grad("x - sum(x, 1, keep)", {"x": x}).warnings


@pytest.mark.parametrize("flag", ["--exact", "--symbolic"])
def test_layers_in_exact_or_symbolic_runs_say_they_have_no_such_rule(flag):
    res = CliRunner().invoke(app, ["grad", "affine(x, w, b)", "x=[[1,2]]", "w=[[1],[2]]", "b=[0]", flag])
    assert res.exit_code == 2
    assert "op 'affine' has no rule for" in res.output


def test_conv_and_maxpool_from_the_installed_command():
    x = np.linspace(-0.1, 0.5, 2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
    w = np.linspace(-0.2, 0.3, 3 * 3 * 4 * 4).reshape(3, 3, 4, 4)[:, :, :3, :3].copy()
    b = np.linspace(-0.1, 0.2, 3)
    args = [f"x={json.dumps(x.tolist())}", f"w={json.dumps(w.tolist())}", f"b={json.dumps(b.tolist())}"]
    proc = subprocess.run(
        ["backcalc", "grad", "sum(maxpool(conv(x, w, b, 1, 1), 2, 2, 2))", *args, "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["value"] == pytest.approx(float(np.sum(ref_pool(ref_conv(x, w, b, 1, 1), 2, 2, 2))), rel=1e-12)
    assert np.shape(doc["gradients"]["w"]) == (3, 3, 3, 3)


def test_gradient_check_leaves_the_labels_alone():
    res = CliRunner().invoke(
        app,
        ["grad", "softmax_loss(s, y)", "s=[[1, 2, 3], [3, 1, 0.7]]", "y=[2, 0]", "--check", "-f", "json"],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    checked = [r["name"] for r in doc["gradcheck"]["inputs"]]
    assert checked == ["s"]


def test_a_hinge_margin_at_zero_is_flagged_with_its_rule():
    r = backcalc.grad("svm_loss(s, y)", {"s": np.array([[1.0, 2.0, 3.0]]), "y": np.array([2.0])})
    node = next(n for n in r.nodes if n.op == "svm_loss")
    assert node.flags == ["kink (1 margin at 0, counted as inactive: slope 0)"]
    assert np.array_equal(r.gradients["s"], np.zeros((1, 3)))


def test_a_transposed_broadcast_lines_up_and_does_not_warn():
    s = np.arange(6.0).reshape(2, 3)
    r = backcalc.grad("transpose(s) - sum(s, 1)", {"s": s})
    assert not r.warnings
    np.testing.assert_allclose(r.value, s.T - s.sum(axis=1))


def test_reshape_of_a_scalar_is_an_array():
    r = backcalc.grad("sum(reshape(x, 1, 1) * 3)", {"x": 2.0})
    assert r.value == 6.0 and r.gradients["x"] == 3.0


@pytest.mark.parametrize(
    "expr",
    ["conv(x, w, b, 1, 100000000)", "maxpool(x, 2, 2, 1)"],
)
def test_huge_working_arrays_are_refused_before_allocating(expr, monkeypatch):
    from backcalc.limits import LIMITS

    monkeypatch.setattr(LIMITS, "max_array_elements", 13)
    vals = {"x": np.ones((1, 1, 3, 4)), "w": np.ones((1, 1, 2, 2)), "b": np.ones(1)}
    with pytest.raises(
        BackcalcError, match="would need an array of [0-9,]+ elements, more than the limit of 13"
    ):
        backcalc.grad(expr, vals)
