"""Hostile input: injection attempts, huge and deep input, odd bytes and unicode.

Each case states its expected outcome (a result, or exit 2 with a message) and runs
under a time bound (a hang guard, not a speed test). Nothing may print a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

import backcalc
from backcalc import BackcalcError

from conftest import backcalc_exe

BOUND = 60  # seconds: generous, the machines are shared; this only catches hangs


def run(args: list[str], stdin: bytes | None = None, bound: float = BOUND) -> subprocess.CompletedProcess:
    return subprocess.run([backcalc_exe(), *args], input=stdin, capture_output=True, timeout=bound)


def clean_error(p: subprocess.CompletedProcess) -> str:
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode == 2, (p.returncode, err)
    assert err.startswith("error: "), err
    assert "Traceback" not in err
    assert p.stdout == b""
    return err


INJECTIONS = [
    "__import__('os').system('touch {marker}')",
    "exec(\"open('{marker}','w')\")",
    "eval('1')",
    "open('{marker}', 'w')",
    "(lambda: 1)()",
    "x.__class__.__bases__",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "globals()['__builtins__']",
    "import os",
    "x; import os",
    "f'{{x}}'",
    "x if x else x",
    "getattr(x, 'real')",
    "sympify('x')",
    "exp(x)\n__import__('os').system('touch {marker}')",
]


@pytest.mark.parametrize("template", INJECTIONS)
def test_code_injection_through_the_expression_is_refused(template, tmp_path):
    marker = tmp_path / "pwned"
    p = run(["grad", template.format(marker=marker), "x=1"])
    clean_error(p)
    assert not marker.exists()


@pytest.mark.parametrize(
    "value",
    [
        "x=__import__('os').system('touch {marker}')",
        "x=[__import__]",
        "x=1;import os",
        "x=nan",
        "x=inf",
        "x=[NaN]",
        "x=[Infinity]",
        "x=1e999",
        "x=[1e999]",
        'x={{"a": 1}}',
        "x=[[1, 2], [3]]",
        'x=[1, "a"]',
        "x=[true]",
        "x=",
        "x=1/0",
        "x=0x10",
        "x=1_000",
        "x=١",
        "__class__=1",
        "x.y=1",
        "=1",
    ],
)
def test_code_injection_and_garbage_through_values_is_refused(value, tmp_path):
    marker = tmp_path / "pwned"
    p = run(["grad", "x + 1", value.format(marker=marker)])
    clean_error(p)
    assert not marker.exists()


def test_deep_nesting_from_a_file_works(tmp_path):
    f = tmp_path / "deep.txt"
    f.write_text("(" * 50_000 + "x" + ")" * 50_000)
    p = run(["grad", f"@{f}", "x=2"])
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["gradients"] == {"x": 1.0}


def test_nesting_past_the_limit_is_a_clean_error(tmp_path):
    f = tmp_path / "deep.txt"
    f.write_text("(" * 200_000 + "x" + ")" * 200_000)
    err = clean_error(run(["grad", f"@{f}", "x=2"]))
    assert "nesting deeper than 100,000 levels" in err


def test_limits_are_adjustable_by_environment(tmp_path):
    env = {**os.environ, "BACKCALC_MAX_DEPTH": "10"}
    p = subprocess.run(
        [backcalc_exe(), "grad", "(" * 11 + "x" + ")" * 11, "x=1"],
        capture_output=True,
        timeout=BOUND,
        env=env,
    )
    assert "nesting deeper than 10 levels" in clean_error(p)


def test_a_one_megabyte_expression_works_from_stdin():
    expr = " + ".join(["x", "y"] * 125_001)  # 1 MB, 250,002 terms
    assert len(expr) >= 1_000_000
    p = run(["grad", "-", "x=1", "y=2", "--wrt", "x", "--no-nodes"], stdin=expr.encode())
    assert p.returncode == 0, p.stderr[-500:]
    doc = json.loads(p.stdout)
    assert doc["value"] == 375_003.0 and doc["gradients"] == {"x": 125_001.0}
    assert doc["nodes"] == []


@pytest.mark.parametrize(
    "expr, values",
    [("9**9**9", {}), ("10**400 * x", {"x": 1}), ("exp(exp(exp(x)))", {"x": 10}), ("x ** 1e308", {"x": 2})],
)
def test_huge_exponents_overflow_with_a_warning(expr, values):
    t = time.perf_counter()
    r = backcalc.grad(expr, values)
    assert time.perf_counter() - t < BOUND
    assert r.value == float("inf") and r.warnings
    json.loads(r.to_json())  # still strict JSON


@pytest.mark.parametrize(
    "expr",
    [
        "x\x00",
        "\x00",
        "x\u202e+1",
        "x\u200b+1",
        "x +\ufeff1",
        "x + １",
        "😀 + x",
        "x\r\n+1\r\n",
        "\t x \t",
        "x + y\u0301",
        "\udcff",
    ],
)
def test_odd_bytes_and_unicode_give_a_result_or_a_clean_error(expr):
    try:
        r = backcalc.grad(expr, {"x": 1.0, "y": 2.0})
    except BackcalcError as e:
        text = e.render()
        assert text.startswith("error: ")
        assert "\x00" not in text  # control characters are not echoed raw
    else:
        assert r.value is not None


def test_nul_and_invalid_utf8_through_stdin(tmp_path):
    clean_error(run(["grad", "-", "x=1"], stdin=b"x\x00+1"))
    clean_error(run(["grad", "-", "x=1"], stdin=b"x + \xff\xfe"))


def test_missing_expression_file_is_a_clean_error():
    assert "cannot read the expression" in clean_error(run(["grad", "@/nonexistent/expr.txt"]))


def test_many_values_and_long_names():
    values = [f"v{i}=1" for i in range(2000)]
    p = run(["grad", "v0 + v1", *values, "--wrt", "v0"])
    assert p.returncode == 0 and json.loads(p.stdout)["gradients"] == {"v0": 1.0}
    name = "a" * 10_000
    r = backcalc.grad(f"{name} * 2", {name: 3})
    assert r.gradients == {name: 2.0}


def test_empty_and_whitespace_expressions():
    for expr in ["", " ", "\n\n", ";", "# only a comment"]:
        assert "empty" in clean_error(run(["grad", expr]))


def test_source_files_are_never_written(tmp_path):
    f = tmp_path / "expr.txt"
    f.write_text("x * 2")
    before = f.read_bytes()
    run(["grad", f"@{f}", "x=1"])
    assert f.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["expr.txt"]


def test_repository_code_has_no_eval_exec_or_sympify_of_text():
    root = Path(__file__).resolve().parent.parent / "backcalc"
    import re

    pattern = re.compile(r"(^|[^.\w])(eval|exec|compile)\(|sympify\(|parse_expr\(")
    hits = [
        f"{p}:{i}"
        for p in root.rglob("*.py")
        for i, line in enumerate(p.read_text().splitlines(), 1)
        if pattern.search(line) and not line.lstrip().startswith("#")
    ]
    assert hits == []


def test_npz_bomb_is_refused_before_decompression(tmp_path, monkeypatch):
    import numpy as np

    # 10 million zeros compress to a few kilobytes; the limit is read from the header
    f = tmp_path / "bomb.npz"
    np.savez_compressed(f, W=np.zeros((1000, 10_000)))
    assert f.stat().st_size < 200_000
    env = {**os.environ, "BACKCALC_MAX_ARRAY_ELEMENTS": "1000000"}
    p = subprocess.run(
        [backcalc_exe(), "grad", "sum(W)", "--values", str(f)], capture_output=True, timeout=BOUND, env=env
    )
    err = clean_error(p)
    assert "W has 10,000,000 elements, more than the limit of 1,000,000" in err


def test_value_file_size_limit(tmp_path):
    f = tmp_path / "v.json"
    f.write_text('{"x": [' + ", ".join(["1"] * 5000) + "]}")
    env = {**os.environ, "BACKCALC_MAX_FILE_BYTES": "1000"}
    p = subprocess.run(
        [backcalc_exe(), "grad", "sum(x)", "--values", str(f)], capture_output=True, timeout=BOUND, env=env
    )
    assert "larger than the limit of 1,000 bytes" in clean_error(p)


@pytest.mark.parametrize(
    "content",
    [
        "[1, 2",  # broken JSON
        '{"x": "__import__(\\"os\\")"}',
        '{"x": [1, [2]]}',
        '{"__class__": 1}',
        '{"x": 1e999}',
        '{"x": NaN}',
    ],
)
def test_hostile_json_value_files(tmp_path, content):
    f = tmp_path / "v.json"
    f.write_text(content)
    clean_error(run(["grad", "x + 1", "--values", str(f)]))


def test_pickled_npy_is_refused(tmp_path):
    import numpy as np

    f = tmp_path / "x.npy"
    np.save(f, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    clean_error(run(["grad", "sum(x)", "--values", str(f)]))


@pytest.mark.parametrize(
    "problem",
    [
        "expression = \"__import__('os').system('touch {marker}')\"\nvalues = {{ x = 1 }}\nvalue = 1",
        'expression = "x"\nvalues = {{ x = "__import__(\'os\')" }}\nvalue = 1',
        'expression = "x"\nvalues = {{ x = 1 }}\nvalue = "eval(\'1\')"',
        'expression = "(((((((((((x"\nvalues = {{ x = 1 }}\nvalue = 1',
    ],
)
def test_hostile_answer_files_are_malformed_not_run(tmp_path, problem):
    marker = tmp_path / "pwned"
    f = tmp_path / "hw.toml"
    f.write_text("[[problem]]\n" + problem.format(marker=marker) + "\n")
    p = run(["check", str(f), "--format", "json"])
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr.decode()
    assert json.loads(p.stdout)["items"][0]["status"] == "malformed"
    assert not marker.exists()


SPEC_HEAD = 'loss = "mse"\nx = [1.0, 2.0]\ny = [1.0]\nseed = 0\n'


@pytest.mark.parametrize(
    "body",
    [
        "[[layers]]\nactivation = \"__import__('os').system('touch {marker}')\"\nW = [[1.0, 2.0]]\nb = [0.0]\n",
        '[[layers]]\nactivation = "relu"\nW = [["__import__", 2.0]]\nb = [0.0]\n',
        '[[layers]]\nactivation = "relu"\nW = [[1.0, 2.0]]\nb = ["eval(\'1\')"]\n',
        '[[layers]]\nactivation = "relu"\nsize = 1000000000\n[[layers]]\nactivation = "identity"\nsize = 1\n',
        '[[layers]]\nactivation = "maxout"\nk = 100000000\nsize = 100\n',
        '[[layers]]\nactivation = "relu"\nW = [[1.0, nan]]\nb = [0.0]\n',
        '[[layers]]\nactivation = "relu"\nW = [[1.0, inf]]\nb = [0.0]\n',
        '[[layers]]\nactivation = "relu"\nW = [[1.0]]\nb = [0.0]\n',
        '[[layers]]\nactivation = "relu"\nW = [[1.0, 2.0], [3.0]]\nb = [0.0, 0.0]\n',
    ],
)
def test_hostile_network_specs_are_refused(tmp_path, body):
    marker = tmp_path / "pwned"
    f = tmp_path / "spec.toml"
    f.write_text(SPEC_HEAD.replace('loss = "mse"', 'loss = "mse"') + body.format(marker=marker))
    err = clean_error(run(["net", str(f)]))
    assert "spec.toml" in err
    assert not marker.exists()


def test_hostile_loss_name_and_json_spec(tmp_path):
    f = tmp_path / "spec.toml"
    f.write_text(
        'loss = "__import__"\nx = [1.0]\ny = [1.0]\n[[layers]]\nactivation = "relu"\nW = [[1.0]]\nb = [0.0]\n'
    )
    assert "loss" in clean_error(run(["net", str(f)]))
    j = tmp_path / "deep.json"
    j.write_text('{"loss": "mse", "x": ' + "[" * 100_000 + "1" + "]" * 100_000 + "}")
    clean_error(run(["net", str(j)]))
    b = tmp_path / "bad.toml"
    b.write_bytes(b'loss = "mse\xff"\n')
    clean_error(run(["net", str(b)]))


def test_net_output_never_overwrites_its_input_and_leaves_no_partial_file(tmp_path):
    spec = Path(__file__).resolve().parent.parent / "examples" / "xor.toml"
    f = tmp_path / "xor.toml"
    f.write_bytes(spec.read_bytes())
    before = f.read_bytes()
    err = clean_error(run(["net", str(f), "--step", "--lr", "0.5", "-o", str(f)]))
    assert "--in-place" in err
    assert f.read_bytes() == before
    p = run(["net", str(f), "--step", "--lr", "0.5", "-o", str(tmp_path / "no-such-dir" / "out.toml")])
    assert p.returncode == 2 and "Traceback" not in p.stderr.decode()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["xor.toml"]
