"""Vectors and matrices through the engine: the seeds' ||Wx||^2, a 2-layer net, broadcasting,
batches, shape errors, memory proportional to the data, and the scalar path staying numpy-free."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc

import numpy as np
import pytest
from tensor_helpers import numeric_grad

from backcalc import BackcalcError, grad
from backcalc import ops as O

W = [[0.1, 0.5], [-0.3, 0.8]]
X = [0.2, 0.4]


@pytest.mark.parametrize(
    "expression",
    [
        "sum((W @ x)**2)",
        "norm(W @ x)**2",
        "q = W @ x; f = sum(q**2)",
        "q = W @ x; f = norm(q) ** 2",
        "q = W @ x; f = dot(q, q)",
    ],
)
def test_seed_norm_of_wx_squared_matches_the_lecture(expression):
    r = grad(expression, W=W, x=X)
    assert r.value == pytest.approx(0.116)
    np.testing.assert_allclose(r.gradients["W"], [[0.088, 0.176], [0.104, 0.208]])
    np.testing.assert_allclose(r.gradients["x"], [-0.112, 0.636])
    q = next(n for n in r.nodes if n.op == "matmul")
    np.testing.assert_allclose(q.value, [0.22, 0.26])
    np.testing.assert_allclose(q.grad, [0.44, 0.52])  # 2q
    assert q.shape == (2,)


def test_named_intermediate_keeps_its_name():
    r = grad("q = W @ x; f = sum(q**2)", W=W, x=X)
    assert r.node("q").op == "matmul"
    assert r.node("q").vjp == ["g @ xᵀ", "Wᵀ @ g"]


def test_gradients_have_their_variables_shapes():
    r = grad("sum((W @ x)**2)", W=W, x=X)
    for n in r.nodes:
        assert np.shape(n.grad) == np.shape(n.value), n.id
        for name, d in zip(n.inputs, n.downstream or []):
            assert np.shape(d) == np.shape(r.node(name).value)


def _two_layer(W1, W2, x):
    return float(np.sum(W2 @ np.maximum(0, W1 @ x)))


def test_two_layer_net_matches_finite_differences():
    rng = np.random.default_rng(3)
    W1, W2, x = rng.normal(size=(5, 4)), rng.normal(size=(3, 5)), rng.normal(size=4)
    r = grad("sum(W2 @ maximum(0, W1 @ x))", W1=W1, W2=W2, x=x)
    assert r.value == pytest.approx(_two_layer(W1, W2, x))
    np.testing.assert_allclose(r.gradients["W1"], numeric_grad(lambda a: _two_layer(a, W2, x), W1), atol=1e-6)
    np.testing.assert_allclose(r.gradients["W2"], numeric_grad(lambda a: _two_layer(W1, a, x), W2), atol=1e-6)
    np.testing.assert_allclose(r.gradients["x"], numeric_grad(lambda a: _two_layer(W1, W2, a), x), atol=1e-6)


def test_relu_and_maximum_zero_agree():
    rng = np.random.default_rng(4)
    W1, W2, x = rng.normal(size=(5, 4)), rng.normal(size=(3, 5)), rng.normal(size=4)
    a = grad("sum(W2 @ maximum(0, W1 @ x))", W1=W1, W2=W2, x=x)
    b = grad("sum(W2 @ relu(W1 @ x))", W1=W1, W2=W2, x=x)
    for k in ("W1", "W2", "x"):
        np.testing.assert_allclose(a.gradients[k], b.gradients[k])


def test_bias_broadcast_gradient_is_summed_over_the_batch():
    rng = np.random.default_rng(5)
    Xb, Wm, b = rng.normal(size=(6, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    r = grad("sum(sigmoid(X @ W + b))", X=Xb, W=Wm, b=b)

    def f(bb):
        return float(np.sum(1 / (1 + np.exp(-(Xb @ Wm + bb)))))

    assert np.shape(r.gradients["b"]) == (2,)
    np.testing.assert_allclose(r.gradients["b"], numeric_grad(f, b), atol=1e-7)


def test_scalar_times_array_gradient_is_a_scalar():
    r = grad("sum(a * x)", a=2.0, x=[1.0, 2.0, 3.0])
    assert r.gradients["a"] == 6.0 and type(r.gradients["a"]) is float
    np.testing.assert_allclose(r.gradients["x"], [2.0, 2.0, 2.0])


def test_batch_of_inputs_through_a_layer_with_softmax_cross_entropy():
    rng = np.random.default_rng(6)
    Xb, Wm, b = rng.normal(size=(8, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    Y = np.eye(3)[rng.integers(0, 3, size=8)]
    expr = "z = X @ W + b; loss = mean(logsumexp(z, 1) - sum(Y * z, 1))"
    r = grad(expr, X=Xb, W=Wm, b=b, Y=Y)

    def loss(Wv):
        z = Xb @ Wv + b
        m = z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z - m).sum(axis=1)) + m[:, 0]
        return float(np.mean(lse - np.sum(Y * z, axis=1)))

    assert r.value == pytest.approx(loss(Wm))
    np.testing.assert_allclose(r.gradients["W"], numeric_grad(loss, Wm), atol=1e-7)
    # the same loss written with softmax
    r2 = grad("z = X @ W + b; loss = -mean(sum(Y * log(softmax(z, 1)), 1))", X=Xb, W=Wm, b=b, Y=Y)
    np.testing.assert_allclose(r2.gradients["W"], r.gradients["W"], atol=1e-10)


def test_transpose_and_matrix_products():
    A = np.arange(6.0).reshape(2, 3)
    r = grad("sum(transpose(A) @ A)", A=A)
    np.testing.assert_allclose(r.gradients["A"], numeric_grad(lambda a: float(np.sum(a.T @ a)), A), atol=1e-6)


def test_sum_and_mean_along_an_axis():
    A = np.arange(6.0).reshape(2, 3)
    r = grad("sum(sum(A, 0) ** 2)", A=A)
    np.testing.assert_allclose(r.value, np.sum(A.sum(0) ** 2))
    np.testing.assert_allclose(r.gradients["A"], np.broadcast_to(2 * A.sum(0), (2, 3)))
    r = grad("sum(mean(A, -1) ** 2)", A=A)
    np.testing.assert_allclose(r.gradients["A"], np.repeat((2 * A.mean(1) / 3)[:, None], 3, axis=1))


@pytest.mark.parametrize(
    "expression, values, words",
    [
        ("sum((W @ x)**2)", {"W": W, "x": [1.0, 2.0, 3.0]}, ["n1 = W @ x", "matmul", "(2, 2)", "(3,)"]),
        (
            "sum(x + y)",
            {"x": [1.0, 2.0], "y": [1.0, 2.0, 3.0]},
            ["add", "x of shape (2,)", "y of shape (3,)"],
        ),
        ("dot(W, x)", {"W": W, "x": X}, ["dot", "(2, 2)", "use @ for matrices"]),
        ("sum(a @ x)", {"a": 2.0, "x": X}, ["matmul", "a (a scalar)", "scale with *"]),
    ],
)
def test_shape_mismatch_names_node_op_and_both_shapes_with_a_span(expression, values, words):
    with pytest.raises(BackcalcError) as e:
        grad(expression, **values)
    msg = e.value.message
    assert msg.startswith("shape mismatch")
    for w in words:
        assert w in msg
    assert e.value.span is not None and e.value.code == 2
    assert "^" in e.value.render()


def test_shape_mismatch_caret_sits_under_the_node():
    with pytest.raises(BackcalcError) as e:
        grad("sum((W @ x)**2)", W=W, x=[1.0, 2.0, 3.0])
    start, end = e.value.span
    assert "sum((W @ x)**2)"[start:end] == "W @ x"


@pytest.mark.parametrize(
    "expression, words",
    [
        ("sum(x, 2)", "axis 2 is out of range"),
        ("sum(x, 0.5)", "whole number"),
        ("sum(x, k)", "must be a number written in the expression"),
        ("softmax(s, 0)", "scalar, which has no axes"),
    ],
)
def test_axis_errors_are_clear(expression, words):
    with pytest.raises(BackcalcError, match=words):
        grad(expression, x=[[1.0, 2.0]], k=0.0, s=1.0)


def test_negative_axis_counts_from_the_end():
    A = np.arange(6.0).reshape(2, 3)
    r = grad("sum(softmax(A, -1) * B)", A=A, B=A)
    r2 = grad("sum(softmax(A, 1) * B)", A=A, B=A)
    np.testing.assert_allclose(r.gradients["A"], r2.gradients["A"])


def test_backward_checks_every_gradient_has_its_inputs_shape(monkeypatch):
    bad = O.Op(
        name="badsum",
        arity=(1, 1),
        forward=lambda xp, x: x * 2.0,
        vjp=lambda xp, g, out, xs, needs: (np.sum(g),),
        role=O.FUNCTION,
        doc="broken on purpose",
        plain="badsum({0})",
        latex="",
        prec=100,
        sample=lambda rng: (1.0,),
    )
    monkeypatch.setitem(O.OPS, "badsum", bad)
    want = r"badsum sent a gradient of shape \(\) to an input of shape \(3,\)"
    with pytest.raises(RuntimeError, match=want):
        grad("sum(badsum(x))", x=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("expression", ["sum(relu(x))", "sum(maximum(0, x))", "sum(relu(x) * x)"])
def test_relu_on_a_big_batch_never_allocates_a_jacobian(expression):
    x = np.random.default_rng(7).standard_normal((100, 4096))
    jacobian_bytes = x.size * x.size * 8  # 100*4096 squared float64: 1.3 TB
    grad(expression, x=x)  # warm up imports and caches
    tracemalloc.start()
    try:
        r = grad(expression, x=x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_array_equal(r.gradients["x"] != 0, x > 0)
    assert peak < 12 * x.nbytes, f"peak {peak:,} bytes for data of {x.nbytes:,} bytes"
    assert peak < jacobian_bytes / 10_000  # four orders of magnitude below a Jacobian


def test_scalar_run_does_not_import_numpy():
    code = (
        "import sys; from backcalc.cli import main; sys.argv = ['backcalc', 'grad', '(x+y)*z', "
        "'x=-2', 'y=5', 'z=-4', '--format', 'table']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'numpy' not in sys.modules, 'numpy was imported'"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert p.returncode == 0, p.stderr
    assert "-12" in p.stdout


def test_jacobian_of_relu_is_diagonal_and_matches_the_vjp():
    r = grad("sum(relu(x))", x=[1.0, -2.0, 3.0], jacobian=True)
    relu = next(n for n in r.nodes if n.op == "relu")
    (jac,) = relu.jacobian
    assert jac["shape"] == (3, 3)
    np.testing.assert_array_equal(jac["value"], np.diag([1.0, 0.0, 1.0]))


def test_jacobian_of_matmul_matches_finite_differences():
    Wm, x = np.array(W), np.array(X)
    r = grad("sum((W @ x)**2)", W=Wm, x=x, jacobian=True)
    q = next(n for n in r.nodes if n.op == "matmul")
    jw, jx = q.jacobian
    np.testing.assert_allclose(jx["value"], Wm)
    fd = np.stack([numeric_grad(lambda a, i=i: float((a @ x)[i]), Wm).ravel() for i in range(2)])
    np.testing.assert_allclose(jw["value"], fd, atol=1e-8)


def test_large_jacobian_is_described_not_built():
    r = grad("sum(relu(x))", x=np.ones(200), jacobian=True)
    relu = next(n for n in r.nodes if n.op == "relu")
    (jac,) = relu.jacobian
    assert jac["value"] is None and "more than the limit" in jac["omitted"]


def test_ragged_list_from_the_api_is_a_clear_error():
    with pytest.raises(BackcalcError, match="ragged"):
        grad("sum(W)", W=[[1.0, 2.0], [3.0]])


def test_dot_T_is_refused_with_a_pointer_to_transpose():
    with pytest.raises(BackcalcError) as e:
        grad("sum(W.T @ x)", W=W, x=X)
    assert "transpose(W)" in e.value.render()


def test_array_overflow_is_one_warning_without_numpy_noise(recwarn):
    r = grad("sum(exp(x))", x=[1000.0, 1.0])
    assert sum("overflowed" in w for w in r.warnings) == 1
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_array_output_says_the_gradients_are_of_its_sum():
    r = grad("softmax(z)", z=[1.0, 2.0, 3.0])
    assert any("gradients are those of sum(f)" in n for n in r.notes)


@pytest.mark.parametrize(
    "expression, words", [("x @ y", "needs an array on each side"), ("dot(x, y)", "takes two vectors")]
)
def test_array_only_ops_on_scalars_are_a_clear_error(expression, words):
    with pytest.raises(BackcalcError, match=words):
        grad(expression, x=2.0, y=3.0)


def test_pruned_backward_matches_the_full_one_for_the_wanted_inputs():
    import numpy as np

    from backcalc.engine import backward, compile_text, forward, needed

    rng = np.random.default_rng(3)
    values = {"X": rng.normal(size=(6, 5)), "W": rng.normal(size=(4, 5)), "b": rng.normal(size=4)}
    g = compile_text("sum(relu(X @ transpose(W) + b) ** 2)", set(values))
    fwd = forward(g, values)
    full = backward(g, fwd)
    wanted = needed(g, ["W", "b"])
    assert not wanted[g.inputs["X"]]
    pruned = backward(g, fwd, wanted=wanted)
    for name in ("W", "b"):
        i = g.inputs[name]
        assert np.array_equal(pruned.upstream[i], full.upstream[i])
    # the data's gradient was never computed: the matmul skipped that product
    assert np.all(pruned.upstream[g.inputs["X"]] == 0)
    assert np.any(full.upstream[g.inputs["X"]] != 0)


def test_forward_without_notes_computes_the_same_and_skips_the_array_notes():
    import numpy as np

    from backcalc.engine import compile_text, forward

    g = compile_text("sum(exp(x) * W)", {"x", "W"})
    values = {"x": np.array([1.0, 800.0]), "W": np.array([2.0, 3.0])}
    noted, quiet = forward(g, values), forward(g, values, notes=False)
    assert noted.warnings and not quiet.warnings  # exp(800) overflows: noted only when asked
    for a, b in zip(noted.values, quiet.values):
        assert np.array_equal(np.asarray(a), np.asarray(b)) and type(a) is type(b)
