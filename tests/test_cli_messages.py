"""Messages from the core name settings, never command-line flags; the CLI shows the flags."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcalc.cli import app
from backcalc.cli.common import cli_message
from backcalc.errors import BackcalcError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
runner = CliRunner()


def _error(fn, *args, **kwargs) -> BackcalcError:
    with pytest.raises(BackcalcError) as info:
        fn(*args, **kwargs)
    return info.value


def test_a_values_file_error_names_the_file_and_the_cli_adds_values(tmp_path):
    from backcalc.values import load_values_file

    bad = tmp_path / "v.csv"
    bad.write_text("x\n")
    e = _error(load_values_file, str(bad))
    assert str(e) == f"values file {bad}: unknown kind of file '.csv'" and "--" not in e.render()
    assert cli_message(e).startswith(f"error: --values {bad}: unknown kind of file '.csv'")
    res = runner.invoke(app, ["grad", "sum(W)", "--values", str(bad)])
    assert res.exit_code == 2 and f"error: --values {bad}: unknown kind of file '.csv'" in res.stderr


def test_training_settings_are_named_as_the_api_takes_them():
    import numpy as np

    from backcalc.network import train
    from backcalc.network.spec import load_spec

    net = load_spec(str(EXAMPLES / "xor.toml"))
    X, Y = np.atleast_2d(net.x), np.asarray(net.y)
    e = _error(train, net, X, Y, epochs=1, batch=None, lr=-1.0)
    assert e.message == "lr must be a positive number, got -1"
    assert cli_message(e) == "error: --lr must be a positive number, got -1"
    e = _error(train, net, X, Y, epochs=0, batch=None, lr=0.1)
    assert e.message == "epochs must be at least 1, got 0"
    assert cli_message(e) == "error: --epochs must be at least 1, got 0"


def test_refusing_to_overwrite_says_output_and_in_place_and_the_cli_says_the_flags(tmp_path):
    from backcalc.files import refuse_overwrite

    f = tmp_path / "m.toml"
    f.write_text("")
    e = _error(refuse_overwrite, str(f), str(f), False)
    assert e.hint == "give another file with output, or add in_place to replace it"
    assert cli_message(e).endswith("hint: give another file with -o, or add --in-place to replace it")


def test_data_file_errors_name_data_on_the_command_line(tmp_path):
    from backcalc.network.data import load_data
    from backcalc.network.spec import load_spec

    net = load_spec(str(EXAMPLES / "xor.toml"))
    e = _error(load_data, str(tmp_path / "d.txt"), net)
    assert str(e) == f"data file {tmp_path / 'd.txt'}: unknown kind of file '.txt'"
    assert cli_message(e).startswith(f"error: --data {tmp_path / 'd.txt'}: unknown kind of file")
    e = _error(load_data, str(EXAMPLES / "tensor" / "softmax_batch.npz"), net, "y")
    assert e.message.endswith("target and features apply to CSV files only")
    assert cli_message(e).endswith("--target and --features apply to CSV files only")


def test_train_writes_only_table_or_json():
    res = runner.invoke(app, ["train", str(EXAMPLES / "xor.toml"), "--epochs", "1", "-f", "dot"])
    assert res.exit_code == 2 and "error: --format dot: not one of table, json" in res.stderr


def test_messages_on_a_terminal_break_between_words(monkeypatch):
    import shutil

    from backcalc.cli import run as R

    monkeypatch.setattr(R.sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(
        shutil, "get_terminal_size", lambda fallback=(80, 24): shutil.os.terminal_size((60, 24))
    )
    text = "warning: " + " ".join(["gradient"] * 20) + "\n  x*y\n    ^"
    lines = R.for_terminal(text).split("\n")
    assert all(len(line) <= 60 for line in lines)
    assert lines[1].startswith("         gradient")  # continued under the text after 'warning: '
    assert lines[-2:] == ["  x*y", "    ^"]  # the quoted source and its caret as they were
    assert " ".join(w for line in lines[:-2] for w in line.split()) == text.split("\n")[0]
    wide = "오류: " + "값이 없다 " * 20
    assert all(
        sum(2 if ord(c) > 0x1100 else 1 for c in line) <= 60 for line in R.for_terminal(wide).split("\n")
    )
