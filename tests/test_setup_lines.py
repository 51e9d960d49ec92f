"""The notebooks' setup lines: every accepted form against numpy itself, and hostile lines refused
with their exact line and column, before anything is allocated."""

from __future__ import annotations

import json

import numpy as np
import pytest

from backcalc import api
from backcalc.cli import app
from backcalc.errors import BackcalcError
from backcalc.limits import LIMITS
from backcalc.setup_lines import read_setup

from checking_cases import make_runner
from conftest import ROOT, run_exe

NOTEBOOK = """\
import numpy as np
# the setup cell, as the notebooks write it
np.random.seed(231)
x = np.random.randn(10, 2, 3)
a = 0.001 * np.random.randn(50, 10)

N, D = 4, 5
c = 5 * np.random.randn(N, D) + 12
y = np.random.randint(10, size=50)
x4 = np.linspace(-0.1, 0.5, num=240).reshape(2, 4, 5, 6)
y3 = np.array([0, 5, 1])
X = np.linspace(-5.5, 4.5, num=N*D).reshape(D, N).T
"""


@pytest.fixture
def runner():
    return make_runner()


def test_every_form_gives_the_notebooks_arrays_bit_for_bit():
    s = read_setup(NOTEBOOK)
    np.random.seed(231)  # the notebook, run by numpy itself, in the same order
    want = {
        "x": np.random.randn(10, 2, 3),
        "a": 0.001 * np.random.randn(50, 10),
        "c": 5 * np.random.randn(4, 5) + 12,
        "y": np.random.randint(10, size=50),
        "x4": np.linspace(-0.1, 0.5, num=240).reshape(2, 4, 5, 6),
        "y3": np.array([0, 5, 1]),
        "X": np.linspace(-5.5, 4.5, num=20).reshape(5, 4).T,
    }
    for name, arr in want.items():
        got = s.values[name]
        assert got.shape == arr.shape and got.dtype == arr.dtype, name
        assert np.array_equal(got, arr), name  # bit for bit
    assert s.values["N"] == 4 and s.values["D"] == 5
    assert s.seeded and not s.warnings


def test_integer_arrays_stay_integer():
    s = read_setup("import numpy as np\ny = np.random.randint(10, size=50)\nz = np.array([0, 5, 1])")
    assert s.values["y"].dtype == np.int64 and s.values["z"].dtype == np.int64
    assert read_setup("import numpy as np\nz = np.array([0, 5.5])").values["z"].dtype == np.float64


def test_the_order_of_draws_is_the_order_written():
    s = read_setup(
        "import numpy as np\nnp.random.seed(0)\na = np.random.randn(3)\nnp.random.seed(0)\nb = np.random.rand(2)"
    )
    rs = np.random.RandomState(0)
    assert np.array_equal(s.values["a"], rs.randn(3))
    assert np.array_equal(s.values["b"], np.random.RandomState(0).rand(2))


def test_a_draw_before_any_seed_is_warned_about():
    s = read_setup("import numpy as np\nx = np.random.randn(3)")
    assert s.values["x"].shape == (3,)
    assert s.warnings and "setup line 2: a random draw before any np.random.seed" in s.warnings[0]


def test_comments_blank_lines_dictionaries_and_continued_lines():
    s = read_setup(
        "import numpy as np  # numpy\n\n# a comment\nv = np.array([[1, 2],\n              [3, 4]])\n"
        "config = {'learning_rate': 1e-3, 'velocity': v}\n"
    )
    assert s.values["v"].tolist() == [[1, 2], [3, 4]]
    assert s.configs["config"]["learning_rate"] == 1e-3
    assert np.array_equal(s.configs["config"]["velocity"], s.values["v"])


def _error(text: str) -> BackcalcError:
    with pytest.raises(BackcalcError) as e:
        read_setup(text)
    return e.value


@pytest.mark.parametrize(
    "text, message",
    [
        (
            'x = __import__("os")',
            "setup line 1, column 5: names starting with '_' are not accepted (__import__)",
        ),
        (
            "import numpy as np\nx = np.random.randn(3).__class__",
            "setup line 2, column 24: names starting with '_' are not accepted (__class__)",
        ),
        ("import numpy as np\nx = np.os.system(1)", "setup line 2, column 8: 'np.os' is not accepted"),
        (
            "import numpy as np\nx = np.random.randn(3)\ny = x.T.tofile",
            "setup line 3, column 9: '.tofile' is not accepted (accepted: .reshape(...), .dot(...), "
            ".sum(...), .mean(...), .std(...), .var(...), .max(...), .min(...), .copy(...), "
            ".ravel(...), .flatten(...), .T, .shape, .size, .ndim)",
        ),
        (
            "import numpy as np\ny = np.random.randint(10, size=50, dtype=1)",
            "setup line 2, column 36: np.random.randint: unknown keyword argument 'dtype' "
            "(accepted: low=, high=, size=)",
        ),
        (
            "import numpy as np\nx = np.linspace(0, 1, count=3)",
            "setup line 2, column 23: np.linspace: unknown keyword argument 'count' (accepted: start=, stop=, num=)",
        ),
        (
            "import numpy as np\nx = np.random.randn(3, 4, dtype=float)",
            "setup line 2, column 27: np.random.randn: takes no keyword arguments (dtype= given); "
            "give the dimensions alone, e.g. np.random.randn(3, 4)",
        ),
        ("from cs231n.layers import *", "setup line 1, column 1: only 'import numpy as np' is accepted"),
        ("print(1)", "setup line 1, column 1: 'print' is not part of the setup lines backcalc reads"),
        ("x = y + 1", "setup line 1, column 5: 'y' is not defined (defined so far: none yet)"),
        ("x = [1, 2", "setup line 1, column 5: '[' is never closed"),
        ("x = 1 +", "setup line 1, column 8: expected a value, found the end of the setup"),
        ("N, D = 4, 5, 6", "setup line 1, column 6: 2 names on the left, 3 values on the right"),
        ("x = 1 $ 2", "setup line 1, column 7: unexpected character '$'"),
        ("x = 2 ** 10 ** 10", "setup line 1, column 7: the result is too large for float64"),
        ("x = 1 / 0", "setup line 1, column 7: division by zero"),
        ("x = 1e308 * 10", "setup line 1, column 11: '*' gives a number that is not finite"),
        (
            "import numpy as np\nx = np.eye(None)",
            "setup line 2, column 12: np.eye: N must be a whole number, got None",
        ),
        (
            "import numpy as np\nnp.random.seed(0)\nx = np.random.uniform(-1e308, 1e308)",
            "setup line 3, column 5: np.random.uniform: cannot compute it (",
        ),
        (
            "import numpy as np\nx = np.linspace(0, 1e308 * 10)",
            "setup line 2, column 26: '*' gives a number that is not finite",
        ),
    ],
)
def test_lines_outside_the_subset_are_refused_at_their_line_and_column(text, message):
    assert _error(text).message.startswith(message)


@pytest.mark.parametrize(
    "line, column, what",
    [
        ("x = np.random.randn(100000, 100000)", 5, "np.random.randn: 10,000,000,000 elements"),
        ("x = np.zeros((100000, 100000))", 14, "np.zeros: 10,000,000,000 elements"),
        (
            "x = np.random.randint(10, size=(10**6, 10**6))",
            27,
            "np.random.randint: 1,000,000,000,000 elements",
        ),
        ("x = np.linspace(0, 1, num=10**12)", 23, "np.linspace: 1,000,000,000,000 elements"),
        ("x = np.ones(10**5) * np.ones((10**4, 1))", 20, "'*' would make 1,000,000,000 elements"),
        ("x = np.arange(10**12)", 5, "np.arange: 1,000,000,000,000 elements"),
    ],
)
def test_huge_sizes_are_refused_before_anything_is_allocated(line, column, what, monkeypatch):
    import backcalc.setup_lines as S

    def no_allocation(*a, **k):  # nothing may be drawn or filled for a refused size
        raise AssertionError("allocated")

    if not what.startswith("'*'"):  # (the operands of '*' are small: only the product is refused)
        monkeypatch.setattr(S, "_np", lambda: _Guard(np, no_allocation))
    e = _error("import numpy as np\n" + line)
    assert e.message.startswith(f"setup line 2, column {column}: {what}")
    assert f"more than the limit of {LIMITS.max_array_elements:,}" in e.message


class _Guard:
    """numpy with its allocating functions replaced (shape arithmetic stays)."""

    def __init__(self, np_, fail):
        self._np, self._fail = np_, fail
        self.random = type("R", (), {"RandomState": lambda *a: type("S", (), {
            "randn": fail, "rand": fail, "randint": fail, "uniform": fail, "normal": fail})()})  # fmt: skip

    def __getattr__(self, name):
        if name in ("zeros", "ones", "full", "linspace", "arange", "array", "eye", "zeros_like", "ones_like"):
            return self._fail
        return getattr(self._np, name)


def test_the_error_draws_a_caret_under_the_line(runner, tmp_path):
    f = tmp_path / "setup.txt"
    f.write_text("import numpy as np\nnp.random.seed(231)\nx = np.random.randn(3).__class__\n")
    r = runner.invoke(app, ["grad", "sum(x)", "--setup", str(f)])
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        "error: setup line 3, column 24: names starting with '_' are not accepted (__class__)",
        "  x = np.random.randn(3).__class__",
        "                         ^^^^^^^^^",
    ]


def test_grad_reads_the_setup_and_command_line_values_override_it(runner, tmp_path):
    f = tmp_path / "setup.txt"
    f.write_text(
        "import numpy as np\nnp.random.seed(231)\nN, D = 3, 4\nx = np.random.randn(N, D)\nw = np.random.randn(D)\n"
    )
    r = runner.invoke(app, ["grad", "sum(x @ w)", "--setup", str(f), "-f", "json"])
    assert r.exit_code == 0, r.stderr
    assert "was given but" not in r.stderr  # N and D are helpers of the setup, not inputs
    doc = json.loads(r.stdout)
    rs = np.random.RandomState(231)
    x, w = rs.randn(3, 4), rs.randn(4)
    assert np.allclose(doc["gradients"]["w"], x.sum(axis=0), rtol=0, atol=1e-14)
    assert np.allclose(doc["gradients"]["x"], np.tile(w, (3, 1)), rtol=0, atol=1e-14)
    r = runner.invoke(app, ["grad", "sum(x @ w)", "--setup", str(f), "w=[1, 1, 1, 1]", "-f", "json"])
    assert json.loads(r.stdout)["value"] == pytest.approx(x.sum(), abs=1e-12)


def test_the_api_takes_setup_text():
    r = api.grad("sum(x * 2)", setup="import numpy as np\nnp.random.seed(1)\nx = np.random.randn(2, 2)")
    assert np.array_equal(r.gradients["x"], np.full((2, 2), 2.0))


def test_setup_from_standard_input_in_the_installed_executable():
    text = (ROOT / "examples" / "cs231n" / "setup-affine.txt").read_text()
    p = run_exe(
        "grad", "W @ x + b", "--setup", "-", "--upstream", "dout", "-f", "json", "--no-nodes", input=text
    )
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    rs = np.random.RandomState(231)
    x, W, b, dout = rs.randn(4, 5), rs.randn(3, 4), rs.randn(3, 1), rs.randn(3, 5)
    assert np.allclose(doc["value"], W @ x + b, rtol=0, atol=1e-13)
    assert np.allclose(doc["gradients"]["x"], W.T @ dout, rtol=0, atol=1e-13)
    p = run_exe("grad", "-", "--setup", "-", input=text)
    assert p.returncode == 2 and "cannot both be read from standard input" in p.stderr


def test_a_missing_or_binary_setup_file_is_a_clear_error(runner, tmp_path):
    r = runner.invoke(app, ["grad", "x", "--setup", str(tmp_path / "nope.txt")])
    assert r.exit_code == 2 and "cannot read the setup file" in r.stderr
    f = tmp_path / "bin.txt"
    f.write_bytes(b"\xff\xfe\x00")
    r = runner.invoke(app, ["grad", "x", "--setup", str(f)])
    assert r.exit_code == 2 and "is not UTF-8 text" in r.stderr


@pytest.mark.parametrize(
    "line, column",
    [
        ("x = " + "(" * 5000 + "1" + ")" * 5000, 105),
        ("x = " + "-" * 5000 + "1", 105),
        ("x = " + "np.array(" * 3000 + "[1]" + ")" * 3000, 5 + 9 * 100 + 8),
        ("x = " + "[" * 5000 + "1" + "]" * 5000, 105),
        ("x = 2" + " ** 2" * 5000, 6 + 5 * 100 + 1),
    ],
)
def test_deep_nesting_is_refused_at_its_place_never_a_recursion_error(line, column):
    e = _error("import numpy as np\n" + line)
    assert e.message == f"setup line 2, column {column}: nested more than {LIMITS.max_nesting} levels deep"


def test_the_affine_forward_cell_pasted_whole_gives_the_published_output(runner):
    # np.prod, *input_shape and the notebook's published correct_out
    path = ROOT / "examples" / "cs231n" / "setup-affine-forward.txt"
    s = read_setup(path.read_text())
    assert s.values["x"].shape == (2, 4, 5, 6) and s.values["w"].shape == (120, 3)
    assert s.values["input_size"] == 240 and isinstance(s.values["input_size"], int)
    r = runner.invoke(app, ["grad", "affine(x, w, b)", "--setup", str(path), "-f", "json", "--no-nodes"])
    assert r.exit_code == 0 and r.stderr == ""
    correct_out = np.array([[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]])
    assert np.allclose(json.loads(r.stdout)["value"], correct_out, rtol=0, atol=1e-8)


def test_a_cell_pasted_without_the_import_reads_np_as_numpy():
    # the notebooks import numpy in their first cell; the cells a student pastes use np at once
    with_import = read_setup("import numpy as np\nnp.random.seed(231)\nx = np.random.randn(10, 2, 3)")
    pasted = read_setup(
        "# Test the affine_backward function\nnp.random.seed(231)\nx = np.random.randn(10, 2, 3)"
    )
    assert np.array_equal(pasted.values["x"], with_import.values["x"])
    assert np.array_equal(pasted.values["x"], np.random.RandomState(231).randn(10, 2, 3))
    # np stays numpy's closed list of functions: it cannot be rebound, and nothing else is reachable
    assert _error("np = 3").message.startswith("setup line 1, column 1:")
    assert _error("x = np.os.system(1)").message == "setup line 1, column 8: 'np.os' is not accepted"


def test_star_arguments_need_a_tuple():
    e = _error("import numpy as np\nx = np.zeros(4).reshape(*3)")
    assert e.message == "setup line 2, column 25: reshape: '*' needs a tuple or a list, got 3"


def test_an_answer_file_takes_its_values_from_the_setup(runner, tmp_path):
    setup = tmp_path / "setup.txt"
    setup.write_text("import numpy as np\nnp.random.seed(231)\nx = np.random.randn(3)\ny = 2.0\n")
    x = np.random.RandomState(231).randn(3)
    answers = tmp_path / "answers.toml"
    answers.write_text(
        '[[problem]]\nexpression = "sum(x * y)"\n'
        f"gradients = {{ x = [2, 2, 2], y = {float(x.sum())!r} }}\n"
        '[[problem]]\nexpression = "x * y"\nvalues = { y = 3 }\n'
        f"value = {(3 * x).tolist()!r}\n"
    )
    r = runner.invoke(app, ["check", str(answers), "--setup", str(setup), "-f", "json"])
    assert r.exit_code == 0, r.stdout + r.stderr
    assert [i["status"] for i in json.loads(r.stdout)["items"]] == ["pass", "pass"]
    r = runner.invoke(app, ["check", str(answers), "-f", "json"])
    assert r.exit_code == 2 and "no value for 'x'" in r.stderr  # without the setup: malformed
    r = runner.invoke(app, ["check", "-", "--setup", "-"], input="")
    assert r.exit_code == 2 and "cannot both be read from standard input" in r.stderr


def test_dout_drawn_with_the_shape_of_x_as_the_notebooks_do():
    s = read_setup(
        "import numpy as np\nnp.random.seed(231)\nx = np.random.randn(2, 3, 4)\n"
        "dout = np.random.randn(*x.shape)\nn = x.size + x.ndim"
    )
    rs = np.random.RandomState(231)
    x = rs.randn(2, 3, 4)
    assert np.array_equal(s.values["dout"], rs.randn(*x.shape))
    assert s.values["n"] == 27


def test_the_batchnorm_cell_pastes_whole():
    # BatchNormalization.ipynb: a = np.maximum(0, X.dot(W1)).dot(W2), then its statistics
    s = read_setup(
        "import numpy as np\nnp.random.seed(231)\nN, D1, D2, D3 = 200, 50, 60, 3\n"
        "X = np.random.randn(N, D1)\nW1 = np.random.randn(D1, D2)\nW2 = np.random.randn(D2, D3)\n"
        "a = np.maximum(0, X.dot(W1)).dot(W2)\nmu = a.mean(axis=0)\nsd = a.std(axis=0)\n"
        "e = np.exp(np.dot(X, W1) / 10).sum(axis=1, keepdims=True)\n"
    )
    rs = np.random.RandomState(231)
    X, W1, W2 = rs.randn(200, 50), rs.randn(50, 60), rs.randn(60, 3)
    a = np.maximum(0, X.dot(W1)).dot(W2)
    assert np.array_equal(s.values["a"], a)
    assert np.array_equal(s.values["mu"], a.mean(axis=0)) and np.array_equal(s.values["sd"], a.std(axis=0))
    assert np.array_equal(s.values["e"], np.exp(np.dot(X, W1) / 10).sum(axis=1, keepdims=True))


@pytest.mark.parametrize(
    "line, message",
    [
        ("x = np.log(-1.0)", "setup line 2, column 12: np.log: the logarithm of a number <= 0"),
        (
            "x = np.sqrt(np.array([1, -1]))",
            "setup line 2, column 13: np.sqrt: the square root of a negative number",
        ),
        (
            "x = np.ones(3).mean(axis=3)",
            "setup line 2, column 21: mean: axis must be a whole number from -1 to 0, got 3",
        ),
        (
            "x = np.ones(3).sum(keepdims=1)",
            "setup line 2, column 20: sum: keepdims must be True or False, got 1",
        ),
        (
            "x = np.ones(3).copy(1)",
            "setup line 2, column 21: copy: takes at most 0 positional arguments, got 1",
        ),
    ],
)
def test_computations_outside_their_domain_are_refused(line, message):
    assert _error("import numpy as np\n" + line).message == message
