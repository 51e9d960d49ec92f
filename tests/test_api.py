"""The Python API: one function per command, keyword options named as the command line's,
values named like options in the mapping, warnings through Python's warnings module, and the
docstring examples (run here as doctests)."""

from __future__ import annotations

import doctest
import json
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

import backcalc
from backcalc import BackcalcError, BackcalcWarning, api

from conftest import ROOT


def test_public_names_are_the_commands_and_callable():
    for name in ("grad", "explain", "graph", "net", "train", "check"):
        assert callable(getattr(backcalc, name)), name
        assert name in backcalc.__all__
    # the renamed internal modules no longer shadow the public functions
    assert backcalc.graph is api.graph and backcalc.explain is api.explain


@pytest.mark.parametrize("name", ["backcalc.api", "backcalc.notebook", "backcalc.magics"])
def test_docstring_examples_run(name, monkeypatch):
    import importlib

    module = importlib.import_module(name)
    monkeypatch.chdir(ROOT)  # the examples name files under examples/
    res = doctest.testmod(module, optionflags=doctest.ELLIPSIS, raise_on_error=False)
    assert res.failed == 0
    if name == "backcalc.api":
        assert res.attempted >= 10  # grad, explain, graph, net, train, check


def test_value_named_like_an_option_goes_in_the_mapping():
    r = backcalc.grad("ties*2 + h", {"ties": 3, "h": 1})
    assert r.value == 7.0 and r.gradients == {"ties": 2.0, "h": 1.0}


@pytest.mark.parametrize(
    "expression, kwargs, name",
    [
        ("ties*2", {"ties": 3}, "ties"),  # today's "unknown tie rule '3'"
        ("h*2", {"h": 3}, "h"),  # h=3 is taken as the check's step: then h has no value
        ("tol + x", {"tol": 0.5, "x": 1}, "tol"),
        ("expand * 2", {"expand": 2.0}, "expand"),
        ("check + 1", {"check": 1.5}, "check"),
    ],
)
def test_value_named_like_an_option_passed_as_keyword_says_so(expression, kwargs, name):
    with pytest.raises(BackcalcError) as e:
        backcalc.grad(expression, **kwargs)
    msg = str(e.value)
    assert f"'{name}' is an option of backcalc.grad()" in msg
    # the way out is in the message itself: a notebook's traceback shows the message alone
    assert f"in the mapping: backcalc.grad({expression!r}, {{'{name}': ...}})" in msg


def test_a_bad_option_that_is_no_clash_keeps_its_own_message():
    with pytest.raises(BackcalcError, match="unknown tie rule 'sideways'"):
        backcalc.grad("max(x, y)", x=1, y=1, ties="sideways")


def test_warnings_are_issued_through_python_warnings_and_kept_in_the_result():
    with pytest.warns(BackcalcWarning, match="y=2 was given but the expression does not use 'y'") as rec:
        r = backcalc.grad("x*2", x=1, y=2)
    assert r.warnings == ["y=2 was given but the expression does not use 'y'"]
    assert rec[0].filename == __file__  # attributed to the caller, not to backcalc's code


def test_no_warning_for_a_clean_run():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        backcalc.grad("(x+y)*z", x=-2, y=5, z=-4)


def test_the_command_line_shows_each_warning_once():
    out = subprocess.run(
        [sys.executable, "-m", "backcalc", "grad", "x*2", "x=1", "y=2", "--wrt", "x", "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stderr.count("y=2 was given") == 1 and "BackcalcWarning" not in out.stderr
    assert json.loads(out.stdout)["gradients"] == {"x": 2.0}


def test_explain_in_korean_and_from_a_result():
    steps = backcalc.explain("(x+y)*z", x=-2, y=5, z=-4, lang="ko")
    text = str(steps)
    assert "역방향" in text and "gradient distributor" in text and "∂f/∂x = -4" in text
    r = backcalc.grad("(x+y)*z", x=-2, y=5, z=-4)
    assert str(r.explain(lang="ko")) == text
    assert str(backcalc.explain(r, lang="en")).startswith("Backpropagation, step by step")
    with pytest.raises(BackcalcError, match="unknown language 'fr'"):
        backcalc.explain(r, lang="fr")
    with pytest.raises(BackcalcError, match="takes no values"):
        backcalc.explain(r, x=1)


def test_graph_returns_a_picture_and_writes_files(tmp_path):
    pic = backcalc.graph("(x+y)*z", x=-2, y=5, z=-4, output=str(tmp_path / "f.dot"))
    dot_text = (tmp_path / "f.dot").read_text(encoding="utf-8")
    assert dot_text == pic.to_dot() and "digraph backcalc" in dot_text
    assert "-12" in dot_text and "-4" in dot_text
    assert backcalc.graph("h + 1", h=2).result.value == 3.0  # h is an option of grad, not of graph
    with pytest.raises(BackcalcError, match="'ties' is an option of backcalc.graph"):
        backcalc.graph("ties * 2", ties=3)


def test_result_writeups_are_the_command_line_formats():
    from typer.testing import CliRunner

    from backcalc.cli import app

    r = backcalc.grad("(x+y)*z", x=-2, y=5, z=-4)
    args = ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--lang", "en", "-f"]
    runner = CliRunner()
    for fmt, text in (
        ("markdown", r.to_markdown("en")),
        ("latex", r.to_latex("en")),
        ("dot", r.to_dot("en")),
        ("json", r.to_json() + "\n"),
    ):
        res = runner.invoke(app, [*args, fmt])
        assert res.exit_code == 0 and res.stdout == text, fmt
    doc = json.loads(r.to_json())
    assert doc["gradients"] == {"x": -4.0, "y": -4.0, "z": 3.0}


def test_arrays_and_lists_as_values():
    W = np.array([[0.1, 0.5], [-0.3, 0.8]])
    r = backcalc.grad("sum((W @ x)**2)", W=W, x=[0.2, 0.4])
    np.testing.assert_allclose(r.gradients["W"], 2 * np.outer(W @ [0.2, 0.4], [0.2, 0.4]))
    np.testing.assert_allclose(r.gradients["x"], [-0.112, 0.636])


def test_net_step_and_output(tmp_path):
    ev = backcalc.net("examples/networks/mazur.toml".replace("examples", str(ROOT / "examples")))
    assert isinstance(ev, backcalc.network.Evaluation)
    out = tmp_path / "stepped.toml"
    ev2 = backcalc.net(str(ROOT / "examples/networks/mazur.toml"), step=True, lr=0.5, output=str(out))
    assert ev2.step is not None and ev2.step.loss_after < ev.loss
    again = backcalc.net(str(out))
    assert again.loss == pytest.approx(ev2.step.loss_after, rel=1e-12)
    with pytest.raises(BackcalcError, match="refusing to write over"):
        backcalc.net(str(out), output=str(out))


def test_train_from_a_mapping_and_to_files(tmp_path):
    import tomllib

    spec = tomllib.loads((ROOT / "examples/xor.toml").read_text())
    tr = backcalc.train(spec, epochs=20, lr=0.5, progress=False, output=str(tmp_path / "t.toml"))
    assert tr.epochs_run == 20 and len(tr.losses) == 20 and tr.losses[-1] < tr.losses[0]
    assert (tmp_path / "t.toml").exists()
    trained = backcalc.net(str(tmp_path / "t.toml"))
    assert trained.loss == pytest.approx(tr.final_loss, rel=1e-9)
    assert tr.net is not None and json.loads(tr.to_json())["epochs_run"] == 20


def test_check_grades_a_class():
    rep = backcalc.check(str(ROOT / "examples/grading/key.toml"), str(ROOT / "examples/grading/submissions"))
    assert isinstance(rep, backcalc.grading.ClassReport)
    by = {s.student: s.score for s in rep.submissions}
    assert by["Ada Lovelace"] == rep.summary.max_score and by["carol"] == 0
    assert json.loads(rep.to_json())["summary"]["submissions"] == len(rep.submissions)


def test_readme_python_example_runs():
    import re

    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    assert blocks
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for k, text in enumerate(blocks):
        runner.run(doctest.DocTestParser().get_doctest(text, {}, f"README-{k}", "README.md", 0))
    res = runner.summarize(verbose=False)
    assert res.attempted >= 2 and res.failed == 0


def test_a_missing_value_named_like_an_option_is_no_clash_unless_the_option_was_set():
    with pytest.raises(BackcalcError, match="no value for 'h'"):
        backcalc.grad("h*2")
    from typer.testing import CliRunner

    from backcalc.cli import app

    res = CliRunner().invoke(app, ["grad", "h*2", "--h", "0.1"])
    assert res.exit_code == 2 and "no value for 'h'" in res.stderr and "backcalc.grad" not in res.stderr


def test_ctrl_c_while_training_stops_after_the_step_and_keeps_the_result():
    import signal

    before = signal.getsignal(signal.SIGINT)
    with api._interruptible() as stop:
        assert not stop()
        signal.raise_signal(signal.SIGINT)  # the first one is taken: training ends after its step
        assert stop()
        with pytest.raises(KeyboardInterrupt):  # a second one interrupts at once
            signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before


def test_import_and_a_run_load_no_display_code():
    code = (
        "import sys, backcalc\n"
        "backcalc.grad('(x+y)*z', x=-2, y=5, z=-4).gradients\n"
        "heavy = ['backcalc.notebook', 'backcalc.magics', 'backcalc.render.notebook_html', 'IPython', 'rich', 'typer']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_quiz_marks_answers_and_shows_the_page_in_a_frame():
    import html

    sheet = backcalc.quiz("(x+y)*z", x=-2, y=5, z=-4, answers=[3, -12, -4, 3, -4, 4, -4], lang="ko")
    assert (sheet.score.right, sheet.score.total, sheet.score.first_try) == (6, 6, 5)
    assert "점" in sheet.transcript or "맞" in sheet.transcript  # marked in Korean
    fresh = backcalc.quiz("(x+y)*z", {"x": -2, "y": 5, "z": -4}, lang="en")
    assert fresh.score is None and [b.quantity for b in fresh.blanks][:2] == ["n1", "f"]
    frame = fresh._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "<script" not in frame.split('srcdoc="', 1)[0]
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))
    assert page == fresh.to_html() and "<input" in page and "<script src" not in page


def test_grad_speaks_either_vocabulary_of_roles():
    r = backcalc.grad("x*x+x", x=3, roles="2019")
    assert [n.role for n in r.nodes] == ["copy", "swap_multiplier", "distributor"]
    assert json.loads(r.to_json())["settings"]["roles"] == "2019"
    assert [n.role for n in backcalc.grad("x*x+x", x=3).nodes] == [None, "switcher", "distributor"]
    with pytest.raises(BackcalcError, match="choose one of: 2017, 2019"):
        backcalc.grad("x", x=1, roles="2020")
    assert backcalc.grad("roles*2", {"roles": 3}).value == 6.0  # a variable named like the option
