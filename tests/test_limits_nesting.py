"""Values and spec files nested past the limit: a clean message and exit 2, never Python's
RecursionError (json and tomllib recurse, so the text is scanned for its depth first)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import backcalc
from backcalc import BackcalcError
from backcalc.cli import app
from backcalc.limits import ARRAY_MAX_DIMS, LIMITS
from backcalc.values import check_nesting

from conftest import run_exe

runner = CliRunner()

DEEP_VALUE = "[" * 50_000 + "1" + "]" * 50_000
N = 100_000
DEEP_ARRAY = "[" * N + "1" + "]" * N


def deep_files(tmp_path):
    """(command, file) pairs: network specs and value files, JSON and TOML, 100,000 levels deep."""
    files = {
        "spec.json": '{"loss": "mse", "x": ' + DEEP_ARRAY + ', "layers": []}',
        "spec.toml": 'loss = "mse"\nx = ' + DEEP_ARRAY + "\n",
        "tables.toml": 'loss = "mse"\nx = ' + "{a = " * N + "1" + "}" * N + "\n",
        "values.json": '{"x": ' + DEEP_ARRAY + "}",
        "values.toml": "x = " + DEEP_ARRAY + "\n",
        "objects.json": '{"x": ' + '{"a": ' * N + "1" + "}" * N + "}",
    }
    out = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text)
        if name.startswith(("spec", "tables")):
            out.append(["net", str(path)])
        else:
            out.append(["grad", "sum(x)", "--values", str(path)])
    return out


def assert_nesting_error(code: int, stderr: str, limit: int | None = None) -> None:
    assert code == 2, stderr
    assert stderr.startswith("error: "), stderr
    assert f"nested more than {limit or LIMITS.max_nesting:,} levels deep" in stderr
    assert "BACKCALC_MAX_NESTING" in stderr
    assert "Traceback" not in stderr and "RecursionError" not in stderr
    assert "recursion" not in stderr


def test_a_value_50000_levels_deep_is_refused_in_process():
    r = runner.invoke(app, ["grad", "sum(x)", f"x={DEEP_VALUE}"])
    assert_nesting_error(r.exit_code, r.stderr)
    assert r.stdout == ""


def test_a_value_50000_levels_deep_is_refused_by_the_program():
    p = run_exe("grad", "sum(x)", f"x={DEEP_VALUE}")
    assert_nesting_error(p.returncode, p.stderr)
    assert p.stdout == ""


def test_deep_spec_and_value_files_are_refused_in_process(tmp_path):
    for args in deep_files(tmp_path):
        r = runner.invoke(app, args)
        assert_nesting_error(r.exit_code, r.stderr)
        assert r.stderr.startswith("error: " + ("--values " if "--values" in args else "") + args[-1])


def test_deep_spec_and_value_files_are_refused_by_the_program(tmp_path):
    for args in deep_files(tmp_path):
        p = run_exe(*args)
        assert_nesting_error(p.returncode, p.stderr)
        assert p.stdout == ""


def test_the_message_says_where(tmp_path):
    r = runner.invoke(app, ["grad", "sum(x)", "x=" + "[" * 101 + "1" + "]" * 101])
    assert "(at column 101)" in r.stderr
    path = tmp_path / "spec.toml"
    path.write_text('loss = "mse"\nx = ' + "[" * 101 + "1" + "]" * 101 + "\n")
    r = runner.invoke(app, ["net", str(path)])
    assert "(at line 2, column 105)" in r.stderr


def test_past_the_readers_own_depth_the_message_is_the_same():
    # With the limit raised above what Python's json reader can do, its RecursionError is
    # still reported as the nesting limit.
    p = run_exe("grad", "sum(x)", f"x={DEEP_VALUE}", env={"BACKCALC_MAX_NESTING": "10000000"})
    assert_nesting_error(p.returncode, p.stderr, limit=10_000_000)


def test_the_limit_is_adjustable(monkeypatch):
    monkeypatch.setattr(LIMITS, "max_nesting", 3)
    assert backcalc.grad("sum(x)", x="[[[1, 2]]]").value == 3
    with pytest.raises(BackcalcError, match="nested more than 3 levels deep"):
        backcalc.grad("sum(x)", x="[[[[1, 2]]]]")


def test_the_limit_is_adjustable_by_environment():
    p = run_exe("grad", "sum(x)", "x=[[[1]]]", env={"BACKCALC_MAX_NESTING": "2"})
    assert_nesting_error(p.returncode, p.stderr, limit=2)


def test_brackets_in_strings_and_comments_do_not_count():
    deep = "[" * 1000
    check_nesting(f'{{"name": "{deep}", "x": [1]}}', "w")
    check_nesting(f'{{"name": "\\"{deep}\\\\", "x": [1]}}', "w")  # escaped quotes stay inside
    check_nesting(f"name = \"{deep}\"\n# {deep}\nnote = '{deep}'\n", "w", "toml")
    check_nesting(f"a = \"\"\"\n{deep}\n\"\"\"\nb = '''\n{deep}'''\n", "w", "toml")
    with pytest.raises(BackcalcError, match="levels deep"):
        check_nesting(f'{{"name": "]]]", "x": {deep}}}', "w")


def test_the_default_limit_fits_every_array_numpy_can_hold(tmp_path):
    assert LIMITS.max_nesting > ARRAY_MAX_DIMS + 2  # the file's object and the spec's layers
    x = "[" * ARRAY_MAX_DIMS + "1, 2" + "]" * ARRAY_MAX_DIMS
    assert backcalc.grad("sum(x)", x=x).value == 3
    path = tmp_path / "v.json"
    path.write_text('{"x": ' + x + "}")
    r = runner.invoke(app, ["grad", "sum(x)", "--values", str(path), "--format", "json"])
    assert r.exit_code == 0, r.stderr


def test_more_dimensions_than_numpy_allows_is_a_clean_error():
    d = ARRAY_MAX_DIMS + 1
    r = runner.invoke(app, ["grad", "sum(x)", "x=" + "[" * d + "1" + "]" * d])
    assert r.exit_code == 2
    assert f"an array of {d} dimensions; at most {ARRAY_MAX_DIMS} are possible" in r.stderr
