"""`backcalc train`: XOR to near-zero loss, per-example / batch / mini-batch descent, CSV and
.npz data with their errors, the loss plots, saving, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from backcalc.cli import app
from backcalc.errors import BackcalcError
from backcalc.network import evaluate, train
from backcalc.network.data import load_data
from backcalc.network.spec import load_spec
from backcalc.render.loss_plot import terminal_plot

from conftest import backcalc_exe

ROOT = Path(__file__).resolve().parent.parent
XOR = str(ROOT / "examples" / "xor.toml")
XOR_CSV = str(ROOT / "examples" / "xor.csv")
runner = CliRunner()


def test_xor_trains_to_a_loss_under_0_01_as_the_readme_says(tmp_path):
    out, png = tmp_path / "trained.toml", tmp_path / "loss.png"
    args = ["train", XOR, "--data", XOR_CSV, "--epochs", "2000", "--batch", "4", "--lr", "0.5", "--seed", "0"]
    res = runner.invoke(app, [*args, "-o", str(out), "--plot", str(png), "-f", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["final_loss"] < 0.01 and doc["losses"][-1] < 0.01
    assert doc["epochs_run"] == 2000 and doc["steps"] == 2000 and doc["batch"] == 4
    assert doc["losses"][0] > 0.2
    trained = load_spec(str(out))
    assert evaluate(trained).loss == pytest.approx(doc["final_loss"], rel=1e-12)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "wrote" in res.stderr


@pytest.mark.parametrize("batch", [1, 2, 4], ids=["per-example", "mini-batch", "batch"])
def test_training_reduces_the_loss_on_xor(batch):
    net = load_spec(XOR)
    data = load_data(XOR_CSV, net)
    before = evaluate(net).loss
    tr = train(net, data.X, data.Y, epochs=300, batch=batch, lr=0.5, seed=0)
    assert tr.steps == 300 * (4 // batch)
    assert tr.final_loss < before / 2
    assert tr.losses[-1] < tr.losses[0]


def test_full_batch_training_is_the_same_as_repeated_steps():
    from backcalc.network import gd_step

    net = load_spec(XOR)
    data = load_data(XOR_CSV, net)
    tr = train(net, data.X, data.Y, epochs=3, batch=4, lr=0.5, shuffle=False)
    stepped = net
    for _ in range(3):
        stepped = gd_step(evaluate(stepped), 0.5)
    for a, b in zip(tr.net.layers, stepped.layers):
        np.testing.assert_allclose(a.W, b.W, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(a.b, b.b, rtol=1e-12, atol=1e-15)


def test_shuffling_is_seeded():
    net = load_spec(XOR)
    data = load_data(XOR_CSV, net)
    a = train(net, data.X, data.Y, epochs=20, batch=1, lr=0.5, seed=3)
    b = train(net, data.X, data.Y, epochs=20, batch=1, lr=0.5, seed=3)
    c = train(net, data.X, data.Y, epochs=20, batch=1, lr=0.5, seed=4)
    assert a.losses == b.losses and a.losses != c.losses


def test_softmax_classifier_trains_on_csv_class_labels(tmp_path):
    spec = str(ROOT / "examples" / "networks" / "softmax-classifier.toml")
    csv = str(ROOT / "examples" / "networks" / "blobs.csv")
    res = runner.invoke(
        app, ["train", spec, "--data", csv, "--epochs", "100", "--batch", "16", "--lr", "0.5", "-f", "json"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["final_loss"] < 0.2 < doc["losses"][0]


def test_train_on_the_specs_own_x_and_y_without_data():
    res = runner.invoke(app, ["train", XOR, "--epochs", "50", "--lr", "0.5", "-f", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["rows"] == 4 and doc["losses"][-1] < doc["losses"][0]


def test_npz_data(tmp_path):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    np.savez(tmp_path / "xor.npz", x=X, y=np.array([0, 1, 1, 0], float))
    res = runner.invoke(
        app,
        ["train", XOR, "--data", str(tmp_path / "xor.npz"), "--epochs", "20", "--lr", "0.5", "-f", "json"],
    )
    assert res.exit_code == 0, res.output
    np.savez(tmp_path / "bad.npz", inputs=X)
    res = runner.invoke(app, ["train", XOR, "--data", str(tmp_path / "bad.npz")])
    assert res.exit_code == 2 and "no array named x" in res.stderr


def test_table_output_has_the_terminal_plot():
    res = runner.invoke(
        app, ["train", XOR, "--data", XOR_CSV, "--epochs", "30", "--lr", "0.5", "-f", "table"]
    )
    assert res.exit_code == 0, res.output
    assert "loss per epoch" in res.stdout and "epoch 30" in res.stdout
    assert any(0x2800 < ord(c) <= 0x28FF for c in res.stdout)  # braille dots


def _plot_rows(text: str) -> list[str]:
    """The chart's rows (after the axis mark), without the title, axis labels and ticks."""
    return [
        line.split("┤" if "┤" in line else "│", 1)[1]
        for line in text.splitlines()
        if "┤" in line or "│" in line
    ]


def test_terminal_plot_draws_a_falling_curve():
    text = terminal_plot([1.0 - 0.8 * k / 49 for k in range(50)], width=20, height=5)
    lines = text.splitlines()
    assert lines[0] == "loss per epoch (linear scale)"
    assert lines[1].strip() == "loss"  # the y axis is labelled
    assert lines[-1].split() == ["1", "epoch", "50"]  # and the x axis, with its first and last epoch
    rows = _plot_rows(text)
    assert len(rows) == 5
    assert rows[0][0] != "⠀"  # starts at the top left
    assert rows[-1][-1] != "⠀"  # ends at the bottom right
    assert lines[2].startswith("  1 ┤") and "0.2 ┤" in lines[6]  # the top and bottom values
    assert "not a finite number" in terminal_plot([1.0, float("nan")])


def test_terminal_plot_switches_to_log_scale_past_a_decade():
    assert "log scale" in terminal_plot([10.0**-k for k in range(5)])
    assert "log scale" in terminal_plot([1.27 * 0.98**k for k in range(200)])  # 1.27 -> 0.022
    assert "linear scale" in terminal_plot([1.0, 0.11])  # under a decade
    assert "linear scale" in terminal_plot([1.0, 0.0])  # a zero has no logarithm
    # the softmax example's 1.27 -> 0.031 is not a flat line along the bottom: on a log scale
    # the middle of the run sits in the middle rows
    losses = [0.031 * (1.27 / 0.031) ** (1 - k / 199) for k in range(200)]
    rows = _plot_rows(terminal_plot(losses, width=40, height=10))
    middle_col = [r[20] for r in rows]
    assert any(c != "⠀" for c in middle_col[3:7])


def test_terminal_plot_keeps_the_first_epoch_and_each_bins_extremes():
    # many more epochs than columns: the first epoch's high loss is still at the top left
    losses = [5.0] + [1.0] * 999
    rows = _plot_rows(terminal_plot(losses, width=20, height=5))
    assert rows[0][0] != "⠀"
    # a one-epoch spike in the middle is kept (a bin's max), not averaged away
    spiky = [1.0] * 1000
    spiky[500] = 3.0
    rows = _plot_rows(terminal_plot(spiky, width=20, height=5))
    assert rows[0][10] != "⠀" and all(c == "⠀" for c in rows[0][:9])
    # and a dip too (a bin's min)
    dip = [3.0] * 1000
    dip[500] = 1.0
    rows = _plot_rows(terminal_plot(dip, width=20, height=5))
    assert rows[-1][10] != "⠀" and all(c == "⠀" for c in rows[-1][:9])


@pytest.mark.parametrize(
    "csv_text, extra, expected",
    [
        ("x1,x2,y\n0,0,0\n0,1,one\n", [], "line 3, column 'y': 'one' is not a number"),
        ("x1,x2,y\n0,0,0\n0,1\n", [], "line 3: 2 values, but the header names 3 columns"),
        ("x1,x2,y\n0,,0\n", [], "line 2, column 'x2': the value is missing"),
        ("a,b,c\n0,0,0\n", [], "no target column"),
        ("x1,x2,y\n0,0,0\n", ["--target", "out"], "no column named 'out'"),
        ("x1,x2,x3,y\n0,0,0,0\n", [], "3 feature columns (x1, x2, x3), but the network takes 2 inputs"),
        ("0,0,0\n1,1,0\n", [], "the first row must be a header"),
        ("x1,x2,y\n", [], "no data rows under the header"),
        ("", [], "the file is empty"),
    ],
)
def test_csv_errors_name_the_file_row_and_column(tmp_path, csv_text, extra, expected):
    data = tmp_path / "data.csv"
    data.write_text(csv_text)
    out = tmp_path / "trained.toml"
    res = runner.invoke(app, ["train", XOR, "--data", str(data), *extra, "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert "data.csv" in res.stderr and expected in res.stderr, res.stderr
    assert "Traceback" not in res.output
    assert not out.exists()


def test_csv_target_and_feature_options_pick_columns(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("id,a,b,out\n1,0,0,0\n2,0,1,1\n3,1,0,1\n4,1,1,0\n")
    net = load_spec(XOR)
    d = load_data(str(data), net, target="out", features="a,b")
    assert d.features == ["a", "b"] and d.targets == ["out"]
    np.testing.assert_array_equal(d.Y, [[0], [1], [1], [0]])


def test_class_labels_in_csv_are_checked_against_the_outputs(tmp_path):
    spec = str(ROOT / "examples" / "networks" / "softmax-classifier.toml")
    data = tmp_path / "c.csv"
    data.write_text("x1,x2,label\n0,0,0\n1,1,5\n")
    with pytest.raises(BackcalcError, match="data row 2, column 'label': class label 5"):
        load_data(str(data), load_spec(spec))


def test_diverging_training_warns_and_writes_nothing(tmp_path):
    out = tmp_path / "t.toml"
    spec = str(ROOT / "examples" / "networks" / "relu-2layer.toml")
    res = runner.invoke(app, ["train", spec, "--epochs", "200", "--lr", "1e6", "-o", str(out), "-f", "json"])
    assert res.exit_code == 2, res.output
    assert "training diverged" in res.stderr and "smaller --lr (say 100000)" in res.stderr
    assert "not saved" in res.stderr
    assert not out.exists()
    doc = json.loads(res.stdout)  # the report is still printed, to say so
    assert doc["diverged"] is True and doc["network"] is None and doc["output"] is None
    assert doc["losses"][-1] > 1e200 and doc["final_loss"] == "Infinity"


def test_a_loss_that_grows_tenfold_is_reported_as_diverged(tmp_path):
    # the run: from 1.06 to about 1e170, finite all the way
    spec = str(ROOT / "examples" / "networks" / "relu-2layer.toml")
    out = tmp_path / "t.toml"
    res = runner.invoke(app, ["train", spec, "--epochs", "50", "--lr", "50", "-o", str(out), "-f", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["diverged"] is True
    assert doc["losses"][-1] > 10 * doc["losses"][0]
    assert "grew from 1.063 (epoch 1)" in res.stderr and "smaller --lr (say 5)" in res.stderr
    assert doc["warnings"] == [w for w in doc["warnings"] if "training diverged" in w] and doc["warnings"]
    assert out.exists()  # finite weights are saved: the student can look at them


def test_a_good_run_is_not_diverged():
    spec = str(ROOT / "examples" / "networks" / "relu-2layer.toml")
    res = runner.invoke(app, ["train", spec, "--epochs", "50", "--lr", "0.05", "-f", "json"])
    doc = json.loads(res.stdout)
    assert res.exit_code == 0 and doc["diverged"] is False and doc["warnings"] == []
    assert "diverged" not in res.stderr


@pytest.mark.parametrize(
    "losses, kind, epoch",
    [
        ([1.0, 0.5, 0.2], None, 0),
        ([1.0, 5.0, 0.9], None, 0),  # a bump under tenfold that comes back down
        ([1.0, 11.0, 0.5], "grew", 2),  # more than tenfold, even if it came back
        ([1.0, 0.5, 1.2], "ended_above", 3),
        ([2.0], None, 0),
    ],
)
def test_divergence_rules(losses, kind, epoch):
    from backcalc.network.training import divergence

    d = divergence(losses)
    assert (d.kind, d.epoch) == (kind, epoch) if kind else d is None
    nf = divergence(losses, float("nan"), 7)
    assert nf.kind == "nonfinite" and nf.step == 7 and nf.epoch == len(losses) + 1


def test_plot_without_matplotlib_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    png = tmp_path / "loss.png"
    res = runner.invoke(app, ["train", XOR, "--epochs", "5", "--plot", str(png)])
    assert res.exit_code == 2
    assert "pip install matplotlib" in res.stderr
    assert not png.exists()


def test_plot_needs_a_known_image_ending(tmp_path):
    res = runner.invoke(app, ["train", XOR, "--epochs", "5", "--plot", str(tmp_path / "loss.gif")])
    assert res.exit_code == 2 and ".png, .svg or .pdf" in res.stderr


def test_train_never_writes_over_the_input_spec(tmp_path):
    spec = tmp_path / "x.toml"
    spec.write_text(Path(XOR).read_text())
    res = runner.invoke(app, ["train", str(spec), "--epochs", "5", "-o", str(spec)])
    assert res.exit_code == 2 and "refusing to write over the input spec" in res.stderr
    assert spec.read_text() == Path(XOR).read_text()


def test_ctrl_c_stops_after_the_current_step_and_saves(tmp_path):
    exe = backcalc_exe()
    out = tmp_path / "partial.toml"
    cmd = [
        exe,
        "train",
        XOR,
        "--data",
        XOR_CSV,
        "--epochs",
        "10000000",
        "--batch",
        "1",
        "--lr",
        "0.5",
        "-o",
        str(out),
        "-f",
        "json",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    time.sleep(3.0)  # start-up and some training
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted after" in stderr and "saved" in stderr
    assert "Traceback" not in stderr
    doc = json.loads(stdout)
    assert doc["interrupted"] is True and doc["steps"] > 0
    trained = load_spec(str(out))
    assert evaluate(trained).loss < evaluate(load_spec(XOR)).loss
    assert sorted(os.listdir(tmp_path)) == ["partial.toml"]


def test_installed_backcalc_train_runs_the_readme_command(tmp_path):
    exe = backcalc_exe()
    cmd = [
        exe,
        "train",
        XOR,
        "--data",
        XOR_CSV,
        "--epochs",
        "2000",
        "--batch",
        "4",
        "--lr",
        "0.5",
        "--seed",
        "0",
        "-o",
        "trained.toml",
    ]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["final_loss"] < 0.01
    assert (tmp_path / "trained.toml").exists()


# --- accuracy, predicted classes, the plot's title ------------------------------------------


def _blobs():
    import csv

    with open(ROOT / "examples" / "networks" / "blobs.csv") as f:
        rows = list(csv.DictReader(f))
    return rows


def test_classifier_reports_accuracy_per_epoch_and_the_predicted_classes():
    spec = str(ROOT / "examples" / "networks" / "softmax-classifier.toml")
    csv_path = str(ROOT / "examples" / "networks" / "blobs.csv")
    res = runner.invoke(
        app,
        ["train", spec, "--data", csv_path, "--epochs", "60", "--batch", "16", "--lr", "0.5", "-f", "json"],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    acc = doc["accuracies"]
    assert len(acc) == len(doc["losses"]) == 60
    assert all(0 <= a <= 1 for a in acc) and acc[-1] > acc[0]
    # the predicted classes are those of the trained network, computed independently here
    labels = [int(r["label"]) for r in _blobs()]
    X = np.array([[float(r["x1"]), float(r["x2"])] for r in _blobs()])
    layers = doc["network"]["layers"]
    h = np.tanh(X @ np.array(layers[0]["W"]).T + np.array(layers[0]["b"]))
    scores = h @ np.array(layers[1]["W"]).T + np.array(layers[1]["b"])
    assert doc["predicted"] == scores.argmax(axis=1).tolist()
    assert doc["final_accuracy"] == pytest.approx(np.mean(scores.argmax(axis=1) == labels))
    assert doc["final_accuracy"] > 0.9


def test_per_epoch_accuracy_counts_the_steps_right_answers():
    # full batch, no shuffling: epoch k's accuracy is that of the weights before its step
    net = load_spec(str(ROOT / "examples" / "networks" / "softmax-classifier.toml"))
    X, Y = np.asarray(net.x), np.eye(3)[np.asarray(net.y, dtype=int)]
    tr = train(net, X, Y, epochs=3, batch=None, lr=0.5, shuffle=False)
    for k in range(3):
        before = train(net, X, Y, epochs=k, batch=None, lr=0.5, shuffle=False) if k else None
        w = net if before is None else before.net
        ev = evaluate(w.copy())
        # the evaluation's last-layer logits, argmax against the labels
        pred = np.argmax(ev.layers[-1].z, axis=1)
        assert tr.accuracies[k] == pytest.approx(np.mean(pred == np.asarray(net.y)))
    assert tr.predicted == np.argmax(evaluate(tr.net).layers[-1].z, axis=1).tolist()


def test_hinge_loss_reports_accuracy_and_regression_does_not():
    spec = str(ROOT / "examples" / "networks" / "activations.toml")
    res = runner.invoke(app, ["train", spec, "--epochs", "20", "--lr", "0.05", "-f", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert len(doc["accuracies"]) == 20 and doc["predicted"] and doc["final_accuracy"] is not None
    ev = evaluate(load_spec(spec))
    assert len(doc["predicted"]) == np.atleast_2d(ev.layers[-1].a).shape[0]
    res = runner.invoke(app, ["train", XOR, "--epochs", "3", "-f", "json"])
    doc = json.loads(res.stdout)
    assert doc["accuracies"] is None and doc["predicted"] is None and doc["final_accuracy"] is None
    table = runner.invoke(app, ["train", spec, "--epochs", "20", "--lr", "0.05", "-f", "table"]).stdout
    assert "accuracy: epoch 1 " in table and "epoch 20 " in table


def test_the_plot_title_is_the_specs_title_and_says_when_interrupted():
    from backcalc.cli.train import plot_title

    net = load_spec(str(ROOT / "examples" / "networks" / "softmax-classifier.toml"))
    X, Y = np.asarray(net.x), np.eye(3)[np.asarray(net.y, dtype=int)]
    tr = train(net, X, Y, epochs=5, batch=None, lr=0.5)
    assert plot_title(tr, "x/softmax-classifier.toml").startswith("softmax classifier: loss per epoch")
    calls = iter([False, False, True])
    stopped = train(net, X, Y, epochs=50, batch=None, lr=0.5, stop=lambda: next(calls))
    title = plot_title(stopped, "x/softmax-classifier.toml")
    assert stopped.interrupted and "interrupted after epoch 3 of 50" in title  # the third step stopped it
    net.title = None  # no title: the file name
    assert plot_title(train(net, X, Y, epochs=1, batch=None, lr=0.5), "x/c.toml").startswith("c.toml: ")
